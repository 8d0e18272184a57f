import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { Session as InspectorSession } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';
import { abuse } from '../helpers/abuse-client.js';
import { tileOf } from '../helpers/tiles.js';

/**
 * Issue 12, item 1: a logged-in reader cannot take the service down. The hostile bodies of the
 * issue and a big legal check (92 km², 5 000 vertices: ~1 300 parcels cut), many at once from four
 * users, while tiles and health are timed; a legal check too heavy for its class's statement
 * timeout (50 000 vertices over the same land) is answered 503 query_timeout (last describe).
 * Over real HTTP on 127.0.0.1 (app.listen), not inject: the bodies then go through sockets, the
 * HTTP parser and keep-alive connections as a browser's would, and a refusal before the body is
 * read (per-user limit, body limit) is what the server really does with a 9 MB upload it does not
 * want. The attackers run in a worker thread (their own event loop, as other machines would have);
 * the prober shares the server's, so its times are if anything longer than a browser would see.
 */

const RULE_SET = 'xiamen-new-industrial';

/** A polygon approximating a circle: `radiusM` around [lon, lat], `vertices` points. */
function circle(lon: number, lat: number, radiusM: number, vertices: number) {
  const ring: number[][] = [];
  for (let index = 0; index < vertices; index += 1) {
    const angle = (index / vertices) * 2 * Math.PI;
    ring.push([lon + (radiusM * Math.cos(angle)) / (111_320 * Math.cos((lat * Math.PI) / 180)), lat + (radiusM * Math.sin(angle)) / 110_574]);
  }
  ring.push(ring[0]);
  return { type: 'Polygon', coordinates: [ring] };
}

interface Answer {
  status: number;
  ms: number;
  body: string;
  headers: Headers;
}

interface Client {
  session: Session;
  get(path: string): Promise<Answer>;
}

function clientOf(base: string, session: Session): Client {
  return {
    session,
    async get(path) {
      const start = performance.now();
      const response = await fetch(`${base}${path}`, { headers: { cookie: session.cookie } });
      const text = await response.text();
      return { status: response.status, ms: performance.now() - start, body: text, headers: response.headers };
    },
  };
}

async function listening(testApp: TestApp): Promise<string> {
  await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
}

/** z15 tiles over the island of the demo city (湖里, 思明), each asked once: rendered, not cached. */
function islandTiles(): string[] {
  const urls = new Set<string>();
  for (let lon = 118.07; lon < 118.2; lon += 0.011) {
    for (let lat = 24.44; lat < 24.56; lat += 0.011) {
      const { z, x, y } = tileOf(lon, lat, 15);
      urls.add(`/tiles/parcels/${z}/${x}/${y}.pbf`);
    }
  }
  return [...urls];
}

/**
 * Health, a tile not asked before and a parcel's card, every `everyMs` until `done()`; each timed.
 */
