import type {
  Ledger, LedgerQuery, MilestoneCreate, MilestonePatch, PlanCreate, PlanDetail, PlanList, PlanListQuery, PlanPolicyVersions, PlanTransition, ProjectCreate, ProjectPatch,
} from '@domain/api/annual-plans.schemas.js';
import type { PlanReportKind } from '@domain/annual-plans.js';
import { getJson, queryString, request, type RequestOptions } from '../http/request.js';

export type { Ledger, LedgerRow, Milestone, Plan, PlanDetail, PlanList, PlanProject } from '@domain/api/annual-plans.schemas.js';

export function fetchPlans(query: PlanListQuery, options?: RequestOptions): Promise<PlanList> {
  return getJson(`/api/annual-plans?${queryString(query)}`, options);
}

export function fetchPlan(id: number, options?: RequestOptions): Promise<PlanDetail> {
  return getJson(`/api/annual-plans/${id}`, options);
}

export function fetchLedger(query: LedgerQuery, options?: RequestOptions): Promise<Ledger> {
  return getJson(`/api/annual-plans/ledger?${queryString(query)}`, options);
}

export function fetchPlanPolicy(options?: RequestOptions): Promise<PlanPolicyVersions> {
  return getJson('/api/annual-plans/policy', options);
}

export function createPlan(body: PlanCreate, options?: RequestOptions): Promise<PlanDetail> {
  return request('POST', '/api/annual-plans', body, options);
}

export function movePlan(id: number, body: PlanTransition, options?: RequestOptions): Promise<PlanDetail> {
  return request('POST', `/api/annual-plans/${id}/state`, body, options);
}

export function addProject(planId: number, body: ProjectCreate, options?: RequestOptions): Promise<PlanDetail> {
  return request('POST', `/api/annual-plans/${planId}/projects`, body, options);
}

export function addMilestone(projectId: number, body: MilestoneCreate, options?: RequestOptions): Promise<PlanDetail> {
  return request('POST', `/api/annual-plans/projects/${projectId}/milestones`, body, options);
}

export function patchMilestone(id: number, body: MilestonePatch, options?: RequestOptions): Promise<PlanDetail> {
  return request('PATCH', `/api/annual-plans/milestones/${id}`, body, options);
}

/** The printable report (a plain download link: the session cookie goes with it). */
export function planReportUrl(planId: number, kind: PlanReportKind, period?: number): string {
  return `/api/annual-plans/${planId}/report.pdf?${queryString({ kind, period })}`;
}

export function patchProject(id: number, body: ProjectPatch, options?: RequestOptions): Promise<PlanDetail> {
  return request('PATCH', `/api/annual-plans/projects/${id}`, body, options);
}
