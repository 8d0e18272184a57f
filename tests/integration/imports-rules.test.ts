import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportCommitted, ImportCreated, ImportFeatureCollection, ImportState, ImportsList } from '../../domain/api/imports.schemas.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { multipartBody } from '../helpers/multipart.js';
import { createTestApp, login, type Session, type TestApp, patchParcel } from '../helpers/test-app.js';

let testApp: TestApp;
let admin: Session;
/** A surveyor whose scope is 湖里区 (350206) only. */
let huliSurveyor: Session;

beforeAll(async () => {
  testApp = await createTestApp();
  admin = await login(testApp.app, 'admin');
  const username = `surveyor-huli-${Date.now() % 100000}`;
  const created = await admin.request({ method: 'POST', url: '/api/admin/users', payload: { username, displayName: '湖里区调查员', role: 'surveyor', scopes: ['350206'], password: 'First-pass-2026' } });
  expect(created.statusCode).toBe(201);
  const first = await login(testApp.app, username, 'First-pass-2026');
  expect((await first.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'First-pass-2026', newPassword: 'Huli-surveyor-2026' } })).statusCode).toBeLessThan(300);
  huliSurveyor = await login(testApp.app, username, 'Huli-surveyor-2026');
});
afterAll(async () => {
  await testApp.close();
});

