import { describe, expect, it } from 'vitest';
import { evaluateRule, evaluateRuleSet, gapToleranceOf, ruleSetProblems, type ProjectFigures, type Rule } from './rules.js';

const source = { document: '《测试》', article: '第一条', text: '不超过 10%' };
const rule = (overrides: Partial<Rule>): Rule => ({ id: 'r', name: '规则', measure: 'fragment_land_share', comparison: '<=', limit: 0.1, denominator: '项目总用地', source, ...overrides });
const figures = (overrides: Partial<ProjectFigures> = {}): ProjectFigures => ({
  projectLandM2: 45071.4, fragmentLandM2: 1688.4, supportingLandM2: 0, totalFloorAreaM2: null, grossFloorAreaM2: null, supportingFloorAreaM2: null, factoryFloorAreaM2: null, pieces: 1, ...overrides,
});

describe('evaluateRule', () => {
  it('reports numerator, denominator and the ratio to 0.01 %, and decides at that precision', () => {
    expect(evaluateRule(rule({}), figures())).toMatchObject({ numerator: 1688.4, denominator: 45071.4, ratio: 0.0375, pass: true });
    // 10.004 % shows as 10.00 % and passes; 10.005 % shows as 10.01 % and fails.
    expect(evaluateRule(rule({}), figures({ projectLandM2: 100000, fragmentLandM2: 10004 })).pass).toBe(true);
    expect(evaluateRule(rule({}), figures({ projectLandM2: 100000, fragmentLandM2: 10006 })).pass).toBe(false);
  });

  it('passes a FAR of exactly 2.0 despite floating point, and leaves a check undecided when a figure is missing', () => {
    const far = rule({ measure: 'floor_area_ratio', comparison: '>=', limit: 2 });
    expect(evaluateRule(far, figures({ projectLandM2: 0.1 + 0.2, totalFloorAreaM2: 0.6 })).pass).toBe(true);
    expect(evaluateRule(far, figures({ totalFloorAreaM2: null }))).toMatchObject({ ratio: null, pass: null });
    expect(evaluateRule(far, figures({ projectLandM2: 0, totalFloorAreaM2: 10 }))).toMatchObject({ ratio: null, pass: null });
  });

  it('counts pieces for contiguity and reads its gap tolerance', () => {
    const contiguity = rule({ measure: 'contiguity', comparison: '<=', limit: 1, gapToleranceM: 5 });
    expect(evaluateRule(contiguity, figures({ pieces: 2 }))).toMatchObject({ numerator: 2, denominator: null, ratio: 2, pass: false });
    expect(gapToleranceOf({ rules: [contiguity] })).toBe(5);
    expect(gapToleranceOf({ rules: [] })).toBe(0);
    expect(evaluateRuleSet({ rules: [contiguity, rule({})] }, figures()).map((result) => result.pass)).toEqual([true, true]);
  });
});

describe('ruleSetProblems', () => {
  it('names the rule and what to fix', () => {
    expect(ruleSetProblems({ rules: [rule({})] })).toEqual([]);
    const problems = ruleSetProblems({ rules: [rule({ limit: 7 }), rule({ source: { document: '', article: '', text: '' } }), rule({ id: 'x', gapToleranceM: -1 })] });
    expect(problems.some((problem) => problem.includes('第 1 条规则') && problem.includes('0.10'))).toBe(true);
    expect(problems.some((problem) => problem.includes('第 2 条规则') && problem.includes('重复'))).toBe(true);
    expect(problems.some((problem) => problem.includes('出处'))).toBe(true);
    expect(problems.some((problem) => problem.includes('间距容差'))).toBe(true);
    expect(ruleSetProblems({ rules: [] })).toEqual(['规则集至少要有一条规则']);
  });
});
