import { describe, expect, it } from 'vitest';
import type { Rule } from '@domain/rules/rules.js';
import { compareRuleSets } from './rule-compare.js';

const SOURCE = { document: '《通知》', article: '支持盘活零星用地', text: '零星用地面积不超过改造开发项目总用地面积10%' };
const FRAGMENTS: Rule = { id: 'fragment-land', name: '零星用地占比', measure: 'fragment_land_share', comparison: '<=', limit: 0.1, denominator: '项目总用地', source: SOURCE };
const FAR: Rule = { id: 'far', name: '容积率', measure: 'floor_area_ratio', comparison: '>=', limit: 2, denominator: '项目总用地', source: SOURCE };
const set = (rules: Rule[], name = '天津 零星用地并宗开发') => ({ name, city: '天津市', rules });

describe('comparing two versions', () => {
  it('marks a changed limit, in the words of the table', () => {
    const result = compareRuleSets(set([FRAGMENTS]), set([{ ...FRAGMENTS, limit: 0.12 }]));
    expect(result.differences).toBe(1);
    expect(result.header).toEqual([]);
    const [row] = result.rows;
    expect(row.change).toBe('changed');
    const limit = row.fields.find((field) => field.key === 'limit')!;
    expect(limit).toEqual({ key: 'limit', label: '要求', older: '≤ 10%', newer: '≤ 12%', changed: true });
    expect(row.fields.filter((field) => field.changed).map((field) => field.key)).toEqual(['limit']);
  });

  it('sees a changed source text and gap tolerance', () => {
    const contiguous: Rule = { ...FAR, id: 'contiguous', measure: 'contiguity', comparison: '<=', limit: 1, gapToleranceM: 5 };
    const result = compareRuleSets(set([contiguous]), set([{ ...contiguous, gapToleranceM: 0.5, source: { ...SOURCE, text: '新的原文' } }]));
    expect(result.rows[0].fields.filter((field) => field.changed).map((field) => [field.key, field.older, field.newer])).toEqual([
      ['limit', '≤ 1 块, 间距容差 5 米', '≤ 1 块, 间距容差 0.5 米'],
      ['text', SOURCE.text, '新的原文'],
    ]);
  });

  it('lists added and removed rules, and a renamed set', () => {
    const result = compareRuleSets(set([FRAGMENTS, FAR]), set([FAR, { ...FRAGMENTS, id: 'fragment-land-2' }], '新名称'));
    expect(result.rows.map((row) => [row.id, row.change])).toEqual([
      ['fragment-land', 'removed'],
      ['far', 'same'],
      ['fragment-land-2', 'added'],
    ]);
    expect(result.rows[0].fields[0]).toMatchObject({ older: '零星用地占比', newer: null, changed: true });
    expect(result.differences).toBe(2);
    expect(result.header).toEqual([{ label: '规则集名称', older: '天津 零星用地并宗开发', newer: '新名称' }]);
  });
});
