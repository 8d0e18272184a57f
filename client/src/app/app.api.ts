import type { Health } from '@domain/api/health.schemas.js';
import type { ClientSettings } from '@domain/api/settings.schemas.js';
import { getJson, type RequestOptions } from '../http/request.js';

export type { Health } from '@domain/api/health.schemas.js';
export type { ClientSettings } from '@domain/api/settings.schemas.js';

export function fetchHealth(options?: RequestOptions): Promise<Health> {
  return getJson('/api/health', options);
}

export function fetchSettings(options?: RequestOptions): Promise<ClientSettings> {
  return getJson('/api/settings', options);
}
