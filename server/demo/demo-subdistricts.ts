import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { REPOSITORY_ROOT } from '../config.js';
import { INDUSTRIAL_WEIGHT, PARK_SUFFIXES, type GeneratedPark, type ParcelPlace } from './parcel-generator.js';

export const SUBDISTRICTS_FIXTURE = path.join(REPOSITORY_ROOT, 'fixtures', 'xiamen-subdistricts.json');

/** Source notes of generated boundaries: demo data under a local rule, never an official line. */
export const DEMO_STREET_SOURCE = '演示数据 (local rule)：驻地近似坐标的 Voronoi 划分 (CGCS2000 3° 带 39 平面) 裁切到区界，非官方街道/镇界线';
export const DEMO_PARK_SOURCE = '演示数据 (local rule)：演示城市生成器所布工业园区的街坊范围外扩，非官方园区四至';

interface FixtureItem {
  code: string;
  name: string;
  kind: 'street' | 'town';
  district: string;
  seat: [number, number];
}

type Queryable = pg.Pool | pg.PoolClient;

/**
 * The 街道/镇 of the demo city's districts: each district is partitioned by the Voronoi cells of its
 * 街道/镇 seats (近似驻地, fixtures/xiamen-subdistricts.json), computed in the zone-39 plane and cut to
 * the district. Seats off the district's land are moved to its nearest point. Districts the fixture
 * does not know are left without. Returns the number of 街道/镇 written.
 */
export async function loadDemoStreets(db: Queryable, fixturePath = SUBDISTRICTS_FIXTURE): Promise<number> {
  const { items } = JSON.parse(fs.readFileSync(fixturePath, 'utf8')) as { items: FixtureItem[] };
  const { rowCount } = await db.query(
    `WITH item AS (
       SELECT i.code, i.name, i.kind, i.district, d.geom AS district_geom,
              ST_Transform(CASE WHEN ST_Intersects(d.geom, q.point) THEN q.point ELSE ST_ClosestPoint(d.geom, q.point) END, 4527) AS seat
       FROM jsonb_to_recordset($1::jsonb) AS i(code text, name text, kind text, district text, lon float8, lat float8)
       JOIN districts d ON d.code = i.district
       CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4490) AS point) q
     ), cell AS (
       SELECT c.district, (ST_Dump(ST_VoronoiPolygons(ST_Collect(c.seat), 0,
                (SELECT ST_Expand(ST_Envelope(ST_Transform(d.geom, 4527)), 5000) FROM districts d WHERE d.code = c.district)))).geom AS geom
       FROM item c
       GROUP BY c.district
     )
     INSERT INTO subdistricts (code, name, kind, district_code, geom, source)
     SELECT i.code, i.name, i.kind, i.district,
            ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(i.district_geom, ST_Transform(ST_Segmentize(c.geom, 500), 4490))), 3)), $2
     FROM item i JOIN cell c ON c.district = i.district AND ST_Intersects(c.geom, i.seat)
     ON CONFLICT (code) DO NOTHING`,
    [JSON.stringify(items.map((item) => ({ ...item, lon: item.seat[0], lat: item.seat[1] }))), DEMO_STREET_SOURCE],
  );
  return rowCount ?? 0;
}

/** The GEOS interior point (ST_PointOnSurface) of a simple ring: the widest section of the scan line
 * half-way between the vertex ordinates nearest the envelope's middle (GEOS InteriorPointArea). */
export function pointOnSurface(ring: readonly [number, number][]): [number, number] {
  let minY = Infinity, maxY = -Infinity;
  for (const [, y] of ring) { minY = Math.min(minY, y); maxY = Math.max(maxY, y); }
  const centre = (minY + maxY) / 2;
  let low = minY, high = maxY;
  for (const [, y] of ring) {
    if (y <= centre) { if (y > low) low = y; } else if (y < high) high = y;
  }
  const scanY = (high + low) / 2;
  const crossings: number[] = [];
  for (let index = 0; index + 1 < ring.length; index++) {
    const [x0, y0] = ring[index];
    const [x1, y1] = ring[index + 1];
    if ((y0 > scanY && y1 > scanY) || (y0 < scanY && y1 < scanY) || y0 === y1) continue;
    if (x0 === x1) { crossings.push(x0); continue; }
    const slope = (y1 - y0) / (x1 - x0);
    crossings.push(x0 + (scanY - y0) / slope);
  }
  crossings.sort((a, b) => a - b);
  let best = -1, bestX = crossings[0] ?? ring[0][0];
  for (let index = 0; index + 1 < crossings.length; index += 2) {
    const width = crossings[index + 1] - crossings[index];
    if (width > best) { best = width; bestX = (crossings[index] + crossings[index + 1]) / 2; }
  }
  return [bestX, scanY];
}

