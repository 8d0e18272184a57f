import { sql } from 'kysely';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARCEL_FIELDS } from '../../domain/parcel-fields.js';
import { visibleOutOfScope } from '../../domain/scope-visibility.js';
import { ACTION_LABELS, ROLE_CODES, ROLE_REQUIREMENTS, roleCan, type Role } from '../../domain/permissions.js';
import { OUT_OF_SCOPE_PARCEL_KEYS } from '../../domain/scope-visibility.js';
import { PARCEL_TILE_ATTRIBUTES } from '../../server/tiles/tiles.sql.js';
import { makeDocumentFiles } from '../helpers/document-files.js';
import { exportTestWriters } from '../helpers/export-writers.js';
import { multipartBody } from '../helpers/multipart.js';
import { createTestApp, login, type Session, type TestApp, patchParcel } from '../helpers/test-app.js';

/**
 * Every write route × role × in/out of scope. Each role has a whole-city user and a user scoped to
 * 湖里区 (350206); each write is tried on a 湖里区 parcel (in scope for both) and a 思明区 parcel
 * (out of scope for the 湖里区 user).
 */
let testApp: TestApp;
let admin: Session;
const sessions = new Map<string, Session>();
let huliParcel: number;
let simingParcel: number;

/** Each case writes a value of its own, so every allowed write is a real change with its own history row. */
const FIELD_GROUPS = {
  survey: { payload: (index: number) => ({ owner: `权限矩阵测试公司 ${index}` }), allowed: ['admin', 'surveyor'] },
  geometry: { payload: null, allowed: ['admin', 'surveyor'] },
  planning: { payload: (index: number) => ({ plannedFunction: `工业用地 ${index}` }), allowed: ['admin', 'planner'] },
  identification: { payload: (index: number) => ({ identifiedAt: `2025-01-${String(1 + (index % 28)).padStart(2, '0')}`, evaluationGrade: 'B' }), allowed: ['admin', 'official'] },
} as const;

/** 园区 and 街道 of 湖里区 and 思明区 holding parcels: the scopes of the 园区办 and 镇街 users. */
const units = { park: { huli: '', siming: '' }, street: { huli: '', siming: '' } };

/**
 * What an account of `role` is given: a city or 湖里区; a 园区办 or 镇街 its 园区 or 街道 in 湖里区
 * ('huli'), or in 湖里区 and 思明区 ('city': it then reads both, as a city user of the two parcels);
 * a 会审部门 its department; a 用地单位 the 湖里区 parcel.
 */
function accountOf(role: Role, scope: 'city' | 'huli') {
  const requirement = ROLE_REQUIREMENTS[role];
  const unitKind = requirement?.units;
  const scopes = unitKind ? (scope === 'city' ? [units[unitKind].huli, units[unitKind].siming] : [units[unitKind].huli]) : [scope === 'city' ? '350200' : '350206'];
  return { scopes, ...(requirement?.department ? { department: 'fagai' } : {}), ...(requirement?.parcels ? { parcelIds: [huliParcel] } : {}) };
}

async function sessionFor(role: Role, scope: 'city' | 'huli'): Promise<Session> {
  const key = `${role}-${scope}`;
  const cached = sessions.get(key);
  if (cached) return cached;
  const username = `matrix-${role}-${scope}-${process.pid}`;
  const initial = 'Matrix-initial-2026';
  const created = await admin.request({
    method: 'POST', url: '/api/admin/users',
    payload: { username, displayName: key, role, ...accountOf(role, scope), password: initial },
  });
  expect(created.statusCode, created.body).toBe(201);
  const first = await login(testApp.app, username, initial);
  await first.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: initial, newPassword: 'Matrix-final-2026' } });
  const session = await login(testApp.app, username, 'Matrix-final-2026');
  sessions.set(key, session);
  return session;
}

/** A small square inside the parcel, as a geometry edit. */
async function geometryInside(id: number, radius: number) {
  const { rows: [row] } = await sql<{ geometry: object }>`
    SELECT ST_AsGeoJSON(ST_Multi(ST_SetSRID(ST_Buffer(ST_PointOnSurface(geom)::geography, ${radius}, 'quad_segs=1')::geometry, 4490)))::json AS geometry
    FROM parcels WHERE id = ${id}`.execute(testApp.database.db);
  return row.geometry;
}

beforeAll(async () => {
  // Exports with test writers: what is checked here is who may ask for what (the real writers' rows: their own tests).
  // Every role logs in several times a minute from one address (the limit itself: login-lockout.test.ts).
  testApp = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '600' }, false, undefined, { exportWriters: exportTestWriters().writers });
  admin = await login(testApp.app, 'admin');
  const pick = async (district: string) => (await sql<{ id: number }>`
    SELECT id FROM parcels WHERE district_code = ${district} ORDER BY id LIMIT 1`.execute(testApp.database.db)).rows[0].id;
  huliParcel = await pick('350206');
  simingParcel = await pick('350203');
  const unitOf = async (district: string, parks: boolean) => (await sql<{ code: string }>`
    SELECT s.code FROM subdistricts s WHERE s.district_code = ${district} AND (s.kind = 'park') = ${parks}
      AND EXISTS (SELECT 1 FROM parcels p WHERE ${parks ? sql`p.park_code` : sql`p.subdistrict_code`} = s.code)
    ORDER BY s.code LIMIT 1`.execute(testApp.database.db)).rows[0].code;
  units.park = { huli: await unitOf('350206', true), siming: await unitOf('350203', true) };
  units.street = { huli: await unitOf('350206', false), siming: await unitOf('350203', false) };
}, 120_000);
afterAll(async () => {
  await testApp.close();
});

describe('PATCH /api/parcels/{id}: role × scope × field group', () => {
  const cases: [Role, 'city' | 'huli', 'huli' | 'siming', keyof typeof FIELD_GROUPS][] = [];
  for (const role of ROLE_CODES) {
    for (const scope of ['city', 'huli'] as const) {
      for (const district of ['huli', 'siming'] as const) {
        for (const group of Object.keys(FIELD_GROUPS) as (keyof typeof FIELD_GROUPS)[]) cases.push([role, scope, district, group]);
      }
    }
  }

  it.each(cases)('%s scoped to %s editing a %s parcel (%s fields)', async (role, scope, district, group) => {
    const session = await sessionFor(role, scope);
    const id = district === 'huli' ? huliParcel : simingParcel;
    const index = cases.findIndex((candidate) => candidate.join() === [role, scope, district, group].join());
    const makePayload = FIELD_GROUPS[group].payload;
    const payload = makePayload ? makePayload(index) : { geometry: await geometryInside(id, 3 + (index % 7)) };
    const response = await patchParcel(session, id, payload);
    const inScope = scope === 'city' || district === 'huli';
    const roleMay = (FIELD_GROUPS[group].allowed as readonly string[]).includes(role);
    if (!roleCan(role, 'data:read')) {
      // A 用地单位 reads and writes nothing through the data routes, not even its own parcel.
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: 'forbidden', action: 'data:read' });
    } else if (!inScope) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: 'out_of_scope', district: { code: '350203', name: '思明区' } });
      expect(response.json().message).toContain('思明区');
      expect(response.json().message).toContain('湖里区');
    } else if (!roleMay) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: 'forbidden_fields' });
    } else {
      expect(response.statusCode).toBe(200);
      const { rows: [entry] } = await sql<{ actor: string; request_id: string }>`
        SELECT actor, request_id FROM history WHERE entity = 'parcels' AND entity_id = ${String(id)} ORDER BY id DESC LIMIT 1`.execute(testApp.database.db);
      expect(entry.actor).toBe(session.username);
      expect(entry.request_id).toBe(response.headers['x-request-id']);
    }
  });
});

