import type { DistrictList, DistrictStats } from '@domain/api/districts.schemas.js';
import { getJson, type RequestOptions } from '../http/request.js';

export type { District, DistrictList, DistrictStats, StatusFigure, TypeFigure } from '@domain/api/districts.schemas.js';

export function fetchDistricts(options?: RequestOptions): Promise<DistrictList> {
  return getJson('/api/districts', options);
}

export function fetchDistrictStats(code: string, options?: RequestOptions): Promise<DistrictStats> {
  return getJson(`/api/districts/${encodeURIComponent(code)}/stats`, options);
}
