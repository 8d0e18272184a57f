import { Type, type Static, type TSchema } from 'typebox';
import { DISTRICT_CODE_PATTERN } from '../districts.js';
import { INEFFICIENCY_TYPE_CODES } from '../efficiency.js';
import { CASE_FORM_CODES } from '../identification/forms.js';
import { SURVEY_FORM_KEYS } from '../identification/survey-form.js';
import { ACTION_STEPS, JOINT_REVIEW_DEPARTMENT_CODES, REUSE_MEASURE_CODES, STEP_CODES, VERIFY_DEPARTMENTS } from '../identification/steps.js';
import { DateString, Id, Nullable, PageNumber, StringEnum, VersionNumber } from './common.schemas.js';
import { ExpectedVersion, ParcelPatch } from './parcels.schemas.js';

/**
 * 认定案卷 (issue 16 item 3; seed 003 二.1–6): the cases, their timeline, each step as a POST, the
 * 附件1 submissions. The step machine is domain/identification/steps.ts.
 */

export { ErrorBody } from './common.schemas.js';

const UNIT_CODE_PATTERN = '^[0-9]{9}$';

export const CaseState = StringEnum(['open', 'closed', 'notified'] as const, { description: 'open 办理中 / closed 已结案（不属低效、会审不符合或审批不同意） / notified 已告知（认定完成）' });
export const StepCode = StringEnum(STEP_CODES, { description: '步骤 (domain/identification/steps.ts)' });
export const ActionStep = StringEnum(ACTION_STEPS);

/** A step a user may take next, with who takes it and whether the reader may. */
export const NextAction = Type.Object({
  step: ActionStep,
  label: Type.String(),
  taker: Type.String({ description: '由谁办理 (in words)' }),
  mayTake: Type.Boolean({ description: 'whether the reader may take it' }),
  reason: Nullable(Type.String({ description: 'why not, when mayTake is false' })),
});
export type NextAction = Static<typeof NextAction>;

export const CaseSummary = Type.Object({
  id: Type.Integer(),
  number: Type.String({ description: '案卷编号 <区县>-RD-<年>-<序号>' }),
  parcelId: Type.Integer(),
  parcelCode: Type.String(),
  owner: Nullable(Type.String()),
  districtCode: Type.String(),
  districtName: Type.String(),
  subdistrictCode: Nullable(Type.String()),
  parkCode: Nullable(Type.String()),
  unitKind: StringEnum(['park', 'street'] as const, { description: 'park 园区内（园区办） / street 园区外（镇政府/街道办）' }),
  unitCode: Nullable(Type.String({ description: '负责单位 (园区 or 街道/镇 code); null = 未划入街道' })),
  unitName: Nullable(Type.String()),
  state: CaseState,
  step: StepCode,
  stepLabel: Type.String(),
  stepAt: Type.String({ format: 'date-time' }),
  nextSteps: Type.Array(ActionStep),
  dueStep: Nullable(ActionStep),
  dueDate: Nullable(Type.String({ description: 'YYYY-MM-DD, counted in working days (fixtures/working-calendar.json)' })),
  overdue: Type.Boolean({ description: 'the due step is past its date (today, China time)' }),
  inefficiencyTypes: Type.Array(Type.String()),
  noticeNumber: Nullable(Type.String({ description: '认定告知书编号' })),
  noticeDate: Nullable(Type.String()),
  planDueDate: Nullable(Type.String({ description: '再利用方案 due (1 month after the 告知书)' })),
  openedAt: Type.String({ format: 'date-time' }),
  openedBy: Type.String(),
  version: Type.Integer(),
});
export type CaseSummary = Static<typeof CaseSummary>;

export const CaseStep = Type.Object({
  id: Type.Integer(),
  step: StepCode,
  stepLabel: Type.String(),
  outcome: Nullable(Type.String()),
  actor: Type.String(),
  actorName: Type.String(),
  role: Type.String(),
  roleLabel: Type.String(),
  unitCode: Nullable(Type.String()),
  department: Nullable(Type.String()),
  at: Type.String({ format: 'date-time' }),
  opinion: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  documentIds: Type.Array(Type.Integer()),
  dueDate: Nullable(Type.String()),
  late: Type.Boolean({ description: 'taken after its due date' }),
});
export type CaseStep = Static<typeof CaseStep>;

