import geojsonValidation from 'geojson-validation';
import { GEOMETRY_TOO_MANY_PARTS, GEOMETRY_TOO_MANY_VERTICES, checkPolygonInput } from '../../domain/geometry-input.validation.js';
import { GeometryError } from '../errors.js';

/**
 * Structural check of a GeoJSON Polygon or MultiPolygon body (rings closed, positions numeric),
 * then its range and size (domain/geometry-input.validation.ts), before PostGIS judges validity.
 * The messages name what is wrong so the sender can fix it. Answers the number of vertices.
 */
export function assertGeoJsonPolygon(geometry: unknown, parameter = 'geometry'): number {
  const type = typeof geometry === 'object' && geometry !== null ? (geometry as { type?: unknown }).type : undefined;
  // The caps first when the type is right: they stop at the first problem, so 19 000 parts cost no
  // walk through a structural validator (it reads every position before answering).
  const checked = type === 'Polygon' || type === 'MultiPolygon' ? checkPolygonInput(geometry as { type: string; coordinates: unknown }) : null;
  if (checked && !checked.ok && (checked.reason === GEOMETRY_TOO_MANY_PARTS || checked.reason === GEOMETRY_TOO_MANY_VERTICES)) {
    throw new GeometryError(checked.message, parameter);
  }
  const trace = geojsonValidation.valid(geometry, true) as unknown;
  const problems = Array.isArray(trace) ? (trace as string[]) : [];
  if (problems.length > 0) throw new GeometryError(problems.slice(0, 3).join('; '), parameter);
  if (!checked) throw new GeometryError(`需要 Polygon 或 MultiPolygon，收到 ${String(type)}`, parameter);
  if (!checked.ok) throw new GeometryError(checked.message, parameter);
  return checked.vertices;
}
