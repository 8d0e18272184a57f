import { Type, type Static, type TSchema } from 'typebox';
import { DISTRICT_CODE_PATTERN } from '../districts.js';
import { REUSE_MEASURE_CODES } from '../identification/steps.js';
import { CREDIT_GROUND_CODES, FAILURE_GROUND_CODES, PLAN_ISSUE_CODES, REUSE_ACTION_STEPS, REUSE_STEP_CODES, TRACKING_KIND_CODES } from '../reuse/steps.js';
import { SurveyForm } from './identification.schemas.js';
import { DateString, Id, Nullable, PageNumber, StringEnum, VersionNumber } from './common.schemas.js';

/**
 * 再利用 (issue 17 items 1–4, 6; seed 003 三, 附件4–7): a notified 认定案卷's 再利用项目 — the plan's
 * versions, the departments' opinions and the 汇总, 请示 and 批复, the 协议书, 实施 (entries, ledger,
 * one 延期) and the clocks. The step machine is domain/reuse/steps.ts, the clocks domain/reuse/clocks.ts.
 */

export { ErrorBody } from './common.schemas.js';

export const ReuseStepCode = StringEnum(REUSE_STEP_CODES);
export const ReuseActionStep = StringEnum(REUSE_ACTION_STEPS);

const Amount = (description: string) => Type.Number({ minimum: 0, maximum: 1e9, description });
const ShortText = (description: string, maxLength = 200) => Type.String({ maxLength, description });

/** 附件4 as written by the 用地单位 (domain/reuse/plan-form.ts lists the fields and their sections). */
export const PlanFields = Type.Object({
  acquisitionBasis: Type.Optional(ShortText('土地取得依据（出让合同等）', 500)),
  industryRequirement: Type.Optional(ShortText('产业要求（投资发展协议）', 2000)),
  registration: Type.Optional(ShortText('确权登记情况', 500)),
  uses: Type.Optional(Type.Array(Type.Object({
    use: Type.String({ minLength: 1, maxLength: 100, description: '用途' }),
    areaM2: Type.Optional(Nullable(Amount('面积，平方米'))),
    user: Type.Optional(ShortText('使用单位')),
  }, { additionalProperties: false }), { maxItems: 20, description: '现用途（属于不同用途的，分别列出用途、面积及使用单位）' })),
  projectName: Type.Optional(ShortText('投产项目')),
  industryType: Type.Optional(ShortText('产业类型')),
  indicators: Type.Optional(Type.Array(Type.Object({
    indicator: Type.String({ minLength: 1, maxLength: 100, description: '指标（如 容积率、投资强度）' }),
    agreed: Type.Optional(ShortText('约定值', 100)),
    actual: Type.Optional(ShortText('实际值', 100)),
  }, { additionalProperties: false }), { maxItems: 20, description: '约定指标与实际值（出让合同、投资发展协议）' })),
  issues: Type.Optional(Type.Array(StringEnum(PLAN_ISSUE_CODES), { uniqueItems: true, maxItems: 8, description: '存在情况 (附件4 三 checklist)' })),
  penalties: Type.Optional(ShortText('处理（处罚）情况', 2000)),
  method: Type.Optional(StringEnum(REUSE_MEASURE_CODES, { description: '再利用方式 (required to submit)' })),
  workContent: Type.Optional(ShortText('工作内容、利用方式和保障措施', 4000)),
  builder: Type.Optional(ShortText('建设主体 (required to submit)')),
  plannedInvestment: Type.Optional(Nullable(Amount('计划投入建设资金，万元'))),
  plannedCompletion: Type.Optional(Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: '计划完成年月 YYYY-MM (required to submit)' })),
  useAfter: Type.Optional(ShortText('再利用后用途 (required to submit)')),
  industryAfter: Type.Optional(ShortText('再利用后产业')),
  floorAreaAfterM2: Type.Optional(Nullable(Amount('再利用后建筑面积，平方米'))),
  farAfter: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100, description: '再利用后容积率' }))),
  expectedOutput: Type.Optional(Nullable(Amount('预计年产值，万元'))),
  benefits: Type.Optional(ShortText('综合效益', 4000)),
  areaId: Type.Optional(Nullable(Id({ description: '所在成片改造区域 (areas.id): its checks are shown with the plan' }))),
  targetLandUse: Type.Optional(ShortText('再利用目标 土地用途 (附件12)', 100)),
  targetPlannedFunction: Type.Optional(ShortText('再利用目标 规划用地功能 (附件12)', 100)),
  targetFar: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100, description: '再利用目标 容积率' }))),
  targetDensity: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100, description: '再利用目标 建筑密度，%' }))),
  targetInvestmentIntensity: Type.Optional(Nullable(Amount('再利用目标 投资强度，万元/亩'))),
  targetOutputPerMu: Type.Optional(Nullable(Amount('再利用目标 地均生产总值，万元/亩'))),
  targetTaxPerMu: Type.Optional(Nullable(Amount('再利用目标 地均税收总额，万元/亩'))),
  reuseSubject: Type.Optional(ShortText('再利用主体 (附件12)')),
}, { additionalProperties: false });
export type PlanFields = Static<typeof PlanFields>;

