import geojsonValidation from 'geojson-validation';
import { GEOMETRY_TOO_MANY_PARTS, GEOMETRY_TOO_MANY_VERTICES, checkPolygonInput } from '../../domain/geometry-input.validation.js';
import { GeometryError } from '../errors.js';

/**
 * Structural check of a GeoJSON Polygon or MultiPolygon body (rings closed, positions numeric),
 * then its range and size (domain/geometry-input.validation.ts), before PostGIS judges validity.
 * The messages name what is wrong so the sender can fix it. Answers the number of vertices.
 */
export function assertGeoJsonPolygon(geometry: unknown, parameter = 'geometry'): number {
  const type = (geometry as { type?: string } | null)?.type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') throw new GeometryError(`需要 Polygon 或 MultiPolygon，收到 ${String(type).slice(0, 40)}`, parameter);
  // Our own walk first: it names the problem in Chinese, and geojson-validation throws on shapes
  // such as [[]] instead of answering.
  const checked = checkPolygonInput(geometry as { type: string; coordinates: unknown });
  if (!checked.ok) throw new GeometryError(checked.message, parameter);
  const trace = geojsonValidation.valid(geometry, true) as unknown;
  const problems = Array.isArray(trace) ? (trace as string[]) : [];
  if (problems.length > 0) throw new GeometryError(problems.slice(0, 3).join('; '), parameter);
  return checked.vertices;
}
