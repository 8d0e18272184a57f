import { evaluateRule, evaluateRuleSet, FIGURE_LABELS, MEASURES, type CheckContext, type CheckResult, type Comparison, type MeasureId, type ProjectFigures, type Rule, type RuleSet } from '@domain/rules/rules.js';
import { areaInUnits, formatNumber } from '@domain/units.js';
import type { CheckAnswer, FloorAreaFigures } from './areas.api.js';
import type { LiveFigures } from './live-figures.js';

/**
 * The gauges of the 成片改造区域 page as plain data: what each shows (numerator, denominator, ratio,
 * limit) and whether it passes, from the live figures and the rule set through the domain's
 * `evaluateRule`, the very code the server's check runs.
 */
export type GaugeState = 'pass' | 'fail' | 'unknown' | 'info' | 'na';

/** A rule set as the gauges read it: its rules, and its name for the popover (the city's set first). */
export type GaugeRuleSet = Pick<RuleSet, 'rules'> & Partial<Pick<RuleSet, 'id' | 'version' | 'name'>>;

export interface Gauge {
  /** Stable key, also the `data-testid` suffix (`gauge-fragment`). */
  key: string;
  title: string;
  /** The figure in large type: "3.75 %", "2.10", "1 块", "32,922.01 m²". */
  value: string;
  /** numerator ÷ denominator in words and m², or the area in other units. */
  detail: string;
  /** "≤ 7.00 %"; null for a figure without a limit. */
  limit: string | null;
  state: GaugeState;
  /** Fill of the gauge's bar, 0–1 (ratio against the limit); null draws no bar. */
  fill: number | null;
  /** Why the gauge is 未定, e.g. "请填写总计容建筑面积". */
  missing: string | null;
  /** The rule behind it (source, denominator) for the popover; null for figures without one. */
  rule: Rule | null;
  /** What is divided by what. */
  definition: string;
  denominatorDefinition: string | null;
  /** The rule set the rule is from ("天津 零星用地并宗开发 第 1 版"); null for figures without a rule. */
  ruleSetName: string | null;
  /** 不适用 and why, missing figures, the per-project reading (domain/rules/rules.ts `evaluateRule`). */
  notes: readonly string[];
}

export const COMPARISON_SIGNS: Readonly<Record<Comparison, string>> = { '<=': '≤', '>=': '≥', '<': '<', '>': '>' };

const MEASURE_ORDER: readonly { measure: MeasureId; key: string; title: string }[] = [
  { measure: 'fragment_land_share', key: 'fragment', title: '零星用地占比' },
  { measure: 'supporting_land_share', key: 'supporting-land', title: '配套用房用地占比' },
  { measure: 'supporting_floor_share', key: 'supporting-floor', title: '配套计容建筑面积占比' },
  { measure: 'floor_area_ratio', key: 'far', title: '容积率' },
  { measure: 'factory_floor_share', key: 'factory', title: '工业厂房建筑面积占比' },
  { measure: 'contiguity', key: 'contiguity', title: '集中连片' },
];

export function formatArea(m2: number | null): string {
  return m2 === null ? '—' : `${formatNumber(m2, 2)} m²`;
}

export function formatRatio(measure: MeasureId, ratio: number | null): string {
  if (ratio === null) return '—';
  const unit = MEASURES[measure].unit;
  if (unit === 'share') return `${formatNumber(ratio * 100, 2)} %`;
  if (unit === 'count') return `${ratio} 块`;
  return formatNumber(ratio, 2);
}

export function formatLimit(measure: MeasureId, comparison: Comparison, limit: number): string {
  const unit = MEASURES[measure].unit;
  const value = unit === 'share' ? `${formatNumber(limit * 100, 2)} %` : unit === 'count' ? `${limit} 块` : formatNumber(limit, 2);
  return `${COMPARISON_SIGNS[comparison]} ${value}`;
}

/** The figures the rules read, from the live computation and the floor areas the planner entered. */
export function projectFigures(figures: Pick<LiveFigures, 'projectLandM2' | 'fragmentLandM2' | 'supportingLandM2' | 'pieces'>, floor: FloorAreaFigures): ProjectFigures {
  return {
    projectLandM2: figures.projectLandM2,
    fragmentLandM2: figures.fragmentLandM2,
    supportingLandM2: figures.supportingLandM2,
    totalFloorAreaM2: floor.totalFloorArea,
    grossFloorAreaM2: floor.grossFloorArea ?? null,
    supportingFloorAreaM2: floor.supportingFloorArea,
    factoryFloorAreaM2: floor.factoryFloorArea,
    pieces: figures.pieces,
  };
}

