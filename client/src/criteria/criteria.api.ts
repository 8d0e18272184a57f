import type {
  CriteriaDecision, CriteriaRun, CriteriaRunList, CriteriaRunParcel, CriteriaRunParcelPage, CriteriaSet, CriteriaSetCreate, CriteriaSetEdit,
  CriteriaSetList, CriteriaSetStep, CriteriaSetVersionList,
} from '@domain/api/criteria.schemas.js';
import { getJson, request, type RequestOptions } from '../http/request.js';

export type { CriteriaRun, CriteriaRunParcel, CriteriaSet, CriteriaSetVersion, Criterion } from '@domain/api/criteria.schemas.js';

const districtQuery = (district?: string) => (district ? `?district=${encodeURIComponent(district)}` : '');

export function fetchCriteriaSets(district?: string, options?: RequestOptions): Promise<CriteriaSetList> {
  return getJson(`/api/criteria-sets${districtQuery(district)}`, options);
}

export function fetchCriteriaSetVersions(id: number, options?: RequestOptions): Promise<CriteriaSetVersionList> {
  return getJson(`/api/criteria-sets/${id}/versions`, options);
}

export function createCriteriaSet(body: CriteriaSetCreate, options?: RequestOptions): Promise<CriteriaSet> {
  return request('POST', '/api/criteria-sets', body, options);
}

export function editCriteriaSet(id: number, body: CriteriaSetEdit, options?: RequestOptions): Promise<CriteriaSet> {
  return request('PUT', `/api/criteria-sets/${id}`, body, options);
}

export function stepCriteriaSet(id: number, body: CriteriaSetStep, options?: RequestOptions): Promise<CriteriaSet> {
  return request('POST', `/api/criteria-sets/${id}/state`, body, options);
}

export function runCriteria(districtCode: string, options?: RequestOptions): Promise<CriteriaRun> {
  return request('POST', '/api/criteria-runs', { districtCode }, options);
}

export function fetchCriteriaRuns(district?: string, options?: RequestOptions): Promise<CriteriaRunList> {
  return getJson(`/api/criteria-runs${districtQuery(district)}`, options);
}

export function fetchRunParcels(id: number, filter: 'flagged' | 'incomplete' | 'all', page: number, options?: RequestOptions): Promise<CriteriaRunParcelPage> {
  return getJson(`/api/criteria-runs/${id}?filter=${filter}&page=${page}&pageSize=50`, options);
}

export function decideRunParcel(runId: number, parcelId: number, body: CriteriaDecision, options?: RequestOptions): Promise<CriteriaRunParcel> {
  return request('POST', `/api/criteria-runs/${runId}/parcels/${parcelId}/decision`, body, options);
}