/** A square of about 100 m with its south-west corner at (lon, lat), in degrees. */
function square(lon: number, lat: number): number[][][] {
  const side = 0.001;
  return [[[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]];
}

function geojson(features: { properties: Record<string, unknown>; at: [number, number] }[]): Buffer {
  return Buffer.from(JSON.stringify({
    type: 'FeatureCollection',
    features: features.map((feature) => ({ type: 'Feature', properties: feature.properties, geometry: { type: 'Polygon', coordinates: square(...feature.at) } })),
  }));
}

/** Uploads a file, waits for the reading to finish and answers the import's state. */
async function importFile(session: Session, name: string, content: Buffer, fields: Record<string, string>) {
  const body = multipartBody(fields, { name, content });
  const response = await session.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
  expect(response.statusCode).toBe(202);
  assertMatchesContract(ImportCreated, response.json());
  const id = response.json().id as string;
  await testApp.app.importService.settled(id);
  const state = await session.get(`/api/imports/${id}`);
  assertMatchesContract(ImportState, state.json());
  return state.json() as ImportState;
}

/** Points inside 湖里区 and inside 思明区 (demo city). */
const HULI: [number, number] = [118.12, 24.52];
const SIMING: [number, number] = [118.11, 24.46];
/**
 * Free land in 湖里区 (no demo parcel within 200 m), one spot per test that commits a parcel, so
 * the parcels written here overlap neither the demo city nor each other (api.test.ts checks that).
 */
const HULI_FREE_A: [number, number] = [118.15, 24.49];
const HULI_FREE_B: [number, number] = [118.152, 24.49];

describe('the import contract', () => {
  it('answers every import route with the shapes of domain/api/imports.schemas.ts', async () => {
    const state = await importFile(admin, 'contract.geojson', geojson([{ properties: { '宗地编号': `CONTRACT-${Date.now()}`, '土地使用权人': '契约测试企业' }, at: HULI_FREE_A }]), { kind: 'parcels' });
    expect(state.status).toBe('ready');
    const list = await admin.get('/api/imports');
    assertMatchesContract(ImportsList, list.json());
    const features = await admin.get(`/api/imports/${state.id}/features?pageSize=10`);
    assertMatchesContract(ImportFeatureCollection, features.json());
    expect(features.json().features[0].properties['土地使用权人']).toBe('契约测试企业');
    const answered = await admin.request({ method: 'POST', url: `/api/imports/${state.id}`, payload: { mapping: { '宗地编号': 'code', '土地使用权人': 'owner' } } });
    expect(answered.statusCode).toBe(202);
    assertMatchesContract(ImportState, answered.json());
    await testApp.app.importService.settled(state.id);
    const committed = await admin.request({ method: 'POST', url: `/api/imports/${state.id}/commit` });
    expect(committed.statusCode).toBe(200);
    assertMatchesContract(ImportCommitted, committed.json());
    expect(committed.json().result).toMatchObject({ kind: 'parcels', inserted: 1, updated: 0, skipped: 0 });
    // Imported parcels are 未认定, not 疑似低效: their status comes from the 认定 procedure (issue 16).
    const { rows: [imported] } = await sql<{ status: string }>`SELECT status FROM parcels WHERE owner = '契约测试企业'`.execute(testApp.database.db);
    expect(imported.status).toBe('unassessed');
    const other = await importFile(admin, 'cancel.geojson', geojson([{ properties: { '宗地编号': 'X' }, at: HULI }]), { kind: 'parcels' });
    const cancelled = await admin.request({ method: 'DELETE', url: `/api/imports/${other.id}` });
    expect(cancelled.statusCode).toBe(204);
    expect(cancelled.body).toBe('');
  });
});

describe('a surveyor scoped to 湖里区', () => {
  it('does not overwrite a 思明区 parcel whose 宗地编号 a feature inside 湖里区 carries: the feature is left out with a note naming the district', async () => {
    const db = testApp.database.db;
    const { rows: [siming] } = await sql<{ id: number; code: string; owner: string | null; geometry: string }>`
      SELECT id, code, owner, ST_AsText(geom) AS geometry FROM parcels WHERE district_code = '350203' ORDER BY id LIMIT 1`.execute(db);
    const state = await importFile(huliSurveyor, 'takeover.geojson', geojson([{ properties: { '宗地编号': siming.code, '土地使用权人': '湖里冒名企业' }, at: HULI }]), { kind: 'parcels' });
    expect(state.status).toBe('ready');
    const committed = await huliSurveyor.request({ method: 'POST', url: `/api/imports/${state.id}/commit` });
    expect(committed.statusCode).toBe(200);
    assertMatchesContract(ImportCommitted, committed.json());
    expect(committed.json().result).toMatchObject({ kind: 'parcels', inserted: 0, updated: 0, skipped: 1 });
    expect(committed.json().result.problems[0].message).toContain('思明区 (350203)');
    const { rows: [after] } = await sql<{ owner: string | null; district_code: string; geometry: string }>`
      SELECT owner, district_code, ST_AsText(geom) AS geometry FROM parcels WHERE id = ${siming.id}`.execute(db);
    expect(after).toEqual({ owner: siming.owner, district_code: '350203', geometry: siming.geometry });
  });

  it('cannot commit a survey layer of 图斑 in 思明区: asked to decide (409 naming 思明区 features outside 湖里区), and nothing to write once they are skipped; the city’s layer of that year stays current', async () => {
    const year = '2011';
    const city = await importFile(admin, 'city-2011.geojson', geojson([
      { properties: { BSM: 'C1', DLBM: '0601', DLMC: '工业用地', TBMJ: 11300 }, at: HULI },
      { properties: { BSM: 'C2', DLBM: '0601', DLMC: '工业用地', TBMJ: 11300 }, at: SIMING },
    ]), { kind: 'survey', year });
    const cityCommit = await admin.request({ method: 'POST', url: `/api/imports/${city.id}/commit` });
    expect(cityCommit.statusCode).toBe(200);
    const cityLayer = cityCommit.json().result.layerId as number;

    const siming = await importFile(huliSurveyor, 'siming-2011.geojson', geojson([0, 1, 2].map((index) => ({
      properties: { BSM: `S${index}`, DLBM: '0601', DLMC: '工业用地', TBMJ: 11300 }, at: [SIMING[0] + index * 0.002, SIMING[1]] as [number, number],
    }))), { kind: 'survey', year });
    expect(siming.status).toBe('ready');
    expect(siming.report.extent).toMatchObject({ scope: '湖里区', outside: 3, partly: 0, outsideCity: 0 });
    expect(siming.report.extent!.features.map((feature) => feature.district)).toEqual(['思明区', '思明区', '思明区']);
    const refused = await huliSurveyor.request({ method: 'POST', url: `/api/imports/${siming.id}/commit` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'outside_decision_required', parameter: 'outside' });
    expect(refused.json().message).toContain('湖里区');
    const skipped = await huliSurveyor.request({ method: 'POST', url: `/api/imports/${siming.id}/commit`, payload: { outside: 'skip' } });
    expect(skipped.statusCode).toBe(400);
    expect(skipped.json().error).toBe('nothing_to_commit');

    const huli = await importFile(huliSurveyor, 'huli-2011.geojson', geojson([{ properties: { BSM: 'H1', DLBM: '0601', DLMC: '工业用地', TBMJ: 11300 }, at: HULI }]), { kind: 'survey', year });
    const replacing = await huliSurveyor.request({ method: 'POST', url: `/api/imports/${huli.id}/commit` });
    expect(replacing.statusCode).toBe(403);
    expect(replacing.json().error).toBe('out_of_scope');
    expect(replacing.json().message).toContain('全市');

    const { rows } = await sql<{ id: number }>`
      SELECT id FROM survey_layers WHERE year = 2011 AND committed AND superseded_at IS NULL`.execute(testApp.database.db);
    expect(rows.map((row) => Number(row.id))).toEqual([Number(cityLayer)]);
    expect((await huliSurveyor.get(`/api/imports/${huli.id}`)).json().status).toBe('ready');
  });

  it('cannot set 低效类型 by import any more than by an edit: 403 forbidden_fields with the PATCH message, and commits once the field is not imported', async () => {
    const { rows: [parcel] } = await sql<{ id: number }>`SELECT id FROM parcels WHERE district_code = '350206' ORDER BY id LIMIT 1`.execute(testApp.database.db);
    const edit = await patchParcel(huliSurveyor, parcel.id, { inefficiencyType: 'idle' });
    expect(edit.statusCode).toBe(403);
    expect(edit.json().error).toBe('forbidden_fields');

    const code = `HULI-TYPE-${Date.now()}`;
    const state = await importFile(huliSurveyor, 'types.geojson', geojson([{ properties: { '宗地编号': code, '土地使用权人': '湖里企业', '低效类型': '闲置低效' }, at: HULI_FREE_B }]), { kind: 'parcels' });
    expect(state.layers[0].mapping).toMatchObject({ '低效类型': 'inefficiencyType' });
    const refused = await huliSurveyor.request({ method: 'POST', url: `/api/imports/${state.id}/commit` });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'forbidden_fields', fields: ['inefficiencyType'] });
    expect(refused.json().message.startsWith(edit.json().message)).toBe(true);
    expect((await sql<{ count: number }>`SELECT count(*)::int AS count FROM parcels WHERE code = ${code}`.execute(testApp.database.db)).rows[0].count).toBe(0);

    await huliSurveyor.request({ method: 'POST', url: `/api/imports/${state.id}`, payload: { mapping: { '宗地编号': 'code', '土地使用权人': 'owner', '低效类型': null } } });
    await testApp.app.importService.settled(state.id);
    const committed = await huliSurveyor.request({ method: 'POST', url: `/api/imports/${state.id}/commit` });
    expect(committed.statusCode).toBe(200);
    expect(committed.json().result).toMatchObject({ inserted: 1, skipped: 0 });
    const { rows: [written] } = await sql<{ owner: string; inefficiency_type: string | null; district_code: string }>`
      SELECT owner, inefficiency_type, district_code FROM parcels WHERE code = ${code}`.execute(testApp.database.db);
    expect(written).toEqual({ owner: '湖里企业', inefficiency_type: null, district_code: '350206' });
  });
});
