import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaleVersionBody } from '../../domain/api/parcels.schemas.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { multipartBody } from '../helpers/multipart.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * Issue 15 item 6, no lost updates: every write of a parcel states the version it started from;
 * a write without one is refused (428), a stale one gets 409 with both versions and the fields that
 * differ; of two concurrent writes from the same version exactly one wins, and history holds it.
 */
let testApp: TestApp;
let admin: Session;
let surveyor: Session;
/** Parcels of 集美区 (350211) no other test file edits: offsets 300 and up. */
const parcels: number[] = [];

beforeAll(async () => {
  testApp = await createTestApp();
  admin = await login(testApp.app, 'admin');
  surveyor = await login(testApp.app, 'surveyor');
  const { rows } = await sql<{ id: string }>`
    SELECT id::text FROM parcels WHERE district_code = '350211' ORDER BY id OFFSET 300 LIMIT 6`.execute(testApp.database.db);
  parcels.push(...rows.map((row) => Number(row.id)));
});
afterAll(async () => {
  await testApp.close();
});

async function current(id: number): Promise<{ version: number; owner: string | null; floorAreaRatio: number | null }> {
  const response = await admin.get(`/api/parcels/${id}`);
  expect(response.statusCode).toBe(200);
  expect(response.headers.etag).toBe(`"${response.json().version}"`);
  return response.json();
}

async function updatesOf(id: number): Promise<{ actor: string; version: number; owner: string | null }[]> {
  const { rows } = await sql<{ actor: string; version: number; owner: string | null }>`
    SELECT actor, (after ->> 'version')::int AS version, after ->> 'owner' AS owner
    FROM history WHERE entity = 'parcels' AND entity_id = ${String(id)} AND action = 'update' ORDER BY id`.execute(testApp.database.db);
  return rows;
}

