import type { ReportOverview, ReportSubmission, SubmitReportBody } from '@domain/api/reports.schemas.js';
import type { ReportCode } from '@domain/reports/report-schedules.js';
import { getJson, queryString, request, type RequestOptions } from '../http/request.js';

export type { ReportOverview, ReportPeriodStatus, ReportSubmission } from '@domain/api/reports.schemas.js';

/** A district's periods and submissions of a report (default district: the reader's first). */
export function fetchReportOverview(report: ReportCode, district: string | undefined, options?: RequestOptions): Promise<ReportOverview> {
  return getJson(`/api/reports/${report}/submissions?${queryString({ district })}`, options);
}

/** The address of a report's workbook (a plain GET: the browser downloads it with the session cookie). */
export function reportWorkbookUrl(report: ReportCode, district: string, period: string): string {
  return `/api/reports/${report}/workbook?${queryString({ district, period })}`;
}

export function submitReport(report: ReportCode, body: SubmitReportBody, options?: RequestOptions): Promise<ReportSubmission> {
  return request('POST', `/api/reports/${report}/submissions`, body, options);
}