describe('admin write routes × role', () => {
  it.each(ROLE_CODES)('%s may manage users only if admin', async (role) => {
    const session = await sessionFor(role, 'city');
    const created = await session.request({
      method: 'POST', url: '/api/admin/users',
      payload: { username: `made-by-${role}-${process.pid}`, displayName: 'x', role: 'viewer', scopes: ['350206'], password: 'Made-by-role-2026' },
    });
    const { rows: [target] } = await sql<{ id: number }>`SELECT id FROM users WHERE username = 'viewer'`.execute(testApp.database.db);
    const patched = await session.request({ method: 'PATCH', url: `/api/admin/users/${target.id}`, payload: { displayName: `renamed by ${role}` } });
    const audit = await session.get('/api/admin/audit?entity=users');
    if (role === 'admin') {
      expect([created.statusCode, patched.statusCode, audit.statusCode]).toEqual([201, 200, 200]);
    } else {
      for (const response of [created, patched, audit]) {
        expect(response.statusCode).toBe(403);
        expect(response.json()).toMatchObject({ error: 'forbidden' });
      }
      expect(created.json().message).toContain('管理用户');
    }
  });

  it.each(ROLE_CODES)('%s may draw 成片改造区域 only as planner or admin, in scope; approve only as official or admin', async (role) => {
    const huli = await sessionFor(role, 'huli');
    const { rows: [box] } = await sql<{ xmin: number; ymin: number; xmax: number; ymax: number }>`
      SELECT ST_XMin(geom) AS xmin, ST_YMin(geom) AS ymin, ST_XMax(geom) AS xmax, ST_YMax(geom) AS ymax FROM parcels WHERE id = ${huliParcel}`.execute(testApp.database.db);
    const boundary = { type: 'Polygon', coordinates: [[[box.xmin, box.ymin], [box.xmax, box.ymin], [box.xmax, box.ymax], [box.xmin, box.ymax], [box.xmin, box.ymin]]] };
    const created = await huli.request({ method: 'POST', url: '/api/areas', payload: { name: `matrix ${role}`, mode: 'owner_self', ruleSet: 'xiamen-new-industrial', boundary } });
    if (role === 'admin' || role === 'planner') {
      expect(created.statusCode).toBe(201);
      const id = created.json().id as number;
      expect((await huli.request({ method: 'POST', url: `/api/areas/${id}/status`, payload: { status: 'submitted' } })).statusCode).toBe(200);
      const decision = await huli.request({ method: 'POST', url: `/api/areas/${id}/status`, payload: { status: 'approved' } });
      expect(decision.statusCode).toBe(role === 'admin' ? 200 : 403);
    } else {
      expect(created.statusCode).toBe(403);
      expect(created.json().message).toContain('绘制和修改成片改造区域');
    }
  });

  it.each(ROLE_CODES)('%s may 撤销批准 only as official or admin, and 开始修订 only as planner or admin', async (role) => {
    const cityAdmin = await sessionFor('admin', 'city');
    const huli = await sessionFor(role, 'huli');
    const { rows: [box] } = await sql<{ xmin: number; ymin: number; xmax: number; ymax: number }>`
      SELECT ST_XMin(geom) AS xmin, ST_YMin(geom) AS ymin, ST_XMax(geom) AS xmax, ST_YMax(geom) AS ymax FROM parcels WHERE id = ${huliParcel}`.execute(testApp.database.db);
    const boundary = { type: 'Polygon', coordinates: [[[box.xmin, box.ymin], [box.xmax, box.ymin], [box.xmax, box.ymax], [box.xmin, box.ymax], [box.xmin, box.ymin]]] };
    const approved = async (name: string) => {
      const created = await cityAdmin.request({ method: 'POST', url: '/api/areas', payload: { name, mode: 'owner_self', ruleSet: 'xiamen-new-industrial', boundary } });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as number;
      for (const status of ['submitted', 'approved']) {
        expect((await cityAdmin.request({ method: 'POST', url: `/api/areas/${id}/status`, payload: { status, note: '矩阵' } })).statusCode).toBe(200);
      }
      return id;
    };
    const revoked = await huli.request({ method: 'POST', url: `/api/areas/${await approved(`revoke ${role}`)}/revoke`, payload: { reason: '矩阵测试' } });
    expect(revoked.statusCode, revoked.body).toBe(roleCan(role, 'areas:review') ? 200 : 403);
    const revised = await huli.request({ method: 'POST', url: `/api/areas/${await approved(`revise ${role}`)}/revise`, payload: { baseVersion: 1 } });
    expect(revised.statusCode, revised.body).toBe(roleCan(role, 'areas:write') ? 200 : 403);
  });

  it.each(ROLE_CODES)('%s may revise rule sets only if admin, and run checks if it reads data', async (role) => {
    const session = await sessionFor(role, 'huli');
    if (!roleCan(role, 'data:read')) {
      for (const response of [await session.get('/api/rule-sets'), await session.request({ method: 'POST', url: '/api/checks', payload: {} })]) {
        expect(response.statusCode).toBe(403);
        expect(response.json()).toMatchObject({ error: 'forbidden', action: 'data:read' });
      }
      return;
    }
    const current = (await session.get('/api/rule-sets')).json().items.find((item: { id: string }) => item.id === 'national-industrial');
    const revised = await session.request({ method: 'PUT', url: '/api/rule-sets/national-industrial', payload: { city: current.city, name: current.name, rules: current.rules, note: `by ${role}` } });
    if (role === 'admin') {
      expect(revised.statusCode).toBe(200);
    } else {
      expect(revised.statusCode).toBe(403);
      expect(revised.json().message).toContain('修订政策规则集');
    }
    const boundary = { type: 'Polygon', coordinates: [[[117.6, 24.2], [117.601, 24.2], [117.601, 24.201], [117.6, 24.201], [117.6, 24.2]]] };
    const checked = await session.request({ method: 'POST', url: '/api/checks', payload: { ruleSet: 'national-industrial', boundary } });
    expect(checked.statusCode).toBe(200);
    const withoutCsrf = await testApp.app.inject({ method: 'POST', url: '/api/checks', payload: { ruleSet: 'national-industrial', boundary }, headers: { cookie: session.cookie } });
    expect(withoutCsrf.statusCode).toBe(403);
  });

  it.each(ROLE_CODES)('%s may empty the tile caches only if admin', async (role) => {
    const session = await sessionFor(role, 'huli');
    const response = await session.request({ method: 'DELETE', url: '/api/admin/tile-cache' });
    if (role === 'admin') {
      expect(response.statusCode).toBe(200);
      expect(response.json()).toHaveProperty('stored');
    } else {
      expect(response.statusCode).toBe(403);
      expect(response.json().message).toContain('管理瓦片缓存');
    }
  });

  it.each(ROLE_CODES)('%s may change their own password and log out', async (role) => {
    const session = await sessionFor(role, 'huli');
    const wrong = await session.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'wrong-pass-1234', newPassword: 'Whatever-2026-x' } });
    expect(wrong.statusCode).toBe(401);
  });
});

