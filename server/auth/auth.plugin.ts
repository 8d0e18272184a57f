import { timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ACTION_LABELS, roleCan, roleLabel } from '../../domain/permissions.js';
import { PUBLIC_ZHAOSHANG_PREFIX } from '../../domain/zhaoshang.js';
import type { AppInstance } from '../app-instance.js';
import { ApiError } from '../errors.js';
import { type Permission, type Principal } from './principal.js';
import { Scope } from './scope.js';
import { SessionCache } from './session-cache.js';
import { SESSION_COOKIE, hashToken } from './users.repository.js';

/** How long a resolved session is trusted without asking the database (changes clear it at once). */
const SESSION_CACHE_MS = 30_000;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    sessionTokenHash: string | null;
    csrfToken: string | null;
  }
  interface FastifyInstance {
    /** Every guarded route (`GET /api/parcels/:id`) and the permission it declares: the matrix tests walk it. */
    routePermissions: Map<string, Permission>;
  }
  interface FastifyContextConfig {
    /** Who may call the route. Required on every /api and /tiles route: there is no default. */
    permission?: Permission;
    /** Set false only where no session exists yet (login). */
    csrf?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Routes whose writes may change a user or a session. */
const ACCOUNT_ROUTES = /^\/api\/(auth|admin)\//;
/**
 * The public API (the 招商地图 for investors): every route under it must declare `permission:
 * 'public'` (registration fails otherwise) and no route elsewhere may be served to anonymous
 * visitors by being put under it; the session cookie is not even read there, so an answer can never
 * depend on who asks.
 */
export const PUBLIC_API_PREFIXES: readonly string[] = [PUBLIC_ZHAOSHANG_PREFIX];
export function isPublicApiRoute(url: string): boolean {
  return PUBLIC_API_PREFIXES.some((prefix) => url.startsWith(prefix));
}
/** Routes a user whose password must be changed may still use. */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set(['/api/auth/me', '/api/auth/logout', '/api/auth/password']);

function sameToken(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const left = Buffer.from(expected);
  const right = Buffer.from(given);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The one permission layer. Every /api and /tiles route declares `config.permission` next to its
 * schema (registration fails otherwise); this hook resolves the session, then enforces login,
 * role and CSRF before any handler runs. District scope is applied by the repositories (reads are
 * filtered) and by `assertWritable` (writes outside scope are refused, naming the district).
 */
export const authPlugin = fp(async (app: AppInstance) => {
  await app.register(fastifyCookie);
  const users = app.usersRepository;
  const sessionHours = app.settings.sessionHours;

  app.decorateRequest('principal', null);
  app.decorateRequest('sessionTokenHash', null);
  app.decorateRequest('csrfToken', null);

  app.decorate('routePermissions', new Map<string, Permission>());
  app.addHook('onRoute', (route) => {
    const guarded = route.url.startsWith('/api/') || route.url.startsWith('/tiles/');
    if (guarded && !route.url.startsWith('/api/docs') && !route.config?.permission) {
      throw new Error(`route ${route.method} ${route.url} declares no config.permission`);
    }
    if (isPublicApiRoute(route.url) && route.config?.permission !== 'public') {
      throw new Error(`route ${route.method} ${route.url} is under the public API prefix but declares permission ${route.config?.permission}: public routes declare 'public'`);
    }
    if (guarded && route.config?.permission) {
      for (const method of [route.method].flat()) if (method !== 'HEAD') app.routePermissions.set(`${method} ${route.url}`, route.config.permission);
    }
  });

  // Sessions resolved once per SESSION_CACHE_MS, forgotten on any change (see SessionCache): by
  // NOTIFY from any process, and at once after every accepted write of this process's account
  // routes (/api/auth, /api/admin: the only ones that change users or sessions). Not after other
  // writes: a policy check is a POST, and a burst of them (refused or not) must not send every
  // user's next request to the database for its session.
  const sessions = new SessionCache(SESSION_CACHE_MS);
  app.notifications.on('session_changes', () => sessions.clear());
  app.addHook('onSend', async (request, reply) => {
    if (!SAFE_METHODS.has(request.method) && reply.statusCode < 400 && ACCOUNT_ROUTES.test(request.url)) sessions.clear();
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // The public API answers everyone alike: no session is looked up, none is attached.
    if (isPublicApiRoute(request.routeOptions.url ?? '')) return;
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const tokenHash = hashToken(token);
      let session = sessions.get(tokenHash);
      if (!session) {
        const generation = sessions.generation;
        const found = await users.sessionPrincipal(tokenHash);
        if (found) sessions.set(found, found.expiresAt, generation);
        session = found;
      }
      if (session && !session.disabled) {
        request.principal = session.principal;
        request.sessionTokenHash = session.tokenHash;
        request.csrfToken = session.csrfToken;
        if (Date.now() - session.lastSeenAt.getTime() > 60_000) {
          await users.touchSession(session.tokenHash, sessionHours);
          session.lastSeenAt = new Date();
        }
      } else {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }

    const config = request.routeOptions.config;
    const permission = config?.permission;
    if (!permission || permission === 'public') return;
    const principal = request.principal;
    if (!principal) throw new ApiError(401, 'unauthenticated', '请先登录。');
    if (!SAFE_METHODS.has(request.method) && config.csrf !== false && !sameToken(request.csrfToken ?? '', request.headers['x-csrf-token'] as string | undefined)) {
      throw new ApiError(403, 'csrf', '缺少或无效的 CSRF 令牌 (x-csrf-token)：请刷新页面后重试。');
    }
    if (principal.mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(request.routeOptions.url ?? '')) {
      throw new ApiError(403, 'password_change_required', '请先修改初始密码。');
    }
    if (permission !== 'authenticated' && !roleCan(principal.role, permission)) {
      throw new ApiError(403, 'forbidden', `您的角色（${roleLabel(principal.role)}）没有“${ACTION_LABELS[permission]}”的权限；如确需此权限，请联系系统管理员调整角色。`, { action: permission });
    }
  });
}, { name: 'auth', dependencies: ['users-repository', 'notifications', 'settings'] });

/** The principal of a route that requires login (the hook has already refused anonymous calls). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiError(401, 'unauthenticated', '请先登录。');
  return request.principal;
}

/**
 * Scopes by principal: a cached session hands every request the same principal object, so a burst
 * of tiles builds its `Scope` once. A change to the user (role, scope, logout) empties the session
 * cache, the next request reads a new principal, and so gets a new `Scope`.
 */
const scopes = new WeakMap<Principal, Scope>();

/** The district scope of a route that requires login: the one `Scope` every read and write uses. */
export function scopeOf(request: FastifyRequest): Scope {
  const principal = principalOf(request);
  let scope = scopes.get(principal);
  if (!scope) {
    scope = Scope.of(principal);
    scopes.set(principal, scope);
  }
  return scope;
}
