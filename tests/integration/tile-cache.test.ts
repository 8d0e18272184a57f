import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { sql } from 'kysely';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../../server/db/database.js';
import { createTestApp, login, type Session, type TestApp, patchParcel } from '../helpers/test-app.js';
import { tileOf as tileAt } from '../helpers/tiles.js';

let testApp: TestApp;
let official: Session;
beforeAll(async () => {
  // Every tile goes to the persistent cache here, however fast it renders.
  testApp = await createTestApp({ TILE_STORE_MIN_MS: '0' });
  official = await login(testApp.app, 'official');
});
afterAll(async () => {
  await testApp.close();
});

function tileOf(lon: number, lat: number, z: number): string {
  const { x, y } = tileAt(lon, lat, z);
  return `/tiles/parcels/${z}/${x}/${y}.pbf`;
}

function featuresOf(payload: Buffer, layerName: string) {
  const layer = new VectorTile(new PbfReader(payload)).layers[layerName];
  return layer ? Array.from({ length: layer.length }, (_, index) => layer.feature(index)) : [];
}

async function parcelIn(url: string, id: number, session = official) {
  const response = await session.get(url);
  const feature = featuresOf(response.rawPayload, url.startsWith('/tiles/parcel-labels/') ? 'parcel_labels' : 'parcels').find((candidate) => candidate.id === id);
  return { cache: response.headers['x-tile-cache'], status: feature?.properties.status };
}

/** The grid cell (z ≤ 13) holding a point: the cell is 1/32 of the tile side. */
async function cellAt(lon: number, lat: number, z: number, session = official) {
  const { x, y } = tileAt(lon, lat, z + 5);
  const url = tileOf(lon, lat, z);
  const response = await session.get(url);
  const cell = featuresOf(response.rawPayload, 'cells').find((feature) => {
    const ring = feature.loadGeometry()[0];
    const minX = Math.min(...ring.map((point) => point.x));
    const minY = Math.min(...ring.map((point) => point.y));
    return Math.round(minX / 128) === x % 32 && Math.round(minY / 128) === y % 32;
  });
  return { cache: response.headers['x-tile-cache'], cell: cell?.properties };
}

/**
 * A parcel of the district in that status. The newest one is the likeliest to be made, edited or
 * retired by another test file running meanwhile, so with `salt` a test takes one spread by a hash instead.
 */
async function pick(district: string, status: string, salt?: string) {
  const order = salt === undefined ? sql`id DESC` : sql`md5(id::text || ${salt})`;
  const { rows: [parcel] } = await sql<{ id: number; lon: number; lat: number }>`
    SELECT id, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
    FROM parcels WHERE district_code = ${district} AND status = ${status} ORDER BY ${order} LIMIT 1`.execute(testApp.database.db);
  return parcel;
}

/** A change made by another process (psql, the CLI, another server), not through this app. */
async function updateOutside(statement: string, ...values: unknown[]) {
  const owner = connectDatabase(inject('adminDatabaseUrl'), 1);
  try {
    await owner.pool.query(statement, values);
  } finally {
    await owner.close();
  }
}