describe('认定标准, 初筛 and 分级 routes × role × scope', () => {
  const criterion = { id: 'tax', name: '亩均税收过低', measure: 'tax_per_mu', comparison: 'lt', threshold: 1, landUses: [], industries: [], suggestedTypes: ['low_output'], source: { document: '矩阵', text: '矩阵' }, local: true };

  it.each(ROLE_CODES)('%s: criteria sets managed only with criteria:manage, in scope; runs and decisions only with criteria:run, in scope; reads with data:read', async (role) => {
    const huli = await sessionFor(role, 'huli');
    const reads = await Promise.all(['/api/criteria-sets?district=350206', '/api/criteria-runs?district=350206', '/api/grading-schemes?district=350206', '/api/grading-runs?district=350206'].map((url) => huli.get(url)));
    for (const read of reads) expect(read.statusCode).toBe(roleCan(role, 'data:read') ? 200 : 403);
    const created = await huli.request({ method: 'POST', url: '/api/criteria-sets', payload: { districtCode: '350206', name: `矩阵 ${role}`, criteria: [criterion] } });
    const outside = await huli.request({ method: 'POST', url: '/api/criteria-sets', payload: { districtCode: '350203', name: `矩阵 ${role}`, criteria: [criterion] } });
    if (roleCan(role, 'criteria:manage')) {
      expect(created.statusCode).toBe(201);
      expect(outside.statusCode).toBe(403);
      expect(outside.json()).toMatchObject({ error: 'out_of_scope' });
      const step = await huli.request({ method: 'POST', url: `/api/criteria-sets/${created.json().id}/state`, payload: { version: 1, state: 'retired' } });
      expect(step.statusCode).toBe(200);
    } else {
      expect([created.statusCode, outside.statusCode]).toEqual([403, 403]);
      expect(created.json().message).toContain(ACTION_LABELS['criteria:manage']);
    }
    const run = await huli.request({ method: 'POST', url: '/api/criteria-runs', payload: { districtCode: '350206' } });
    const runOutside = await huli.request({ method: 'POST', url: '/api/criteria-runs', payload: { districtCode: '350203' } });
    if (roleCan(role, 'criteria:run')) {
      expect(run.statusCode, run.body).toBe(201);
      expect(runOutside.json()).toMatchObject({ error: 'out_of_scope' });
      const { rows: [listed] } = await sql<{ parcel_id: number }>`SELECT parcel_id::int AS parcel_id FROM criteria_run_parcels WHERE run_id = ${run.json().id} LIMIT 1`.execute(testApp.database.db);
      const decided = await huli.request({ method: 'POST', url: `/api/criteria-runs/${run.json().id}/parcels/${listed.parcel_id}/decision`, payload: { decision: 'pending' } });
      expect(decided.statusCode).toBe(200);
    } else {
      expect([run.statusCode, runOutside.statusCode]).toEqual([403, 403]);
      const { rows: [listed] } = await sql<{ run_id: number; parcel_id: number }>`SELECT run_id::int AS run_id, parcel_id::int AS parcel_id FROM criteria_run_parcels LIMIT 1`.execute(testApp.database.db);
      if (listed) expect((await huli.request({ method: 'POST', url: `/api/criteria-runs/${listed.run_id}/parcels/${listed.parcel_id}/decision`, payload: { decision: 'pending' } })).statusCode).toBe(403);
    }
  });

  it.each(ROLE_CODES)('%s: grading schemes revised only with grading:manage, runs only with grading:run, both in scope', async (role) => {
    const huli = await sessionFor(role, 'huli');
    const [scheme] = (await (await sessionFor('admin', 'city')).get('/api/grading-schemes?district=350206')).json().items;
    const revision = { name: scheme.name, measures: scheme.measures, cutoffs: scheme.cutoffs, landUses: scheme.landUses, source: scheme.source, local: true, note: `by ${role}` };
    const revised = await huli.request({ method: 'PUT', url: '/api/grading-schemes/350206', payload: revision });
    const revisedOutside = await huli.request({ method: 'PUT', url: '/api/grading-schemes/350203', payload: revision });
    expect(revised.statusCode).toBe(roleCan(role, 'grading:manage') ? 200 : 403);
    expect(revisedOutside.statusCode).toBe(403);
    const runOutside = await huli.request({ method: 'POST', url: '/api/grading-runs', payload: { districtCode: '350203' } });
    expect(runOutside.statusCode).toBe(403);
    if (roleCan(role, 'grading:run')) {
      expect(runOutside.json()).toMatchObject({ error: 'out_of_scope' });
      const run = await huli.request({ method: 'POST', url: '/api/grading-runs', payload: { districtCode: '350206' } });
      expect(run.statusCode, run.body).toBe(201);
    } else {
      expect(runOutside.json()).toMatchObject({ error: 'forbidden' });
    }
  });
});

