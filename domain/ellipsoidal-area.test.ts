import fs from 'node:fs';
import path from 'node:path';
import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { geometryAreaM2, lineLengthM, polygonAreaM2, ringAreaM2, type Ring } from './ellipsoidal-area.js';
import { CGCS2000 } from './ellipsoid.js';

/**
 * Exact area of a latitude/longitude cell on the ellipsoid (authalic formula), an oracle
 * independent of GeographicLib. Geodesic edges differ from parallels by ~1e-6 relative for 1 km
 * cells, far below the 0.01 % tolerance of official figures.
 */
function cellArea(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const a = CGCS2000.semiMajorAxis;
  const f = CGCS2000.flattening;
  const e2 = f * (2 - f);
  const e = Math.sqrt(e2);
  const b2 = a * a * (1 - e2);
  const q = (lat: number) => {
    const sin = Math.sin((lat * Math.PI) / 180);
    return sin / (1 - e2 * sin * sin) + (1 / (2 * e)) * Math.log((1 + e * sin) / (1 - e * sin));
  };
  return (b2 / 2) * (((lon2 - lon1) * Math.PI) / 180) * (q(lat2) - q(lat1));
}

function box(lon1: number, lat1: number, lon2: number, lat2: number): Ring {
  return [[lon1, lat1], [lon2, lat1], [lon2, lat2], [lon1, lat2], [lon1, lat1]];
}

const relativeError = (actual: number, expected: number) => Math.abs(actual - expected) / expected;

describe('ellipsoidal area (CGCS2000, GeographicLib)', () => {
  it.each([
    ['Xiamen 0.01° cell', 118.1, 24.5],
    ['Tianjin 0.01° cell', 117.25, 39.12],
    ['equator 0.01° cell', 10, 0],
    ['high latitude 0.01° cell', 25, 66],
  ])('matches the exact cell area for a %s to 0.01 %%', (_name, lon, lat) => {
    const expected = cellArea(lon, lat, lon + 0.01, lat + 0.01);
    const actual = ringAreaM2(box(lon, lat, lon + 0.01, lat + 0.01));
    expect(relativeError(actual, expected)).toBeLessThan(1e-4);
    expect(relativeError(actual, expected)).toBeLessThan(1e-5);
  });

  it('gives the same area whatever the winding or whether the ring is closed', () => {
    const ring = box(118.1, 24.5, 118.11, 24.51);
    const reversed = [...ring].reverse();
    const open = ring.slice(0, -1);
    expect(ringAreaM2(reversed)).toBeCloseTo(ringAreaM2(ring), 6);
    expect(ringAreaM2(open)).toBeCloseTo(ringAreaM2(ring), 6);
  });

  it('subtracts holes and sums the parts of a MultiPolygon', () => {
    const outer = box(118.1, 24.5, 118.12, 24.52);
    const hole = box(118.105, 24.505, 118.11, 24.51);
    const withHole = polygonAreaM2([outer, hole]);
    expect(withHole).toBeCloseTo(ringAreaM2(outer) - ringAreaM2(hole), 6);
    const second = box(118.2, 24.6, 118.21, 24.61);
    const multi = geometryAreaM2({ type: 'MultiPolygon', coordinates: [[outer, hole], [second]] });
    expect(multi).toBeCloseTo(withHole + ringAreaM2(second), 6);
  });

  it('returns 0 for degenerate rings', () => {
    expect(ringAreaM2([[118, 24], [118.1, 24], [118, 24]])).toBe(0);
    expect(polygonAreaM2([])).toBe(0);
  });

  it('reproduces the ellipsoidal area of a real 部标 红线 file (pengbu_BR-14, CGCS2000 zone 40): 57 088.889 m²', () => {
    const file = path.resolve(import.meta.dirname, '../../shared/testdata/butiao-txt/qw-coordinatetools-pengbu/pengbu_BR-14.txt');
    const points = fs.readFileSync(file, 'utf8').split(/\r?\n/)
      .filter((line) => /^J\d+,1,/.test(line))
      .map((line) => line.split(',').slice(2, 4).map(Number));
    // EPSG:4528: CGCS2000 / 3-degree Gauss-Kruger zone 40 (false easting 40 500 000). X = northing, Y = easting.
    const zone40 = '+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=40500000 +y_0=0 +ellps=GRS80 +units=m +no_defs';
    const ring = points.map(([northing, easting]) => proj4(zone40, 'EPSG:4326', [easting, northing]));
    ring.push(ring[0]);
    expect(points.length).toBeGreaterThan(60);
    expect(relativeError(ringAreaM2(ring), 57088.889)).toBeLessThan(1e-4);
  });

  it('measures geodesic lengths: 1° of the equator is a·π/180, a meridian degree at 24°N as the integral of its radius of curvature', () => {
    expect(lineLengthM([[118, 0], [119, 0]])).toBeCloseTo((6378137 * Math.PI) / 180, 3);
    // Sum of segments; a single point or none has no length.
    expect(lineLengthM([[118, 0], [118.5, 0], [119, 0]])).toBeCloseTo((6378137 * Math.PI) / 180, 3);
    expect(lineLengthM([[118, 24]])).toBe(0);
    // Meridian arc 24°–25°N on CGCS2000: ∫ a(1−e²)/(1−e² sin²φ)^1.5 dφ = 110 765.515 m (numerical integration).
    expect(Math.abs(lineLengthM([[118, 24], [118, 25]]) - 110765.515)).toBeLessThan(0.01);
  });
});
