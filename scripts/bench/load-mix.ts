/**
 * The traffic of bench:load and bench:soak: simulated people working on the demo city, each with
 * an account of their own, one request at a time with a short pause between actions, over one
 * keep-alive connection (HTTP/1.1, as a browser tab reuses its connection).
 *
 * - everyone opens the page (session, settings, districts, TileJSON) and then pans and zooms the
 *   map between z12 and z17 around a few places of the demo city: the tiles a 1280 × 800 px MapLibre
 *   view asks for (512 px vector tiles; parcels and areas to z16, districts to z14, overzoomed
 *   beyond), revalidated with their ETag once seen (304), as the browser does;
 * - viewers and surveyors click parcels (一宗一卡, surveyors also its history), list parcels with
 *   filters (district, status, 低效类型, pages 1–3) and open district statistics;
 * - planners also work on 成片改造区域: the areas page (list, parcels of the box as GeoJSON, the
 *   map with saved areas), then a boundary drawn round a group of neighbouring parcels is edited
 *   (a vertex moved, 2–5 times) with the live check after each edit (POST /api/checks, as the
 *   gauges do once the edit settles), then saved as a draft (POST /api/areas, or PUT on one of
 *   their own drafts; the oldest of three is deleted, so areas do not pile up during a soak).
 *
 * Every request is recorded by class (see ROUTE_CLASSES) with its latency and status.
 */
import http from 'node:http';
import type pg from 'pg';
import { EFFICIENCY_STATUS_CODES, INEFFICIENCY_TYPE_CODES } from '../../domain/efficiency.js';
import type { Role } from '../../domain/permissions.js';

export const BENCH_PASSWORD = 'Bench-user-2026';

export interface BenchAccount {
  username: string;
  role: Extract<Role, 'viewer' | 'planner' | 'surveyor'>;
  /** The districts the account may read and write (the city, or one district). */
  scopes: string[];
}

// --- route classes and the recorder --------------------------------------------------------------

export const ROUTE_CLASSES = {
  'tile-hit': { label: 'tile, memory cache (X-Tile-Cache: hit)', group: 'cached tiles' },
  'tile-store': { label: 'tile, persistent cache (store)', group: 'cached tiles' },
  'tile-miss': { label: 'tile, rendered (miss)', group: 'rendered tiles' },
  'page': { label: 'page open: /api/auth/me, settings, districts, survey-layers, rule-sets, TileJSON', group: 'API reads' },
  'parcel-read': { label: 'GET /api/parcels/{id}', group: 'API reads' },
  'parcel-history': { label: 'GET /api/parcels/{id}/history', group: 'API reads' },
  'parcel-search': { label: 'GET /api/parcels?district&status&type&page', group: 'API reads' },
  'district-stats': { label: 'GET /api/districts/{code}/stats', group: 'API reads' },
  'area-list': { label: 'GET /api/areas?district', group: 'API reads' },
  'parcels-in-box': { label: 'GET /api/parcels/geojson?bbox (areas page)', group: 'API reads' },
  'check': { label: 'POST /api/checks (live gauges)', group: 'checks' },
  'area-create': { label: 'POST /api/areas (new draft)', group: 'area saves' },
  'area-update': { label: 'PUT /api/areas/{id} (new version)', group: 'area saves' },
  'area-delete': { label: 'DELETE /api/areas/{id} (oldest draft)', group: 'area saves' },
  'login': { label: 'POST /api/auth/login', group: 'login' },
} as const;
export type RouteClass = keyof typeof ROUTE_CLASSES;
export const GROUPS = ['API reads', 'cached tiles', 'rendered tiles', 'checks', 'area saves', 'login'] as const;
export type Group = (typeof GROUPS)[number];

export interface LatencySummary { count: number; p50: number; p95: number; p99: number; max: number }

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const round = (value: number) => Math.round(value * 10) / 10;
export function summarize(values: number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  return { count: sorted.length, p50: round(percentile(sorted as unknown as number[], 50)), p95: round(percentile(sorted as unknown as number[], 95)), p99: round(percentile(sorted as unknown as number[], 99)), max: round(sorted.length ? sorted[sorted.length - 1] : 0) };
}

