import { Type, type Static } from 'typebox';
import { EVALUATION_GRADES } from '../efficiency.js';
import { GRADING_MEASURE_CODES } from '../identification/measures.js';
import { CriterionSource } from './criteria.schemas.js';
import { Id, Nullable, StringEnum } from './common.schemas.js';

export const GRADING_CUTOFF_MODES = [
  { code: 'rank', label: '按排名（累计比例）' },
  { code: 'score', label: '按得分' },
] as const;
export type GradingCutoffMode = (typeof GRADING_CUTOFF_MODES)[number]['code'];

/** One weighed measure of a scheme (its direction comes from domain/identification/measures.ts). */
export const GradingMeasure = Type.Object({
  measure: StringEnum(GRADING_MEASURE_CODES, { description: '指标 (domain/identification/measures.ts)' }),
  weight: Type.Number({ exclusiveMinimum: 0, maximum: 100, description: '权重（各指标权重按比例计）' }),
});
export type GradingMeasure = Static<typeof GradingMeasure>;

/**
 * Cut-offs of A, B and C (D is the rest). By rank: the cumulative share from the top (0.25 = the top
 * 25 % are A); by score: the least score (0–100) of the grade.
 */
export const GradingCutoffs = Type.Object({
  mode: StringEnum(GRADING_CUTOFF_MODES.map((mode) => mode.code)),
  a: Type.Number({ minimum: 0, maximum: 100 }),
  b: Type.Number({ minimum: 0, maximum: 100 }),
  c: Type.Number({ minimum: 0, maximum: 100 }),
});
export type GradingCutoffs = Static<typeof GradingCutoffs>;

const SchemeFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  measures: Type.Array(GradingMeasure, { minItems: 1, maxItems: GRADING_MEASURE_CODES.length }),
  cutoffs: GradingCutoffs,
  landUses: Type.Array(Type.String({ pattern: '^[0-9A-Z]{1,6}$' }), { maxItems: 30, description: '参与分级的土地用途（前缀）；空为全部' }),
  source: CriterionSource,
  local: Type.Boolean({ description: 'true: 本地规则（种子文件只给出等级，未给出方法与切分点）' }),
};

export const GradingScheme = Type.Object({
  districtCode: Type.String(),
  districtName: Type.String(),
  version: Type.Integer(),
  ...SchemeFields,
  note: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
});
export type GradingScheme = Static<typeof GradingScheme>;
export const GradingSchemeList = Type.Object({ items: Type.Array(GradingScheme) });
export type GradingSchemeList = Static<typeof GradingSchemeList>;

export const GradingSchemeParams = Type.Object({ district: Type.String({ pattern: '^[0-9]{6}$' }) });
export type GradingSchemeParams = Static<typeof GradingSchemeParams>;
export const GradingSchemeQuery = Type.Object({ district: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })) });
export type GradingSchemeQuery = Static<typeof GradingSchemeQuery>;

/** PUT /api/grading-schemes/:district: the next version of the district's scheme. */
export const GradingSchemeRevision = Type.Object({
  ...SchemeFields,
  note: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false });
export type GradingSchemeRevision = Static<typeof GradingSchemeRevision>;

export const GradingRunRequest = Type.Object({ districtCode: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false });
export type GradingRunRequest = Static<typeof GradingRunRequest>;

export const GradeCounts = Type.Object({ A: Type.Integer(), B: Type.Integer(), C: Type.Integer(), D: Type.Integer() });
export const GradingRun = Type.Object({
  id: Type.Integer(),
  districtCode: Type.String(),
  districtName: Type.String(),
  schemeVersion: Type.Integer(),
  graded: Type.Integer({ description: '得到等级的地块数' }),
  ungraded: Type.Integer({ description: '无任何指标数据、未评等级的地块数' }),
  changed: Type.Integer({ description: '等级有变化的地块数（每宗一条历史）' }),
  counts: GradeCounts,
  runBy: Type.String(),
  runAt: Type.String(),
});
export type GradingRun = Static<typeof GradingRun>;
export const GradingRunList = Type.Object({ items: Type.Array(GradingRun) });
export type GradingRunList = Static<typeof GradingRunList>;

/** One measure's part in a grade: its value, where it ranks (0–100, 100 = best) and its weight. */
export const GradeFigure = Type.Object({
  measure: Type.String(),
  label: Type.String(),
  unit: Type.String(),
  value: Nullable(Type.Number()),
  percentile: Nullable(Type.Number({ description: '本区参评地块中的百分位（100 为最好）' })),
  weight: Type.Number(),
});
export type GradeFigure = Static<typeof GradeFigure>;

/** GET /api/parcels/:id/grade: the parcel's grade of the latest run and why. */
export const GradeExplanation = Type.Object({
  parcelId: Type.Integer(),
  grade: Nullable(StringEnum(EVALUATION_GRADES)),
  previousGrade: Nullable(Type.String()),
  score: Nullable(Type.Number({ description: '综合得分 0–100（各指标百分位的加权平均）' })),
  rank: Nullable(Type.Integer()),
  ofTotal: Type.Integer(),
  figures: Type.Array(GradeFigure),
  cutoffs: GradingCutoffs,
  runId: Type.Integer(),
  runAt: Type.String(),
  schemeVersion: Type.Integer(),
  schemeName: Type.String(),
  local: Type.Boolean(),
});
export type GradeExplanation = Static<typeof GradeExplanation>;
export const ParcelGradeParams = Type.Object({ id: Id() });
export type ParcelGradeParams = Static<typeof ParcelGradeParams>;
