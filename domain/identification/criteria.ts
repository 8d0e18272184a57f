import { INEFFICIENCY_TYPE_CODES, type InefficiencyType } from '../efficiency.js';
import { PARCEL_FIELDS, type ParcelKey } from '../parcel-fields.js';
import { measureOf, type MeasureContext, type MeasureInputs } from './measures.js';

/**
 * 认定标准 (criteria sets): their states and how one set evaluates one parcel. Pure code: the
 * server reads the parcels' figures in one statement and evaluates every parcel here.
 */

/** 草案 → 已批准 → 已发布 → 已废止 (seed 003 二: "经区政府、管委会批准后，公开发布实施"). */
export const CRITERIA_SET_STATES = [
  { code: 'draft', label: '草案' },
  { code: 'approved', label: '已批准' },
  { code: 'published', label: '已发布' },
  { code: 'retired', label: '已废止' },
] as const;
export type CriteriaSetState = (typeof CRITERIA_SET_STATES)[number]['code'];
export const CRITERIA_SET_STATE_CODES = CRITERIA_SET_STATES.map((state) => state.code) as CriteriaSetState[];

/**
 * The steps a set may take from each state. Back from 已批准 to 草案 (退回修改) and 草案 straight to
 * 已废止 (discarded) are local rules: the seed names only approval and publication.
 */
export const CRITERIA_SET_STEPS: Readonly<Record<CriteriaSetState, readonly CriteriaSetState[]>> = {
  draft: ['approved', 'retired'],
  approved: ['published', 'draft', 'retired'],
  published: ['retired'],
  retired: [],
};

export function criteriaSetStateLabel(code: string): string {
  return CRITERIA_SET_STATES.find((state) => state.code === code)?.label ?? code;
}

export const CRITERION_COMPARISONS = [
  { code: 'lt', label: '低于', symbol: '<' },
  { code: 'lte', label: '不高于', symbol: '≤' },
  { code: 'gt', label: '高于', symbol: '>' },
  { code: 'gte', label: '不低于', symbol: '≥' },
  { code: 'is_true', label: '为是', symbol: '是' },
] as const;
export type CriterionComparison = (typeof CRITERION_COMPARISONS)[number]['code'];
export const CRITERION_COMPARISON_CODES = CRITERION_COMPARISONS.map((comparison) => comparison.code) as CriterionComparison[];

/** One criterion as the evaluation reads it (the contract's Criterion). */
export interface CriterionRule {
  id: string;
  measure: string;
  comparison: CriterionComparison;
  threshold: number | null;
  /** 土地用途 code prefixes it applies to; empty = every land use. */
  landUses: readonly string[];
  /** 国民经济行业分类 prefixes it applies to; empty = every industry. */
  industries: readonly string[];
  /** For `listed_industry`: the 淘汰类/限制类 codes (prefixes). */
  industryList?: readonly string[];
  suggestedTypes: readonly string[];
}

export interface CriterionHit {
  criterionId: string;
  measure: string;
  value: number | boolean;
  threshold: number | null;
  comparison: CriterionComparison;
  unit: string;
  suggestedTypes: string[];
}

export interface CriterionIncomplete {
  criterionId: string;
  measure: string;
  /** The card fields that are empty (API keys). */
  missing: string[];
  /** Their labels, for the list. */
  missingLabels: string[];
}

export interface ParcelEvaluation {
  hits: CriterionHit[];
  incomplete: CriterionIncomplete[];
  suggestedTypes: InefficiencyType[];
}

export function compares(comparison: CriterionComparison, value: number | boolean, threshold: number | null): boolean {
  if (comparison === 'is_true') return value === true;
  if (typeof value !== 'number' || threshold === null) return false;
  switch (comparison) {
    case 'lt': return value < threshold;
    case 'lte': return value <= threshold;
    case 'gt': return value > threshold;
    case 'gte': return value >= threshold;
  }
}

const startsWithAny = (code: string, prefixes: readonly string[]) => prefixes.some((prefix) => code.startsWith(prefix));
const fieldLabel = (key: string) => PARCEL_FIELDS.find((field) => field.key === key)?.label ?? key;

/**
 * Evaluates every criterion of a set on one parcel: the criteria it meets (hits, with the value,
 * threshold and unit), those it cannot evaluate for want of figures (数据不全 — never passed
 * silently), and the 低效类型 the hits suggest. A criterion limited to land uses or industries is
 * skipped for a parcel of another use; a parcel whose use is unknown cannot be evaluated by it.
 */
