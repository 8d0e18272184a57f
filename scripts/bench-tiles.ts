/**
 * `npm run bench:tiles`: vector tiles at city scale (the tiles issue, item 4).
 *
 * Over 1 M generated parcels (the city of `npm run seed -- --parcels 1000000`, same seed), in a
 * database of its own (`biaotu_bench_tiles`, kept between runs so the 45 s seed is paid once), it
 * runs the real server as a child process and measures, on loopback:
 * - the floor: the same tile statements executed directly with `pg` (no HTTP, no gzip), with as
 *   many connections as the HTTP concurrency, over the same request list;
 * - cold: autocannon through HTTP with both tile caches emptied first (every request renders);
 * - warm: the same list again and again with the caches full, from a lean client (scripts/bench/
 *   lean-http.ts: autocannon, which decodes every body to a string, was the bottleneck there) and,
 *   for comparison with earlier runs, from autocannon;
 * at concurrency 8 and 32, plus the densest tile of each zoom. The request list is fixed: sixteen
 * map sessions (eleven over the densest industrial parks, five over random parcels) that each look
 * at a 1536 × 1024 px screen from z10 to z18 and pan once per zoom from z13 on.
 * Figures go to bench-results/tiles.json and tiles.md.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import pg from 'pg';
import { MIGRATIONS_DIRECTORY, prepareDatabase } from '../server/bootstrap.js';
import { REPOSITORY_ROOT } from '../server/config.js';
import { connectDatabase, ensureDatabaseExists } from '../server/db/database.js';
import { applyMigrations } from '../server/db/migrate.js';
import { DEMO_SEED, loadDistricts, loadGeneratedParcels } from '../server/demo/demo-city.js';
import { hashPassword } from '../server/auth/passwords.js';
import { createUsersRepository } from '../server/auth/users.repository.js';
import { leanLoad } from './bench/lean-http.js';
import { Scope } from '../server/auth/scope.js';
import { createTilesRepository, TILE_LAYERS } from '../server/tiles/tiles.repository.js';
import { POLYGON_MINZOOM } from '../server/tiles/tiles.sql.js';

const PARCELS = 1_000_000;
const DATABASE = 'biaotu_bench_tiles';
const ADMIN_PASSWORD = 'Bench-admin-2026';
const CONCURRENCIES = [8, 32] as const;
const WARM_SECONDS = Number(process.env.BENCH_WARM_SECONDS ?? 10);
/**
 * Each round of the product ÷ peer comparison: by default each party serves the whole z14–z18 list
 * once, so both render exactly the same tiles and the per-zoom figures compare like with like (a
 * fixed duration lets the faster party go further down the list, into other sessions' tiles).
 * BENCH_SECONDS=<s> runs each party for that long instead (issue 19 measured 15 s).
 */
const SECONDS = process.env.BENCH_SECONDS ? Number(process.env.BENCH_SECONDS) : null;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CAP_BYTES = 500 * 1024;
/** BENCH_BANDS=16,17: only these bands alone, no mixed rounds, nothing written (for finding where a band's time goes). */
const BANDS_ONLY = process.env.BENCH_BANDS ? process.env.BENCH_BANDS.split(',').map(Number) : null;

interface Tile { z: number; x: number; y: number }
const pathOf = (tile: Tile) => `/tiles/parcels/${tile.z}/${tile.x}/${tile.y}.pbf`;

