import type {
  GradeExplanation, GradingRun, GradingRunList, GradingScheme, GradingSchemeList, GradingSchemeRevision,
} from '@domain/api/grading.schemas.js';
import { getJson, request, type RequestOptions } from '../http/request.js';

export type { GradeExplanation, GradingRun, GradingScheme, GradingSchemeRevision } from '@domain/api/grading.schemas.js';

export function fetchGradingSchemes(district?: string, options?: RequestOptions): Promise<GradingSchemeList> {
  return getJson(`/api/grading-schemes${district ? `?district=${encodeURIComponent(district)}` : ''}`, options);
}

export function fetchGradingSchemeVersions(district: string, options?: RequestOptions): Promise<GradingSchemeList> {
  return getJson(`/api/grading-schemes/${encodeURIComponent(district)}/versions`, options);
}

export function reviseGradingScheme(district: string, revision: GradingSchemeRevision, options?: RequestOptions): Promise<GradingScheme> {
  return request('PUT', `/api/grading-schemes/${encodeURIComponent(district)}`, revision, options);
}

export function runGrading(districtCode: string, options?: RequestOptions): Promise<GradingRun> {
  return request('POST', '/api/grading-runs', { districtCode }, options);
}

export function fetchGradingRuns(district?: string, options?: RequestOptions): Promise<GradingRunList> {
  return getJson(`/api/grading-runs${district ? `?district=${encodeURIComponent(district)}` : ''}`, options);
}

export function fetchGradeExplanation(parcelId: number, options?: RequestOptions): Promise<GradeExplanation> {
  return getJson(`/api/parcels/${encodeURIComponent(String(parcelId))}/grade`, options);
}