interface ErrorEntry { class: RouteClass; status: number | string; count: number; example: { method: string; path: string; body: string } }

/** Every request: when it ended, its class, latency and status; errors kept with one example each. */
export class Recorder {
  readonly started = performance.now();
  private readonly at: number[] = [];
  private readonly classes: RouteClass[] = [];
  private readonly ms: number[] = [];
  private readonly statuses: (number | string)[] = [];
  private readonly failed: boolean[] = [];
  readonly errors = new Map<string, ErrorEntry>();

  record(routeClass: RouteClass, ms: number, status: number | string, error: { method: string; path: string; body: string } | null): void {
    this.at.push(performance.now() - this.started);
    this.classes.push(routeClass);
    this.ms.push(ms);
    this.statuses.push(status);
    this.failed.push(error !== null);
    if (error) {
      const key = `${routeClass} ${status}`;
      const entry = this.errors.get(key);
      if (entry) entry.count++;
      else this.errors.set(key, { class: routeClass, status, count: 1, example: error });
    }
  }

  /** How many requests are recorded so far (an index for `summary(from)`). */
  get length(): number {
    return this.at.length;
  }

  /** Per class and per group from the `from`-th request on, over `seconds`. */
  summary(seconds: number, from = 0, to = this.at.length) {
    const byClass = new Map<RouteClass, { ms: number[]; statuses: Record<string, number>; errors: number }>();
    const byGroup = new Map<Group, { ms: number[]; errors: number }>();
    for (let index = from; index < to; index++) {
      const routeClass = this.classes[index];
      const entry = byClass.get(routeClass) ?? { ms: [], statuses: {}, errors: 0 };
      byClass.set(routeClass, entry);
      entry.ms.push(this.ms[index]);
      entry.statuses[String(this.statuses[index])] = (entry.statuses[String(this.statuses[index])] ?? 0) + 1;
      const group = ROUTE_CLASSES[routeClass].group;
      const groupEntry = byGroup.get(group) ?? { ms: [], errors: 0 };
      byGroup.set(group, groupEntry);
      groupEntry.ms.push(this.ms[index]);
      if (this.failed[index]) {
        entry.errors++;
        groupEntry.errors++;
      }
    }
    const perSecond = (count: number) => Math.round((count / seconds) * 10) / 10;
    const classes = Object.fromEntries((Object.keys(ROUTE_CLASSES) as RouteClass[]).filter((name) => byClass.has(name)).map((name) => {
      const entry = byClass.get(name)!;
      return [name, { ...summarize(entry.ms), perSecond: perSecond(entry.ms.length), errors: entry.errors, statuses: entry.statuses }];
    }));
    const groups = Object.fromEntries(GROUPS.filter((name) => byGroup.has(name)).map((name) => {
      const entry = byGroup.get(name)!;
      return [name, { ...summarize(entry.ms), perSecond: perSecond(entry.ms.length), errors: entry.errors }];
    }));
    const total = to - from;
    let errors = 0;
    for (let index = from; index < to; index++) if (this.failed[index]) errors++;
    return { requests: total, perSecond: perSecond(total), errors, classes, groups };
  }
}

// --- the city -------------------------------------------------------------------------------------

type Ring = [number, number][];
export interface Place { lon: number; lat: number; district: string }
export interface Boundary { district: string; ring: Ring; areaM2: number; box: [number, number, number, number] }
export interface City {
  cityCode: string;
  districts: string[];
  places: Place[];
  parcelsByDistrict: Map<string, number[]>;
  boundaries: Boundary[];
  ruleSet: string;
}

/**
 * What the simulated people look at, from the demo city as loaded: the districts with parcels,
 * 18 places (parcels picked by a fixed hash, three per district at most), every parcel id, and
 * 240 boundaries, each the convex hull of 6–40 neighbouring parcels of one district widened by
 * 8 m (a few hectares to a square kilometre, the size of a 成片改造区域).
 */
