/**
 * The name an upload is stored under: its base name, with characters other than letters, digits,
 * `.`, `_`, space and `-` replaced by `_`, cut to at most 150 UTF-8 bytes (a file system takes 255;
 * Chinese takes 3 bytes a character) — cut in the stem, so the extension that says how to read the
 * file (`.zip`, `.gdb.zip`, `.shp`, `.geojson`) is kept.
 */
export function uploadFileName(name: string, maxBytes = 150): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[^\p{L}\p{N}._ -]/gu, '_');
  const match = /^(.*?)((?:\.[A-Za-z0-9]{1,8}){1,2})$/.exec(clean);
  const [stem, extension] = match && match[1] !== '' ? [match[1], match[2]] : [clean, ''];
  if (Buffer.byteLength(extension) >= maxBytes) return 'upload';
  let kept = '';
  for (const character of stem) {
    if (Buffer.byteLength(kept + character + extension) > maxBytes) break;
    kept += character;
  }
  return kept === '' && extension === '' ? 'upload' : `${kept || 'upload'}${extension}`;
}
