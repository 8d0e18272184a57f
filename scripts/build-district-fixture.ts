/**
 * Builds fixtures/xiamen-districts.geojson: the six districts of 厦门市 (350200) in WGS84.
 *
 * Source: GaryBikini/ChinaAdminDivisonSHP (MIT), copied to
 * ../shared/testdata/ChinaAdminDivisonSHP/old_776a2f1_noprj/福建省.shp. The shapefile has no .prj
 * and no .cpg: its DBF text is UTF-8 and its coordinates are GCJ-02 (AMap), so every vertex is
 * converted GCJ-02 → WGS84 with the iterative inverse in domain/gcj02.ts and rounded to 7 decimals
 * (≈ 1 cm). Rings are rewound to RFC 7946 order (outer rings counter-clockwise, holes clockwise;
 * the shapefile has clockwise outer rings). Geometry is not repaired or simplified here (repair
 * belongs to PostGIS on import).
 *
 * Run: npx tsx scripts/build-district-fixture.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gcj02ToWgs84 } from '../domain/gcj02.js';
import { XIAMEN, XIAMEN_DISTRICTS } from '../domain/districts.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = path.resolve(repoRoot, '../shared/testdata/ChinaAdminDivisonSHP/old_776a2f1_noprj/福建省.shp');
const OUTPUT = path.resolve(repoRoot, 'fixtures/xiamen-districts.geojson');

type Ring = number[][];
type PolygonCoords = Ring[];
interface SourceFeature {
  properties: Record<string, unknown>;
  geometry: { type: 'Polygon'; coordinates: PolygonCoords } | { type: 'MultiPolygon'; coordinates: PolygonCoords[] };
}

const round7 = (value: number): number => Math.round(value * 1e7) / 1e7;

function convertRing(ring: Ring): Ring {
  const converted = ring.map(([lon, lat]) => {
    const [wLon, wLat] = gcj02ToWgs84(lon, lat);
    return [round7(wLon), round7(wLat)];
  });
  // Identical input vertices map to identical output vertices, so closed rings stay closed;
  // close explicitly anyway in case the source left a ring open.
  const first = converted[0];
  const last = converted[converted.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) converted.push([first[0], first[1]]);
  return converted;
}

/** Twice the signed planar (lon/lat) area of a closed ring: > 0 when counter-clockwise. */
function signedArea2(ring: Ring): number {
  let sum = 0;
  for (let index = 0; index < ring.length - 1; index++) {
    sum += ring[index][0] * ring[index + 1][1] - ring[index + 1][0] * ring[index][1];
  }
  return sum;
}

/** RFC 7946 §3.1.6 winding: exterior ring counter-clockwise, holes clockwise. */
function rewind(polygon: PolygonCoords): PolygonCoords {
  return polygon.map((ring, index) => {
    const counterClockwise = signedArea2(ring) > 0;
    const wantCounterClockwise = index === 0;
    return counterClockwise === wantCounterClockwise ? ring : [...ring].reverse();
  });
}

function readSource(): SourceFeature[] {
  const codes = XIAMEN_DISTRICTS.map((district) => `'${district.code}'`).join(',');
  const stdout = execFileSync(
    'ogr2ogr',
    ['-f', 'GeoJSON', '/vsistdout/', SOURCE, '-oo', 'ENCODING=UTF-8', '-where', `adcode IN (${codes})`],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  return (JSON.parse(stdout) as { features: SourceFeature[] }).features;
}

function main(): void {
  const sourceFeatures = readSource();
  const features = XIAMEN_DISTRICTS.map(({ code, name }) => {
    const matches = sourceFeatures.filter((feature) => feature.properties.adcode === code);
    if (matches.length !== 1) throw new Error(`expected 1 feature for ${code}, found ${matches.length}`);
    const source = matches[0];
    if (source.properties.name !== name) {
      throw new Error(`name mismatch for ${code}: source has ${String(source.properties.name)}, expected ${name}`);
    }
    if (source.properties.ctadcode !== XIAMEN.code) throw new Error(`${code} is not in ${XIAMEN.code}`);
    const polygons: PolygonCoords[] =
      source.geometry.type === 'Polygon' ? [source.geometry.coordinates] : source.geometry.coordinates;
    return {
      type: 'Feature' as const,
      properties: { code, name, level: 'district', parentCode: XIAMEN.code },
      geometry: {
        type: 'MultiPolygon' as const,
        coordinates: polygons.map((polygon) => rewind(polygon.map(convertRing))),
      },
    };
  });

  const collection = {
    type: 'FeatureCollection',
    metadata: {
      source: 'GaryBikini/ChinaAdminDivisonSHP (https://github.com/GaryBikini/ChinaAdminDivisonSHP), file 福建省.shp, old revision 776a2f1',
      license: 'MIT',
      crs: 'WGS84 (EPSG:4326), lon/lat degrees, 7 decimals',
      processing:
        'GCJ-02 converted to WGS84 by scripts/build-district-fixture.ts (iterative inverse in domain/gcj02.ts); rings rewound to RFC 7946 (exterior counter-clockwise); no simplification, no repair',
    },
    features,
  };

  mkdirSync(path.dirname(OUTPUT), { recursive: true });
  // One feature per line keeps diffs readable and the file small.
  const body = [
    '{"type":"FeatureCollection",',
    `"metadata":${JSON.stringify(collection.metadata)},`,
    '"features":[',
    features.map((feature) => JSON.stringify(feature)).join(',\n'),
    ']}',
    '',
  ].join('\n');
  writeFileSync(OUTPUT, body);
  const vertices = features.reduce(
    (sum, feature) => sum + feature.geometry.coordinates.flat().reduce((n, ring) => n + ring.length, 0),
    0,
  );
  console.log(`wrote ${path.relative(repoRoot, OUTPUT)}: ${features.length} features, ${vertices} vertices, ${body.length} bytes`);
}

main();
