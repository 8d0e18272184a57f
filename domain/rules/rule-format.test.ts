import { describe, expect, it } from 'vitest';
import { ruleSetProblems, type Rule } from './rules.js';
import {
  authorText,
  comparisonOptionLabel,
  noteText,
  formatLimit,
  fractionToPercent,
  inputUnitText,
  limitFromInput,
  limitPhrase,
  limitToInput,
  limitValueText,
  measureLabel,
  percentToFraction,
  scopeText,
  sortProblems,
  versionText,
} from './rule-format.js';

const SOURCE = { document: '《办法》', article: '第八条', text: '不超过7%' };
const rule = (overrides: Partial<Rule>): Rule => ({
  id: 'r', name: '规则', measure: 'supporting_land_share', comparison: '<=', limit: 0.07, denominator: '项目总用地面积', source: SOURCE, ...overrides,
});

describe('percentages and fractions', () => {
  it('converts without floating-point noise', () => {
    expect(0.07 * 100).not.toBe(7); // the noise this module exists to remove
    expect(fractionToPercent(0.07)).toBe(7);
    expect(percentToFraction(7)).toBe(0.07);
    expect(fractionToPercent(0.145)).toBe(14.5);
    expect(percentToFraction(14.5)).toBe(0.145);
    expect(fractionToPercent(0.1)).toBe(10);
    expect(percentToFraction(12)).toBe(0.12);
    expect(fractionToPercent(0.0001)).toBe(0.01);
    expect(percentToFraction(0.01)).toBe(0.0001);
    expect(fractionToPercent(0)).toBe(0);
    expect(percentToFraction(100)).toBe(1);
  });

  it('round-trips every percentage to two decimals', () => {
    for (let hundredths = 0; hundredths <= 10000; hundredths++) {
      const percent = hundredths / 100;
      expect(fractionToPercent(percentToFraction(percent))).toBe(percent);
    }
  });

  it('round-trips the fractions of the shipped rule sets', () => {
    for (const fraction of [0.07, 0.15, 0.5, 0.1, 0.0375, 0.3333]) {
      expect(percentToFraction(fractionToPercent(fraction))).toBe(fraction);
    }
  });

  it('takes limits as typed: percentages for shares, plain numbers otherwise', () => {
    expect(limitToInput('fragment_land_share', 0.1)).toBe(10);
    expect(limitFromInput('fragment_land_share', 12)).toBe(0.12);
    expect(limitToInput('floor_area_ratio', 2)).toBe(2);
    expect(limitFromInput('floor_area_ratio', 2.5)).toBe(2.5);
    expect(limitFromInput('contiguity', 1)).toBe(1);
    expect(limitFromInput('supporting_land_share', null)).toBeNaN();
    expect(inputUnitText('supporting_floor_share')).toBe('%');
    expect(inputUnitText('contiguity')).toBe('块');
    expect(inputUnitText('floor_area_ratio')).toBe('');
  });
});

describe('limits as officials read them', () => {
  it('shows shares as percentages, FAR with a decimal, contiguity in pieces with its tolerance', () => {
    expect(formatLimit(rule({ limit: 0.07 }))).toBe('≤ 7%');
    expect(formatLimit(rule({ limit: 0.125, comparison: '<' }))).toBe('< 12.5%');
    expect(formatLimit(rule({ measure: 'factory_floor_share', comparison: '>=', limit: 0.5 }))).toBe('≥ 50%');
    expect(formatLimit(rule({ measure: 'floor_area_ratio', comparison: '>=', limit: 2 }))).toBe('≥ 2.0');
    expect(formatLimit(rule({ measure: 'floor_area_ratio', comparison: '>', limit: 1.25 }))).toBe('> 1.25');
    expect(formatLimit(rule({ measure: 'contiguity', limit: 1, gapToleranceM: 5 }))).toBe('≤ 1 块, 间距容差 5 米');
    expect(formatLimit(rule({ measure: 'contiguity', limit: 1, gapToleranceM: 0.5 }))).toBe('≤ 1 块, 间距容差 0.5 米');
    expect(formatLimit(rule({ measure: 'contiguity', limit: 2 }))).toBe('≤ 2 块');
  });

  it('says the limit in words', () => {
    expect(limitPhrase(rule({ limit: 0.1 }))).toBe('不超过 10%');
    expect(limitPhrase(rule({ measure: 'floor_area_ratio', comparison: '>=', limit: 2 }))).toBe('不低于 2.0');
    expect(limitValueText('supporting_land_share', Number.NaN)).toBe('—');
    expect(comparisonOptionLabel('>=')).toBe('≥ 不低于');
    expect(comparisonOptionLabel('<')).toBe('< 低于');
  });

  it('names measures, versions and authors', () => {
    expect(measureLabel('fragment_land_share')).toBe('零星用地 ÷ 项目总用地');
    expect(measureLabel('unknown')).toBe('unknown');
    expect(versionText(3)).toBe('第 3 版');
    expect(authorText('system')).toBe('系统（随产品提供）');
    expect(authorText('admin')).toBe('admin');
  });
});

describe('problems next to the rule they concern', () => {
  it('sorts the domain checks by rule and drops the prefix the rule card already shows', () => {
    const problems = ruleSetProblems({
      rules: [rule({ id: 'a' }), rule({ id: 'b', name: '', limit: 1.2 }), rule({ id: 'c', source: { document: '', article: '', text: '' } })],
    });
    const sorted = sortProblems(problems);
    expect(sorted.general).toEqual([]);
    expect(sorted.byRule.has(0)).toBe(false);
    expect(sorted.byRule.get(1)).toEqual(['缺少名称', '占比限值不能超过 100%']);
    expect(sorted.byRule.get(2)).toEqual(['请注明出处（文件、条款和原文）']);
  });

  it('keeps problems of the whole set apart', () => {
    expect(sortProblems(ruleSetProblems({ rules: [] }))).toEqual({ general: ['规则集至少要有一条规则'], byRule: new Map() });
    expect(sortProblems(['第 2 条规则（配套（用地）占比）：限值应为非负数']).byRule.get(1)).toEqual(['限值应为非负数']);
  });
});

describe('revision notes (issue 13, item 5)', () => {
  it('leaves out file names in brackets, keeps the words', () => {
    expect(noteText('随产品提供的初始版本 (fixtures/rule-sets.json)')).toBe('随产品提供的初始版本');
    expect(noteText('依据新通知调整（见 附件/通知.txt）')).toBe('依据新通知调整');
    expect(noteText('零星用地占比上限由 10% 调整为 12%（厦府办〔2024〕1号）')).toBe('零星用地占比上限由 10% 调整为 12%（厦府办〔2024〕1号）');
    expect(noteText(null)).toBe('');
  });
});

describe('scopeText', () => {
  it('names the kinds a rule binds and whether it is per 项目/宗地', () => {
    expect(scopeText({})).toBe('各类区域');
    expect(scopeText({ perProject: true })).toBe('各类区域 · 按项目/宗地核算');
    expect(scopeText({ perProject: true, appliesTo: { kinds: ['new_industrial'], source: { document: '《办法》', article: '第三条', text: '…' } } })).toBe('仅新型产业用地项目再开发 · 按项目/宗地核算');
  });
});
