import type { DistrictStats } from '@domain/district-figures.js';
import { getJson, type RequestOptions } from '../http/request.js';
import type { BoundingBox } from '../map/geo-types.js';

export type { DistrictStats, StatusFigure, TypeFigure } from '@domain/district-figures.js';

export interface District {
  code: string;
  name: string;
  level: 'city' | 'district';
  parentCode: string | null;
  bbox: BoundingBox;
  areaM2: number;
  /** Whether the signed-in user's scope covers it (names are not secret, figures are). */
  inScope?: boolean;
}

export interface DistrictsResponse {
  items: District[];
}

export function fetchDistricts(options?: RequestOptions): Promise<DistrictsResponse> {
  return getJson('/api/districts', options);
}

export function fetchDistrictStats(code: string, options?: RequestOptions): Promise<DistrictStats> {
  return getJson(`/api/districts/${encodeURIComponent(code)}/stats`, options);
}
