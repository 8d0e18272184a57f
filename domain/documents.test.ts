import { describe, expect, it } from 'vitest';
import { detectMediaType, documentFileName, formatBytes, typeRefusal } from './documents.js';

const bytes = (...values: (number | string)[]) => new Uint8Array(values.flatMap((value) => (typeof value === 'string' ? [...value].map((c) => c.charCodeAt(0)) : [value])));

/** A ZIP holding these (empty, stored) entries: local headers, central directory, end record. */
function zip(names: string[]): Uint8Array {
  const encoder = new TextEncoder();
  const locals: number[] = [];
  const central: number[] = [];
  const u16 = (value: number) => [value & 0xff, value >> 8];
  const u32 = (value: number) => [value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >>> 24];
  for (const name of names) {
    const encoded = [...encoder.encode(name)];
    const offset = locals.length;
    locals.push(...u32(0x04034b50), ...u16(20), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(0), ...u32(0), ...u16(encoded.length), ...u16(0), ...encoded);
    central.push(...u32(0x02014b50), ...u16(20), ...u16(20), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(0), ...u32(0),
      ...u16(encoded.length), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(offset), ...encoded);
  }
  const end = [...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(names.length), ...u16(names.length), ...u32(central.length), ...u32(locals.length), ...u16(0)];
  return new Uint8Array([...locals, ...central, ...end]);
}

describe('detectMediaType: the type from the first bytes', () => {
  it('recognises each accepted type', () => {
    expect(detectMediaType(bytes('%PDF-1.7\n'))).toEqual({ ok: true, mediaType: 'application/pdf' });
    expect(detectMediaType(bytes(0xff, 0xd8, 0xff, 0xe1))).toEqual({ ok: true, mediaType: 'image/jpeg' });
    expect(detectMediaType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a))).toEqual({ ok: true, mediaType: 'image/png' });
    expect(detectMediaType(bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 '))).toEqual({ ok: true, mediaType: 'image/webp' });
    expect(detectMediaType(bytes('II*', 0))).toEqual({ ok: true, mediaType: 'image/tiff' });
    expect(detectMediaType(bytes('MM', 0, '*'))).toEqual({ ok: true, mediaType: 'image/tiff' });
    expect(detectMediaType(zip(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']))).toMatchObject({ mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    expect(detectMediaType(zip(['[Content_Types].xml', 'xl/workbook.xml']))).toMatchObject({ mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  });

  it('names what a refused file is', () => {
    expect(detectMediaType(zip(['word/document.xml']))).toEqual({ ok: false, seen: 'ZIP 压缩包' });
    expect(detectMediaType(zip(['a.shp', 'a.dbf']))).toEqual({ ok: false, seen: 'ZIP 压缩包' });
    expect(detectMediaType(bytes('PK', 3, 4, 0, 0))).toEqual({ ok: false, seen: 'ZIP 压缩包' });
    expect(detectMediaType(bytes('MZ', 0x90, 0))).toEqual({ ok: false, seen: 'Windows 可执行程序 (exe/dll)' });
    expect(detectMediaType(bytes(0xef, 0xbb, 0xbf, '  <!DOCTYPE HTML><p>'))).toEqual({ ok: false, seen: '网页 (HTML)' });
    expect(detectMediaType(bytes('<svg onload=alert(1)>'))).toEqual({ ok: false, seen: 'XML/SVG 文本' });
    expect(detectMediaType(bytes('GIF89a'))).toEqual({ ok: false, seen: 'GIF 动图' });
    expect(detectMediaType(bytes(' %PDF-1.4'))).toEqual({ ok: false, seen: null });
    expect(detectMediaType(new Uint8Array(0))).toEqual({ ok: false, seen: null });
    expect(typeRefusal('网页 (HTML)', 'a.pdf').message).toMatch(/^文件 a\.pdf 的内容是网页 \(HTML\)，不能归档/);
  });
});

describe('documentFileName', () => {
  it('cleans the name and gives it the extension of its real type', () => {
    expect(documentFileName('../合同 (扫描).PDF', 'application/pdf')).toBe('合同 _扫描_.PDF');
    expect(documentFileName('photo.pdf', 'image/jpeg')).toBe('photo.pdf.jpg');
    expect(documentFileName('IMG_1.jpeg', 'image/jpeg')).toBe('IMG_1.jpeg');
    expect(documentFileName('   ', 'image/png')).toBe('upload.png');
    const long = documentFileName(`${'宗地'.repeat(100)}.tiff`, 'image/tiff');
    expect(long.endsWith('.tiff')).toBe(true);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(150);
  });

  it('formats sizes', () => {
    expect([formatBytes(512), formatBytes(100_000), formatBytes(1.5 * 1024 * 1024), formatBytes(20 * 1024 * 1024)]).toEqual(['512 B', '98 KB', '1.5 MB', '20 MB']);
  });
});