function missingFigure(result: CheckResult): string | null {
  if (result.ratio !== null) return null;
  const measure = MEASURES[result.measure];
  if (result.numerator === null) return `请填写${FIGURE_LABELS[measure.numerator] ?? measure.numerator}`;
  if (measure.denominator !== null && result.denominator === null) return `请填写${FIGURE_LABELS[measure.denominator] ?? measure.denominator}`;
  return `${FIGURE_LABELS[measure.denominator ?? ''] ?? '分母'}为 0`;
}

function detailOf(result: CheckResult): string {
  const measure = MEASURES[result.measure];
  if (measure.denominator === null) return measure.label;
  const numeratorLabel = FIGURE_LABELS[measure.numerator] ?? measure.numerator;
  const denominatorLabel = FIGURE_LABELS[measure.denominator] ?? measure.denominator;
  return `${numeratorLabel} ${formatArea(result.numerator)} ÷ ${denominatorLabel} ${formatArea(result.denominator)}`;
}

/** How far along the limit the ratio is: a ≤ limit fills up to it, a ≥ limit fills towards it. */
function fillOf(result: CheckResult): number | null {
  if (result.ratio === null || result.limit <= 0) return null;
  return Math.max(0, Math.min(result.ratio / result.limit, 1));
}

function ruleSetNameOf(set: GaugeRuleSet): string | null {
  if (!set.name) return null;
  return set.version === undefined ? set.name : `${set.name} 第 ${set.version} 版`;
}

function gaugeOfResult(result: CheckResult, rule: Rule | null, key: string, title: string, ruleSetName: string | null = null): Gauge {
  const state: GaugeState = rule === null ? 'info' : result.applicable === false ? 'na' : result.pass === null ? 'unknown' : result.pass ? 'pass' : 'fail';
  return {
    key,
    title: rule ? rule.name : title,
    value: formatRatio(result.measure, result.ratio),
    detail: detailOf(result),
    limit: rule ? formatLimit(rule.measure, rule.comparison, rule.limit) : null,
    state,
    fill: rule && result.measure !== 'contiguity' ? fillOf(result) : null,
    missing: missingFigure(result),
    rule,
    definition: MEASURES[result.measure].label,
    denominatorDefinition: rule ? rule.denominator : null,
    ruleSetName,
    notes: result.notes ?? [],
  };
}

export interface GaugeInput {
  /** null before there is a boundary: every gauge then waits for one. */
  figures: LiveFigures | null;
  floor: FloorAreaFigures;
  /** The city's rule set first, then the ones the area adds. */
  ruleSets: readonly GaugeRuleSet[];
  /** The area's kind and project count: which rules bind it, and how per-project limits read. */
  context?: CheckContext;
  /** From the server's check: land shared with other saved areas; undefined while not checked. */
  overlap?: { overlapM2: number; names: string[] } | null;
}

/** Every gauge, in the order of the panel; checks by the same code as the server's. */
export function buildGauges(input: GaugeInput): Gauge[] {
  if (!input.figures) {
    const empty: LiveFigures = { projectLandM2: 0, fragmentLandM2: 0, uncoveredLandM2: 0, supportingLandM2: 0, parcelLandM2: 0, inefficientLandM2: 0, pieces: 0, parcels: [] };
    return buildGauges({ ...input, figures: empty, overlap: null }).map((gauge) => ({
      ...gauge,
      value: '—',
      state: gauge.state === 'info' ? 'info' : 'unknown',
      fill: null,
      missing: '请先绘制边界',
    }));
  }
  const figures = projectFigures(input.figures, input.floor);
  const area = areaInUnits(input.figures.projectLandM2);
  const gauges: Gauge[] = [{
    key: 'total-area',
    title: '项目总用地',
    value: formatArea(area.m2),
    detail: `${formatNumber(area.ha, 4)} 公顷 · ${formatNumber(area.mu, 4)} 亩`,
    limit: null,
    state: 'info',
    fill: null,
    missing: null,
    rule: null,
    definition: '成片改造区域的椭球面积（CGCS2000），洞不计入',
    denominatorDefinition: null,
    ruleSetName: null,
    notes: [],
  }];
  const rules = input.ruleSets.flatMap((set) => set.rules.map((rule) => ({ rule, set })));
  const keys = new Set<string>();
  for (const entry of MEASURE_ORDER) {
    const matching = rules.filter(({ rule }) => rule.measure === entry.measure);
    if (matching.length === 0) {
      const reference: Rule = {
        id: entry.key, name: entry.title, measure: entry.measure, comparison: '<=', limit: 0, denominator: '',
        source: { document: '', article: '', text: '' },
      };
      gauges.push({ ...gaugeOfResult(evaluateRule(reference, figures), null, entry.key, entry.title), notes: [] });
      continue;
    }
    matching.forEach(({ rule, set }, index) => {
      let key = index === 0 ? entry.key : `${entry.key}-${rule.id}`;
      if (keys.has(key)) key = `${entry.key}-${set.id ?? index}-${rule.id}`;
      keys.add(key);
      gauges.push(gaugeOfResult(evaluateRule(rule, figures, input.context), rule, key, entry.title, ruleSetNameOf(set)));
    });
  }
  const project = input.figures.projectLandM2;
  const inefficientShare = project > 0 ? input.figures.inefficientLandM2 / project : null;
  gauges.push({
    key: 'inefficient',
    title: '低效用地占比',
    value: inefficientShare === null ? '—' : `${formatNumber(inefficientShare * 100, 2)} %`,
    detail: `低效用地 ${formatArea(input.figures.inefficientLandM2)} ÷ 项目总用地 ${formatArea(project)}`,
    limit: null,
    state: 'info',
    fill: inefficientShare,
    missing: null,
    rule: null,
    definition: '纳入地块中疑似低效、已认定低效的部分 ÷ 项目总用地（仅供参考）',
    denominatorDefinition: '项目总用地面积（成片改造区域的椭球面积）',
    ruleSetName: null,
    notes: [],
  });
  const overlap = input.overlap;
  gauges.push({
    key: 'overlap',
    title: '与其他区域重叠',
    value: overlap ? formatArea(overlap.overlapM2) : '—',
    detail: overlap ? (overlap.names.length > 0 ? `与 ${overlap.names.join('、')} 重叠` : '不与其他已保存区域重叠') : '等待服务器核验',
    limit: '= 0 m²',
    state: !overlap ? 'unknown' : overlap.overlapM2 > 0.01 ? 'fail' : 'pass',
    fill: null,
    missing: overlap ? null : '服务器核验后给出',
    rule: null,
    definition: '与其他已保存的成片改造区域重叠的面积（服务器核验）',
    denominatorDefinition: null,
    ruleSetName: null,
    notes: [],
  });
  return gauges;
}

