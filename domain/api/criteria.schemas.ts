import { Type, type Static } from 'typebox';
import { INEFFICIENCY_TYPE_CODES } from '../efficiency.js';
import { CRITERIA_SET_STATE_CODES, CRITERION_COMPARISON_CODES } from '../identification/criteria.js';
import { MEASURE_CODES } from '../identification/measures.js';
import { DateString, Id, Nullable, NullFirst, PageNumber, StringEnum, VersionNumber } from './common.schemas.js';

/** Where a criterion or a threshold comes from: the document and the sentence. */
export const CriterionSource = Type.Object({
  document: Type.String({ minLength: 1, maxLength: 300, description: '文件名称与文号' }),
  article: Type.Optional(Type.String({ maxLength: 100, description: '条款' })),
  text: Type.String({ minLength: 1, maxLength: 2000, description: '原文' }),
});
export type CriterionSource = Static<typeof CriterionSource>;

const CODE_PREFIX = Type.String({ pattern: '^[0-9A-Z]{1,6}$', description: '代码或其前缀' });

/** One criterion: a measure compared with a threshold, where it applies, what it suggests, its source. */
export const Criterion = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9_-]{1,40}$', description: '编号（小写字母、数字、-、_）' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  measure: StringEnum(MEASURE_CODES, { description: '指标 (domain/identification/measures.ts)' }),
  comparison: StringEnum(CRITERION_COMPARISON_CODES, { description: 'lt 低于 / lte 不高于 / gt 高于 / gte 不低于 / is_true 为是（是/否指标）' }),
  threshold: NullFirst(Type.Number({ minimum: 0, maximum: 1e7, description: '阈值，单位为指标的单位（是/否指标为 null）' })),
  landUses: Type.Array(CODE_PREFIX, { maxItems: 30, description: '适用的土地用途（地类编码前缀）；空为全部' }),
  industries: Type.Array(CODE_PREFIX, { maxItems: 100, description: '适用的国民经济行业分类（前缀）；空为全部' }),
  industryList: Type.Optional(Type.Array(CODE_PREFIX, { maxItems: 500, description: 'listed_industry: 淘汰类/限制类目录（行业代码前缀）' })),
  industryListName: Type.Optional(Type.String({ maxLength: 100, description: '目录名称，如《产业结构调整指导目录》淘汰类' })),
  suggestedTypes: Type.Array(StringEnum(INEFFICIENCY_TYPE_CODES), { minItems: 1, maxItems: INEFFICIENCY_TYPE_CODES.length, description: '建议的低效类型' }),
  source: CriterionSource,
  local: Type.Boolean({ description: 'true: 本地规则（无种子文件给出此阈值）' }),
});
export type Criterion = Static<typeof Criterion>;

const CriteriaSetFields = {
  districtCode: Type.String(),
  name: Type.String(),
  state: StringEnum(CRITERIA_SET_STATE_CODES, { description: 'draft 草案 / approved 已批准 / published 已发布 / retired 已废止' }),
  example: Type.Boolean({ description: '示例标准（演示数据，未经批准）' }),
  approvalAuthority: Nullable(Type.String({ description: '批准机关' })),
  documentNo: Nullable(Type.String({ description: '文号' })),
  approvedOn: Nullable(Type.String({ description: '批准日期' })),
  publishedOn: Nullable(Type.String({ description: '发布日期' })),
  retiredOn: Nullable(Type.String({ description: '废止日期' })),
  criteria: Type.Array(Criterion),
  note: Nullable(Type.String()),
};

/** A criteria set at its current version, with the state steps it may take next. */
export const CriteriaSet = Type.Object({
  id: Type.Integer(),
  version: Type.Integer(),
  ...CriteriaSetFields,
  districtName: Type.String(),
  allowedSteps: Type.Array(StringEnum(CRITERIA_SET_STATE_CODES)),
  updatedBy: Type.String(),
  updatedAt: Type.String(),
});
export type CriteriaSet = Static<typeof CriteriaSet>;

export const CriteriaSetList = Type.Object({ items: Type.Array(CriteriaSet) });
export type CriteriaSetList = Static<typeof CriteriaSetList>;

/** One stored version (every change is one). */
export const CriteriaSetVersion = Type.Object({
  setId: Type.Integer(),
  version: Type.Integer(),
  ...CriteriaSetFields,
  change: Type.String({ description: 'create / edit / approved / published / retired / draft' }),
  createdBy: Type.String(),
  createdAt: Type.String(),
});
export type CriteriaSetVersion = Static<typeof CriteriaSetVersion>;
export const CriteriaSetVersionList = Type.Object({ items: Type.Array(CriteriaSetVersion) });
export type CriteriaSetVersionList = Static<typeof CriteriaSetVersionList>;

export const CriteriaSetQuery = Type.Object({ district: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })) });
export type CriteriaSetQuery = Static<typeof CriteriaSetQuery>;
export const CriteriaSetParams = Type.Object({ id: Id() });
export type CriteriaSetParams = Static<typeof CriteriaSetParams>;

