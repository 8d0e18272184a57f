import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { geometryAreaM2, type MultiPolygonGeometry } from '../../domain/ellipsoidal-area.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface DistrictFeature {
  type: 'Feature';
  properties: { code: string; name: string; level: string; parentCode: string };
  geometry: { type: string; coordinates: number[][][][] };
}
interface DistrictCollection {
  type: 'FeatureCollection';
  metadata: { source: string; license: string };
  features: DistrictFeature[];
}

const fixture = JSON.parse(
  readFileSync(path.join(repoRoot, 'fixtures/xiamen-districts.geojson'), 'utf8'),
) as DistrictCollection;

/** Plausible land areas in km² (official figures: 思明 ≈ 84, 海沧 ≈ 186, 湖里 ≈ 74, 集美 ≈ 275,
 * 同安 ≈ 660, 翔安 ≈ 420; the source polygons are coarse and include some tidal flats). */
const EXPECTED: Record<string, { name: string; minKm2: number; maxKm2: number }> = {
  '350203': { name: '思明区', minKm2: 70, maxKm2: 100 },
  '350205': { name: '海沧区', minKm2: 170, maxKm2: 240 },
  '350206': { name: '湖里区', minKm2: 60, maxKm2: 90 },
  '350211': { name: '集美区', minKm2: 240, maxKm2: 310 },
  '350212': { name: '同安区', minKm2: 600, maxKm2: 720 },
  '350213': { name: '翔安区', minKm2: 380, maxKm2: 480 },
};

function signedArea2(ring: number[][]): number {
  let sum = 0;
  for (let index = 0; index < ring.length - 1; index++) {
    sum += ring[index][0] * ring[index + 1][1] - ring[index + 1][0] * ring[index][1];
  }
  return sum;
}

describe('fixtures/xiamen-districts.geojson', () => {
  it('names its source and licence', () => {
    expect(fixture.type).toBe('FeatureCollection');
    expect(fixture.metadata.source).toContain('GaryBikini/ChinaAdminDivisonSHP');
    expect(fixture.metadata.license).toBe('MIT');
  });

  it('holds the six districts of 厦门市 with codes and names', () => {
    expect(fixture.features).toHaveLength(6);
    const codes = fixture.features.map((feature) => feature.properties.code).sort();
    expect(codes).toEqual(Object.keys(EXPECTED).sort());
    for (const { properties } of fixture.features) {
      expect(properties.name).toBe(EXPECTED[properties.code].name);
      expect(properties.level).toBe('district');
      expect(properties.parentCode).toBe('350200');
    }
  });

  it('has MultiPolygon geometries with closed, RFC 7946-wound rings inside Xiamen', () => {
    for (const { geometry } of fixture.features) {
      expect(geometry.type).toBe('MultiPolygon');
      expect(geometry.coordinates.length).toBeGreaterThan(0);
      for (const polygon of geometry.coordinates) {
        polygon.forEach((ring, index) => {
          expect(ring.length).toBeGreaterThanOrEqual(4);
          expect(ring[0]).toEqual(ring[ring.length - 1]);
          // exterior counter-clockwise, holes clockwise
          expect(signedArea2(ring) > 0).toBe(index === 0);
          for (const [lon, lat] of ring) {
            expect(lon).toBeGreaterThan(117.8);
            expect(lon).toBeLessThan(118.6);
            expect(lat).toBeGreaterThan(24.3);
            expect(lat).toBeLessThan(25.0);
          }
        });
      }
    }
  });

  it('has plausible ellipsoidal areas per district and for the city (≈ 1 700 km²)', () => {
    let totalKm2 = 0;
    for (const { properties, geometry } of fixture.features) {
      const km2 = geometryAreaM2(geometry as MultiPolygonGeometry) / 1e6;
      totalKm2 += km2;
      const expected = EXPECTED[properties.code];
      expect(km2, `${properties.code} ${properties.name}`).toBeGreaterThan(expected.minKm2);
      expect(km2, `${properties.code} ${properties.name}`).toBeLessThan(expected.maxKm2);
    }
    expect(totalKm2).toBeGreaterThan(1500);
    expect(totalKm2).toBeLessThan(1800);
  });
});
