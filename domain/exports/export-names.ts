/**
 * Download names that say what is inside, e.g. `厦门市湖里区_地块_疑似低效_20261202.zip`: the place,
 * the layer, the qualifiers (status, 低效类型, year…), the date. Characters no file system takes
 * (`\ / : * ? " < > |`, control characters) become `-`; empty parts are left out; at most 120 characters
 * before the extension, so every OS and browser keeps the name whole.
 */
export function exportFileName(parts: readonly (string | null | undefined)[], stamp: string, extension: string): string {
  const clean = parts
    .map((part) => (part ?? '').replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, '-').replace(/\s+/g, '').replace(/^[-.]+|[-.]+$/g, ''))
    .filter((part) => part.length > 0);
  const stem = [...clean, stamp].join('_');
  return `${Array.from(stem).slice(0, 120).join('')}${extension}`;
}

/** YYYYMMDD of a moment in China Standard Time (UTC+8, no daylight saving), for file names. */
export function exportStamp(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3_600_000);
  return local.toISOString().slice(0, 10).replaceAll('-', '');
}
