import { describe, expect, it } from 'vitest';
import { recentYearsSummary, yearlyFigureRefusal, yearlySeriesProblems } from './parcel-yearly.js';

const MU = 10000 / 15;

describe('recentYearsSummary (近三年, seed 003 附件4)', () => {
  it('sums the three latest years and averages them per year and per 亩 of the registered area', () => {
    const summary = recentYearsSummary([
      { year: 2020, outputWan: 9999, taxWan: 999 },
      { year: 2023, outputWan: 1500, taxWan: 75 },
      { year: 2021, outputWan: 1000, taxWan: 50 },
      { year: 2022, outputWan: 1200, taxWan: 60 },
    ], { registeredAreaM2: 30 * MU, areaM2: 31 * MU });
    expect(summary).toEqual({
      years: [2023, 2022, 2021], complete: true, outputTotalWan: 3700, taxTotalWan: 185,
      outputPerMuAverage: 41.11, taxPerMuAverage: 2.06, areaMu: 30, areaSource: 'registeredAreaM2',
    });
  });

  it('falls back on the drawn area, averages over the years that have a figure, and says when the years are not three consecutive complete ones', () => {
    const summary = recentYearsSummary([
      { year: 2019, outputWan: 600, taxWan: null },
      { year: 2023, outputWan: 900, taxWan: 30 },
    ], { registeredAreaM2: null, areaM2: 10 * MU });
    expect(summary).toMatchObject({ years: [2023, 2019], complete: false, outputTotalWan: 1500, taxTotalWan: 30, areaSource: 'areaM2', areaMu: 10 });
    expect(summary.outputPerMuAverage).toBe(75);
    expect(summary.taxPerMuAverage).toBe(3);
    expect(recentYearsSummary([{ year: 2021, outputWan: 1, taxWan: 1 }, { year: 2022, outputWan: 1, taxWan: 1 }, { year: 2024, outputWan: 1, taxWan: 1 }], { areaM2: MU }).complete).toBe(false);
  });

  it('gives nulls, not zeros, when nothing is recorded or there is no area', () => {
    expect(recentYearsSummary([], { areaM2: 1000 })).toMatchObject({ years: [], complete: false, outputTotalWan: null, taxTotalWan: null, outputPerMuAverage: null });
    expect(recentYearsSummary([{ year: 2023, outputWan: 5, taxWan: 1 }], { areaM2: 0 })).toMatchObject({ outputTotalWan: 5, outputPerMuAverage: null, areaSource: null });
  });
});

describe('yearly series checks', () => {
  it('names a year given twice by its row', () => {
    expect(yearlySeriesProblems([{ year: 2022, outputWan: 1, taxWan: 1 }, { year: 2023, outputWan: 1, taxWan: 1 }, { year: 2022, outputWan: 2, taxWan: 2 }]))
      .toEqual([{ field: 'items.2.year', message: expect.stringContaining('年度 2022 出现了两次') }]);
  });

  it('explains a refused value by row and figure', () => {
    expect(yearlyFigureRefusal('items.0.taxWan')).toContain('第 1 行');
    expect(yearlyFigureRefusal('items.0.taxWan')).toContain('年度税收');
    expect(yearlyFigureRefusal('items.3.year')).toContain('1949 到 2100');
    expect(yearlyFigureRefusal('somethingElse')).toBeUndefined();
  });
});