function inRing(ring: readonly number[][], x: number, y: number): boolean {
  let inside = false;
  for (let index = 0, previous = ring.length - 1; index < ring.length; previous = index++) {
    const [xi, yi] = ring[index], [xj, yj] = ring[previous];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

interface PlaceShape {
  code: string;
  name: string;
  districtCode: string;
  polygons: number[][][][];
  bbox: [number, number, number, number];
}

function shapeOf(code: string, name: string, districtCode: string, polygons: number[][][][]): PlaceShape {
  const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of polygons) for (const [x, y] of polygon[0]) {
    bbox[0] = Math.min(bbox[0], x); bbox[1] = Math.min(bbox[1], y); bbox[2] = Math.max(bbox[2], x); bbox[3] = Math.max(bbox[3], y);
  }
  return { code, name, districtCode, polygons, bbox };
}

function contains(shape: PlaceShape, x: number, y: number): boolean {
  if (x < shape.bbox[0] || x > shape.bbox[2] || y < shape.bbox[1] || y > shape.bbox[3]) return false;
  return shape.polygons.some((polygon) => inRing(polygon[0], x, y) && !polygon.slice(1).some((hole) => inRing(hole, x, y)));
}

/**
 * The places of a generated city, computed as the parcels stream out, by the rule of the table's
 * trigger (point on surface in the district's polygons, the lowest code first), so that a bulk load
 * need not look each parcel up in PostgreSQL. The 园区 are chosen as the generator places its parks:
 * in each district the first parks of at least 30 parcels with a name not yet taken, more of them
 * in the industrial districts; a 园区 is its park's footprint, clear of the 园区 before it.
 */
export class DemoPlaces {
  private readonly streets = new Map<string, PlaceShape[]>();
  private readonly parks = new Map<string, PlaceShape[]>();
  readonly chosen: { code: string; name: string; districtCode: string; ring: [number, number][] }[] = [];

  constructor(streets: readonly { code: string; name: string; districtCode: string; geometry: { coordinates: number[][][][] } }[]) {
    for (const street of [...streets].sort((a, b) => a.code.localeCompare(b.code))) {
      const list = this.streets.get(street.districtCode) ?? [];
      list.push(shapeOf(street.code, street.name, street.districtCode, street.geometry.coordinates));
      this.streets.set(street.districtCode, list);
    }
  }

  static async read(db: Queryable): Promise<DemoPlaces> {
    const { rows } = await db.query<{ code: string; name: string; districtCode: string; geometry: { coordinates: number[][][][] } }>(
      `SELECT code, name, district_code AS "districtCode", ST_AsGeoJSON(geom, 15)::json AS geometry FROM subdistricts WHERE kind <> 'park'`,
    );
    return new DemoPlaces(rows);
  }

  onPark = (park: GeneratedPark): void => {
    const list = this.parks.get(park.districtCode) ?? [];
    const wanted = Math.max(1, Math.round((INDUSTRIAL_WEIGHT[park.districtCode] ?? 1) * 2));
    if (park.parcels < 30 || list.length >= wanted) return;
    // Named after the 街道/镇 it lies in (新阳 + 工业园), as 园区 usually are; one name once per district.
    const corners = park.ring.slice(0, -1);
    const x = corners.reduce((sum, [lon]) => sum + lon, 0) / corners.length;
    const y = corners.reduce((sum, [, lat]) => sum + lat, 0) / corners.length;
    const streets = this.streets.get(park.districtCode) ?? [];
    const street = [[x, y], ...corners].map(([px, py]) => streets.find((shape) => contains(shape, px, py))).find(Boolean) ?? streets[0];
    const suffix = PARK_SUFFIXES.find((candidate) => park.name.endsWith(candidate)) ?? '工业园';
    const name = street ? `${street.name.replace(/(街道|镇)$/, '')}${suffix}` : park.name;
    if (list.some((taken) => taken.name === name)) return;
    const code = `${park.districtCode}${501 + list.length}`;
    list.push(shapeOf(code, name, park.districtCode, [[park.ring]]));
    this.parks.set(park.districtCode, list);
    this.chosen.push({ code, name, districtCode: park.districtCode, ring: park.ring });
  };

  placeOf = (districtCode: string, ring: readonly [number, number][]): ParcelPlace => {
    const [x, y] = pointOnSurface(ring);
    const street = this.streets.get(districtCode)?.find((shape) => contains(shape, x, y)) ?? null;
    const park = this.parks.get(districtCode)?.find((shape) => contains(shape, x, y)) ?? null;
    return { subdistrictCode: street?.code ?? null, parkCode: park?.code ?? null, townOrPark: (park ?? street)?.name ?? null };
  };
}

/** Writes the chosen 园区, each clear of those before it (the trigger re-derives any parcel it holds). */
export async function insertDemoParks(db: Queryable, parks: DemoPlaces['chosen']): Promise<number> {
  const { rowCount } = await db.query(
    `WITH park AS (
       SELECT e.ordinality, e.value ->> 'code' AS code, e.value ->> 'name' AS name, e.value ->> 'district' AS district,
              ST_GeomFromText(e.value ->> 'shape', 4490) AS geom
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(value, ordinality)
     )
     INSERT INTO subdistricts (code, name, kind, district_code, geom, source)
     SELECT a.code, a.name, 'park', a.district,
            ST_Multi(ST_CollectionExtract(ST_MakeValid(coalesce(ST_Difference(a.geom,
              (SELECT ST_Union(b.geom) FROM park b WHERE b.district = a.district AND b.ordinality < a.ordinality)), a.geom)), 3)), $2
     FROM park a
     ON CONFLICT (code) DO NOTHING`,
    [JSON.stringify(parks.map((park) => ({ code: park.code, name: park.name, district: park.districtCode, shape: `POLYGON((${park.ring.map(([lon, lat]) => `${lon} ${lat}`).join(',')}))` }))), DEMO_PARK_SOURCE],
  );
  return rowCount ?? 0;
}

/** Removes the generated 园区 (before a new demo city is generated); recorded ones stay. */
export async function removeDemoParks(db: Queryable): Promise<void> {
  await db.query(`DELETE FROM subdistricts WHERE kind = 'park' AND source = $1`, [DEMO_PARK_SOURCE]);
}
