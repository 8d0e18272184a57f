/**
 * Policy checks of a 成片改造区域 (contiguous redevelopment area). Pure: the browser runs it on
 * every vertex drag, the server runs it behind POST /api/checks, on the same figures, so the two
 * agree. Limits are data (a rule set per city, fixtures/rule-sets.json), never constants here.
 */
import type { CheckResult } from '../api/checks.schemas.js';
import type { Rule, RuleSet, RuleSource } from '../api/rules.schemas.js';
import { roundTo } from '../units.js';
import { MEASURES, type Comparison } from './measures.js';

export { COMPARISONS, MEASURES, MEASURE_IDS, type Comparison, type MeasureId } from './measures.js';
export { ruleSetProblems, validateRuleSet, type RuleSetProblem } from './rule-set.validation.js';
/** The shapes are the shared contract's (domain/api): one definition for the rule code, the server and the browser. */
export type { CheckResult, Rule, RuleSet, RuleSource };

/** The figures a check needs; areas in m² (ellipsoidal, CGCS2000). */
export interface ProjectFigures {
  projectLandM2: number;
  fragmentLandM2: number;
  supportingLandM2: number;
  /** 计容建筑面积 figures entered by the planner (null when not entered yet). */
  totalFloorAreaM2: number | null;
  supportingFloorAreaM2: number | null;
  factoryFloorAreaM2: number | null;
  /** Separate pieces of the area under the rule's gap tolerance. */
  pieces: number;
}

/**
 * Ratios are compared at the precision they are reported with (0.0001, i.e. 0.01 % of a share):
 * what an official reads is what was decided, and a FAR of exactly 2.0 is not failed by a
 * floating-point 1.9999999.
 */
export const RATIO_DECIMALS = 4;
/** Areas are official to the centimetre² (2 decimals of m²). */
export const AREA_DECIMALS = 2;

export function compare(value: number, comparison: Comparison, limit: number): boolean {
  switch (comparison) {
    case '<=': return value <= limit;
    case '>=': return value >= limit;
    case '<': return value < limit;
    case '>': return value > limit;
  }
}

function figure(figures: ProjectFigures, name: string): number | null {
  const value = (figures as unknown as Record<string, number | null>)[name];
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return name === 'pieces' ? value : roundTo(value, AREA_DECIMALS);
}

export function evaluateRule(rule: Rule, figures: ProjectFigures): CheckResult {
  const measure = MEASURES[rule.measure];
  const numerator = figure(figures, measure.numerator);
  const denominator = measure.denominator === null ? null : figure(figures, measure.denominator);
  let ratio: number | null;
  if (measure.denominator === null) ratio = numerator;
  else ratio = numerator === null || denominator === null || denominator <= 0 ? null : roundTo(numerator / denominator, RATIO_DECIMALS);
  return {
    id: rule.id,
    name: rule.name,
    measure: rule.measure,
    numerator,
    denominator,
    ratio,
    limit: rule.limit,
    comparison: rule.comparison,
    pass: ratio === null ? null : compare(ratio, rule.comparison, rule.limit),
    source: rule.source,
    denominatorDefinition: rule.denominator,
  };
}

export function evaluateRuleSet(ruleSet: Pick<RuleSet, 'rules'>, figures: ProjectFigures): CheckResult[] {
  return ruleSet.rules.map((rule) => evaluateRule(rule, figures));
}

/** The gap tolerance the contiguity rule of a set asks for (0 = must touch). */
export function gapToleranceOf(ruleSet: Pick<RuleSet, 'rules'>): number {
  const rule = ruleSet.rules.find((candidate) => candidate.measure === 'contiguity');
  return rule?.gapToleranceM ?? 0;
}