export const SurveySubmission = Type.Object({
  id: Type.Integer(),
  caseId: Type.Integer(),
  parcelId: Type.Integer(),
  via: StringEnum(['online', 'paper'] as const, { description: 'online 用地单位网上填报 / paper 园区办/镇街纸质录入' }),
  submittedBy: Type.String(),
  submittedByName: Nullable(Type.String()),
  submittedAt: Type.String({ format: 'date-time' }),
  fields: Type.Record(Type.String(), Type.Unknown()),
  appliedBy: Nullable(Type.String()),
  appliedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type SurveySubmission = Static<typeof SurveySubmission>;

export const CaseDetail = Type.Object({
  ...CaseSummary.properties,
  closedReason: Nullable(Type.String()),
  note: Nullable(Type.String()),
  sourceRunId: Nullable(Type.Integer()),
  steps: Type.Array(CaseStep),
  submissions: Type.Array(SurveySubmission),
  nextActions: Type.Array(NextAction),
  localRules: Type.Array(Type.Object({ topic: Type.String(), text: Type.String(), reason: Type.String() })),
});
export type CaseDetail = Static<typeof CaseDetail>;

export const CaseListQuery = Type.Object({
  district: Type.Optional(Type.String({ pattern: DISTRICT_CODE_PATTERN, description: '行政区划代码 (city or district)' })),
  unit: Type.Optional(Type.String({ pattern: UNIT_CODE_PATTERN, description: '负责单位 (园区/街道 code)' })),
  step: Type.Optional(StepCode),
  state: Type.Optional(CaseState),
  overdue: Type.Optional(Type.Boolean({ description: 'true: only cases whose due step is past its date' })),
  parcel: Type.Optional(Id({ description: 'parcel id' })),
  page: PageNumber,
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
}, { additionalProperties: false });
export type CaseListQuery = Static<typeof CaseListQuery>;

export const CasePage = Type.Object({
  items: Type.Array(CaseSummary),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type CasePage = Static<typeof CasePage>;

export const CaseIdParams = Type.Object({ id: Id({ description: 'case id' }) });
export type CaseIdParams = Static<typeof CaseIdParams>;
export const SubmissionParams = Type.Object({ id: Id({ description: 'case id' }), submissionId: Id({ description: 'submission id' }) });
export type SubmissionParams = Static<typeof SubmissionParams>;
export const ParcelCasesParams = Type.Object({ id: Id({ description: 'parcel id' }) });

/** A printed form of a case (domain/identification/forms.ts): survey 附件1 调查表, review 附件2 审核表, notice 附件3 告知书. */
export const CaseFormParams = Type.Object({
  id: Id({ description: 'case id' }),
  form: StringEnum(CASE_FORM_CODES, { description: 'survey 附件1 产业用地使用效益调查表（认定） / review 附件2 低效产业用地认定审核表 / notice 附件3 低效产业用地认定告知书' }),
});
export type CaseFormParams = Static<typeof CaseFormParams>;
export const CaseFormQuery = Type.Object({
  submission: Type.Optional(Id({ description: '附件1 only: the submission (snapshot) to print; default the latest' })),
}, { additionalProperties: false });
export type CaseFormQuery = Static<typeof CaseFormQuery>;
/** The form as an A4 PDF (fonts embedded), Content-Disposition attachment with the Chinese file name. */
export const CaseFormPdf = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description: 'application/pdf (A4)' });

/** The parcel card's 认定 section: the parcel's cases, newest first. */
export const ParcelCases = Type.Object({ items: Type.Array(CaseSummary) });
export type ParcelCases = Static<typeof ParcelCases>;

export const OpenCaseBody = Type.Object({
  parcelId: Id({ description: 'parcel id' }),
  note: Type.Optional(Type.String({ maxLength: 2000, description: '备注 (e.g. why listed)' })),
}, { additionalProperties: false });
export type OpenCaseBody = Static<typeof OpenCaseBody>;

/** What every step body may carry: an opinion, attachments (ids of the parcel's documents), the case version read. */
const stepBase = {
  opinion: Type.Optional(Type.String({ maxLength: 4000, description: '意见 / 说明' })),
  documentIds: Type.Optional(Type.Array(Id(), { maxItems: 50, uniqueItems: true, description: 'attachments: ids of the parcel\'s documents (一地一档)' })),
  caseVersion: Type.Optional(VersionNumber({ description: 'the case version the step was prepared on; a stale one is 409 case_stale' })),
};

function stepBody<T extends Record<string, TSchema>>(properties: T) {
  return Type.Object({ ...stepBase, ...properties } as Omit<typeof stepBase, keyof T> & T, { additionalProperties: false });
}

export const SurveySentBody = stepBody({});
export type SurveySentBody = Static<typeof SurveySentBody>;

const formProperties = Object.fromEntries(SURVEY_FORM_KEYS.map((key) => [key, (ParcelPatch.properties as Record<string, TSchema>)[key]]));
/** 附件1 as filled: parcel card fields (domain/identification/survey-form.ts), each with the card's limits. */
export const SurveyForm = Type.Object(formProperties, { additionalProperties: false, minProperties: 1 });
export type SurveyForm = Record<string, unknown>;

export const SurveyReturnedBody = stepBody({ fields: SurveyForm });
export type SurveyReturnedBody = Static<typeof SurveyReturnedBody> & { fields: SurveyForm };

export const VerifiedBody = stepBody({
  outcome: StringEnum(['confirmed', 'sent_back'] as const, { description: 'confirmed 核实无误 / sent_back 一次告知：退回调查表回收，列明需补充的佐证材料' }),
  materials: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 30, description: '一次告知需补充的佐证材料 (required for sent_back)' })),
  departments: Type.Optional(Type.Array(StringEnum(VERIFY_DEPARTMENTS.map((department) => department.code)), { uniqueItems: true, description: '会同核实的部门' })),
});
export type VerifiedBody = Static<typeof VerifiedBody>;

