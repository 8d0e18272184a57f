import type { AreaStatus } from '@domain/redevelopment-areas.js';
import type { AreaBody, AreaDetail, AreaList, AreaListQuery, AreaRecheck, AreaRestore, AreaReviseApproved, AreaRevision, AreaRevoke, AreaStatusChange, BoundaryFromFile, SavedCheckInput } from '@domain/api/areas.schemas.js';
import type { CheckAnswer, CheckBody } from '@domain/api/checks.schemas.js';
import type { ParcelFeatureCollection, ParcelsInBoxQuery } from '@domain/api/parcels.schemas.js';
import { queryString, request, type QueryWithDefaults, type RequestOptions } from '../http/request.js';

export type { AreaBody, AreaDetail, AreaList, AreaRecheck, AreaReview, AreaRevision, AreaSummary, AreaVersionSummary, BoundaryFromFile, PinnedVerdict, SavedCheckInput } from '@domain/api/areas.schemas.js';
export type { CheckAnswer, CheckBody, CheckedParcel, CheckFigures, CheckOverlap, CheckResult, PolygonFeatures } from '@domain/api/checks.schemas.js';
export type { ParcelFeatureCollection, ParcelFeatureProperties } from '@domain/api/parcels.schemas.js';

/** 总计容, 配套用房计容 and 工业厂房建筑面积 (m²) as a saved area carries them (null: not entered). */
export type FloorAreaFigures = SavedCheckInput['figures'];

/** Parcels of a box at full precision (at most 0.1° × 0.1°), for snapping and the live figures. */
export function fetchParcelGeoJson(bbox: [number, number, number, number], options?: RequestOptions): Promise<ParcelFeatureCollection> {
  const query: QueryWithDefaults<ParcelsInBoxQuery, 'limit'> = { bbox: bbox.map((value) => value.toFixed(6)).join(',') };
  return request('GET', `/api/parcels/geojson?${queryString(query)}`, undefined, options);
}

/** The server's authoritative check (PostGIS geography areas). */
export function runCheck(body: CheckBody, options?: RequestOptions): Promise<CheckAnswer> {
  return request('POST', '/api/checks', body, options);
}

export function fetchAreas(query: QueryWithDefaults<AreaListQuery, 'page' | 'pageSize'>, options?: RequestOptions): Promise<AreaList> {
  return request('GET', `/api/areas?${queryString(query)}`, undefined, options);
}

export function fetchArea(id: number, options?: RequestOptions): Promise<AreaDetail> {
  return request('GET', `/api/areas/${encodeURIComponent(String(id))}`, undefined, options);
}

export function fetchAreaVersion(id: number, version: number, options?: RequestOptions): Promise<AreaDetail> {
  return request('GET', `/api/areas/${encodeURIComponent(String(id))}/versions/${encodeURIComponent(String(version))}`, undefined, options);
}

export function createArea(body: AreaBody, options?: RequestOptions): Promise<AreaDetail> {
  return request('POST', '/api/areas', body, options);
}

/** A new version; 409 when someone saved since `baseVersion`. */
export function updateArea(id: number, body: AreaRevision, options?: RequestOptions): Promise<AreaDetail> {
  return request('PUT', `/api/areas/${encodeURIComponent(String(id))}`, body, options);
}

export function restoreAreaVersion(id: number, version: number, baseVersion: number, options?: RequestOptions): Promise<AreaDetail> {
  const body: AreaRestore = { version, baseVersion };
  return request('POST', `/api/areas/${encodeURIComponent(String(id))}/restore`, body, options);
}

export function changeAreaStatus(id: number, status: AreaStatus, note: string | undefined, options?: RequestOptions): Promise<AreaDetail> {
  const body: AreaStatusChange = note ? { status, note } : { status };
  return request('POST', `/api/areas/${encodeURIComponent(String(id))}/status`, body, options);
}

/** 撤销批准 (officials): the reason is required. */
export function revokeApproval(id: number, reason: string, options?: RequestOptions): Promise<AreaDetail> {
  const body: AreaRevoke = { reason };
  return request('POST', `/api/areas/${encodeURIComponent(String(id))}/revoke`, body, options);
}

/** 开始修订 of an approved area: a new draft version; the approved one stays. */
export function reviseApproved(id: number, baseVersion: number, options?: RequestOptions): Promise<AreaDetail> {
  const body: AreaReviseApproved = { baseVersion };
  return request('POST', `/api/areas/${encodeURIComponent(String(id))}/revise`, body, options);
}

/** 按最新规则复核: the pinned verdict beside the current rules' (writes nothing). */
export function recheckArea(id: number, options?: RequestOptions): Promise<AreaRecheck> {
  return request('GET', `/api/areas/${encodeURIComponent(String(id))}/recheck`, undefined, options);
}

export function deleteArea(id: number, options?: RequestOptions): Promise<void> {
  return request('DELETE', `/api/areas/${encodeURIComponent(String(id))}`, undefined, options);
}

/** A zipped Shapefile's polygons, read by the server (GDAL) and merged into one boundary. */
export function boundaryFromFile(file: File, options?: RequestOptions): Promise<BoundaryFromFile> {
  const form = new FormData();
  form.append('file', file, file.name);
  return request('POST', '/api/areas/boundary-from-file', form, options);
}
