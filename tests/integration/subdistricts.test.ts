import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'kysely';
import { DistrictStats, SubdistrictFeatureCollection, SubdistrictStats, type ChildFigures } from '../../domain/api/districts.schemas.js';
import { XIAMEN, XIAMEN_DISTRICTS } from '../../domain/districts.js';
import { INEFFICIENT_STATUS_CODES } from '../../domain/district-figures.js';
import { connectDatabase, type DatabaseHandles } from '../../server/db/database.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

let testApp: TestApp;
let official: Session;
let huli: Session;
let owner: DatabaseHandles;
const TEST_PREFIX = `T-SUBD-${process.pid}-`;

beforeAll(async () => {
  testApp = await createTestApp();
  official = await login(testApp.app, 'official');
  huli = await login(testApp.app, 'planner-huli');
  owner = connectDatabase(inject('adminDatabaseUrl'), 2);
});
afterAll(async () => {
  await sql`DELETE FROM parcels WHERE code LIKE ${`${TEST_PREFIX}%`}`.execute(owner.db);
  await sql`DELETE FROM subdistricts WHERE source = ${`test ${TEST_PREFIX}`}`.execute(owner.db);
  await owner.close();
  await testApp.close();
});

async function getBody<T = unknown>(session: Session, url: string, status = 200): Promise<T> {
  const response = await session.get(url);
  expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(status);
  return response.json() as T;
}

type Figures = Pick<ChildFigures, 'parcelCount' | 'areaM2' | 'inefficientCount' | 'inefficientAreaM2' | 'byStatus' | 'byType'>;

/** A level equals the sum of its children: count, area, 低效 area, every status and type. */
function expectTiesOut(parent: Figures, children: readonly Figures[], what: string): void {
  const sum = (pick: (figures: Figures) => number) => children.reduce((total, child) => total + pick(child), 0);
  expect(sum((child) => child.parcelCount), `${what}: count`).toBe(parent.parcelCount);
  expect(sum((child) => child.inefficientCount), `${what}: 低效 count`).toBe(parent.inefficientCount);
  expect(sum((child) => child.areaM2), `${what}: area`).toBeCloseTo(parent.areaM2, 3);
  expect(sum((child) => child.inefficientAreaM2), `${what}: 低效 area`).toBeCloseTo(parent.inefficientAreaM2, 3);
  parent.byStatus.forEach((status, index) => {
    expect(sum((child) => child.byStatus[index].count), `${what}: ${status.label}`).toBe(status.count);
    expect(sum((child) => child.byStatus[index].areaM2), `${what}: ${status.label} area`).toBeCloseTo(status.areaM2, 3);
  });
  parent.byType.forEach((type, index) => {
    expect(sum((child) => child.byType[index].count), `${what}: ${type.label}`).toBe(type.count);
    expect(sum((child) => child.byType[index].areaM2), `${what}: ${type.label} area`).toBeCloseTo(type.areaM2, 3);
  });
}

interface DirectRow { place: string | null; count: number; area_m2: number; inefficient_m2: number }

/** The district's parcels summed straight from the table, by place (园区, else 街道/镇, else null). */
async function directSums(district: string): Promise<DirectRow[]> {
  const { rows } = await sql<DirectRow>`
    SELECT coalesce(park_code, subdistrict_code) AS place, count(*)::int AS count, sum(area_m2)::float8 AS area_m2,
           coalesce(sum(area_m2) FILTER (WHERE status = ANY(${[...INEFFICIENT_STATUS_CODES]}::text[])), 0)::float8 AS inefficient_m2
    FROM parcels WHERE district_code = ${district} GROUP BY 1 ORDER BY 1`.execute(owner.db);
  return rows;
}

/**
 * Calls the API between two identical direct reads of the table, so that other test files editing
 * parcels meanwhile cannot make the comparison wrong: the answer is compared with a quiet table.
 */
async function betweenQuietReads<T>(district: string, call: () => Promise<T>): Promise<{ answer: T; direct: DirectRow[] }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const before = await directSums(district);
    const answer = await call();
    const after = await directSums(district);
    if (JSON.stringify(before) === JSON.stringify(after)) return { answer, direct: after };
  }
  throw new Error(`the parcels of ${district} kept changing during 20 attempts`);
}