describe('the tile cache', () => {
  it('serves repeated tiles from memory, and shows an edit at once (polygons and grid) while untouched tiles stay cached', async () => {
    // Other test files edit parcels in the same database meanwhile: a tile read while one of their
    // edits lands is rightly not kept (TileCache.set), and tiles.test.ts empties every cache. So a
    // round whose warm-up or untouched tile was disturbed that way is tried again with other
    // parcels (up to 6 rounds, spread over ~5 s); a cache that keeps or drops the wrong tiles fails every round.
    for (let attempt = 1; ; attempt++) {
      const last = attempt === 6;
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      const edited = await pick('350213', 'efficient', `memory${attempt}`);
      const elsewhere = await pick('350205', 'efficient', `memory${attempt}`);
      const editedTile = tileOf(edited.lon, edited.lat, 15);
      const otherTile = tileOf(elsewhere.lon, elsewhere.lat, 15);
      expect(editedTile).not.toBe(otherTile);
      await parcelIn(editedTile, edited.id);
      await parcelIn(otherTile, elsewhere.id);
      const warm = [await parcelIn(editedTile, edited.id), await parcelIn(otherTile, elsewhere.id)];
      await cellAt(edited.lon, edited.lat, 11);
      const before = await cellAt(edited.lon, edited.lat, 11);
      if (!last && (warm.some((read) => read.cache !== 'hit') || before.cache !== 'hit')) continue;
      expect(warm[0]).toEqual({ cache: 'hit', status: 'efficient' });
      expect(warm[1].cache).toBe('hit');
      expect(before.cache).toBe('hit');

      const response = await patchParcel(official, edited.id, { status: 'identified', inefficiencyType: 'idle' });
      expect(response.statusCode).toBe(200);
      expect(await parcelIn(editedTile, edited.id)).toEqual({ cache: 'miss', status: 'identified' });
      const untouched = await parcelIn(otherTile, elsewhere.id);
      if (!last && untouched.cache !== 'hit') continue;
      expect(untouched).toEqual({ cache: 'hit', status: 'efficient' });
      // The low-zoom grid learns of it too: same parcels, a larger 低效 share.
      const after = await cellAt(edited.lon, edited.lat, 11);
      expect(after.cache).toBe('miss');
      expect(after.cell!.parcels).toBe(before.cell!.parcels);
      expect(Number(after.cell!.ineff_share)).toBeGreaterThan(Number(before.cell!.ineff_share));
      return;
    }
  });

  it('learns of changes made outside this server through the database, in the parcel tiles and the label tiles that follow them', async () => {
    const parcel = await pick('350211', 'efficient');
    const url = tileOf(parcel.lon, parcel.lat, 16);
    const labelUrl = url.replace('/tiles/parcels/', '/tiles/parcel-labels/');
    for (const tile of [url, labelUrl]) {
      expect((await parcelIn(tile, parcel.id)).status).toBe('efficient');
      expect(await parcelIn(tile, parcel.id)).toEqual({ cache: 'hit', status: 'efficient' });
    }
    await updateOutside(`UPDATE parcels SET status = 'redeveloping' WHERE id = $1`, parcel.id);
    let seen = await parcelIn(url, parcel.id);
    for (let attempt = 0; attempt < 50 && seen.status !== 'redeveloping'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await parcelIn(url, parcel.id);
    }
    expect(seen.status).toBe('redeveloping');
    // The same notification dropped the label tile (the cache drops a layer's followers with it).
    expect(await parcelIn(labelUrl, parcel.id)).toEqual({ cache: 'miss', status: 'redeveloping' });
  });

  it('keeps tiles in PostGIS across a restart, and a change made while no server runs deletes exactly the stale ones', async () => {
    const parcel = await pick('350212', 'efficient', 'restart');
    const elsewhere = await pick('350205', 'suspected', 'restart');
    const url = tileOf(parcel.lon, parcel.lat, 14);
    const otherUrl = tileOf(elsewhere.lon, elsewhere.lat, 14);
    // Other test files write parcels and clear the cache meanwhile (tiles.test.ts empties it): a tile
    // read before one of their changes commits is rightly not stored, and a stored one may be dropped
    // by them before the second server reads it. So the whole round is tried again (up to 8 times, spread over ~9 s)
    // until no outside change fell inside it; a cache that keeps or drops the wrong tiles fails every round.
    const second = await createTestApp({ TILE_STORE_MIN_MS: '0' });
    try {
      const viewer = await login(second.app, 'official');
      let status = 'efficient';
      for (let attempt = 1; ; attempt++) {
        const last = attempt === 8;
        // Spread the rounds out: another file's burst of parcel edits (each one moves the epoch a
        // pending tile is stored under) is over within seconds.
        if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
        await parcelIn(url, parcel.id);
        await parcelIn(otherUrl, elsewhere.id);
        await testApp.app.tileStore.flush();
        testApp.app.tileCache.clear(); // as after a restart
        second.app.tileCache.clear();
        const first = await parcelIn(url, parcel.id);
        const other = await parcelIn(otherUrl, elsewhere.id);
        const again = await parcelIn(url, parcel.id);
        // The second server process over the same database finds them stored too.
        const secondRead = await parcelIn(url, parcel.id, viewer);
        const stored = first.cache === 'store' && first.status === status && other.cache === 'store' && again.cache === 'hit' && secondRead.cache === 'store';
        if (!stored && !last) continue;
        expect(first).toEqual({ cache: 'store', status });
        expect(other.cache).toBe('store');
        expect(again.cache).toBe('hit');
        expect(secondRead.cache).toBe('store');

        // An edit while the first server "is down": the edited tile is gone, the other one stays.
        status = status === 'suspected' ? 'efficient' : 'suspected';
        await updateOutside(`UPDATE parcels SET status = $2, inefficiency_type = $3 WHERE id = $1`, parcel.id, status, status === 'suspected' ? 'idle' : null);
        second.app.tileCache.clear();
        const edited = await parcelIn(url, parcel.id, viewer);
        const kept = await parcelIn(otherUrl, elsewhere.id, viewer);
        if ((edited.cache !== 'miss' || edited.status !== status || kept.cache !== 'store') && !last) continue;
        expect(edited).toEqual({ cache: 'miss', status });
        expect(kept.cache).toBe('store');
        break;
      }
    } finally {
      await second.close();
    }
  });

  it('never stores a tile read before a change that commits after it', async () => {
    const parcel = await pick('350206', 'efficient');
    const { x, y } = tileAt(parcel.lon, parcel.lat, 17);
    const owner = connectDatabase(inject('adminDatabaseUrl'), 1);
    const client = await owner.pool.connect();
    try {
      // The tile is read now; a change is made but not yet committed.
      const stale = await testApp.app.tiles.repository.tile((await import('../../server/tiles/tiles.repository.js')).TILE_LAYERS[1], 17, x, y, (await import('../../server/auth/scope.js')).Scope.system());
      await client.query('BEGIN');
      await client.query(`UPDATE parcels SET status = 'identified', inefficiency_type = 'idle' WHERE id = $1`, [parcel.id]);
      const { TileCache } = await import('../../server/tiles/tile-cache.js');
      testApp.app.tileStore.put({ layer: 'parcels', z: 17, x, y }, 'race', 'parcels', stale.epoch!, await TileCache.encode(stale.body));
      const flushed = testApp.app.tileStore.flush(); // waits on the uncommitted change's lock
      await new Promise((resolve) => setTimeout(resolve, 300));
      await client.query('COMMIT');
      await flushed;
      const { rows } = await testApp.database.pool.query(`SELECT count(*)::int AS n FROM tile_cache WHERE scope = 'race'`);
      expect(rows[0].n).toBe(0);
    } finally {
      client.release();
      await owner.close();
    }
  });

  it('shares tiles between readers of the same districts, never across scopes', async () => {
    const siming = await pick('350203', 'efficient');
    const url = tileOf(siming.lon, siming.lat, 14);
    const planner = await login(testApp.app, 'planner-huli');
    // Another 湖里区 reader, made for this test.
    const admin = await login(testApp.app, 'admin');
    const username = `huli-reader-${process.pid}`;
    const created = await admin.request({ method: 'POST', url: '/api/admin/users', payload: { username, displayName: '湖里区 读者', role: 'viewer', scopes: ['350206'], password: 'Huli-reader-2026' } });
    expect(created.statusCode).toBe(201);
    const first = await login(testApp.app, username, 'Huli-reader-2026');
    const changed = await first.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'Huli-reader-2026', newPassword: 'Huli-reader-2026-b' } });
    expect(changed.statusCode).toBe(204);
    const reader = await login(testApp.app, username, 'Huli-reader-2026-b');

    const full = await parcelIn(url, siming.id, official);
    expect(full.status).toBe('efficient');
    const restricted = await parcelIn(url, siming.id, planner);
    expect(restricted).toEqual({ cache: 'miss', status: 'restricted' });
    expect(await parcelIn(url, siming.id, reader)).toEqual({ cache: 'hit', status: 'restricted' });
    expect((await parcelIn(url, siming.id, official)).status).toBe('efficient');
    // The grid too: a 思明区-only cell has no figures for 湖里区 readers.
    const cellForOfficial = await cellAt(siming.lon, siming.lat, 12, official);
    const cellForPlanner = await cellAt(siming.lon, siming.lat, 12, planner);
    expect(Number(cellForOfficial.cell!.parcels)).toBeGreaterThan(0);
    if (Number(cellForPlanner.cell!.restricted) === 1) {
      expect(cellForPlanner.cell).toMatchObject({ parcels: 0, area_ha: 0, ineff_share: 0 });
    } else {
      expect(Number(cellForPlanner.cell!.parcels)).toBeLessThan(Number(cellForOfficial.cell!.parcels));
    }
  });

  it('follows the reader: after a scope or role change or a logout the next tile is refused (401), and a new login sees the new scope (issue 19)', async () => {
    const siming = await pick('350203', 'efficient');
    const url = tileOf(siming.lon, siming.lat, 15);
    const admin = await login(testApp.app, 'admin');
    const username = `tile-follower-${process.pid}`;
    const created = await admin.request({ method: 'POST', url: '/api/admin/users', payload: { username, displayName: '瓦片读者', role: 'viewer', scopes: ['350206'], password: 'Tile-reader-2026' } });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { id: number }).id;
    const first = await login(testApp.app, username, 'Tile-reader-2026');
    expect((await first.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'Tile-reader-2026', newPassword: 'Tile-reader-2026-b' } })).statusCode).toBe(204);
    let reader = await login(testApp.app, username, 'Tile-reader-2026-b');

    // Two tiles in a row: the second is served with the cached session and scope.
    expect((await parcelIn(url, siming.id, reader)).status).toBe('restricted');
    expect((await parcelIn(url, siming.id, reader)).status).toBe('restricted');
    expect((await admin.request({ method: 'PATCH', url: `/api/admin/users/${id}`, payload: { scopes: ['350200'] } })).statusCode).toBe(200);
    expect((await reader.get(url)).statusCode).toBe(401);
    reader = await login(testApp.app, username, 'Tile-reader-2026-b');
    expect((await parcelIn(url, siming.id, reader)).status).toBe('efficient');
    expect((await parcelIn(url, siming.id, reader)).status).toBe('efficient');

    expect((await admin.request({ method: 'PATCH', url: `/api/admin/users/${id}`, payload: { role: 'official' } })).statusCode).toBe(200);
    expect((await reader.get(url)).statusCode).toBe(401);
    reader = await login(testApp.app, username, 'Tile-reader-2026-b');
    expect((await reader.get('/api/auth/me')).json()).toMatchObject({ user: { role: 'official' } });
    expect((await reader.get(url)).statusCode).toBe(200);

    expect((await reader.request({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    expect((await reader.get(url)).statusCode).toBe(401);
  });

  it('counts every parcel once in the grid at every zoom below 14', async () => {
    // Other test files write parcels into the same database meanwhile: a zoom is compared when nothing moved while its tiles were read.
    const state = async () => (await sql<{ count: number; latest: string }>`
      SELECT count(*)::int AS count, coalesce(max(updated_at)::text, '') AS latest FROM parcels`.execute(testApp.database.db)).rows[0];
    for (const z of [5, 8, 10, 12, 13]) {
      let compared: { sum: number; count: number } | undefined;
      for (let attempt = 0; attempt < 10 && !compared; attempt++) {
        const before = await state();
        // Every tile of that zoom with parcels in it: the tiles of the parcels' box centres.
        const { rows: tiles } = await sql<{ x: number; y: number }>`
          SELECT DISTINCT floor((ST_X(c) + 20037508.342789244) / (40075016.68557849 / 2 ^ ${z}::int))::int AS x,
                 floor((20037508.342789244 - ST_Y(c)) / (40075016.68557849 / 2 ^ ${z}::int))::int AS y
          FROM (SELECT ST_Centroid(Box2D(geom_3857)::geometry) AS c FROM parcels) p`.execute(testApp.database.db);
        let sum = 0;
        for (const { x, y } of tiles) {
          const response = await official.get(`/tiles/parcels/${z}/${x}/${y}.pbf`);
          expect(response.statusCode).toBe(200);
          expect(featuresOf(response.rawPayload, 'parcels')).toHaveLength(0);
          sum += featuresOf(response.rawPayload, 'cells').reduce((total, cell) => total + Number(cell.properties.parcels), 0);
        }
        const after = await state();
        if (before.count === after.count && before.latest === after.latest) compared = { sum, count: after.count };
      }
      expect(compared, `z${z}: parcels kept changing`).toBeDefined();
      expect(compared!.sum, `z${z}`).toBe(compared!.count);
    }
  });

  it('answers the administrator who empties the caches, and records it', async () => {
    const admin = await login(testApp.app, 'admin');
    await official.get('/tiles/parcels/12/3389/1759.pbf');
    await testApp.app.tileStore.flush();
    const response = await admin.request({ method: 'DELETE', url: '/api/admin/tile-cache' });
    expect(response.statusCode).toBe(200);
    expect(response.json().stored).toBeGreaterThan(0);
    expect((await official.get('/tiles/parcels/12/3389/1759.pbf')).headers['x-tile-cache']).toBe('miss');
    const audit = (await admin.get('/api/admin/audit?entity=tile_cache')).json();
    expect(audit.items[0]).toMatchObject({ action: 'clear', actor: 'admin' });
  });
});

