import type { MultiPolygon, Polygon } from 'geojson';
import type { AreaStatus, RedevelopmentMode } from '@domain/redevelopment-areas.js';
import type { CheckAnswer } from '@domain/rules/check-answer.js';
import { queryString, request, type RequestOptions } from '../http/request.js';

/** Shapes drawn inside an area (零星用地, 配套用房 land), as the checks body carries them. */
export interface PolygonFeatureCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; geometry: Polygon | MultiPolygon; properties: Record<string, unknown> | null }[];
}

export interface FloorAreaFigures {
  /** 总计容建筑面积, m². */
  totalFloorArea: number | null;
  /** 配套用房计容建筑面积, m². */
  supportingFloorArea: number | null;
  /** 工业厂房建筑面积, m². */
  factoryFloorArea: number | null;
}

/** `POST /api/checks`: an area as drawn, to be checked against a rule set. */
export interface CheckBody {
  ruleSet: string;
  ruleSetVersion?: number;
  boundary: Polygon | MultiPolygon;
  fragments?: PolygonFeatureCollection;
  supportingLand?: PolygonFeatureCollection;
  /** Parcels taken in; omitted = every parcel meeting the boundary. */
  parcels?: number[];
  fragmentParcels?: number[];
  uncoveredIsFragment?: boolean;
  /** Entered floor areas; a figure not entered is left out. */
  figures?: Partial<FloorAreaFigures>;
  /** A saved area to leave out of the overlap figure (the one being revised). */
  excludeArea?: number;
}

export type { CheckAnswer, CheckedParcel, CheckFigures, CheckOverlap } from '@domain/rules/check-answer.js';

export interface AreaSummary {
  id: number;
  name: string;
  districtCode: string | null;
  districtName: string | null;
  status: AreaStatus;
  version: number;
  ruleSetId: string;
  ruleSetVersion: number;
  areaM2: number;
  /** Every check passes (null: some check undecided). */
  pass: boolean | null;
  updatedAt: string;
  updatedBy: string;
}

export interface AreaList {
  items: AreaSummary[];
  total: number;
}

export interface AreaVersionSummary {
  version: number;
  savedAt: string;
  savedBy: string;
  note: string | null;
  areaM2: number;
  pass: boolean | null;
  ruleSetVersion: number;
}

export interface SavedArea {
  id: number;
  name: string;
  districtCode: string | null;
  districtName: string | null;
  status: AreaStatus;
  version: number;
  mode: RedevelopmentMode;
  modeOther: string | null;
  targetLandUse: string | null;
  /** The checks body as saved. */
  input: CheckBody;
  /** The check answer saved with it. */
  result: CheckAnswer;
  versions?: AreaVersionSummary[];
}

export interface AreaBody extends CheckBody {
  name: string;
  mode: RedevelopmentMode;
  modeOther?: string;
  targetLandUse?: string;
  /** 修订说明 of this version. */
  note?: string;
}

export interface ParcelFeatureProperties {
  id: number;
  code: string | null;
  districtCode: string | null;
  areaM2: number;
  status: string | null;
  type: string | null;
  restricted: boolean;
}

export interface ParcelFeatureCollection {
  type: 'FeatureCollection';
  truncated?: boolean;
  features: { type: 'Feature'; id: number; properties: ParcelFeatureProperties; geometry: Polygon | MultiPolygon }[];
}

export interface BoundaryFromFile {
  boundary: MultiPolygon;
  features: number;
  sourceCrs: string;
}

/** Parcels of a box at full precision (at most 0.1° × 0.1°), for snapping and the live figures. */
export function fetchParcelGeoJson(bbox: [number, number, number, number], options?: RequestOptions): Promise<ParcelFeatureCollection> {
  const box = bbox.map((value) => value.toFixed(6)).join(',');
  return request('GET', `/api/parcels/geojson?${queryString({ bbox: box })}`, undefined, options);
}

/** The server's authoritative check (PostGIS geography areas). */
export function runCheck(body: CheckBody, options?: RequestOptions): Promise<CheckAnswer> {
  return request('POST', '/api/checks', body, options);
}

export function fetchAreas(query: { district?: string; status?: string }, options?: RequestOptions): Promise<AreaList> {
  return request('GET', `/api/areas?${queryString(query)}`, undefined, options);
}

export function fetchArea(id: number, options?: RequestOptions): Promise<SavedArea> {
  return request('GET', `/api/areas/${encodeURIComponent(String(id))}`, undefined, options);
}

export function fetchAreaVersion(id: number, version: number, options?: RequestOptions): Promise<SavedArea> {
  return request('GET', `/api/areas/${encodeURIComponent(String(id))}/versions/${encodeURIComponent(String(version))}`, undefined, options);
}

export function createArea(body: AreaBody, options?: RequestOptions): Promise<SavedArea> {
  return request('POST', '/api/areas', body, options);
}

/** A new version; 409 when someone saved since `baseVersion`. */
export function updateArea(id: number, body: AreaBody & { baseVersion: number }, options?: RequestOptions): Promise<SavedArea> {
  return request('PUT', `/api/areas/${encodeURIComponent(String(id))}`, body, options);
}

export function restoreAreaVersion(id: number, version: number, baseVersion: number, options?: RequestOptions): Promise<SavedArea> {
  return request('POST', `/api/areas/${encodeURIComponent(String(id))}/restore`, { version, baseVersion }, options);
}

export function changeAreaStatus(id: number, status: AreaStatus, note: string | undefined, options?: RequestOptions): Promise<SavedArea> {
  return request('POST', `/api/areas/${encodeURIComponent(String(id))}/status`, note ? { status, note } : { status }, options);
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
