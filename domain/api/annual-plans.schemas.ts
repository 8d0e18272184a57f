import { Type, type Static } from 'typebox';
import { PLAN_REPORT_KINDS, PLAN_STATE_CODES } from '../annual-plans.js';
import { DISTRICT_CODE_PATTERN } from '../districts.js';
import { DateString, Id, Nullable, NullFirst, StringEnum, VersionNumber } from './common.schemas.js';
import { StockListItem } from './stock-lists.schemas.js';

/** 年度实施计划 and 台账 (issue 18 item 5; seed 004 三(二)2, 三(四), 四; seed 000 五(三)). */

/** A 盘活模式: the same item shape as 两库一清单's configurable lists (code, label, note). */
const ModeItem = StockListItem;

export const PlanPolicy = Type.Object({
  version: Type.Integer(),
  modes: Type.Array(ModeItem, { description: '盘活模式 (seed 004 四)' }),
  pilotMin: Type.Integer({ description: '每区每年试点项目下限' }),
  pilotMax: Type.Integer({ description: '每区每年试点项目上限 (more is a warning, not a refusal)' }),
  source: Type.String(),
  localRule: Type.Boolean(),
  note: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type PlanPolicy = Static<typeof PlanPolicy>;

export const PlanPolicyVersions = Type.Object({ current: PlanPolicy, versions: Type.Array(PlanPolicy) });
export type PlanPolicyVersions = Static<typeof PlanPolicyVersions>;

export const PlanPolicyRevision = Type.Object({
  modes: Type.Array(ModeItem, { minItems: 1, maxItems: 30 }),
  pilotMin: Type.Integer({ minimum: 0, maximum: 50 }),
  pilotMax: Type.Integer({ minimum: 1, maximum: 50 }),
  source: Type.String({ minLength: 1, maxLength: 2000 }),
  localRule: Type.Boolean(),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false });
export type PlanPolicyRevision = Static<typeof PlanPolicyRevision>;

export const PlanCreate = Type.Object({
  districtCode: Type.String({ pattern: DISTRICT_CODE_PATTERN, description: '区县 (one plan per district and year)' }),
  year: Type.Integer({ minimum: 2000, maximum: 2999, description: '计划年度' }),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'default: <区><年>年度低效用地再开发实施计划' })),
  note: Type.Optional(Type.String({ maxLength: 4000 })),
}, { additionalProperties: false });
export type PlanCreate = Static<typeof PlanCreate>;

export const PlanPatch = Type.Object({
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  note: Type.Optional(NullFirst(Type.String({ maxLength: 4000 }))),
  expectedVersion: VersionNumber({ description: 'the version the edit started from (409 stale_version otherwise)' }),
}, { additionalProperties: false });
export type PlanPatch = Static<typeof PlanPatch>;

export const PlanTransition = Type.Object({
  state: StringEnum(PLAN_STATE_CODES),
  reason: Type.Optional(Type.String({ maxLength: 4000, description: '意见或理由; required to send a plan back (退回修改)' })),
  expectedVersion: VersionNumber(),
}, { additionalProperties: false });
export type PlanTransition = Static<typeof PlanTransition>;

export const PlanParams = Type.Object({ id: Id({ description: 'plan id' }) });
export type PlanParams = Static<typeof PlanParams>;

const SchemeBody = Type.Object({
  renovation: Type.Optional(Type.String({ maxLength: 4000, description: '改造计划' })),
  operation: Type.Optional(Type.String({ maxLength: 4000, description: '项目运营计划' })),
  funding: Type.Optional(Type.String({ maxLength: 4000, description: '资金平衡测算及筹措' })),
  schedule: Type.Optional(Type.String({ maxLength: 4000, description: '建设时序' })),
}, { additionalProperties: false, description: '再开发实施方案 (seed 004 三(四)1); its 盘活模式 is the project\'s mode' });

