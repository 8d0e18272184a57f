import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashToken } from '../../server/auth/users.repository.js';
import { createTestApp, login, passwordOf, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * Issue 12, item 5: accounts hold under bursts. Every attempt names its own client address
 * (inject's remoteAddress), so the locks made here touch no other test's logins (127.0.0.1).
 */
// Longer than a burst of 20 argon2 checks takes on a loaded machine, short enough to wait out.
const LOCK_SECONDS = 15;
let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp({ LOGIN_LOCK_MINUTES: String(LOCK_SECONDS / 60), LOGIN_RATE_LIMIT_PER_MINUTE: '200' });
});
afterAll(async () => {
  await testApp.close();
});

function attempt(username: string, password: string, address: string) {
  return testApp.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: address });
}

async function failuresOf(username: string, address: string): Promise<number | undefined> {
  const { rows } = await sql<{ failures: number }>`
    SELECT failures FROM login_failures WHERE username = ${username} AND address = ${address}`.execute(testApp.database.db);
  return rows[0]?.failures;
}

const count = (statuses: number[], status: number) => statuses.filter((candidate) => candidate === status).length;

describe('a burst of wrong passwords', () => {
  it('is counted exactly, and the lock refuses even the right password until it expires', async () => {
    const address = '198.51.100.20';
    const burst = await Promise.all(Array.from({ length: 20 }, () => attempt('planner', 'wrong-password-1', address)));
    const statuses = burst.map((response) => response.statusCode);
    // Failures 1–4 answer 401; the 5th locks; every later one (checked or refused at once) 423.
    expect(count(statuses, 401)).toBe(4);
    expect(count(statuses, 423)).toBe(16);
    // Every wrong password that was checked is counted, and recorded, exactly once; one locked.
    const { rows: [audit] } = await sql<{ checked: number; locked: number }>`
      SELECT count(*)::int AS checked, count(*) FILTER (WHERE action = 'locked')::int AS locked
      FROM history WHERE entity = 'auth' AND actor = 'planner' AND after ->> 'ip' = ${address}`.execute(testApp.database.db);
    expect(audit.locked).toBe(1);
    expect(await failuresOf('planner', address)).toBe(audit.checked);
    expect(audit.checked).toBeGreaterThanOrEqual(5);

    const right = await attempt('planner', passwordOf('planner'), address);
    expect(right.statusCode).toBe(423);
    expect(right.json()).toMatchObject({ error: 'account_locked' });
    expect(right.json().message).toContain('分钟后再试');
    const retryAfter = right.json().retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(LOCK_SECONDS);

    await sleep(retryAfter * 1000 + 200);
    const after = await attempt('planner', passwordOf('planner'), address);
    expect(after.statusCode).toBe(200);
    expect(await failuresOf('planner', address)).toBeUndefined();
  });
});

