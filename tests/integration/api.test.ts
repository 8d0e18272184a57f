import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../../server/db/database.js';
import { sql } from 'kysely';
import { geometryAreaM2, type MultiPolygonGeometry } from '../../domain/ellipsoidal-area.js';
import { EFFICIENCY_STATUS_CODES, INEFFICIENCY_TYPE_CODES } from '../../domain/efficiency.js';
import { PARCEL_FIELDS } from '../../domain/parcel-fields.js';
import { XIAMEN_DISTRICTS } from '../../domain/districts.js';
import { createTestApp, login, type Session, type TestApp, patchParcel } from '../helpers/test-app.js';

let testApp: TestApp;
let session: Session;
beforeAll(async () => {
  testApp = await createTestApp();
  session = await login(testApp.app, 'official');
});
afterAll(async () => {
  await testApp.close();
});

async function getJson(url: string) {
  const response = await session.get(url);
  return { status: response.statusCode, body: response.json() };
}

describe('GET /api/health', () => {
  it('tells anyone that it is up, and only administrators the database and PostGIS versions', async () => {
    const anonymous = await testApp.app.inject('/api/health');
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ status: 'ok' });
    expect(anonymous.headers['cache-control']).toBe('no-store');
    expect(await getJson('/api/health')).toEqual({ status: 200, body: { status: 'ok' } });
    const admin = await login(testApp.app, 'admin');
    const { status, body } = await admin.get('/api/health').then((response) => ({ status: response.statusCode, body: response.json() }));
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.database).toMatch(/PostgreSQL 1\d/);
    expect(body.postgis).toMatch(/POSTGIS="3\./);
    expect(body.postgis).toMatch(/GEOS="/);
  });
});

describe('GET /api/districts', () => {
  it('lists Xiamen and its six districts with extents and ellipsoidal areas', async () => {
    const { status, body } = await getJson('/api/districts');
    expect(status).toBe(200);
    const items = body.items as { code: string; name: string; level: string; parentCode: string | null; bbox: number[]; areaM2: number }[];
    expect(items[0]).toMatchObject({ code: '350200', name: '厦门市', level: 'city', parentCode: null });
    const districts = items.filter((item) => item.level === 'district');
    expect(districts.map((district) => [district.code, district.name])).toEqual(XIAMEN_DISTRICTS.map((district) => [district.code, district.name]));
    for (const district of districts) {
      expect(district.parentCode).toBe('350200');
      const [minLon, minLat, maxLon, maxLat] = district.bbox;
      expect(minLon).toBeGreaterThan(117.8);
      expect(maxLon).toBeLessThan(118.5);
      expect(minLat).toBeGreaterThan(24.3);
      expect(maxLat).toBeLessThan(25);
    }
    // The city is the union of its districts: same area, to rounding.
    const sum = districts.reduce((total, district) => total + district.areaM2, 0);
    expect(Math.abs(items[0].areaM2 - sum) / sum).toBeLessThan(1e-6);
    expect(items[0].areaM2 / 1e6).toBeGreaterThan(1500);
    expect(items[0].areaM2 / 1e6).toBeLessThan(1850);
  });
});

