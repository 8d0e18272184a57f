import { ElMessage } from 'element-plus';

/** [minLon, minLat, maxLon, maxLat] in degrees (CGCS2000 ≈ WGS84). */
export type BoundingBox = [number, number, number, number];

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

export interface District {
  code: string;
  name: string;
  level: 'city' | 'district';
  parentCode: string | null;
  bbox: BoundingBox;
  areaM2: number;
}

export interface DistrictsResponse {
  items: District[];
}

export type { DistrictStats, StatusFigure, TypeFigure } from '@domain/district-figures.js';
import type { DistrictStats } from '@domain/district-figures.js';

export interface MultiPolygon {
  type: 'MultiPolygon';
  coordinates: number[][][][];
}

/** One parcel (一宗一卡). Every attribute may be missing in the survey, hence `| null`. */
export interface ParcelDetail {
  id: number;
  code: string | null;
  districtCode: string | null;
  districtName: string | null;
  owner: string | null;
  townOrPark: string | null;
  location: string | null;
  registeredAreaM2: number | null;
  areaM2: number | null;
  contractNo: string | null;
  certificateNo: string | null;
  landUseCode: string | null;
  plannedFunction: string | null;
  industryCode: string | null;
  floorAreaM2: number | null;
  floorAreaRatio: number | null;
  buildingCoverage: number | null;
  investmentIntensity: number | null;
  outputPerMu: number | null;
  taxPerMu: number | null;
  productionStart: string | null;
  productionStop: string | null;
  adminFacilityShare: number | null;
  undevelopedAreaM2: number | null;
  meetsSafety: boolean | null;
  meetsEnvironment: boolean | null;
  meetsEnergy: boolean | null;
  status: string | null;
  inefficiencyType: string | null;
  identifiedAt: string | null;
  redevelopmentIntent: string | null;
  evaluationGrade: string | null;
  bbox: BoundingBox | null;
  geometry: MultiPolygon | null;
  updatedAt: string | null;
}

export interface ParcelSummary {
  id: number;
  code: string | null;
  owner: string | null;
  districtCode: string | null;
  status: string | null;
  inefficiencyType: string | null;
  areaM2: number | null;
}

export interface ParcelPage {
  items: ParcelSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ParcelQuery {
  district?: string;
  status?: string;
  type?: string;
  page?: number;
  pageSize?: number;
}

/**
 * A failed request, carrying the server's own message: the server writes its 4xx messages for the
 * official (in Chinese, saying what to fix), so the UI shows them as they are.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  /** Do not pop up a message; the caller shows the failure in place (e.g. an error panel). */
  quiet?: boolean;
  signal?: AbortSignal;
}

const NETWORK_FAILURE_MESSAGE = '无法连接服务器，请检查网络或稍后重试';

function failureMessage(status: number, body: unknown): { code: string; message: string } {
  if (body && typeof body === 'object') {
    const { error, message } = body as { error?: unknown; message?: unknown };
    if (typeof message === 'string' && message) {
      return { code: typeof error === 'string' ? error : String(status), message };
    }
  }
  if (status === 404) return { code: 'not_found', message: '请求的数据不存在' };
  if (status === 502 || status === 503 || status === 504) {
    return { code: 'unavailable', message: `数据服务暂不可用（${status}），请确认服务已启动后重试` };
  }
  if (status >= 500) return { code: 'server_error', message: `服务器内部错误（${status}），请稍后重试` };
  return { code: String(status), message: `请求失败（${status}）` };
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function report(error: ApiError, options: RequestOptions): void {
  if (options.quiet) return;
  ElMessage({ type: 'error', message: error.message, grouping: true, showClose: true });
}

async function getJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' }, signal: options.signal });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    const error = new ApiError(0, 'network', NETWORK_FAILURE_MESSAGE);
    report(error, options);
    throw error;
  }
  const body = await readBody(response);
  if (!response.ok) {
    const { code, message } = failureMessage(response.status, body);
    const error = new ApiError(response.status, code, message);
    report(error, options);
    throw error;
  }
  if (body === null) {
    const error = new ApiError(response.status, 'invalid_body', '服务器返回的数据无法解析');
    report(error, options);
    throw error;
  }
  return body as T;
}

/** True when the failure is a cancelled request (a newer one replaced it), not an error to show. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function fetchHealth(options?: RequestOptions): Promise<HealthResponse> {
  return getJson('/api/health', options);
}

export function fetchSettings(options?: RequestOptions): Promise<SettingsResponse> {
  return getJson('/api/settings', options);
}

export function fetchDistricts(options?: RequestOptions): Promise<DistrictsResponse> {
  return getJson('/api/districts', options);
}

export function fetchDistrictStats(code: string, options?: RequestOptions): Promise<DistrictStats> {
  return getJson(`/api/districts/${encodeURIComponent(code)}/stats`, options);
}

export function fetchParcel(id: number, options?: RequestOptions): Promise<ParcelDetail> {
  return getJson(`/api/parcels/${encodeURIComponent(String(id))}`, options);
}

export function fetchParcels(query: ParcelQuery, options?: RequestOptions): Promise<ParcelPage> {
  const parameters = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') parameters.set(key, String(value));
  }
  return getJson(`/api/parcels?${parameters.toString()}`, options);
}