describe('a lock', () => {
  it('holds for the account from the address that failed, not from any other: 5 requests cannot lock admin out', async () => {
    const attacker = '198.51.100.30';
    const statuses: number[] = [];
    for (let index = 0; index < 5; index++) statuses.push((await attempt('admin', 'wrong-password-1', attacker)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    expect((await attempt('admin', passwordOf('admin'), attacker)).statusCode).toBe(423);
    const office = await attempt('admin', passwordOf('admin'), '198.51.100.31');
    expect(office.statusCode).toBe(200);
    // The administrator sees the lock in the user list and can clear it for every address.
    const admin = await login(testApp.app, 'admin');
    const adminId = (await admin.get('/api/auth/me')).json().user.id as number;
    const listed = (await admin.get('/api/admin/users')).json().items.find((user: { id: number }) => user.id === adminId);
    expect(Date.parse(listed.lockedUntil)).toBeGreaterThan(Date.now());
    const unlocked = await admin.request({ method: 'PATCH', url: `/api/admin/users/${adminId}`, payload: { unlock: true } });
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json().lockedUntil).toBeNull();
    expect((await attempt('admin', passwordOf('admin'), attacker)).statusCode).toBe(200);
  });
});

describe('the current password of a password change', () => {
  it('counts against the same lock as logins: guessing it through a session locks, and the lock refuses the right one', async () => {
    const address = '198.51.100.50';
    const session = await login(testApp.app, 'official');
    const change = (currentPassword: string) => session.request({
      method: 'POST', url: '/api/auth/password', remoteAddress: address, payload: { currentPassword, newPassword: 'Another-Strong-2026-pass' },
    });
    const statuses: number[] = [];
    for (let index = 0; index < 5; index++) statuses.push((await change(`guess-${index}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    const right = await change(passwordOf('official'));
    expect(right.statusCode).toBe(423);
    expect(right.json()).toMatchObject({ error: 'account_locked' });
    // The same lock holds for a login of the name from that address, not from another one.
    expect((await attempt('official', passwordOf('official'), address)).statusCode).toBe(423);
    expect((await attempt('official', passwordOf('official'), '198.51.100.51')).statusCode).toBe(200);
    const { rows: [audit] } = await sql<{ failed: number; locked: number }>`
      SELECT count(*) FILTER (WHERE action = 'login_failed' AND after ->> 'reason' = 'wrong_current_password')::int AS failed,
             count(*) FILTER (WHERE action = 'locked')::int AS locked
      FROM history WHERE entity = 'auth' AND actor = 'official' AND after ->> 'ip' = ${address}`.execute(testApp.database.db);
    expect(audit).toEqual({ failed: 4, locked: 1 });
    // Nothing changed: the password is still the old one.
    expect((await attempt('official', passwordOf('official'), '198.51.100.52')).statusCode).toBe(200);
  });
});

describe('unknown and known names', () => {
  it('get the same answers, wrong password and lock alike', async () => {
    const address = '198.51.100.40';
    const answers = async (username: string) => {
      const bodies: { status: number; body: Record<string, unknown> }[] = [];
      for (let index = 0; index < 6; index++) {
        const response = await attempt(username, 'wrong-password-1', address);
        const { retryAfterSeconds, ...body } = response.json();
        expect(retryAfterSeconds === undefined || (retryAfterSeconds > 0 && retryAfterSeconds <= LOCK_SECONDS)).toBe(true);
        bodies.push({ status: response.statusCode, body });
      }
      return bodies;
    };
    const known = await answers('surveyor');
    const unknown = await answers('nobody-at-all');
    expect(known.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 423, 423]);
    expect(unknown).toEqual(known);
  });

  it('take about as long to refuse (the unknown name costs a password hash too)', async () => {
    const timed = async (username: string, index: number) => {
      const started = performance.now();
      const response = await attempt(username, 'wrong-password-1', `198.51.100.${100 + index}`);
      expect(response.statusCode).toBe(401);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, each from a fresh address (no lock answers early), so load hits both alike.
    for (let index = 0; index < 8; index++) {
      known.push(await timed('viewer', index));
      unknown.push(await timed(`nobody-${index}`, index));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
    const ratio = median(unknown) / median(known);
    expect(ratio, `unknown ${median(unknown).toFixed(1)} ms, known ${median(known).toFixed(1)} ms`).toBeGreaterThan(0.4);
    expect(ratio).toBeLessThan(2.5);
  });
});

describe('a session ended in the database', () => {
  let owner: pg.Client;
  beforeAll(async () => {
    owner = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
  });

  /** Polls until the session is refused; the session cache would otherwise keep it for 30 s. */
  async function refusedWithin(session: Session, milliseconds: number): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < milliseconds) {
      if ((await session.get('/api/auth/me')).statusCode === 401) return Date.now() - started;
      await sleep(20);
    }
    throw new Error(`session still served ${milliseconds} ms after it ended in the database`);
  }

  async function cachedSession(): Promise<{ session: Session; tokenHash: string }> {
    const session = await login(testApp.app, 'viewer');
    // Resolved once, so the next requests are answered from the session cache.
    expect((await session.get('/api/auth/me')).statusCode).toBe(200);
    expect((await session.get('/api/districts')).statusCode).toBe(200);
    return { session, tokenHash: hashToken(session.cookie.replace(/^biaotu_session=/, '')) };
  }

  it('stops working at once when its row is deleted (by an administrator in psql, another server…)', async () => {
    const { session, tokenHash } = await cachedSession();
    const { rowCount } = await owner.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
    expect(rowCount).toBe(1);
    expect(await refusedWithin(session, 5_000)).toBeLessThan(5_000);
  });

  it('stops working at once when its expiry is moved to the past', async () => {
    const { session, tokenHash } = await cachedSession();
    await owner.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [tokenHash]);
    expect(await refusedWithin(session, 5_000)).toBeLessThan(5_000);
  });

  it('stops working on this server when it logs out through another', async () => {
    const other = await createTestApp();
    try {
      const { session } = await cachedSession();
      const elsewhere = await other.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken } });
      expect(elsewhere.statusCode).toBe(204);
      expect(await refusedWithin(session, 5_000)).toBeLessThan(5_000);
    } finally {
      await other.close();
    }
  });
});