/** What the card and the 认定案卷 said when a version was submitted (read-only in the form). */
export const PlanSnapshot = Type.Object({
  caseNumber: Type.String(),
  noticeNumber: Nullable(Type.String()),
  noticeDate: Nullable(Type.String()),
  location: Nullable(Type.String()),
  areaHa: Nullable(Type.Number()),
  owner: Nullable(Type.String()),
  certificateNo: Nullable(Type.String()),
  contractNo: Nullable(Type.String()),
  landAcquiredAt: Nullable(Type.String()),
  landUse: Nullable(Type.String()),
  floorAreaM2: Nullable(Type.Number()),
  floorAreaRatio: Nullable(Type.Number()),
  buildingCoverage: Nullable(Type.Number({ description: '%' })),
  industry: Nullable(Type.String()),
  fixedAssetInvestment: Nullable(Type.Number()),
  averageOutputPerMu: Nullable(Type.Number()),
  averageTaxPerMu: Nullable(Type.Number()),
  figureYears: Nullable(Type.String()),
  investmentAgreementNo: Nullable(Type.String()),
  agreedFloorAreaRatio: Nullable(Type.Number()),
  agreedBuildingDensity: Nullable(Type.Number({ description: '%' })),
  agreedInvestmentIntensity: Nullable(Type.Number()),
  agreedCompletionDate: Nullable(Type.String()),
  inefficiencyTypes: Nullable(Type.String()),
});
export type PlanSnapshot = Static<typeof PlanSnapshot>;

