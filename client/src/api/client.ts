import { ElMessage } from 'element-plus';
import type { ImportKind } from '@domain/import/field-mapping.js';
import type { Rule, RuleSet } from '@domain/rules/rules.js';

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

export type { ImportKind } from '@domain/import/field-mapping.js';

export type ImportStatus = 'processing' | 'needs-input' | 'ready' | 'committing' | 'committed' | 'failed' | 'refused' | 'cancelled';
export type ImportPhase = 'upload' | 'read' | 'validate' | 'commit' | 'done';
/** What the server's check made of one feature: kept as is, repaired (self-intersection, duplicate vertices), or refused. */
export type ImportFeatureStatus = 'valid' | 'repaired' | 'rejected';

export interface ImportEncodingGuess {
  encoding: string;
  confidence: number;
  /** 'cpg' | 'ldid' | 'bytes' | 'default' | 'user' */
  source: string;
  reason: string;
}

export interface ImportCrsGuess {
  srid: number | null;
  label: string;
  confidence: number;
  /** 'prj' | 'gdb' | 'geojson' | 'coordinates' | 'user' | 'butiao' */
  source: string;
  reason: string;
  /** 西安80, 北京54 or an unknown projection: the import cannot go on with this CRS. */
  refused?: { reason: string; message: string };
}

/** One layer of an upload (a shapefile, a geodatabase feature class, a GeoJSON or 部标 file). */
export interface ImportLayer {
  id: string;
  name: string;
  format: string;
  gdalLayer: string | null;
  geometryType: string;
  featureCount: number;
  fields: { name: string; type: string }[];
  /** In the file's own coordinates (metres for Gauss-Kruger), not degrees. */
  extent: { minX: number; minY: number; maxX: number; maxY: number } | null;
  selected: boolean;
  /** Why the layer cannot be imported (not polygons, unreadable); null when it can. */
  skipped: { reason: string; message: string } | null;
  encoding: ImportEncodingGuess | null;
  crs: ImportCrsGuess | null;
  crsCheck: { consistent: boolean; reason?: string; message?: string; suggestedSrid?: number | null } | null;
  /** Source field → target key (SURVEY_FIELDS or PARCEL_IMPORT_FIELDS), null = kept as an extra attribute. */
  mapping: Record<string, string | null> | null;
  units: Record<string, string> | null;
}

/** The question the import is waiting on; `proposal` is an EPSG code (srid) or an encoding name. */
export interface ImportNeeds {
  what: 'srid' | 'encoding';
  layer: string;
  proposal: number | string | null;
  message: string;
}

export interface SurveyCommitResult {
  kind: 'survey';
  year: number;
  layerId: number;
  features: number;
  /** The layer of the same year this one replaced (kept for reference), or null. */
  supersededLayerId: number | null;
}

/**
 * One imported 变更调查 layer (DLTB) as `GET /api/survey-layers` lists it. A re-import of a year
 * supersedes the earlier layer, which stays on record (`current` false) but has no tiles.
 */
export interface SurveyLayer {
  id: number;
  year: number;
  layerName: string;
  featureCount: number;
  sourceSrid: number | null;
  importedBy: string;
  importedAt: string;
  current: boolean;
  /** Path of the year's TileJSON (`/tiles/survey-2023.json`); null for a superseded layer. */
  tileJson: string | null;
}

export interface SurveyLayersResponse {
  items: SurveyLayer[];
  legend: { code: string; label: string; color: string }[];
}

export interface ParcelCommitResult {
  kind?: 'parcels';
  inserted: number;
  updated: number;
  /** Outside the importer's districts, or outside every district. */
  skipped: number;
  problems: { fid: number; message: string }[];
}

export type ImportCommitResult = SurveyCommitResult | ParcelCommitResult;

export interface ImportReport {
  features: number;
  valid: number;
  repaired: number;
  rejected: number;
  warnings: { layer: string; message: string; count?: number }[];
  errors: { layer: string; reason: string; message: string }[];
  /** Features that were repaired, rejected or carry a note (first 200 per layer). */
  samples: { layer: string; fid: number; status: ImportFeatureStatus; messages: string[] | null; bsm: string | null }[];
  commit?: ImportCommitResult;
}