const projectFacts = {
  name: Type.String({ minLength: 1, maxLength: 200, description: '项目名称' }),
  developer: Type.String({ minLength: 1, maxLength: 200, description: '开发主体（实施主体）' }),
  content: Type.String({ minLength: 1, maxLength: 4000, description: '实施内容' }),
  mode: Type.String({ minLength: 1, maxLength: 40, description: '盘活模式: a code of the plan\'s policy modes' }),
  parcelIds: Type.Optional(Type.Array(Id(), { maxItems: 200, uniqueItems: true, description: '关联地块' })),
  areaIds: Type.Optional(Type.Array(Id(), { maxItems: 50, uniqueItems: true, description: '关联成片改造区域' })),
  pilot: Type.Optional(Type.Boolean({ description: '试点项目 (seed 000: 1–2 per district)' })),
  scheme: Type.Optional(SchemeBody),
};

export const ProjectCreate = Type.Object(projectFacts, { additionalProperties: false });
export type ProjectCreate = Static<typeof ProjectCreate>;

export const ProjectPatch = Type.Object({
  name: Type.Optional(projectFacts.name),
  developer: Type.Optional(projectFacts.developer),
  content: Type.Optional(projectFacts.content),
  mode: Type.Optional(projectFacts.mode),
  parcelIds: projectFacts.parcelIds,
  areaIds: projectFacts.areaIds,
  pilot: projectFacts.pilot,
  scheme: projectFacts.scheme,
  expectedVersion: VersionNumber(),
}, { additionalProperties: false });
export type ProjectPatch = Static<typeof ProjectPatch>;

export const ProjectParams = Type.Object({ id: Id({ description: 'project id' }) });
export type ProjectParams = Static<typeof ProjectParams>;

export const MilestoneCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, description: '节点名称' }),
  plannedDate: DateString({ description: '计划完成日期' }),
  responsibleUnit: Type.String({ minLength: 1, maxLength: 200, description: '责任单位' }),
  doneDate: Type.Optional(NullFirst(DateString({ description: '实际完成日期' }))),
  note: Type.Optional(NullFirst(Type.String({ maxLength: 2000 }))),
}, { additionalProperties: false });
export type MilestoneCreate = Static<typeof MilestoneCreate>;

export const MilestonePatch = Type.Object({
  name: Type.Optional(MilestoneCreate.properties.name),
  plannedDate: Type.Optional(MilestoneCreate.properties.plannedDate),
  responsibleUnit: Type.Optional(MilestoneCreate.properties.responsibleUnit),
  doneDate: MilestoneCreate.properties.doneDate,
  note: MilestoneCreate.properties.note,
  expectedVersion: VersionNumber(),
}, { additionalProperties: false });
export type MilestonePatch = Static<typeof MilestonePatch>;

export const MilestoneParams = Type.Object({ id: Id({ description: 'milestone id' }) });
export type MilestoneParams = Static<typeof MilestoneParams>;

