import { describe, expect, it } from 'vitest';
import { ParcelStore, splitBox } from './parcel-store.js';

describe('ParcelStore', () => {
  it('cuts a large box into pieces the server accepts', () => {
    const pieces = splitBox([118, 24, 118.25, 24.05]);
    expect(pieces).toHaveLength(3);
    for (const piece of pieces) expect(piece[2] - piece[0]).toBeLessThanOrEqual(0.1);
    expect(pieces[2][2]).toBeCloseTo(118.25, 9);
  });

  it('remembers the boxes it holds, keeps parcel objects when fetched again, and does not trust a truncated answer', () => {
    const store = new ParcelStore();
    const geometry = { type: 'MultiPolygon' as const, coordinates: [[[[118, 24], [118.001, 24], [118.001, 24.001], [118, 24]]]] };
    const collection = {
      type: 'FeatureCollection' as const,
      truncated: false,
      features: [{ type: 'Feature' as const, id: 5, properties: { id: 5, code: 'A', districtCode: '350206', areaM2: 5000, status: 'identified', type: null, restricted: false }, geometry }],
    };
    store.add([118, 24, 118.01, 24.01], collection);
    const first = store.get(5);
    expect(store.covers([118.001, 24.001, 118.005, 24.005])).toBe(true);
    store.add([118, 24, 118.01, 24.01], structuredClone(collection));
    expect(store.get(5)).toBe(first);
    expect(store.within([118.0005, 24.0005, 118.002, 24.002]).map((parcel) => parcel.id)).toEqual([5]);
    store.add([119, 25, 119.01, 25.01], { ...collection, truncated: true, features: [] });
    expect(store.covers([119, 25, 119.001, 25.001])).toBe(false);
  });

  it('counts a box fetched in pieces as fetched once every piece is', () => {
    const store = new ParcelStore();
    const wanted: [number, number, number, number] = [118, 24, 118.15, 24.05];
    const pieces = splitBox(wanted);
    store.add(pieces[0], { type: 'FeatureCollection', truncated: false, features: [] });
    store.markCovered(wanted, pieces);
    expect(store.covers(wanted)).toBe(false);
    store.add(pieces[1], { type: 'FeatureCollection', truncated: false, features: [] });
    store.markCovered(wanted, pieces);
    expect(store.covers(wanted)).toBe(true);
  });
});