export async function loadCity(pool: pg.Pool): Promise<City> {
  const { rows: [city] } = await pool.query<{ code: string }>(`SELECT code FROM districts WHERE level = 'city' ORDER BY code LIMIT 1`);
  const { rows: districts } = await pool.query<{ code: string }>(
    `SELECT district_code AS code FROM parcels GROUP BY 1 HAVING count(*) >= 100 ORDER BY 1`);
  const { rows: places } = await pool.query<{ lon: number; lat: number; district: string }>(
    `SELECT lon, lat, district FROM (
       SELECT ST_X(c) AS lon, ST_Y(c) AS lat, district_code AS district, row_number() OVER (PARTITION BY district_code ORDER BY md5(id::text || 'places')) AS k
       FROM (SELECT id, district_code, ST_PointOnSurface(geom) AS c FROM parcels) p) ranked
     WHERE k <= 3 ORDER BY md5(lon::text) LIMIT 18`);
  const { rows: parcels } = await pool.query<{ id: number; district: string }>(`SELECT id::int AS id, district_code AS district FROM parcels ORDER BY id`);
  const { rows: boundaries } = await pool.query<{ district: string; ring: Ring; area_m2: number; box: [number, number, number, number] }>(
    `WITH seeds AS (
       SELECT id, district_code, geom, row_number() OVER (ORDER BY md5(id::text || 'areas')) AS k FROM parcels ORDER BY md5(id::text || 'areas') LIMIT 240
     ), shapes AS (
       SELECT s.k, ST_SimplifyPreserveTopology(ST_Buffer(ST_ConvexHull(ST_Collect(n.geom))::geography, 8, 'quad_segs=2')::geometry, 0.00001) AS g
       FROM seeds s CROSS JOIN LATERAL (
         SELECT p.geom FROM parcels p WHERE p.district_code = s.district_code ORDER BY p.geom <-> s.geom LIMIT 6 + (s.k % 35)) n
       GROUP BY s.k
     )
     SELECT (SELECT d.code FROM districts d WHERE d.level = 'district' AND ST_Intersects(d.geom, ST_SetSRID(g, 4490))
             ORDER BY ST_Area(ST_Intersection(d.geom, ST_SetSRID(g, 4490))) DESC LIMIT 1) AS district,
            (ST_AsGeoJSON(g, 7)::json -> 'coordinates' -> 0) AS ring, ST_Area(g::geography) AS area_m2,
            json_build_array(ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g)) AS box
     FROM shapes WHERE ST_GeometryType(g) = 'ST_Polygon' ORDER BY k`);
  const parcelsByDistrict = new Map<string, number[]>();
  for (const parcel of parcels) parcelsByDistrict.set(parcel.district, [...(parcelsByDistrict.get(parcel.district) ?? []), parcel.id]);
  const { rows: [ruleSet] } = await pool.query<{ id: string }>(`SELECT id FROM rule_sets WHERE id = 'xiamen-new-industrial' LIMIT 1`);
  return {
    cityCode: city.code,
    districts: districts.map((row) => row.code),
    places: places.map((row) => ({ lon: row.lon, lat: row.lat, district: row.district })),
    parcelsByDistrict,
    boundaries: boundaries.filter((row) => row.district && row.area_m2 < 2_000_000).map((row) => ({ district: row.district, ring: row.ring, areaM2: row.area_m2, box: row.box })),
    ruleSet: ruleSet?.id ?? 'national-industrial',
  };
}

// --- tiles of a map view --------------------------------------------------------------------------

export const VIEW_WIDTH_PX = 1280;
export const VIEW_HEIGHT_PX = 800;
const MAIN_MAP_LAYERS = [{ id: 'districts', maxzoom: 14 }, { id: 'parcels', maxzoom: 16 }];
const AREAS_MAP_LAYERS = [...MAIN_MAP_LAYERS, { id: 'areas', maxzoom: 16 }];

