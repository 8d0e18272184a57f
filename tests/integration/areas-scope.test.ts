import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AreaDetail, AreaList } from '../../domain/api/areas.schemas.js';
import { CheckAnswer } from '../../domain/api/checks.schemas.js';
import { ErrorBody } from '../../domain/api/common.schemas.js';
import { OUT_OF_SCOPE_AREA } from '../../domain/scope-visibility.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * 成片改造区域 and checks across districts: a planner of the whole city saves an area in 思明区;
 * users scoped to 湖里区 may neither read nor change it, and their checks show other districts'
 * parcels without their survey findings.
 */
let testApp: TestApp;
let cityPlanner: Session;
let huliPlanner: Session;
let official: Session;
let huliViewer: Session;

async function scopedUser(role: string, district: string): Promise<Session> {
  const admin = await login(testApp.app, 'admin');
  const username = `areas-scope-${role}-${process.pid}`;
  const initial = 'Scope-initial-2026';
  const created = await admin.request({ method: 'POST', url: '/api/admin/users', payload: { username, displayName: username, role, scopes: [district], password: initial } });
  expect(created.statusCode).toBe(201);
  const first = await login(testApp.app, username, initial);
  await first.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: initial, newPassword: 'Scope-final-2026' } });
  return await login(testApp.app, username, 'Scope-final-2026');
}

/**
 * A box around the `offset`-th last parcel of a district, grown by half its size on each side: far
 * from the first parcels, around which the other test files save areas in the same database.
 */
async function boxAroundParcel(district: string, offset: number) {
  const { rows: [parcel] } = await sql<{ xmin: number; ymin: number; xmax: number; ymax: number }>`
    SELECT ST_XMin(geom) AS xmin, ST_YMin(geom) AS ymin, ST_XMax(geom) AS xmax, ST_YMax(geom) AS ymax
    FROM parcels WHERE district_code = ${district} ORDER BY id DESC OFFSET ${offset} LIMIT 1`.execute(testApp.database.db);
  const dx = (parcel.xmax - parcel.xmin) / 2;
  const dy = (parcel.ymax - parcel.ymin) / 2;
  const ring = [[parcel.xmin - dx, parcel.ymin - dy], [parcel.xmax + dx, parcel.ymin - dy], [parcel.xmax + dx, parcel.ymax + dy], [parcel.xmin - dx, parcel.ymax + dy], [parcel.xmin - dx, parcel.ymin - dy]];
  return { type: 'Polygon', coordinates: [ring] };
}

const areaBody = (name: string, boundary: object) => ({ name, mode: 'owner_self', ruleSet: 'xiamen-new-industrial', boundary });
const SIMING = { code: '350203', name: '思明区' };

let simingArea: AreaDetail;
let simingBoundary: object;

beforeAll(async () => {
  testApp = await createTestApp();
  cityPlanner = await login(testApp.app, 'planner');
  huliPlanner = await login(testApp.app, 'planner-huli');
  official = await login(testApp.app, 'official');
  huliViewer = await scopedUser('viewer', '350206');
  simingBoundary = await boxAroundParcel('350203', 10);
  const created = await cityPlanner.request({ method: 'POST', url: '/api/areas', payload: areaBody('思明 试点', simingBoundary) });
  expect(created.statusCode).toBe(201);
  simingArea = created.json();
  assertMatchesContract(AreaDetail, simingArea);
}, 120_000);
afterAll(async () => {
  await testApp.close();
});

function expectOutOfScope(response: { statusCode: number; json(): unknown }, verb: string) {
  expect(response.statusCode).toBe(403);
  const body = response.json() as { message: string };
  assertMatchesContract(ErrorBody, body);
  expect(body).toMatchObject({ error: 'out_of_scope', district: SIMING });
  expect(body.message).toContain(verb);
  expect(body.message).toContain('思明区');
}

