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
  /** Whether the signed-in user's scope covers it (names are not secret, figures are). */
  inScope?: boolean;
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
  /**
   * The parcel lies outside the user's scope: the server fills only what the map needs as context
   * (id, code, district, land use, area, extent, geometry) and leaves every other attribute null.
   */
  restricted?: boolean;
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

/** A district a user is responsible for ('350200' = the whole city). */
export interface UserScope {
  code: string;
  name: string;
}

/** The signed-in user, as `POST /api/auth/login` and `GET /api/auth/me` answer it. */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: string;
  scopes: UserScope[];
  /** The password was set by an administrator (or is the initial one): change it before working. */
  mustChangePassword: boolean;
}

export interface SessionResponse {
  user: SessionUser;
  csrfToken: string;
}

/** One account as the 用户管理 page lists it. */
export interface AdminUser {
  id: number;
  username: string;
  displayName: string;
  role: string;
  scopes: UserScope[];
  disabled: boolean;
  /** ISO time until which too many failed logins keep the account locked; null when not locked. */
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface AdminUsersResponse {
  items: AdminUser[];
}

export interface NewUser {
  username: string;
  displayName: string;
  role: string;
  /** District codes; the city code means every district. */
  scopes: string[];
  password: string;
}

export interface UserChange {
  displayName?: string;
  role?: string;
  scopes?: string[];
  disabled?: boolean;
  password?: string;
  unlock?: true;
}

export type AuditEntity = 'parcels' | 'districts' | 'users' | 'auth';
export type AuditAction =
  | 'insert'
  | 'update'
  | 'delete'
  | 'bulk_load'
  | 'login'
  | 'login_failed'
  | 'logout'
  | 'password_change'
  | 'locked';

/** One row of the audit log: who did what to which record, with the record before and after. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  requestId: string | null;
  /** Database row (snake_case keys) before the change; null for an insert or a login. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface AuditPage {
  items: AuditEntry[];
  total: number;
  page: number;
  pageSize: number;
}

export interface AuditQuery {
  actor?: string;
  entity?: string;
  action?: string;
  entityId?: string;
  /** 'YYYY-MM-DD' */
  from?: string;
  /** 'YYYY-MM-DD' */
  to?: string;
  page?: number;
  pageSize?: number;
}

export interface ParcelHistoryChange {
  key: string;
  before: unknown;
  after: unknown;
}

export interface ParcelHistoryEntry {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  changes: ParcelHistoryChange[];
}

export interface ParcelHistoryResponse {
  items: ParcelHistoryEntry[];
}

/**
 * The attributes an edit sends: only the changed ones, values as the API stores them (fractions
 * 0–1, dates 'YYYY-MM-DD', codes for enums, null to clear), plus the `updatedAt` the editor
 * started from so the server can refuse to overwrite someone else's save.
 */
export interface ParcelChange {
  [key: string]: string | number | boolean | null | undefined;
  expectedUpdatedAt?: string;
}

/**
 * A failed request, carrying the server's own message: the server writes its 4xx messages for the
 * official (in Chinese, saying what to fix), so the UI shows them as they are. `body` keeps the
 * rest of the answer (`district`, `fields`, `parameter`, `retryAfterSeconds`).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown> | null = null,
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

/** Name of the header that proves a write comes from this page (double-submit CSRF protection). */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The session, as far as this module needs it. The cookie itself is httpOnly (the browser sends
 * it); only the CSRF token lives here, in memory, so no script-readable storage holds a secret.
 */
const session: {
  csrfToken: string | null;
  onUnauthenticated: (() => void) | null;
  onPasswordChangeRequired: (() => void) | null;
} = {
  csrfToken: null,
  onUnauthenticated: null,
  onPasswordChangeRequired: null,
};

/**
 * Called whenever the server answers 401 because there is no (longer a) session: the app then
 * shows the login page. A wrong current password (401 `invalid_credentials`) is not such a case.
 */
export function onUnauthenticated(handler: (() => void) | null): void {
  session.onUnauthenticated = handler;
}

/**
 * Called when the server refuses work until the user replaces a password an administrator set
 * (403 `password_change_required`), e.g. after a reset while the user was signed in.
 */
export function onPasswordChangeRequired(handler: (() => void) | null): void {
  session.onPasswordChangeRequired = handler;
}

