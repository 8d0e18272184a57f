import type { Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { geometryAreaM2 } from '@domain/ellipsoidal-area.js';
import { clipByConvex, convexRing, intersectAreal } from './area-geometry.js';

/** A deterministic pseudo-random sequence (the same cases every run). */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const square = (x: number, y: number, size: number, angle: number): Polygon => {
  const corners: Position[] = [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([dx, dy]) => [
    118.1 + (x + size * (dx * Math.cos(angle) - dy * Math.sin(angle))) * 1e-5,
    24.5 + (y + size * (dx * Math.sin(angle) + dy * Math.cos(angle))) * 1e-5,
  ]);
  return { type: 'Polygon', coordinates: [[...corners, corners[0]]] };
};

/** A concave boundary (an L with a notch), in the same frame (live figures use the fast path only without holes). */
const boundary: Polygon = {
  type: 'Polygon',
  coordinates: [
    [[0, 0], [60, 0], [60, 25], [40, 25], [40, 12], [33, 12], [33, 25], [25, 25], [25, 60], [0, 60], [0, 0]].map(([x, y]) => [118.1 + x * 1e-5, 24.5 + y * 1e-5]),
  ],
};

describe('clipByConvex', () => {
  it('recognises convex rings (either orientation) and refuses concave ones or holes', () => {
    expect(convexRing(square(0, 0, 3, 0.3))).toHaveLength(4);
    const clockwise = square(0, 0, 3, 0);
    clockwise.coordinates[0].reverse();
    expect(convexRing(clockwise)).toHaveLength(4);
    expect(convexRing(boundary)).toBeNull();
    const withHole = square(0, 0, 10, 0);
    withHole.coordinates.push(square(0, 0, 2, 0).coordinates[0]);
    expect(convexRing(withHole)).toBeNull();
  });

  it('gives the same ellipsoidal area as the general overlay, for parcels across concave edges and a notch', () => {
    const next = random(20261122);
    for (let trial = 0; trial < 200; trial++) {
      const parcel = square(next() * 70 - 5, next() * 70 - 5, 2 + next() * 12, next() * Math.PI);
      const fast = clipByConvex(boundary, convexRing(parcel)!);
      const general = intersectAreal(parcel, boundary);
      const fastM2 = fast ? geometryAreaM2(fast) : 0;
      const generalM2 = general ? geometryAreaM2(general) : 0;
      expect(Math.abs(fastM2 - generalM2), `trial ${trial}`).toBeLessThan(1e-3); // a square millimetre: reported figures are to 0.01 m²
    }
  });
});
