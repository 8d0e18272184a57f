import { uploadFileName } from './import/upload-name.js';

/**
 * 一地一档 (seed 004 四: "一宗一卡"、"一地一档"): the files kept per parcel. What kinds there are,
 * which file types are accepted — recognised from their first bytes, never from the name or the
 * type the browser claims — and how a stored file is named. Shared by the server (which decides)
 * and the client (which checks a file before sending it and words the list).
 */

export const DOCUMENT_CATEGORIES = [
  { code: 'contract', label: '合同协议', description: '土地出让合同、投资发展协议、补充协议' },
  { code: 'certificate', label: '权属证书', description: '不动产权证书、土地使用证' },
  { code: 'photo', label: '现场照片', description: '调查、核查时拍摄的照片（保留拍摄时间和位置）' },
  { code: 'drawing', label: '图纸', description: '宗地图、规划总平面图、勘测定界图' },
  { code: 'approval', label: '批复文件', description: '认定、审批、备案文件' },
  { code: 'plan', label: '实施方案', description: '“一地一策”再开发实施方案' },
  { code: 'other', label: '其他', description: '其他材料' },
] as const;

export type DocumentCategory = (typeof DOCUMENT_CATEGORIES)[number]['code'];
export const DOCUMENT_CATEGORY_CODES = DOCUMENT_CATEGORIES.map((category) => category.code) as DocumentCategory[];

export function documentCategoryLabel(code: string): string {
  return DOCUMENT_CATEGORIES.find((category) => category.code === code)?.label ?? code;
}

/** How a browser may show a type inline: as an image, in its PDF viewer, or not at all (download only). */
export type DocumentPreview = 'image' | 'pdf' | null;

export const DOCUMENT_MEDIA_TYPES = [
  { mediaType: 'application/pdf', label: 'PDF', extensions: ['.pdf'], preview: 'pdf' },
  { mediaType: 'image/jpeg', label: 'JPEG 图片', extensions: ['.jpg', '.jpeg'], preview: 'image' },
  { mediaType: 'image/png', label: 'PNG 图片', extensions: ['.png'], preview: 'image' },
  { mediaType: 'image/webp', label: 'WebP 图片', extensions: ['.webp'], preview: 'image' },
  // Scanners write TIFF; browsers (but Safari) cannot show it, so it is downloaded to view.
  { mediaType: 'image/tiff', label: 'TIFF 扫描件', extensions: ['.tif', '.tiff'], preview: null },
  { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word 文档 (docx)', extensions: ['.docx'], preview: null },
  { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel 表格 (xlsx)', extensions: ['.xlsx'], preview: null },
] as const satisfies readonly { mediaType: string; label: string; extensions: readonly string[]; preview: DocumentPreview }[];

export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number]['mediaType'];
export const DOCUMENT_MEDIA_TYPE_CODES = DOCUMENT_MEDIA_TYPES.map((type) => type.mediaType) as DocumentMediaType[];

/** The accepted types in words, for messages and the upload hint. */
export const ACCEPTED_TYPES_TEXT = 'PDF、JPEG、PNG、WebP、TIFF、Word (docx)、Excel (xlsx)';
/** The `accept` attribute of the file picker. */
export const ACCEPT_ATTRIBUTE = [...new Set(DOCUMENT_MEDIA_TYPES.flatMap((type) => [type.mediaType, ...type.extensions]))].join(',');

export function documentMediaTypeOf(mediaType: string) {
  return DOCUMENT_MEDIA_TYPES.find((type) => type.mediaType === mediaType);
}

export function documentPreviewOf(mediaType: string): DocumentPreview {
  return documentMediaTypeOf(mediaType)?.preview ?? null;
}

/** What the first bytes say a file is: an accepted type, or what it is instead (in words), or unknown. */
export type Detection = { ok: true; mediaType: DocumentMediaType } | { ok: false; seen: string | null };

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((value, index) => bytes[offset + index] === value);
const ascii = (text: string) => [...text].map((character) => character.charCodeAt(0));

/** Kinds that are refused, named so that the refusal says what the file really is. */
const REFUSED_SIGNATURES: readonly { signature: readonly number[]; seen: string }[] = [
  { signature: [0x4d, 0x5a], seen: 'Windows 可执行程序 (exe/dll)' },
  { signature: [0x7f, 0x45, 0x4c, 0x46], seen: '可执行程序 (ELF)' },
  { signature: ascii('GIF8'), seen: 'GIF 动图' },
  { signature: ascii('BM'), seen: 'BMP 位图' },
  { signature: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], seen: '旧版 Office 文档 (doc/xls)' },
  { signature: ascii('Rar!'), seen: 'RAR 压缩包' },
  { signature: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], seen: '7z 压缩包' },
];

/**
 * The accepted type of a file from its content: `%PDF-`, JPEG's FF D8 FF, PNG's signature, RIFF…WEBP,
 * TIFF's II*␀ / MM␀*, and for a ZIP (PK␃␄) the Office Open XML part that makes it a docx or xlsx.
 * Anything else is refused, named where it is recognisable (an HTML page renamed .pdf, an .exe).
 */
