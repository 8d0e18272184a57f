import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { sql } from 'kysely';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../../server/db/database.js';
import { readSettings } from '../../server/config.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';
import { parcelsTileSql } from '../../server/tiles/tiles.sql.js';
import { tileOf } from '../helpers/tiles.js';

let testApp: TestApp;
let session: Session;
beforeAll(async () => {
  testApp = await createTestApp();
  session = await login(testApp.app, 'viewer');
});
afterAll(async () => {
  await testApp.close();
});

async function fetchTile(url: string, headers: Record<string, string> = {}) {
  const response = await session.request({ method: 'GET', url, headers });
  const raw = response.rawPayload;
  const body = response.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
  return { response, tile: new VectorTile(new PbfReader(body)) };
}

describe('parcel tiles', () => {
  it('contain the parcel under a point, with its id and only the styling attributes', async () => {
    const { rows: [parcel] } = await sql<{ id: number; status: string; type: string | null; lon: number; lat: number }>`
      SELECT id, status, inefficiency_type AS type, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
      FROM parcels WHERE inefficiency_type IS NOT NULL ORDER BY id LIMIT 1`.execute(testApp.database.db);
    const { z, x, y } = tileOf(parcel.lon, parcel.lat, 15);
    const { response, tile } = await fetchTile(`/tiles/parcels/${z}/${x}/${y}.pbf`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    const layer = tile.layers.parcels;
    expect(layer).toBeDefined();
    expect(layer.extent).toBe(4096);
    const features = Array.from({ length: layer.length }, (_, index) => layer.feature(index));
    const found = features.find((feature) => feature.id === parcel.id);
    expect(found).toBeDefined();
    expect(found!.type).toBe(3);
    expect(found!.properties).toEqual({ status: parcel.status, type: parcel.type, restricted: 0 });
    // Every feature in the tile is a parcel whose box touches the tile (plus its buffer).
    const { rows: [expected] } = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM parcels
      WHERE geom_3857 && ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => 64.0 / 4096)`.execute(testApp.database.db);
    expect(layer.length).toBeLessThanOrEqual(expected.count);
    expect(layer.length).toBeGreaterThan(0);
  });

  it('are gzip-compressed when asked and answer 304 to a matching ETag', async () => {
    const { rows: [parcel] } = await sql<{ lon: number; lat: number }>`
      SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM parcels ORDER BY id LIMIT 1`.execute(testApp.database.db);
    const { z, x, y } = tileOf(parcel.lon, parcel.lat, 14);
    const url = `/tiles/parcels/${z}/${x}/${y}.pbf`;
    const { response, tile } = await fetchTile(url, { 'accept-encoding': 'gzip' });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(tile.layers.parcels.length).toBeGreaterThan(0);
    const etag = response.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    const again = await session.request({ method: 'GET', url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
  });

  it('answer 204 outside the data, and carry the grid instead of polygons below z14', async () => {
    expect((await session.get('/tiles/parcels/15/0/0.pbf')).statusCode).toBe(204);
    expect((await session.get('/tiles/parcels/12/0/0.pbf')).statusCode).toBe(204);
    const low = await session.get('/tiles/parcels/5/26/13.pbf');
    expect(low.statusCode).toBe(200);
    expect(Object.keys(new VectorTile(new PbfReader(low.rawPayload)).layers)).toEqual(['cells']);
  });

  it('answer 400 naming the coordinate that is out of range, 404 naming an unknown layer', async () => {
    const tooFar = await session.get('/tiles/parcels/3/8/0.pbf');
    expect(tooFar.statusCode).toBe(400);
    expect(tooFar.json()).toMatchObject({ parameter: 'x' });
    const badZoom = await session.get('/tiles/parcels/40/0/0.pbf');
    expect(badZoom.statusCode).toBe(400);
    expect(badZoom.json()).toMatchObject({ parameter: 'z' });
    const unknown = await session.get('/tiles/roads/3/0/0.pbf');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toContain('districts, parcels');
  });
});

describe('district tiles', () => {
  it('hold the six district polygons and their label points over Xiamen', async () => {
    // z5 tile 26/13 spans 112.5°–123.75°E: all of Xiamen (tile edges at z6–z8 cut it at 118.125°E).
    const { z, x, y } = tileOf(118.15, 24.65, 5);
    const { response, tile } = await fetchTile(`/tiles/districts/${z}/${x}/${y}.pbf`);
    expect(response.statusCode).toBe(200);
    const polygons = tile.layers.districts;
    const labels = tile.layers.district_labels;
    const names = (layer: typeof polygons) => Array.from({ length: layer.length }, (_, index) => layer.feature(index).properties.name).sort();
    expect(names(polygons)).toEqual(['同安区', '思明区', '海沧区', '湖里区', '翔安区', '集美区'].sort());
    expect(names(labels)).toEqual(names(polygons));
    expect(labels.feature(0).type).toBe(1);
    expect(polygons.feature(0).properties).toMatchObject({ level: 'district' });
  });
});

describe('TileJSON', () => {
  it.each(['districts', 'parcels'])('describes the %s layer with root-relative tile URLs (never the Host header), zooms, bounds and fields', async (layer) => {
    const response = await session.request({ method: 'GET', url: `/tiles/${layer}.json`, headers: { host: 'attacker.example:8080', 'x-forwarded-host': 'attacker.example' } });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('attacker');
    const body = response.json();
    expect(body.tilejson).toBe('3.0.0');
    expect(body.tiles).toEqual([`/tiles/${layer}/{z}/{x}/{y}.pbf`]);
    expect(body.bounds[0]).toBeGreaterThan(117.8);
    expect(body.bounds[2]).toBeLessThan(118.5);
    expect(body.vector_layers.length).toBeGreaterThan(0);
    expect(body.minzoom).toBeLessThan(body.maxzoom);
  });

  it('names absolute tile URLs from PUBLIC_URL when it is set, whatever the Host header says', async () => {
    const configured = await createTestApp({ PUBLIC_URL: 'https://gis.example.gov.cn/biaotu/' });
    try {
      const reader = await login(configured.app, 'viewer');
      const response = await reader.request({ method: 'GET', url: '/tiles/parcels.json', headers: { host: 'attacker.example' } });
      expect(response.statusCode).toBe(200);
      expect(response.json().tiles).toEqual(['https://gis.example.gov.cn/biaotu/tiles/parcels/{z}/{x}/{y}.pbf']);
    } finally {
      await configured.close();
    }
    expect(() => readSettings({ PUBLIC_URL: 'gis.example.gov.cn' })).toThrow(/PUBLIC_URL/);
  });

  it('gives each source layer of the parcels its zoom band', async () => {
    const body = (await session.get('/tiles/parcels.json')).json();
    const bands = Object.fromEntries(body.vector_layers.map((layer: { id: string; minzoom: number; maxzoom: number }) => [layer.id, [layer.minzoom, layer.maxzoom]]));
    expect(bands).toEqual({ cells: [0, 13], parcels: [14, 16] });
    expect(body.minzoom).toBe(0);
  });
});

describe('glyphs', () => {
  it('serves the bundled Latin glyphs and an empty body for ranges drawn by the browser', async () => {
    const latin = await testApp.app.inject('/glyphs/Noto%20Sans%20Regular/0-255.pbf');
    expect(latin.statusCode).toBe(200);
    expect(latin.rawPayload.length).toBeGreaterThan(1000);
    const cjk = await testApp.app.inject('/glyphs/Noto%20Sans%20Regular/19968-20223.pbf');
    expect(cjk.statusCode).toBe(200);
    expect(cjk.rawPayload.length).toBe(0);
    const escape = await testApp.app.inject('/glyphs/..%2F..%2Fpackage.json/0-255.pbf');
    expect(escape.rawPayload.length).toBe(0);
  });
});

describe('parcels cut ahead of time at z14', () => {
  async function densestZ14() {
    const { rows: [tile] } = await sql<{ x: number; y: number }>`
      SELECT x, y FROM parcel_z14_geometries GROUP BY x, y ORDER BY count(*) DESC, x, y LIMIT 1`.execute(testApp.database.db);
    return tile;
  }
  const decoded = (payload: Buffer) => {
    const layer = new VectorTile(new PbfReader(payload)).layers.parcels;
    return new Map(Array.from({ length: layer.length }, (_, index) => layer.feature(index)).map((feature) => [feature.id, { properties: feature.properties, geometry: JSON.stringify(feature.loadGeometry()) }]));
  };

  it('serve the same tile as cutting the parcels per request, and follow a geometry change', async () => {
    const { x, y } = await densestZ14();
    const live = async () => (await testApp.database.pool.query<{ tile: Buffer }>({ text: parcelsTileSql(false), values: [14, x, y, null, null] })).rows[0].tile;
    const served = async () => {
      testApp.app.tileCache.clear();
      await testApp.app.tileStore.clear();
      return (await session.get(`/tiles/parcels/14/${x}/${y}.pbf`)).rawPayload;
    };
    const before = decoded(await served());
    expect(before.size).toBeGreaterThan(10);
    expect(before).toEqual(decoded(await live()));

    // Move one parcel of the tile 20 m east (outside the server, as a CLI or psql would).
    const [id] = [...before.keys()];
    const owner = connectDatabase(inject('adminDatabaseUrl'), 1);
    try {
      await owner.pool.query(`UPDATE parcels SET geom = ST_Transform(ST_Translate(ST_Transform(geom, 3857), 20, 0), 4490) WHERE id = $1`, [id]);
    } finally {
      await owner.close();
    }
    const after = decoded(await served());
    expect(after).toEqual(decoded(await live()));
    expect(after.get(id)!.geometry).not.toBe(before.get(id)!.geometry);
  });
});