/** The z14 parcel tile holding the most parcel centres. */
async function densestZ14Tile(): Promise<string> {
  const { rows: [densest] } = await sql<{ x: number; y: number }>`
    SELECT floor((ST_X(c) + 20037508.342789244) / (40075016.68557849 / 16384))::int AS x,
           floor((20037508.342789244 - ST_Y(c)) / (40075016.68557849 / 16384))::int AS y
    FROM (SELECT ST_Centroid(geom_3857) AS c FROM parcels) p GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1`.execute(testApp.database.db);
  return `/tiles/parcels/14/${densest.x}/${densest.y}.pbf`;
}

describe('the tile size cap', () => {
  it('thins a tile over the cap until it fits, keeping the large parcels', async () => {
    const url = await densestZ14Tile();
    const uncapped = await official.request({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
    expect(uncapped.headers['x-tile-thinning']).toBeUndefined();
    const all = featuresOf(gunzipSync(uncapped.rawPayload), 'parcels');
    // A cap of half the tile's compressed size.
    const cap = Math.floor(uncapped.rawPayload.length / 2);
    const capped = await createTestApp({ TILE_MAX_BYTES: String(cap) });
    try {
      const reader = await login(capped.app, 'official');
      const thin = await reader.request({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
      expect(thin.statusCode).toBe(200);
      const [keptCount, ofCount] = String(thin.headers['x-tile-thinning']).split('/').map(Number);
      expect(ofCount).toBe(all.length);
      expect(thin.rawPayload.length).toBeLessThanOrEqual(cap);
      const kept = featuresOf(gunzipSync(thin.rawPayload), 'parcels');
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.length).toBe(keptCount);
      expect(kept.length).toBeLessThan(all.length);
      // The largest parcel of the tile is among those kept.
      const extent = (feature: (typeof all)[number]) => {
        const ring = feature.loadGeometry()[0];
        const xs = ring.map((point) => point.x);
        const ys = ring.map((point) => point.y);
        return (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys));
      };
      const largest = all.reduce((best, feature) => (extent(feature) > extent(best) ? feature : best));
      expect(kept.some((feature) => feature.id === largest.id)).toBe(true);
    } finally {
      await capped.close();
    }
  });

  it('does not serve a tile stored under a larger cap: it is cut again to this cap', async () => {
    const url = await densestZ14Tile();
    // This app stores every tile it renders; the stored tile is whole.
    const whole = await official.request({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
    await testApp.app.tileStore.flush();
    const cap = Math.floor(whole.rawPayload.length / 2);
    const capped = await createTestApp({ TILE_MAX_BYTES: String(cap) });
    try {
      const reader = await login(capped.app, 'official');
      const served = await reader.request({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
      expect(served.headers['x-tile-cache']).toBe('miss');
      expect(served.headers['x-tile-thinning']).toBeDefined();
      expect(served.rawPayload.length).toBeLessThanOrEqual(cap);
    } finally {
      await capped.close();
    }
  });
});
