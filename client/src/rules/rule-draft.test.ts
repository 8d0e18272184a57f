import { describe, expect, it } from 'vitest';
import { ruleSetProblems, type Rule } from '@domain/rules/rules.js';
import { draftChanged, draftOf, newDraft, newRuleId, ruleOf, withKinds, withMeasure } from './rule-draft.js';

const FRAGMENTS: Rule = {
  id: 'fragment-land',
  name: '零星用地占比',
  measure: 'fragment_land_share',
  comparison: '<=',
  limit: 0.1,
  denominator: '改造开发项目总用地面积（含零星用地）',
  source: { document: '《通知》', article: '支持盘活零星用地', text: '零星用地面积不超过改造开发项目总用地面积10%' },
};
const CONTIGUOUS: Rule = {
  id: 'contiguous', name: '集中连片', measure: 'contiguity', comparison: '<=', limit: 1, gapToleranceM: 5,
  denominator: '—', source: { document: '《方案》', article: '三', text: '集中连片再开发' },
};

describe('rule drafts', () => {
  it('opens shares as percentages and saves them as fractions, unchanged when untouched', () => {
    const draft = draftOf(FRAGMENTS);
    expect(draft.limitInput).toBe(10);
    expect(ruleOf(draft)).toEqual(FRAGMENTS);
    expect(draftChanged(draft, FRAGMENTS)).toBe(false);
    expect(ruleOf(draftOf(CONTIGUOUS))).toEqual(CONTIGUOUS);
  });

  it('keeps a rule\'s scope (the kinds it binds, per 项目/宗地) through a revision', () => {
    const scoped: Rule = { ...FRAGMENTS, perProject: true, appliesTo: { kinds: ['new_industrial'], source: { document: '《办法》', article: '第三条', text: '按照新型产业用地项目再开发的情形' } } };
    expect(ruleOf({ ...draftOf(scoped), limitInput: 12 })).toEqual({ ...scoped, limit: 0.12 });
    expect(draftChanged(draftOf(scoped), scoped)).toBe(false);
    // Editing the copy leaves the version read as it was.
    const draft = draftOf(scoped);
    draft.appliesTo!.source.article = '第四条';
    expect(scoped.appliesTo!.source.article).toBe('第三条');
    expect(draftChanged(draft, scoped)).toBe(true);
  });

  it('sets the kinds a rule binds: none = every kind, the source typed is kept across choices', () => {
    const draft = withKinds(draftOf(FRAGMENTS), ['industrial']);
    expect(ruleOf(draft).appliesTo).toEqual({ kinds: ['industrial'], source: { document: '', article: '', text: '' } });
    expect(ruleSetProblems({ rules: [ruleOf(draft)] })[0]).toContain('适用范围的出处');
    draft.appliesTo!.source.document = '《方案》';
    expect(withKinds(draft, ['industrial', 'other']).appliesTo!.source.document).toBe('《方案》');
    expect(ruleOf(withKinds(draft, [])).appliesTo).toBeUndefined();
  });

  it('stores 12 % as 0.12 and notices the change', () => {
    const draft = { ...draftOf(FRAGMENTS), limitInput: 12 };
    expect(ruleOf(draft).limit).toBe(0.12);
    expect(draftChanged(draft, FRAGMENTS)).toBe(true);
  });

  it('trims texts and leaves an empty limit for the checks to name', () => {
    const draft = { ...draftOf(FRAGMENTS), name: '  零星用地占比 ', limitInput: null };
    const rule = ruleOf(draft);
    expect(rule.name).toBe('零星用地占比');
    expect(ruleSetProblems({ rules: [rule] })).toEqual(['第 1 条规则（零星用地占比）：限值应为非负数']);
  });

  it('drops a cleared gap tolerance rather than sending null', () => {
    const rule = ruleOf({ ...draftOf(CONTIGUOUS), gapToleranceM: null });
    expect('gapToleranceM' in rule).toBe(false);
  });
});

describe('new rules', () => {
  it('get an id from the measure that the set does not have yet', () => {
    expect(newRuleId('floor_area_ratio', ['far'])).toBe('floor-area-ratio');
    expect(newRuleId('floor_area_ratio', ['floor-area-ratio', 'floor-area-ratio-2'])).toBe('floor-area-ratio-3');
  });

  it('start from the measure’s usual direction and wording, and need only a source', () => {
    const draft = newDraft('floor_area_ratio', []);
    expect(draft).toMatchObject({ id: 'floor-area-ratio', name: '容积率', comparison: '>=', limitInput: 2, added: true });
    const contiguity = newDraft('contiguity', []);
    expect(ruleOf(contiguity)).toMatchObject({ limit: 1, gapToleranceM: 5 });
    const problems = ruleSetProblems({ rules: [ruleOf(draft)] });
    expect(problems).toEqual(['第 1 条规则（容积率）：请注明出处（文件、条款和原文）']);
    expect(ruleSetProblems({ rules: [ruleOf({ ...draft, document: '《办法》', article: '第七条', text: '不得低于2.0' })] })).toEqual([]);
    expect(ruleOf(newDraft('fragment_land_share', [])).limit).toBe(0.1);
  });

  it('take the presets of another measure, keeping what was typed', () => {
    const draft = { ...newDraft('supporting_land_share', ['supporting-land-share']), name: '我的名称' };
    const changed = withMeasure(draft, 'contiguity', ['supporting-land-share', draft.id]);
    expect(changed).toMatchObject({ id: 'contiguity', measure: 'contiguity', name: '我的名称', comparison: '<=', limitInput: 1, gapToleranceM: 5 });
    const share = withMeasure({ ...newDraft('supporting_land_share', []), limitInput: 9 }, 'factory_floor_share', []);
    expect(share).toMatchObject({ name: '工业厂房建筑面积占比', limitInput: 9, gapToleranceM: null, denominator: '项目总建筑面积' });
  });
});
