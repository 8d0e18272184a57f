import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText, detectEncoding, encodingFromLanguageDriver, parseCodePage } from './encoding.js';

const testdata = path.resolve(import.meta.dirname, '../../../shared/testdata');

/** The records of a DBF file (header and field descriptors skipped). */
function dbfRecords(file: string): Uint8Array {
  const bytes = fs.readFileSync(file);
  const headerLength = bytes.readUInt16LE(8);
  return new Uint8Array(bytes.subarray(headerLength));
}

describe('.cpg contents', () => {
  it.each([
    ['936', 'gbk'], ['ANSI 936', 'gbk'], ['CP936', 'gbk'], ['GBK', 'gbk'], ['gb2312', 'gbk'], ['GB18030', 'gb18030'],
    ['65001', 'utf-8'], ['UTF-8', 'utf-8'], ['utf8\r\n', 'utf-8'], ['\uFEFFUTF-8', 'utf-8'], ['950', 'big5'], ['1252', 'windows-1252'],
  ])('reads %j as %s', (content, encoding) => {
    expect(parseCodePage(content)).toEqual({ ok: true, encoding });
  });

  it('refuses a .cpg that holds HTML or nothing', () => {
    expect(parseCodePage('<html><body>404</body></html>')).toMatchObject({ ok: false, reason: 'not_a_code_page' });
    expect(parseCodePage('  ')).toMatchObject({ ok: false, reason: 'empty' });
    expect(parseCodePage('EBCDIC-7')).toMatchObject({ ok: false, reason: 'unknown_code_page' });
  });
});

describe('DBF language driver byte', () => {
  it('maps 0x4D and 0x7A to GBK, and leaves 0 unset', () => {
    expect(encodingFromLanguageDriver(0x4d)).toBe('gbk');
    expect(encodingFromLanguageDriver(0x7a)).toBe('gbk');
    expect(encodingFromLanguageDriver(0)).toBeNull();
  });
});

describe('detecting the encoding from the bytes', () => {
  it.each([
    ['gbk.dbf', 'gbk'],
    ['gb2312.dbf', 'gbk'],
    ['big5.dbf', 'big5'],
    ['utf8.dbf', 'utf-8'],
  ])('tells the encoding of mapshaper’s %s, which declares none: %s', (name, encoding) => {
    const guess = detectEncoding(dbfRecords(path.join(testdata, 'mapshaper-testdata/dbf', name)));
    expect(guess.encoding).toBe(encoding);
    expect(guess.source).toBe('bytes');
  });

  it('decodes GBK text it detected', () => {
    const bytes = new Uint8Array([0xb9, 0xa4, 0xd2, 0xb5, 0xd3, 0xc3, 0xb5, 0xd8]); // 工业用地 in GBK
    const guess = detectEncoding(bytes);
    expect(guess.encoding).toBe('gbk');
    expect(decodeText(bytes, guess.encoding)).toBe('工业用地');
  });

  it('calls plain ASCII and valid UTF-8 UTF-8', () => {
    expect(detectEncoding(new TextEncoder().encode('DLBM 0601')).encoding).toBe('utf-8');
    expect(detectEncoding(new TextEncoder().encode('工业用地')).encoding).toBe('utf-8');
  });
});
