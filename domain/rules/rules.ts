/**
 * Policy checks of a 成片改造区域 (contiguous redevelopment area). Pure: the browser runs it on
 * every vertex drag, the server runs it behind POST /api/checks, on the same figures, so the two
 * agree. Limits are data (a rule set per city, fixtures/rule-sets.json), never constants here.
 */
import type { CheckProjects, CheckResult } from '../api/checks.schemas.js';
import type { Rule, RuleSet, RuleSource } from '../api/rules.schemas.js';
import { areaKindLabel, DEFAULT_AREA_KIND, type AreaKind } from '../redevelopment-areas.js';
import { roundTo } from '../units.js';
import { FIGURE_LABELS, MEASURES, type Comparison } from './measures.js';

export { COMPARISONS, FIGURE_LABELS, MEASURES, MEASURE_IDS, type Comparison, type MeasureId } from './measures.js';
export { ruleSetProblems, validateRuleSet, type RuleSetProblem } from './rule-set.validation.js';
/** The shapes are the shared contract's (domain/api): one definition for the rule code, the server and the browser. */
export type { CheckResult, Rule, RuleSet, RuleSource };

/** The figures a check needs; areas in m² (ellipsoidal, CGCS2000). */
export interface ProjectFigures {
  projectLandM2: number;
  fragmentLandM2: number;
  supportingLandM2: number;
  /** Floor areas entered by the planner (null when not entered yet): 总计容建筑面积… */
  totalFloorAreaM2: number | null;
  /** 项目总建筑面积 (计容 or not): the 工业厂房 share's denominator (seed 001 第九条). */
  grossFloorAreaM2: number | null;
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

/** What a rule is decided for besides the figures: the kind of area and how many projects it holds. */
export interface CheckContext {
  /** Unnamed: DEFAULT_AREA_KIND. */
  kind?: AreaKind;
  /** Projects in the area (1 when unknown). */
  projects?: number;
  /** How the project count was found, for the note ("按土地使用权人计"). */
  projectsBasis?: string;
}

/** The context of a check from the area's kind and its projects as the server counted them (or null: one). */
export function checkContextOf(kind: AreaKind, projects: CheckProjects | null | undefined): CheckContext {
  if (!projects || projects.basis === 'single') return { kind };
  const projectsBasis = projects.basis === 'input' ? '按填写的项目数' : `按纳入的 ${projects.parcels} 宗地的土地使用权人计`;
  return { kind, projects: projects.count, projectsBasis };
}

/** Whether a rule binds an area of this kind (a rule without `appliesTo` binds every kind). */
export function ruleApplies(rule: Pick<Rule, 'appliesTo'>, kind: AreaKind = DEFAULT_AREA_KIND): boolean {
  return !rule.appliesTo || rule.appliesTo.kinds.includes(kind);
}

/** Why a rule does not bind this area, quoting the text that limits it. */
export function notApplicableNote(rule: Rule, kind: AreaKind): string {
  const appliesTo = rule.appliesTo!;
  const kinds = appliesTo.kinds.map((code) => `“${areaKindLabel(code)}”`).join('、');
  return `不适用：本条仅约束${kinds}（${appliesTo.source.document}${appliesTo.source.article}：“${appliesTo.source.text}”），本区域为“${areaKindLabel(kind)}”`;
}

function missingNote(measure: (typeof MEASURES)[keyof typeof MEASURES], numerator: number | null, denominator: number | null, rule: Rule): string | null {
  const label = (name: string) => FIGURE_LABELS[name] ?? name;
  if (numerator === null) return `未定：请填写${label(measure.numerator)}`;
  if (measure.denominator === null) return null;
  if (denominator === null) {
    // The 厂房 share is over the project's whole floor area, not its 计容 part: never the one for the other.
    const notTotal = measure.denominator === 'grossFloorAreaM2' ? `（本条分母为“${rule.denominator}”，不以总计容建筑面积代替）` : '';
    return `未定：请填写${label(measure.denominator)}${notTotal}`;
  }
  if (denominator <= 0) return `未定：${label(measure.denominator)}为 0`;
  return null;
}

export function evaluateRule(rule: Rule, figures: ProjectFigures, context: CheckContext = {}): CheckResult {
  const kind = context.kind ?? DEFAULT_AREA_KIND;
  const measure = MEASURES[rule.measure];
  const numerator = figure(figures, measure.numerator);
  const denominator = measure.denominator === null ? null : figure(figures, measure.denominator);
  let ratio: number | null;
  if (measure.denominator === null) ratio = numerator;
  else ratio = numerator === null || denominator === null || denominator <= 0 ? null : roundTo(numerator / denominator, RATIO_DECIMALS);
  const applicable = ruleApplies(rule, kind);
  const notes: string[] = [];
  if (!applicable) notes.push(notApplicableNote(rule, kind));
  else {
    const missing = ratio === null ? missingNote(measure, numerator, denominator, rule) : null;
    if (missing) notes.push(missing);
    const projects = context.projects ?? 1;
    if (rule.perProject && projects > 1) {
      notes.push(`本区域含 ${projects} 个项目${context.projectsBasis ? `（${context.projectsBasis}）` : ''}：本条限值按项目/宗地核算，此处为全区域合计——合计不达标则至少有一个项目不达标，合计达标仍须逐个项目核算`);
    }
  }
  return {
    id: rule.id,
    name: rule.name,
    measure: rule.measure,
    numerator,
    denominator,
    ratio,
    limit: rule.limit,
    comparison: rule.comparison,
    pass: !applicable || ratio === null ? null : compare(ratio, rule.comparison, rule.limit),
    source: rule.source,
    denominatorDefinition: rule.denominator,
    applicable,
    notes,
  };
}

/** Every rule of a set, each result naming the set (its id, version and name) when the set has them. */
export function evaluateRuleSet(ruleSet: Pick<RuleSet, 'rules'> & Partial<Pick<RuleSet, 'id' | 'version' | 'name'>>, figures: ProjectFigures, context: CheckContext = {}): CheckResult[] {
  const named = ruleSet.id !== undefined && ruleSet.version !== undefined && ruleSet.name !== undefined
    ? { id: ruleSet.id, version: ruleSet.version, name: ruleSet.name } : null;
  return ruleSet.rules.map((rule) => {
    const result = evaluateRule(rule, figures, context);
    return named ? { ...result, ruleSet: named } : result;
  });
}

/**
 * The verdict of a whole check: false when a binding rule fails, true when every binding rule
 * passes, null when one is undecided. Rules that do not bind the area's kind do not count.
 */
export function overallPass(checks: readonly Pick<CheckResult, 'pass' | 'applicable'>[]): boolean | null {
  const binding = checks.filter((check) => check.applicable !== false);
  if (binding.some((check) => check.pass === false)) return false;
  return binding.every((check) => check.pass === true) ? true : null;
}

/**
 * The gap tolerance the contiguity rule asks for (0 = must touch): of the first set that has one,
 * the city's set before the additional ones.
 */
export function gapToleranceOf(...ruleSets: (Pick<RuleSet, 'rules'> | null | undefined)[]): number {
  for (const ruleSet of ruleSets) {
    const rule = ruleSet?.rules.find((candidate) => candidate.measure === 'contiguity');
    if (rule) return rule.gapToleranceM ?? 0;
  }
  return 0;
}
