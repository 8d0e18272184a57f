import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

let testApp: TestApp;
let admin: Session;
beforeAll(async () => {
  testApp = await createTestApp();
  admin = await login(testApp.app, 'admin');
});
afterAll(async () => {
  await testApp.close();
});

let userCounter = 0;
/** A fresh account made through the admin API, so each test owns its lockouts and passwords. */
async function createUser(role = 'viewer', scopes = ['350200'], password = 'Initial-pass-123'): Promise<{ id: number; username: string; password: string }> {
  userCounter++;
  const username = `auth-test-${process.pid}-${userCounter}`;
  const response = await admin.request({ method: 'POST', url: '/api/admin/users', payload: { username, displayName: `测试 ${userCounter}`, role, scopes, password } });
  expect(response.statusCode).toBe(201);
  return { id: response.json().id, username, password };
}

async function loginResponse(username: string, password: string, headers: Record<string, string> = {}) {
  return testApp.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers });
}

/** Logs a new user in and replaces the initial password, as the first login requires. */
async function activeSession(role = 'viewer', scopes = ['350200']): Promise<{ session: Session; username: string; password: string; id: number }> {
  const user = await createUser(role, scopes);
  const first = await login(testApp.app, user.username, user.password);
  const newPassword = `Changed-pass-${userCounter}9`;
  const changed = await first.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: user.password, newPassword } });
  expect(changed.statusCode).toBe(204);
  return { session: await login(testApp.app, user.username, newPassword), username: user.username, password: newPassword, id: user.id };
}