describe('成片改造区域 outside the user\'s districts', () => {
  it('are not listed, and reading one or its versions is refused naming the district', async () => {
    const list = (await huliPlanner.get('/api/areas')).json();
    assertMatchesContract(AreaList, list);
    expect(list.items.map((item: { id: number }) => item.id)).not.toContain(simingArea.id);
    expect(list.items.every((item: { districtCode: string }) => item.districtCode === '350206')).toBe(true);
    expectOutOfScope(await huliPlanner.get(`/api/areas/${simingArea.id}`), '查看');
    expectOutOfScope(await huliPlanner.get(`/api/areas/${simingArea.id}/versions/1`), '查看');
    expectOutOfScope(await huliViewer.get(`/api/areas/${simingArea.id}`), '查看');
  });

  it('cannot be revised, restored, moved along its statuses or deleted, and stay as they were', async () => {
    expectOutOfScope(await huliPlanner.request({ method: 'PUT', url: `/api/areas/${simingArea.id}`, payload: { ...areaBody('改名', simingBoundary), baseVersion: 1 } }), '思明区');
    expectOutOfScope(await huliPlanner.request({ method: 'POST', url: `/api/areas/${simingArea.id}/restore`, payload: { version: 1, baseVersion: 1 } }), '思明区');
    expectOutOfScope(await huliPlanner.request({ method: 'POST', url: `/api/areas/${simingArea.id}/status`, payload: { status: 'submitted' } }), '思明区');
    expectOutOfScope(await huliPlanner.request({ method: 'DELETE', url: `/api/areas/${simingArea.id}` }), '思明区');
    const unchanged = await cityPlanner.get(`/api/areas/${simingArea.id}`);
    expect(unchanged.statusCode).toBe(200);
    assertMatchesContract(AreaDetail, unchanged.json());
    expect(unchanged.json()).toMatchObject({ name: '思明 试点', version: 1, status: 'draft' });
  });

  it('an official of another district may not decide on them', async () => {
    const submitted = await cityPlanner.request({ method: 'POST', url: `/api/areas/${simingArea.id}/status`, payload: { status: 'submitted' } });
    expect(submitted.statusCode).toBe(200);
    assertMatchesContract(AreaDetail, submitted.json());
    const huliOfficial = await scopedUser('official', '350206');
    expectOutOfScope(await huliOfficial.request({ method: 'POST', url: `/api/areas/${simingArea.id}/status`, payload: { status: 'approved' } }), '思明区');
    const approved = await official.request({ method: 'POST', url: `/api/areas/${simingArea.id}/status`, payload: { status: 'approved' } });
    expect(approved.json().status).toBe('approved');
  });

  it('a planner may not move an own area into another district', async () => {
    const huliBoundary = await boxAroundParcel('350206', 10);
    const own = await huliPlanner.request({ method: 'POST', url: '/api/areas', payload: areaBody('湖里 自有', huliBoundary) });
    expect(own.statusCode).toBe(201);
    const moved = await huliPlanner.request({ method: 'PUT', url: `/api/areas/${own.json().id}`, payload: { ...areaBody('湖里 自有', simingBoundary), baseVersion: 1 } });
    expectOutOfScope(moved, '绘制');
    expect((await huliPlanner.get(`/api/areas/${own.json().id}`)).json().version).toBe(1);
  });
});

describe('POST /api/checks by a user scoped to another district', () => {
  it('takes in the other district\'s parcels with where and how large they are, never their status; other areas are not named', async () => {
    const city = (await cityPlanner.request({ method: 'POST', url: '/api/checks', payload: { ruleSet: 'xiamen-new-industrial', boundary: simingBoundary } })).json();
    const scoped = await huliViewer.request({ method: 'POST', url: '/api/checks', payload: { ruleSet: 'xiamen-new-industrial', boundary: simingBoundary } });
    expect(scoped.statusCode).toBe(200);
    const answer = scoped.json();
    assertMatchesContract(CheckAnswer, answer);
    assertMatchesContract(CheckAnswer, city);
    const siming = answer.parcels.filter((parcel: { districtCode: string }) => parcel.districtCode === '350203');
    expect(siming.length).toBeGreaterThan(0);
    expect(city.parcels.some((parcel: { districtCode: string; status: string | null }) => parcel.districtCode === '350203' && parcel.status !== null)).toBe(true);
    for (const parcel of siming) {
      expect(parcel.status).toBeNull();
      expect(parcel.code).toEqual(expect.any(String));
      expect(parcel.areaM2).toBeGreaterThan(0);
      expect(parcel.insideM2).toBeGreaterThan(0);
      const seen = city.parcels.find((candidate: { id: number }) => candidate.id === parcel.id);
      expect({ ...parcel, status: seen.status }).toEqual(seen);
    }
    expect(answer.figures.inefficientLandM2).toBeLessThanOrEqual(city.figures.inefficientLandM2);
    // Another district's area is there with the land it shares, but neither named nor with its
    // status: as the areas tile shows it (status `restricted`, no label).
    const overlap = answer.overlaps.find((candidate: { id: number }) => candidate.id === simingArea.id);
    const seenByCity = city.overlaps.find((candidate: { id: number }) => candidate.id === simingArea.id);
    expect(overlap).toEqual({ ...seenByCity, ...OUT_OF_SCOPE_AREA });
    expect(overlap).toMatchObject({ name: '管辖范围外的区域', status: 'restricted' });
    expect(seenByCity.name).toBe('思明 试点');
    expect(seenByCity.status).not.toBe('restricted');
  });
});