export const PlanVersion = Type.Object({
  number: Type.Integer(),
  fields: PlanFields,
  snapshot: PlanSnapshot,
  via: StringEnum(['online', 'paper'] as const, { description: 'online 用地单位网上提交 / paper 园区办/镇街代为录入' }),
  note: Nullable(Type.String()),
  submittedBy: Type.String(),
  submittedByName: Nullable(Type.String()),
  submittedAt: Type.String({ format: 'date-time' }),
  confirmedBy: Nullable(Type.String({ description: '同意按照上述方案实施: who' })),
  confirmedByName: Nullable(Type.String()),
  confirmedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type PlanVersion = Static<typeof PlanVersion>;

export const ReuseStep = Type.Object({
  id: Type.Integer(),
  step: ReuseStepCode,
  stepLabel: Type.String(),
  outcome: Nullable(Type.String()),
  actor: Type.String(),
  actorName: Type.String(),
  role: Type.String(),
  roleLabel: Type.String(),
  department: Nullable(Type.String()),
  at: Type.String({ format: 'date-time' }),
  opinion: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  documentIds: Type.Array(Type.Integer()),
  planVersion: Nullable(Type.Integer()),
});
export type ReuseStep = Static<typeof ReuseStep>;

export const Clock = Type.Object({
  code: StringEnum(['plan', 'approval', 'start', 'completion', 'extension', 'certificate'] as const),
  label: Type.String(),
  from: Type.String({ description: 'the event it runs from, in words' }),
  startDate: Nullable(Type.String()),
  dueDate: Nullable(Type.String()),
  metOn: Nullable(Type.String()),
  state: StringEnum(['waiting', 'running', 'met', 'met_late', 'overdue', 'lapsed'] as const, { description: 'waiting 未开始 / running 进行中 / met 按期完成 / met_late 逾期完成 / overdue 已超期 / lapsed 已过申请期（延期申请期，未申请）' }),
  source: Type.String(),
  local: Type.Boolean(),
});
export type Clock = Static<typeof Clock>;

export const ReuseNextAction = Type.Object({
  step: ReuseActionStep,
  label: Type.String(),
  taker: Type.String(),
  mayTake: Type.Boolean(),
  reason: Nullable(Type.String()),
});
export type ReuseNextAction = Static<typeof ReuseNextAction>;

export const TrackingEntry = Type.Object({
  id: Type.Integer(),
  kind: StringEnum(TRACKING_KIND_CODES),
  kindLabel: Type.String(),
  date: Type.String(),
  note: Type.String(),
  documentIds: Type.Array(Type.Integer()),
  actor: Type.String(),
  actorName: Type.String(),
  at: Type.String({ format: 'date-time' }),
});
export type TrackingEntry = Static<typeof TrackingEntry>;

export const LedgerRow = Type.Object({
  period: Type.String(),
  outputWan: Nullable(Type.Number()),
  taxWan: Nullable(Type.Number()),
  investmentWan: Nullable(Type.Number()),
  note: Nullable(Type.String()),
  updatedBy: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type LedgerRow = Static<typeof LedgerRow>;

/** The 协议书 (附件7) as signed. */
export const Agreement = Type.Object({
  number: Type.String({ description: '协议书编号 <区县>-XY-<年>-<序号>' }),
  partyA: Type.String({ description: '甲方: 园区办/镇政府/街道办' }),
  partyB: Type.String({ description: '乙方: 用地单位' }),
  signedOn: Type.String(),
  place: Type.String(),
  termMonths: Type.Integer(),
  termText: Type.String({ description: '“签订1年内” or “签订 N 个月内”' }),
  completionDue: Type.String(),
  extensionMonths: Nullable(Type.Integer()),
  extendedDue: Nullable(Type.String()),
  extensionWindow: Type.Object({ from: Type.String(), to: Type.String() }),
});
export type Agreement = Static<typeof Agreement>;

/** The linked 成片改造区域 and its check results as last saved (the checks service's answer). */
export const LinkedArea = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  status: Type.String(),
  version: Type.Integer(),
  pass: Nullable(Type.Boolean()),
  checks: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), pass: Nullable(Type.Boolean()), applicable: Type.Boolean(), detail: Nullable(Type.String()) })),
});
export type LinkedArea = Static<typeof LinkedArea>;

export const ReuseSummary = Type.Object({
  id: Type.Integer(),
  number: Type.String({ description: '项目编号 <区县>-ZY-<年>-<序号>' }),
  caseId: Type.Integer(),
  caseNumber: Type.String(),
  parcelId: Type.Integer(),
  parcelCode: Type.String(),
  owner: Nullable(Type.String()),
  districtCode: Type.String(),
  districtName: Type.String(),
  unitKind: StringEnum(['park', 'street'] as const),
  unitCode: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  state: StringEnum(['open', 'completed', 'failed'] as const),
  step: ReuseStepCode,
  stepLabel: Type.String(),
  outcome: Nullable(Type.String()),
  stepAt: Type.String({ format: 'date-time' }),
  planVersion: Type.Integer(),
  nextSteps: Type.Array(ReuseActionStep),
  clocks: Type.Array(Clock),
  overdue: Type.Boolean({ description: 'a clock is past its date and not met' }),
  version: Type.Integer(),
});
export type ReuseSummary = Static<typeof ReuseSummary>;