/** The tiles MapLibre asks for to show a 1280 × 800 view centred on lon/lat at zoom z, centre first. */
export function viewTiles(lon: number, lat: number, z: number, layers = MAIN_MAP_LAYERS): string[] {
  const world = 512 * 2 ** z;
  const x = ((lon + 180) / 360) * world;
  const phi = (lat * Math.PI) / 180;
  const y = ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * world;
  const paths: { path: string; distance: number }[] = [];
  for (const layer of layers) {
    const tz = Math.min(z, layer.maxzoom);
    const size = 512 * 2 ** (z - tz);
    for (let tx = Math.floor((x - VIEW_WIDTH_PX / 2) / size); tx <= Math.floor((x + VIEW_WIDTH_PX / 2) / size); tx++) {
      for (let ty = Math.floor((y - VIEW_HEIGHT_PX / 2) / size); ty <= Math.floor((y + VIEW_HEIGHT_PX / 2) / size); ty++) {
        paths.push({ path: `/tiles/${layer.id}/${tz}/${tx}/${ty}.pbf`, distance: Math.hypot((tx + 0.5) * size - x, (ty + 0.5) * size - y) });
      }
    }
  }
  return paths.sort((a, b) => a.distance - b.distance).map((entry) => entry.path);
}

/** The areas page's map on a boundary: z16 around its box's centre, with the saved areas. */
function areaViewTiles(boundary: Boundary): string[] {
  const [west, south, east, north] = boundary.box;
  return viewTiles((west + east) / 2, (south + north) / 2, 16, AREAS_MAP_LAYERS);
}

/** Half a view, in degrees of longitude and latitude at zoom z (near the place's latitude). */
function halfView(z: number, lat: number): { lon: number; lat: number } {
  const degreesPerPx = 360 / (512 * 2 ** z);
  return { lon: (VIEW_WIDTH_PX / 2) * degreesPerPx, lat: (VIEW_HEIGHT_PX / 2) * degreesPerPx * Math.cos((lat * Math.PI) / 180) };
}

/** Where a person's map may be: a place, a zoom from 12 to 17, and at most half a view off it. */
export interface View { place: Place; z: number; dx: number; dy: number }
export function viewCentre(view: View): { lon: number; lat: number } {
  const half = halfView(view.z, view.place.lat);
  return { lon: view.place.lon + view.dx * half.lon, lat: view.place.lat + view.dy * half.lat };
}
const OFFSETS = [[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1]] as const;
export const ZOOMS = [12, 13, 14, 15, 16, 17] as const;

/** Every view a person may reach from `places` (what the first visits render). */
export function allViews(places: readonly Place[]): View[] {
  return places.flatMap((place) => ZOOMS.flatMap((z) => OFFSETS.map(([dx, dy]) => ({ place, z, dx, dy }))));
}

// --- one person -----------------------------------------------------------------------------------

