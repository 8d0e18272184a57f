import { describe, expect, it } from 'vitest';
import type { Rule } from '../api/rules.schemas.js';
import {
  RULE_COMPARISON_UNKNOWN, RULE_GAP_TOLERANCE_OUT_OF_RANGE, RULE_ID_DUPLICATE, RULE_ID_INVALID, RULE_LIMIT_NEGATIVE, RULE_MEASURE_UNKNOWN,
  RULE_APPLIES_TO_INVALID, RULE_NAME_MISSING, RULE_SET_EMPTY, RULE_SHARE_OVER_ONE, RULE_SOURCE_MISSING, validateRuleSet,
} from './rule-set.validation.js';

const source = { document: '《测试》', article: '第一条', text: '不超过 10%' };
const rule = (overrides: Partial<Rule> | Record<string, unknown>): Rule =>
  ({ id: 'r', name: '规则', measure: 'fragment_land_share', comparison: '<=', limit: 0.1, denominator: '项目总用地', source, ...overrides }) as Rule;
const reasons = (rules: Rule[]) => validateRuleSet({ rules }).map(({ reason, where }) => [reason, where]);

describe('validateRuleSet', () => {
  it('accepts a sound rule set', () => {
    expect(validateRuleSet({ rules: [rule({}), rule({ id: 'c', measure: 'contiguity', limit: 1, gapToleranceM: 5 })] })).toEqual([]);
  });

  it('gives each problem its reason and the field it is in', () => {
    expect(reasons([rule({ id: 'A B' })])).toEqual([[RULE_ID_INVALID, 'rules[0].id']]);
    expect(reasons([rule({}), rule({})])).toEqual([[RULE_ID_DUPLICATE, 'rules[1].id']]);
    expect(reasons([rule({ name: ' ' })])).toEqual([[RULE_NAME_MISSING, 'rules[0].name']]);
    expect(reasons([rule({ measure: 'height' })])).toEqual([[RULE_MEASURE_UNKNOWN, 'rules[0].measure']]);
    expect(reasons([rule({ comparison: '==' })])).toEqual([[RULE_COMPARISON_UNKNOWN, 'rules[0].comparison']]);
    expect(reasons([rule({ limit: -1 })])).toEqual([[RULE_LIMIT_NEGATIVE, 'rules[0].limit']]);
    expect(reasons([rule({ limit: 7 })])).toEqual([[RULE_SHARE_OVER_ONE, 'rules[0].limit']]);
    expect(reasons([rule({ measure: 'floor_area_ratio', limit: 7 })])).toEqual([]);
    expect(reasons([rule({ source: { document: '', article: '', text: '' } })])).toEqual([[RULE_SOURCE_MISSING, 'rules[0].source']]);
    expect(reasons([rule({ gapToleranceM: 501 })])).toEqual([[RULE_GAP_TOLERANCE_OUT_OF_RANGE, 'rules[0].gapToleranceM']]);
    expect(reasons([])).toEqual([[RULE_SET_EMPTY, 'rules']]);
    expect(reasons([rule({ appliesTo: { kinds: [], source } })])).toEqual([[RULE_APPLIES_TO_INVALID, 'rules[0].appliesTo']]);
    expect(reasons([rule({ appliesTo: { kinds: ['residential'], source } })])).toEqual([[RULE_APPLIES_TO_INVALID, 'rules[0].appliesTo']]);
    expect(reasons([rule({ appliesTo: { kinds: ['new_industrial'], source: { document: '', article: '', text: '' } } })])).toEqual([[RULE_APPLIES_TO_INVALID, 'rules[0].appliesTo']]);
    expect(reasons([rule({ appliesTo: { kinds: ['new_industrial', 'industrial'], source } })])).toEqual([]);
  });

  it('says in Chinese which rule is wrong and how to fix it', () => {
    const [problem] = validateRuleSet({ rules: [rule({}), rule({ id: 'x', name: '配套用地', limit: 7 })] });
    expect(problem).toEqual({ ok: false, reason: RULE_SHARE_OVER_ONE, where: 'rules[1].limit', message: '第 2 条规则（配套用地）：占比限值用小数表示（10 % 写作 0.10）' });
  });
});