export function evaluateParcel(criteria: readonly CriterionRule[], inputs: MeasureInputs, context: Omit<MeasureContext, 'industryList'>): ParcelEvaluation {
  const hits: CriterionHit[] = [];
  const incomplete: CriterionIncomplete[] = [];
  for (const criterion of criteria) {
    const measure = measureOf(criterion.measure);
    if (!measure) continue;
    const unknownScope: ParcelKey[] = [];
    if (criterion.landUses.length > 0) {
      if (!inputs.landUseCode) unknownScope.push('landUseCode');
      else if (!startsWithAny(inputs.landUseCode, criterion.landUses)) continue;
    }
    if (criterion.industries.length > 0) {
      if (!inputs.industryCode) unknownScope.push('industryCode');
      else if (!startsWithAny(inputs.industryCode, criterion.industries)) continue;
    }
    const result = unknownScope.length > 0 ? { missing: unknownScope } : measure.compute(inputs, { ...context, industryList: criterion.industryList });
    if ('missing' in result) {
      incomplete.push({ criterionId: criterion.id, measure: criterion.measure, missing: [...result.missing], missingLabels: result.missing.map(fieldLabel) });
      continue;
    }
    if (compares(criterion.comparison, result.value, criterion.threshold)) {
      hits.push({
        criterionId: criterion.id, measure: criterion.measure, value: result.value, threshold: criterion.threshold,
        comparison: criterion.comparison, unit: measure.unit, suggestedTypes: [...criterion.suggestedTypes],
      });
    }
  }
  const suggested = new Set(hits.flatMap((hit) => hit.suggestedTypes));
  return { hits, incomplete, suggestedTypes: INEFFICIENCY_TYPE_CODES.filter((code) => suggested.has(code)) };
}

/** Problems of a set's criteria the schema cannot see, each naming the criterion and field. */
export function criteriaProblems(criteria: readonly (CriterionRule & { name?: string })[]): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  criteria.forEach((criterion, index) => {
    const where = `criteria.${index}`;
    const name = `第 ${index + 1} 条标准${criterion.name ? `“${criterion.name}”` : ''}`;
    if (seen.has(criterion.id)) problems.push({ field: `${where}.id`, message: `${name}的编号 ${criterion.id} 重复：每条标准的编号须不同。` });
    seen.add(criterion.id);
    const measure = measureOf(criterion.measure);
    if (!measure) {
      problems.push({ field: `${where}.measure`, message: `${name}的指标 ${criterion.measure} 不存在。` });
      return;
    }
    if (measure.kind === 'flag' && criterion.comparison !== 'is_true') {
      problems.push({ field: `${where}.comparison`, message: `${name}：指标“${measure.label}”是“是/否”判断，比较方式应为“为是”(is_true)。` });
    }
    if (measure.kind === 'number' && criterion.comparison === 'is_true') {
      problems.push({ field: `${where}.comparison`, message: `${name}：指标“${measure.label}”是数值，比较方式应为 低于/不高于/高于/不低于。` });
    }
    if (measure.kind === 'number' && (criterion.threshold === null || criterion.threshold === undefined)) {
      problems.push({ field: `${where}.threshold`, message: `${name}：请填写阈值（单位：${measure.unit || '无'}）。` });
    }
    if (criterion.measure === 'listed_industry' && (criterion.industryList ?? []).length === 0) {
      problems.push({ field: `${where}.industryList`, message: `${name}：请录入淘汰类/限制类行业目录（国民经济行业分类代码，如 C3011）。` });
    }
    if (criterion.suggestedTypes.length === 0) {
      problems.push({ field: `${where}.suggestedTypes`, message: `${name}：请至少选择一个建议的低效类型。` });
    }
  });
  return problems;
}

/** Why a criteria or grading request was refused (mapped to HTTP in server/errors.ts). */
export const ILLEGAL_STEP = 'illegal_step';
export const CRITERIA_SET_NOT_DRAFT = 'criteria_set_not_draft';
export const STALE_CRITERIA_VERSION = 'stale_version';
export const NO_PUBLISHED_CRITERIA = 'no_published_criteria';
export const NO_GRADING_SCHEME = 'no_grading_scheme';

export type CriteriaRefusal =
  | { reason: typeof ILLEGAL_STEP; subject: string; from: string; to: string; allowed: readonly string[] }
  | { reason: typeof CRITERIA_SET_NOT_DRAFT; state: string }
  | { reason: typeof STALE_CRITERIA_VERSION; current: number; given: number }
  | { reason: typeof NO_PUBLISHED_CRITERIA; district: string }
  | { reason: typeof NO_GRADING_SCHEME; district: string };