describe('两库一清单 routes × role × scope (issue 18)', () => {
  /** A small square around a point of the district that no parcel covers. */
  async function freeSquare(district: string, seed: number) {
    const { rows: [point] } = await sql<{ lon: number; lat: number }>`
      WITH c AS (SELECT (ST_Dump(ST_GeneratePoints(d.geom, 100, ${seed}))).geom AS p FROM districts d WHERE d.code = ${district})
      SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM c
      WHERE NOT EXISTS (SELECT 1 FROM parcels x WHERE x.geom && ST_Expand(c.p, 0.001) AND ST_DWithin(x.geom::geography, c.p::geography, 60))
        AND ST_Within(ST_Expand(c.p, 0.0005), (SELECT geom FROM districts WHERE code = ${district}))
      LIMIT 1`.execute(testApp.database.db);
    const d = 0.0002;
    return { type: 'Polygon', coordinates: [[[point.lon - d, point.lat - d], [point.lon + d, point.lat - d], [point.lon + d, point.lat + d], [point.lon - d, point.lat + d], [point.lon - d, point.lat - d]]] };
  }

  it.each(ROLE_CODES)('%s: 历史遗留用地 drawn with legacy:write in scope, decided with legacy:decide in scope; problems with problems:write in scope; lists revised with stock-lists:manage', async (role) => {
    const huli = await sessionFor(role, 'huli');
    const index = ROLE_CODES.indexOf(role);
    const drawn = await huli.request({ method: 'POST', url: '/api/legacy-lands', payload: { currentUse: '矩阵', period: 'after_3rd', geometry: await freeSquare('350206', 100 + index) } });
    const drawnOutside = await huli.request({ method: 'POST', url: '/api/legacy-lands', payload: { currentUse: '矩阵', period: 'after_3rd', geometry: await freeSquare('350203', 200 + index) } });
    if (roleCan(role, 'legacy:write')) {
      expect(drawn.statusCode, drawn.body).toBe(201);
      expect(drawnOutside.statusCode).toBe(403);
      expect(drawnOutside.json()).toMatchObject({ error: 'out_of_scope', district: { code: '350203' } });
    } else {
      expect([drawn.statusCode, drawnOutside.statusCode]).toEqual([403, 403]);
      expect(drawn.json()).toMatchObject({ error: 'forbidden' });
    }
    const { rows: [pending] } = await sql<{ id: number; version: number; district: string }>`
      SELECT id::int AS id, version, district_code AS district FROM legacy_lands WHERE status = 'pending' AND district_code IN ('350206', '350203') AND current_use <> '矩阵已认定'
      ORDER BY (district_code = '350206') DESC, id DESC LIMIT 1`.execute(testApp.database.db);
    const { rows: [simingPending] } = await sql<{ id: number; version: number }>`
      SELECT id::int AS id, version FROM legacy_lands WHERE status = 'pending' AND district_code = '350203' ORDER BY id DESC LIMIT 1`.execute(testApp.database.db);
    const decideOutside = await huli.request({ method: 'POST', url: `/api/legacy-lands/${simingPending.id}/status`, payload: { status: 'confirmed', reason: '矩阵', expectedVersion: simingPending.version } });
    expect(decideOutside.statusCode).toBe(403);
    const decided = await huli.request({ method: 'POST', url: `/api/legacy-lands/${pending.id}/status`, payload: { status: 'confirmed', reason: '矩阵', expectedVersion: pending.version } });
    expect(decided.statusCode, decided.body).toBe(roleCan(role, 'legacy:decide') ? 200 : 403);

    const problem = { category: 'other', title: `矩阵 ${role}`, description: '矩阵', department: 'fagai' };
    const registered = await huli.request({ method: 'POST', url: '/api/problems', payload: { ...problem, districtCode: '350206' } });
    const registeredOutside = await huli.request({ method: 'POST', url: '/api/problems', payload: { ...problem, districtCode: '350203' } });
    if (roleCan(role, 'problems:write')) {
      expect(registered.statusCode, registered.body).toBe(201);
      expect(registeredOutside.json()).toMatchObject({ error: 'out_of_scope' });
    } else {
      expect([registered.statusCode, registeredOutside.statusCode]).toEqual([403, 403]);
    }
    const list = await huli.get('/api/problems?pageSize=500');
    expect(list.statusCode).toBe(roleCan(role, 'data:read') ? 200 : 403);
    if (list.statusCode === 200) expect(list.json().items.every((item: { districtCode: string }) => item.districtCode === '350206')).toBe(true);
    const lists = await huli.get('/api/stock-lists/problem_category');
    const revised = lists.statusCode === 200
      ? await huli.request({ method: 'PUT', url: '/api/stock-lists/problem_category', payload: { items: lists.json().current.items, source: `矩阵 ${role}`, localRule: true } })
      : lists;
    expect(revised.statusCode).toBe(roleCan(role, 'stock-lists:manage') ? 200 : 403);
  });
});

describe('年度实施计划 × role × scope', () => {
  it.each(ROLE_CODES)('%s: plans drawn up with plans:write in scope, reviewed with plans:review in scope', async (role) => {
    const huli = await sessionFor(role, 'huli');
    const year = 2600 + ROLE_CODES.indexOf(role);
    const drawn = await huli.request({ method: 'POST', url: '/api/annual-plans', payload: { districtCode: '350206', year } });
    const drawnOutside = await huli.request({ method: 'POST', url: '/api/annual-plans', payload: { districtCode: '350203', year } });
    if (roleCan(role, 'plans:write')) {
      expect(drawn.statusCode, drawn.body).toBe(201);
      expect(drawnOutside.json()).toMatchObject({ error: 'out_of_scope' });
    } else {
      expect([drawn.statusCode, drawnOutside.statusCode]).toEqual([403, 403]);
    }
    // A plan with a project, drawn up by the administrator, for the role to review.
    const { rows: [parcel] } = await sql<{ id: number }>`SELECT id::int AS id FROM parcels WHERE district_code = '350206' ORDER BY id LIMIT 1`.execute(testApp.database.db);
    const plan = (await admin.request({ method: 'POST', url: '/api/annual-plans', payload: { districtCode: '350206', year: year + 100 } })).json();
    const filled = await admin.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/projects`, payload: { name: '矩阵', developer: '矩阵', content: '矩阵', mode: 'jigai', parcelIds: [parcel.id] } });
    expect(filled.statusCode, filled.body).toBe(200);
    const reviewed = await huli.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/state`, payload: { state: 'reviewed', expectedVersion: filled.json().version } });
    expect(reviewed.statusCode, reviewed.body).toBe(roleCan(role, 'plans:review') ? 200 : 403);
    const list = await huli.get('/api/annual-plans');
    expect(list.statusCode).toBe(roleCan(role, 'data:read') ? 200 : 403);
    if (list.statusCode === 200) expect(list.json().items.every((item: { districtCode: string }) => item.districtCode === '350206')).toBe(true);
  });
});

describe('上图入库成果包 routes × role (issue 18 item 4)', () => {
  it.each(ROLE_CODES)('%s: assembles with packages:assemble (in scope only), records consent and submits with packages:submit, reviews with packages:review', async (role) => {
    const huli = await sessionFor(role, 'huli');
    const outside = await huli.request({ method: 'POST', url: '/api/stock-packages', payload: { districtCode: '350203' } });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error).toBe(roleCan(role, 'packages:assemble') ? 'out_of_scope' : 'forbidden');
    const missing = 999_999_999;
    for (const [route, action, payload] of [['report', 'packages:assemble', {}], ['submit', 'packages:submit', {}], ['decline', 'packages:submit', { reason: '矩阵' }], ['review', 'packages:review', { decision: 'approved' }]] as const) {
      const response = await huli.request({ method: 'POST', url: `/api/stock-packages/${missing}/${route}`, payload });
      expect(response.statusCode, `${route}: ${response.body}`).toBe(roleCan(role, action) ? 404 : 403);
    }
  });
});