/** 验收 (附件8–10): the applications with their 调查表（验收）, beside the 认定 one; the decision, 核准书, failure. */
export const Acceptance = Type.Object({
  applications: Type.Array(Type.Object({
    stepId: Type.Integer(),
    appliedOn: Type.String(),
    completion: Type.String({ description: '完成情况 (附件9)' }),
    via: StringEnum(['online', 'paper'] as const),
    actorName: Type.String(),
    survey: Type.Record(Type.String(), Type.Unknown(), { description: '调查表（验收）: 附件1 fields as filled' }),
  }), { description: 'newest first' }),
  identificationSurvey: Nullable(Type.Object({
    submittedAt: Type.String({ format: 'date-time' }),
    fields: Type.Record(Type.String(), Type.Unknown()),
  }, { description: 'the 调查表（认定） (附件1) the 认定 rested on (the latest submission of the case)' })),
  compare: Type.Array(Type.Object({
    section: Type.String(), key: Type.String(), label: Type.String(), before: Type.String(), after: Type.String(), changed: Type.Boolean(),
  }), { description: '附件1 row by row: 认定 (before) beside 验收 (after, the latest application)' }),
  decidedOn: Nullable(Type.String({ description: '区政府核准验收日期' })),
  certificate: Nullable(Type.Object({ number: Type.String(), date: Type.String(), due: Type.String(), late: Type.Boolean() })),
  certificateDue: Nullable(Type.String({ description: '核准书 due: 3 working days after the 区政府\'s consent' })),
  failure: Nullable(Type.Object({ ground: StringEnum(FAILURE_GROUND_CODES), label: Type.String(), on: Type.String() })),
  failureGrounds: Type.Array(Type.Object({ ground: StringEnum(FAILURE_GROUND_CODES), label: Type.String() }), { description: 'grounds the 甲方 may record now' }),
  forms: Type.Array(Type.Object({ code: StringEnum(['annex8', 'annex9', 'annex10'] as const), title: Type.String(), ready: Type.Boolean(), url: Type.String() })),
});
export type Acceptance = Static<typeof Acceptance>;

export const ReuseDetail = Type.Object({
  ...ReuseSummary.properties,
  noticeDate: Type.String(),
  request: Nullable(Type.Object({ number: Type.String(), date: Type.String(), contact: Nullable(Type.String()) })),
  approval: Nullable(Type.Object({ number: Type.String(), date: Type.String() })),
  agreement: Nullable(Agreement),
  startedOn: Nullable(Type.String()),
  extensionState: StringEnum(['none', 'applied', 'approved', 'refused'] as const),
  versions: Type.Array(PlanVersion),
  steps: Type.Array(ReuseStep),
  tracking: Type.Array(TrackingEntry),
  ledger: Type.Array(LedgerRow),
  area: Nullable(LinkedArea),
  nextActions: Type.Array(ReuseNextAction),
  acceptance: Nullable(Acceptance),
  mayTrack: Type.Boolean({ description: 'the reader may add 实施 entries and ledger rows now' }),
  localRules: Type.Array(Type.Object({ topic: Type.String(), text: Type.String(), reason: Type.String() })),
});
export type ReuseDetail = Static<typeof ReuseDetail>;

