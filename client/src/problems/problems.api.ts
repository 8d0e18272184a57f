import type {
  ProblemCreate, ProblemDetail, ProblemExportQuery, ProblemList, ProblemListQuery, ProblemTransition,
} from '@domain/api/problems.schemas.js';
import type { StockListVersions } from '@domain/api/stock-lists.schemas.js';
import { getJson, queryString, request, type QueryWithDefaults, type RequestOptions } from '../http/request.js';

export type { Problem, ProblemDetail, ProblemList } from '@domain/api/problems.schemas.js';

export function fetchProblems(query: QueryWithDefaults<ProblemListQuery, 'page' | 'pageSize'>, options?: RequestOptions): Promise<ProblemList> {
  return getJson(`/api/problems?${queryString(query)}`, options);
}

export function fetchProblem(id: number, options?: RequestOptions): Promise<ProblemDetail> {
  return getJson(`/api/problems/${id}`, options);
}

export function createProblem(body: ProblemCreate, options?: RequestOptions): Promise<ProblemDetail> {
  return request('POST', '/api/problems', body, options);
}

export function moveProblem(id: number, body: ProblemTransition, options?: RequestOptions): Promise<ProblemDetail> {
  return request('POST', `/api/problems/${id}/status`, body, options);
}

/** The Excel file of the list's filters (a plain download link: the session cookie goes with it). */
export function problemsExportUrl(query: ProblemExportQuery): string {
  return `/api/problems/export.xlsx?${queryString(query)}`;
}

export function fetchStockList(kind: 'legacy_period' | 'problem_category', options?: RequestOptions): Promise<StockListVersions> {
  return getJson(`/api/stock-lists/${kind}`, options);
}
