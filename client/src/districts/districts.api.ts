import type { DistrictList, DistrictStats, SubdistrictFeatureCollection, SubdistrictList, SubdistrictStats } from '@domain/api/districts.schemas.js';
import { getJson, type RequestOptions } from '../http/request.js';

export type { ChildFigures, District, DistrictList, DistrictStats, StatusFigure, SubdistrictFeatureCollection, SubdistrictList, SubdistrictStats, TypeFigure } from '@domain/api/districts.schemas.js';

export function fetchDistricts(options?: RequestOptions): Promise<DistrictList> {
  return getJson('/api/districts', options);
}

export function fetchDistrictStats(code: string, options?: RequestOptions): Promise<DistrictStats> {
  return getJson(`/api/districts/${encodeURIComponent(code)}/stats`, options);
}

/** A 街道/镇 (its 园区外 parcels) or 园区's figures. */
export function fetchSubdistrictStats(code: string, options?: RequestOptions): Promise<SubdistrictStats> {
  return getJson(`/api/subdistricts/${encodeURIComponent(code)}/stats`, options);
}

/** The 街道/镇/园区 of a district (or of the city's districts in scope) with their 低效 share, as GeoJSON. */
export function fetchSubdistrictMap(code: string, options?: RequestOptions): Promise<SubdistrictFeatureCollection> {
  return getJson(`/api/districts/${encodeURIComponent(code)}/subdistricts`, options);
}

/** Every 街道/镇/园区 by name (no shapes): the choices of a 园区/街道 scope. */
export function fetchSubdistrictList(options?: RequestOptions): Promise<SubdistrictList> {
  return getJson('/api/subdistricts', options);
}
