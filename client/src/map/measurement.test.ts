import { describe, expect, it } from 'vitest';
import { describeMeasurement, formatLength, measure } from './measurement.js';

describe('measurement', () => {
  it('measures a line along the equator as GeographicLib does: 0.01° = 1 113.19 m', () => {
    const result = measure('distance', [[118, 0], [118.01, 0]]);
    expect(result.lengthM).toBeCloseTo(1113.19, 2);
    expect(result.areaM2).toBe(0);
    expect(describeMeasurement(result)).toEqual(['长度 1,113.19 米']);
    expect(formatLength(12345)).toBe('12.35 千米');
  });

  it('measures an area on the ellipsoid in m², 公顷 and 亩, closing the ring itself', () => {
    const square = [[118, 24.5], [118.001, 24.5], [118.001, 24.501], [118, 24.501]];
    const result = measure('area', square);
    // About 101.3 m × 110.8 m at 24.5°N.
    expect(result.areaM2).toBeGreaterThan(11200);
    expect(result.areaM2).toBeLessThan(11250);
    const [m2, haMu, perimeter] = describeMeasurement(result);
    expect(m2).toMatch(/^面积 11,2\d\d\.\d\d m²$/);
    expect(haMu).toMatch(/^1\.12 公顷 · 16\.8\d 亩$/);
    expect(perimeter).toMatch(/^周长 4\d\d\.\d\d 米$/);
    expect(measure('area', square.slice(0, 2)).areaM2).toBe(0);
  });
});
