import type {
  ApplySubmissionBody, CaseDetail, CaseListQuery, CasePage, OpenCaseBody, ParcelCases, StepBodies,
} from '@domain/api/identification.schemas.js';
import type { ActionStep } from '@domain/identification/steps.js';
import { getJson, request, type RequestOptions } from '../http/request.js';

export type { CaseDetail, CasePage, CaseStep, CaseSummary, NextAction, ParcelCases, StepBodies, SurveySubmission } from '@domain/api/identification.schemas.js';

export function fetchCases(query: Partial<CaseListQuery>, options?: RequestOptions): Promise<CasePage> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  return getJson(`/api/identification/cases?${params.toString()}`, options);
}

export function fetchMyCases(options?: RequestOptions): Promise<ParcelCases> {
  return getJson('/api/identification/my-cases', options);
}

export function fetchCase(id: number, options?: RequestOptions): Promise<CaseDetail> {
  return getJson(`/api/identification/cases/${encodeURIComponent(String(id))}`, options);
}

export function fetchParcelCases(parcelId: number, options?: RequestOptions): Promise<ParcelCases> {
  return getJson(`/api/parcels/${encodeURIComponent(String(parcelId))}/identification`, options);
}

export function openCase(body: OpenCaseBody, options?: RequestOptions): Promise<CaseDetail> {
  return request('POST', '/api/identification/cases', body, options);
}

export function takeStep<S extends ActionStep>(id: number, step: S, body: StepBodies[S], options?: RequestOptions): Promise<CaseDetail> {
  return request('POST', `/api/identification/cases/${encodeURIComponent(String(id))}/steps/${step}`, body, options);
}

export function applySubmission(id: number, submissionId: number, body: ApplySubmissionBody, options?: RequestOptions): Promise<CaseDetail> {
  return request('POST', `/api/identification/cases/${encodeURIComponent(String(id))}/submissions/${encodeURIComponent(String(submissionId))}/apply`, body, options);
}

/** `#/identification?case=12` → 12; anything else null (the list). */
export function caseIdFromHash(hash: string): number | null {
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
  const id = Number(new URLSearchParams(query).get('case'));
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export function caseHash(id: number | null): string {
  return id === null ? '#/identification' : `#/identification?case=${id}`;
}

/** `#/identification?tab=annex11` → the 汇总表 tab; anything else the cases. */
export type IdentificationTab = 'cases' | 'todo' | 'counts' | 'annex11' | 'annex12' | 'annex13' | 'credit';
const TABS: readonly IdentificationTab[] = ['cases', 'todo', 'counts', 'annex11', 'annex12', 'annex13', 'credit'];

export function tabFromHash(hash: string): IdentificationTab {
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
  const tab = new URLSearchParams(query).get('tab');
  return TABS.find((entry) => entry === tab) ?? 'cases';
}
