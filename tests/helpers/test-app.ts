import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { buildApp, type AppOptions } from '../../server/app.js';
import type { AppInstance } from '../../server/app-instance.js';
import { readSettings } from '../../server/config.js';
import type { DatabaseHandles } from '../../server/db/database.js';
import { connectRequestPools, type RequestPools } from '../../server/db/pools.js';
import { DEMO_PASSWORD, TEST_ADMIN_PASSWORD } from './accounts.js';

export interface TestApp {
  app: AppInstance;
  /** The application's own connection (role biaotu_app): the interactive pool. */
  database: DatabaseHandles;
  /** Every pool of the app, by request class (server/db/pools.ts). */
  pools: RequestPools;
  close(): Promise<void>;
}

/** The real app over the run's fresh PostGIS database (see tests/global-setup.ts). */
export async function createTestApp(
  env: Record<string, string> = {}, logger: boolean | object = false, clientDirectory?: string, options: Pick<AppOptions, 'exportWriters'> = {},
): Promise<TestApp> {
  const databaseUrl = inject('databaseUrl');
  const settings = readSettings({ PORT: '0', ...env });
  // As the server runs (scripts/start.ts), with fewer interactive connections: test files run side by side.
  const pools = connectRequestPools(databaseUrl, {
    ...settings.databasePools, interactive: { ...settings.databasePools.interactive, connections: Math.min(8, settings.databasePools.interactive.connections) },
  });
  const database = pools.interactive;
  const app = await buildApp({ db: database.db, pool: database.pool, pools, settings, gdal: { url: databaseUrl }, logger, clientDirectory, ...options });
  return {
    app,
    database,
    pools,
    async close() {
      await app.close();
      await pools.close();
    },
  };
}

/** A logged-in client of the app: sends the session cookie, and the CSRF token on writes. */
export interface Session {
  username: string;
  cookie: string;
  csrfToken: string;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
}

export function passwordOf(username: string): string {
  return username === 'admin' ? TEST_ADMIN_PASSWORD : DEMO_PASSWORD;
}

export async function login(app: AppInstance, username: string, password = passwordOf(username)): Promise<Session> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (response.statusCode !== 200) throw new Error(`login ${username} failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((candidate) => candidate.name === 'biaotu_session');
  if (!cookie) throw new Error('no session cookie');
  const csrfToken = response.json().csrfToken as string;
  const session: Session = {
    username,
    cookie: `biaotu_session=${cookie.value}`,
    csrfToken,
    request(options) {
      const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes((options.method ?? 'GET').toUpperCase());
      return app.inject({
        ...options,
        headers: { ...(options.headers ?? {}), cookie: session.cookie, ...(unsafe ? { 'x-csrf-token': csrfToken } : {}) },
      });
    },
    get(url) {
      return session.request({ method: 'GET', url });
    },
  };
  return session;
}

/** PATCHes a parcel from the version it has now (read first), as the editor does; `expectedVersion` in `payload` wins. */
export async function patchParcel(session: Session, id: number | string, payload: Record<string, unknown>): Promise<LightMyRequestResponse> {
  const current = await session.get(`/api/parcels/${id}`);
  const version = current.statusCode === 200 ? (current.json() as { version: number }).version : 1;
  return session.request({ method: 'PATCH', url: `/api/parcels/${id}`, payload: { expectedVersion: version, ...payload } });
}
