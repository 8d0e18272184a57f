import { describe, expect, it } from 'vitest';
import { LAND_USE_CLASSES, UNKNOWN_LAND_USE_CLASS } from '@domain/land-use.js';
import { landUseClassEntries, summariseSurveyPatch } from './survey-patch.js';

describe('survey patch text', () => {
  it('lists every 一级类 with the domain colour, 未知地类 last', () => {
    const entries = landUseClassEntries();
    expect(entries).toHaveLength(LAND_USE_CLASSES.length + 1);
    expect(entries[1]).toEqual({ code: '01', label: '耕地', color: '#f5e98c' });
    expect(entries.at(-1)).toEqual({ ...UNKNOWN_LAND_USE_CLASS });
  });

  it('names a 地类编码 the product knows', () => {
    expect(summariseSurveyPatch({ year: 2023, landUseCode: '0601', classCode: '06' })).toEqual({
      title: '2023 年变更调查',
      landUse: '0601 工业用地',
      landUseClass: '06 工矿用地',
      colour: '#b07aa1',
    });
  });

  it('falls back to the class name for a code without a name of its own', () => {
    const summary = summariseSurveyPatch({ year: 2022, landUseCode: '0101', classCode: '01' });
    expect(summary.landUse).toBe('0101 耕地');
    expect(summary.landUseClass).toBe('01 耕地');
  });

  it('shows an unknown class when the survey left the code empty', () => {
    const summary = summariseSurveyPatch({ year: 2023, landUseCode: null, classCode: 'xx' });
    expect(summary.landUse).toBe('未知地类');
    expect(summary.landUseClass).toBe('未知地类');
    expect(summary.colour).toBe(UNKNOWN_LAND_USE_CLASS.color);
  });
});