describe('the demo city\'s 街道/镇 and 园区', () => {
  it('partitions every district into its real 街道/镇, marked as demo data, and adds a few 园区 in the industrial districts', async () => {
    const { rows } = await sql<{ district: string; kind: string; count: number; names: string[]; area_m2: number; district_m2: number; overlap_m2: number; sources: string[] }>`
      SELECT s.district_code AS district, s.kind, count(*)::int AS count, array_agg(s.name ORDER BY s.code) AS names,
             sum(s.area_m2)::float8 AS area_m2, min(d.area_m2)::float8 AS district_m2, array_agg(DISTINCT s.source) AS sources,
             coalesce((SELECT sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)) FROM subdistricts a JOIN subdistricts b
                       ON a.district_code = s.district_code AND b.district_code = s.district_code AND a.kind = s.kind AND b.kind = s.kind AND a.code < b.code
                       AND ST_Intersects(a.geom, b.geom)), 0)::float8 AS overlap_m2
      FROM subdistricts s JOIN districts d ON d.code = s.district_code
      WHERE s.source LIKE '演示数据%'
      GROUP BY s.district_code, (s.kind = 'park'), s.kind`.execute(owner.db);
    for (const district of XIAMEN_DISTRICTS) {
      const streets = rows.filter((row) => row.district === district.code && row.kind !== 'park');
      const streetArea = streets.reduce((total, row) => total + row.area_m2, 0);
      expect(streetArea / streets[0].district_m2, district.name).toBeCloseTo(1, 4);
      for (const row of streets) expect(row.overlap_m2, `${district.name} ${row.kind}`).toBeLessThan(1);
      for (const row of rows.filter((entry) => entry.district === district.code)) expect(row.sources[0]).toMatch(/^演示数据 \(local rule\)/);
      const parks = rows.find((row) => row.district === district.code && row.kind === 'park');
      expect(parks?.count ?? 0, `${district.name} 园区`).toBeGreaterThanOrEqual(1);
      expect(parks!.overlap_m2).toBeLessThan(1);
    }
    const names = rows.flatMap((row) => row.names);
    expect(names).toEqual(expect.arrayContaining(['鼓浪屿街道', '湖里街道', '殿前街道', '杏林街道', '灌口镇', '大同街道', '马巷街道', '新阳街道']));
    expect(rows.filter((row) => row.kind !== 'park').reduce((total, row) => total + row.count, 0)).toBe(42);
  });

  it('gives every demo parcel the 街道/镇 and 园区 its point on surface lies in, and 所在镇街/园区 their name', async () => {
    const { rows: [counts] } = await sql<{ parcels: number; placed: number; in_parks: number; wrong_street: number; wrong_park: number; wrong_label: number; foreign: number }>`
      SELECT count(*)::int AS parcels, count(subdistrict_code)::int AS placed, count(park_code)::int AS in_parks,
             count(*) FILTER (WHERE subdistrict_code IS DISTINCT FROM subdistrict_at(ST_PointOnSurface(geom), district_code, false))::int AS wrong_street,
             count(*) FILTER (WHERE park_code IS DISTINCT FROM subdistrict_at(ST_PointOnSurface(geom), district_code, true))::int AS wrong_park,
             count(*) FILTER (WHERE town_or_park IS DISTINCT FROM (SELECT name FROM subdistricts s WHERE s.code = coalesce(p.park_code, p.subdistrict_code)))::int AS wrong_label,
             count(*) FILTER (WHERE left(coalesce(subdistrict_code, district_code), 6) <> district_code OR left(coalesce(park_code, district_code), 6) <> district_code)::int AS foreign
      FROM parcels p WHERE code ~ '^3502[0-9]{2}-[0-9]{6}$'`.execute(owner.db);
    expect(counts.parcels).toBeGreaterThan(15_000);
    expect(counts.wrong_street).toBe(0);
    expect(counts.wrong_park).toBe(0);
    expect(counts.foreign).toBe(0);
    // Demo parcels edited by other tests may carry a recorded text; nearly all carry the derived name.
    expect(counts.wrong_label).toBeLessThan(counts.parcels * 0.01);
    expect(counts.placed / counts.parcels).toBeGreaterThan(0.99);
    // Some 园区内, most 园区外: both lists of seed 003 二.1 are non-trivial.
    expect(counts.in_parks / counts.parcels).toBeGreaterThan(0.03);
    expect(counts.in_parks / counts.parcels).toBeLessThan(0.6);
  });
});

