import { describe, it, expect } from 'vitest';
import { coordinatesGcj02ToWgs84, gcj02Offset, gcj02ToWgs84, isOutsideChina, wgs84ToGcj02 } from './gcj02.js';

/** Approximate ground distance in metres between two nearby [lon, lat] points. */
function distanceM(a: readonly number[], b: readonly number[]): number {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const dx = (b[0] - a[0]) * rad * Math.cos(((a[1] + b[1]) / 2) * rad) * R;
  const dy = (b[1] - a[1]) * rad * R;
  return Math.hypot(dx, dy);
}

// Published reference pairs (googollee/eviltransform and wandergis/coordtransform test vectors),
// as [wgsLon, wgsLat, gcjLon, gcjLat].
const KNOWN_PAIRS: [number, number, number, number][] = [
  [121.5272106, 31.1774276, 121.531541859215, 31.17530398364597], // Shanghai
  [113.912316, 22.543847, 113.9171764808363, 22.540796131694766], // Shenzhen
  [116.377817, 39.911954, 116.38404722455657, 39.91334545536069], // Beijing
  [116.404, 39.915, 116.41024449916938, 39.91640428150164], // Beijing, Tiananmen
];

describe('wgs84ToGcj02', () => {
  it('reproduces published reference pairs', () => {
    for (const [wLon, wLat, gLon, gLat] of KNOWN_PAIRS) {
      const [lon, lat] = wgs84ToGcj02(wLon, wLat);
      expect(lon).toBeCloseTo(gLon, 9);
      expect(lat).toBeCloseTo(gLat, 9);
    }
  });

  it('leaves points outside China unchanged', () => {
    expect(isOutsideChina(2.35, 48.85)).toBe(true);
    expect(isOutsideChina(118.1, 24.5)).toBe(false);
    expect(wgs84ToGcj02(2.35, 48.85)).toEqual([2.35, 48.85]);
    expect(gcj02ToWgs84(2.35, 48.85)).toEqual([2.35, 48.85]);
  });

  it('shifts points near Xiamen by a few hundred metres', () => {
    for (const point of [[118.0894, 24.4798], [117.95, 24.45], [118.3, 24.7]]) {
      const shifted = wgs84ToGcj02(point[0], point[1]);
      const metres = distanceM(point, shifted);
      expect(metres).toBeGreaterThan(200);
      expect(metres).toBeLessThan(900);
    }
  });
});

describe('gcj02ToWgs84', () => {
  it('inverts published reference pairs to < 1e-7 degrees', () => {
    for (const [wLon, wLat, gLon, gLat] of KNOWN_PAIRS) {
      const [lon, lat] = gcj02ToWgs84(gLon, gLat);
      expect(Math.abs(lon - wLon)).toBeLessThan(1e-7);
      expect(Math.abs(lat - wLat)).toBeLessThan(1e-7);
    }
  });

  it('round-trips over a grid around Xiamen to < 1e-6 degrees (in fact < 1e-9)', () => {
    let worst = 0;
    for (let lon = 117.9; lon <= 118.5 + 1e-9; lon += 0.02) {
      for (let lat = 24.4; lat <= 24.9 + 1e-9; lat += 0.02) {
        // GCJ → WGS → GCJ
        const wgs = gcj02ToWgs84(lon, lat);
        const gcj = wgs84ToGcj02(wgs[0], wgs[1]);
        worst = Math.max(worst, Math.abs(gcj[0] - lon), Math.abs(gcj[1] - lat));
        // WGS → GCJ → WGS
        const there = wgs84ToGcj02(lon, lat);
        const back = gcj02ToWgs84(there[0], there[1]);
        worst = Math.max(worst, Math.abs(back[0] - lon), Math.abs(back[1] - lat));
      }
    }
    expect(worst).toBeLessThan(1e-6);
    expect(worst).toBeLessThan(1e-9);
  });

  it('is much better than the one-step approximation', () => {
    const [gLon, gLat] = wgs84ToGcj02(118.0894, 24.4798);
    const oneStep = [2 * gLon - wgs84ToGcj02(gLon, gLat)[0], 2 * gLat - wgs84ToGcj02(gLon, gLat)[1]];
    const iterated = gcj02ToWgs84(gLon, gLat);
    const oneStepError = distanceM(oneStep, [118.0894, 24.4798]);
    const iteratedError = distanceM(iterated, [118.0894, 24.4798]);
    expect(iteratedError).toBeLessThan(0.001);
    expect(iteratedError).toBeLessThan(oneStepError);
  });
});

describe('coordinatesGcj02ToWgs84', () => {
  it('converts every position of nested GeoJSON coordinates, keeping the nesting and any Z', () => {
    const [wLon, wLat, gLon, gLat] = KNOWN_PAIRS[1];
    const ring = [[gLon, gLat], [gLon + 0.001, gLat, 12], [gLon, gLat + 0.001], [gLon, gLat]];
    const converted = coordinatesGcj02ToWgs84([[ring]]) as number[][][][];
    expect(converted).toHaveLength(1);
    expect(converted[0][0]).toHaveLength(4);
    expect(Math.abs(converted[0][0][0][0] - wLon)).toBeLessThan(1e-7);
    expect(Math.abs(converted[0][0][0][1] - wLat)).toBeLessThan(1e-7);
    expect(converted[0][0][1][2]).toBe(12);
    // And back: GCJ-02 of the result is the input, to 1e-9°.
    for (const [index, position] of converted[0][0].entries()) {
      const [lon, lat] = wgs84ToGcj02(position[0], position[1]);
      expect(Math.abs(lon - ring[index][0])).toBeLessThan(1e-9);
      expect(Math.abs(lat - ring[index][1])).toBeLessThan(1e-9);
    }
  });
});

describe('gcj02Offset', () => {
  const references: [number, number][] = [[118.08, 24.48], [118.12, 24.52], [118.15, 24.60], [118.05, 24.55]];

  it('recognises features off known shapes by the GCJ-02 offset, answering it in metres', () => {
    const offset = gcj02Offset(references.map((reference) => ({ feature: wgs84ToGcj02(...reference), reference })));
    expect(offset).toBeGreaterThan(500);
    expect(offset).toBeLessThan(650);
  });

  it('does not for data in place, for an offset in another direction, or for too few pairs', () => {
    expect(gcj02Offset(references.map((reference) => ({ feature: reference, reference })))).toBeNull();
    expect(gcj02Offset(references.map((reference) => {
      const [lon, lat] = wgs84ToGcj02(...reference);
      return { feature: [2 * reference[0] - lon, 2 * reference[1] - lat] as [number, number], reference };
    }))).toBeNull();
    expect(gcj02Offset(references.slice(0, 2).map((reference) => ({ feature: wgs84ToGcj02(...reference), reference })))).toBeNull();
  });
});