// --- database ---------------------------------------------------------------------------------
const prepared = await prepareDatabase({ databaseName: 'biaotu' });
const baseUrl = prepared.url.replace(/\/[^/]+$/, '');
await ensureDatabaseExists(baseUrl, DATABASE);
const ownerUrl = `${baseUrl}/${DATABASE}`;
const owner = connectDatabase(ownerUrl, 2);
await applyMigrations(owner.pool, MIGRATIONS_DIRECTORY, () => undefined);
if ((await owner.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM districts')).rows[0].n === 0) await loadDistricts(owner.pool);
// bench:table and bench:export share this database and may have started it first, creating the
// administrator without ADMIN_PASSWORD (a generated password): this bench signs in with its own.
{
  const users = createUsersRepository(owner.db);
  const admin = await users.findByUsername('admin');
  if (admin) await users.changePassword({ name: 'bench:tiles' }, admin.id, await hashPassword(ADMIN_PASSWORD));
}
const { rows: [{ n: existing }] } = await owner.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM parcels');
let seedSeconds: number | null = null;
if (existing !== PARCELS) {
  console.log(`seeding ${PARCELS.toLocaleString('en')} parcels (seed ${DEMO_SEED}) …`);
  seedSeconds = (await loadGeneratedParcels(owner.pool, { count: PARCELS, seed: DEMO_SEED, actor: 'bench:tiles' })).seconds;
  console.log(`seeded in ${seedSeconds.toFixed(1)} s (grid maintained by the trigger included)`);
}

// --- the request list ---------------------------------------------------------------------------
const WORLD = 40075016.68557849;
const ORIGIN = 20037508.342789244;
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
const { rows: parks } = await owner.pool.query<{ x: number; y: number }>(
  // Centres of the densest 600 m cells, at least ~2.4 km apart (one per level-14 cell).
  `SELECT DISTINCT ON (cx >> 2, cy >> 2) (cx + 0.5) * ($1 / 2 ^ 16) - $2 AS x, $2 - (cy + 0.5) * ($1 / 2 ^ 16) AS y, parcels
   FROM (SELECT cx, cy, sum(parcels) AS parcels FROM parcel_cells WHERE level = 16 GROUP BY 1, 2) c
   ORDER BY cx >> 2, cy >> 2, parcels DESC`, [WORLD, ORIGIN]);
const { rows: densest } = await owner.pool.query<{ x: number; y: number; parcels: number }>(
  `SELECT cx, cy, sum(parcels)::int AS parcels, (cx + 0.5) * ($1 / 2 ^ 17) - $2 AS x, $2 - (cy + 0.5) * ($1 / 2 ^ 17) AS y
   FROM parcel_cells WHERE level = 17 GROUP BY cx, cy ORDER BY 3 DESC LIMIT 1`, [WORLD, ORIGIN]);
const { rows: sample } = await owner.pool.query<{ x: number; y: number }>(
  `SELECT ST_X(c) AS x, ST_Y(c) AS y FROM (SELECT ST_Centroid(geom_3857) AS c FROM parcels WHERE id % 200003 = 7 ORDER BY id) p`);
const pickRandom = random(20261122);
const byDensity = [...parks].sort((a, b) => (b as unknown as { parcels: number }).parcels - (a as unknown as { parcels: number }).parcels);
const centres = [...byDensity.slice(0, 11), ...sample.slice(0, 5)].map((centre) => ({ x: centre.x + (pickRandom() - 0.5) * 300, y: centre.y + (pickRandom() - 0.5) * 300 }));

function screen(centre: { x: number; y: number }, z: number): Tile[] {
  const size = WORLD / 2 ** z;
  const cx = (centre.x + ORIGIN) / size;
  const cy = (ORIGIN - centre.y) / size;
  const tiles: Tile[] = [];
  for (let x = Math.floor(cx - 3); x < Math.floor(cx - 3) + 6; x++) {
    for (let y = Math.floor(cy - 2); y < Math.floor(cy - 2) + 4; y++) tiles.push({ z, x, y });
  }
  return tiles;
}
const list: Tile[] = [];
const seen = new Set<string>();
for (const centre of centres) {
  for (let z = 10; z <= 18; z++) {
    const views = [centre];
    if (z >= 13) views.push({ x: centre.x + (WORLD / 2 ** z) * 3, y: centre.y - (WORLD / 2 ** z) * 1 });
    for (const view of views) {
      for (const tile of screen(view, z)) {
        const key = pathOf(tile);
        if (!seen.has(key)) {
          seen.add(key);
          list.push(tile);
        }
      }
    }
  }
}
console.log(`request list: ${list.length} distinct tiles, z10–z18, ${centres.length} sessions`);

// --- the server -------------------------------------------------------------------------------
async function freePort(): Promise<number> {
  return await new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
// BENCH_SPLIT_CORES=1: PostgreSQL on core 1, the server and the load generator on core 0, as when
// the database has a host of its own (figures go to tiles-split-cores.*). PostgreSQL's backends
// inherit the postmaster's affinity.
const splitCores = process.env.BENCH_SPLIT_CORES === '1';
function postgresPids(): string[] {
  return fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
    } catch {
      return false;
    }
  });
}
function pinPostgres(cores: string): void {
  for (const pid of postgresPids()) spawnSync('taskset', ['-a', '-p', '-c', cores, pid], { stdio: 'ignore' });
}
if (splitCores) {
  if (os.cpus().length < 2) throw new Error('BENCH_SPLIT_CORES needs two cores');
  pinPostgres('1');
  spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  // Whatever happens, the cluster gets all cores back.
  process.on('exit', () => pinPostgres(`0-${os.cpus().length - 1}`));
}
// BENCH_CPU_PROFILE=<dir>: the product and the peer each write a V8 CPU profile there when they stop.
const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];

interface Server { child: ChildProcess; origin: string; headers: Record<string, string>; csrfToken: string }

