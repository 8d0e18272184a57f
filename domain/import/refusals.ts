/**
 * Why an upload (an import, or a 成片改造区域 boundary file) is refused as a whole. Expected
 * failures are values, not exceptions: readers and stages return `{ ok: false, reason, message,
 * where }`, tests assert the exact reason, and `server/errors.ts` alone turns one into HTTP.
 * Every message says what is wrong and what to do, in Chinese.
 */

export const BAD_ARCHIVE = 'bad_archive';
export const ZIP_BOMB = 'zip_bomb';
export const PATH_TRAVERSAL = 'path_traversal';
export const NESTED_ARCHIVE = 'nested_archive';
export const TOO_LARGE = 'too_large';
/** Two entries of a zip unpack to the same path (or one is a file and a folder at once). */
export const DUPLICATE_ENTRY = 'duplicate_entry';
/** Unpacking (or storing) the upload would leave the server's disk below its free-space reserve. */
export const DISK_FULL = 'disk_full';
export const EMPTY_FILE = 'empty_file';
export const NO_LAYERS = 'no_layers';
export const NOT_A_SHAPEFILE = 'not_a_shapefile';
/** A .gpkg that is not an SQLite database, or is shorter than its header declares (truncated). */
export const BAD_GEOPACKAGE = 'bad_geopackage';
export const UNSUPPORTED_CRS = 'unsupported_crs';
export const UNREADABLE = 'unreadable';
export const NO_POLYGONS = 'no_polygons';
export const BAD_TEXT_FILE = 'bad_text_file';
/** Boundary files only: the upload is not a zip (部标 txt and GeoJSON are read in the browser). */
export const NOT_A_ZIP = 'not_a_zip';
/** Boundary files only: a shapefile without its .prj (a red line needs a declared CRS). */
export const MISSING_PRJ = 'missing_prj';
/** Boundary files only: a CRS the file declares but no rule recognises. */
export const UNKNOWN_CRS = 'unknown_crs';
/** Boundary files only: the union of the polygons is empty. */
export const EMPTY_BOUNDARY = 'empty_boundary';

export type RefusalReason =
  | typeof BAD_ARCHIVE | typeof ZIP_BOMB | typeof PATH_TRAVERSAL | typeof NESTED_ARCHIVE | typeof TOO_LARGE
  | typeof EMPTY_FILE | typeof NO_LAYERS | typeof NOT_A_SHAPEFILE | typeof UNSUPPORTED_CRS | typeof UNREADABLE
  | typeof NO_POLYGONS | typeof BAD_TEXT_FILE | typeof NOT_A_ZIP | typeof MISSING_PRJ | typeof UNKNOWN_CRS
  | typeof EMPTY_BOUNDARY | typeof DUPLICATE_ENTRY | typeof DISK_FULL | typeof BAD_GEOPACKAGE;

export interface Refusal {
  ok: false;
  reason: RefusalReason;
  message: string;
  /** The file or layer concerned, as named inside the upload, when there is one. */
  where?: string;
}

export function refusal(reason: RefusalReason, message: string, where?: string): Refusal {
  return where === undefined ? { ok: false, reason, message } : { ok: false, reason, message, where };
}

/** A success value carrying `value`, or a refusal. */
export type Refused<T> = ({ ok: true } & T) | Refusal;
