import { describe, expect, it } from 'vitest';
import { areaInUnits, formatNumber, muToSquareMetres, squareMetresToHectares, squareMetresToMu, SQUARE_METRES_PER_MU } from './units.js';

describe('area units', () => {
  it('uses 1 亩 = 10000/15 m² and 1 公顷 = 10000 m²', () => {
    expect(SQUARE_METRES_PER_MU).toBeCloseTo(666.6667, 4);
    expect(squareMetresToMu(10000)).toBeCloseTo(15, 12);
    expect(squareMetresToHectares(10000)).toBe(1);
    expect(muToSquareMetres(15)).toBeCloseTo(10000, 9);
  });

  it('expresses the seed 002 worked example (45 071.4 m² project) in the three report units', () => {
    expect(areaInUnits(45071.4)).toEqual({ m2: 45071.4, ha: 4.5071, mu: 67.6071 });
  });

  it('formats numbers with grouping and a dash for missing values', () => {
    expect(formatNumber(1234567.891, 2)).toBe('1,234,567.89');
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(Number.NaN)).toBe('—');
  });
});
