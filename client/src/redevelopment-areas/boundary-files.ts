import proj4 from 'proj4';
import type { MultiPolygon, Position } from 'geojson';
import { parseButiao } from '@domain/import/butiao.js';
import { crsFromCoordinates, proj4Definition, sridLabel, SUPPORTED_SRIDS } from '@domain/import/crs.js';
import { decodeText, detectEncoding } from '@domain/import/encoding.js';
import { boxOf, polygonsOf, unionAreal, type Areal } from './area-geometry.js';

/**
 * A boundary read from a file in the browser: a 部标 txt (Gauss-Kruger, projected here with proj4
 * from the zone the file names) or a GeoJSON (its polygons merged). Zipped Shapefiles go to the
 * server (`POST /api/areas/boundary-from-file`), which has GDAL.
 */
export type BoundaryFileResult =
  | { ok: true; boundary: MultiPolygon; features: number; sourceCrs: string; notes: string[] }
  | { ok: false; reason: BoundaryFileFailure; message: string };

export type BoundaryFileFailure = 'unreadable' | 'needs_srid' | 'unsupported_crs' | 'no_polygons' | 'not_degrees';

export const BOUNDARY_FILE_FAILURES = {
  unreadable: 'unreadable',
  needsSrid: 'needs_srid',
  unsupportedCrs: 'unsupported_crs',
  noPolygons: 'no_polygons',
  notDegrees: 'not_degrees',
} as const satisfies Record<string, BoundaryFileFailure>;

/** Gauss-Kruger zones a user may pick when a 部标 file does not say its zone (CGCS2000 only). */
export const GAUSS_KRUGER_CHOICES = SUPPORTED_SRIDS.filter((entry) => entry.srid >= 4491 && entry.srid <= 4554);

const CGCS2000_GEOGRAPHIC = proj4Definition(4490) as string;

function asMultiPolygon(geometry: Areal): MultiPolygon {
  return { type: 'MultiPolygon', coordinates: polygonsOf(geometry) };
}

/** Bytes of a .txt as text: GBK or UTF-8, as the import does. */
export function decodeBoundaryText(bytes: Uint8Array): string {
  return decodeText(bytes, detectEncoding(bytes).encoding);
}

/**
 * A 部标 txt's 面 parcels, projected to CGCS2000 longitude/latitude and merged. `srid` answers the
 * question the file leaves open (eastings without a zone number and no 带号 in the header).
 */
export function boundaryFromButiao(text: string, srid?: number): BoundaryFileResult {
  const parsed = parseButiao(text);
  if (!parsed.ok) return { ok: false, reason: 'unreadable', message: parsed.line > 0 ? `第 ${parsed.line} 行：${parsed.message}` : parsed.message };
  const file = parsed.file;
  let chosen = srid ?? file.srid;
  if (chosen === null) {
    const positions = file.parcels.flatMap((parcel) => parcel.polygons.flat(2));
    const xs = positions.map((position) => position[0]);
    const ys = positions.map((position) => position[1]);
    const guess = crsFromCoordinates({ minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) });
    if (guess.srid === null || guess.srid === 4490 || guess.srid === 4326 || guess.srid === 3857) {
      return { ok: false, reason: 'needs_srid', message: `文件没有写明投影带号（${guess.reason}），请选择坐标系后再读取` };
    }
    chosen = guess.srid;
  }
  const definition = proj4Definition(chosen);
  if (!definition) return { ok: false, reason: 'unsupported_crs', message: `不支持的坐标系 EPSG:${chosen}：请转换为 CGCS2000 后再导出` };
  const project = proj4(definition, CGCS2000_GEOGRAPHIC);
  const toDegrees = (position: Position): Position => project.forward([position[0], position[1]]);
  const shapes: Areal[] = file.parcels.flatMap((parcel) => parcel.polygons.map((rings) => ({
    type: 'Polygon' as const,
    coordinates: rings.map((ring) => ring.map(toDegrees)),
  })));
  const merged = unionAreal(shapes);
  if (!merged) return { ok: false, reason: 'no_polygons', message: '文件中没有可用的面' };
  const notes = [...file.warnings, ...file.parcels.flatMap((parcel) => parcel.warnings)];
  return { ok: true, boundary: asMultiPolygon(merged), features: file.parcels.length, sourceCrs: sridLabel(chosen), notes };
}

function collectPolygons(value: unknown, into: Areal[]): void {
  if (typeof value !== 'object' || value === null) return;
  const object = value as { type?: unknown; features?: unknown; geometry?: unknown; geometries?: unknown; coordinates?: unknown };
  switch (object.type) {
    case 'FeatureCollection':
      if (Array.isArray(object.features)) for (const feature of object.features) collectPolygons(feature, into);
      return;
    case 'Feature':
      collectPolygons(object.geometry, into);
      return;
    case 'GeometryCollection':
      if (Array.isArray(object.geometries)) for (const geometry of object.geometries) collectPolygons(geometry, into);
      return;
    case 'Polygon':
    case 'MultiPolygon':
      if (Array.isArray(object.coordinates)) into.push(object as Areal);
      return;
    default:
  }
}

/** The union of a GeoJSON's polygons, which must be in longitude/latitude (RFC 7946). */
export function boundaryFromGeoJson(text: string): BoundaryFileResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'unreadable', message: '文件不是有效的 GeoJSON（JSON 无法解析）' };
  }
  const shapes: Areal[] = [];
  collectPolygons(value, shapes);
  if (shapes.length === 0) return { ok: false, reason: 'no_polygons', message: 'GeoJSON 中没有面（Polygon / MultiPolygon）要素' };
  const box = shapes.map(boxOf).reduce((all, box) => [Math.min(all[0], box[0]), Math.min(all[1], box[1]), Math.max(all[2], box[2]), Math.max(all[3], box[3])]);
  if (!(box[0] >= -180 && box[2] <= 180 && box[1] >= -90 && box[3] <= 90)) {
    return { ok: false, reason: 'not_degrees', message: 'GeoJSON 的坐标不是经纬度：请导出为 EPSG:4326 / CGCS2000 经纬度后再读取' };
  }
  let merged: Areal | null;
  try {
    merged = unionAreal(shapes);
  } catch (error) {
    return { ok: false, reason: 'unreadable', message: `面无法合并：${(error as Error).message}` };
  }
  if (!merged) return { ok: false, reason: 'no_polygons', message: 'GeoJSON 中的面合并后为空' };
  return { ok: true, boundary: asMultiPolygon(merged), features: shapes.length, sourceCrs: 'CGCS2000 / WGS84 经纬度', notes: [] };
}