describe('exports × role × scope', () => {
  it.each(ROLE_CODES)('%s may export what it may read: its own districts, not another\'s (403 naming it); sees its own jobs only', async (role) => {
    const huli = await sessionFor(role, 'huli');
    const city = await sessionFor(role, 'city');
    const exportOf = (session: Session, district: string) => session.request({ method: 'POST', url: '/api/exports', payload: { layer: 'parcels', format: 'geojson', filters: { district } } });
    if (!roleCan(role, 'data:read')) {
      const refused = await exportOf(huli, '350206');
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ error: 'forbidden', action: 'data:read' });
      return;
    }
    const inside = await exportOf(huli, '350206');
    expect(inside.statusCode, inside.body).toBe(202);
    const id = inside.json().id as string;
    await testApp.app.exportService.settled(id);
    expect((await huli.get(`/api/exports/${id}/file`)).statusCode).toBe(200);
    const outside = await exportOf(huli, '350203');
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toMatchObject({ error: 'out_of_scope', district: { code: '350203', name: '思明区' } });
    expect(outside.json().message).toContain('湖里区');
    const wholeCity = await exportOf(city, '350203');
    expect(wholeCity.statusCode).toBe(202);
    await testApp.app.exportService.settled(wholeCity.json().id);
    // Another user's job: only an administrator sees it.
    expect((await city.get(`/api/exports/${id}`)).statusCode).toBe(role === 'admin' ? 200 : 404);
    expect((await city.get(`/api/exports/${id}/file`)).statusCode).toBe(role === 'admin' ? 200 : 404);
    const anonymous = await testApp.app.inject({ method: 'GET', url: `/api/exports/${id}` });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('reads are filtered to the scope', () => {
  it('gives a 湖里区 planner the figures of 湖里区 only, and refuses 思明区 figures naming the district', async () => {
    const planner = await login(testApp.app, 'planner-huli');
    const city = (await planner.get('/api/districts/350200/stats')).json();
    const huli = (await planner.get('/api/districts/350206/stats')).json();
    expect(city.parcelCount).toBe(huli.parcelCount);
    const siming = await planner.get('/api/districts/350203/stats');
    expect(siming.statusCode).toBe(403);
    expect(siming.json()).toMatchObject({ error: 'out_of_scope', district: { code: '350203', name: '思明区' } });
    const districts = (await planner.get('/api/districts')).json().items as { code: string; inScope: boolean }[];
    expect(districts.filter((district) => district.inScope).map((district) => district.code).sort()).toEqual(['350200', '350206']);
    const list = (await planner.get('/api/parcels?pageSize=500')).json();
    expect(list.total).toBe(huli.parcelCount);
    expect(new Set(list.items.map((item: { districtCode: string }) => item.districtCode))).toEqual(new Set(['350206']));
  });

  it('shows a parcel outside the scope only as context: shape, code and land use, no owner or figures', async () => {
    const planner = await login(testApp.app, 'planner-huli');
    const outside = (await planner.get(`/api/parcels/${simingParcel}`)).json();
    expect(outside).toMatchObject({ id: simingParcel, districtCode: '350203', districtName: '思明区', restricted: true, owner: null, taxPerMu: null, status: null });
    expect(outside.geometry.type).toBe('MultiPolygon');
    const inside = (await planner.get(`/api/parcels/${huliParcel}`)).json();
    expect(inside.restricted).toBe(false);
    expect(inside.owner).not.toBeNull();
    const history = await planner.get(`/api/parcels/${simingParcel}/history`);
    expect(history.statusCode).toBe(403);
  });

  it('gives parcels by box at full precision, those outside the scope without status, and refuses boxes it cannot serve', async () => {
    const planner = await login(testApp.app, 'planner-huli');
    const { rows: [box] } = await sql<{ xmin: number; ymin: number; xmax: number; ymax: number }>`
      SELECT ST_XMin(geom) AS xmin, ST_YMin(geom) AS ymin, ST_XMax(geom) AS xmax, ST_YMax(geom) AS ymax FROM parcels WHERE id = ${simingParcel}`.execute(testApp.database.db);
    const response = await planner.get(`/api/parcels/geojson?bbox=${box.xmin},${box.ymin},${box.xmax},${box.ymax}`);
    expect(response.statusCode).toBe(200);
    const siming = response.json().features.find((feature: { id: number }) => feature.id === simingParcel);
    expect(siming.properties).toMatchObject({ districtCode: '350203', restricted: true, status: null, type: null });
    expect(siming.geometry.type).toBe('MultiPolygon');
    const huli = (await planner.get(`/api/parcels/${huliParcel}`)).json();
    const [lon, lat] = huli.geometry.coordinates[0][0][0];
    const inside = (await planner.get(`/api/parcels/geojson?bbox=${lon - 0.001},${lat - 0.001},${lon + 0.001},${lat + 0.001}`)).json();
    expect(inside.features.find((feature: { id: number }) => feature.id === huliParcel).properties).toMatchObject({ restricted: false, status: huli.status });

    const tooLarge = await planner.get('/api/parcels/geojson?bbox=117.9,24.4,118.2,24.7');
    expect(tooLarge.statusCode).toBe(400);
    expect(tooLarge.json()).toMatchObject({ parameter: 'bbox' });
    expect(tooLarge.json().message).toContain('放大地图');
    const reversed = await planner.get('/api/parcels/geojson?bbox=118.2,24.5,118.1,24.6');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().message).toContain('最小值小于最大值');
  });

  it('draws parcels outside the scope as restricted in tiles', async () => {
    const planner = await login(testApp.app, 'planner-huli');
    const official = await login(testApp.app, 'official');
    // The z14 tile of a 思明区 parcel.
    const { rows } = await sql<{ district_code: string; x: number; y: number }>`
      SELECT district_code, floor((ST_X(ST_PointOnSurface(geom)) + 180) / 360 * 16384)::int AS x,
             floor((1 - ln(tan(radians(ST_Y(ST_PointOnSurface(geom)))) + 1 / cos(radians(ST_Y(ST_PointOnSurface(geom))))) / pi()) / 2 * 16384)::int AS y
      FROM parcels WHERE id = ${simingParcel}`.execute(testApp.database.db);
    const url = `/tiles/parcels/14/${rows[0].x}/${rows[0].y}.pbf`;
    const decode = async (session: Session) => {
      const layer = new VectorTile(new PbfReader((await session.get(url)).rawPayload)).layers.parcels;
      return Array.from({ length: layer.length }, (_, index) => layer.feature(index));
    };
    const restrictedView = (await decode(planner)).find((feature) => feature.id === simingParcel)!;
    expect(restrictedView.properties).toEqual({ status: 'restricted', type: 'restricted', grade: 'restricted', category: 'restricted', restricted: 1 });
    const fullView = (await decode(official)).find((feature) => feature.id === simingParcel)!;
    expect(fullView.properties.restricted).toBe(0);
    expect(fullView.properties.status).not.toBe('restricted');
  });
});

describe('a new geometry stays in the districts the writer may write, and in the parcel\'s own', () => {
  /** About 100 km² around the 湖里区–思明区 boundary, cut to the land of the two districts: a third or more in 思明区. */
  async function polygonAcrossHuliAndSiming() {
    const { rows: [row] } = await sql<{ geometry: object; siming_share: number }>`
      WITH border AS (
        SELECT ST_PointOnSurface(ST_Intersection(ST_Boundary(h.geom), ST_Buffer(s.geom, 0.001))) AS point, ST_Union(h.geom, s.geom) AS land, s.geom AS siming
        FROM districts h, districts s WHERE h.code = '350206' AND s.code = '350203'
      ), candidate AS (
        SELECT ST_Multi(ST_CollectionExtract(ST_Intersection(ST_Expand(point, 0.05), land), 3)) AS geom, siming FROM border
      )
      SELECT ST_AsGeoJSON(geom, 8)::json AS geometry, ST_Area(ST_Intersection(geom, siming)::geography) / ST_Area(geom::geography) AS siming_share
      FROM candidate`.execute(testApp.database.db);
    expect(row.siming_share).toBeGreaterThan(0.2);
    return row.geometry;
  }

  async function geometryOf(id: number): Promise<string> {
    const { rows: [row] } = await sql<{ geometry: string }>`SELECT ST_AsText(geom) AS geometry FROM parcels WHERE id = ${id}`.execute(testApp.database.db);
    return row.geometry;
  }

  it('refuses a 湖里区 surveyor a 湖里区 parcel reaching into 思明区, naming 思明区 (403 out_of_scope), and keeps the parcel', async () => {
    const surveyor = await sessionFor('surveyor', 'huli');
    const before = await geometryOf(huliParcel);
    const response = await patchParcel(surveyor, huliParcel, { geometry: await polygonAcrossHuliAndSiming() });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: 'out_of_scope', district: { code: '350203', name: '思明区' } });
    expect(response.json().message).toContain('思明区');
    expect(await geometryOf(huliParcel)).toBe(before);
  });

  it('refuses a whole-city surveyor the same polygon (400 naming 思明区): a parcel lies in its own district', async () => {
    const surveyor = await sessionFor('surveyor', 'city');
    const before = await geometryOf(huliParcel);
    const response = await patchParcel(surveyor, huliParcel, { geometry: await polygonAcrossHuliAndSiming() });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_geometry', parameter: 'geometry' });
    expect(response.json().message).toContain('思明区 (350203)');
    expect(await geometryOf(huliParcel)).toBe(before);
  });
});

