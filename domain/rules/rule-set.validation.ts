import type { Rule, RuleSet } from '../api/rules.schemas.js';
import { AREA_KIND_CODES } from '../redevelopment-areas.js';
import { COMPARISONS, MAX_GAP_TOLERANCE_M, MEASURES, MEASURE_IDS, RULE_ID_PATTERN } from './measures.js';

/** Why an administrator's rule set is refused (terra-draw's validations: a reason per problem). */
export const RULE_ID_INVALID = 'rule_id_invalid';
export const RULE_ID_DUPLICATE = 'rule_id_duplicate';
export const RULE_NAME_MISSING = 'rule_name_missing';
export const RULE_MEASURE_UNKNOWN = 'rule_measure_unknown';
export const RULE_COMPARISON_UNKNOWN = 'rule_comparison_unknown';
export const RULE_LIMIT_NEGATIVE = 'rule_limit_negative';
export const RULE_SHARE_OVER_ONE = 'rule_share_over_one';
export const RULE_SOURCE_MISSING = 'rule_source_missing';
export const RULE_GAP_TOLERANCE_OUT_OF_RANGE = 'rule_gap_tolerance_out_of_range';
export const RULE_SET_EMPTY = 'rule_set_empty';
export const RULE_APPLIES_TO_INVALID = 'rule_applies_to_invalid';

export type RuleSetProblemReason =
  | typeof RULE_ID_INVALID | typeof RULE_ID_DUPLICATE | typeof RULE_NAME_MISSING | typeof RULE_MEASURE_UNKNOWN
  | typeof RULE_COMPARISON_UNKNOWN | typeof RULE_LIMIT_NEGATIVE | typeof RULE_SHARE_OVER_ONE | typeof RULE_SOURCE_MISSING
  | typeof RULE_GAP_TOLERANCE_OUT_OF_RANGE | typeof RULE_SET_EMPTY | typeof RULE_APPLIES_TO_INVALID;

/**
 * One problem of a rule set: the reason, where it is (`rules[2].limit`, or `rules` for the whole
 * set) and the sentence in Chinese naming the rule and what to fix, which the rule editor shows
 * beside the rule and the server's 400 lists.
 */
export interface RuleSetProblem {
  ok: false;
  reason: RuleSetProblemReason;
  where: string;
  message: string;
}

/** Every problem of a rule set an administrator wrote, in rule order (empty: the set is sound). */
export function validateRuleSet(ruleSet: Pick<RuleSet, 'rules'>): RuleSetProblem[] {
  const problems: RuleSetProblem[] = [];
  const ids = new Set<string>();
  ruleSet.rules.forEach((rule, index) => {
    const problem = (reason: RuleSetProblemReason, field: keyof Rule, what: string) => {
      problems.push({ ok: false, reason, where: `rules[${index}].${field}`, message: `第 ${index + 1} 条规则（${rule.name || rule.id || '未命名'}）：${what}` });
    };
    if (!rule.id || !new RegExp(RULE_ID_PATTERN).test(rule.id)) problem(RULE_ID_INVALID, 'id', '编号只能用小写字母、数字、-、_');
    if (ids.has(rule.id)) problem(RULE_ID_DUPLICATE, 'id', `编号 ${rule.id} 重复`);
    ids.add(rule.id);
    if (!rule.name?.trim()) problem(RULE_NAME_MISSING, 'name', '缺少名称');
    if (!MEASURE_IDS.includes(rule.measure)) problem(RULE_MEASURE_UNKNOWN, 'measure', `未知的指标 ${rule.measure}`);
    if (!COMPARISONS.includes(rule.comparison)) problem(RULE_COMPARISON_UNKNOWN, 'comparison', `比较方式应为 ${COMPARISONS.join(' ')}`);
    if (!Number.isFinite(rule.limit) || rule.limit < 0) problem(RULE_LIMIT_NEGATIVE, 'limit', '限值应为非负数');
    else if (MEASURES[rule.measure]?.unit === 'share' && rule.limit > 1) problem(RULE_SHARE_OVER_ONE, 'limit', '占比限值用小数表示（10 % 写作 0.10）');
    if (!rule.source?.document?.trim() || !rule.source?.article?.trim() || !rule.source?.text?.trim()) problem(RULE_SOURCE_MISSING, 'source', '请注明出处（文件、条款和原文）');
    if (rule.gapToleranceM !== undefined && (!Number.isFinite(rule.gapToleranceM) || rule.gapToleranceM < 0 || rule.gapToleranceM > MAX_GAP_TOLERANCE_M)) {
      problem(RULE_GAP_TOLERANCE_OUT_OF_RANGE, 'gapToleranceM', `间距容差应在 0–${MAX_GAP_TOLERANCE_M} 米之间`);
    }
    const appliesTo = rule.appliesTo;
    if (appliesTo !== undefined) {
      const kinds = appliesTo.kinds ?? [];
      if (kinds.length === 0 || kinds.some((kind) => !AREA_KIND_CODES.includes(kind))) problem(RULE_APPLIES_TO_INVALID, 'appliesTo', `适用的区域类型应为 ${AREA_KIND_CODES.join('、')} 中的一种或几种`);
      else if (!appliesTo.source?.document?.trim() || !appliesTo.source?.article?.trim() || !appliesTo.source?.text?.trim()) problem(RULE_APPLIES_TO_INVALID, 'appliesTo', '请注明适用范围的出处（文件、条款和原文）');
    }
  });
  if (ruleSet.rules.length === 0) problems.push({ ok: false, reason: RULE_SET_EMPTY, where: 'rules', message: '规则集至少要有一条规则' });
  return problems;
}

/** The problems' sentences (the rule editor's live list in the browser). */
export function ruleSetProblems(ruleSet: Pick<RuleSet, 'rules'>): string[] {
  return validateRuleSet(ruleSet).map((problem) => problem.message);
}