describe('a parcel write states the version it started from (issue 15, item 6)', () => {
  it('refuses a PATCH without a version with 428 naming expectedVersion, and writes nothing', async () => {
    const id = parcels[0];
    const before = await current(id);
    const historyBefore = (await updatesOf(id)).length;
    const responses = await Promise.all(Array.from({ length: 20 }, (_, index) =>
      admin.request({ method: 'PATCH', url: `/api/parcels/${id}`, payload: { owner: `无版本写入 ${index}` } })));
    // Each is refused: 428 for the missing version, or 429 where the per-user limit of heavy
    // writes turned it away first (server/request-limits.ts); none is written.
    const refusals = responses.filter((response) => response.statusCode === 428);
    expect(responses.filter((response) => response.statusCode !== 428).map((response) => response.statusCode).every((status) => status === 429)).toBe(true);
    expect(refusals.length).toBeGreaterThan(0);
    for (const response of refusals) {
      expect(response.json()).toMatchObject({ error: 'version_required', parameter: 'expectedVersion' });
      expect(response.json().message).toContain('If-Match');
    }
    expect(await current(id)).toMatchObject({ version: before.version, owner: before.owner });
    expect((await updatesOf(id)).length).toBe(historyBefore);
  });

  it('of two concurrent PATCHes from the same version exactly one wins; the other gets 409 with both versions and the fields', async () => {
    const id = parcels[1];
    const start = await current(id);
    const [first, second] = await Promise.all([
      admin.request({ method: 'PATCH', url: `/api/parcels/${id}`, payload: { owner: '并发写入甲', floorAreaRatio: 1.5, expectedVersion: start.version } }),
      surveyor.request({ method: 'PATCH', url: `/api/parcels/${id}`, payload: { owner: '并发写入乙', expectedVersion: start.version } }),
    ]);
    const statuses = [first.statusCode, second.statusCode].sort();
    expect(statuses).toEqual([200, 409]);
    const [winner, loser] = first.statusCode === 200 ? [first, second] : [second, first];
    const winnerOwner = winner === first ? '并发写入甲' : '并发写入乙';
    const loserOwner = winner === first ? '并发写入乙' : '并发写入甲';
    expect(winner.json()).toMatchObject({ version: start.version + 1, owner: winnerOwner });
    const refusal = loser.json() as StaleVersionBody;
    assertMatchesContract(StaleVersionBody, refusal);
    expect(refusal).toMatchObject({ error: 'stale_version', parameter: 'expectedVersion' });
    expect(refusal.conflicts).toHaveLength(1);
    const [conflict] = refusal.conflicts;
    expect(conflict).toMatchObject({ id, yourVersion: start.version, currentVersion: start.version + 1, updatedBy: winner === first ? 'admin' : 'surveyor' });
    expect(conflict.fields).toContainEqual({ key: 'owner', base: start.owner, theirs: winnerOwner, yours: loserOwner });
    expect(refusal.message).toContain(`第 ${start.version + 1} 版`);

    // History holds the truth: one update, the winner's, at the new version.
    const updates = (await updatesOf(id)).filter((entry) => entry.version > start.version);
    expect(updates).toEqual([{ actor: winner === first ? 'admin' : 'surveyor', version: start.version + 1, owner: winnerOwner }]);
    expect(await current(id)).toMatchObject({ version: start.version + 1, owner: winnerOwner });
  });

  it('of 20 concurrent PATCHes from the same version exactly one wins', async () => {
    const id = parcels[2];
    const start = await current(id);
    const responses = await Promise.all(Array.from({ length: 20 }, (_, index) =>
      admin.request({ method: 'PATCH', url: `/api/parcels/${id}`, payload: { owner: `并发 ${index}`, expectedVersion: start.version } })));
    const won = responses.filter((response) => response.statusCode === 200);
    expect(won).toHaveLength(1);
    // The others are stale (409), or turned away by the per-user limit of heavy writes (429).
    const stale = responses.filter((response) => response.statusCode === 409);
    expect(stale.length + responses.filter((response) => response.statusCode === 429).length).toBe(19);
    expect(stale.length).toBeGreaterThan(0);
    const after = await current(id);
    expect(after).toMatchObject({ version: start.version + 1, owner: won[0].json().owner });
    expect((await updatesOf(id)).filter((entry) => entry.version > start.version)).toHaveLength(1);
  });

  it('takes the version as If-Match too, and refuses a stale one', async () => {
    const id = parcels[3];
    const start = await current(id);
    const fresh = await admin.request({ method: 'PATCH', url: `/api/parcels/${id}`, headers: { 'if-match': `"${start.version}"` }, payload: { owner: 'If-Match 写入' } });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers.etag).toBe(`"${start.version + 1}"`);
    const stale = await admin.request({ method: 'PATCH', url: `/api/parcels/${id}`, headers: { 'if-match': `"${start.version}"` }, payload: { owner: '过期的 If-Match' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().conflicts[0]).toMatchObject({ yourVersion: start.version, currentVersion: start.version + 1 });
    const garbled = await admin.request({ method: 'PATCH', url: `/api/parcels/${id}`, headers: { 'if-match': 'W/"abc"' }, payload: { owner: 'x' } });
    expect(garbled.statusCode).toBe(400);
    expect(garbled.json().parameter).toContain('if-match');
    for (const version of [0, -1, 1.5, 2_147_483_648]) {
      const refused = await admin.request({ method: 'PATCH', url: `/api/parcels/${id}`, payload: { owner: 'x', expectedVersion: version } });
      expect(refused.statusCode, String(version)).toBe(400);
      expect(refused.json().parameter).toBe('expectedVersion');
    }
    expect((await current(id)).owner).toBe('If-Match 写入');
  });

  it('keeps the version, and writes no history, for a PATCH that changes nothing', async () => {
    const id = parcels[4];
    const start = await current(id);
    const historyBefore = (await updatesOf(id)).length;
    const same = await admin.request({ method: 'PATCH', url: `/api/parcels/${id}`, payload: { owner: start.owner, expectedVersion: start.version } });
    expect(same.statusCode).toBe(200);
    expect(same.json().version).toBe(start.version);
    expect((await updatesOf(id)).length).toBe(historyBefore);
  });
});

describe('an import states the parcels it started from by its validation (issue 15, item 6)', () => {
  /** Free land of 湖里区 (no demo parcel within 200 m; imports-rules.test.ts uses 118.150 and 118.152). */
  const FREE: [number, number] = [118.156, 24.49];

  function file(code: string, owner: string): Buffer {
    const [lon, lat] = FREE;
    const ring = [[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001], [lon, lat + 0.001], [lon, lat]];
    return Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { '宗地编号': code, '土地使用权人': owner }, geometry: { type: 'Polygon', coordinates: [ring] } }] }));
  }

  async function upload(code: string, owner: string): Promise<string> {
    const body = multipartBody({ kind: 'parcels' }, { name: 'versions.geojson', content: file(code, owner) });
    const response = await surveyor.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
    expect(response.statusCode).toBe(202);
    const id = response.json().id as string;
    await testApp.app.importService.settled(id);
    expect((await surveyor.get(`/api/imports/${id}`)).json().status).toBe('ready');
    return id;
  }

  it('refuses the commit with 409 when a matched parcel was edited after the validation, then commits once seen', async () => {
    const code = `VERSIONS-${Date.now()}`;
    const first = await upload(code, '导入甲');
    expect((await surveyor.request({ method: 'POST', url: `/api/imports/${first}/commit` })).statusCode).toBe(200);
    const { rows: [parcel] } = await sql<{ id: string }>`SELECT id::text FROM parcels WHERE code = ${code}`.execute(testApp.database.db);
    const id = Number(parcel.id);

    const second = await upload(code, '导入乙');
    const edited = await admin.request({ method: 'PATCH', url: `/api/parcels/${id}`, payload: { owner: '校验后手工修改', expectedVersion: (await current(id)).version } });
    expect(edited.statusCode).toBe(200);

    const refused = await surveyor.request({ method: 'POST', url: `/api/imports/${second}/commit` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'stale_version', parameter: 'import' });
    expect(refused.json().message).toContain('再次提交');
    expect(refused.json().conflicts[0]).toMatchObject({ id, code, currentVersion: edited.json().version, yourVersion: edited.json().version - 1 });
    expect(refused.json().conflicts[0].fields).toContainEqual({ key: 'owner', base: '导入甲', theirs: '校验后手工修改' });
    expect((await current(id)).owner).toBe('校验后手工修改');
    expect((await surveyor.get(`/api/imports/${second}`)).json().status).toBe('ready');

    const committed = await surveyor.request({ method: 'POST', url: `/api/imports/${second}/commit` });
    expect(committed.statusCode, committed.body.slice(0, 300)).toBe(200);
    expect(committed.json().result).toMatchObject({ updated: 1 });
    expect((await current(id)).owner).toBe('导入乙');
  });
});