describe('login', () => {
  it('sets an httpOnly, SameSite=Lax session cookie and answers the user and a CSRF token', async () => {
    const response = await loginResponse('official', 'Demo-2026-biaotu');
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((candidate) => candidate.name === 'biaotu_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.path).toBe('/');
    expect(cookie.secure).toBeFalsy();
    const body = response.json();
    expect(body.user).toMatchObject({ username: 'official', role: 'official', scopes: [{ code: '350200', name: '厦门市' }], mustChangePassword: false });
    expect(body.csrfToken.length).toBeGreaterThan(20);
    expect(body.user).not.toHaveProperty('passwordHash');
  });

  it('marks the cookie Secure when served over TLS behind a trusted proxy', async () => {
    const proxied = await createTestApp({ TRUST_PROXY: '1' });
    try {
      const response = await proxied.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'viewer', password: 'Demo-2026-biaotu' }, headers: { 'x-forwarded-proto': 'https' } });
      expect(response.cookies.find((candidate) => candidate.name === 'biaotu_session')!.secure).toBe(true);
    } finally {
      await proxied.close();
    }
  });

  it('answers the same 401 for a wrong password and an unknown user, and records both', async () => {
    const wrong = await loginResponse('viewer', 'not-the-password-1');
    const unknown = await loginResponse('nobody-here', 'not-the-password-1');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json()).toMatchObject({ error: 'invalid_credentials', message: '用户名或密码错误。' });
    const { rows } = await sql<{ actor: string }>`
      SELECT actor FROM history WHERE entity = 'auth' AND action = 'login_failed' AND actor IN ('viewer', 'nobody-here')`.execute(testApp.database.db);
    expect(rows.map((row) => row.actor)).toEqual(expect.arrayContaining(['viewer', 'nobody-here']));
    // The failed attempt on a real account is cleared by a successful login.
    expect((await loginResponse('viewer', 'Demo-2026-biaotu')).statusCode).toBe(200);
  });

  it('locks an account after 5 failures in a row, even for the right password, until an admin unlocks it', async () => {
    const user = await createUser();
    for (let attempt = 1; attempt <= 4; attempt++) expect((await loginResponse(user.username, 'wrong-password-1')).statusCode).toBe(401);
    const fifth = await loginResponse(user.username, 'wrong-password-1');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json()).toMatchObject({ error: 'account_locked' });
    expect(fifth.json().retryAfterSeconds).toBeGreaterThan(890);
    expect(fifth.json().retryAfterSeconds).toBeLessThanOrEqual(900);
    const right = await loginResponse(user.username, user.password);
    expect(right.statusCode).toBe(423);
    expect(right.json().message).toContain('分钟');
    const { rows } = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM history WHERE entity = 'auth' AND action = 'locked' AND entity_id = ${String(user.id)}`.execute(testApp.database.db);
    expect(rows[0].count).toBe(1);
    const unlock = await admin.request({ method: 'PATCH', url: `/api/admin/users/${user.id}`, payload: { unlock: true } });
    expect(unlock.statusCode).toBe(200);
    expect(unlock.json().lockedUntil).toBeNull();
    expect((await loginResponse(user.username, user.password)).statusCode).toBe(200);
  });

  it('is rate-limited per client address before any password is checked', async () => {
    const limited = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 4; attempt++) {
        statuses.push((await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'viewer', password: 'wrong-password-1' }, remoteAddress: '203.0.113.49' })).statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      const limitedAnswer = await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'viewer', password: 'Demo-2026-biaotu' }, remoteAddress: '203.0.113.49' });
      expect(limitedAnswer.statusCode).toBe(429);
      expect(limitedAnswer.json()).toMatchObject({ error: 'rate_limited', retryAfterSeconds: expect.any(Number) });
      expect(limitedAnswer.json().message).toMatch(/请求过于频繁，请 \d+ 秒后再试/);
      expect(Number(limitedAnswer.headers['retry-after'])).toBe(limitedAnswer.json().retryAfterSeconds);
      // Another client address has its own allowance.
      const elsewhere = await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'viewer', password: 'Demo-2026-biaotu' }, remoteAddress: '203.0.113.50' });
      expect(elsewhere.statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('refuses a disabled account and ends its sessions', async () => {
    const { session, id, username, password } = await activeSession();
    expect((await session.get('/api/auth/me')).statusCode).toBe(200);
    expect((await admin.request({ method: 'PATCH', url: `/api/admin/users/${id}`, payload: { disabled: true } })).statusCode).toBe(200);
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    const refused = await loginResponse(username, password);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'account_disabled' });
  });

  it('validates the body and names the missing parameter', async () => {
    const response = await testApp.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'viewer' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_parameter', parameter: 'password' });
  });
});

describe('sessions, CSRF and logout', () => {
  it('needs a session for data and says so in Chinese', async () => {
    for (const url of ['/api/auth/me', '/api/districts', '/api/parcels?page=1', '/tiles/parcels.json', '/tiles/parcels/14/13458/7064.pbf']) {
      const response = await testApp.app.inject(url);
      expect(response.statusCode, url).toBe(401);
      expect(response.json()).toEqual({ error: 'unauthenticated', message: '请先登录。' });
    }
    expect((await testApp.app.inject('/api/health')).statusCode).toBe(200);
  });

  it('refuses writes without the session’s CSRF token', async () => {
    const { session } = await activeSession('surveyor');
    const withoutToken = await testApp.app.inject({ method: 'PATCH', url: '/api/parcels/1', payload: { owner: 'x' }, headers: { cookie: session.cookie } });
    expect(withoutToken.statusCode).toBe(403);
    expect(withoutToken.json()).toMatchObject({ error: 'csrf' });
    const wrongToken = await testApp.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: session.cookie, 'x-csrf-token': 'forged' } });
    expect(wrongToken.statusCode).toBe(403);
    expect((await session.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('logs out: the session ends and the event is recorded', async () => {
    const { session, id } = await activeSession();
    const me = await session.get('/api/auth/me');
    expect(me.json().csrfToken).toBe(session.csrfToken);
    const out = await session.request({ method: 'POST', url: '/api/auth/logout' });
    expect(out.statusCode).toBe(204);
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    const { rows } = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM history WHERE entity = 'auth' AND action = 'logout' AND entity_id = ${String(id)}`.execute(testApp.database.db);
    expect(rows[0].count).toBe(1);
  });
});

describe('passwords', () => {
  it('makes a new account change its initial password before anything else', async () => {
    const user = await createUser();
    const session = await login(testApp.app, user.username, user.password);
    expect((await session.get('/api/auth/me')).json().user.mustChangePassword).toBe(true);
    const blocked = await session.get('/api/districts');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ error: 'password_change_required' });
  });

  it('refuses a weak or wrong password, then changes it, ends other sessions and records it without the hash', async () => {
    const { session, username, password, id } = await activeSession();
    const other = await login(testApp.app, username, password);
    const weak = await session.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: password, newPassword: 'short1' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ error: 'weak_password', parameter: 'newPassword' });
    expect(weak.json().message).toContain('10');
    const wrongCurrent = await session.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'not-it-123456', newPassword: 'Another-pass-2026' } });
    expect(wrongCurrent.statusCode).toBe(401);
    const changed = await session.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: password, newPassword: 'Another-pass-2026' } });
    expect(changed.statusCode).toBe(204);
    expect((await session.get('/api/auth/me')).statusCode).toBe(200);
    expect((await other.get('/api/auth/me')).statusCode).toBe(401);
    expect((await loginResponse(username, 'Another-pass-2026')).statusCode).toBe(200);
    const { rows } = await sql<{ after: Record<string, unknown> }>`
      SELECT after FROM history WHERE entity = 'users' AND entity_id = ${String(id)} AND action = 'update' ORDER BY id DESC LIMIT 1`.execute(testApp.database.db);
    expect(rows[0].after.password_changed).toBe(true);
    expect(JSON.stringify(rows[0].after)).not.toContain('argon2');
  });
});

