import { areaKindLabel } from '../redevelopment-areas.js';
import { MEASURES, type Comparison, type MeasureId, type Rule } from './rules.js';

/**
 * Rules as officials read them. Limits are stored as the domain keeps them (shares as fractions,
 * 0.07); the page shows and takes shares as percentages (7%), FAR with one decimal at least (2.0)
 * and piece counts in 块.
 */

/** Decimals kept when converting: enough for 12.345 %, few enough to drop binary noise. */
const PERCENT_DECIMALS = 8;
const FRACTION_DECIMALS = PERCENT_DECIMALS + 2;

/** Rounds away binary noise: 0.07 × 100 is 7, not 7.000000000000001. */
function clean(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}

/** 0.07 → 7; 0.145 → 14.5. */
export function fractionToPercent(fraction: number): number {
  return clean(fraction * 100, PERCENT_DECIMALS);
}

/** 7 → 0.07; 14.5 → 0.145. */
export function percentToFraction(percent: number): number {
  return clean(percent / 100, FRACTION_DECIMALS);
}

export type LimitUnit = 'share' | 'ratio' | 'count';

export function unitOf(measure: MeasureId): LimitUnit {
  return MEASURES[measure]?.unit ?? 'ratio';
}

/** What the limit input is written in: '%' for shares, '块' for piece counts, nothing for FAR. */
export function inputUnitText(measure: MeasureId): string {
  const unit = unitOf(measure);
  return unit === 'share' ? '%' : unit === 'count' ? '块' : '';
}

export const COMPARISON_SYMBOLS: Readonly<Record<Comparison, string>> = { '<=': '≤', '>=': '≥', '<': '<', '>': '>' };
export const COMPARISON_WORDS: Readonly<Record<Comparison, string>> = { '<=': '不超过', '>=': '不低于', '<': '低于', '>': '高于' };

export function comparisonSymbol(comparison: Comparison): string {
  return COMPARISON_SYMBOLS[comparison] ?? comparison;
}

/** '≤ 不超过' for the comparison picker. */
export function comparisonOptionLabel(comparison: Comparison): string {
  return `${comparisonSymbol(comparison)} ${COMPARISON_WORDS[comparison] ?? ''}`.trim();
}

/** The limit's number with its unit: '7%', '2.0', '1 块'. */
export function limitValueText(measure: MeasureId, limit: number): string {
  if (!Number.isFinite(limit)) return '—';
  switch (unitOf(measure)) {
    case 'share':
      return `${fractionToPercent(limit)}%`;
    case 'count':
      return `${clean(limit, 4)} 块`;
    default: {
      const value = clean(limit, 4);
      return Number.isInteger(value) ? value.toFixed(1) : String(value);
    }
  }
}

type LimitOf = Pick<Rule, 'measure' | 'comparison' | 'limit' | 'gapToleranceM'>;

/** '≤ 7%', '≥ 2.0', '≤ 1 块, 间距容差 5 米'. */
export function formatLimit(rule: LimitOf): string {
  const text = `${comparisonSymbol(rule.comparison)} ${limitValueText(rule.measure, rule.limit)}`;
  return rule.gapToleranceM === undefined ? text : `${text}, ${gapToleranceText(rule.gapToleranceM)}`;
}

export function gapToleranceText(metres: number): string {
  return `间距容差 ${clean(metres, 4)} 米`;
}

/** The limit in words: '不超过 7%', '不低于 2.0'. */
export function limitPhrase(rule: LimitOf): string {
  return `${COMPARISON_WORDS[rule.comparison] ?? rule.comparison} ${limitValueText(rule.measure, rule.limit)}`;
}

/** What the limit input shows: percentages for shares, the number itself otherwise. */
export function limitToInput(measure: MeasureId, limit: number): number {
  return unitOf(measure) === 'share' ? fractionToPercent(limit) : limit;
}

/** The stored limit from the input (NaN when the input is empty, which the checks then name). */
export function limitFromInput(measure: MeasureId, input: number | null | undefined): number {
  if (input === null || input === undefined || !Number.isFinite(input)) return Number.NaN;
  return unitOf(measure) === 'share' ? percentToFraction(input) : input;
}

/**
 * A revision note as officials read it: a file path or name in brackets (the shipped versions' note
 * named the fixture file) is left out.
 */
export function noteText(note: string | null | undefined): string {
  return (note ?? '').replace(/\s*[(（][^()（）]*\.(json|ya?ml|csv|txt)[)）]/gi, '').trim();
}

/** Who made a version: the shipped versions were written by the system. */
export function authorText(createdBy: string): string {
  return createdBy === 'system' ? '系统（随产品提供）' : createdBy;
}

/** The measure as a reading: '零星用地 ÷ 项目总用地'. */
/** Which areas a rule binds, in words: "仅新型产业用地项目再开发 · 按项目/宗地核算", "各类区域". */
export function scopeText(rule: Pick<Rule, 'appliesTo' | 'perProject'>): string {
  const kinds = rule.appliesTo ? `仅${rule.appliesTo.kinds.map((kind) => areaKindLabel(kind)).join('、')}` : '各类区域';
  return rule.perProject ? `${kinds} · 按项目/宗地核算` : kinds;
}

export function measureLabel(measure: string): string {
  return (MEASURES as Record<string, { label: string } | undefined>)[measure]?.label ?? measure;
}

export function versionText(version: number): string {
  return `第 ${version} 版`;
}

/** The problems of `ruleSetProblems` (and the server's 400), sorted by the rule they concern. */
export interface SortedProblems {
  /** Problems of the set as a whole (no rules, missing note). */
  general: string[];
  /** Per rule index: the problem without the '第 N 条规则（…）：' prefix the card already shows. */
  byRule: Map<number, string[]>;
}

const RULE_PREFIX = /^第\s*(\d+)\s*条规则（.*?）：\s*/;

/** The domain's messages speak of fractions; the page takes percentages, so say it that way. */
function forPercentInput(message: string): string {
  return message.replace(/占比限值用小数表示（10 % 写作 0\.10）/, '占比限值不能超过 100%');
}

export function sortProblems(problems: readonly string[]): SortedProblems {
  const sorted: SortedProblems = { general: [], byRule: new Map() };
  for (const problem of problems) {
    const match = RULE_PREFIX.exec(problem);
    if (!match) {
      sorted.general.push(forPercentInput(problem));
      continue;
    }
    const index = Number(match[1]) - 1;
    const list = sorted.byRule.get(index) ?? [];
    list.push(forPercentInput(problem.slice(match[0].length)));
    sorted.byRule.set(index, list);
  }
  return sorted;
}