export const Milestone = Type.Object({
  id: Type.Integer(),
  projectId: Type.Integer(),
  name: Type.String(),
  plannedDate: Type.String({ description: 'YYYY-MM-DD' }),
  responsibleUnit: Type.String(),
  doneDate: Nullable(Type.String({ description: 'YYYY-MM-DD' })),
  note: Nullable(Type.String()),
  status: StringEnum(['done', 'done_late', 'overdue', 'pending'] as const, { description: '按期完成 / 逾期完成 / 已逾期 / 未到期 (domain/annual-plans.ts milestoneStatus)' }),
  overdue: Type.Boolean(),
  daysLate: Type.Integer(),
  version: Type.Integer(),
  updatedBy: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Milestone = Static<typeof Milestone>;

const LinkedParcel = Type.Object({ id: Type.Integer(), code: Nullable(Type.String({ description: 'null when the parcel no longer exists' })) });
const LinkedArea = Type.Object({ id: Type.Integer(), name: Nullable(Type.String()) });

export const PlanProject = Type.Object({
  id: Type.Integer(),
  planId: Type.Integer(),
  name: Type.String(),
  developer: Type.String(),
  content: Type.String(),
  mode: Type.String(),
  modeLabel: Type.String(),
  parcels: Type.Array(LinkedParcel),
  areas: Type.Array(LinkedArea),
  pilot: Type.Boolean(),
  scheme: Type.Object({ renovation: Type.String(), operation: Type.String(), funding: Type.String(), schedule: Type.String() }),
  milestones: Type.Array(Milestone),
  version: Type.Integer(),
  updatedBy: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type PlanProject = Static<typeof PlanProject>;

export const Plan = Type.Object({
  id: Type.Integer(),
  districtCode: Type.String(),
  districtName: Type.String(),
  year: Type.Integer(),
  title: Type.String(),
  note: Nullable(Type.String()),
  state: Type.String(),
  stateLabel: Type.String(),
  stateAt: Type.String({ format: 'date-time' }),
  policyVersion: Type.Integer(),
  projectCount: Type.Integer(),
  pilotCount: Type.Integer(),
  milestoneCount: Type.Integer(),
  doneCount: Type.Integer(),
  overdueCount: Type.Integer(),
  nextStates: Type.Array(Type.String()),
  version: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Plan = Static<typeof Plan>;

export const PlanStep = Type.Object({
  from: Type.String(), to: Type.String(), reason: Nullable(Type.String()), actor: Type.String(), actorName: Type.String(), at: Type.String({ format: 'date-time' }),
});
export type PlanStep = Static<typeof PlanStep>;

export const PlanDetail = Type.Object({
  ...Plan.properties,
  projects: Type.Array(PlanProject),
  steps: Type.Array(PlanStep),
  modes: Type.Array(ModeItem, { description: 'the 盘活模式 of the plan\'s policy version' }),
  pilotWarning: Nullable(Type.String({ description: '试点 count outside the policy\'s range' })),
  projectsEditable: Type.Boolean({ description: 'projects change only while 编制中 (local rule)' }),
  today: Type.String(),
});
export type PlanDetail = Static<typeof PlanDetail>;

export const PlanListQuery = Type.Object({
  district: Type.Optional(Type.String({ pattern: DISTRICT_CODE_PATTERN, description: '行政区划代码 (city or district)' })),
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2999 })),
  state: Type.Optional(StringEnum(PLAN_STATE_CODES)),
}, { additionalProperties: false });
export type PlanListQuery = Static<typeof PlanListQuery>;

export const PlanList = Type.Object({ items: Type.Array(Plan), today: Type.String() });
export type PlanList = Static<typeof PlanList>;

export const LedgerQuery = Type.Object({
  ...PlanListQuery.properties,
  planId: Type.Optional(Id()),
  unit: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: '责任单位 (exact)' })),
  overdue: Type.Optional(Type.Boolean({ description: 'only milestones past their planned date and not done' })),
}, { additionalProperties: false });
export type LedgerQuery = Static<typeof LedgerQuery>;

export const LedgerRow = Type.Object({
  ...Milestone.properties,
  projectName: Type.String(),
  developer: Type.String(),
  modeLabel: Type.String(),
  pilot: Type.Boolean(),
  planId: Type.Integer(),
  planTitle: Type.String(),
  planState: Type.String(),
  year: Type.Integer(),
  districtCode: Type.String(),
  districtName: Type.String(),
});
export type LedgerRow = Static<typeof LedgerRow>;

export const Ledger = Type.Object({
  items: Type.Array(LedgerRow),
  total: Type.Integer(),
  overdue: Type.Integer(),
  done: Type.Integer(),
  units: Type.Array(Type.Object({ unit: Type.String(), total: Type.Integer(), overdue: Type.Integer(), done: Type.Integer() }), { description: 'every responsible unit among the matching milestones (filters but unit and overdue)' }),
  today: Type.String(),
});
export type Ledger = Static<typeof Ledger>;

export const PlanReportQuery = Type.Object({
  kind: StringEnum(PLAN_REPORT_KINDS, { description: 'bimonthly 双月工作简报 / half-year 半年工作进展情况报告' }),
  period: Type.Optional(Type.Integer({ minimum: 1, maximum: 6, description: '第几期 (1–6) or 上/下半年 (1–2); default: the period of today' })),
}, { additionalProperties: false });
export type PlanReportQuery = Static<typeof PlanReportQuery>;

export const PdfFile = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description: 'application/pdf' });
