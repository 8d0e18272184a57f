import { Type, type Static } from 'typebox';
import { DISTRICT_CODE_PATTERN } from '../districts.js';
import { REPORT_CODES, REPORT_PERIOD_PATTERN } from '../reports/report-schedules.js';
import { Id, Nullable, StringEnum } from './common.schemas.js';

/**
 * Periodic reports filed upward (issue 16 item 6; seed 003 四（一）): 附件11 低效产业用地认定情况汇总表
 * as Excel per district or city, and each district's submissions per period ("每月25日前" to
 * 市自然资源、工信局) with the file frozen as submitted. Generic over the report (issue 17: 附件12/13).
 */

export { ErrorBody } from './common.schemas.js';

export const ReportCode = StringEnum(REPORT_CODES, { description: 'annex11 低效产业用地认定情况汇总表 (附件11, monthly) / annex12 再利用方案审批情况汇总表 (附件12, quarterly) / annex13 验收情况汇总表 (附件13, quarterly)' });
export const ReportPeriodText = Type.String({ pattern: REPORT_PERIOD_PATTERN, description: '报告期: YYYY-MM (monthly) or YYYY-Qn (quarterly)' });

export const ReportParams = Type.Object({ report: ReportCode });
export type ReportParams = Static<typeof ReportParams>;

export const ReportWorkbookQuery = Type.Object({
  district: Type.String({ pattern: DISTRICT_CODE_PATTERN, description: '行政区划代码: a district, or the city (all its districts the reader may read)' }),
  period: Type.Optional(ReportPeriodText),
}, { additionalProperties: false });
export type ReportWorkbookQuery = Static<typeof ReportWorkbookQuery>;

export const ReportOverviewQuery = Type.Object({
  district: Type.Optional(Type.String({ pattern: DISTRICT_CODE_PATTERN, description: '行政区划代码 of a district (default: the reader\'s first)' })),
}, { additionalProperties: false });
export type ReportOverviewQuery = Static<typeof ReportOverviewQuery>;

export const SubmitReportBody = Type.Object({
  district: Type.String({ pattern: DISTRICT_CODE_PATTERN, description: '行政区划代码 of the district reporting' }),
  period: ReportPeriodText,
  note: Type.Optional(Type.String({ maxLength: 500, description: '报送说明' })),
}, { additionalProperties: false });
export type SubmitReportBody = Static<typeof SubmitReportBody>;

/** An xlsx file (the workbook, or a submitted file as it was submitted). */
export const ReportFileBody = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description: 'xlsx (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)' });

export const SubmissionIdParams = Type.Object({ id: Id({ description: 'submission id' }) });
export type SubmissionIdParams = Static<typeof SubmissionIdParams>;

export const PeriodState = StringEnum(['submitted', 'late', 'overdue', 'due', 'open'] as const, {
  description: 'submitted 已报送 / late 逾期报送 / overdue 逾期未报 / due 待报送 / open 报告期未结束',
});

export const ReportSubmission = Type.Object({
  id: Type.Integer(),
  report: Type.String(),
  districtCode: Type.String(),
  districtName: Type.String(),
  period: Type.String(),
  periodLabel: Type.String(),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  dueDate: Type.String(),
  status: StringEnum(['submitted', 'superseded'] as const, { description: 'submitted 有效 / superseded 已被重新报送取代' }),
  supersededBy: Nullable(Type.Integer()),
  submittedBy: Type.String(),
  submittedByName: Type.String(),
  submittedAt: Type.String({ format: 'date-time' }),
  onTime: Type.Boolean(),
  recipients: Type.Array(Type.String()),
  fileName: Type.String(),
  byteSize: Type.Integer(),
  sha256: Type.String(),
  rowCount: Type.Integer(),
  newCount: Type.Integer({ description: '本期新增 (告知书 in the period)' }),
  areaMu: Type.Number({ description: '土地面积合计（亩，登记面积）' }),
  note: Nullable(Type.String()),
  downloadUrl: Type.String(),
});
export type ReportSubmission = Static<typeof ReportSubmission>;

export const ReportPeriodStatus = Type.Object({
  period: Type.String(),
  label: Type.String(),
  start: Type.String(),
  end: Type.String(),
  dueDate: Type.String(),
  state: PeriodState,
  stateLabel: Type.String(),
  submission: Nullable(ReportSubmission),
});
export type ReportPeriodStatus = Static<typeof ReportPeriodStatus>;

export const ReportOverview = Type.Object({
  report: Type.Object({
    code: ReportCode,
    title: Type.String(),
    annex: Type.String(),
    frequency: StringEnum(['month', 'quarter'] as const),
    dueRule: Type.String({ description: 'the deadline in words' }),
    recipients: Type.Array(Type.String()),
    source: Type.String(),
    localRules: Type.Array(Type.String()),
  }),
  districts: Type.Array(Type.Object({ code: Type.String(), name: Type.String() }), { description: 'the districts the reader may choose' }),
  city: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  district: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  today: Type.String({ description: 'YYYY-MM-DD, China time' }),
  currentPeriod: Type.String(),
  maySubmit: Type.Boolean({ description: 'whether the reader may submit for the district' }),
  periods: Type.Array(ReportPeriodStatus, { description: 'newest first: from the district\'s first 告知书 (or first submission) to the current period' }),
  submissions: Type.Array(ReportSubmission, { description: 'every submission of the district, newest first (superseded ones too)' }),
});
export type ReportOverview = Static<typeof ReportOverview>;