describe('GET /api/districts/{code}/stats', () => {
  it('adds up to the parcels of the district, by status and by 低效类型', async () => {
    const { status, body } = await getJson('/api/districts/350206/stats');
    expect(status).toBe(200);
    expect(body).toMatchObject({ code: '350206', name: '湖里区' });
    const { rows: [expected] } = await sql<{ count: number; area: number }>`
      SELECT count(*)::int AS count, sum(area_m2) AS area FROM parcels WHERE district_code = '350206'`.execute(testApp.database.db);
    expect(body.parcelCount).toBe(expected.count);
    expect(body.parcelCount).toBeGreaterThan(100);
    expect(body.areaM2).toBeCloseTo(expected.area, 3);
    expect(body.byStatus.map((entry: { status: string }) => entry.status)).toEqual(EFFICIENCY_STATUS_CODES);
    expect(body.byType.map((entry: { type: string }) => entry.type)).toEqual(INEFFICIENCY_TYPE_CODES);
    const statusCount = body.byStatus.reduce((sum: number, entry: { count: number }) => sum + entry.count, 0);
    const statusArea = body.byStatus.reduce((sum: number, entry: { areaM2: number }) => sum + entry.areaM2, 0);
    expect(statusCount).toBe(body.parcelCount);
    expect(statusArea).toBeCloseTo(body.areaM2, 3);
    const { rows: [typed] } = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM parcels WHERE district_code = '350206' AND inefficiency_type IS NOT NULL`.execute(testApp.database.db);
    expect(body.byType.reduce((sum: number, entry: { count: number }) => sum + entry.count, 0)).toBe(typed.count);
    expect(body.byStatus.find((entry: { status: string }) => entry.status === 'identified').label).toBe('已认定低效');
  });

  it('gives the city the sum of its districts', async () => {
    const city = (await getJson('/api/districts/350200/stats')).body;
    let count = 0;
    let area = 0;
    for (const district of XIAMEN_DISTRICTS) {
      const figures = (await getJson(`/api/districts/${district.code}/stats`)).body;
      count += figures.parcelCount;
      area += figures.areaM2;
    }
    expect(city.parcelCount).toBe(count);
    expect(city.parcelCount).toBeGreaterThanOrEqual(20000);
    expect(city.areaM2).toBeCloseTo(area, 2);
  });

  it('answers 404 for an unknown district and 400 naming the parameter for a malformed code', async () => {
    const missing = await getJson('/api/districts/999999/stats');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain('999999');
    const malformed = await getJson('/api/districts/xm/stats');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: 'invalid_parameter', parameter: 'code' });
  });
});

describe('GET /api/parcels', () => {
  it('filters by district and status and pages through the results', async () => {
    const first = await getJson('/api/parcels?district=350205&status=identified&page=1&pageSize=20');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(20);
    for (const item of first.body.items) {
      expect(item.districtCode).toBe('350205');
      expect(item.status).toBe('identified');
    }
    const { rows: [expected] } = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM parcels WHERE district_code = '350205' AND status = 'identified'`.execute(testApp.database.db);
    expect(first.body.total).toBe(expected.count);
    const second = await getJson('/api/parcels?district=350205&status=identified&page=2&pageSize=20');
    const firstIds = new Set(first.body.items.map((item: { id: number }) => item.id));
    expect(second.body.items.some((item: { id: number }) => firstIds.has(item.id))).toBe(false);
  });

  it('includes every district of a city and filters by 低效类型', async () => {
    // Other test files write parcels into the same database meanwhile: compare on a quiet moment (the count did not move around the call).
    const count = async () => (await sql<{ count: number }>`SELECT count(*)::int AS count FROM parcels`.execute(testApp.database.db)).rows[0].count;
    let compared: [number, number] | undefined;
    for (let attempt = 0; attempt < 20 && !compared; attempt++) {
      const before = await count();
      const city = await getJson('/api/parcels?district=350200&pageSize=1');
      if (before === await count()) compared = [city.body.total, before];
    }
    expect(compared).toBeDefined();
    expect(compared![0]).toBe(compared![1]);
    const idle = await getJson('/api/parcels?type=idle&pageSize=50');
    expect(idle.body.total).toBeGreaterThan(0);
    for (const item of idle.body.items) expect(item.inefficiencyType).toBe('idle');
  });

  it.each([
    ['page=0', 'page'],
    ['page=abc', 'page'],
    ['pageSize=100000', 'pageSize'],
    ['status=bad', 'status'],
    ['type=%3Cscript%3E', 'type'],
    ['district=35020', 'district'],
    ['unknown=1', 'unknown'],
  ])('answers 400 naming the parameter for %s', async (query, parameter) => {
    const { status, body } = await getJson(`/api/parcels?${query}`);
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_parameter');
    expect(body.parameter).toBe(parameter);
    expect(body.message).toContain(parameter);
  });
});

