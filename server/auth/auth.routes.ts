import { ErrorBody } from '../../domain/api/common.schemas.js';
import { LoginBody, NoContent, PasswordChangeBody, Session } from '../../domain/api/auth.schemas.js';
import { authEvent } from '../admin/audit.repository.js';
import type { AppInstance } from '../app-instance.js';
import { ApiError } from '../errors.js';
import { principalOf } from './auth.plugin.js';
import { assertStrongPassword, dummyPasswordHash, hashPassword, verifyPassword } from './passwords.js';
import type { Principal } from './principal.js';
import { SESSION_COOKIE } from './users.repository.js';

function userBody(principal: Principal) {
  const { id, username, displayName, role, scopes, mustChangePassword } = principal;
  return { id, username, displayName, role, scopes, mustChangePassword };
}

export async function authRoutes(app: AppInstance): Promise<void> {
  const users = app.usersRepository;
  const audit = app.auditRepository;
  const { loginMaxFailures, loginLockMinutes, sessionHours } = app.settings;

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
    const user = await users.findByUsername(username);
    if (!user) {
      await verifyPassword(await dummyPasswordHash(), request.body.password);
      await audit.record(authEvent({ actor: username.slice(0, 64), action: 'login_failed', entityId: username.slice(0, 64), requestId: request.id, details: { reason: 'unknown_user', ip: request.ip } }));
      throw new ApiError(401, 'invalid_credentials', '用户名或密码错误。');
    }
    if (user.locked_until && user.locked_until > new Date()) {
      const seconds = Math.ceil((user.locked_until.getTime() - Date.now()) / 1000);
      throw new ApiError(423, 'account_locked', `登录失败次数过多，账号已锁定，请 ${Math.ceil(seconds / 60)} 分钟后再试，或联系管理员解锁。`, { retryAfterSeconds: seconds });
    }
    if (!(await verifyPassword(user.password_hash, request.body.password))) {
      const failure = await users.recordFailure(user.id, loginMaxFailures, loginLockMinutes);
      await audit.record(authEvent({ actor: user.username, action: failure.locked ? 'locked' : 'login_failed', entityId: String(user.id), requestId: request.id, details: { ip: request.ip } }));
      if (failure.locked) {
        throw new ApiError(423, 'account_locked', `连续 ${loginMaxFailures} 次密码错误，账号已锁定 ${loginLockMinutes} 分钟。`, { retryAfterSeconds: loginLockMinutes * 60 });
      }
      throw new ApiError(401, 'invalid_credentials', '用户名或密码错误。');
    }
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
      response: { 204: NoContent, 400: ErrorBody, 401: ErrorBody },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const user = (await users.findById(principal.id))!;
    if (!(await verifyPassword(user.password_hash, request.body.currentPassword))) {
      throw new ApiError(401, 'invalid_credentials', '当前密码不正确。', { parameter: 'currentPassword' });
    }
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

