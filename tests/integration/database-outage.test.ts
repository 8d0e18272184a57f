import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import type { AppInstance } from '../../server/app-instance.js';
import { readSettings } from '../../server/config.js';
import { allowLongQueries, DATABASE_BUSY, DATABASE_UNAVAILABLE, databaseFault } from '../../server/db/availability.js';
import { connectDatabase, type DatabaseHandles } from '../../server/db/database.js';
import { login, type Session } from '../helpers/test-app.js';
import { sleep, ThrowawayCluster } from '../helpers/throwaway-cluster.js';

/**
 * Issue 12, item 2: the server survives its database. These tests restart, stop, kill and freeze
 * PostgreSQL, so they run on a cluster of their own (a temporary folder, its own port), never on
 * the one the other test files share.
 */

const DATABASE = 'biaotu_outage';
/** Short bounds, so that the freeze shows them: production defaults are 5 s and 10 s (DB_CONNECT_TIMEOUT_MS, DB_QUERY_TIMEOUT_MS). */
const CONNECT_TIMEOUT_MS = 2_000;
const QUERY_TIMEOUT_MS = 3_000;
/** A loaded 2-core machine: the margin on top of the bounds. */
const MARGIN_MS = 3_000;

let cluster: ThrowawayCluster | undefined;
let database: DatabaseHandles | undefined;
let app: AppInstance;
let viewer: Session;
let parcelIds: string[] = [];
const logLines: { level: number; msg: string }[] = [];

beforeAll(async () => {
  cluster = await ThrowawayCluster.create(DATABASE);
  const appUrl = cluster.appUrl(DATABASE);
  database = connectDatabase(appUrl, 8, { connectTimeoutMs: CONNECT_TIMEOUT_MS, queryTimeoutMs: QUERY_TIMEOUT_MS });
  const stream = { write: (line: string) => void logLines.push(JSON.parse(line) as { level: number; msg: string }) };
  app = await buildApp({ db: database.db, pool: database.pool, settings: readSettings({ PORT: '0' }), gdal: { url: appUrl }, logger: { level: 'info', stream } });
  viewer = await login(app, 'viewer');
  const rows = await database.db.selectFrom('parcels').select('id').orderBy('id').limit(40).execute();
  parcelIds = rows.map((row) => String(row.id));
}, 300_000);

afterAll(async () => {
  // Whatever failed above: the server runs again (thawed) so the app can close, then it all goes.
  cluster?.thaw();
  await app?.close().catch(() => undefined);
  await database?.close().catch(() => undefined);
  await cluster?.destroy();
});

/** Parcel reads, tiles (mostly not cached: z17 around the demo city) and health, in turn. */
function nextUrl(turn: number): string {
  switch (turn % 3) {
    case 0: return `/api/parcels/${parcelIds[turn % parcelIds.length]}`;
    case 1: return `/tiles/parcels/17/${3389 * 32 + Math.floor(Math.random() * 32)}/${1759 * 32 + Math.floor(Math.random() * 32)}.pbf`;
    default: return '/api/health';
  }
}

interface Answer {
  url: string;
  status: number;
  ms: number;
  startedAt: number;
  retryAfter: string | undefined;
  error: string | undefined;
  message: string | undefined;
}

/** Requests from `workers` clients in a loop until `done()`; every answer is kept. */
async function requestLoop(done: () => boolean, workers = 3): Promise<Answer[]> {
  const answers: Answer[] = [];
  let turn = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (!done()) {
      const url = nextUrl(turn++);
      const startedAt = Date.now();
      const response = await viewer.get(url);
      const body = response.headers['content-type']?.toString().includes('json') ? response.json() as { error?: string; message?: string } : {};
      answers.push({
        url, status: response.statusCode, ms: Date.now() - startedAt, startedAt,
        retryAfter: response.headers['retry-after']?.toString(), error: body.error, message: body.message,
      });
      await sleep(20);
    }
  }));
  return answers;
}

/**
 * Every answer is a success (a cached session or tile needs no database) or a 503 that says the
 * database is away (or, a hung one having taken every connection, busy) and when to retry; never another 5xx.
 */