/** A notified case's 再利用 as the case page and the card show it, project or not. */
export const CaseReuse = Type.Object({
  caseId: Type.Integer(),
  caseNumber: Type.String(),
  caseState: Type.String(),
  parcelId: Type.Integer(),
  parcelCode: Type.String(),
  noticeDate: Nullable(Type.String()),
  prefill: Nullable(PlanSnapshot),
  clocks: Type.Array(Clock),
  mayDraft: Type.Boolean({ description: 'the reader may submit the first version now' }),
  draftReason: Nullable(Type.String()),
  mayListPlanOverdue: Type.Boolean({ description: 'the reader (甲方) may list the 用地单位 now: 方案 overdue, no plan, not listed yet (附件3)' }),
  project: Nullable(ReuseDetail),
});
export type CaseReuse = Static<typeof CaseReuse>;

export const PlanCompare = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  changed: Type.Integer({ description: 'how many rows differ' }),
  rows: Type.Array(Type.Object({
    section: Type.String(), key: Type.String(), label: Type.String(), source: StringEnum(['plan', 'snapshot'] as const),
    from: Type.String(), to: Type.String(), changed: Type.Boolean(),
  })),
});
export type PlanCompare = Static<typeof PlanCompare>;

export const ReuseListQuery = Type.Object({
  district: Type.Optional(Type.String({ pattern: DISTRICT_CODE_PATTERN })),
  step: Type.Optional(ReuseStepCode),
  overdue: Type.Optional(Type.Boolean()),
  page: PageNumber,
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
}, { additionalProperties: false });
export type ReuseListQuery = Static<typeof ReuseListQuery>;

export const ReusePage = Type.Object({ items: Type.Array(ReuseSummary), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });
export type ReusePage = Static<typeof ReusePage>;

/**
 * 待办: what the reader is to take next — 认定案卷 steps (seed 003 二) and 再利用/验收 steps (三) — in
 * their scope (a 用地单位 its own parcels, a 园区办/镇街 its units, the district roles their districts),
 * overdue first, then by due date.
 */
export const ReuseTodo = Type.Object({
  items: Type.Array(Type.Object({
    kind: StringEnum(['identification', 'reuse'] as const, { description: 'identification 认定案卷 / reuse 再利用项目 (incl. 验收)' }),
    caseId: Type.Integer(),
    caseNumber: Type.String(),
    projectId: Nullable(Type.Integer()),
    projectNumber: Nullable(Type.String()),
    parcelCode: Type.String(),
    owner: Nullable(Type.String()),
    districtName: Type.String(),
    unitName: Nullable(Type.String({ description: 'the 园区/街道 whose office conducts it' })),
    stepLabel: Type.String({ description: 'where it stands (the last step taken)' }),
    action: Type.String({ description: 'what is to be done, in words' }),
    dueDate: Nullable(Type.String()),
    dueLabel: Nullable(Type.String({ description: 'which deadline the due date is (a clock or the step\'s deadline)' })),
    overdue: Type.Boolean(),
  })),
  overdue: Type.Integer({ description: 'how many items are overdue' }),
});
export type ReuseTodo = Static<typeof ReuseTodo>;

const StateCounts = Type.Object({
  overdue: Type.Integer({ description: '超期: open, a deadline passed and not met' }),
  due: Type.Integer({ description: '期限内: open, a deadline running' }),
  none: Type.Integer({ description: '无期限: open, no deadline running' }),
  finished: Type.Integer({ description: '已办结: 认定 notified or closed; 再利用 completed or failed' }),
});
export const CountRow = Type.Object({
  districtCode: Nullable(Type.String({ description: 'null on the city total' })),
  districtName: Type.String(),
  total: Type.Integer(),
  byStep: Type.Record(Type.String(), Type.Integer(), { description: 'step code → cases standing there (the last step taken)' }),
  byState: StateCounts,
});
export type CountRow = Static<typeof CountRow>;
const CountTable = Type.Object({
  steps: Type.Array(Type.Object({ code: Type.String(), label: Type.String() }), { description: 'the steps in procedure order' }),
  rows: Type.Array(CountRow, { description: 'one per district of the reader\'s scope that has cases' }),
  city: CountRow,
});
/** The district view (issue 17 item 6): 认定 and 再利用/验收 cases per district, step and deadline state, with city totals. */
export const DistrictCounts = Type.Object({
  today: Type.String(),
  identification: CountTable,
  reuse: CountTable,
});
export type DistrictCounts = Static<typeof DistrictCounts>;