export function liveChecks(figures: LiveFigures, floor: FloorAreaFigures, ruleSets: readonly GaugeRuleSet[], context: CheckContext = {}): CheckResult[] {
  return ruleSets.flatMap((set) => evaluateRuleSet(set, projectFigures(figures, floor), context));
}

/** Areas agree when they differ by less than this (m²) or this share of the figure. */
const AREA_TOLERANCE_M2 = 0.5;
const AREA_TOLERANCE_SHARE = 1e-5;

function areasAgree(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(AREA_TOLERANCE_M2, Math.abs(b) * AREA_TOLERANCE_SHARE);
}

const COMPARED_FIGURES: readonly { key: 'projectLandM2' | 'fragmentLandM2' | 'uncoveredLandM2' | 'supportingLandM2' | 'parcelLandM2'; label: string }[] = [
  { key: 'projectLandM2', label: '项目总用地' },
  { key: 'fragmentLandM2', label: '零星用地' },
  { key: 'uncoveredLandM2', label: '未登记土地' },
  { key: 'supportingLandM2', label: '配套用房用地' },
  { key: 'parcelLandM2', label: '地块面积' },
];

function passLabel(pass: boolean | null): string {
  return pass === null ? '未定' : pass ? '通过' : '不通过';
}

/**
 * The live figures against the server's authoritative check: empty when they agree (areas to
 * 0.5 m², ratios to 0.01 %, verdicts exactly), else one Chinese line per difference.
 */
export function differencesFromServer(figures: LiveFigures, checks: readonly CheckResult[], server: CheckAnswer): string[] {
  const differences: string[] = [];
  for (const { key, label } of COMPARED_FIGURES) {
    const serverValue = server.figures[key];
    if (typeof serverValue !== 'number') continue;
    if (!areasAgree(figures[key], serverValue)) differences.push(`${label}：本地 ${formatArea(figures[key])}，服务器 ${formatArea(serverValue)}`);
  }
  if (figures.pieces !== server.pieces) differences.push(`块数：本地 ${figures.pieces}，服务器 ${server.pieces}`);
  for (const serverCheck of server.checks) {
    const local = checks.find((check) => check.id === serverCheck.id && (serverCheck.ruleSet === undefined || check.ruleSet === undefined || check.ruleSet.id === serverCheck.ruleSet.id));
    if (!local) continue;
    const ratiosAgree = local.ratio === null || serverCheck.ratio === null ? local.ratio === serverCheck.ratio : Math.abs(local.ratio - serverCheck.ratio) <= 0.0001 + 1e-12;
    if (local.pass !== serverCheck.pass || (local.applicable ?? true) !== (serverCheck.applicable ?? true) || !ratiosAgree) {
      differences.push(`${serverCheck.name}：本地 ${formatRatio(local.measure, local.ratio)}（${passLabel(local.pass)}），服务器 ${formatRatio(serverCheck.measure, serverCheck.ratio)}（${passLabel(serverCheck.pass)}）`);
    }
  }
  return differences;
}
