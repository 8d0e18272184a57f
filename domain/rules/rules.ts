/**
 * Policy checks of a 成片改造区域 (contiguous redevelopment area). Pure: the browser runs it on
 * every vertex drag, the server runs it behind POST /api/checks, on the same figures, so the two
 * agree. Limits are data (a rule set per city, fixtures/rule-sets.json), never constants here.
 */
import { roundTo } from '../units.js';

/** What a rule measures: numerator ÷ denominator over the project's figures. */
export const MEASURES = {
  fragment_land_share: { numerator: 'fragmentLandM2', denominator: 'projectLandM2', unit: 'share', label: '零星用地 ÷ 项目总用地' },
  supporting_land_share: { numerator: 'supportingLandM2', denominator: 'projectLandM2', unit: 'share', label: '配套用房用地 ÷ 项目总用地' },
  supporting_floor_share: { numerator: 'supportingFloorAreaM2', denominator: 'totalFloorAreaM2', unit: 'share', label: '配套用房计容建筑面积 ÷ 项目总计容建筑面积' },
  floor_area_ratio: { numerator: 'totalFloorAreaM2', denominator: 'projectLandM2', unit: 'ratio', label: '总计容建筑面积 ÷ 项目总用地（容积率）' },
  factory_floor_share: { numerator: 'factoryFloorAreaM2', denominator: 'totalFloorAreaM2', unit: 'share', label: '工业厂房建筑面积 ÷ 项目总建筑面积' },
  contiguity: { numerator: 'pieces', denominator: null, unit: 'count', label: '成片区域的块数（间距在容差内视为相连）' },
} as const;
export type MeasureId = keyof typeof MEASURES;
export const MEASURE_IDS = Object.keys(MEASURES) as MeasureId[];

export const COMPARISONS = ['<=', '>=', '<', '>'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export interface RuleSource {
  /** Document title and number, e.g. 《厦门市新型产业用地试点实施办法》. */
  document: string;
  /** Article, e.g. 第八条. */
  article: string;
  /** The sentence the limit comes from, quoted. */
  text: string;
}

export interface Rule {
  id: string;
  name: string;
  measure: MeasureId;
  comparison: Comparison;
  /** Fractions for shares (0.10 = 10 %), plain numbers for FAR and piece counts. */
  limit: number;
  /** How the denominator is defined, in words an official would use. */
  denominator: string;
  source: RuleSource;
  /** Contiguity: gaps up to this many metres (roads, ditches) still count as touching. */
  gapToleranceM?: number;
}

export interface RuleSet {
  id: string;
  city: string;
  name: string;
  version: number;
  rules: Rule[];
}

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

export interface CheckResult {
  id: string;
  name: string;
  measure: MeasureId;
  numerator: number | null;
  denominator: number | null;
  /** numerator ÷ denominator, rounded to 0.0001 (0.01 % for shares); null when not computable. */
  ratio: number | null;
  limit: number;
  comparison: Comparison;
  /** null: not decided (a figure is missing or the denominator is 0). */
  pass: boolean | null;
  source: RuleSource;
  denominatorDefinition: string;
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

/** Problems of a rule set an administrator wrote, in Chinese, with the rule they concern. */
export function ruleSetProblems(ruleSet: Pick<RuleSet, 'rules'>): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  ruleSet.rules.forEach((rule, index) => {
    const where = `第 ${index + 1} 条规则（${rule.name || rule.id || '未命名'}）`;
    if (!rule.id || !/^[a-z0-9_-]{1,64}$/.test(rule.id)) problems.push(`${where}：编号只能用小写字母、数字、-、_`);
    if (ids.has(rule.id)) problems.push(`${where}：编号 ${rule.id} 重复`);
    ids.add(rule.id);
    if (!rule.name?.trim()) problems.push(`${where}：缺少名称`);
    if (!MEASURE_IDS.includes(rule.measure)) problems.push(`${where}：未知的指标 ${rule.measure}`);
    if (!COMPARISONS.includes(rule.comparison)) problems.push(`${where}：比较方式应为 ${COMPARISONS.join(' ')}`);
    if (!Number.isFinite(rule.limit) || rule.limit < 0) problems.push(`${where}：限值应为非负数`);
    else if (MEASURES[rule.measure]?.unit === 'share' && rule.limit > 1) problems.push(`${where}：占比限值用小数表示（10 % 写作 0.10）`);
    if (!rule.source?.document?.trim() || !rule.source?.article?.trim() || !rule.source?.text?.trim()) problems.push(`${where}：请注明出处（文件、条款和原文）`);
    if (rule.gapToleranceM !== undefined && (!Number.isFinite(rule.gapToleranceM) || rule.gapToleranceM < 0 || rule.gapToleranceM > 500)) {
      problems.push(`${where}：间距容差应在 0–500 米之间`);
    }
  });
  if (ruleSet.rules.length === 0) problems.push('规则集至少要有一条规则');
  return problems;
}