describe('GET /api/parcels/{id}', () => {
  it('returns every attribute of the parcel card with its geometry and ellipsoidal area', async () => {
    const { rows: [row] } = await sql<{ id: number }>`SELECT id FROM parcels WHERE status = 'identified' ORDER BY id LIMIT 1`.execute(testApp.database.db);
    const { status, body } = await getJson(`/api/parcels/${row.id}`);
    expect(status).toBe(200);
    for (const field of PARCEL_FIELDS) expect(body).toHaveProperty(field.key);
    expect(body.id).toBe(row.id);
    expect(body.districtName).toMatch(/区$/);
    expect(body.status).toBe('identified');
    expect(INEFFICIENCY_TYPE_CODES).toContain(body.inefficiencyType);
    expect(body.identifiedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(body.floorAreaRatio).toBeGreaterThanOrEqual(0.2);
    expect(body.floorAreaRatio).toBeLessThanOrEqual(3.5);
    expect(body.geometry.type).toBe('MultiPolygon');
    // The server's area (PostGIS geography, CGCS2000) equals the shared domain code's to 1e-9.
    const domainArea = geometryAreaM2(body.geometry as MultiPolygonGeometry);
    expect(Math.abs(body.areaM2 - domainArea) / domainArea).toBeLessThan(1e-9);
    // Registered area is close to the computed one, as in real 调查摸底 data.
    expect(Math.abs(body.registeredAreaM2 - body.areaM2) / body.areaM2).toBeLessThan(0.01);
  });

  it('answers 404 naming the id, and 400 for a non-numeric id', async () => {
    const missing = await getJson('/api/parcels/99999999');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain('99999999');
    const invalid = await getJson('/api/parcels/abc');
    expect(invalid.status).toBe(400);
    expect(invalid.body.parameter).toBe('id');
  });
});

describe('PATCH /api/parcels/{id}', () => {
  it('stores a cleared field as null, not as 0, "" or false', async () => {
    const admin = await login(testApp.app, 'admin');
    const { rows: [parcel] } = await sql<{ id: number }>`SELECT id FROM parcels WHERE floor_area_m2 IS NOT NULL AND owner IS NOT NULL ORDER BY id LIMIT 1`.execute(testApp.database.db);
    const response = await patchParcel(admin, parcel.id, { floorAreaM2: null, owner: null, meetsSafety: null });
    expect(response.statusCode).toBe(200);
    const { rows: [stored] } = await sql<{ floor_area_m2: number | null; owner: string | null; meets_safety: boolean | null }>`
      SELECT floor_area_m2, owner, meets_safety FROM parcels WHERE id = ${parcel.id}`.execute(testApp.database.db);
    expect(stored).toEqual({ floor_area_m2: null, owner: null, meets_safety: null });
  });
});

/**
 * A parcel as the demo city generated it (bulk-loaded, so without an insert in the history): other
 * test files insert parcels of their own, some on purpose where no real one lies (the sea, an overlap).
 */
function generated(parcel: ReturnType<typeof sql>) {
  return sql`NOT EXISTS (SELECT FROM history h WHERE h.entity = 'parcels' AND h.entity_id = ${parcel}.id::text AND h.action = 'insert')`;
}

describe('demo city', () => {
  it('has at least 20 000 parcels with realistic attribute ranges', async () => {
    const { rows: [figures] } = await sql<{
      count: number; min_far: number; max_far: number; min_tax: number; max_tax: number; codes: string[]; statuses: number; overlapping: number;
    }>`
      SELECT count(*)::int AS count,
             -- Ranges of the parcels as generated: other test files edit some (e.g. the route fuzzer sets 0s).
             min(floor_area_ratio) FILTER (WHERE NOT edited) AS min_far, max(floor_area_ratio) FILTER (WHERE NOT edited) AS max_far,
             min(tax_per_mu) FILTER (WHERE NOT edited) AS min_tax, max(tax_per_mu) FILTER (WHERE NOT edited) AS max_tax,
             array_agg(DISTINCT land_use_code ORDER BY land_use_code) AS codes,
             -- The demo city draws five statuses; imports of other test files add 未认定 parcels.
             count(DISTINCT status) FILTER (WHERE NOT edited)::int AS statuses,
             -- Among the parcels as generated: other test files make overlapping ones on purpose (a 并宗 refusal).
             (SELECT count(*)::int FROM parcels a JOIN parcels b ON a.id < b.id AND a.geom && b.geom
               AND ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1
               WHERE a.district_code = '350206' AND ${generated(sql`a`)} AND ${generated(sql`b`)}) AS overlapping
      FROM (SELECT p.*, EXISTS (SELECT FROM history h WHERE h.entity = 'parcels' AND h.entity_id = p.id::text) AS edited FROM parcels p) parcels`.execute(testApp.database.db);
    expect(figures.count).toBeGreaterThanOrEqual(20000);
    expect(figures.min_far).toBeGreaterThanOrEqual(0.2);
    expect(figures.max_far).toBeLessThanOrEqual(3.5);
    expect(figures.min_tax).toBeGreaterThanOrEqual(0);
    expect(figures.max_tax).toBeLessThanOrEqual(150);
    expect(figures.codes).toEqual(expect.arrayContaining(['0601', '0508']));
    expect(figures.statuses).toBe(5);
    expect(figures.overlapping).toBe(0);
  });

  it('places every parcel inside its district', async () => {
    const { rows: [outside] } = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM parcels p JOIN districts d ON d.code = p.district_code
      WHERE NOT ST_Covers(d.geom, ST_PointOnSurface(p.geom)) AND ${generated(sql`p`)}`.execute(testApp.database.db);
    expect(outside.count).toBe(0);
  });
});

describe('schema', () => {
  it('stores MultiPolygons in EPSG:4490 with a 3857 copy and records applied migrations', async () => {
    const { rows } = await sql<{ column: string; srid: number; type: string }>`
      SELECT f_geometry_column AS column, srid, type FROM geometry_columns WHERE f_table_name = 'parcels' ORDER BY 1`.execute(testApp.database.db);
    expect(rows).toEqual([{ column: 'geom', srid: 4490, type: 'MULTIPOLYGON' }, { column: 'geom_3857', srid: 3857, type: 'MULTIPOLYGON' }]);
    const { rows: migrations } = await sql<{ name: string }>`SELECT name FROM schema_migrations`.execute(testApp.database.db);
    expect(migrations.map((migration) => migration.name)).toContain('0001_foundation.sql');
    const { rows: comments } = await sql<{ comment: string }>`
      SELECT col_description('parcels'::regclass, attnum) AS comment FROM pg_attribute
      WHERE attrelid = 'parcels'::regclass AND attname = 'tax_per_mu'`.execute(testApp.database.db);
    expect(comments[0].comment).toContain('万元/亩');
  });

  it('records every change with who, when, before and after, and refuses to rewrite history', async () => {
    const db = testApp.database.db;
    const { rows: [parcel] } = await sql<{ id: number; owner: string }>`SELECT id, owner FROM parcels ORDER BY id DESC LIMIT 1`.execute(db);
    await db.transaction().execute(async (transaction) => {
      await sql`SELECT set_config('app.actor', 'surveyor-test', true)`.execute(transaction);
      await sql`UPDATE parcels SET owner = 'history test owner', geom = ST_Multi(ST_SetSRID(ST_Buffer(ST_Centroid(geom)::geography, 30)::geometry, 4490)) WHERE id = ${parcel.id}`.execute(transaction);
    });
    const { rows: [entry] } = await sql<{ actor: string; action: string; before: Record<string, unknown>; after: Record<string, unknown>; at: Date }>`
      SELECT actor, action, before, after, at FROM history WHERE entity = 'parcels' AND entity_id = ${String(parcel.id)} ORDER BY id DESC LIMIT 1`.execute(db);
    expect(entry).toMatchObject({ actor: 'surveyor-test', action: 'update' });
    expect(entry.before.owner).toBe(parcel.owner);
    expect(entry.after.owner).toBe('history test owner');
    expect(entry.after).not.toHaveProperty('geom_3857');
    expect(Date.now() - entry.at.getTime()).toBeLessThan(60_000);
    // Derived columns follow the new geometry: a 30 m buffer is ≈ π·30² m².
    const { body } = await getJson(`/api/parcels/${parcel.id}`);
    expect(body.areaM2).toBeGreaterThan(2700);
    expect(body.areaM2).toBeLessThan(2900);
    // The application's role may not rewrite history, and neither may anyone else (trigger).
    await expect(sql`DELETE FROM history WHERE entity_id = ${String(parcel.id)}`.execute(db)).rejects.toThrow(/permission denied for table history/);
    await expect(sql`UPDATE history SET actor = 'x'`.execute(db)).rejects.toThrow(/permission denied for table history/);
    const owner = connectDatabase(inject('adminDatabaseUrl'), 1);
    try {
      await expect(sql`DELETE FROM history WHERE entity_id = ${String(parcel.id)}`.execute(owner.db)).rejects.toThrow(/append-only/);
    } finally {
      await owner.close();
    }
  });
});

describe('OpenAPI', () => {
  it('documents the API at /api/docs', async () => {
    const { status, body } = await getJson('/api/docs/json');
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining([
      '/api/health', '/api/districts', '/api/districts/{code}/stats', '/api/parcels', '/api/parcels/{id}',
    ]));
  });
});