describe('user administration', () => {
  it('creates users with a role and scope, refuses duplicates and bad names, and keeps hashes out of the audit log', async () => {
    const user = await createUser('planner', ['350206', '350211']);
    const list = (await admin.get('/api/admin/users')).json().items as { id: number; role: string; scopes: { code: string }[] }[];
    const listed = list.find((item) => item.id === user.id)!;
    expect(listed.role).toBe('planner');
    expect(listed.scopes.map((scope) => scope.code)).toEqual(['350206', '350211']);
    const duplicate = await admin.request({ method: 'POST', url: '/api/admin/users', payload: { username: user.username, displayName: 'x', role: 'viewer', scopes: ['350200'], password: 'Another-pass-2026' } });
    expect(duplicate.statusCode).toBe(409);
    const badName = await admin.request({ method: 'POST', url: '/api/admin/users', payload: { username: 'Bad Name!', displayName: 'x', role: 'viewer', scopes: ['350200'], password: 'Another-pass-2026' } });
    expect(badName.statusCode).toBe(400);
    expect(badName.json().parameter).toBe('username');
    const badScope = await admin.request({ method: 'POST', url: '/api/admin/users', payload: { username: 'scope-test-x', displayName: 'x', role: 'viewer', scopes: ['999999'], password: 'Another-pass-2026' } });
    expect(badScope.statusCode).toBe(400);
    expect(badScope.json()).toMatchObject({ parameter: 'scopes' });
    const audit = (await admin.get(`/api/admin/audit?entity=users&entityId=${user.id}`)).json();
    expect(audit.items[0]).toMatchObject({ actor: 'admin', action: 'insert', entity: 'users' });
    expect(JSON.stringify(audit.items)).not.toMatch(/argon2|password_hash/);
    const scopes = (await admin.get(`/api/admin/audit?entity=user_scopes&entityId=${user.id}`)).json();
    expect(scopes.total).toBe(2);
  });

  it('does not let an admin lock themselves out', async () => {
    const me = (await admin.get('/api/auth/me')).json().user;
    const response = await admin.request({ method: 'PATCH', url: `/api/admin/users/${me.id}`, payload: { disabled: true } });
    expect(response.statusCode).toBe(400);
  });
});

describe('safe defaults', () => {
  it('sends security headers and a request id, and no CORS headers unless configured', async () => {
    const response = await testApp.app.inject({ url: '/api/health', headers: { origin: 'https://evil.example' } });
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const open = await createTestApp({ CORS_ORIGINS: 'https://gis.example.gov.cn' });
    try {
      const allowed = await open.app.inject({ url: '/api/health', headers: { origin: 'https://gis.example.gov.cn' } });
      expect(allowed.headers['access-control-allow-origin']).toBe('https://gis.example.gov.cn');
      const other = await open.app.inject({ url: '/api/health', headers: { origin: 'https://evil.example' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await open.close();
    }
  });

  it('answers 5xx with a generic message and the request id, never a stack trace', async () => {
    const failing = await createTestApp();
    try {
      failing.app.get('/api/test-failure', { config: { permission: 'public' } }, async () => {
        throw new Error('secret internal detail at /srv/app.ts:12');
      });
      const response = await failing.app.inject('/api/test-failure');
      expect(response.statusCode).toBe(500);
      const body = response.json();
      expect(body.error).toBe('internal_error');
      expect(body.requestId).toBe(response.headers['x-request-id']);
      expect(response.body).not.toContain('secret internal detail');
      expect(response.body).not.toContain('.ts:');
    } finally {
      await failing.close();
    }
  });

  it('refuses bodies over the configured limit', async () => {
    const small = await createTestApp({ BODY_LIMIT_BYTES: '2000' });
    try {
      const response = await small.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'viewer', password: 'x'.repeat(5000) } });
      expect(response.statusCode).toBe(413);
    } finally {
      await small.close();
    }
  });

  it('connects as a role that is not a superuser', async () => {
    const { rows } = await sql<{ user: string; superuser: boolean }>`
      SELECT current_user AS user, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`.execute(testApp.database.db);
    expect(rows[0]).toEqual({ user: 'biaotu_app', superuser: false });
    await expect(sql`CREATE TABLE should_not_exist (id int)`.execute(testApp.database.db)).rejects.toThrow(/permission denied/);
  });

  it('refuses to register an API route that declares no permission', async () => {
    const bare = await createTestApp();
    try {
      expect(() => bare.app.get('/api/undeclared', async () => 'x')).toThrow(/declares no config.permission/);
    } finally {
      await bare.close();
    }
  });
});