/** A small deterministic generator (LCG), one per person. */
export function randomSource(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Response { status: number | string; headers: http.IncomingHttpHeaders; body: Buffer; ms: number }

/** One browser: a keep-alive connection, the session cookie and CSRF token, and the ETags seen. */
export class Browser {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private cookie = '';
  private csrfToken = '';
  private readonly etags = new Map<string, string>();

  constructor(private readonly origin: string, private readonly recorder: Recorder, private readonly timeoutMs = 30_000) {}

  /** Sends one request and records it; `classify` picks the class from the answer (tiles). */
  async send(method: string, path: string, routeClass: RouteClass | ((response: Response) => RouteClass), body?: unknown): Promise<Response> {
    const headers: http.OutgoingHttpHeaders = { 'accept-encoding': 'gzip', accept: 'application/json, */*' };
    if (this.cookie) headers.cookie = this.cookie;
    if (method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    const etag = method === 'GET' ? this.etags.get(path) : undefined;
    if (etag) headers['if-none-match'] = etag;
    const started = performance.now();
    const response = await new Promise<Response>((resolve) => {
      const request = http.request(`${this.origin}${path}`, { method, headers, agent: this.agent }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks), ms: performance.now() - started }));
        incoming.on('error', (error) => resolve({ status: `error: ${error.message}`, headers: {}, body: Buffer.alloc(0), ms: performance.now() - started }));
      });
      request.setTimeout(this.timeoutMs, () => request.destroy(new Error(`no answer within ${this.timeoutMs / 1000} s`)));
      request.on('error', (error) => resolve({ status: `error: ${error.message}`, headers: {}, body: Buffer.alloc(0), ms: performance.now() - started }));
      request.end(payload);
    });
    if (typeof response.status === 'number' && response.status === 200 && method === 'GET' && typeof response.headers.etag === 'string') this.etags.set(path, response.headers.etag);
    const expected = typeof response.status === 'number' && ((response.status >= 200 && response.status < 300) || (response.status === 304 && etag !== undefined));
    const name = typeof routeClass === 'function' ? routeClass(response) : routeClass;
    const text = expected ? '' : (response.headers['content-encoding'] === 'gzip' ? '(gzip)' : response.body.toString('utf8').slice(0, 300));
    this.recorder.record(name, response.ms, response.status, expected ? null : { method, path, body: text });
    return response;
  }

  /** Logs in; a 429 (the login rate limit) is waited out as a person would, and counted. */
  async login(username: string): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await this.send('POST', '/api/auth/login', 'login', { username, password: BENCH_PASSWORD });
      if (response.status === 200) {
        const cookies = response.headers['set-cookie'] ?? [];
        this.cookie = cookies.map((value) => value.split(';')[0]).join('; ');
        this.csrfToken = (JSON.parse(response.body.toString('utf8')) as { csrfToken: string }).csrfToken;
        return;
      }
      if (response.status !== 429) throw new Error(`login of ${username} failed: ${response.status} ${response.body.toString('utf8').slice(0, 200)}`);
      await sleep(1000 * Number(response.headers['retry-after'] ?? 1));
    }
    throw new Error(`login of ${username}: still rate-limited after 10 tries`);
  }

  close(): void {
    this.agent.destroy();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tileClass = (response: Response): RouteClass => {
  const source = response.headers['x-tile-cache'];
  return source === 'hit' ? 'tile-hit' : source === 'store' ? 'tile-store' : 'tile-miss';
};

export interface MixOptions {
  origin: string;
  accounts: readonly BenchAccount[];
  city: City;
  recorder: Recorder;
  /** When the people stop starting new actions (performance.now() time). */
  until: number;
  /** Pause between actions, ms (uniform between the two). */
  thinkMs: readonly [number, number];
}

/** One person until `until`: log in, open the page, then act by role, pausing between actions. */
async function person(options: MixOptions, index: number): Promise<void> {
  const { city, recorder } = options;
  const account = options.accounts[index];
  const random = randomSource(index + 1);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const browser = new Browser(options.origin, recorder);
  const inScope = (district: string) => account.scopes.includes(city.cityCode) || account.scopes.includes(district);
  const places = city.places.filter((place) => inScope(place.district));
  const districts = city.districts.filter(inScope);
  const parcels = districts.flatMap((district) => city.parcelsByDistrict.get(district) ?? []);
  const boundaries = city.boundaries.filter((boundary) => inScope(boundary.district));
  let view: View = { place: pick(places), z: pick([13, 14, 15]), dx: 0, dy: 0 };
  const drafts: { id: number; version: number; boundary: Boundary }[] = [];

  // Users arrive over the first five seconds, not all in the same millisecond.
  await sleep(random() * 5000);
  await browser.login(account.username);

  async function openPage(areasPage: boolean): Promise<void> {
    for (const path of ['/api/auth/me', '/api/settings', '/api/districts', '/api/survey-layers', '/tiles/districts.json', '/tiles/parcels.json']) await browser.send('GET', path, 'page');
    if (areasPage) {
      for (const path of ['/api/rule-sets', '/tiles/areas.json']) await browser.send('GET', path, 'page');
      await browser.send('GET', `/api/areas?district=${account.scopes[0]}&page=1&pageSize=50`, 'area-list');
    }
  }

  async function showMap(layers = MAIN_MAP_LAYERS): Promise<void> {
    const centre = viewCentre(view);
    for (const path of viewTiles(centre.lon, centre.lat, view.z, layers)) {
      if (performance.now() > options.until) return;
      await browser.send('GET', path, tileClass);
    }
  }

  async function moveMap(): Promise<void> {
    const move = random();
    if (move < 0.15) view = { place: pick(places), z: pick([12, 13, 14, 15]), dx: 0, dy: 0 };
    else if (move < 0.6) {
      const [dx, dy] = pick(OFFSETS);
      view = { ...view, dx, dy };
    } else if (move < 0.8) view = { ...view, z: Math.min(17, view.z + 1) };
    else view = { ...view, z: Math.max(12, view.z - 1) };
    await showMap();
  }

  async function readParcel(history: boolean): Promise<void> {
    const id = pick(parcels);
    await browser.send('GET', `/api/parcels/${id}`, 'parcel-read');
    if (history) await browser.send('GET', `/api/parcels/${id}/history`, 'parcel-history');
  }

  async function search(): Promise<void> {
    if (random() < 0.2) {
      await browser.send('GET', `/api/districts/${pick(districts)}/stats`, 'district-stats');
      return;
    }
    const query = new URLSearchParams({ district: random() < 0.3 ? account.scopes[0] : pick(districts), page: String(1 + Math.floor(random() * 3)), pageSize: '50' });
    if (random() < 0.7) query.set('status', pick(EFFICIENCY_STATUS_CODES));
    if (random() < 0.4) query.set('type', pick(INEFFICIENCY_TYPE_CODES));
    await browser.send('GET', `/api/parcels?${query}`, 'parcel-search');
  }

  /** A vertex moved along its ray from the centroid: the shape stays simple (star-shaped). */
  function edited(ring: Ring): Ring {
    const points = ring.slice(0, -1);
    const centre = points.reduce((sum, point) => [sum[0] + point[0] / points.length, sum[1] + point[1] / points.length], [0, 0]);
    const index = Math.floor(random() * points.length);
    const factor = 0.96 + random() * 0.1;
    const moved = points.map((point, position): [number, number] => (position === index
      ? [centre[0] + (point[0] - centre[0]) * factor, centre[1] + (point[1] - centre[1]) * factor] : point));
    return [...moved, moved[0]];
  }

  async function workOnArea(): Promise<void> {
    const reopen = drafts.length > 0 && random() < 0.6 ? drafts[Math.floor(random() * drafts.length)] : null;
    const boundary = reopen?.boundary ?? pick(boundaries);
    await browser.send('GET', `/api/areas?district=${account.scopes[0]}&page=1&pageSize=50`, 'area-list');
    const [west, south, east, north] = boundary.box;
    const margin = Math.max(east - west, north - south) * 0.25;
    const box = [west - margin, south - margin, Math.min(east + margin, west - margin + 0.1), Math.min(north + margin, south - margin + 0.1)];
    await browser.send('GET', `/api/parcels/geojson?bbox=${box.map((value) => value.toFixed(6)).join(',')}`, 'parcels-in-box');
    for (const path of areaViewTiles(boundary)) await browser.send('GET', path, tileClass);
    let ring = boundary.ring;
    const floorArea = Math.round(boundary.areaM2 * (1.8 + random()));
    const figures = { totalFloorArea: floorArea, supportingFloorArea: Math.round(floorArea * 0.1), factoryFloorArea: Math.round(floorArea * 0.6) };
    const edits = 2 + Math.floor(random() * 4);
    for (let edit = 0; edit < edits && performance.now() < options.until; edit++) {
      ring = edited(ring);
      // The gauges ask the server once the edit has settled (600 ms), while the planner looks.
      await sleep(600 + random() * 900);
      await browser.send('POST', '/api/checks', 'check', {
        ruleSet: city.ruleSet, boundary: { type: 'Polygon', coordinates: [ring] }, uncoveredIsFragment: true, figures, ...(reopen ? { excludeArea: reopen.id } : {}),
      });
    }
    if (performance.now() > options.until) return;
    const body = {
      ruleSet: city.ruleSet, boundary: { type: 'Polygon', coordinates: [ring] }, uncoveredIsFragment: true, figures,
      name: `压测区域 ${account.username}`, mode: 'government_entrusted', note: '压测保存 / bench save',
    };
    if (reopen) {
      const response = await browser.send('PUT', `/api/areas/${reopen.id}`, 'area-update', { ...body, baseVersion: reopen.version });
      if (response.status === 200) reopen.version = (JSON.parse(response.body.toString('utf8')) as { version: number }).version;
      return;
    }
    if (drafts.length >= 3) {
      const oldest = drafts.shift()!;
      await browser.send('DELETE', `/api/areas/${oldest.id}`, 'area-delete');
    }
    const response = await browser.send('POST', '/api/areas', 'area-create', body);
    if (response.status === 201) {
      const saved = JSON.parse(response.body.toString('utf8')) as { id: number; version: number };
      drafts.push({ id: saved.id, version: saved.version, boundary: { ...boundary, ring } });
    }
  }

  const planner = account.role === 'planner';
  await openPage(planner);
  await showMap();
  while (performance.now() < options.until) {
    await sleep(options.thinkMs[0] + random() * (options.thinkMs[1] - options.thinkMs[0]));
    if (performance.now() >= options.until) break;
    const action = random();
    if (action < 0.04) await openPage(planner);
    else if (planner) {
      if (action < 0.4) await moveMap();
      else if (action < 0.5) await readParcel(false);
      else if (action < 0.6) await search();
      else await workOnArea();
    } else if (action < 0.55) await moveMap();
    else if (action < 0.85) await readParcel(account.role === 'surveyor' && random() < 0.4);
    else await search();
  }
  browser.close();
}

/** Runs every account's person until `options.until`. */
export async function runMix(options: MixOptions): Promise<void> {
  await Promise.all(options.accounts.map((_, index) => person(options, index)));
}

/**
 * The first visits: every view of the places rendered once per reader scope, by one account of
 * that scope, two requests at a time, before anything is measured (as the first people of the day
 * would). Answers how many tiles were asked for and how long it took.
 */
export async function warmTiles(origin: string, accounts: readonly BenchAccount[], city: City): Promise<{ tiles: number; seconds: number }> {
  const started = performance.now();
  const recorder = new Recorder();
  // Tiles depend on the reader's districts only: one account per scope, boundaries where a planner works.
  const scopes = new Map<string, { account: BenchAccount; planners: boolean }>();
  for (const account of accounts) {
    const key = account.scopes.join(',');
    scopes.set(key, { account: scopes.get(key)?.account ?? account, planners: (scopes.get(key)?.planners ?? false) || account.role === 'planner' });
  }
  let tiles = 0;
  for (const { account, planners } of scopes.values()) {
    const inScope = (district: string) => account.scopes.includes(city.cityCode) || account.scopes.includes(district);
    const paths = [...new Set([
      ...allViews(city.places.filter((place) => inScope(place.district))).flatMap((view) => {
        const centre = viewCentre(view);
        return viewTiles(centre.lon, centre.lat, view.z, AREAS_MAP_LAYERS);
      }),
      ...(planners ? city.boundaries.filter((boundary) => inScope(boundary.district)).flatMap((boundary) => areaViewTiles(boundary)) : []),
    ])];
    const browsers = [new Browser(origin, recorder), new Browser(origin, recorder)];
    await Promise.all(browsers.map((browser) => browser.login(account.username)));
    let next = 0;
    await Promise.all(browsers.map(async (browser) => {
      for (let index = next++; index < paths.length; index = next++) await browser.send('GET', paths[index], tileClass);
      browser.close();
    }));
    tiles += paths.length;
  }
  return { tiles, seconds: Math.round((performance.now() - started) / 100) / 10 };
}
