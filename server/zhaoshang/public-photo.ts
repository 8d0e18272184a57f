/**
 * A photo as the public gets it: the picture without what the camera or an editor wrote beside it
 * (EXIF with GPS, time and device, XMP, IPTC, comments, PNG text chunks). The bytes of the picture
 * itself are copied unchanged. JPEG keeps JFIF (APP0), the ICC profile (APP2) and Adobe's colour
 * marker (APP14); note that EXIF's orientation goes too, so a photo should be filed upright.
 */
export function withoutMetadata(content: Buffer, mediaType: string): Buffer {
  if (mediaType === 'image/jpeg') return jpegWithoutMetadata(content);
  if (mediaType === 'image/png') return pngWithoutMetadata(content);
  throw new Error(`no metadata stripping for ${mediaType}`);
}

const KEPT_JPEG_APP = new Set([0xe0, 0xe2, 0xee]);

function jpegWithoutMetadata(content: Buffer): Buffer {
  if (content.length < 4 || content[0] !== 0xff || content[1] !== 0xd8) throw new Error('not a JPEG');
  const parts: Buffer[] = [content.subarray(0, 2)];
  let offset = 2;
  while (offset + 4 <= content.length) {
    if (content[offset] !== 0xff) throw new Error(`JPEG marker expected at ${offset}`);
    const marker = content[offset + 1];
    if (marker === 0xff) {
      offset++;
      continue;
    }
    // Start of scan: the compressed picture follows to the end.
    if (marker === 0xda) {
      parts.push(content.subarray(offset));
      return Buffer.concat(parts);
    }
    const length = content.readUInt16BE(offset + 2);
    const end = offset + 2 + length;
    if (end > content.length) throw new Error('truncated JPEG segment');
    const metadata = (marker >= 0xe0 && marker <= 0xef && !KEPT_JPEG_APP.has(marker)) || marker === 0xfe;
    if (!metadata) parts.push(content.subarray(offset, end));
    offset = end;
  }
  throw new Error('JPEG without image data');
}

const DROPPED_PNG_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

function pngWithoutMetadata(content: Buffer): Buffer {
  const signature = content.subarray(0, 8);
  if (signature.toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  const parts: Buffer[] = [signature];
  let offset = 8;
  while (offset + 12 <= content.length) {
    const length = content.readUInt32BE(offset);
    const type = content.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > content.length) throw new Error('truncated PNG chunk');
    if (!DROPPED_PNG_CHUNKS.has(type)) parts.push(content.subarray(offset, end));
    offset = end;
    if (type === 'IEND') break;
  }
  return Buffer.concat(parts);
}
