import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage } from '../../domain/api/audit.schemas.js';
import { Session as SessionSchema, SessionProbe } from '../../domain/api/auth.schemas.js';
import { ErrorBody } from '../../domain/api/common.schemas.js';
import { DistrictList, DistrictStats } from '../../domain/api/districts.schemas.js';
import { ExportJob, ExportList } from '../../domain/api/exports.schemas.js';
import { Health } from '../../domain/api/health.schemas.js';
import { ParcelDetail, ParcelFeatureCollection, ParcelHistory, ParcelPage } from '../../domain/api/parcels.schemas.js';
import { ClientSettings } from '../../domain/api/settings.schemas.js';
import { SurveyLayerList } from '../../domain/api/survey.schemas.js';
import { TileCacheCleared, TileJson } from '../../domain/api/tiles.schemas.js';
import { AdminUser, AdminUserList } from '../../domain/api/users.schemas.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { exportTestWriters } from '../helpers/export-writers.js';
import { createTestApp, login, type Session, type TestApp, patchParcel } from '../helpers/test-app.js';

/**
 * Every route of parcels, districts, survey, tiles, auth, users, audit, settings, health and exports, called
 * as a suitable user, its real body validated against the shared schema the client takes its types
 * from (domain/api/*.schemas.ts): a field that drifts on either side fails here.
 */
let testApp: TestApp;
let admin: Session;
let planner: Session;
let huliParcel: number;
let simingParcel: number;

beforeAll(async () => {
  // Exports run with test writers (the real ones are tested on their own): the contract is the job's.
  testApp = await createTestApp({}, false, undefined, { exportWriters: exportTestWriters().writers });
  admin = await login(testApp.app, 'admin');
  planner = await login(testApp.app, 'planner-huli');
  const pick = async (district: string) => (await sql<{ id: number }>`
    SELECT id FROM parcels WHERE district_code = ${district} ORDER BY id DESC LIMIT 1`.execute(testApp.database.db)).rows[0].id;
  huliParcel = await pick('350206');
  simingParcel = await pick('350203');
});
afterAll(async () => {
  await testApp.close();
});

async function body(session: Session, url: string, status = 200): Promise<unknown> {
  const response = await session.get(url);
  expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(status);
  return response.json();
}

describe('system', () => {
  it('GET /api/health', async () => assertMatchesContract(Health, (await testApp.app.inject({ url: '/api/health' })).json()));
  it('GET /api/settings', async () => assertMatchesContract(ClientSettings, (await testApp.app.inject({ url: '/api/settings' })).json()));
});

describe('districts', () => {
  it('GET /api/districts', async () => assertMatchesContract(DistrictList, await body(planner, '/api/districts')));
  it('GET /api/districts/{code}/stats, and its refusal', async () => {
    assertMatchesContract(DistrictStats, await body(planner, '/api/districts/350200/stats'));
    assertMatchesContract(DistrictStats, await body(planner, '/api/districts/350206/stats'));
    assertMatchesContract(ErrorBody, await body(planner, '/api/districts/350203/stats', 403));
    assertMatchesContract(ErrorBody, await body(planner, '/api/districts/999999/stats', 404));
  });
});

