import type {
  LegacyLandCreate, LegacyLandDetail, LegacyLandFeatures, LegacyLandImportResult, LegacyLandList, LegacyLandListQuery, LegacyLandTransition,
} from '@domain/api/legacy-land.schemas.js';
import { getJson, queryString, request, upload, type QueryWithDefaults, type RequestOptions } from '../http/request.js';

export type { LegacyLand, LegacyLandDetail, LegacyLandList } from '@domain/api/legacy-land.schemas.js';

export function fetchLegacyLands(query: QueryWithDefaults<LegacyLandListQuery, 'page' | 'pageSize'>, options?: RequestOptions): Promise<LegacyLandList> {
  return getJson(`/api/legacy-lands?${queryString(query)}`, options);
}

export function fetchLegacyLand(id: number, options?: RequestOptions): Promise<LegacyLandDetail> {
  return getJson(`/api/legacy-lands/${id}`, options);
}

export function createLegacyLand(body: LegacyLandCreate, options?: RequestOptions): Promise<LegacyLandDetail> {
  return request('POST', '/api/legacy-lands', body, options);
}

export function moveLegacyLand(id: number, body: LegacyLandTransition, options?: RequestOptions): Promise<LegacyLandDetail> {
  return request('POST', `/api/legacy-lands/${id}/status`, body, options);
}

/** The map layer: records in a box [minLon, minLat, maxLon, maxLat]. */
export function fetchLegacyFeatures(box: readonly number[], options?: RequestOptions): Promise<LegacyLandFeatures> {
  return getJson(`/api/legacy-lands/features?bbox=${box.map((value) => value.toFixed(6)).join(',')}`, options);
}

export function importLegacyLands(file: File, fields: { period?: string; surveyYear?: string }): Promise<LegacyLandImportResult> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) if (value) form.append(key, value);
  form.append('file', file);
  return upload('/api/legacy-lands/import', form);
}
