import { describe, expect, it } from 'vitest';
import { evaluateRule, evaluateRuleSet, gapToleranceOf, overallPass, ruleApplies, ruleSetProblems, type ProjectFigures, type Rule } from './rules.js';

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

describe('which rules bind which area', () => {
  const scope = { kinds: ['new_industrial' as const], source: { document: '《厦门市新型产业用地试点实施办法（征求意见稿）》', article: '第三条', text: '按照新型产业用地项目再开发的情形' } };
  const far = rule({ id: 'far', measure: 'floor_area_ratio', comparison: '>=', limit: 2, appliesTo: scope, perProject: true });

  it('a rule with appliesTo binds only those kinds; the others get 不适用 quoting the text, and no verdict', () => {
    expect(ruleApplies(far, 'new_industrial')).toBe(true);
    expect(ruleApplies(far, 'industrial')).toBe(false);
    expect(ruleApplies(rule({}), 'industrial')).toBe(true);
    const low = figures({ projectLandM2: 10000, totalFloorAreaM2: 12000 });
    expect(evaluateRule(far, low, { kind: 'new_industrial' })).toMatchObject({ ratio: 1.2, pass: false, applicable: true, notes: [] });
    const industrial = evaluateRule(far, low, { kind: 'industrial' });
    expect(industrial).toMatchObject({ ratio: 1.2, pass: null, applicable: false });
    expect(industrial.notes).toEqual(['不适用：本条仅约束“新型产业用地项目再开发”（《厦门市新型产业用地试点实施办法（征求意见稿）》第三条：“按照新型产业用地项目再开发的情形”），本区域为“一般工改工（工业用地再开发）”']);
    // No kind: the stricter reading.
    expect(evaluateRule(far, low).applicable).toBe(true);
  });

  it('the 厂房 share divides by 项目总建筑面积 and asks for it by name when missing', () => {
    const factory = rule({ measure: 'factory_floor_share', comparison: '>=', limit: 0.5, denominator: '项目总建筑面积' });
    expect(evaluateRule(factory, figures({ totalFloorAreaM2: 20000, grossFloorAreaM2: 26000, factoryFloorAreaM2: 12000 }))).toMatchObject({ denominator: 26000, ratio: 0.4615, pass: false });
    const missing = evaluateRule(factory, figures({ totalFloorAreaM2: 20000, factoryFloorAreaM2: 12000 }));
    expect(missing).toMatchObject({ denominator: null, pass: null });
    expect(missing.notes).toEqual(['未定：请填写项目总建筑面积（本条分母为“项目总建筑面积”，不以总计容建筑面积代替）']);
  });

  it('a per-project limit says so when the area holds several projects', () => {
    const several = evaluateRule(far, figures({ projectLandM2: 10000, totalFloorAreaM2: 25000 }), { projects: 3, projectsBasis: '按填写的项目数' });
    expect(several.notes).toHaveLength(1);
    expect(several.notes![0]).toMatch(/^本区域含 3 个项目（按填写的项目数）：本条限值按项目\/宗地核算/);
    expect(evaluateRule(rule({ measure: 'contiguity', limit: 1 }), figures(), { projects: 3 }).notes).toEqual([]);
  });

  it('names the set of each result, ignores rules not binding the kind in the verdict, and takes the first set\'s gap tolerance', () => {
    const set = { id: 'xiamen', version: 3, name: '厦门', rules: [far, rule({})] };
    const results = evaluateRuleSet(set, figures({ totalFloorAreaM2: 100 }), { kind: 'industrial' });
    expect(results.map((result) => result.ruleSet)).toEqual([{ id: 'xiamen', version: 3, name: '厦门' }, { id: 'xiamen', version: 3, name: '厦门' }]);
    expect(overallPass(results)).toBe(true);
    expect(overallPass(evaluateRuleSet(set, figures({ totalFloorAreaM2: 100 }), { kind: 'new_industrial' }))).toBe(false);
    expect(overallPass([{ pass: null, applicable: true }, { pass: true }])).toBeNull();
    const contiguity = rule({ measure: 'contiguity', limit: 1, gapToleranceM: 5 });
    expect(gapToleranceOf({ rules: [] }, { rules: [contiguity] })).toBe(5);
    expect(gapToleranceOf({ rules: [{ ...contiguity, gapToleranceM: 1 }] }, { rules: [contiguity] })).toBe(1);
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
