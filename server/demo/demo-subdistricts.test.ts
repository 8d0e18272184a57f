import { describe, expect, it } from 'vitest';
import { DemoPlaces, pointOnSurface } from './demo-subdistricts.js';

describe('pointOnSurface (GEOS InteriorPointArea, as ST_PointOnSurface)', () => {
  it('takes the middle of the widest section of the scan line between the vertex ordinates nearest the middle', () => {
    expect(pointOnSurface([[0, 0], [4, 0], [4, 2], [0, 2], [0, 0]])).toEqual([2, 1]);
    // A slanted quad: the scan line lies half-way between the two middle ordinates (1 and 3).
    const [x, y] = pointOnSurface([[0, 0], [4, 1], [5, 3], [1, 4], [0, 0]]);
    expect(y).toBe(2);
    expect(x).toBeCloseTo((0.5 + 4.5) / 2, 12);
  });
});

describe('DemoPlaces', () => {
  const square = (x0: number, y0: number, x1: number, y1: number) => [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]];
  const places = new DemoPlaces([
    { code: '350211002', name: '侨英街道', districtCode: '350211', geometry: { coordinates: square(1, 0, 2, 1) } },
    { code: '350211001', name: '集美街道', districtCode: '350211', geometry: { coordinates: square(0, 0, 1, 1) } },
  ]);

  it('finds the 街道 of a parcel among its district\'s, the lowest code first, and none outside', () => {
    expect(places.placeOf('350211', [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.4], [0.2, 0.2]])).toEqual({ subdistrictCode: '350211001', parkCode: null, townOrPark: '集美街道' });
    expect(places.placeOf('350211', [[1.2, 0.2], [1.4, 0.2], [1.4, 0.4], [1.2, 0.4], [1.2, 0.2]]).subdistrictCode).toBe('350211002');
    expect(places.placeOf('350206', [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.4], [0.2, 0.2]]).subdistrictCode).toBeNull();
    expect(places.placeOf('350211', [[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]])).toEqual({ subdistrictCode: null, parkCode: null, townOrPark: null });
  });

  it('makes a 园区 of a large park, named after its 街道, and puts the parcels inside it 园区内', () => {
    const ring: [number, number][] = [[0.1, 0.1], [0.6, 0.1], [0.6, 0.6], [0.1, 0.6], [0.1, 0.1]];
    places.onPark({ districtCode: '350211', name: '火炬工业园', parcels: 10, ring });
    expect(places.chosen).toHaveLength(0);
    places.onPark({ districtCode: '350211', name: '火炬工业园', parcels: 40, ring });
    expect(places.chosen).toEqual([{ code: '350211501', name: '集美工业园', districtCode: '350211', ring }]);
    expect(places.placeOf('350211', [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.4], [0.2, 0.2]])).toEqual({ subdistrictCode: '350211001', parkCode: '350211501', townOrPark: '集美工业园' });
  });
});
