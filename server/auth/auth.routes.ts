import { ErrorBody } from '../../domain/api/common.schemas.js';
import { LoginBody, NoContent, PasswordChangeBody, Session, SessionProbe } from '../../domain/api/auth.schemas.js';
import { authEvent } from '../admin/audit.repository.js';
import type { AppInstance } from '../app-instance.js';
import { ApiError } from '../errors.js';
import { principalOf } from './auth.plugin.js';
import { assertStrongPassword, dummyPasswordHash, hashPassword, verifyPassword } from './passwords.js';
import type { Principal } from './principal.js';
import { SESSION_COOKIE } from './users.repository.js';

function userBody(principal: Principal) {
  const { id, username, displayName, role, scopes, department, units, mustChangePassword } = principal;
  return { id, username, displayName, role, scopes, department, units, mustChangePassword };
}

export async function authRoutes(app: AppInstance): Promise<void> {
  const users = app.usersRepository;
  const audit = app.auditRepository;
  const { loginLockMinutes, sessionHours } = app.settings;
  const loginMaxFailures = Math.max(1, Math.ceil(app.settings.loginMaxFailures));
  const lockSeconds = Math.max(1, Math.round(loginLockMinutes * 60));
  // Hashed now, so that the first unknown name does not cost a second hash (and a longer answer).
  await dummyPasswordHash();

  /** The same refusal for every locked name, known or not, until the lock expires. */
  function lockedError(until: Date): ApiError {
    const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
    return new ApiError(423, 'account_locked',
      `从您的地址登录该账号失败次数过多（${loginMaxFailures} 次），已暂时锁定：请 ${Math.ceil(seconds / 60)} 分钟后再试，或联系管理员解锁。`,
      { retryAfterSeconds: seconds });
  }

  app.post('/api/auth/login', {
    config: {
      permission: 'public',
      csrf: false,
      rateLimit: { max: app.settings.loginRateLimitPerMinute, timeWindow: '1 minute' },
    },
    schema: {
      tags: ['auth'],
      summary: '登录: username + password → session cookie and { csrfToken }',
      body: LoginBody,
      response: { 200: Session, 401: ErrorBody, 403: ErrorBody, 423: ErrorBody },
    },
  }, async (request, reply) => {
    const username = request.body.username.trim().toLowerCase();
    // Lockouts count the name as typed, known or not, per client address: nobody can lock an
    // account out for everybody from one address, and unknown names answer as known ones do.
    const attempt = { username: username.slice(0, 64), address: request.ip };
    const held = await users.loginLock(attempt);
    if (held) throw lockedError(held);
    const user = await users.findByUsername(username);
    // An unknown name costs the same password check as a known one: timing does not tell them apart.
    const valid = await verifyPassword(user?.password_hash ?? await dummyPasswordHash(), request.body.password);
    if (!user || !valid) {
      const failure = await users.recordLoginFailure(attempt, loginMaxFailures, lockSeconds);
      await audit.record(authEvent({
        actor: user?.username ?? attempt.username, action: failure.lockedNow ? 'locked' : 'login_failed', entityId: user ? String(user.id) : attempt.username,
        requestId: request.id, details: { ip: request.ip, failures: failure.failures, ...(user ? {} : { reason: 'unknown_user' }) },
      }));
      if (failure.lockedUntil) throw lockedError(failure.lockedUntil);
      throw new ApiError(401, 'invalid_credentials', '用户名或密码错误。');
    }
    // The right password: still refused when a burst of failures locked the name meanwhile.
    const lockedMeanwhile = await users.clearLoginFailures(attempt);
    if (lockedMeanwhile) throw lockedError(lockedMeanwhile);
    if (user.disabled) throw new ApiError(403, 'account_disabled', '该账号已停用，请联系管理员。');

    await users.recordSuccess(user.id);
    const session = await users.createSession(user.id, sessionHours, request.ip, request.headers['user-agent'] ?? null);
    await audit.record(authEvent({ actor: user.username, action: 'login', entityId: String(user.id), requestId: request.id, details: { ip: request.ip } }));
    reply.setCookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
      path: '/',
      maxAge: sessionHours * 3600,
    });
    const principal = (await users.principal(user.id))!;
    return { user: userBody(principal), csrfToken: session.csrfToken };
  });

  app.get('/api/auth/me', {
    config: { permission: 'authenticated' },
    schema: { tags: ['auth'], summary: '当前用户 and the CSRF token of the session', response: { 200: Session, 401: ErrorBody } },
  }, async (request) => ({ user: userBody(principalOf(request)), csrfToken: request.csrfToken! }));

  // Public: a browser without a session gets 200 { session: null }, not a 401 in its console. A user
  // who must change the password gets the session (mustChangePassword), as /me answers them.
  app.get('/api/auth/session', {
    config: { permission: 'public' },
    schema: { tags: ['auth'], summary: '登录状态: the session of the cookie, or null when there is none (never 401)', response: { 200: SessionProbe } },
  }, async (request) => ({
    session: request.principal && request.csrfToken ? { user: userBody(request.principal), csrfToken: request.csrfToken } : null,
  }));

  app.post('/api/auth/logout', {
    config: { permission: 'authenticated' },
    schema: { tags: ['auth'], summary: '退出登录', response: { 204: NoContent } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    if (request.sessionTokenHash) await users.deleteSession(request.sessionTokenHash);
    await audit.record(authEvent({ actor: principal.username, action: 'logout', entityId: String(principal.id), requestId: request.id }));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.post('/api/auth/password', {
    config: { permission: 'authenticated' },
    schema: {
      tags: ['auth'],
      summary: '修改密码',
      body: PasswordChangeBody,
      response: { 204: NoContent, 400: ErrorBody, 401: ErrorBody, 423: ErrorBody },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const user = (await users.findById(principal.id))!;
    // The current password is the login's secret: guessing it through a stolen session counts
    // against the same lock as wrong logins (name + address), and a lock refuses it here too.
    const attempt = { username: principal.username, address: request.ip };
    const held = await users.loginLock(attempt);
    if (held) throw lockedError(held);
    if (!(await verifyPassword(user.password_hash, request.body.currentPassword))) {
      const failure = await users.recordLoginFailure(attempt, loginMaxFailures, lockSeconds);
      await audit.record(authEvent({
        actor: principal.username, action: failure.lockedNow ? 'locked' : 'login_failed', entityId: String(principal.id),
        requestId: request.id, details: { ip: request.ip, failures: failure.failures, reason: 'wrong_current_password' },
      }));
      if (failure.lockedUntil) throw lockedError(failure.lockedUntil);
      throw new ApiError(401, 'invalid_credentials', '当前密码不正确。', { parameter: 'currentPassword' });
    }
    const lockedMeanwhile = await users.clearLoginFailures(attempt);
    if (lockedMeanwhile) throw lockedError(lockedMeanwhile);
    assertStrongPassword(request.body.newPassword, 'newPassword');
    if (request.body.newPassword === request.body.currentPassword) {
      throw new ApiError(400, 'weak_password', '新密码不能与当前密码相同。', { parameter: 'newPassword' });
    }
    const passwordHash = await hashPassword(request.body.newPassword);
    await users.changePassword({ name: principal.username, requestId: request.id }, principal.id, passwordHash);
    // Other sessions of this user end: a changed password must lock out whoever knew the old one.
    await users.deleteSessionsOf(principal.id, request.sessionTokenHash ?? undefined);
    return reply.code(204).send();
  });
}

