import type { MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { geometryAreaM2 } from '@domain/ellipsoidal-area.js';
import { polygonsOf } from './area-geometry.js';
import { addToBoundary, clipToBoundary, cutHole, rebuildWithOuterRing, unionOfParcels } from './boundary-edits.js';

const UNIT = 0.001;
function ring(x0: number, y0: number, x1: number, y1: number): Position[] {
  return [[118 + x0 * UNIT, 24 + y0 * UNIT], [118 + x1 * UNIT, 24 + y0 * UNIT], [118 + x1 * UNIT, 24 + y1 * UNIT], [118 + x0 * UNIT, 24 + y1 * UNIT], [118 + x0 * UNIT, 24 + y0 * UNIT]];
}
function square(x0: number, y0: number, x1: number, y1: number): Polygon {
  return { type: 'Polygon', coordinates: [ring(x0, y0, x1, y1)] };
}

describe('boundary edits', () => {
  it('cuts a hole, which stays a hole of the same part', () => {
    const result = cutHole(square(0, 0, 4, 4), square(1, 1, 2, 2));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(polygonsOf(result.geometry)).toHaveLength(1);
    expect(polygonsOf(result.geometry)[0]).toHaveLength(2);
    expect(geometryAreaM2(result.geometry)).toBeCloseTo(geometryAreaM2(square(0, 0, 4, 4)) - geometryAreaM2(square(1, 1, 2, 2)), 2);
  });

  it('refuses a hole outside the boundary or one that leaves nothing, with the reason', () => {
    expect(cutHole(square(0, 0, 1, 1), square(5, 5, 6, 6))).toMatchObject({ ok: false, reason: 'disjoint' });
    expect(cutHole(square(0, 0, 1, 1), square(-1, -1, 2, 2))).toMatchObject({ ok: false, reason: 'nothing_left' });
    expect(cutHole(null, square(0, 0, 1, 1))).toMatchObject({ ok: false, reason: 'no_boundary' });
  });

  it('adds a separate range as a second part, and merges an overlapping one', () => {
    const two = addToBoundary(square(0, 0, 1, 1), square(2, 0, 3, 1));
    expect(two.ok && two.geometry.type).toBe('MultiPolygon');
    const one = addToBoundary(square(0, 0, 1, 1), square(0.5, 0, 2, 1));
    expect(one.ok && one.geometry.type).toBe('Polygon');
  });

  it('clips a piece to the boundary', () => {
    const result = clipToBoundary(square(0, 0, 1, 1), square(0.5, 0.5, 2, 2));
    expect(result.ok && geometryAreaM2(result.geometry)).toBeCloseTo(geometryAreaM2(square(0.5, 0.5, 1, 1)), 2);
    expect(clipToBoundary(square(0, 0, 1, 1), square(3, 3, 4, 4))).toMatchObject({ ok: false, reason: 'outside' });
  });

  it('unions picked parcels', () => {
    const result = unionOfParcels([square(0, 0, 1, 1), square(1, 0, 2, 1)]);
    expect(result.ok && result.geometry.type).toBe('Polygon');
    expect(unionOfParcels([])).toMatchObject({ ok: false });
  });

  it('rebuilds after an outer ring edit: holes the ring still covers stay, parts dragged together merge', () => {
    const boundary: MultiPolygon = { type: 'MultiPolygon', coordinates: [[ring(0, 0, 4, 4), ring(1, 1, 2, 2)], [ring(5, 0, 6, 1)]] };
    const grown = rebuildWithOuterRing(boundary, 0, ring(0, 0, 5.5, 4));
    expect(grown.ok).toBe(true);
    if (!grown.ok) return;
    const polygons = polygonsOf(grown.geometry);
    expect(polygons).toHaveLength(1);
    expect(polygons[0]).toHaveLength(2);
  });
});
