import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { boxOf } from './area-geometry.js';
import { snapPosition } from './snapping.js';

/** A plain linear "map": 1 degree = 100 000 px, y down. */
const context = {
  project: (lng: number, lat: number) => ({ x: (lng - 118) * 100_000, y: (24 - lat) * 100_000 }),
  unproject: (x: number, y: number) => ({ lng: 118 + x / 100_000, lat: 24 - y / 100_000 }),
};
const parcel: Polygon = { type: 'Polygon', coordinates: [[[118.001, 23.999], [118.002, 23.999], [118.002, 23.998], [118.001, 23.998], [118.001, 23.999]]] };
const targets = [{ geometry: parcel, box: boxOf(parcel) }];

describe('snapPosition', () => {
  it('snaps to the nearest vertex within the tolerance', () => {
    expect(snapPosition({ x: 104, y: 97 }, targets, context)).toEqual([118.001, 23.999]);
  });

  it('snaps to an edge when no vertex is near', () => {
    const snapped = snapPosition({ x: 150, y: 106 }, targets, context)!;
    expect(snapped[0]).toBeCloseTo(118.0015, 9);
    expect(snapped[1]).toBeCloseTo(23.999, 9);
  });

  it('does not snap beyond the tolerance', () => {
    expect(snapPosition({ x: 150, y: 150 }, targets, context)).toBeUndefined();
  });
});