describe('out-of-scope reads show only OUT_OF_SCOPE_PARCEL_KEYS, on every path', () => {
  it('parcel card: every other attribute is null', async () => {
    const planner = await login(testApp.app, 'planner-huli');
    const card = (await planner.get(`/api/parcels/${simingParcel}`)).json() as Record<string, unknown>;
    expect(card.restricted).toBe(true);
    const shown = Object.keys(card).filter((key) => key !== 'restricted' && card[key] !== null);
    expect(shown.sort()).toEqual([...OUT_OF_SCOPE_PARCEL_KEYS].sort());
  });

  it('parcels by box (GeoJSON): only the visible keys carry values', async () => {
    const planner = await login(testApp.app, 'planner-huli');
    const { rows: [box] } = await sql<{ xmin: number; ymin: number; xmax: number; ymax: number }>`
      SELECT ST_XMin(geom) AS xmin, ST_YMin(geom) AS ymin, ST_XMax(geom) AS xmax, ST_YMax(geom) AS ymax FROM parcels WHERE id = ${simingParcel}`.execute(testApp.database.db);
    const collection = (await planner.get(`/api/parcels/geojson?bbox=${box.xmin},${box.ymin},${box.xmax},${box.ymax}`)).json();
    const feature = collection.features.find((candidate: { id: number }) => candidate.id === simingParcel);
    const keyOf: Record<string, string> = { type: 'inefficiencyType' };
    const shown = Object.entries(feature.properties as Record<string, unknown>).filter(([property, value]) => property !== 'restricted' && value !== null).map(([property]) => keyOf[property] ?? property);
    for (const key of shown) expect(OUT_OF_SCOPE_PARCEL_KEYS as readonly string[]).toContain(key);
    expect(feature.properties).toMatchObject({ restricted: true, status: null, type: null, code: expect.any(String) });
  });

  it('tiles: every attribute whose key is not visible reads restricted', async () => {
    for (const [, key] of PARCEL_TILE_ATTRIBUTES) expect(PARCEL_FIELDS.some((field) => field.key === key)).toBe(true);
    expect(PARCEL_TILE_ATTRIBUTES.filter(([, key]) => !visibleOutOfScope(key)).map(([attribute]) => attribute)).toEqual(['status', 'type', 'grade', 'category']);
    const planner = await login(testApp.app, 'planner-huli');
    const { rows: [tile] } = await sql<{ x: number; y: number }>`
      SELECT floor((ST_X(c) + 180) / 360 * 65536)::int AS x,
             floor((1 - ln(tan(radians(ST_Y(c))) + 1 / cos(radians(ST_Y(c)))) / pi()) / 2 * 65536)::int AS y
      FROM (SELECT ST_PointOnSurface(geom) AS c FROM parcels WHERE id = ${simingParcel}) p`.execute(testApp.database.db);
    const layer = new VectorTile(new PbfReader((await planner.get(`/tiles/parcels/16/${tile.x}/${tile.y}.pbf`)).rawPayload)).layers.parcels;
    const feature = Array.from({ length: layer.length }, (_, index) => layer.feature(index)).find((candidate) => candidate.id === simingParcel)!;
    expect(feature.properties).toEqual({ status: 'restricted', type: 'restricted', grade: 'restricted', category: 'restricted', restricted: 1 });
  });

  it('district figures: a city is summed over the reader\'s districts only; another district is refused', async () => {
    const planner = await sessionFor('viewer', 'huli');
    const city = (await planner.get('/api/districts/350200/stats')).json();
    const huli = (await planner.get('/api/districts/350206/stats')).json();
    expect({ count: city.parcelCount, area: city.areaM2 }).toEqual({ count: huli.parcelCount, area: huli.areaM2 });
    const siming = await planner.get('/api/districts/350203/stats');
    expect(siming.statusCode).toBe(403);
    expect(siming.json()).toMatchObject({ error: 'out_of_scope', district: { code: '350203' } });
  });

  it('parcel history: refused outside the scope, naming the district; given inside it', async () => {
    const viewer = await sessionFor('viewer', 'huli');
    const outside = await viewer.get(`/api/parcels/${simingParcel}/history`);
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toMatchObject({ error: 'out_of_scope', district: { code: '350203', name: '思明区' } });
    expect((await viewer.get(`/api/parcels/${huliParcel}/history`)).statusCode).toBe(200);
  });
});

describe('认定案卷 routes × role (issue 16 item 3)', () => {
  /** A fresh 湖里区 园区 parcel per role (row `index`), listed by the administrator: each role meets a case at 列入清单. */
  async function listedCase(index: number): Promise<number> {
    const { rows: [row] } = await sql<{ id: number }>`
      SELECT p.id FROM parcels p WHERE p.park_code = ${units.park.huli}
        AND NOT EXISTS (SELECT FROM identification_cases c WHERE c.parcel_id = p.id)
      ORDER BY p.id OFFSET ${40 + index} LIMIT 1`.execute(testApp.database.db);
    const opened = await admin.request({ method: 'POST', url: '/api/identification/cases', payload: { parcelId: row.id } });
    expect(opened.statusCode, opened.body).toBe(201);
    return opened.json().id as number;
  }

  it.each(ROLE_CODES)('%s reads, lists and conducts cases only as its role and unit allow', async (role) => {
    const session = await sessionFor(role, 'huli');
    const index = ROLE_CODES.indexOf(role);
    const list = await session.get('/api/identification/cases?district=350206');
    expect(list.statusCode).toBe(roleCan(role, 'cases:read') ? 200 : 403);
    const mine = await session.get('/api/identification/my-cases');
    expect(mine.statusCode).toBe(roleCan(role, 'cases:fill') ? 200 : 403);
    const { rows: [fresh] } = await sql<{ id: number }>`
      SELECT p.id FROM parcels p WHERE p.district_code = '350206' AND p.park_code IS NULL
        AND NOT EXISTS (SELECT FROM identification_cases c WHERE c.parcel_id = p.id)
      ORDER BY p.id OFFSET ${60 + index} LIMIT 1`.execute(testApp.database.db);
    const opened = await session.request({ method: 'POST', url: '/api/identification/cases', payload: { parcelId: fresh.id } });
    expect(opened.statusCode, opened.body).toBe(roleCan(role, 'cases:list') ? 201 : 403);
    const caseId = await listedCase(index);
    const detail = await session.get(`/api/identification/cases/${caseId}`);
    expect(detail.statusCode).toBe(roleCan(role, 'cases:read') ? 200 : 403);
    const sent = await session.request({ method: 'POST', url: `/api/identification/cases/${caseId}/steps/survey_sent`, payload: {} });
    if (role === 'admin' || role === 'park_office') {
      expect(sent.statusCode, sent.body).toBe(200);
    } else if (roleCan(role, 'cases:conduct')) {
      // A 镇街 conducts only 园区外 parcels of its 街道.
      expect(sent.statusCode).toBe(403);
      expect(sent.json().error).toBe('step_forbidden');
    } else {
      expect(sent.statusCode).toBe(403);
      expect(sent.json()).toMatchObject({ error: 'forbidden', action: 'cases:conduct' });
    }
    // Printed forms (item 5): readers of cases meet the form rule (附件2 before 初步认定: 409 form_not_ready); the enterprise
    // reaches neither another's case nor 附件2 (403); every other role the permission check (403 forbidden).
    const review = await session.get(`/api/identification/cases/${caseId}/forms/review.pdf`);
    expect(review.statusCode, review.body).toBe(roleCan(role, 'cases:read') ? 409 : 403);
    if (roleCan(role, 'cases:read')) expect(review.json()).toMatchObject({ error: 'form_not_ready', needs: 'preliminary' });
    // 附件1 is printable at every step: a reader gets as far as the snapshot asked for (404: none such), the rest 403.
    const survey = await session.get(`/api/identification/cases/${caseId}/forms/survey.pdf?submission=999999999`);
    expect(survey.statusCode).toBe(roleCan(role, 'cases:read') ? 404 : 403);
    const approved = await session.request({ method: 'POST', url: `/api/identification/cases/${caseId}/steps/approved`, payload: { decision: 'approve' } });
    // Every role allowed to approve meets the step machine first (409: the case is not at 审批); the rest the permission layer.
    expect(approved.statusCode).toBe(roleCan(role, 'cases:approve') ? 409 : 403);
  });
});