describe('parcels keep their place as their shape changes (trigger)', () => {
  it('derives the place on insert and geometry edit, fills and follows 所在镇街/园区 but keeps a recorded text, and counts a parcel outside every 街道 under 未划入街道', async () => {
    const db = owner.db;
    // Two parcels of 同安区 in the sea south of the island: no 街道 polygon holds them.
    const square = (x: number, y: number) => `SRID=4490;MULTIPOLYGON(((${x} ${y},${x + 0.0003} ${y},${x + 0.0003} ${y + 0.0003},${x} ${y + 0.0003},${x} ${y})))`;
    // A place on land in a 街道 of 同安区, well inside it and 300 m from any parcel (other tests' included).
    const { rows: [street] } = await sql<{ code: string; name: string; x: number; y: number }>`
      SELECT s.code, s.name, ST_X(g.pt) AS x, ST_Y(g.pt) AS y
      FROM subdistricts s CROSS JOIN LATERAL (SELECT (ST_Dump(ST_GeneratePoints(s.geom, 400, 7))).geom AS pt) g
      WHERE s.district_code = '350212' AND s.kind <> 'park' AND ST_Contains(s.geom, ST_Buffer(g.pt, 0.002))
        AND NOT EXISTS (SELECT 1 FROM parcels p WHERE ST_DWithin(p.geom, g.pt, 0.003))
        AND NOT EXISTS (SELECT 1 FROM subdistricts k WHERE k.kind = 'park' AND ST_DWithin(k.geom, g.pt, 0.003))
      ORDER BY s.code LIMIT 1`.execute(db);
    expect(street).toBeDefined();
    const { rows: [seaParcel] } = await sql<{ id: number; subdistrict_code: string | null; park_code: string | null; town_or_park: string | null }>`
      INSERT INTO parcels (code, district_code, geom, geom_3857, area_m2) VALUES (${`${TEST_PREFIX}sea`}, '350212', ${square(118.3, 24.45)}, 'SRID=3857;MULTIPOLYGON EMPTY', 0)
      RETURNING id, subdistrict_code, park_code, town_or_park`.execute(db);
    expect(seaParcel).toMatchObject({ subdistrict_code: null, park_code: null, town_or_park: null });
    const { rows: [recorded] } = await sql<{ id: number; subdistrict_code: string | null; town_or_park: string | null }>`
      INSERT INTO parcels (code, district_code, town_or_park, geom, geom_3857, area_m2)
      VALUES (${`${TEST_PREFIX}recorded`}, '350212', '某某工业区（调查表所填）', ${square(118.301, 24.45)}, 'SRID=3857;MULTIPOLYGON EMPTY', 0)
      RETURNING id, subdistrict_code, town_or_park`.execute(db);
    expect(recorded.subdistrict_code).toBeNull();

    // Figures count them under 未划入街道 and still tie out.
    const stats = await getBody<DistrictStats>(official, '/api/districts/350212/stats');
    const bucket = stats.children.find((child) => child.kind === 'unassigned');
    expect(bucket).toMatchObject({ code: null, name: '未划入街道', bbox: null });
    expect(bucket!.parcelCount).toBeGreaterThanOrEqual(2);
    expectTiesOut(stats, stats.children, '同安区 with 未划入街道');

    // Moved onto land: the 街道 is derived, the empty text takes its name, the recorded text stays.
    await sql`UPDATE parcels SET geom = ST_GeomFromEWKT(${square(street.x - 0.0004, street.y)}) WHERE id = ${seaParcel.id}`.execute(db);
    await sql`UPDATE parcels SET geom = ST_GeomFromEWKT(${square(street.x + 0.0001, street.y)}) WHERE id = ${recorded.id}`.execute(db);
    const { rows: after } = await sql<{ id: number; subdistrict_code: string | null; town_or_park: string | null }>`
      SELECT id, subdistrict_code, town_or_park FROM parcels WHERE id IN (${seaParcel.id}, ${recorded.id}) ORDER BY id`.execute(db);
    expect(after).toEqual([
      { id: seaParcel.id, subdistrict_code: street.code, town_or_park: street.name },
      { id: recorded.id, subdistrict_code: street.code, town_or_park: '某某工业区（调查表所填）' },
    ]);

    // A new 园区 around them takes them in (园区内), a rename follows, its removal gives them back to the 街道.
    const parkCode = '350212990';
    await sql`INSERT INTO subdistricts (code, name, kind, district_code, geom, source)
              VALUES (${parkCode}, '测试园区', 'park', '350212', ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(${street.x}, ${street.y}), 4490), 0.001, 2)), ${`test ${TEST_PREFIX}`})`.execute(db);
    const placeOf = async () => (await sql<{ park_code: string | null; town_or_park: string | null }>`
      SELECT park_code, town_or_park FROM parcels WHERE id IN (${seaParcel.id}, ${recorded.id}) ORDER BY id`.execute(db)).rows;
    expect(await placeOf()).toEqual([
      { park_code: parkCode, town_or_park: '测试园区' },
      { park_code: parkCode, town_or_park: '某某工业区（调查表所填）' },
    ]);
    const park = await getBody<SubdistrictStats>(official, `/api/subdistricts/${parkCode}/stats`);
    assertMatchesContract(SubdistrictStats, park);
    expect(park).toMatchObject({ code: parkCode, level: 'park', districtCode: '350212', districtName: '同安区', parcelCount: 2 });
    await sql`UPDATE subdistricts SET name = '测试园区二期' WHERE code = ${parkCode}`.execute(db);
    expect((await placeOf())[0].town_or_park).toBe('测试园区二期');
    await sql`DELETE FROM subdistricts WHERE code = ${parkCode}`.execute(db);
    expect(await placeOf()).toEqual([
      { park_code: null, town_or_park: street.name },
      { park_code: null, town_or_park: '某某工业区（调查表所填）' },
    ]);
    // Every change of a 街道/园区 is on record.
    const { rows: history } = await sql<{ action: string }>`SELECT action FROM history WHERE entity = 'subdistricts' AND entity_id = ${parkCode} ORDER BY id`.execute(db);
    expect(history.map((row) => row.action)).toEqual(['insert', 'update', 'delete']);
  });
});