export function detectMediaType(bytes: Uint8Array): Detection {
  if (startsWith(bytes, ascii('%PDF-'))) return { ok: true, mediaType: 'application/pdf' };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { ok: true, mediaType: 'image/jpeg' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ok: true, mediaType: 'image/png' };
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return { ok: true, mediaType: 'image/webp' };
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return { ok: true, mediaType: 'image/tiff' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    const names = zipEntryNames(bytes);
    if (names.includes('[Content_Types].xml')) {
      if (names.includes('word/document.xml')) return { ok: true, mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' };
      if (names.includes('xl/workbook.xml')) return { ok: true, mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
    }
    return { ok: false, seen: 'ZIP 压缩包' };
  }
  for (const { signature, seen } of REFUSED_SIGNATURES) if (startsWith(bytes, signature)) return { ok: false, seen };
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (/^(<!doctype html|<html|<head|<body|<script|<svg|<\?xml)/.test(head)) return { ok: false, seen: head.startsWith('<svg') || head.startsWith('<?xml') ? 'XML/SVG 文本' : '网页 (HTML)' };
  return { ok: false, seen: null };
}

/** Names in a ZIP's central directory (read from the end record), or [] when it cannot be read. */
function zipEntryNames(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65 535.
  let end = -1;
  for (let offset = bytes.length - 22; offset >= Math.max(0, bytes.length - 22 - 65_535); offset--) {
    if (view.getUint32(offset, true) === 0x06054b50) {
      end = offset;
      break;
    }
  }
  if (end < 0) return [];
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  const names: string[] = [];
  const decoder = new TextDecoder();
  for (let index = 0; index < count && index < 10_000; index++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== 0x02014b50) break;
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    if (offset + 46 + nameLength > bytes.length) break;
    names.push(decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength)));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/**
 * The name a document is filed under: the uploaded name cleaned as uploads are (no folders, no
 * control or shell characters, at most 150 bytes with the extension kept, domain/import/upload-name.ts),
 * with the extension of its real type added when the name has another one (`合同.pdf` that is a
 * JPEG is filed as `合同.pdf.jpg`), so the file opens with the right program once downloaded.
 */
export function documentFileName(name: string, mediaType: DocumentMediaType): string {
  const type = documentMediaTypeOf(mediaType)!;
  const clean = uploadFileName(name.normalize('NFC').trim() || 'upload', 150 - 6);
  const lower = clean.toLowerCase();
  if ((type.extensions as readonly string[]).some((extension) => lower.endsWith(extension))) return clean;
  return `${clean}${type.extensions[0]}`;
}

/** Default largest file (MB): a scanned contract of some dozen pages at 300 dpi, or a phone photo, fits. */
export const DEFAULT_DOCUMENT_MAX_MB = 20;

/** `1.5 MB`, `320 KB`: sizes as the list shows them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(bytes >= 10 * 1024 * 1024 ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** Why an upload or a read of a document is refused: reasons the server maps to HTTP (server/errors.ts). */
export const DOCUMENT_EMPTY = 'empty_file';
export const DOCUMENT_TOO_LARGE = 'too_large';
export const DOCUMENT_TYPE_REFUSED = 'unsupported_type';
export const DOCUMENT_DUPLICATE = 'duplicate_document';
export const DOCUMENT_REMOVED = 'document_removed';
export const DOCUMENT_NOT_PREVIEWABLE = 'not_previewable';
export const DOCUMENT_ALREADY_REMOVED = 'already_removed';

export type DocumentRefusalReason =
  | typeof DOCUMENT_EMPTY | typeof DOCUMENT_TOO_LARGE | typeof DOCUMENT_TYPE_REFUSED | typeof DOCUMENT_DUPLICATE
  | typeof DOCUMENT_REMOVED | typeof DOCUMENT_NOT_PREVIEWABLE | typeof DOCUMENT_ALREADY_REMOVED;

export interface DocumentRefusal {
  reason: DocumentRefusalReason;
  /** The request field at fault (`file`, `documentId`). */
  parameter: string;
  /** What was wrong and what to do, Chinese first. */
  message: string;
  details?: Record<string, unknown>;
}

/** The refusal of a file whose content is no accepted type, naming what it is where that is known. */
export function typeRefusal(seen: string | null, fileName: string): DocumentRefusal {
  const what = seen ? `内容是${seen}` : '内容不是可识别的文件类型';
  return {
    reason: DOCUMENT_TYPE_REFUSED, parameter: 'file',
    message: `文件 ${fileName} 的${what}，不能归档（只看文件内容，不看扩展名）。可上传：${ACCEPTED_TYPES_TEXT}；请转换为 PDF 或图片后重新上传 / file type not accepted.`,
    details: { seen, accepted: DOCUMENT_MEDIA_TYPE_CODES },
  };
}

/** The refusal of a file over the limit, naming the limit. */
export function sizeRefusal(maxBytes: number): DocumentRefusal {
  const limit = formatBytes(maxBytes);
  return {
    reason: DOCUMENT_TOO_LARGE, parameter: 'file',
    message: `文件超过 ${limit} 的上限：扫描件请降低分辨率（200–300 dpi 即可）或分册上传，照片请压缩后上传 / the file is over ${limit}.`,
    details: { maxBytes },
  };
}
