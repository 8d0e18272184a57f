import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage } from '../../domain/api/audit.schemas.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { createTestApp, login, type Session, type TestApp, patchParcel } from '../helpers/test-app.js';

/**
 * Issue 13, item 5: the audit log names people and things as its readers do (the actor's 姓名, the
 * 宗地编号 of a parcel, the 姓名 of an account whose scopes changed) and finds a parcel's changes by
 * its 宗地编号, also after the parcel was renumbered or deleted.
 */
let testApp: TestApp;
let admin: Session;

beforeAll(async () => {
  testApp = await createTestApp();
  admin = await login(testApp.app, 'admin');
});
afterAll(async () => {
  await testApp?.close();
});

async function audit(query: string): Promise<AuditPage> {
  const response = await admin.get(`/api/admin/audit?${query}`);
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  const page = response.json() as AuditPage;
  assertMatchesContract(AuditPage, page);
  return page;
}

describe('the audit log in words (issue 13, item 5)', () => {
  it('finds the changes of a parcel by its 宗地编号, with the actor’s name', async () => {
    const { rows: [parcel] } = await sql<{ id: string; code: string; updated_at: Date }>`
      SELECT id::text, code, updated_at FROM parcels WHERE district_code = '350206' ORDER BY id LIMIT 1`.execute(testApp.database.db);
    const other = await sql<{ code: string }>`SELECT code FROM parcels WHERE district_code = '350206' ORDER BY id OFFSET 1 LIMIT 1`.execute(testApp.database.db);
    const { rows: [{ grade: now }] } = await sql<{ grade: string | null }>`SELECT evaluation_grade AS grade FROM parcels WHERE id = ${parcel.id}`.execute(testApp.database.db);
    // Two real changes: an edit that sets the value a parcel has is no change, and leaves no trace.
    const grades = ['D', 'C', 'B'].filter((candidate) => candidate !== now).slice(0, 2);
    for (const grade of grades) {
      const patched = await patchParcel(admin, parcel.id, { evaluationGrade: grade });
      expect(patched.statusCode, patched.body.slice(0, 300)).toBe(200);
    }
    const page = await audit(`parcelCode=${encodeURIComponent(parcel.code)}&action=update`);
    expect(page.total).toBeGreaterThanOrEqual(2);
    for (const item of page.items) {
      expect(item).toMatchObject({ entity: 'parcels', entityId: parcel.id, subject: parcel.code });
    }
    const mine = page.items.filter((item) => item.actor === 'admin');
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine[0].actorName).toBe('系统管理员');
    expect((mine[0].after as Record<string, unknown>).evaluation_grade).toBe(grades[1]);

    // Another parcel's code finds nothing of this one; an unknown code finds nothing at all.
    const others = await audit(`parcelCode=${encodeURIComponent(other.rows[0].code)}`);
    expect(others.items.every((item) => item.entityId !== parcel.id)).toBe(true);
    expect((await audit('parcelCode=NO-SUCH-CODE-13')).total).toBe(0);
    // Surrounding spaces are not part of a code.
    expect((await audit(`parcelCode=${encodeURIComponent(` ${parcel.code} `)}&action=update`)).total).toBe(page.total);
  });

  it('finds a deleted parcel by the code the log kept', async () => {
    const code = `AUDIT-13-${process.pid}`;
    const { rows: [created] } = await sql<{ id: string }>`
      INSERT INTO parcels (code, district_code, status, geom, updated_by)
      SELECT ${code}, district_code, 'efficient', geom, 'admin' FROM parcels WHERE district_code = '350206' ORDER BY id DESC LIMIT 1
      RETURNING id::text`.execute(testApp.database.db);
    await sql`DELETE FROM parcels WHERE id = ${created.id}::bigint`.execute(testApp.database.db);
    const page = await audit(`parcelCode=${code}`);
    expect(page.items.map((item) => item.action).sort()).toEqual(['delete', 'insert']);
    expect(page.items.every((item) => item.subject === code && item.entityId === created.id)).toBe(true);
  });

  it('names the account of a scope change and of a login, not its number', async () => {
    const username = `audit13-${process.pid}`;
    const created = await admin.request({
      method: 'POST', url: '/api/admin/users',
      payload: { username, displayName: '审计测试员', role: 'viewer', scopes: ['350206'], password: 'Audit-thirteen-2026' },
    });
    expect(created.statusCode).toBe(201);
    const id = String(created.json().id);
    const scopes = await audit(`entity=user_scopes&entityId=${id}`);
    expect(scopes.total).toBe(1);
    expect(scopes.items[0]).toMatchObject({ subject: '审计测试员', actor: 'admin', actorName: '系统管理员' });
    await login(testApp.app, username, 'Audit-thirteen-2026');
    const logins = await audit(`entity=auth&entityId=${id}&action=login`);
    expect(logins.items[0]).toMatchObject({ subject: '审计测试员', actor: username, actorName: '审计测试员' });
    const users = await audit(`entity=users&entityId=${id}`);
    expect(users.items[0].subject).toBe('审计测试员');
  });

  it('refuses an empty or overlong 宗地编号 naming the field', async () => {
    for (const value of ['', 'x'.repeat(65), '%00', 'A%00B']) {
      const response = await admin.get(`/api/admin/audit?parcelCode=${value}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().parameter ?? response.body).toMatch(/parcelCode/);
    }
  });
});
