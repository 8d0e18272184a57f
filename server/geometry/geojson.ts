import geojsonValidation from 'geojson-validation';
import { GeometryError } from '../errors.js';

/**
 * Structural check of a GeoJSON Polygon or MultiPolygon body (rings closed, positions numeric),
 * before PostGIS judges validity. The messages name what is wrong so the sender can fix it.
 */
export function assertGeoJsonPolygon(geometry: unknown, parameter = 'geometry'): void {
  const trace = geojsonValidation.valid(geometry, true) as unknown;
  const problems = Array.isArray(trace) ? (trace as string[]) : [];
  if (problems.length > 0) throw new GeometryError(problems.slice(0, 3).join('; '), parameter);
  const type = (geometry as { type?: string }).type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') throw new GeometryError(`需要 Polygon 或 MultiPolygon，收到 ${type}`, parameter);
  const coordinates = JSON.stringify((geometry as { coordinates: unknown }).coordinates);
  if (/null|NaN|Infinity/.test(coordinates)) throw new GeometryError('坐标中有空值或非数字', parameter);
}