describe('figures 市 → 区 → 街道/园区', () => {
  it('ties out every level with its children and with the parcels summed directly', async () => {
    const city = await getBody<DistrictStats>(official, `/api/districts/${XIAMEN.code}/stats`);
    assertMatchesContract(DistrictStats, city);
    expect(city.level).toBe('city');
    expect(city.children.map((child) => child.code)).toEqual(XIAMEN_DISTRICTS.map((district) => district.code));
    expectTiesOut(city, city.children, '厦门市');

    for (const district of XIAMEN_DISTRICTS) {
      const { answer: stats, direct } = await betweenQuietReads(district.code, () => getBody<DistrictStats>(official, `/api/districts/${district.code}/stats`));
      assertMatchesContract(DistrictStats, stats);
      expect(stats.level).toBe('district');
      expectTiesOut(stats, stats.children, district.name);
      // Against the table: each child, and the whole district.
      const total = direct.reduce((sum, row) => sum + row.count, 0);
      expect(stats.parcelCount, district.name).toBe(total);
      expect(stats.areaM2).toBeCloseTo(direct.reduce((sum, row) => sum + row.area_m2, 0), 3);
      expect(stats.inefficientAreaM2).toBeCloseTo(direct.reduce((sum, row) => sum + row.inefficient_m2, 0), 3);
      for (const row of direct) {
        const child = stats.children.find((entry) => entry.code === row.place)
          ?? (row.place === null ? stats.children.find((entry) => entry.kind === 'unassigned') : undefined);
        expect(child, `${district.name} ${row.place}`).toBeDefined();
        expect(child!.parcelCount).toBe(row.count);
        expect(child!.areaM2).toBeCloseTo(row.area_m2, 3);
        expect(child!.inefficientAreaM2).toBeCloseTo(row.inefficient_m2, 3);
        expect(child!.inefficientShare).toBeCloseTo(row.inefficient_m2 / row.area_m2, 9);
      }
      for (const child of stats.children) {
        if (child.parcelCount === 0) expect(child.inefficientShare).toBeNull();
        else expect(child.inefficientShare! >= 0 && child.inefficientShare! <= 1).toBe(true);
      }
      // The 街道/镇 come before the 园区, and a leaf's own figures are its row in the district's.
      const kinds = stats.children.map((child) => child.kind);
      expect(kinds.indexOf('park')).toBeGreaterThan(kinds.lastIndexOf('street'));
      const leaf = stats.children.find((child) => child.kind !== 'unassigned' && child.parcelCount > 0)!;
      const { answer: own } = await betweenQuietReads(district.code, () => getBody<SubdistrictStats>(official, `/api/subdistricts/${leaf.code}/stats`));
      assertMatchesContract(SubdistrictStats, own);
      const { answer: again } = await betweenQuietReads(district.code, () => getBody<DistrictStats>(official, `/api/districts/${district.code}/stats`));
      const row = again.children.find((child) => child.code === leaf.code)!;
      expect({ ...own, children: undefined }).toMatchObject({ code: row.code, name: row.name, level: row.kind, parcelCount: row.parcelCount, inefficientCount: row.inefficientCount });
      expect(own.areaM2).toBeCloseTo(row.areaM2, 3);
      own.byStatus.forEach((status, index) => {
        expect(status).toMatchObject({ status: row.byStatus[index].status, count: row.byStatus[index].count });
        expect(status.areaM2).toBeCloseTo(row.byStatus[index].areaM2, 3);
      });
      expect(own.source).toMatch(/演示数据/);
    }
  });

  it('shows a reader only the districts of their scope and their children', async () => {
    const city = await getBody<DistrictStats>(huli, `/api/districts/${XIAMEN.code}/stats`);
    expect(city.children.map((child) => child.code)).toEqual(['350206']);
    expectTiesOut(city, city.children, '厦门市 for planner-huli');
    const huliDistrict = await getBody<DistrictStats>(huli, '/api/districts/350206/stats');
    expect(huliDistrict.children.every((child) => child.code === null || child.code.startsWith('350206'))).toBe(true);
    await getBody(huli, '/api/districts/350211/stats', 403);
    const refused = await getBody<{ error: string; message: string }>(huli, '/api/subdistricts/350211001/stats', 403);
    expect(refused.error).toBe('out_of_scope');
    expect(refused.message).toContain('集美区');
    await getBody(huli, '/api/subdistricts/350206001/stats');
    await getBody(huli, '/api/districts/350211/subdistricts', 403);
    const map = await getBody<SubdistrictFeatureCollection>(huli, `/api/districts/${XIAMEN.code}/subdistricts`);
    expect(map.features.length).toBeGreaterThan(0);
    expect(map.features.every((feature) => feature.properties.districtCode === '350206')).toBe(true);
    // Unknown and malformed codes.
    await getBody(official, '/api/subdistricts/350206999/stats', 404);
    await getBody(official, '/api/subdistricts/3502/stats', 400);
  });
});