describe('parcels', () => {
  it('GET /api/parcels/{id}, in and out of scope', async () => {
    assertMatchesContract(ParcelDetail, await body(planner, `/api/parcels/${huliParcel}`));
    assertMatchesContract(ParcelDetail, await body(planner, `/api/parcels/${simingParcel}`));
    assertMatchesContract(ErrorBody, await body(planner, '/api/parcels/999999999', 404));
  });

  it('PATCH /api/parcels/{id}', async () => {
    const response = await patchParcel(planner, huliParcel, { plannedFunction: '合同测试' });
    expect(response.statusCode).toBe(200);
    assertMatchesContract(ParcelDetail, response.json());
    const refused = await patchParcel(planner, huliParcel, { owner: 'x' });
    expect(refused.statusCode).toBe(403);
    assertMatchesContract(ErrorBody, refused.json());
  });

  it('GET /api/parcels/{id}/history', async () => {
    assertMatchesContract(ParcelHistory, await body(planner, `/api/parcels/${huliParcel}/history`));
    assertMatchesContract(ErrorBody, await body(planner, `/api/parcels/${simingParcel}/history`, 403));
  });

  it('GET /api/parcels', async () => assertMatchesContract(ParcelPage, await body(planner, '/api/parcels?pageSize=20')));

  it('GET /api/parcels/geojson', async () => {
    const { rows: [box] } = await sql<{ xmin: number; ymin: number; xmax: number; ymax: number }>`
      SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax
      FROM (SELECT ST_Expand(ST_PointOnSurface(geom), 0.01) AS e FROM parcels WHERE id = ${simingParcel}) b`.execute(testApp.database.db);
    const collection = await body(planner, `/api/parcels/geojson?bbox=${box.xmin},${box.ymin},${box.xmax},${box.ymax}&limit=50`) as ParcelFeatureCollection;
    expect(collection.features.length).toBeGreaterThan(0);
    assertMatchesContract(ParcelFeatureCollection, collection);
    assertMatchesContract(ErrorBody, await body(planner, '/api/parcels/geojson?bbox=117.9,24.4,118.2,24.7', 400));
  });
});

describe('survey', () => {
  it('GET /api/survey-layers', async () => assertMatchesContract(SurveyLayerList, await body(planner, '/api/survey-layers')));
});

describe('tiles', () => {
  it.each(['districts', 'parcels', 'areas', 'survey-2023'])('GET /tiles/%s.json', async (layer) => {
    assertMatchesContract(TileJson, await body(planner, `/tiles/${layer}.json`));
  });

  it('DELETE /api/admin/tile-cache', async () => {
    const response = await admin.request({ method: 'DELETE', url: '/api/admin/tile-cache' });
    expect(response.statusCode).toBe(200);
    assertMatchesContract(TileCacheCleared, response.json());
  });
});

describe('auth', () => {
  it('POST /api/auth/login, GET /api/auth/me, POST /api/auth/password, POST /api/auth/logout', async () => {
    const username = `contract-${process.pid}`;
    const created = await admin.request({
      method: 'POST', url: '/api/admin/users',
      payload: { username, displayName: '合同测试', role: 'viewer', scopes: ['350206'], password: 'Contract-initial-2026' },
    });
    expect(created.statusCode).toBe(201);
    const loggedIn = await testApp.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'Contract-initial-2026' } });
    assertMatchesContract(SessionSchema, loggedIn.json());
    const session = await login(testApp.app, username, 'Contract-initial-2026');
    assertMatchesContract(SessionSchema, await body(session, '/api/auth/me'));
    const probed = await body(session, '/api/auth/session') as SessionProbe;
    assertMatchesContract(SessionProbe, probed);
    expect(probed.session?.user.username).toBe(username);
    const anonymous = await testApp.app.inject({ method: 'GET', url: '/api/auth/session' });
    expect([anonymous.statusCode, anonymous.json()]).toEqual([200, { session: null }]);
    const changed = await session.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'Contract-initial-2026', newPassword: 'Contract-final-2026' } });
    expect([changed.statusCode, changed.body]).toEqual([204, '']);
    const wrong = await session.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'not-the-password', newPassword: 'Contract-other-2026' } });
    assertMatchesContract(ErrorBody, wrong.json());
    const loggedOut = await session.request({ method: 'POST', url: '/api/auth/logout' });
    expect([loggedOut.statusCode, loggedOut.body]).toEqual([204, '']);
    const refused = await testApp.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'wrong-password' } });
    assertMatchesContract(ErrorBody, refused.json());
  });
});

