import { getJson, queryString, request, type RequestOptions } from '../http/request.js';
import type { BoundingBox, MultiPolygon } from '../map/geo-types.js';

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