/** `GET /api/imports/{id}`: an upload on its way from staging to the database. */
export interface ImportState {
  id: string;
  kind: ImportKind;
  year: number | null;
  fileName: string;
  fileSize: number;
  status: ImportStatus;
  phase: ImportPhase;
  /** 0–1 within the phase. */
  progress: number;
  layers: ImportLayer[];
  detected: {
    srid: number | null;
    encoding: string | null;
    confidence: number;
    crs: ImportCrsGuess | null;
    encodingGuess: ImportEncodingGuess | null;
  };
  needs: ImportNeeds | null;
  report: ImportReport;
  error: { reason: string; message: string } | null;
  createdBy: string;
  createdAt: string;
  committedAt: string | null;
}

export interface ImportsResponse {
  items: ImportState[];
}

/** The answer to `needs-input`, or a changed guess; the server reads the file again with it. */
export interface ImportAnswer {
  srid?: number;
  encoding?: string;
  /** Ids of the layers to import. */
  layers?: string[];
  year?: number;
  /** Applies to every layer of the import (fields are matched by name). */
  mapping?: Record<string, string | null>;
}

export interface ImportUploadFields {
  kind: ImportKind;
  year?: number;
  srid?: number;
  encoding?: string;
}

export interface ImportFeature {
  type: 'Feature';
  /** The feature's number in its layer (fid). */
  id: number;
  geometry: MultiPolygon | null;
  /** The decoded source attributes plus `area_m2`, `status` and `messages`. */
  properties: Record<string, unknown> & { status: ImportFeatureStatus | null; messages: string[] | null; area_m2: number | null };
}

export interface ImportFeatureCollection {
  type: 'FeatureCollection';
  layer: string;
  total: number;
  page: number;
  pageSize: number;
  features: ImportFeature[];
}

export interface ImportFeatureQuery {
  layer?: string;
  status?: ImportFeatureStatus;
  page?: number;
  /** At most 5000. */
  pageSize?: number;
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
  return parseJson(await response.text());
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

/**
 * One API request with the session's CSRF token on writes; a `FormData` payload goes as multipart
 * (the browser sets its boundary), anything else as JSON. Exported for the API modules of pages
 * (api/areas.ts) so they share the error handling above.
 */
export async function request<T>(method: Method, path: string, payload: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const form = payload instanceof FormData;
  if (payload !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.csrfToken) headers[CSRF_HEADER] = session.csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: payload === undefined ? undefined : form ? payload : JSON.stringify(payload),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    const error = new ApiError(0, 'network', NETWORK_FAILURE_MESSAGE);
    report(error, options);
    throw error;
  }
  return answered<T>(response.status, await readBody(response), options);
}

/**
 * Turns an answer into its body or a thrown ApiError, for fetch and XMLHttpRequest alike: a lost
 * session signs out, a forced password change opens its dialog, anything else is reported.
 */
