import type { MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { geometryAreaM2 } from '@domain/ellipsoidal-area.js';
import { metresPerDegree } from './area-geometry.js';
import { computeLiveFigures, LiveFiguresCache, type LiveFiguresInput, type LiveParcel } from './live-figures.js';

/** A small patch of 湖里区; one unit of the grids below is 0.001° (about 100 m). */
const LON = 118.1;
const LAT = 24.5;
const UNIT = 0.001;

function ring(x0: number, y0: number, x1: number, y1: number): Position[] {
  return [
    [LON + x0 * UNIT, LAT + y0 * UNIT],
    [LON + x1 * UNIT, LAT + y0 * UNIT],
    [LON + x1 * UNIT, LAT + y1 * UNIT],
    [LON + x0 * UNIT, LAT + y1 * UNIT],
    [LON + x0 * UNIT, LAT + y0 * UNIT],
  ];
}

function square(x0: number, y0: number, x1: number, y1: number): Polygon {
  return { type: 'Polygon', coordinates: [ring(x0, y0, x1, y1)] };
}

/** A polygon through grid points, e.g. an L shape (geodesic edges: its area is not a difference of squares). */
function outline(...points: [number, number][]): Polygon {
  const positions = points.map(([x, y]) => [LON + x * UNIT, LAT + y * UNIT]);
  return { type: 'Polygon', coordinates: [[...positions, positions[0]]] };
}

function parcel(id: number, geometry: Polygon | MultiPolygon, status: string | null = 'normal'): LiveParcel {
  return { id, areaM2: geometryAreaM2(geometry), status, geometry };
}

function input(boundary: Polygon | MultiPolygon, parcels: LiveParcel[], extra: Partial<LiveFiguresInput> = {}): LiveFiguresInput {
  return {
    boundary,
    parcels,
    takenIds: null,
    fragmentParcelIds: new Set(),
    fragments: [],
    supportingLand: [],
    uncoveredIsFragment: true,
    gapToleranceM: 5,
    ...extra,
  };
}

/** Areas are compared to 0.01 m², the precision the server reports them with. */
const CM2 = 2;

describe('computeLiveFigures', () => {
  it('excludes a hole from the project land, the parcels, the uncovered land, the fragments and the 配套 land', () => {
    const withHole: Polygon = { type: 'Polygon', coordinates: [ring(0, 0, 4, 4), ring(1, 1, 3, 3)] };
    const inHole = parcel(1, square(1.5, 1.5, 2.5, 2.5));
    const acrossHoleEdge = parcel(2, square(0, 0, 2, 2));
    const figures = computeLiveFigures(input(withHole, [inHole, acrossHoleEdge], {
      fragments: [square(2, 2, 4, 4)],
      supportingLand: [square(0.5, 0.5, 3.5, 3.5)],
      uncoveredIsFragment: false,
    }));

    const project = geometryAreaM2(square(0, 0, 4, 4)) - geometryAreaM2(square(1, 1, 3, 3));
    expect(figures.projectLandM2).toBeCloseTo(project, CM2);
    expect(figures.parcels.map((entry) => entry.id)).toEqual([2]);
    const inside = geometryAreaM2(outline([0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2]));
    expect(figures.parcels[0].insideM2).toBeCloseTo(inside, CM2);
    expect(figures.parcels[0].whole).toBe(false);
    expect(figures.parcelLandM2).toBeCloseTo(inside, CM2);
    expect(figures.uncoveredLandM2).toBeCloseTo(project - inside, CM2);
    // The fragment drawn over the hole's corner counts only where the area is.
    const fragment = geometryAreaM2(outline([3, 2], [4, 2], [4, 4], [2, 4], [2, 3], [3, 3]));
    expect(figures.fragmentLandM2).toBeCloseTo(fragment, CM2);
    const supporting = geometryAreaM2(square(0.5, 0.5, 3.5, 3.5)) - geometryAreaM2(square(1, 1, 3, 3));
    expect(figures.supportingLandM2).toBeCloseTo(supporting, CM2);
  });

  it('gives a partly cut parcel its share inside, and a whole one 1', () => {
    const cut = parcel(1, square(-1, 0, 1, 1), 'identified');
    const whole = parcel(2, square(1, 0, 2, 1), 'suspected');
    const figures = computeLiveFigures(input(square(0, 0, 3, 1), [cut, whole]));
    const [cutFigure, wholeFigure] = figures.parcels;
    expect(cutFigure.whole).toBe(false);
    expect(cutFigure.share).toBeCloseTo(geometryAreaM2(square(0, 0, 1, 1)) / cut.areaM2, 4);
    expect(cutFigure.share).toBeCloseTo(0.5, 3);
    expect(wholeFigure).toMatchObject({ id: 2, share: 1, whole: true });
    expect(wholeFigure.insideM2).toBeCloseTo(whole.areaM2, CM2);
    expect(figures.inefficientLandM2).toBeCloseTo(cutFigure.insideM2 + whole.areaM2, CM2);
  });

  it('counts land no taken parcel covers as 零星用地 only when asked, plus the parcels marked so', () => {
    const boundary = square(0, 0, 4, 1);
    const parcels = [parcel(1, square(0, 0, 1, 1)), parcel(2, square(1, 0, 2, 1)), parcel(3, square(2, 0, 3, 1))];
    const project = geometryAreaM2(boundary);
    const uncovered = geometryAreaM2(square(3, 0, 4, 1));

    const all = computeLiveFigures(input(boundary, parcels));
    expect(all.uncoveredLandM2).toBeCloseTo(uncovered, CM2);
    expect(all.fragmentLandM2).toBeCloseTo(uncovered, CM2);
    expect(all.parcelLandM2 + all.uncoveredLandM2).toBeCloseTo(project, CM2);

    const notCounted = computeLiveFigures(input(boundary, parcels, { uncoveredIsFragment: false }));
    expect(notCounted.fragmentLandM2).toBe(0);

    // Leaving parcel 2 out makes its land uncovered; marking parcel 3 adds it whole.
    const leftOut = computeLiveFigures(input(boundary, parcels, { takenIds: new Set([1, 3]), fragmentParcelIds: new Set([3]) }));
    expect(leftOut.uncoveredLandM2).toBeCloseTo(uncovered + parcels[1].areaM2, CM2);
    expect(leftOut.fragmentLandM2).toBeCloseTo(uncovered + parcels[1].areaM2 + parcels[2].areaM2, CM2);
    expect(leftOut.parcels).toHaveLength(3);

    // A fragment drawn over uncovered land and a marked parcel is not counted twice.
    const overlapping = computeLiveFigures(input(boundary, parcels, {
      uncoveredIsFragment: false, fragmentParcelIds: new Set([3]), fragments: [square(2.5, 0, 3.5, 1)],
    }));
    expect(overlapping.fragmentLandM2).toBeCloseTo(parcels[2].areaM2 + geometryAreaM2(square(3, 0, 3.5, 1)), CM2);
  });

  it('joins parts closer than the gap tolerance into one piece, and keeps farther ones apart', () => {
    const metres = metresPerDegree(LAT);
    const gapDegrees = (gapM: number) => gapM / metres.x / UNIT;
    const twoParts = (gapM: number): MultiPolygon => ({
      type: 'MultiPolygon',
      coordinates: [[ring(0, 0, 1, 1)], [ring(1 + gapDegrees(gapM), 0, 2, 1)]],
    });
    expect(computeLiveFigures(input(twoParts(3), [], { gapToleranceM: 5 })).pieces).toBe(1);
    expect(computeLiveFigures(input(twoParts(7), [], { gapToleranceM: 5 })).pieces).toBe(2);
    expect(computeLiveFigures(input(twoParts(3), [], { gapToleranceM: 0 })).pieces).toBe(2);
    expect(computeLiveFigures(input(square(0, 0, 1, 1), [], { gapToleranceM: 0 })).pieces).toBe(1);
  });

  it('gives after a vertex drag, through the cache, the same figures as a full computation, intersecting only parcels near the moved edges', () => {
    // 20 × 15 parcels of 0.4 × 0.4 units with 0.1 gaps, under a boundary of eight vertices.
    const parcels: LiveParcel[] = [];
    for (let column = 0; column < 20; column++) {
      for (let row = 0; row < 15; row++) {
        const x = column * 0.5;
        const y = row * 0.5;
        parcels.push(parcel(parcels.length + 1, square(x, y, x + 0.4, y + 0.4), row % 3 === 0 ? 'identified' : 'normal'));
      }
    }
    const outline = (corner: Position): Polygon => ({
      type: 'Polygon',
      coordinates: [[
        [LON + 0.7 * UNIT, LAT + 0.7 * UNIT], [LON + 5 * UNIT, LAT + 0.3 * UNIT], [LON + 9.3 * UNIT, LAT + 0.9 * UNIT],
        [LON + 9.2 * UNIT, LAT + 4 * UNIT], corner, [LON + 5 * UNIT, LAT + 6.6 * UNIT],
        [LON + 0.9 * UNIT, LAT + 6.9 * UNIT], [LON + 0.3 * UNIT, LAT + 4.1 * UNIT], [LON + 0.7 * UNIT, LAT + 0.7 * UNIT],
      ]],
    });
    const extra = {
      fragments: [square(3, 3, 3.7, 3.7)],
      supportingLand: [square(6, 1, 7, 2)],
      fragmentParcelIds: new Set([45, 46]),
      takenIds: new Set(parcels.map((entry) => entry.id).filter((id) => id % 7 !== 0)),
    };
    const cache = new LiveFiguresCache();
    const before = computeLiveFigures(input(outline([LON + 9.4 * UNIT, LAT + 7 * UNIT]), parcels, extra), cache);
    const fullCount = cache.lastIntersections;

    // A long drag: the moved edges sweep over whole parcels that no edge touches afterwards.
    const moved = outline([LON + 6.2 * UNIT, LAT + 4.6 * UNIT]);
    const cached = computeLiveFigures(input(moved, parcels, extra), cache);
    const intersectedAfterDrag = cache.lastIntersections;
    const fresh = computeLiveFigures(input(moved, parcels, extra));

    expect(cached.parcels.length).not.toBe(before.parcels.length);
    for (const key of ['projectLandM2', 'fragmentLandM2', 'uncoveredLandM2', 'supportingLandM2', 'parcelLandM2', 'inefficientLandM2'] as const) {
      expect(cached[key]).toBeCloseTo(fresh[key], CM2);
    }
    expect(cached.pieces).toBe(fresh.pieces);
    expect(cached.parcels.map((entry) => entry.id)).toEqual(fresh.parcels.map((entry) => entry.id));
    cached.parcels.forEach((entry, index) => {
      expect(entry.whole).toBe(fresh.parcels[index].whole);
      expect(entry.insideM2).toBeCloseTo(fresh.parcels[index].insideM2, CM2);
    });
    expect(intersectedAfterDrag).toBeGreaterThan(0);
    expect(intersectedAfterDrag).toBeLessThan(fullCount);

    // Unchanged boundary (a parcel toggled): nothing is intersected again.
    computeLiveFigures(input(moved, parcels, { ...extra, takenIds: null }), cache);
    expect(cache.lastIntersections).toBe(0);
  });

  it('follows a sketch through the cache from a line of zero area to a polygon over a parcel the first edge cuts', () => {
    const cutByFirstEdge = parcel(1, square(1, -0.5, 2, 0.5));
    const cache = new LiveFiguresCache();
    const line: Polygon = { type: 'Polygon', coordinates: [[[LON, LAT], [LON + 3 * UNIT, LAT], [LON + 3 * UNIT, LAT], [LON, LAT]]] };
    expect(computeLiveFigures(input(line, [cutByFirstEdge]), cache).parcels).toEqual([]);
    const closed = square(0, 0, 3, 3);
    const cached = computeLiveFigures(input(closed, [cutByFirstEdge]), cache);
    const fresh = computeLiveFigures(input(closed, [cutByFirstEdge]));
    expect(cached.parcels).toHaveLength(1);
    expect(cached.parcels[0].insideM2).toBeCloseTo(fresh.parcels[0].insideM2, CM2);
  });
});