export const ProjectIdParams = Type.Object({ id: Id({ description: 'project id' }) });
export type ProjectIdParams = Static<typeof ProjectIdParams>;
export const CaseIdParams = Type.Object({ caseId: Id({ description: '认定案卷 id' }) });
export type CaseIdParams = Static<typeof CaseIdParams>;
export const CompareQuery = Type.Object({
  from: Type.Integer({ minimum: 1, maximum: 10000, description: 'version number' }),
  to: Type.Integer({ minimum: 1, maximum: 10000, description: 'version number' }),
}, { additionalProperties: false });
export type CompareQuery = Static<typeof CompareQuery>;

const stepBase = {
  opinion: Type.Optional(Type.String({ maxLength: 4000, description: '意见 / 说明' })),
  documentIds: Type.Optional(Type.Array(Id(), { maxItems: 50, uniqueItems: true, description: 'attachments: ids of the parcel\'s documents (一地一档)' })),
  projectVersion: Type.Optional(VersionNumber({ description: 'the project version the step was prepared on; a stale one is 409 reuse_stale' })),
};
function stepBody<T extends Record<string, TSchema>>(properties: T) {
  return Type.Object({ ...stepBase, ...properties } as Omit<typeof stepBase, keyof T> & T, { additionalProperties: false });
}

export const PlanSubmitBody = stepBody({
  fields: PlanFields,
  note: Type.Optional(Type.String({ maxLength: 2000, description: '本版说明（修改了什么）' })),
});
export type PlanSubmitBody = Static<typeof PlanSubmitBody>;

export const OpinionBody = stepBody({
  agree: Type.Boolean({ description: '同意 / 需修改' }),
  opinion: Type.String({ minLength: 1, maxLength: 4000, description: '本部门意见' }),
});
export type OpinionBody = Static<typeof OpinionBody>;

export const ReviewedBody = stepBody({
  outcome: StringEnum(['revise', 'ready'] as const, { description: 'revise 退回用地单位修改 / ready 无需修改，请用地单位确认' }),
  opinion: Type.String({ minLength: 1, maxLength: 4000, description: '汇总意见' }),
});
export type ReviewedBody = Static<typeof ReviewedBody>;

export const ConfirmedBody = stepBody({
  agree: Type.Literal(true, { description: '同意按照上述方案实施 (must be ticked)' }),
});
export type ConfirmedBody = Static<typeof ConfirmedBody>;

export const RequestedBody = stepBody({
  number: Type.String({ minLength: 3, maxLength: 40, description: '请示文号 “XX〔2026〕XX 号” (附件5)' }),
  date: DateString({ description: '请示日期' }),
  contact: Type.Optional(Type.String({ maxLength: 100, description: '联系人及电话' })),
});
export type RequestedBody = Static<typeof RequestedBody>;

export const ApprovedBody = stepBody({
  decision: StringEnum(['approve', 'reject'] as const, { description: 'approve 批复同意 / reject 不予批准（退回修改，须写明理由）' }),
  number: Type.Optional(Type.String({ minLength: 3, maxLength: 40, description: '批复文号 “XX〔2026〕XX 号” (附件6; required to approve)' })),
  date: Type.Optional(DateString({ description: '批复日期 (required to approve): the date 附件12 reports' })),
});
export type ApprovedBody = Static<typeof ApprovedBody>;

export const SignedBody = stepBody({
  signedOn: DateString({ description: '签订时间' }),
  place: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: '签订地点 (default 广东省汕头市 <区>)' })),
  termMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, description: '完成期限，月 (default 12: “签订1年内”)' })),
  partyA: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: '甲方 (default the unit\'s 园区办/镇街)' })),
  partyB: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: '乙方 (default the 土地使用权人)' })),
});
export type SignedBody = Static<typeof SignedBody>;