function answered<T>(status: number, body: unknown, options: RequestOptions): T {
  if (status < 200 || status >= 300) {
    const { code, message } = failureMessage(status, body);
    const details = body && typeof body === 'object' ? (body as Record<string, unknown>) : null;
    const error = new ApiError(status, code, message, details);
    if (isSessionMissing(status, code)) {
      // The login page explains it; a toast on top would only repeat it.
      session.csrfToken = null;
      session.onUnauthenticated?.();
      throw error;
    }
    if (status === 403 && code === 'password_change_required') {
      session.onPasswordChangeRequired?.();
      throw error;
    }
    report(error, options);
    throw error;
  }
  if (status === 204) return undefined as T;
  if (body === null) {
    const error = new ApiError(status, 'invalid_body', '服务器返回的数据无法解析');
    report(error, options);
    throw error;
  }
  return body as T;
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function getJson<T>(path: string, options?: RequestOptions): Promise<T> {
  return request<T>('GET', path, undefined, options);
}

/** True when the failure is a cancelled request (a newer one replaced it), not an error to show. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function queryString(query: object): string {
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

export function fetchSurveyLayers(options?: RequestOptions): Promise<SurveyLayersResponse> {
  return getJson('/api/survey-layers', options);
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

/** One version of a policy rule set (规则集); every revision is a new version, old ones stay. */
export interface StoredRuleSet extends RuleSet {
  /** 修订说明. */
  note: string | null;
  createdBy: string;
  createdAt: string;
}

export interface RuleSetsResponse {
  items: StoredRuleSet[];
}

/** The body of a revision: the server numbers the version. */
export interface RuleSetRevision {
  city: string;
  name: string;
  rules: Rule[];
  note?: string;
}

/** The current version of every rule set. */
export function fetchRuleSets(options?: RequestOptions): Promise<RuleSetsResponse> {
  return getJson('/api/rule-sets', options);
}

/** Every version of one rule set, newest first. */
export function fetchRuleSetVersions(id: string, options?: RequestOptions): Promise<RuleSetsResponse> {
  return getJson(`/api/rule-sets/${encodeURIComponent(id)}/versions`, options);
}

/** Saves a new version (400 `invalid_rule_set` with `problems`, 403 for non-administrators). */
export function reviseRuleSet(id: string, revision: RuleSetRevision, options?: RequestOptions): Promise<StoredRuleSet> {
  return request('PUT', `/api/rule-sets/${encodeURIComponent(id)}`, revision, options);
}

export interface UploadOptions extends RequestOptions {
  /** Fraction (0–1) of the file sent so far. */
  onProgress?: (fraction: number) => void;
}

/**
 * Uploads a file for import. XMLHttpRequest rather than fetch: only it reports upload progress.
 * The form fields go before the file, because the server decides how to read the file from them
 * while the file is still streaming in.
 */
export function uploadImport(file: File, fields: ImportUploadFields, options: UploadOptions = {}): Promise<{ id: string }> {
  const form = new FormData();
  form.append('kind', fields.kind);
  if (fields.year !== undefined) form.append('year', String(fields.year));
  if (fields.srid !== undefined) form.append('srid', String(fields.srid));
  if (fields.encoding !== undefined) form.append('encoding', fields.encoding);
  form.append('file', file, file.name);

  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/imports');
    xhr.setRequestHeader('Accept', 'application/json');
    if (session.csrfToken) xhr.setRequestHeader(CSRF_HEADER, session.csrfToken);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      try {
        resolve(answered<{ id: string }>(xhr.status, parseJson(xhr.responseText), options));
      } catch (error) {
        reject(error);
      }
    });
    xhr.addEventListener('error', () => {
      const error = new ApiError(0, 'network', NETWORK_FAILURE_MESSAGE);
      report(error, options);
      reject(error);
    });
    xhr.addEventListener('abort', () => reject(new DOMException('上传已取消', 'AbortError')));
    if (options.signal?.aborted) {
      reject(new DOMException('上传已取消', 'AbortError'));
      return;
    }
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

export function fetchImports(options?: RequestOptions): Promise<ImportsResponse> {
  return getJson('/api/imports', options);
}

export function fetchImport(id: string, options?: RequestOptions): Promise<ImportState> {
  return getJson(`/api/imports/${encodeURIComponent(id)}`, options);
}

export function answerImport(id: string, answer: ImportAnswer, options?: RequestOptions): Promise<ImportState> {
  return request('POST', `/api/imports/${encodeURIComponent(id)}`, answer, options);
}

/** Writes the staged features to the database in one transaction; answers once it is done. */
export function commitImport(id: string, options?: RequestOptions): Promise<ImportState & { result: ImportCommitResult }> {
  return request('POST', `/api/imports/${encodeURIComponent(id)}/commit`, undefined, options);
}

/** Drops everything staged; nothing of the upload stays. */
export function cancelImport(id: string, options?: RequestOptions): Promise<void> {
  return request('DELETE', `/api/imports/${encodeURIComponent(id)}`, undefined, options);
}

export function fetchImportFeatures(id: string, query: ImportFeatureQuery, options?: RequestOptions): Promise<ImportFeatureCollection> {
  return getJson(`/api/imports/${encodeURIComponent(id)}/features?${queryString(query)}`, options);
}