/** POST /api/criteria-sets: a new set, as a 草案. */
export const CriteriaSetCreate = Type.Object({
  districtCode: Type.String({ pattern: '^[0-9]{6}$', description: '区县代码' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  criteria: Type.Array(Criterion, { minItems: 1, maxItems: 50 }),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false });
export type CriteriaSetCreate = Static<typeof CriteriaSetCreate>;

/** PUT /api/criteria-sets/:id: edits a 草案 (a new version); `version` is the one edited. */
export const CriteriaSetEdit = Type.Object({
  version: VersionNumber({ description: '所修改的版本（防止覆盖他人的修改）' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  criteria: Type.Array(Criterion, { minItems: 1, maxItems: 50 }),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false });
export type CriteriaSetEdit = Static<typeof CriteriaSetEdit>;

/** POST /api/criteria-sets/:id/state: one state step (a new version). */
export const CriteriaSetStep = Type.Object({
  version: VersionNumber(),
  state: StringEnum(CRITERIA_SET_STATE_CODES),
  approvalAuthority: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: '批准机关（批准时必填）' })),
  documentNo: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: '文号（批准时必填）' })),
  approvedOn: Type.Optional(DateString({ description: '批准日期（批准时必填）' })),
  publishedOn: Type.Optional(DateString({ description: '发布日期（默认今天）' })),
  retiredOn: Type.Optional(DateString({ description: '废止日期（默认今天）' })),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false });
export type CriteriaSetStep = Static<typeof CriteriaSetStep>;

/** POST /api/criteria-runs: runs the district's published set (or the given one, which must be published). */
export const CriteriaRunRequest = Type.Object({
  districtCode: Type.String({ pattern: '^[0-9]{6}$' }),
  referenceDate: Type.Optional(DateString({ description: '评价日（停产月数、逾期按此日计；默认今天）' })),
}, { additionalProperties: false });
export type CriteriaRunRequest = Static<typeof CriteriaRunRequest>;

export const CriteriaRun = Type.Object({
  id: Type.Integer(),
  districtCode: Type.String(),
  districtName: Type.String(),
  setId: Type.Integer(),
  setVersion: Type.Integer(),
  setName: Type.String(),
  referenceDate: Type.String(),
  evaluated: Type.Integer({ description: '参与初筛的地块数' }),
  flagged: Type.Integer({ description: '命中至少一条标准的地块数' }),
  incomplete: Type.Integer({ description: '有标准因数据不全无法判断的地块数' }),
  decided: Type.Integer({ description: '已作出决定（纳入、排除、待定）的地块数' }),
  runBy: Type.String(),
  runAt: Type.String(),
});
export type CriteriaRun = Static<typeof CriteriaRun>;
export const CriteriaRunList = Type.Object({ items: Type.Array(CriteriaRun) });
export type CriteriaRunList = Static<typeof CriteriaRunList>;
export const CriteriaRunQuery = Type.Object({ district: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })) });
export type CriteriaRunQuery = Static<typeof CriteriaRunQuery>;
export const CriteriaRunParams = Type.Object({ id: Id() });
export type CriteriaRunParams = Static<typeof CriteriaRunParams>;

export const RUN_PARCEL_FILTERS = ['flagged', 'incomplete', 'all'] as const;
export const CriteriaRunParcelsQuery = Type.Object({
  filter: Type.Optional(StringEnum(RUN_PARCEL_FILTERS, { description: 'flagged 命中标准 / incomplete 数据不全 / all' })),
  page: Type.Optional(PageNumber),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});
export type CriteriaRunParcelsQuery = Static<typeof CriteriaRunParcelsQuery>;

export const CriterionHit = Type.Object({
  criterionId: Type.String(),
  criterionName: Type.String(),
  measure: Type.String(),
  measureLabel: Type.String(),
  value: Type.Union([Type.Number(), Type.Boolean()]),
  threshold: Nullable(Type.Number()),
  comparison: Type.String(),
  unit: Type.String(),
  suggestedTypes: Type.Array(Type.String()),
});
export const CriterionIncomplete = Type.Object({
  criterionId: Type.String(),
  criterionName: Type.String(),
  measure: Type.String(),
  measureLabel: Type.String(),
  missing: Type.Array(Type.String()),
  missingLabels: Type.Array(Type.String()),
});

export const RUN_DECISIONS = [
  { code: 'include', label: '纳入认定' },
  { code: 'exclude', label: '排除' },
  { code: 'pending', label: '待定' },
] as const;
export type RunDecision = (typeof RUN_DECISIONS)[number]['code'];
export const RUN_DECISION_CODES = RUN_DECISIONS.map((decision) => decision.code) as RunDecision[];

export const CriteriaRunParcel = Type.Object({
  runId: Type.Integer(),
  parcelId: Type.Integer(),
  parcelCode: Type.String(),
  owner: Nullable(Type.String()),
  status: Nullable(Type.String({ description: '地块当前的效率状态（初筛不改变它）' })),
  hits: Type.Array(CriterionHit),
  incomplete: Type.Array(CriterionIncomplete),
  suggestedTypes: Type.Array(Type.String()),
  decision: Nullable(StringEnum(RUN_DECISION_CODES)),
  reason: Nullable(Type.String()),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
});
export type CriteriaRunParcel = Static<typeof CriteriaRunParcel>;

export const CriteriaRunParcelPage = Type.Object({
  run: CriteriaRun,
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  items: Type.Array(CriteriaRunParcel),
});
export type CriteriaRunParcelPage = Static<typeof CriteriaRunParcelPage>;

export const CriteriaDecisionParams = Type.Object({ id: Id(), parcelId: Id() });
export type CriteriaDecisionParams = Static<typeof CriteriaDecisionParams>;
export const CriteriaDecision = Type.Object({
  decision: StringEnum(RUN_DECISION_CODES, { description: 'include 纳入认定 / exclude 排除（须写理由）/ pending 待定' }),
  reason: Type.Optional(Type.String({ maxLength: 1000, description: '理由（排除时必填）' })),
}, { additionalProperties: false });
export type CriteriaDecision = Static<typeof CriteriaDecision>;