describe('users and audit', () => {
  it('GET, POST and PATCH /api/admin/users', async () => {
    assertMatchesContract(AdminUserList, await body(admin, '/api/admin/users'));
    const created = await admin.request({
      method: 'POST', url: '/api/admin/users',
      payload: { username: `contract-new-${process.pid}`, displayName: '合同测试', role: 'surveyor', scopes: ['350206'], password: 'Contract-new-2026' },
    });
    expect(created.statusCode).toBe(201);
    assertMatchesContract(AdminUser, created.json());
    const patched = await admin.request({ method: 'PATCH', url: `/api/admin/users/${created.json().id}`, payload: { displayName: '合同测试（改）', scopes: ['350200'] } });
    expect(patched.statusCode).toBe(200);
    assertMatchesContract(AdminUser, patched.json());
    const taken = await admin.request({ method: 'POST', url: '/api/admin/users', payload: { username: 'admin', displayName: 'x', role: 'viewer', scopes: ['350206'], password: 'Contract-new-2026' } });
    expect(taken.statusCode).toBe(409);
    assertMatchesContract(ErrorBody, taken.json());
  });

  it('GET /api/admin/audit', async () => {
    const page = await body(admin, '/api/admin/audit?pageSize=200') as AuditPage;
    expect(new Set(page.items.map((item) => item.entity)).size).toBeGreaterThan(1);
    assertMatchesContract(AuditPage, page);
    assertMatchesContract(ErrorBody, await body(planner, '/api/admin/audit', 403));
  });
});

describe('exports', () => {
  it('POST, GET and DELETE /api/exports, GET /api/exports/{id} and its file, and their refusals', async () => {
    const created = await planner.request({ method: 'POST', url: '/api/exports', payload: { layer: 'parcels', format: 'geojson', filters: { district: '350206' } } });
    expect(created.statusCode, created.body).toBe(202);
    assertMatchesContract(ExportJob, created.json());
    const id = created.json().id as string;
    await testApp.app.exportService.settled(id);
    const done = await body(planner, `/api/exports/${id}`) as ExportJob;
    assertMatchesContract(ExportJob, done);
    expect(done.status).toBe('done');
    assertMatchesContract(ExportList, await body(planner, '/api/exports'));
    const file = await planner.get(`/api/exports/${id}/file`);
    expect([file.statusCode, file.headers['content-type']]).toEqual([200, 'application/geo+json']);
    const removed = await planner.request({ method: 'DELETE', url: `/api/exports/${id}` });
    expect(removed.statusCode).toBe(200);
    assertMatchesContract(ExportJob, removed.json());
    assertMatchesContract(ErrorBody, await body(planner, `/api/exports/${id}/file`, 410));
    assertMatchesContract(ErrorBody, await body(admin, '/api/exports/00000000-0000-4000-8000-000000000000', 404));
    const refused = await planner.request({ method: 'POST', url: '/api/exports', payload: { layer: 'parcels', format: 'geojson', filters: { district: '350203' } } });
    expect(refused.statusCode).toBe(403);
    assertMatchesContract(ErrorBody, refused.json());
    const invalid = await planner.request({ method: 'POST', url: '/api/exports', payload: { layer: 'district-figures', format: 'pdf' } });
    expect(invalid.statusCode).toBe(400);
    assertMatchesContract(ErrorBody, invalid.json());
  });
});

describe('the OpenAPI document', () => {
  it('gives a response schema for the success of every route', async () => {
    type Response = { content?: unknown };
    const document = (await testApp.app.inject({ url: '/api/docs/json' })).json() as { paths: Record<string, Record<string, { responses?: Record<string, Response> }>> };
    const routes = Object.entries(document.paths).filter(([url]) => !url.startsWith('/api/docs'));
    expect(routes.length).toBeGreaterThanOrEqual(30);
    const missing = routes.flatMap(([url, operations]) => Object.entries(operations)
      .filter(([, operation]) => !Object.entries(operation.responses ?? {}).some(([status, response]) => status === '204' || (status.startsWith('2') && response.content !== undefined)))
      .map(([method]) => `${method.toUpperCase()} ${url}`));
    expect(missing).toEqual([]);
  });
});