export const StartedBody = stepBody({ startedOn: DateString({ description: '开始实施日期' }) });
export type StartedBody = Static<typeof StartedBody>;

export const ExtensionAppliedBody = stepBody({
  months: Type.Integer({ minimum: 1, maximum: 12, description: '申请延期月数 (at most 3: 附件7 三)' }),
  reason: Type.String({ minLength: 1, maxLength: 2000, description: '延期理由' }),
});
export type ExtensionAppliedBody = Static<typeof ExtensionAppliedBody>;

export const ExtensionDecidedBody = stepBody({
  approve: Type.Boolean({ description: '甲方同意 / 不同意' }),
});
export type ExtensionDecidedBody = Static<typeof ExtensionDecidedBody>;

export const AcceptanceAppliedBody = stepBody({
  appliedOn: DateString({ description: '申请日期 (附件8)' }),
  completion: Type.String({ minLength: 1, maxLength: 4000, description: '完成情况 (附件9 用地单位填写)' }),
  survey: SurveyForm,
});
export type AcceptanceAppliedBody = Static<typeof AcceptanceAppliedBody> & { survey: Record<string, unknown> };

export const AcceptanceOpinionBody = stepBody({
  agree: Type.Boolean({ description: '同意通过验收 / 不同意' }),
  opinion: Type.String({ minLength: 1, maxLength: 4000, description: '本部门验收意见' }),
});
export type AcceptanceOpinionBody = Static<typeof AcceptanceOpinionBody>;

export const AcceptanceReviewedBody = stepBody({
  outcome: StringEnum(['pass', 'fail'] as const, { description: 'pass 核实通过，报区政府核准 / fail 核实不通过' }),
  opinion: Type.String({ minLength: 1, maxLength: 4000, description: '园区办/镇街核实意见 (附件9)' }),
});
export type AcceptanceReviewedBody = Static<typeof AcceptanceReviewedBody>;

export const AcceptedBody = stepBody({
  decision: StringEnum(['approve', 'reject'] as const, { description: 'approve 核准验收 / reject 不予核准（须写明理由）' }),
  date: Type.Optional(DateString({ description: '核准日期 (required to approve): the 核准书 clock (3 working days) runs from it' })),
});
export type AcceptedBody = Static<typeof AcceptedBody>;

export const CertificateIssuedBody = stepBody({
  issuedOn: DateString({ description: '核准书发出日期 (附件13 再利用验收时间)' }),
});
export type CertificateIssuedBody = Static<typeof CertificateIssuedBody>;

export const AcceptanceFailedBody = stepBody({
  ground: StringEnum(FAILURE_GROUND_CODES, { description: 'overdue 逾期未能完成 / extension_refused 申请延期未获同意 / not_passed 未能通过验收' }),
  opinion: Type.String({ minLength: 1, maxLength: 4000, description: '认定理由 (recorded on the 信用异常名单)' }),
});
export type AcceptanceFailedBody = Static<typeof AcceptanceFailedBody>;

export const AcceptanceFormParams = Type.Object({
  id: Id({ description: 'project id' }),
  form: StringEnum(['annex8', 'annex9', 'annex10'] as const, { description: 'annex8 验收申请 / annex9 验收审核表 / annex10 验收核准书' }),
});
export type AcceptanceFormParams = Static<typeof AcceptanceFormParams>;

