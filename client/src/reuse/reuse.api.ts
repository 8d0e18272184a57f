import type { CaseReuse, DistrictCounts, LedgerBody, PlanCompare, PlanSubmitBody, ReuseDetail, ReuseStepBodies, ReuseTodo, TrackingBody } from '@domain/api/reuse.schemas.js';
import type { ReuseActionStep } from '@domain/reuse/steps.js';
import { getJson, request, type RequestOptions } from '../http/request.js';

export type { CaseReuse, Clock, CountRow, DistrictCounts, PlanCompare, PlanSnapshot, PlanVersion, ReuseDetail, ReuseStep, ReuseTodo } from '@domain/api/reuse.schemas.js';

const id = (value: number) => encodeURIComponent(String(value));

export function fetchCaseReuse(caseId: number, options?: RequestOptions): Promise<CaseReuse> {
  return getJson(`/api/reuse/cases/${id(caseId)}`, options);
}

export function submitPlan(caseId: number, body: PlanSubmitBody, options?: RequestOptions): Promise<ReuseDetail> {
  return request('POST', `/api/reuse/cases/${id(caseId)}/plans`, body, options);
}

export function takeReuseStep<S extends Exclude<ReuseActionStep, 'plan_submitted'>>(projectId: number, step: S, body: ReuseStepBodies[S], options?: RequestOptions): Promise<ReuseDetail> {
  return request('POST', `/api/reuse/projects/${id(projectId)}/steps/${step}`, body, options);
}

export function fetchCompare(projectId: number, from: number, to: number, options?: RequestOptions): Promise<PlanCompare> {
  return getJson(`/api/reuse/projects/${id(projectId)}/compare?from=${from}&to=${to}`, options);
}

export function addTracking(projectId: number, body: TrackingBody, options?: RequestOptions): Promise<ReuseDetail> {
  return request('POST', `/api/reuse/projects/${id(projectId)}/tracking`, body, options);
}

export function putLedger(projectId: number, body: LedgerBody, options?: RequestOptions): Promise<ReuseDetail> {
  return request('PUT', `/api/reuse/projects/${id(projectId)}/ledger`, body, options);
}

export function fetchReuseTodo(options?: RequestOptions): Promise<ReuseTodo> {
  return getJson('/api/reuse/todo', options);
}

/** 区县统计: 认定 and 再利用 cases per district, step and deadline state. */
export function fetchDistrictCounts(options?: RequestOptions): Promise<DistrictCounts> {
  return getJson('/api/reuse/district-counts', options);
}

export function agreementUrl(projectId: number): string {
  return `/api/reuse/projects/${id(projectId)}/agreement.pdf`;
}

export type { CreditList, CreditListEntry } from '@domain/api/reuse.schemas.js';

export function fetchCreditList(options?: RequestOptions): Promise<import('@domain/api/reuse.schemas.js').CreditList> {
  return getJson('/api/reuse/credit-list', options);
}

/** 附件3: the 甲方 lists the 用地单位 whose 再利用方案 is overdue. */
export function listPlanOverdue(caseId: number, reason: string): Promise<unknown> {
  return request('POST', `/api/reuse/cases/${id(caseId)}/credit-listing`, { reason });
}

/** An official takes a 用地单位 off the 信用异常名单, with the reason. */
export function removeCreditListing(listingId: number, reason: string): Promise<unknown> {
  return request('POST', `/api/reuse/credit-list/${id(listingId)}/removal`, { reason });
}

export const CREDIT_LIST_XLSX_URL = '/api/reuse/credit-list.xlsx';
