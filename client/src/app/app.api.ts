import { getJson, type RequestOptions } from '../http/request.js';

export interface HealthResponse {
  status: 'ok';
  database: string;
  postgis: string;
}

export interface SettingsResponse {
  basemapUrl: string | null;
  cityCode: string;
  cityName: string;
}

export function fetchHealth(options?: RequestOptions): Promise<HealthResponse> {
  return getJson('/api/health', options);
}

export function fetchSettings(options?: RequestOptions): Promise<SettingsResponse> {
  return getJson('/api/settings', options);
}
