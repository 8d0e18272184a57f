import { describe, expect, it } from 'vitest';
import type { Rule } from '@domain/rules/rules.js';
import type { CheckAnswer } from './areas.api.js';
import { buildGauges, differencesFromServer, liveChecks } from './gauges.js';
import type { LiveFigures } from './live-figures.js';

const source = { document: '《厦门市新型产业用地试点实施办法（征求意见稿）》', article: '第八条', text: '配套用房用地面积不超过项目总用地面积的7%' };
const rules: Rule[] = [
  { id: 'supporting-land', name: '配套用房用地占比', measure: 'supporting_land_share', comparison: '<=', limit: 0.07, denominator: '项目总用地面积', source },
  { id: 'far', name: '容积率', measure: 'floor_area_ratio', comparison: '>=', limit: 2, denominator: '项目总用地面积', source },
  { id: 'contiguous', name: '集中连片', measure: 'contiguity', comparison: '<=', limit: 1, gapToleranceM: 5, denominator: '—', source },
];
const figures: LiveFigures = {
  projectLandM2: 100000, fragmentLandM2: 3750, uncoveredLandM2: 3750, supportingLandM2: 8000, parcelLandM2: 96250, inefficientLandM2: 40000, pieces: 1, parcels: [],
};
const floor = { totalFloorArea: 250000, grossFloorArea: null, supportingFloorArea: null, factoryFloorArea: null };

describe('gauges', () => {
  it('show each figure with its limit and verdict, by the rule set, and figures without a rule as reference', () => {
    const gauges = buildGauges({ figures, floor, ruleSets: [{ rules }] });
    const byKey = Object.fromEntries(gauges.map((gauge) => [gauge.key, gauge]));
    expect(byKey['total-area']).toMatchObject({ value: '100,000.00 m²', detail: '10.0000 公顷 · 150.0000 亩', state: 'info' });
    expect(byKey.fragment).toMatchObject({ value: '3.75 %', state: 'info', limit: null });
    expect(byKey['supporting-land']).toMatchObject({ value: '8.00 %', limit: '≤ 7.00 %', state: 'fail' });
    expect(byKey['supporting-land'].rule?.source.article).toBe('第八条');
    expect(byKey.far).toMatchObject({ value: '2.50', limit: '≥ 2.00', state: 'pass' });
    expect(byKey['supporting-floor']).toMatchObject({ state: 'info', value: '—' });
    expect(byKey.contiguity).toMatchObject({ value: '1 块', state: 'pass' });
    expect(byKey.inefficient).toMatchObject({ value: '40.00 %', state: 'info' });
    expect(byKey.overlap).toMatchObject({ state: 'unknown' });
  });

  it('are undecided (未定) while a figure is missing, and say which', () => {
    const gauges = buildGauges({ figures, floor: { ...floor, totalFloorArea: null }, ruleSets: [{ rules }] });
    expect(gauges.find((gauge) => gauge.key === 'far')).toMatchObject({ state: 'unknown', missing: '请填写总计容建筑面积' });
  });

  it('wait for a boundary', () => {
    const gauges = buildGauges({ figures: null, floor, ruleSets: [{ rules }] });
    expect(gauges.find((gauge) => gauge.key === 'contiguity')).toMatchObject({ state: 'unknown', value: '—' });
  });

  it('show the rules of every set the area applies, each with its set; a rule not binding the area\'s kind is 不适用 with the reason', () => {
    const scope = { kinds: ['new_industrial' as const], source: { document: '《厦门市新型产业用地试点实施办法（征求意见稿）》', article: '第三条', text: '按照新型产业用地项目再开发的情形' } };
    const xiamen = { id: 'xiamen', version: 2, name: '厦门', rules: rules.map((rule) => (rule.id === 'contiguous' ? rule : { ...rule, appliesTo: scope })) };
    const tianjin = { id: 'tianjin', version: 1, name: '天津 零星', rules: [{ id: 'fragment-land', name: '零星用地占比', measure: 'fragment_land_share' as const, comparison: '<=' as const, limit: 0.03, denominator: '改造开发项目总用地面积', source }] };
    const gauges = buildGauges({ figures, floor, ruleSets: [xiamen, tianjin], context: { kind: 'industrial' } });
    const byKey = Object.fromEntries(gauges.map((gauge) => [gauge.key, gauge]));
    expect(byKey.fragment).toMatchObject({ value: '3.75 %', limit: '≤ 3.00 %', state: 'fail', ruleSetName: '天津 零星 第 1 版' });
    expect(byKey.far).toMatchObject({ value: '2.50', state: 'na', ruleSetName: '厦门 第 2 版' });
    expect(byKey.far.notes[0]).toContain('不适用');
    expect(byKey.contiguity).toMatchObject({ state: 'pass' });
    const checks = liveChecks(figures, floor, [xiamen, tianjin], { kind: 'industrial' });
    expect(checks.map((check) => [check.ruleSet?.id, check.id, check.applicable])).toEqual([
      ['xiamen', 'supporting-land', false], ['xiamen', 'far', false], ['xiamen', 'contiguous', true], ['tianjin', 'fragment-land', true],
    ]);
  });

  it('the 厂房 share waits for 项目总建筑面积 rather than dividing by the 计容 figure', () => {
    const factory: Rule = { id: 'factory-floor', name: '工业厂房建筑面积占比', measure: 'factory_floor_share', comparison: '>=', limit: 0.5, denominator: '项目总建筑面积', source };
    const waiting = buildGauges({ figures, floor: { ...floor, factoryFloorArea: 130000 }, ruleSets: [{ rules: [factory] }] }).find((gauge) => gauge.key === 'factory')!;
    expect(waiting).toMatchObject({ state: 'unknown', missing: '请填写项目总建筑面积' });
    const decided = buildGauges({ figures, floor: { ...floor, factoryFloorArea: 130000, grossFloorArea: 300000 }, ruleSets: [{ rules: [factory] }] }).find((gauge) => gauge.key === 'factory')!;
    expect(decided).toMatchObject({ value: '43.33 %', state: 'fail' });
    expect(decided.detail).toContain('项目总建筑面积 300,000.00 m²');
  });

  it('agree with the server within 0.5 m² and 0.01 %, and name every difference otherwise', () => {
    const checks = liveChecks(figures, floor, [{ rules }]);
    const server = {
      figures: { projectLandM2: 100000.3, fragmentLandM2: 3750, uncoveredLandM2: 3750, supportingLandM2: 8000, parcelLandM2: 96250 },
      pieces: 1,
      checks,
    } as unknown as CheckAnswer;
    expect(differencesFromServer(figures, checks, server)).toEqual([]);
    const differing = { ...server, pieces: 2, figures: { ...server.figures, supportingLandM2: 6000 }, checks: checks.map((check) => (check.id === 'supporting-land' ? { ...check, ratio: 0.06, pass: true } : check)) } as CheckAnswer;
    const lines = differencesFromServer(figures, checks, differing);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('配套用房用地');
    expect(lines[2]).toContain('服务器 6.00 %（通过）');
  });
});