export const PreliminaryBody = stepBody({
  inefficient: Type.Boolean({ description: 'true 属低效产业用地 / false 不属低效（结案）' }),
  reasons: Type.Optional(Type.String({ maxLength: 4000, description: '原因 (required when inefficient)' })),
  types: Type.Optional(Type.Array(StringEnum(INEFFICIENCY_TYPE_CODES), { maxItems: 7, uniqueItems: true, description: '低效类型, one or several (required when inefficient); the first is the parcel\'s' })),
  measures: Type.Optional(Type.Array(StringEnum(REUSE_MEASURE_CODES), { maxItems: 10, uniqueItems: true, description: '再利用适用措施 (required when inefficient)' })),
  measureNote: Type.Optional(Type.String({ maxLength: 2000, description: '措施说明' })),
});
export type PreliminaryBody = Static<typeof PreliminaryBody>;

export const ReviewOpinionBody = stepBody({
  agree: Type.Boolean({ description: '同意 / 不同意' }),
  opinion: Type.String({ minLength: 1, maxLength: 4000, description: '本部门审查意见' }),
});
export type ReviewOpinionBody = Static<typeof ReviewOpinionBody>;

export const JointReviewBody = stepBody({
  meets: Type.Boolean({ description: 'true 经会审符合认定标准（报区政府审批） / false 不符合（结案）' }),
  opinion: Type.String({ minLength: 1, maxLength: 4000, description: '会审结论' }),
});
export type JointReviewBody = Static<typeof JointReviewBody>;

export const ApprovalBody = stepBody({
  decision: StringEnum(['approve', 'reject'] as const, { description: 'approve 同意（园区办/镇街告知） / reject 不同意（结案，须说明理由）' }),
});
export type ApprovalBody = Static<typeof ApprovalBody>;

export const NotifiedBody = stepBody({
  noticeDate: Type.Optional(DateString({ description: '告知书日期 (default today, China time); the parcel\'s 认定时间' })),
  copies: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 2, maxItems: 10, uniqueItems: true, description: '抄送 (must include 区自然资源局 and 区工信局)' })),
});
export type NotifiedBody = Static<typeof NotifiedBody>;

export const ApplySubmissionBody = Type.Object({
  expectedVersion: ExpectedVersion,
  fields: Type.Optional(Type.Array(StringEnum(SURVEY_FORM_KEYS), { minItems: 1, uniqueItems: true, description: 'the fields to apply (default: every field the submission filled)' })),
}, { additionalProperties: false });
export type ApplySubmissionBody = Static<typeof ApplySubmissionBody>;

export const JointReviewDepartmentCode = StringEnum(JOINT_REVIEW_DEPARTMENT_CODES);

/** The body of each step's POST, by step (server and client alike). */
export interface StepBodies {
  survey_sent: SurveySentBody;
  survey_returned: SurveyReturnedBody;
  verified: VerifiedBody;
  preliminary: PreliminaryBody;
  review_opinion: ReviewOpinionBody;
  joint_review: JointReviewBody;
  approved: ApprovalBody;
  notified: NotifiedBody;
}