export function setCsrfToken(token: string | null): void {
  session.csrfToken = token;
}

function failureMessage(status: number, body: unknown): { code: string; message: string } {
  if (body && typeof body === 'object') {
    const { error, message } = body as { error?: unknown; message?: unknown };
    if (typeof message === 'string' && message) {
      return { code: typeof error === 'string' ? error : String(status), message };
    }
  }
  if (status === 401) return { code: 'unauthenticated', message: '请先登录' };
  if (status === 403) return { code: 'forbidden', message: '您没有执行此操作的权限' };
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

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** 401 for want of a session (not for a wrong password typed into a form). */
function isSessionMissing(status: number, code: string): boolean {
  return status === 401 && code !== 'invalid_credentials';
}

async function request<T>(method: Method, path: string, payload: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (payload !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.csrfToken) headers[CSRF_HEADER] = session.csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: payload === undefined ? undefined : JSON.stringify(payload),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    const error = new ApiError(0, 'network', NETWORK_FAILURE_MESSAGE);
    report(error, options);
    throw error;
  }
  const body = await readBody(response);
  if (!response.ok) {
    const { code, message } = failureMessage(response.status, body);
    const details = body && typeof body === 'object' ? (body as Record<string, unknown>) : null;
    const error = new ApiError(response.status, code, message, details);
    if (isSessionMissing(response.status, code)) {
      // The login page explains it; a toast on top would only repeat it.
      session.csrfToken = null;
      session.onUnauthenticated?.();
      throw error;
    }
    if (response.status === 403 && code === 'password_change_required') {
      session.onPasswordChangeRequired?.();
      throw error;
    }
    report(error, options);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  if (body === null) {
    const error = new ApiError(response.status, 'invalid_body', '服务器返回的数据无法解析');
    report(error, options);
    throw error;
  }
  return body as T;
}

function getJson<T>(path: string, options?: RequestOptions): Promise<T> {
  return request<T>('GET', path, undefined, options);
}

/** True when the failure is a cancelled request (a newer one replaced it), not an error to show. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function queryString(query: object): string {
  const parameters = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') parameters.set(key, String(value));
  }
  return parameters.toString();
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
  return getJson(`/api/parcels?${queryString(query)}`, options);
}

export function updateParcel(id: number, change: ParcelChange, options?: RequestOptions): Promise<ParcelDetail> {
  return request('PATCH', `/api/parcels/${encodeURIComponent(String(id))}`, change, options);
}

export function fetchParcelHistory(id: number, options?: RequestOptions): Promise<ParcelHistoryResponse> {
  return getJson(`/api/parcels/${encodeURIComponent(String(id))}/history`, options);
}

/** Signs in; the server sets the session cookie, the CSRF token is kept for later writes. */
export async function login(username: string, password: string, options?: RequestOptions): Promise<SessionResponse> {
  const answer = await request<SessionResponse>('POST', '/api/auth/login', { username, password }, options);
  session.csrfToken = answer.csrfToken;
  return answer;
}

/** The current session, if the cookie still holds one (a 401 otherwise, which signs out). */
export async function fetchSession(options?: RequestOptions): Promise<SessionResponse> {
  const answer = await getJson<SessionResponse>('/api/auth/me', options);
  session.csrfToken = answer.csrfToken;
  return answer;
}

export async function logout(options?: RequestOptions): Promise<void> {
  try {
    await request<void>('POST', '/api/auth/logout', undefined, options);
  } finally {
    session.csrfToken = null;
  }
}

export function changePassword(currentPassword: string, newPassword: string, options?: RequestOptions): Promise<void> {
  return request('POST', '/api/auth/password', { currentPassword, newPassword }, options);
}

export function fetchUsers(options?: RequestOptions): Promise<AdminUsersResponse> {
  return getJson('/api/admin/users', options);
}

export function createUser(user: NewUser, options?: RequestOptions): Promise<AdminUser> {
  return request('POST', '/api/admin/users', user, options);
}

export function updateUser(id: number, change: UserChange, options?: RequestOptions): Promise<AdminUser> {
  return request('PATCH', `/api/admin/users/${encodeURIComponent(String(id))}`, change, options);
}

export function fetchAudit(query: AuditQuery, options?: RequestOptions): Promise<AuditPage> {
  return getJson(`/api/admin/audit?${queryString(query)}`, options);
}
