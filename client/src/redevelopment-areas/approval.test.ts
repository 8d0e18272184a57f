import { describe, expect, it } from 'vitest';
import type { AreaRecheck, CheckAnswer, CheckResult } from './areas.api.js';
import { failingLines, recheckRows } from './approval.js';

const source = { document: '《厦门市新型产业用地试点实施办法》', article: '第八条', text: '…' };
const check = (id: string, limit: number, ratio: number, pass: boolean | null): CheckResult => ({
  id, name: id === 'factory-floor' ? '工业厂房建筑面积占比' : '集中连片', measure: id === 'factory-floor' ? 'factory_floor_share' : 'contiguity',
  numerator: null, denominator: null, ratio, limit, comparison: id === 'factory-floor' ? '>=' : '<=', pass, source, denominatorDefinition: '',
});
const answer = (checks: CheckResult[]) => ({ checks } as unknown as CheckAnswer);

describe('approval lines', () => {
  it('lists the failing checks with their figure and limit, as the 报审 and 批准 dialogs show them', () => {
    const lines = failingLines(answer([check('factory-floor', 0.9, 0.6, false), check('contiguous', 1, 1, true)]));
    expect(lines).toEqual([{ id: 'factory-floor', name: '工业厂房建筑面积占比', value: '60.00 %', limit: '≥ 90.00 %', verdict: 'fail' }]);
  });

  it('pairs the pinned and the current check rule by rule, marking what changed, a rule of one version only included', () => {
    const recheck = {
      version: 1,
      basis: { source: 'approve', at: '', ruleSetVersion: 1, pass: true, result: answer([check('factory-floor', 0.5, 0.6, true), check('contiguous', 1, 1, true)]) },
      current: { ruleSetVersion: 2, pass: false, result: answer([check('factory-floor', 0.9, 0.6, false)]) },
    } as AreaRecheck;
    const rows = recheckRows(recheck);
    expect(rows.map((row) => [row.id, row.before?.verdict ?? null, row.after?.verdict ?? null, row.changed])).toEqual([
      ['factory-floor', 'pass', 'fail', true],
      ['contiguous', 'pass', null, true],
    ]);
  });
});