describe('GET /api/districts/{code}/subdistricts (choropleth)', () => {
  it('is valid GeoJSON of the 街道/镇/园区 with 低效 shares in [0, 1] that match the figures', async () => {
    const collection = await getBody<SubdistrictFeatureCollection>(official, `/api/districts/${XIAMEN.code}/subdistricts`);
    assertMatchesContract(SubdistrictFeatureCollection, collection);
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features.length).toBeGreaterThanOrEqual(42 + 6);
    for (const feature of collection.features) {
      expect(feature.geometry.type).toBe('MultiPolygon');
      expect(feature.geometry.coordinates.length).toBeGreaterThan(0);
      for (const polygon of feature.geometry.coordinates) {
        for (const ring of polygon) {
          expect(ring.length).toBeGreaterThanOrEqual(4);
          expect(ring[0]).toEqual(ring[ring.length - 1]);
          for (const [lon, lat] of ring) {
            expect(lon).toBeGreaterThan(117.8);
            expect(lon).toBeLessThan(118.5);
            expect(lat).toBeGreaterThan(24.3);
            expect(lat).toBeLessThan(25);
          }
        }
      }
      const { inefficientShare, parcelCount, areaM2, inefficientAreaM2 } = feature.properties;
      if (parcelCount === 0) expect(inefficientShare).toBeNull();
      else {
        expect(inefficientShare).not.toBeNull();
        expect(inefficientShare!).toBeGreaterThanOrEqual(0);
        expect(inefficientShare!).toBeLessThanOrEqual(1);
        expect(inefficientShare!).toBeCloseTo(inefficientAreaM2 / areaM2, 9);
      }
    }
    // 街道/镇 first, 园区 after (drawn on top); codes unique.
    const kinds = collection.features.map((feature) => feature.properties.kind);
    expect(kinds.indexOf('park')).toBeGreaterThan(kinds.lastIndexOf('street'));
    expect(new Set(collection.features.map((feature) => feature.id)).size).toBe(collection.features.length);
    // One district's map holds that district's places, with the same figures as its stats.
    const { answer: [one, stats] } = await betweenQuietReads('350211', () => Promise.all([
      getBody<SubdistrictFeatureCollection>(official, '/api/districts/350211/subdistricts'),
      getBody<DistrictStats>(official, '/api/districts/350211/stats'),
    ]));
    expect(one.features.map((feature) => feature.id)).toEqual(stats.children.filter((child) => child.code !== null).map((child) => child.code));
    for (const feature of one.features) {
      const child = stats.children.find((entry) => entry.code === feature.id)!;
      expect(feature.properties.parcelCount).toBe(child.parcelCount);
      expect(feature.properties.inefficientShare ?? -1).toBeCloseTo(child.inefficientShare ?? -1, 9);
    }
  });
});