/** Starts a server (the product's scripts/start.ts, or the peer) as a child process and waits until it answers. */
async function startServer(script: string, env: Record<string, string>, options: { profile?: boolean } = {}): Promise<Server> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const command = [process.execPath, ...(options.profile ? profile : []), '--import', 'tsx', path.join(REPOSITORY_ROOT, 'scripts', script)];
  const child: ChildProcess = spawn(splitCores ? 'taskset' : command[0], splitCores ? ['-c', '0', ...command] : command.slice(1), {
    env: { ...process.env, DATABASE_URL: ownerUrl, PORT: String(port), HOST: '127.0.0.1', ADMIN_PASSWORD, LOG_LEVEL: 'warn', BIAOTU_DEMO_USERS: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout!.on('data', () => undefined);
  const probe = script === 'start.ts' ? '/api/health' : '/tiles/parcels/0/0/0.pbf';
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${origin}${probe}`)).status < 500) break;
    } catch { /* not yet */ }
    if (attempt > 600) throw new Error(`${script} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (script !== 'start.ts') return { child, origin, headers: { 'accept-encoding': 'gzip' }, csrfToken: '' };
  const login = await fetch(`${origin}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return { child, origin, headers: { cookie, 'accept-encoding': 'gzip' }, csrfToken };
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

async function emptyCaches(server: Server): Promise<void> {
  const response = await fetch(`${server.origin}/api/admin/tile-cache`, { method: 'DELETE', headers: { cookie: server.headers.cookie, 'x-csrf-token': server.csrfToken } });
  if (!response.ok) throw new Error(`emptying the caches failed: ${response.status}`);
}

// --- measuring ----------------------------------------------------------------------------------
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
interface Sample { z: number; ms: number; bytes: number }
function summarize(samples: Sample[], seconds: number) {
  const byZoom: Record<string, { requests: number; meanMs: number; p50: number; p95: number; p99: number; bytesMedian: number; bytesP95: number; bytesMax: number }> = {};
  for (let z = 10; z <= 18; z++) {
    const of = samples.filter((sample) => sample.z === z);
    const ms = of.map((sample) => sample.ms).sort((a, b) => a - b);
    const bytes = of.map((sample) => sample.bytes).sort((a, b) => a - b);
    byZoom[`z${z}`] = {
      requests: of.length, meanMs: round(ms.reduce((sum, value) => sum + value, 0) / Math.max(1, ms.length)),
      p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), p99: round(percentile(ms, 99)),
      bytesMedian: percentile(bytes, 50), bytesP95: percentile(bytes, 95), bytesMax: bytes.at(-1) ?? 0,
    };
  }
  const all = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  return {
    requests: samples.length, seconds: round(seconds), tilesPerSecond: Math.round(samples.length / seconds),
    p50: round(percentile(all, 50)), p95: round(percentile(all, 95)), p99: round(percentile(all, 99)), byZoom,
  };
}
const round = (value: number) => Math.round(value * 100) / 100;

/** CPU seconds used so far by the server process, by PostgreSQL (all its processes) and by this one. */
function cpuSeconds(server: Server | null): { server: number; postgres: number; bench: number } {
  const ticks = 100; // USER_HZ on Linux
  const of = (pid: string) => {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / ticks;
    } catch {
      return 0;
    }
  };
  // This cluster's postmaster and its children only (other clusters may share the machine).
  const postmaster = prepared.cluster ? fs.readFileSync(path.join(prepared.cluster.dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0].trim() : null;
  let postgres = 0;
  for (const pid of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      const parent = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1];
      if (!postmaster || pid === postmaster || parent === postmaster) postgres += of(pid);
    } catch { /* gone */ }
  }
  const own = process.cpuUsage();
  return { server: server?.child.pid ? of(String(server.child.pid)) : 0, postgres, bench: (own.user + own.system) / 1e6 };
}

/** Runs `work` and adds the CPU seconds each party used meanwhile. */
async function withCpu<T extends object>(server: Server | null, work: () => Promise<T>): Promise<T & { cpuSeconds: { server: number; postgres: number; bench: number } }> {
  const before = cpuSeconds(server);
  const result = await work();
  const after = cpuSeconds(server);
  return { ...result, cpuSeconds: { server: round(after.server - before.server), postgres: round(after.postgres - before.postgres), bench: round(after.bench - before.bench) } };
}

/** The floor: the tile statements straight through `pg`, `concurrency` connections. */
async function floor(concurrency: number) {
  const pool = new pg.Pool({ connectionString: ownerUrl, max: concurrency });
  const repository = createTilesRepository(pool);
  const parcels = TILE_LAYERS.find((layer) => layer.id === 'parcels')!;
  // Connections and prepared statements first, as a running server has them.
  await Promise.all(Array.from({ length: concurrency }, () => repository.tile(parcels, 10, 847, 439, Scope.system())));
  const samples: Sample[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let index = next++; index < list.length; index = next++) {
      const tile = list[index];
      const start = performance.now();
      const rendered = await repository.tile(parcels, tile.z, tile.x, tile.y, Scope.system());
      samples.push({ z: tile.z, ms: performance.now() - start, bytes: rendered.body.length });
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  return summarize(samples, seconds);
}

/** The answers of one run, counted alike for both load generators: failures, X-Tile-Cache sources, a sample per tile. */
function tally() {
  const samples: Sample[] = [];
  const cache: Record<string, number> = {};
  let failures = 0;
  return {
    samples,
    cache,
    get failures() { return failures; },
    record(tile: Tile, status: number, source: string | undefined, ms: number, bytes: number) {
      if (status !== 200 && status !== 204) failures++;
      cache[source ?? 'none'] = (cache[source ?? 'none'] ?? 0) + 1;
      samples.push({ z: tile.z, ms, bytes });
    },
  };
}

/** Through HTTP with autocannon; `amount` requests over `tiles` in order (cycling), or for `duration` s. */
async function overHttp(server: Server, tiles: Tile[], concurrency: number, options: { amount?: number; duration?: number }) {
  const { origin, headers } = server;
  const answers = tally();
  let next = 0;
  // A run of a fixed amount ends at autocannon's next one-second tick, so its own duration can be
  // up to a second long: such runs are timed here, first request sent to last answer received.
  let firstSent = Infinity;
  let lastAnswered = 0;
  const result = await autocannon({
    url: origin,
    connections: concurrency,
    pipelining: 1,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration }),
    requests: [{
      method: 'GET',
      headers,
      setupRequest(request, context) {
        const tile = tiles[next++ % tiles.length];
        const started = performance.now();
        firstSent = Math.min(firstSent, started);
        Object.assign(context, { tile, started });
        return { ...request, path: pathOf(tile), headers };
      },
      onResponse(status, _body, state, responseHeaders) {
        const context = state as { tile: Tile; started: number };
        const answered = responseHeaders as Record<string, string>;
        lastAnswered = performance.now();
        answers.record(context.tile, status, answered['x-tile-cache'], lastAnswered - context.started, Number(answered['content-length'] ?? 0));
      },
    }],
  });
  const seconds = options.amount && answers.samples.length > 0 ? (lastAnswered - firstSent) / 1000 : result.duration;
  return {
    ...summarize(answers.samples, seconds),
    failures: answers.failures + result.errors + result.timeouts + result.non2xx,
    autocannon: { requests: result.requests.total, latencyP50: result.latency.p50, latencyP97_5: result.latency.p97_5, latencyP99: result.latency.p99, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx },
    cache: answers.cache,
  };
}

/** The warm rounds from the lean client: same list, same figures as overHttp, without autocannon's cost per body. */
async function leanOverHttp(server: Server, tiles: Tile[], concurrency: number, seconds: number) {
  const answers = tally();
  const { port, hostname } = new URL(server.origin);
  const result = await leanLoad({
    host: hostname, port: Number(port), headers: server.headers, items: tiles, pathOf, concurrency, seconds,
    onResponse: (tile, ms, response) => answers.record(tile, response.status, response.cache, ms, response.bytes),
  });
  return { ...summarize(answers.samples, result.seconds), failures: answers.failures, cache: answers.cache };
}

/** GET without decoding: the bytes as they went over the wire. */
function getRaw(server: Server, url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(`${server.origin}${url}`, { headers: server.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

/** The densest tile at each zoom (the tile holding the densest 300 m cell), rendered cold. */
async function densestTiles(server: Server) {
  const rows = [];
  const centre = densest[0];
  for (let z = 10; z <= 18; z++) {
    const size = WORLD / 2 ** z;
    const tile = { z, x: Math.floor((centre.x + ORIGIN) / size), y: Math.floor((ORIGIN - centre.y) / size) };
    await emptyCaches(server);
    const start = performance.now();
    const response = await getRaw(server, pathOf(tile));
    const ms = performance.now() - start;
    const raw = response.status === 200 ? gunzipSync(response.body) : Buffer.alloc(0);
    rows.push({
      z, tile: `${tile.x}/${tile.y}`, layer: z < POLYGON_MINZOOM ? 'cells' : 'parcels', ms: round(ms),
      rawBytes: raw.length, gzipBytes: response.status === 200 ? response.body.length : 0, thinned: (response.headers['x-tile-thinning'] as string | undefined) ?? null,
    });
  }
  return rows;
}

const started = new Date();
console.log('warming PostgreSQL (one untimed pass of the floor) …');
await floor(8);

type Cpu = { cpuSeconds: { server: number; postgres: number; bench: number } };
type HttpRun = Awaited<ReturnType<typeof overHttp>> & Cpu;
interface Comparison {
  /** cpuEfficiency: tiles per CPU-second of server and PostgreSQL, product ÷ peer (what decides on cores of their own). */
  rounds: { round: number; peer: HttpRun; product: HttpRun; productOverPeer: number; cpuEfficiency: number }[];
  byZoom: Record<string, { peerMeanMs: number; productMeanMs: number; productOverPeer: number }>;
  /** Each zoom band served alone (its tiles of the list, once per party per round): tiles/s per round, and product ÷ peer over the rounds. */
  bands: Record<string, {
    peer: number[]; product: number[]; productOverPeer: number;
    /** CPU milliseconds per tile over the rounds: the server process and PostgreSQL (all its processes). */
    cpuMsPerTile: Record<'peer' | 'product', { server: number; postgres: number }>;
  }>;
  /** Tiles/s of the product over the peer's, summed over the rounds. */
  productOverPeer: number;
}

// --- product ÷ peer (issue 19) -----------------------------------------------------------------
// The peer (scripts/bench-tiles-peer.ts) and the product with both tile caches off, so that every
// request renders (TILE_CACHE_BYTES=1 keeps nothing, TILE_STORE_MIN_MS keeps nothing in tile_cache),
// signed in as admin; the same z14–z18 part of the request list, in the same order, for
// one pass of the list each (or BENCH_SECONDS), in alternating rounds (peer first in odd rounds, product first in even ones).
const polygonList = list.filter((tile) => tile.z >= POLYGON_MINZOOM);
/** Who goes first in round `number`: the peer in odd rounds, the product in even ones. */
const orderOf = (number: number) => (number % 2 === 1 ? ['peer', 'product'] as const : ['product', 'peer'] as const);
const comparison: Record<string, Comparison> = {};
{
  const peer = await startServer('bench-tiles-peer.ts', {}, { profile: true });
  const product = await startServer('start.ts', { TILE_CACHE_BYTES: '1', TILE_STORE_MIN_MS: '1000000000' }, { profile: true });
  // Connections and prepared statements first, untimed.
  for (const server of [peer, product]) await overHttp(server, polygonList, 32, { amount: 400 });
  for (const concurrency of CONCURRENCIES) {
    const rounds: Comparison['rounds'] = [];
    for (let number = 1; number <= (BANDS_ONLY ? 0 : ROUNDS); number++) {
      const order = orderOf(number);
      const measured: Partial<Record<'peer' | 'product', Awaited<ReturnType<typeof overHttp>> & Cpu>> = {};
      for (const who of order) {
        const server = who === 'peer' ? peer : product;
        measured[who] = await withCpu(server, () => overHttp(server, polygonList, concurrency, SECONDS ? { duration: SECONDS } : { amount: polygonList.length }));
        console.log(`c${concurrency} round ${number} ${who}: ${measured[who].tilesPerSecond} tiles/s, p50 ${measured[who].p50} / p99 ${measured[who].p99} ms, failures ${measured[who].failures}, cpu ${JSON.stringify(measured[who].cpuSeconds)}`);
      }
      const perCpuSecond = (run: HttpRun) => run.requests / (run.cpuSeconds.server + run.cpuSeconds.postgres);
      rounds.push({
        round: number, peer: measured.peer!, product: measured.product!, productOverPeer: round(measured.product!.tilesPerSecond / measured.peer!.tilesPerSecond),
        cpuEfficiency: round(perCpuSecond(measured.product!) / perCpuSecond(measured.peer!)),
      });
    }
    // Per zoom: mean latency over all rounds, peer ÷ product (= product ÷ peer in tiles/s at equal concurrency).
    const byZoom: Comparison['byZoom'] = {};
    for (let z = POLYGON_MINZOOM; z <= 18; z++) {
      const mean = (who: 'peer' | 'product') => {
        const zooms = rounds.map((entry) => entry[who].byZoom[`z${z}`]);
        const requests = zooms.reduce((sum, zoom) => sum + zoom.requests, 0);
        return zooms.reduce((sum, zoom) => sum + zoom.meanMs * zoom.requests, 0) / Math.max(1, requests);
      };
      byZoom[`z${z}`] = { peerMeanMs: round(mean('peer')), productMeanMs: round(mean('product')), productOverPeer: round(mean('peer') / mean('product')) };
    }
    // Per zoom band served alone: in the mixed list a light tile's latency is mostly its wait behind
    // the heavy ones in flight, which grows with how many tiles a second the server turns over, so
    // the mixed run's per-zoom latencies do not compare the parties band by band. Here each band's
    // tiles of the list go through once per party, alternating as above; tiles/s is the figure.
    const bands: Comparison['bands'] = {};
    for (let z = POLYGON_MINZOOM; z <= 18; z++) {
      if (BANDS_ONLY && !BANDS_ONLY.includes(z)) continue;
      // The light bands take well under a second once through: repeated (every request still renders) so each run lasts seconds.
      const once = polygonList.filter((tile) => tile.z === z);
      const band = Array.from({ length: z >= 16 ? 4 : 1 }, () => once).flat();
      const rates: Record<'peer' | 'product', number[]> = { peer: [], product: [] };
      const cpu = { peer: { server: 0, postgres: 0, tiles: 0 }, product: { server: 0, postgres: 0, tiles: 0 } };
      for (let number = 1; number <= ROUNDS; number++) {
        for (const who of orderOf(number)) {
          const server = who === 'peer' ? peer : product;
          const run = await withCpu(server, () => overHttp(server, band, concurrency, { amount: band.length }));
          if (run.failures > 0) throw new Error(`z${z} alone, ${who}: ${run.failures} failures`);
          rates[who].push(run.tilesPerSecond);
          cpu[who].server += run.cpuSeconds.server;
          cpu[who].postgres += run.cpuSeconds.postgres;
          cpu[who].tiles += run.requests;
        }
      }
      const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
      const perTile = (who: 'peer' | 'product') => ({ server: round((cpu[who].server * 1000) / cpu[who].tiles), postgres: round((cpu[who].postgres * 1000) / cpu[who].tiles) });
      bands[`z${z}`] = { ...rates, productOverPeer: round(sum(rates.product) / sum(rates.peer)), cpuMsPerTile: { peer: perTile('peer'), product: perTile('product') } };
      console.log(`c${concurrency} z${z} alone: peer ${rates.peer.join(' / ')}, product ${rates.product.join(' / ')} tiles/s; CPU ms per tile, server / PostgreSQL: peer ${JSON.stringify(perTile('peer'))}, product ${JSON.stringify(perTile('product'))}`);
    }
    const total = (who: 'peer' | 'product') => rounds.reduce((sum, entry) => sum + entry[who].tilesPerSecond, 0);
    comparison[`c${concurrency}`] = { rounds, byZoom, bands, productOverPeer: round(total('product') / total('peer')) };
  }
  await stopServer(peer);
  await stopServer(product);
}
if (BANDS_ONLY) {
  // An experiment (BENCH_BANDS=16,17): the band figures above are printed, nothing is written.
  prepared.cluster?.stop();
  process.exit(0);
}

const runs: Record<string, unknown> = {};
let densestRows: Awaited<ReturnType<typeof densestTiles>> = [];
if (process.env.BENCH_ONLY !== 'peer') {
  const server = await startServer('start.ts', {}, { profile: true });
  for (const concurrency of CONCURRENCIES) {
    console.log(`c${concurrency}: floor …`);
    const floorRun = await withCpu(null, () => floor(concurrency));
    console.log(`  ${floorRun.tilesPerSecond} tiles/s, cpu ${JSON.stringify(floorRun.cpuSeconds)}`);
    await emptyCaches(server);
    console.log(`c${concurrency}: cold …`);
    const cold = await withCpu(server, () => overHttp(server, list, concurrency, { amount: list.length }));
    console.log(`  ${cold.tilesPerSecond} tiles/s, failures ${cold.failures}, cache ${JSON.stringify(cold.cache)}, cpu ${JSON.stringify(cold.cpuSeconds)}`);
    console.log(`c${concurrency}: warm …`);
    const warm = await withCpu(server, () => leanOverHttp(server, list, concurrency, WARM_SECONDS));
    console.log(`  lean client: ${warm.tilesPerSecond} tiles/s, failures ${warm.failures}, cache ${JSON.stringify(warm.cache)}, cpu ${JSON.stringify(warm.cpuSeconds)}`);
    const viaAutocannon = await withCpu(server, () => overHttp(server, list, concurrency, { duration: WARM_SECONDS }));
    console.log(`  autocannon: ${viaAutocannon.tilesPerSecond} tiles/s, failures ${viaAutocannon.failures}, cpu ${JSON.stringify(viaAutocannon.cpuSeconds)}`);
    const warmAutocannon = { tilesPerSecond: viaAutocannon.tilesPerSecond, p50: viaAutocannon.p50, p95: viaAutocannon.p95, p99: viaAutocannon.p99, failures: viaAutocannon.failures, cpuSeconds: viaAutocannon.cpuSeconds };
    runs[`c${concurrency}`] = { floor: floorRun, cold, warm, warmAutocannon, coldOverFloor: round(cold.tilesPerSecond / floorRun.tilesPerSecond) };
  }
  console.log('densest tile per zoom …');
  densestRows = await densestTiles(server);
  await stopServer(server);
}
await owner.close();

// --- report -----------------------------------------------------------------------------------
const comparisonLines = [
  '## Product ÷ peer (issue 19)',
  '',
  `The peer is the route a user would write instead (\`scripts/bench-tiles-peer.ts\`: one Fastify route, one ST_AsMVT over \`parcels.geom_3857\`, `
  + '`&&` with a 64-px margin, ST_AsMVTGeom buffer 64, attributes id, code, status, 低效类型, pg pool of 8, gzip level 1, no cache, no auth). '
  + `Both served the ${polygonList.length} z${POLYGON_MINZOOM}–z18 tiles of the request list in the same order, autocannon ${SECONDS ? `for ${SECONDS} s each` : 'once through the list each'}, alternating `
  + '(peer first in odd rounds), the product signed in as admin with both tile caches off (`TILE_CACHE_BYTES=1`, `TILE_STORE_MIN_MS=1000000000`): every request renders.',
  '',
  '| concurrency | round | peer tiles/s (p50 / p99 ms) | product tiles/s (p50 / p99 ms) | product ÷ peer | CPU s peer: server / PostgreSQL | CPU s product: server / PostgreSQL | tiles per CPU-second (server + PostgreSQL), product ÷ peer |',
  '|---|---|---|---|---|---|---|---|',
  ...Object.entries(comparison).flatMap(([name, entry]) => entry.rounds.map((round) =>
    `| ${name.slice(1)} | ${round.round} | ${round.peer.tilesPerSecond} (${round.peer.p50} / ${round.peer.p99}) | ${round.product.tilesPerSecond} (${round.product.p50} / ${round.product.p99}) | **${round.productOverPeer.toFixed(2)}** `
    + `| ${round.peer.cpuSeconds.server} / ${round.peer.cpuSeconds.postgres} | ${round.product.cpuSeconds.server} / ${round.product.cpuSeconds.postgres} | ${round.cpuEfficiency.toFixed(2)} |`)),
  '',
  `Per zoom band served alone (that band's tiles of the list, once per party — four times for z16–z18 — in each of ${ROUNDS} alternating rounds; tiles/s per round, peer → product; product ÷ peer over the rounds):`,
  '',
  `| zoom | tiles | ${Object.keys(comparison).map((name) => `${name} peer → product tiles/s | ${name} product ÷ peer`).join(' | ')} |`,
  `|---|---|${Object.keys(comparison).map(() => '---|---|').join('')}`,
  ...Array.from({ length: 19 - POLYGON_MINZOOM }, (_, index) => `z${POLYGON_MINZOOM + index}`).map((zoom) =>
    `| ${zoom} | ${polygonList.filter((tile) => `z${tile.z}` === zoom).length} | ${Object.values(comparison).map((entry) => `${entry.bands[zoom].peer.map((rate, index) => `${rate} → ${entry.bands[zoom].product[index]}`).join(', ')} | **${entry.bands[zoom].productOverPeer.toFixed(2)}**`).join(' | ')} |`),
  '',
  'CPU per tile in those band runs (ms; the server process with all its threads, and PostgreSQL with all its processes), peer → product:',
  '',
  `| zoom | ${Object.keys(comparison).map((name) => `${name} server | ${name} PostgreSQL`).join(' | ')} |`,
  `|---|${Object.keys(comparison).map(() => '---|---|').join('')}`,
  ...Array.from({ length: 19 - POLYGON_MINZOOM }, (_, index) => `z${POLYGON_MINZOOM + index}`).map((zoom) =>
    `| ${zoom} | ${Object.values(comparison).map((entry) => {
      const { peer, product } = entry.bands[zoom].cpuMsPerTile;
      return `${peer.server} → ${product.server} | ${peer.postgres} → ${product.postgres}`;
    }).join(' | ')} |`),
  '',
  'Per zoom in the mixed run above (mean latency over the rounds, peer mean ÷ product mean). In a mixed list a light tile mostly waits behind the heavy ones in flight, and that wait grows with the tiles a second the server turns over, so these are not the band-by-band comparison (the table above is):',
  '',
  `| zoom | ${Object.keys(comparison).map((name) => `${name} peer / product ms | ${name} product ÷ peer`).join(' | ')} |`,
  `|---|${Object.keys(comparison).map(() => '---|---|').join('')}`,
  ...Array.from({ length: 19 - POLYGON_MINZOOM }, (_, index) => `z${POLYGON_MINZOOM + index}`).map((zoom) =>
    `| ${zoom} | ${Object.values(comparison).map((entry) => `${entry.byZoom[zoom].peerMeanMs} / ${entry.byZoom[zoom].productMeanMs} | ${entry.byZoom[zoom].productOverPeer.toFixed(2)}`).join(' | ')} |`),
  `| all (tiles/s) | ${Object.values(comparison).map((entry) => ` | ${entry.productOverPeer.toFixed(2)}`).join(' | ')} |`,
  '',
];
if (process.env.BENCH_ONLY === 'peer') {
  console.log(comparisonLines.join('\n'));
  prepared.cluster?.stop();
  process.exit(0);
}
type Run = { floor: ReturnType<typeof summarize> & Cpu; cold: Awaited<ReturnType<typeof overHttp>> & Cpu; warm: Awaited<ReturnType<typeof leanOverHttp>> & Cpu; warmAutocannon: { tilesPerSecond: number; p50: number; p95: number; p99: number; failures: number; cpuSeconds: Cpu['cpuSeconds'] }; coldOverFloor: number };
const c8 = runs.c8 as Run;
const high = ['z14', 'z15', 'z16', 'z17', 'z18'];
const worstHighP95 = Math.max(...high.map((zoom) => c8.cold.byZoom[zoom].p95));
const maxBytes = Math.max(...Object.values(runs).flatMap((run) => Object.values((run as Run).cold.byZoom).map((zoom) => zoom.bytesMax)));
const targets = {
  coldOverFloorAtLeast0_9: Object.values(runs).every((run) => (run as Run).coldOverFloor >= 0.9),
  warmAtLeast5000: Object.values(runs).every((run) => (run as Run).warm.tilesPerSecond >= 5000),
  p95z14to18ColdC8AtMost100ms: worstHighP95 <= 100,
  noFailures: Object.values(runs).every((run) => (run as Run).cold.failures === 0 && (run as Run).warm.failures === 0 && (run as Run).warmAutocannon.failures === 0),
  noTileOver500KB: maxBytes <= CAP_BYTES && densestRows.every((row) => row.gzipBytes <= CAP_BYTES),
  productAtLeastPeer: Object.values(comparison).every((entry) => entry.productOverPeer >= 1 && Object.values(entry.bands).every((band) => band.productOverPeer >= 1)),
};
const report = {
  benchmark: 'bench:tiles', splitCores, at: started.toISOString(), machine: { cpus: os.cpus().length, node: process.version },
  data: { parcels: PARCELS, seed: DEMO_SEED, seedSeconds, polygonMinzoom: POLYGON_MINZOOM },
  requestList: { tiles: list.length, sessions: centres.length, byZoom: Object.fromEntries(Array.from({ length: 9 }, (_, index) => [`z${index + 10}`, list.filter((tile) => tile.z === index + 10).length])) },
  peer: { tiles: polygonList.length, seconds: SECONDS, rounds: ROUNDS, comparison }, runs, densest: densestRows, targets,
};
const out = path.join(REPOSITORY_ROOT, 'bench-results');
fs.mkdirSync(out, { recursive: true });
const outName = splitCores ? 'tiles-split-cores' : 'tiles';
fs.writeFileSync(path.join(out, `${outName}.json`), `${JSON.stringify(report, null, 2)}\n`);

const yes = (value: boolean) => (value ? 'met' : '**not met**');
const lines = [
  splitCores ? '# bench:tiles, PostgreSQL on its own core (BENCH_SPLIT_CORES=1)' : '# bench:tiles',
  '',
  ...(splitCores ? ['PostgreSQL pinned to core 1; the server and the load generator to core 0 (taskset), as when the database has a host of its own. Same list, same figures otherwise.', ''] : []),
  `Run ${report.at} on ${report.machine.cpus} cores, Node ${report.machine.node}: \`npm run bench:tiles\` over ${PARCELS.toLocaleString('en')} generated parcels (seed ${DEMO_SEED}), loopback, gzip. `
  + `Request list: ${list.length} distinct tiles z10–z18 from ${centres.length} map sessions (a 1536 × 1024 px screen per zoom, one pan per zoom from z13). `
  + `Parcels are polygons from z${POLYGON_MINZOOM}; below, tiles carry the precomputed grid.`,
  '',
  '| concurrency | floor (pg, no HTTP) tiles/s | cold tiles/s | cold ÷ floor | warm tiles/s | cold p50 / p95 / p99 ms | warm p50 / p95 / p99 ms | warm from autocannon: tiles/s (CPU s server / load generator) | failures |',
  '|---|---|---|---|---|---|---|---|---|',
  ...Object.entries(runs).map(([name, value]) => {
    const run = value as Run;
    return `| ${name.slice(1)} | ${run.floor.tilesPerSecond} | ${run.cold.tilesPerSecond} | ${run.coldOverFloor.toFixed(2)} | ${run.warm.tilesPerSecond} | ${run.cold.p50} / ${run.cold.p95} / ${run.cold.p99} | ${run.warm.p50} / ${run.warm.p95} / ${run.warm.p99} | ${run.warmAutocannon.tilesPerSecond} (${run.warmAutocannon.cpuSeconds.server} / ${run.warmAutocannon.cpuSeconds.bench}) | ${run.cold.failures + run.warm.failures + run.warmAutocannon.failures} |`;
  }),
  '',
  `Warm: ${WARM_SECONDS} s over the whole list with both caches full, from the lean client (\`scripts/bench/lean-http.ts\`: keep-alive, one request in flight per connection, bodies counted, not decoded); then the same from autocannon, which turns every body into a string and spent about twice the server's CPU per request, so its figure is the load generator's. Warm CPU s server / load generator, lean client: ${Object.entries(runs).map(([name, value]) => `${name} ${(value as Run).warm.cpuSeconds.server} / ${(value as Run).warm.cpuSeconds.bench}`).join(', ')}.`,
  '',
  'Where the CPU went (seconds for the whole list; PostgreSQL = all its processes; the load generator is this process):',
  '',
  '| concurrency | floor: PostgreSQL / load generator | cold: PostgreSQL / server / load generator | tiles per PostgreSQL CPU-second, floor → cold |',
  '|---|---|---|---|',
  ...Object.entries(runs).map(([name, value]) => {
    const run = value as Run;
    const floorRate = list.length / run.floor.cpuSeconds.postgres;
    const coldRate = list.length / run.cold.cpuSeconds.postgres;
    return `| ${name.slice(1)} | ${run.floor.cpuSeconds.postgres} / ${run.floor.cpuSeconds.bench} | ${run.cold.cpuSeconds.postgres} / ${run.cold.cpuSeconds.server} / ${run.cold.cpuSeconds.bench} | ${Math.round(floorRate)} → ${Math.round(coldRate)} (${(coldRate / floorRate).toFixed(2)}) |`;
  }),
  '',
  'Per zoom, concurrency 8 (latency in ms; bytes are what went over the wire, gzip):',
  '',
  '| zoom | tiles | floor p50 / p95 | cold p50 / p95 / p99 | warm p95 | bytes median / p95 / max |',
  '|---|---|---|---|---|---|',
  ...Object.keys(c8.cold.byZoom).map((zoom) => {
    const cold = c8.cold.byZoom[zoom];
    return `| ${zoom} | ${cold.requests} | ${c8.floor.byZoom[zoom].p50} / ${c8.floor.byZoom[zoom].p95} | ${cold.p50} / ${cold.p95} / ${cold.p99} | ${c8.warm.byZoom[zoom].p95} | ${cold.bytesMedian} / ${cold.bytesP95} / ${cold.bytesMax} |`;
  }),
  '',
  'The densest tile of each zoom (around the densest 300 m cell), rendered cold:',
  '',
  '| zoom | tile | layer | ms | raw bytes | gzip bytes | thinned |',
  '|---|---|---|---|---|---|---|',
  ...densestRows.map((row) => `| z${row.z} | ${row.tile} | ${row.layer} | ${row.ms} | ${row.rawBytes} | ${row.gzipBytes} | ${row.thinned ?? '—'} |`),
  '',
  'Targets (tiles issue): '
  + `cold ≥ 0.9 × floor: ${yes(targets.coldOverFloorAtLeast0_9)}; warm ≥ 5 000 tiles/s: ${yes(targets.warmAtLeast5000)}; `
  + `p95 ≤ 100 ms at z14–z18 cold, c8 (worst ${worstHighP95} ms): ${yes(targets.p95z14to18ColdC8AtMost100ms)}; no failures: ${yes(targets.noFailures)}; `
  + `no tile over 500 KB (largest ${maxBytes} B): ${yes(targets.noTileOver500KB)}; `
  + `product ≥ peer at z${POLYGON_MINZOOM}–z18, every concurrency, the mixed list and each band alone: ${yes(targets.productAtLeastPeer)}.`,
  '',
  ...comparisonLines,
];
// The history (earlier runs, kept by hand under "## History") survives a new run.
const mdPath = path.join(out, `${outName}.md`);
const previous = fs.existsSync(mdPath) ? fs.readFileSync(mdPath, 'utf8') : '';
const history = previous.includes('\n## History\n') ? previous.slice(previous.indexOf('\n## History\n') + 1) : '';
fs.writeFileSync(mdPath, [...lines, history].join('\n'));
console.log(lines.join('\n'));
prepared.cluster?.stop();
process.exit(0);
