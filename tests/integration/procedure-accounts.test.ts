import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PROCEDURE_USERS } from '../../server/auth/bootstrap-users.js';
import { accounts } from '../helpers/accounts.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/** The demo accounts of the 认定 procedure (issue 16 item 4), their units, departments and parcels. */
let testApp: TestApp;
let admin: Session;

beforeAll(async () => {
  testApp = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '600' });
  admin = await login(testApp.app, 'admin');
}, 120_000);
afterAll(async () => {
  await testApp.close();
});

describe('demo accounts of the procedure', () => {
  it('each logs in with the demo password and has its role, 湖里区 scope, unit and department', async () => {
    for (const user of DEMO_PROCEDURE_USERS) {
      const me = (await (await login(testApp.app, user.username)).get('/api/auth/me')).json().user;
      expect(me).toMatchObject({ role: user.role, department: user.department ?? null });
      expect(me.scopes.map((scope: { name: string }) => scope.name).join()).toContain('湖里区');
      if (user.unit) expect(me.units).toHaveLength(1);
      else expect(me.units).toEqual([]);
    }
  });

  it('yuanqu is a 湖里区 园区, jiedao a 湖里区 街道 holding 园区外 parcels, qiye owns parcels of yuanqu\'s 园区', async () => {
    const unitOf = async (username: string) => (await (await login(testApp.app, username)).get('/api/auth/me')).json().user.units[0] as string;
    const park = await unitOf(accounts.parkOffice);
    const street = await unitOf(accounts.streetOffice);
    const { rows: kinds } = await sql<{ code: string; kind: string; district_code: string }>`
      SELECT code, kind, district_code FROM subdistricts WHERE code IN (${park}, ${street}) ORDER BY code`.execute(testApp.database.db);
    expect(kinds).toEqual([{ code: street, kind: 'street', district_code: '350206' }, { code: park, kind: 'park', district_code: '350206' }].sort((a, b) => a.code.localeCompare(b.code)));
    const enterprise = (await admin.get('/api/admin/users')).json().items.find((user: { username: string }) => user.username === accounts.enterprise);
    expect(enterprise.parcels.length).toBeGreaterThanOrEqual(2);
    const { rows } = await sql<{ park_code: string }>`SELECT park_code FROM parcels WHERE id = ANY(${enterprise.parcels.map((parcel: { id: number }) => parcel.id)}::bigint[])`.execute(testApp.database.db);
    expect(new Set(rows.map((row) => row.park_code))).toEqual(new Set([park]));
  });

  it('the enterprise reads no data route (403 naming 浏览数据)', async () => {
    const qiye = await login(testApp.app, accounts.enterprise);
    const response = await qiye.get('/api/parcels?pageSize=5');
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: 'forbidden', action: 'data:read' });
    expect(response.json().message).toContain('用地单位');
  });
});

describe('the principal follows account changes at once (session cache cleared by NOTIFY)', () => {
  it('a parcel linked to or removed from an enterprise changes its principal without a new login', async () => {
    const username = `qiye-cache-${process.pid}`;
    const { rows: parcels } = await sql<{ id: string }>`SELECT id FROM parcels WHERE district_code = '350206' ORDER BY id DESC LIMIT 2`.execute(testApp.database.db);
    const [first, second] = parcels.map((row) => Number(row.id));
    const created = await admin.request({ method: 'POST', url: '/api/admin/users', payload: { username, displayName: '缓存测试企业', role: 'enterprise', scopes: ['350206'], parcelIds: [first], password: 'Cache-initial-2026' } });
    expect(created.statusCode, created.body).toBe(201);
    const session = await login(testApp.app, username, 'Cache-initial-2026');
    const principalOf = async () => {
      const me = await session.get('/api/auth/me');
      expect(me.statusCode).toBe(200);
      return testApp.app.usersRepository.principal(me.json().user.id);
    };
    expect((await principalOf())!.enterpriseParcelIds).toEqual([first]);
    const changed = await admin.request({ method: 'PATCH', url: `/api/admin/users/${created.json().id}`, payload: { parcelIds: [first, second] } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().parcels.map((parcel: { id: number }) => parcel.id).sort()).toEqual([first, second].sort());
    // The same session, still valid, sees the new link.
    expect((await session.get('/api/auth/me')).statusCode).toBe(200);
    const { rows: history } = await sql<{ action: string; actor: string; after: { parcel_id: number } }>`
      SELECT action, actor, after FROM history WHERE entity = 'enterprise_parcels' AND entity_id = ${String(created.json().id)} ORDER BY id`.execute(testApp.database.db);
    expect(history.map((entry) => [entry.action, entry.actor, Number(entry.after.parcel_id)])).toEqual([['insert', 'admin', first], ['insert', 'admin', second]]);
  });
});
