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

describe('the users API checks each account\'s combination (400 naming the field)', () => {
  let park = '';
  let street = '';
  let huliParcel = 0;
  let simingParcel = 0;
  beforeAll(async () => {
    const units = (await admin.get('/api/subdistricts')).json().items as { code: string; kind: string; districtCode: string }[];
    park = units.find((unit) => unit.kind === 'park' && unit.districtCode === '350206')!.code;
    street = units.find((unit) => unit.kind === 'street' && unit.districtCode === '350206')!.code;
    const pick = async (district: string) => Number((await sql<{ id: string }>`SELECT id FROM parcels WHERE district_code = ${district} ORDER BY id LIMIT 1`.execute(testApp.database.db)).rows[0].id);
    huliParcel = await pick('350206');
    simingParcel = await pick('350203');
  });

  let serial = 0;
  const create = (fields: Record<string, unknown>) => admin.request({
    method: 'POST', url: '/api/admin/users',
    payload: { username: `shape-${process.pid}-${++serial}`, displayName: '组合检查', password: 'Shape-initial-2026', ...fields },
  });

  it.each([
    ['a 园区办 scoped to a 街道', () => ({ role: 'park_office', scopes: [street] }), 'scopes', '园区'],
    ['a 园区办 scoped to a district', () => ({ role: 'park_office', scopes: ['350206'] }), 'scopes', '园区'],
    ['a 街道办 scoped to a 园区', () => ({ role: 'street_office', scopes: [park] }), 'scopes', '街道或镇'],
    ['an unknown 园区 code', () => ({ role: 'viewer', scopes: ['350206999'] }), 'scopes', '350206999'],
    ['a 会审部门 without a department', () => ({ role: 'department', scopes: ['350206'] }), 'department', '所属部门'],
    ['a department on a viewer', () => ({ role: 'viewer', scopes: ['350206'], department: 'fagai' }), 'department', '只有会审部门'],
    ['an enterprise without parcels', () => ({ role: 'enterprise', scopes: ['350206'] }), 'parcelIds', '关联至少一宗'],
    ['an enterprise with a parcel outside its districts', () => ({ role: 'enterprise', scopes: ['350206'], parcelIds: [simingParcel] }), 'parcelIds', '不在该账号的管辖范围'],
    ['an enterprise with a parcel that does not exist', () => ({ role: 'enterprise', scopes: ['350206'], parcelIds: [999_999_999] }), 'parcelIds', '999999999'],
    ['parcels on a viewer', () => ({ role: 'viewer', scopes: ['350206'], parcelIds: [huliParcel] }), 'parcelIds', '只有用地单位'],
  ] as const)('refuses %s', async (_, fields, parameter, text) => {
    const response = await create(fields());
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_parameter', parameter });
    expect(response.json().message).toContain(text);
  });

  it('accepts each role with what it needs, and a new role drops a department it no longer has', async () => {
    for (const fields of [
      { role: 'park_office', scopes: [park] }, { role: 'street_office', scopes: [street] }, { role: 'viewer', scopes: [park] },
      { role: 'department', scopes: ['350206'], department: 'keji' }, { role: 'enterprise', scopes: ['350206'], parcelIds: [huliParcel] },
      { role: 'resources', scopes: ['350206'] }, { role: 'government', scopes: ['350206'] },
    ]) {
      const response = await create(fields);
      expect(response.statusCode, response.body).toBe(201);
    }
    const department = await create({ role: 'department', scopes: ['350206'], department: 'shengtai' });
    const changed = await admin.request({ method: 'PATCH', url: `/api/admin/users/${department.json().id}`, payload: { role: 'viewer' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ role: 'viewer', department: null });
    const toPark = await admin.request({ method: 'PATCH', url: `/api/admin/users/${department.json().id}`, payload: { role: 'park_office' } });
    expect(toPark.statusCode).toBe(400);
    expect(toPark.json()).toMatchObject({ parameter: 'scopes' });
  });

  it('keeps every account, scope and link change in the audit log: who, when, before, after', async () => {
    const created = await create({ role: 'park_office', scopes: [park] });
    const id = String(created.json().id);
    const moved = await admin.request({ method: 'PATCH', url: `/api/admin/users/${id}`, payload: { role: 'street_office', scopes: [street] } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().scopes.map((scope: { code: string }) => scope.code)).toEqual([street]);
    const { rows } = await sql<{ entity: string; action: string; actor: string; at: Date; before: Record<string, unknown> | null; after: Record<string, unknown> | null }>`
      SELECT entity, action, actor, at, before, after FROM history WHERE entity IN ('users', 'user_units', 'user_scopes') AND entity_id = ${id} ORDER BY id`.execute(testApp.database.db);
    expect(rows.map((row) => [row.entity, row.action, row.actor])).toEqual([
      ['users', 'insert', 'admin'], ['user_units', 'insert', 'admin'],
      ['users', 'update', 'admin'], ['user_units', 'delete', 'admin'], ['user_units', 'insert', 'admin'],
    ]);
    expect(rows[2]).toMatchObject({ before: { role: 'park_office' }, after: { role: 'street_office' } });
    expect(rows[3].before).toMatchObject({ subdistrict_code: park });
    expect(rows[4].after).toMatchObject({ subdistrict_code: street });
    for (const row of rows) expect(row.at).toBeInstanceOf(Date);
    const audit = await admin.get('/api/admin/audit?entity=user_units');
    expect(audit.statusCode).toBe(200);
  });
});