/** 信用异常名单 (附件3, 附件7 五). */
export const CreditListEntry = Type.Object({
  id: Type.Integer(),
  districtCode: Type.String(),
  districtName: Type.String(),
  enterprise: Type.String(),
  parcelId: Type.Integer(),
  parcelCode: Type.String(),
  caseId: Type.Integer(),
  caseNumber: Type.String(),
  projectId: Nullable(Type.Integer()),
  projectNumber: Nullable(Type.String()),
  agreementNumber: Nullable(Type.String()),
  ground: StringEnum(CREDIT_GROUND_CODES, { description: 'plan_overdue 逾期未报送再利用方案 (附件3) / overdue / extension_refused / not_passed (附件7 五)' }),
  groundLabel: Type.String(),
  listedOn: Type.String(),
  reason: Type.String(),
  source: Type.String(),
  listedBy: Type.String(),
  listedByName: Type.String(),
  removal: Nullable(Type.Object({
    on: Type.String(), reason: Type.String(), by: Type.String(), byName: Type.String(),
  }, { description: '移出名单: the official who took the 用地单位 off the list, when and why' })),
});
export type CreditListEntry = Static<typeof CreditListEntry>;

/** 附件3: list the 用地单位 of a notified case whose 再利用方案 is overdue (the 甲方, with the reason). */
export const PlanOverdueListingBody = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 4000, description: '情况说明' }),
}, { additionalProperties: false });
export type PlanOverdueListingBody = Static<typeof PlanOverdueListingBody>;
export const CreditRemovalBody = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 4000, description: '移出名单的理由（如已改正）' }),
}, { additionalProperties: false });
export type CreditRemovalBody = Static<typeof CreditRemovalBody>;
export const CreditListingParams = Type.Object({ id: Id({ description: '名单条目 id' }) });
export type CreditListingParams = Static<typeof CreditListingParams>;

export const CreditListQuery = Type.Object({
  district: Type.Optional(Type.String({ pattern: DISTRICT_CODE_PATTERN })),
}, { additionalProperties: false });
export type CreditListQuery = Static<typeof CreditListQuery>;

export const CreditList = Type.Object({ items: Type.Array(CreditListEntry), total: Type.Integer() });
export type CreditList = Static<typeof CreditList>;

export const TrackingBody = Type.Object({
  kind: StringEnum(TRACKING_KIND_CODES, { description: 'follow_up 定期跟进 / register 登记造册 / procedure 手续办理 / supplementary 补充协议' }),
  date: DateString({ description: '日期' }),
  note: Type.String({ minLength: 1, maxLength: 4000, description: '情况说明' }),
  documentIds: Type.Optional(Type.Array(Id(), { maxItems: 50, uniqueItems: true, description: 'ids of the parcel\'s documents' })),
}, { additionalProperties: false });
export type TrackingBody = Static<typeof TrackingBody>;

export const LedgerBody = Type.Object({
  period: Type.String({ pattern: '^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$', description: '期间: YYYY, YYYY-Qn or YYYY-MM' }),
  outputWan: Nullable(Type.Number({ minimum: 0, maximum: 1e9, description: '产值，万元' })),
  taxWan: Nullable(Type.Number({ minimum: 0, maximum: 1e9, description: '税收，万元' })),
  investmentWan: Nullable(Type.Number({ minimum: 0, maximum: 1e9, description: '投资，万元' })),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
}, { additionalProperties: false });
export type LedgerBody = Static<typeof LedgerBody>;

/** The body of each step's POST, by step. */
export interface ReuseStepBodies {
  plan_submitted: PlanSubmitBody;
  opinion: OpinionBody;
  reviewed: ReviewedBody;
  confirmed: ConfirmedBody;
  requested: RequestedBody;
  approved: ApprovedBody;
  signed: SignedBody;
  started: StartedBody;
  extension_applied: ExtensionAppliedBody;
  extension_decided: ExtensionDecidedBody;
  acceptance_applied: AcceptanceAppliedBody;
  acceptance_opinion: AcceptanceOpinionBody;
  acceptance_reviewed: AcceptanceReviewedBody;
  accepted: AcceptedBody;
  certificate_issued: CertificateIssuedBody;
  acceptance_failed: AcceptanceFailedBody;
}
