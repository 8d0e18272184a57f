import exifr from 'exifr';

/**
 * When and where a photo was taken, from its EXIF (read with exifr): DateTimeOriginal and the GPS
 * position. EXIF GPS is WGS84 by the standard (GPSMapDatum, where written, says "WGS-84"), taken here
 * as CGCS2000: the two agree to centimetres, far below a phone's GPS error. It is not GCJ-02 — the
 * Chinese offset applies to map display in apps, not to what the camera writes — so no shift is made.
 */
export interface PhotoMetadata {
  /** RFC 3339, or null when the photo carries no usable time. */
  takenAt: string | null;
  /** [经度, 纬度], or null without a usable position. */
  position: [number, number] | null;
  /** What was read, as written (kept on record with the document). */
  exif: Record<string, unknown> | null;
}

const NONE: PhotoMetadata = { takenAt: null, position: null, exif: null };

/** EXIF time "YYYY:MM:DD HH:MM:SS" (local time of the camera) with its offset "+08:00" when written. */
const EXIF_TIME = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;
const OFFSET = /^[+-]\d{2}:\d{2}$/;

/**
 * The time a photo was taken: DateTimeOriginal at OffsetTimeOriginal, or — cameras mostly write no
 * offset — at China Standard Time (UTC+8), where the product's photos are taken. Null for a time
 * that is not a real one ("0000:00:00 00:00:00", as cameras without a clock write).
 */
export function exifTime(text: unknown, offset: unknown): string | null {
  if (typeof text !== 'string') return null;
  const match = EXIF_TIME.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match;
  const zone = typeof offset === 'string' && OFFSET.test(offset.trim()) ? offset.trim() : '+08:00';
  const iso = `${year}-${month}-${day}T${hour}:${minute}:${second}${zone}`;
  const time = new Date(iso);
  if (Number.isNaN(time.getTime()) || Number(year) < 1900 || Number(year) > 2999) return null;
  // Date rolls 02-30 over into March: a time must read back as written.
  const check = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (check.getUTCMonth() !== Number(month) - 1 || check.getUTCDate() !== Number(day)) return null;
  return time.toISOString();
}

/** A GPS position worth keeping: finite, in range, and not 0/0 (what a phone writes without a fix). */
export function gpsPosition(longitude: unknown, latitude: unknown): [number, number] | null {
  if (typeof longitude !== 'number' || typeof latitude !== 'number') return null;
  if (!Number.isFinite(longitude) || !Number.isFinite(latitude)) return null;
  if (Math.abs(longitude) > 180 || Math.abs(latitude) > 90) return null;
  if (longitude === 0 && latitude === 0) return null;
  return [Math.round(longitude * 1e8) / 1e8, Math.round(latitude * 1e8) / 1e8];
}

const KEPT = ['Make', 'Model', 'DateTimeOriginal', 'OffsetTimeOriginal', 'GPSMapDatum', 'GPSAltitude', 'GPSImgDirection', 'latitude', 'longitude'] as const;

/** Reads a photo's EXIF; a photo without EXIF, or with EXIF exifr cannot read, has none (never an error). */
export async function readPhotoMetadata(content: Buffer): Promise<PhotoMetadata> {
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = await exifr.parse(content, {
      tiff: true, ifd0: { pick: ['Make', 'Model'] }, exif: { pick: ['DateTimeOriginal', 'OffsetTimeOriginal'] }, gps: true,
      ifd1: false, xmp: false, icc: false, iptc: false, jfif: false, ihdr: false,
      reviveValues: false, translateValues: false, mergeOutput: true,
    }) as Record<string, unknown> | undefined;
  } catch {
    return NONE;
  }
  if (!parsed) return NONE;
  const exif: Record<string, unknown> = {};
  for (const key of KEPT) {
    const value = parsed[key];
    if (typeof value === 'string') exif[key] = value.replace(/\u0000/g, '').trim().slice(0, 100);
    else if (typeof value === 'number' && Number.isFinite(value)) exif[key] = value;
  }
  return {
    takenAt: exifTime(parsed.DateTimeOriginal, parsed.OffsetTimeOriginal),
    position: gpsPosition(parsed.longitude, parsed.latitude),
    exif: Object.keys(exif).length > 0 ? exif : null,
  };
}