describe('汇总表（附件11） routes × role (issue 16 item 6)', () => {
  it.each(ROLE_CODES)('%s downloads and lists with cases:read, and may submit only with reports:submit', async (role) => {
    const session = await sessionFor(role, 'huli');
    const workbook = await session.get('/api/reports/annex11/workbook?district=350206');
    expect(workbook.statusCode).toBe(roleCan(role, 'cases:read') ? 200 : 403);
    const overview = await session.get('/api/reports/annex11/submissions?district=350206');
    expect(overview.statusCode).toBe(roleCan(role, 'cases:read') ? 200 : 403);
    if (roleCan(role, 'cases:read')) expect((await session.get('/api/reports/annex11/workbook?district=350203')).json()).toMatchObject({ error: 'out_of_scope' });
    // A period not yet begun: those who may submit meet the period check (400, nothing written), the rest the permission layer.
    const submitted = await session.request({ method: 'POST', url: '/api/reports/annex11/submissions', payload: { district: '350206', period: '2999-12' } });
    expect(submitted.statusCode, submitted.body).toBe(roleCan(role, 'reports:submit') ? 400 : 403);
    if (!roleCan(role, 'reports:submit')) expect(submitted.json()).toMatchObject({ error: 'forbidden', action: 'reports:submit' });
    expect(roleCan(role, 'reports:submit')).toBe(role === 'admin' || role === 'resources');
  });
});

describe('再利用 routes × role (issue 17)', () => {
  it.each(ROLE_CODES)('%s lists, reads its 待办 and drafts plans only as its role allows; a case not yet notified is 409 for those who may draft', async (role) => {
    const session = await sessionFor(role, 'huli');
    const index = ROLE_CODES.indexOf(role);
    const list = await session.get('/api/reuse/projects?district=350206');
    expect(list.statusCode).toBe(roleCan(role, 'reuse:read') ? 200 : 403);
    const todo = await session.get('/api/reuse/todo');
    expect(todo.statusCode).toBe(roleCan(role, 'reuse:read') || role === 'enterprise' ? 200 : 403);
    expect((await session.get('/api/reuse/district-counts')).statusCode).toBe(roleCan(role, 'reuse:read') ? 200 : 403);
    const removal = await session.request({ method: 'POST', url: '/api/reuse/credit-list/999999999/removal', payload: { reason: '已改正' } });
    expect(removal.statusCode, removal.body).toBe(roleCan(role, 'reuse:unlist') ? 404 : 403);
    expect(roleCan(role, 'reuse:unlist')).toBe(['admin', 'official', 'government'].includes(role));
    const { rows: [row] } = await sql<{ id: number }>`
      SELECT p.id FROM parcels p WHERE p.park_code = ${units.park.huli}
        AND NOT EXISTS (SELECT FROM identification_cases c WHERE c.parcel_id = p.id)
      ORDER BY p.id OFFSET ${80 + index} LIMIT 1`.execute(testApp.database.db);
    const opened = await admin.request({ method: 'POST', url: '/api/identification/cases', payload: { parcelId: row.id } });
    expect(opened.statusCode, opened.body).toBe(201);
    const caseId = opened.json().id as number;
    const shown = await session.get(`/api/reuse/cases/${caseId}`);
    expect(shown.statusCode).toBe(roleCan(role, 'reuse:read') ? 200 : 403);
    const plan = await session.request({ method: 'POST', url: `/api/reuse/cases/${caseId}/plans`, payload: { fields: { method: 'self_renewal', builder: 'x', plannedCompletion: '2027-06', useAfter: '工业' } } });
    if (!roleCan(role, 'reuse:plan')) {
      expect(plan.statusCode).toBe(403);
      expect(plan.json()).toMatchObject({ error: 'forbidden', action: 'reuse:plan' });
    } else if (role === 'enterprise') {
      expect(plan.json()).toMatchObject({ error: 'reuse_step_forbidden' });
    } else {
      expect(plan.statusCode, plan.body).toBe(409);
      expect(plan.json().error).toBe('reuse_not_notified');
    }
  });
});