function expectOnly200sAnd503s(answers: Answer[]): void {
  const other = answers.filter((answer) => answer.status >= 500 && answer.status !== 503);
  expect(other, JSON.stringify(other.slice(0, 3))).toEqual([]);
  for (const answer of answers.filter((candidate) => candidate.status === 503)) {
    expect([DATABASE_UNAVAILABLE, DATABASE_BUSY]).toContain(answer.error);
    expect(answer.retryAfter).toMatch(/^[1-9][0-9]*$/);
    expect(answer.message).toMatch(/^(数据库暂时不可用|服务繁忙).*秒后重试/);
  }
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The service is back when a parcel, a tile and health all answer 200 (with no restart of the app). */
async function serviceIsBack(): Promise<boolean> {
  const [parcel, tile, health] = await Promise.all([nextUrl(0), nextUrl(1), nextUrl(2)].map((url) => viewer.get(url)));
  return parcel.statusCode === 200 && [200, 204].includes(tile.statusCode) && health.statusCode === 200;
}

function outageLogLines(since: number): { away: number; back: number } {
  const lines = logLines.slice(since);
  return {
    away: lines.filter((line) => line.msg.startsWith('数据库不可用')).length,
    back: lines.filter((line) => line.msg.startsWith('数据库已恢复')).length,
  };
}

describe('the server survives its database (issue 12, item 2)', () => {
  it('keeps answering through `pg_ctl restart -m fast`: 503 with Retry-After meanwhile, never a 500, then serves again by itself', async () => {
    expect(await serviceIsBack()).toBe(true);
    const logged = logLines.length;
    let restarted = false;
    let resumedAt = 0;
    const loop = requestLoop(() => restarted && resumedAt > 0 && Date.now() - resumedAt > 2_000);
    await sleep(1_000);
    const restartedAt = Date.now();
    await cluster!.restart();
    restarted = true;
    await until(serviceIsBack, 'the service to come back after the restart');
    resumedAt = Date.now();
    const answers = await loop;

    expectOnly200sAnd503s(answers);
    const refused = answers.filter((answer) => answer.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer.status === 200 && answer.startedAt > resumedAt).length).toBeGreaterThan(0);
    // Logged once when it went away and once when it was back, not once per refused request.
    const lines = outageLogLines(logged);
    expect(lines.away).toBeGreaterThanOrEqual(1);
    expect(lines.away).toBeLessThanOrEqual(2);
    expect(lines.back).toBe(lines.away);
    console.log(`restart: ${answers.length} requests, ${refused.length} × 503, back ${((resumedAt - restartedAt) / 1000).toFixed(1)} s after the restart began`);
  });

  it('answers 503 at once while the database is stopped (health included), and comes back with its LISTEN connection', async () => {
    // The test before froze the database: its LISTEN connection may still be on its way back (it
    // reconnects by itself, with a backoff), so both must be up before the database is stopped.
    await until(async () => (await serviceIsBack()) && app.notificationsConnection().connected, 'the service and its LISTEN connection to be up');
    const listening = app.notificationsConnection();
    expect(listening.connected).toBe(true);
    await cluster!.stop();
    const stoppedAt = Date.now();
    // A policy check (its geometry is read by PostGIS) says the database is away, not that the boundary is unreadable.
    const check = await viewer.request({ method: 'POST', url: '/api/checks', payload: {
      ruleSet: 'xiamen-new-industrial',
      boundary: { type: 'Polygon', coordinates: [[[118.1, 24.5], [118.11, 24.5], [118.11, 24.51], [118.1, 24.51], [118.1, 24.5]]] },
    } });
    expect(check.statusCode, check.body).toBe(503);
    expect(check.json().error).toBe(DATABASE_UNAVAILABLE);
    const answers = await requestLoop(() => Date.now() - stoppedAt > 4_000);
    expectOnly200sAnd503s(answers);
    const health = answers.filter((answer) => answer.url === '/api/health');
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((answer) => answer.status === 503 && answer.retryAfter === '5')).toBe(true);
    const refused = answers.filter((answer) => answer.status === 503);
    // Connection refused is immediate: no waiting for a timeout.
    expect(Math.max(...refused.map((answer) => answer.ms))).toBeLessThan(2_000);
    expect(app.databaseAvailability.available).toBe(false);

    await cluster!.restart(); // starts it again, with the options it ran with
    await until(serviceIsBack, 'the service to come back after the start');
    expect(app.databaseAvailability.available).toBe(true);
    // The listening connection came back too, and a change announced by the database reaches the app.
    await until(() => {
      const now = app.notificationsConnection();
      return now.connected && now.processId !== listening.processId;
    }, 'the listening connection to come back');
    const probe = randomUUID();
    const heard = new Promise<void>((resolve) => {
      const listener = (payload: string) => {
        if (!payload.includes(probe)) return;
        app.notifications.off('tile_changes', listener);
        resolve();
      };
      app.notifications.on('tile_changes', listener);
    });
    await sql`SELECT pg_notify('tile_changes', ${JSON.stringify({ layer: '*', probe })})`.execute(database!.db);
    await heard;
    console.log(`stop: ${answers.length} requests in 4 s, ${refused.length} × 503, slowest ${Math.max(...refused.map((answer) => answer.ms))} ms`);
  });

  it('survives kill -9 of the postmaster, and serves again once the database has recovered', async () => {
    await until(serviceIsBack, 'the service to be up');
    let started = false;
    const loop = requestLoop(() => started);
    await sleep(500);
    await cluster!.killPostmaster();
    await sleep(2_000);
    await cluster!.restart(); // crash recovery, then up
    await until(serviceIsBack, 'the service to come back after the crash');
    started = true;
    const answers = await loop;
    expectOnly200sAnd503s(answers);
    expect(answers.filter((answer) => answer.status === 503).length).toBeGreaterThan(0);
  });

  it('does not hang on a frozen database: 503 within the connection and query timeouts, then serves again', async () => {
    await until(serviceIsBack, 'the service to be up');
    // Connections in the pool first, so the freeze catches queries on open connections as well as new ones.
    await Promise.all(Array.from({ length: 6 }, (_, turn) => viewer.get(nextUrl(turn))));
    const logged = logLines.length;
    await cluster!.freeze();
    const frozenAt = Date.now();
    const answers = await requestLoop(() => Date.now() - frozenAt > 10_000, 4);
    cluster!.thaw();
    const thawedAt = Date.now();

    expectOnly200sAnd503s(answers);
    const refused = answers.filter((answer) => answer.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer.url === '/api/health').every((answer) => answer.status === 503)).toBe(true);
    const slowest = Math.max(...answers.map((answer) => answer.ms));
    expect(slowest).toBeLessThan(CONNECT_TIMEOUT_MS + QUERY_TIMEOUT_MS + MARGIN_MS);

    await until(serviceIsBack, 'the service to come back after the thaw');
    const lines = outageLogLines(logged);
    expect(lines.away).toBeGreaterThanOrEqual(1);
    expect(lines.away).toBeLessThan(refused.length);
    console.log(`freeze: ${answers.length} requests in 10 s, ${refused.length} × 503, slowest ${slowest} ms; back ${((Date.now() - thawedAt) / 1000).toFixed(1)} s after the thaw`);
  });

  it('closes a connection whose query got no answer in time instead of handing it out again; long work may take longer', async () => {
    const single = connectDatabase(cluster!.appUrl(DATABASE), 1, { queryTimeoutMs: 1_000 });
    try {
      const before = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(single.db);
      const started = Date.now();
      const timedOut = await sql`SELECT pg_sleep(4)`.execute(single.db).then(() => null, (error: unknown) => error);
      expect(Date.now() - started).toBeLessThan(1_000 + MARGIN_MS);
      expect(databaseFault(timedOut)).toBe(DATABASE_UNAVAILABLE);
      // The only connection of the pool: were it kept, this would wait behind pg_sleep on the same backend.
      const afterStarted = Date.now();
      const after = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(single.db);
      expect(after.rows[0].pid).not.toBe(before.rows[0].pid);
      expect(Date.now() - afterStarted).toBeLessThan(2_000);
      // An import's statements run without the client-side limit.
      const slow = await allowLongQueries(() => sql<{ done: boolean }>`SELECT true AS done FROM pg_sleep(1.5)`.execute(single.db));
      expect(slow.rows[0].done).toBe(true);
    } finally {
      await single.close();
    }
  });
});
