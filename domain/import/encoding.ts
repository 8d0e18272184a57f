/**
 * Text encodings of survey files. GBK (code page 936) is the norm for 变更调查 DBF files, but the
 * `.cpg` may say GBK, 936, ANSI 936 or UTF-8, or be missing, and the DBF language-driver byte may or
 * may not be set. Node's TextDecoder knows 'gbk', 'gb18030', 'big5' and 'utf-8' but not the numeric
 * code-page labels, so every label is normalised here first.
 */
export type TextEncoding = 'utf-8' | 'gbk' | 'gb18030' | 'big5' | 'windows-1252' | 'shift_jis' | 'euc-kr' | 'ibm866' | 'iso-8859-1';

export interface EncodingGuess {
  encoding: TextEncoding;
  /** 0–1: how sure the guess is (1 = declared or unambiguous). */
  confidence: number;
  source: 'cpg' | 'ldid' | 'bytes' | 'default' | 'user';
  reason: string;
}

/** GDAL's name for an encoding (for `-oo ENCODING=` / SHAPE_ENCODING). */
export const GDAL_ENCODING_NAMES: Readonly<Record<TextEncoding, string>> = {
  'utf-8': 'UTF-8',
  gbk: 'CP936',
  gb18030: 'GB18030',
  big5: 'CP950',
  'windows-1252': 'CP1252',
  shift_jis: 'CP932',
  'euc-kr': 'CP949',
  ibm866: 'CP866',
  'iso-8859-1': 'ISO-8859-1',
};

const CODE_PAGE_LABELS: Readonly<Record<string, TextEncoding>> = {
  '936': 'gbk', cp936: 'gbk', 'ansi936': 'gbk', gbk: 'gbk', gb2312: 'gbk', 'windows-936': 'gbk', 'ms936': 'gbk', 'euc-cn': 'gbk',
  gb18030: 'gb18030', '54936': 'gb18030',
  '65001': 'utf-8', 'utf-8': 'utf-8', utf8: 'utf-8',
  '950': 'big5', cp950: 'big5', big5: 'big5', 'ansi950': 'big5',
  '1252': 'windows-1252', cp1252: 'windows-1252', 'ansi1252': 'windows-1252', 'windows-1252': 'windows-1252', ansi: 'windows-1252',
  '932': 'shift_jis', cp932: 'shift_jis', 'shift_jis': 'shift_jis', sjis: 'shift_jis',
  '949': 'euc-kr', cp949: 'euc-kr',
  '866': 'ibm866', cp866: 'ibm866',
  '28591': 'iso-8859-1', 'iso-8859-1': 'iso-8859-1', 'iso88591': 'iso-8859-1', latin1: 'iso-8859-1',
};

export type CodePageResult = { ok: true; encoding: TextEncoding } | { ok: false; reason: 'empty' | 'not_a_code_page' | 'unknown_code_page'; text: string };

/** Reads a `.cpg` file's content: `936`, `ANSI 936`, `CP936`, `GBK`, `UTF-8`, `65001`… */
export function parseCodePage(content: string): CodePageResult {
  const text = content.replace(/^\uFEFF/, '').trim();
  if (text === '') return { ok: false, reason: 'empty', text };
  if (text.length > 40 || /[<>{}]/.test(text)) return { ok: false, reason: 'not_a_code_page', text: text.slice(0, 40) };
  const key = text.toLowerCase().replace(/\s+/g, '');
  const encoding = CODE_PAGE_LABELS[key];
  return encoding ? { ok: true, encoding } : { ok: false, reason: 'unknown_code_page', text };
}

/**
 * The DBF language driver id (byte 29 of the header). Only ids that name a code page are mapped;
 * 0 means "not set".
 */
export function encodingFromLanguageDriver(ldid: number): TextEncoding | null {
  switch (ldid) {
    case 0x4d: case 0x7a: return 'gbk';
    case 0x4f: case 0x78: return 'big5';
    case 0x4e: case 0x79: return 'euc-kr';
    case 0x13: case 0x7b: return 'shift_jis';
    case 0x57: case 0x03: case 0x58: case 0x59: return 'windows-1252';
    case 0x26: case 0x65: return 'ibm866';
    default: return null;
  }
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Guesses the encoding of text bytes (DBF records, a 部标 txt) when nothing declares it. Valid
 * UTF-8 with multi-byte sequences is UTF-8; otherwise a double-byte Chinese encoding is told apart
 * by its byte ranges: GBK text is mostly GB2312 汉字 (lead 0xB0–0xF7, trail 0xA1–0xFE), while Big5
 * puts common 汉字 at leads 0xA4–0xAF and uses trail bytes 0x40–0x7E; GB18030 alone has 4-byte
 * sequences (second byte 0x30–0x39).
 */
export function detectEncoding(bytes: Uint8Array): EncodingGuess {
  let highBytes = 0;
  for (const byte of bytes) if (byte >= 0x80) highBytes++;
  if (highBytes === 0) return { encoding: 'utf-8', confidence: 1, source: 'bytes', reason: '只有 ASCII 字符 (ASCII only)' };
  if (isValidUtf8(bytes)) return { encoding: 'utf-8', confidence: 0.99, source: 'bytes', reason: '字节是有效的 UTF-8' };

  let leads = 0;
  let big5Leads = 0;
  let fourByte = 0;
  let invalid = 0;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (byte < 0x80) continue;
    const next = bytes[index + 1] ?? 0;
    if (byte >= 0x81 && byte <= 0xfe && next >= 0x30 && next <= 0x39) {
      fourByte++;
      index += 3;
      continue;
    }
    if (byte >= 0x81 && byte <= 0xfe && next >= 0x40 && next <= 0xfe && next !== 0x7f) {
      leads++;
      // Big5 hanzi use trail bytes 0x40–0x7E about half the time, and leads 0xA4–0xAF for many
      // common ones; GB2312 hanzi (the bulk of GBK text) never do either.
      if ((byte >= 0xa4 && byte <= 0xaf) || next < 0x80) big5Leads++;
      index++;
      continue;
    }
    invalid++;
  }
  if (leads + fourByte === 0 || invalid > (leads + fourByte) / 4) {
    return { encoding: 'windows-1252', confidence: 0.4, source: 'bytes', reason: '不像双字节中文编码，按单字节 Latin 编码处理' };
  }
  if (fourByte > 0) return { encoding: 'gb18030', confidence: 0.8, source: 'bytes', reason: '含 GB18030 四字节序列' };
  const big5Share = big5Leads / leads;
  if (big5Share > 0.2) return { encoding: 'big5', confidence: Math.min(0.9, 0.5 + big5Share), source: 'bytes', reason: `${Math.round(big5Share * 100)}% 的双字节字符落在 Big5 特有的字节区` };
  return { encoding: 'gbk', confidence: Math.min(0.95, 0.6 + (1 - big5Share) * 0.35), source: 'bytes', reason: '双字节字符符合 GBK (GB2312 汉字区)' };
}

/** Decodes with a normalised encoding; ISO-8859-1 is Node's 'latin1'. */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding): string {
  return new TextDecoder(encoding === 'iso-8859-1' ? 'latin1' : encoding).decode(bytes);
}