describe('the people of the 认定 procedure on every route', () => {
  /** A route as a request: every path parameter 1 (the permission is decided before the parameters are read). */
  const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, '1');

  it.each(ROLE_CODES)('%s is refused every route whose action it lacks (403 forbidden naming the action), before anything is read', async (role) => {
    const session = await sessionFor(role, 'huli');
    const routes = [...testApp.app.routePermissions].filter(([, permission]) => permission !== 'public' && permission !== 'authenticated' && !roleCan(role, permission));
    expect(testApp.app.routePermissions.size).toBeGreaterThan(60);
    for (const [route, permission] of routes) {
      const [method, url] = route.split(' ');
      const response = await session.request({ method: method as 'GET', url: concrete(url), payload: method === 'GET' || method === 'DELETE' ? undefined : {} });
      expect(response.statusCode, `${role} ${route}`).toBe(403);
      expect(response.json(), `${role} ${route}`).toMatchObject({ error: 'forbidden', action: permission });
    }
  });

  it('the enterprise reaches only its own routes: no tile, search, table, export or document', () => {
    const enterpriseRoutes = [...testApp.app.routePermissions].filter(([, permission]) => permission !== 'public' && permission !== 'authenticated' && roleCan('enterprise', permission)).map(([route]) => route);
    expect(enterpriseRoutes.filter((route) => !route.includes('/api/enterprise/') && !route.includes('/api/cases') && !route.includes('/api/identification') && !route.includes('/api/reuse/'))).toEqual([]);
    for (const prefix of ['GET /tiles/', 'GET /api/search', 'POST /api/parcels/table/', 'POST /api/exports', 'GET /api/parcels/:id/documents']) {
      const guarded = [...testApp.app.routePermissions.keys()].filter((route) => route.startsWith(prefix));
      expect(guarded.length, prefix).toBeGreaterThan(0);
      for (const route of guarded) expect(roleCan('enterprise', testApp.app.routePermissions.get(route) as never), route).toBe(false);
    }
  });

  it.each(ROLE_CODES.filter((role) => roleCan(role, 'data:read')))('%s scoped to 湖里区 (or a 湖里区 园区/街道) reads 湖里区 and is refused 思明区, naming it', async (role) => {
    const session = await sessionFor(role, 'huli');
    expect((await session.get('/api/districts/350206/stats')).statusCode).toBe(200);
    const siming = await session.get('/api/districts/350203/stats');
    expect(siming.statusCode).toBe(403);
    expect(siming.json()).toMatchObject({ error: 'out_of_scope', district: { code: '350203', name: '思明区' } });
    expect((await session.get(`/api/parcels/${huliParcel}`)).json()).toMatchObject({ restricted: false });
    expect((await session.get(`/api/parcels/${simingParcel}`)).json()).toMatchObject({ restricted: true, owner: null });
    const list = (await session.get('/api/parcels?pageSize=50')).json();
    expect(new Set(list.items.map((item: { districtCode: string }) => item.districtCode))).toEqual(new Set(['350206']));
  });

  it('the enterprise sees its own parcel whole, and is refused another\'s (403 not_own_parcel), even of its district', async () => {
    const enterprise = await sessionFor('enterprise', 'huli');
    const own = await enterprise.get('/api/enterprise/parcels');
    expect(own.statusCode).toBe(200);
    expect(own.json().items.map((item: { id: number; restricted: boolean }) => [item.id, item.restricted])).toEqual([[huliParcel, false]]);
    expect(own.json().items[0].geometry.type).toBe('MultiPolygon');
    expect((await enterprise.get(`/api/enterprise/parcels/${huliParcel}`)).json()).toMatchObject({ id: huliParcel, owner: expect.any(String) });
    const { rows: [neighbour] } = await sql<{ id: number }>`SELECT id FROM parcels WHERE district_code = '350206' AND id <> ${huliParcel} ORDER BY id LIMIT 1`.execute(testApp.database.db);
    for (const id of [neighbour.id, simingParcel]) {
      const refused = await enterprise.get(`/api/enterprise/parcels/${id}`);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ error: 'not_own_parcel', parameter: 'id' });
      expect(refused.json().message).toContain('不是本单位');
    }
    // Another enterprise of the same district does not see it.
    const other = await login(testApp.app, 'qiye');
    expect((await other.get(`/api/enterprise/parcels/${huliParcel}`)).statusCode).toBe(403);
    expect((await other.get('/api/enterprise/parcels')).json().items.map((item: { id: number }) => item.id)).not.toContain(huliParcel);
  });
});

describe('招商地图 × role × scope (issue 18 item 6)', () => {
  /** A plot of the district made identified idle land (no case, no listing), one per case. */
  async function idlePlot(district: string, offset: number): Promise<number> {
    const { rows: [row] } = await sql<{ id: number }>`
      UPDATE parcels SET status = 'identified', inefficiency_type = 'idle' WHERE id = (
        SELECT p.id FROM parcels p WHERE p.district_code = ${district}
          AND NOT EXISTS (SELECT FROM zhaoshang_listings l WHERE l.parcel_id = p.id)
          AND NOT EXISTS (SELECT FROM identification_cases c WHERE c.parcel_id = p.id)
        ORDER BY p.area_m2 DESC, p.id OFFSET ${20 + offset} LIMIT 1)
      RETURNING id::float8 AS id`.execute(testApp.database.db);
    return row.id;
  }
  const listing = (parcelId: number, title: string) => ({
    parcelId, title, plannedUse: '工业用地', targetIndustries: ['测试'], contactOrg: '招商中心', contactName: '联系人', contactPhone: '0592-5550000',
  });

  it.each(ROLE_CODES)('%s lists plots only with zhaoshang:manage and in scope; reads 意向 only with zhaoshang:inquiries; the public routes need no session', async (role) => {
    const huli = await sessionFor(role, 'huli');
    const index = ROLE_CODES.indexOf(role);
    const inside = await huli.request({ method: 'POST', url: '/api/zhaoshang/listings', payload: listing(await idlePlot('350206', index), `矩阵 ${role}`) });
    const outside = await huli.request({ method: 'POST', url: '/api/zhaoshang/listings', payload: listing(await idlePlot('350203', index), `矩阵 ${role}`) });
    if (roleCan(role, 'zhaoshang:manage')) {
      expect(inside.statusCode, inside.body).toBe(201);
      expect(outside.statusCode).toBe(403);
      expect(outside.json()).toMatchObject({ error: 'out_of_scope', district: { code: '350203' } });
    } else {
      expect([inside.statusCode, outside.statusCode]).toEqual([403, 403]);
      expect(inside.json()).toMatchObject({ error: 'forbidden', action: 'zhaoshang:manage' });
    }
    const inquiries = await huli.get('/api/zhaoshang/inquiries');
    expect(inquiries.statusCode).toBe(roleCan(role, 'zhaoshang:inquiries') ? 200 : 403);
    expect((await huli.get('/api/zhaoshang/listings')).statusCode).toBe(roleCan(role, 'data:read') ? 200 : 403);
    expect((await huli.get('/api/public/zhaoshang/plots')).statusCode).toBe(200);
  });
});

describe('园区办 and 镇街 file papers only of parcels in their own 园区 or 街道', () => {
  let files: Awaited<ReturnType<typeof makeDocumentFiles>>;
  beforeAll(async () => {
    files = await makeDocumentFiles();
  }, 60_000);

  it.each(['park_office', 'street_office'] as const)('%s: its own unit yes; another unit of its district 403 naming the place; another district 403 naming it', async (role) => {
    const session = await sessionFor(role, 'huli');
    const unit = units[role === 'park_office' ? 'park' : 'street'].huli;
    const { rows: [inside] } = await sql<{ id: number }>`
      SELECT id FROM parcels WHERE ${role === 'park_office' ? sql`park_code = ${unit}` : sql`subdistrict_code = ${unit} AND park_code IS NULL`} ORDER BY id LIMIT 1`.execute(testApp.database.db);
    const { rows: [elsewhere] } = await sql<{ id: number; place: string }>`
      SELECT p.id, s.name AS place FROM parcels p JOIN subdistricts s ON s.code = coalesce(p.park_code, p.subdistrict_code)
      WHERE p.district_code = '350206' AND coalesce(p.park_code, p.subdistrict_code) <> ${unit} ORDER BY p.id LIMIT 1`.execute(testApp.database.db);
    const upload = (id: number) => session.request({ method: 'POST', url: `/api/parcels/${id}/documents`, ...multipartBody({ category: 'other', note: role }, { name: `${role}.pdf`, content: Buffer.concat([files.pdf, Buffer.from(`\n%${role}-${id}\n`)]) }) });
    expect((await upload(inside.id)).statusCode).toBe(201);
    const otherUnit = await upload(elsewhere.id);
    expect(otherUnit.statusCode).toBe(403);
    expect(otherUnit.json()).toMatchObject({ error: 'out_of_scope', place: { districtCode: '350206' } });
    expect(otherUnit.json().message).toContain(elsewhere.place);
    const otherDistrict = await upload(simingParcel);
    expect(otherDistrict.statusCode).toBe(403);
    expect(otherDistrict.json()).toMatchObject({ error: 'out_of_scope', district: { code: '350203', name: '思明区' } });
  });
});