async function probe(client: Client, parcelId: number, tiles: string[], done: () => boolean, everyMs = 150) {
  const samples: { what: string; status: number; ms: number }[] = [];
  let next = 0;
  while (!done()) {
    const tile = tiles[next++ % tiles.length];
    const [health, tileAnswer, parcel] = await Promise.all([
      client.get('/api/health'), client.get(tile), client.get(`/api/parcels/${parcelId}`),
    ]);
    samples.push({ what: 'health', status: health.status, ms: health.ms }, { what: 'tile', status: tileAnswer.status, ms: tileAnswer.ms },
      { what: 'parcel', status: parcel.status, ms: parcel.ms });
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return samples;
}

function percentile(samples: { what: string; ms: number }[], what: string, fraction: number): number {
  const sorted = samples.filter((sample) => sample.what === what).map((sample) => sample.ms).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

const worst = (samples: { what: string; ms: number }[], what: string) => Math.max(...samples.filter((sample) => sample.what === what).map((sample) => sample.ms));

describe('abuse under load (issue 12, item 1)', () => {
  let testApp: TestApp;
  let base: string;
  const users = ['viewer', 'planner', 'surveyor', 'official'] as const;
  const clients = new Map<string, Client>();
  let parcelId: number;

  beforeAll(async () => {
    // The server's own settings (pools and limits as `npm start` has them).
    testApp = await createTestApp();
    base = await listening(testApp);
    for (const user of users) clients.set(user, clientOf(base, await login(testApp.app, user)));
    clients.set('prober', clientOf(base, await login(testApp.app, 'planner-huli')));
    parcelId = (await clients.get('surveyor')!.session.get('/api/parcels?district=350206&pageSize=1')).json().items[0].id as number;
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('keeps tiles and health under 1 s while four users each send the hostile bodies 16 at once, again and again; no 5xx', async () => {
    const detail = (await clients.get('surveyor')!.session.get(`/api/parcels/${parcelId}`)).json();
    const [minLon, minLat] = detail.bbox as number[];
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value));
    const bodies = [
      // The 103-byte body seen: coordinates ±1e300.
      { path: '/api/checks', method: 'POST', body: encode({ ruleSet: RULE_SET, boundary: { type: 'Polygon', coordinates: [[[-1e300, -1e300], [1e300, -1e300], [1e300, 1e300], [-1e300, -1e300]]] } }) },
      // 19 000 parts.
      {
        path: '/api/checks', method: 'POST', body: encode({
          ruleSet: RULE_SET,
          boundary: {
            type: 'MultiPolygon', coordinates: Array.from({ length: 19_000 }, (_, index) => {
              const lon = 118.0 + (index % 200) * 0.0005;
              const lat = 24.4 + Math.floor(index / 200) * 0.0005;
              return [[[lon, lat], [lon + 0.0001, lat], [lon + 0.0001, lat + 0.0001], [lon, lat]]];
            }),
          },
        }),
      },
      // A parcel shape of 400 000 vertices (9 MB): refused from its Content-Length, before it is read.
      {
        path: `/api/parcels/${parcelId}`, method: 'PATCH', body: encode({
          geometry: {
            type: 'Polygon', coordinates: [Array.from({ length: 400_001 }, (_, index) => {
              const angle = ((index % 400_000) / 400_000) * 2 * Math.PI;
              return [Number((minLon + 0.0005 + 0.0004 * Math.cos(angle)).toFixed(6)), Number((minLat + 0.0005 + 0.0004 * Math.sin(angle)).toFixed(6))];
            })],
          },
        }),
      },
      // A legal boundary of 92 km² and 5 000 vertices over the island: about 1 300 parcels to cut.
      { path: '/api/checks', method: 'POST', body: encode({ ruleSet: RULE_SET, boundary: circle(118.12, 24.49, 5400, 5000) }) },
    ];
    expect(bodies[0].body.length).toBeLessThan(200);
    expect(bodies[2].body.length).toBeGreaterThan(8_000_000);

    // Warm: the first request of a pool opens its connections; that is not what is measured.
    await probe(clients.get('prober')!, parcelId, islandTiles().reverse(), (() => { let rounds = 0; return () => rounds++ >= 2; })(), 0);
    // The server's event loop (shared with the prober): its longest stall says whether a slow sample
    // was the process or the database. ABUSE_PROFILE=file.cpuprofile records a CPU profile of the burst.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const profiler = process.env.ABUSE_PROFILE ? new InspectorSession() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    let bursting = true;
    // Four users, each sending 16 at once, round after round, for 15 s (from a worker thread: see abuse-client.ts).
    const attack = abuse({
      base, bodies, seconds: 15, perRound: 16,
      users: users.map((name) => ({ name, cookie: clients.get(name)!.session.cookie, csrfToken: clients.get(name)!.session.csrfToken })),
    }).finally(() => {
      bursting = false;
    });
    const samples = await probe(clients.get('prober')!, parcelId, islandTiles(), () => !bursting);
    const answers = await attack;
    loop.disable();
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      await writeFile(process.env.ABUSE_PROFILE!, JSON.stringify(profile));
      profiler.disconnect();
    }

    const count = (predicate: (answer: (typeof answers)[number]) => boolean) => answers.filter(predicate).length;
    const figures = {
      requests: answers.length,
      checked: count((answer) => answer.status === 200),
      refusedBody: count((answer) => answer.status === 400 || answer.status === 413),
      limited: count((answer) => answer.status === 429),
      samples: samples.length / 3,
      worstHealthMs: Math.round(worst(samples, 'health')),
      worstTileMs: Math.round(worst(samples, 'tile')),
      worstParcelMs: Math.round(worst(samples, 'parcel')),
      p95HealthMs: Math.round(percentile(samples, 'health', 0.95)),
      p95TileMs: Math.round(percentile(samples, 'tile', 0.95)),
      eventLoopMaxMs: Math.round(loop.max / 1e6),
      eventLoopP99Ms: Math.round(loop.percentile(99) / 1e6),
    };
    console.log('abuse-load', JSON.stringify(figures));

    expect(answers.filter((answer) => answer.status >= 500)).toEqual([]);
    expect(samples.filter((sample) => sample.status >= 500)).toEqual([]);
    // Every hostile body refused for what it is, the legal one checked or limited, nothing else.
    for (const answer of answers) {
      if (answer.status === 429) expect(answer.error).toBe('rate_limited');
      // The 9 MB body is refused from its Content-Length while the client may still be sending it;
      // a client can then see the connection end (EPIPE, reset) before it reads the 413, as with nginx.
      else if (answer.status === 0 && answer.kind === 2 && /EPIPE|ECONNRESET|other side closed|socket/i.test(answer.error ?? '')) continue;
      else if (answer.status === 0) expect.fail(`no answer to ${answer.user}'s body ${answer.kind}: ${answer.error}`);
      else if (answer.kind === 3) expect(answer.status).toBe(200);
      else if (answer.kind === 2) expect([answer.status, answer.error]).toEqual([413, 'body_too_large']);
      else expect(answer.status).toBe(400);
    }
    expect(answers.filter((answer) => answer.kind === 2 && answer.status === 413).length, 'the 9 MB body answered 413 at least once').toBeGreaterThan(0);
    expect(figures.checked).toBeGreaterThan(0);
    expect(figures.limited).toBeGreaterThan(0);
    expect(figures.samples).toBeGreaterThanOrEqual(10);
    expect(samples.filter((sample) => sample.what !== 'parcel').every((sample) => sample.status === 200 || sample.status === 204)).toBe(true);
    // The bound, 1 s, for every sample where the machine is the server's own (ABUSE_STRICT=1).
    // On a shared, overloaded test machine (2 cores, load 10+) single samples stall with the whole
    // process; there, 95 % of them must still be under 1 s and none over 5 s.
    if (process.env.ABUSE_STRICT === '1') {
      expect(figures.worstHealthMs).toBeLessThan(1000);
      expect(figures.worstTileMs).toBeLessThan(1000);
    } else {
      expect(figures.p95HealthMs).toBeLessThan(1000);
      expect(figures.p95TileMs).toBeLessThan(1000);
      expect(figures.worstHealthMs).toBeLessThan(5000);
      expect(figures.worstTileMs).toBeLessThan(5000);
    }
  }, 180_000);
});

/** A boundary of a few hectares on 湖里: the size of a real 成片改造区域 being drawn. */
const drawn = (step: number) => circle(118.12 + step * 0.00002, 24.49, 150, 24);

describe('a user drawing an area (the live gauges) is not limited', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('answers every debounced check, each edit 600 ms after the last and cancelling the one still running', async () => {
    const base = await listening(testApp);
    const planner = await login(testApp.app, 'planner');
    const answers: number[] = [];
    let running: { controller: AbortController; answer: Promise<void> } | null = null;
    for (let step = 0; step < 20; step += 1) {
      running?.controller.abort();
      const controller = new AbortController();
      const answer = fetch(`${base}/api/checks`, {
        method: 'POST', signal: controller.signal,
        headers: { cookie: planner.cookie, 'x-csrf-token': planner.csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify({ ruleSet: RULE_SET, boundary: drawn(step) }),
      }).then((response) => {
        answers.push(response.status);
      }, (error: Error) => {
        if (error.name !== 'AbortError') throw error;
      });
      running = { controller, answer };
      await new Promise((resolve) => setTimeout(resolve, 600)); // CHECK_DELAY_MS of use-area-checks.ts
    }
    await running?.answer;
    expect(answers.length).toBeGreaterThan(10);
    expect(answers.filter((status) => status !== 200)).toEqual([]);
  }, 60_000);
});

describe('limits and timeouts answer clearly (issue 12, item 1)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    // A heavy statement timeout of 1 s (a drawn area's check takes tens of ms), and a small per-minute allowance.
    testApp = await createTestApp({ DB_TIMEOUT_HEAVY_MS: '1000', HEAVY_PER_MINUTE_PER_USER: '4' });
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('answers a check cancelled by its statement_timeout with 503 query_timeout in Chinese and Retry-After, and health meanwhile', async () => {
    const viewer = await login(testApp.app, 'viewer');
    const [answer, health] = await Promise.all([
      // 92 km² of 50 000 vertices over the island: well over 1 s of overlay on any machine.
      viewer.request({ method: 'POST', url: '/api/checks', payload: { ruleSet: RULE_SET, boundary: circle(118.12, 24.49, 5400, 50_000) } }),
      new Promise((resolve) => setTimeout(resolve, 100)).then(() => testApp.app.inject({ method: 'GET', url: '/api/health' })),
    ]);
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toMatchObject({ error: 'query_timeout' });
    expect(answer.json().message).toContain('查询超时');
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    expect(health.statusCode).toBe(200);
    // The heavy pool's connection is usable again: a small check passes.
    const small = await viewer.request({ method: 'POST', url: '/api/checks', payload: { ruleSet: RULE_SET, boundary: drawn(0) } });
    expect(small.statusCode).toBe(200);
  });

  it('refuses a third check of one user running at once with 429 rate_limited and Retry-After; another user is not affected', async () => {
    const official = await login(testApp.app, 'official');
    const other = await login(testApp.app, 'planner-huli');
    const body = { ruleSet: RULE_SET, boundary: circle(118.12, 24.49, 2000, 2000) };
    const [first, second, third, others] = await Promise.all([
      official.request({ method: 'POST', url: '/api/checks', payload: body }),
      official.request({ method: 'POST', url: '/api/checks', payload: body }),
      official.request({ method: 'POST', url: '/api/checks', payload: body }),
      other.request({ method: 'POST', url: '/api/checks', payload: { ruleSet: RULE_SET, boundary: drawn(1) } }),
    ]);
    const statuses = [first, second, third].map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 429)).toHaveLength(1);
    const limited = [first, second, third].find((response) => response.statusCode === 429)!;
    expect(limited.json()).toMatchObject({ error: 'rate_limited' });
    expect(limited.json().message).toContain('最多同时 2 个');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(others.statusCode).toBe(200);
  });

  it('refuses checks past the per-minute allowance of a user with 429 rate_limited and the seconds to wait', async () => {
    const planner = await login(testApp.app, 'planner');
    const statuses: number[] = [];
    let last;
    for (let index = 0; index < 5; index += 1) {
      last = await planner.request({ method: 'POST', url: '/api/checks', payload: { ruleSet: RULE_SET, boundary: drawn(index) } });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect(last!.json()).toMatchObject({ error: 'rate_limited' });
    expect(last!.json().message).toContain('每分钟最多 4 次');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});
