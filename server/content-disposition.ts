/**
 * The one `Content-Disposition` of the product's downloads (exports, documents, reports):
 * `attachment` or `inline` with the whole name as `filename*` (RFC 6266 with RFC 5987's UTF-8
 * `ext-value`, which every current browser prefers, so Chinese names arrive as written) and a plain
 * `filename` for the rest: printable ASCII only, no quotes or backslashes. The caller may give that
 * plain name (an export names its layer and date); otherwise it is the name with every other
 * character as `_`.
 */
export function contentDisposition(disposition: 'attachment' | 'inline', fileName: string, asciiFallback?: string): string {
  const fallback = (asciiFallback ?? fileName).replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${rfc5987(fileName)}`;
}

/** RFC 5987 `ext-value` text: UTF-8, percent-encoded, with the characters encodeURIComponent leaves but attr-char does not allow. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}
