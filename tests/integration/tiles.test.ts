import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { sql } from 'kysely';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../../server/db/database.js';
import { readSettings } from '../../server/config.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';
import { PARCELS_PRECUT_TILE_SQL, PRECUT_ZOOMS, parcelsTileSql } from '../../server/tiles/tiles.sql.js';
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
    const { rows: [parcel] } = await sql<{ id: number; status: string; type: string | null; grade: string; category: string; lon: number; lat: number }>`
      SELECT id, status, inefficiency_type AS type, coalesce(evaluation_grade, 'none') AS grade, coalesce(land_category, 'none') AS category, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
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
    expect(found!.properties).toEqual({ status: parcel.status, type: parcel.type, grade: parcel.grade, category: parcel.category, restricted: 0 });
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

describe('parcel grid by 低效类型 and parcel labels (issue 13, item 4)', () => {
  const features = (payload: Buffer, name: string) => {
    const layer = new VectorTile(new PbfReader(payload)).layers[name];
    return layer ? Array.from({ length: layer.length }, (_, index) => layer.feature(index)) : [];
  };

  it('keeps parcel_type_cells equal to the typed parcels, cell by cell', async () => {
    const { rows } = await sql<{ missing: number; extra: number; total: number }>`
      WITH expected AS (
        SELECT cell_column((ST_XMin(geom_3857) + ST_XMax(geom_3857)) / 2, 17) AS cx,
               cell_row((ST_YMin(geom_3857) + ST_YMax(geom_3857)) / 2, 17) AS cy,
               district_code, inefficiency_type AS type, count(*)::int AS parcels, round(sum(area_m2)::numeric, 2) AS area
        FROM parcels WHERE inefficiency_type IS NOT NULL GROUP BY 1, 2, 3, 4
      ), stored AS (
        SELECT cx, cy, district_code, type, parcels, round(area_m2::numeric, 2) AS area FROM parcel_type_cells WHERE level = 17
      )
      SELECT (SELECT count(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM stored) d)::int AS missing,
             (SELECT count(*) FROM (SELECT * FROM stored EXCEPT SELECT * FROM expected) d)::int AS extra,
             (SELECT count(*) FROM stored)::int AS total`.execute(testApp.database.db);
    expect(rows[0]).toMatchObject({ missing: 0, extra: 0 });
    expect(rows[0].total).toBeGreaterThan(10);
  });

  it('gives each grid cell its dominant 低效类型 and that type\'s share of the cell\'s land', async () => {
    // The z12 cell (level 17) with the most typed land, and what the parcels say about it.
    const { rows: [cell] } = await sql<{ cx: number; cy: number; type: string; share: number }>`
      WITH typed AS (
        SELECT cx, cy, type, sum(area_m2) AS m2 FROM parcel_type_cells WHERE level = 17 GROUP BY 1, 2, 3
      ), best AS (
        SELECT DISTINCT ON (cx, cy) cx, cy, type, m2 FROM typed ORDER BY cx, cy, m2 DESC, type
      )
      SELECT b.cx, b.cy, b.type, round((b.m2 / (SELECT sum(area_m2) FROM parcel_cells c WHERE c.level = 17 AND c.cx = b.cx AND c.cy = b.cy))::numeric, 4)::float8 AS share
      FROM best b ORDER BY b.m2 DESC LIMIT 1`.execute(testApp.database.db);
    const z = 12;
    const response = await session.get(`/tiles/parcels/${z}/${cell.cx >> 5}/${cell.cy >> 5}.pbf`);
    expect(response.statusCode).toBe(200);
    const found = features(response.rawPayload, 'cells').find((feature) => {
      const ring = feature.loadGeometry()[0];
      return Math.round(Math.min(...ring.map((point) => point.x)) / 128) === cell.cx % 32
        && Math.round(Math.min(...ring.map((point) => point.y)) / 128) === cell.cy % 32;
    });
    expect(found?.properties).toMatchObject({ type: cell.type, type_share: cell.share });
    expect(cell.share).toBeGreaterThan(0);
    // Cells without typed land say 'none', so the map can give them the 非低效 colour.
    const types = new Set(features(response.rawPayload, 'cells').map((feature) => feature.properties.type));
    expect([...types].every((type) => typeof type === 'string')).toBe(true);
  });

  it('leave the labels to the parcel-labels tiles: one point per parcel from z16 with 宗地编号 and 权利人; the 权利人 only inside the reader\'s districts', async () => {
    const { rows: [parcel] } = await sql<{ id: number; code: string; owner: string; lon: number; lat: number }>`
      SELECT id, code, owner, ST_X(ST_Transform(ST_PointOnSurface(geom_3857), 4326)) AS lon, ST_Y(ST_Transform(ST_PointOnSurface(geom_3857), 4326)) AS lat
      FROM parcels WHERE owner <> '' AND district_code <> '350206' ORDER BY id LIMIT 1`.execute(testApp.database.db);
    const at = async (reader: Session, zoom: number) => {
      const { z, x, y } = tileOf(parcel.lon, parcel.lat, zoom);
      const response = await reader.get(`/tiles/parcels/${z}/${x}/${y}.pbf`);
      const labelled = await reader.get(`/tiles/parcel-labels/${z}/${x}/${y}.pbf`);
      return {
        polygon: features(response.rawPayload, 'parcels').find((feature) => feature.id === parcel.id),
        inParcelTile: features(response.rawPayload, 'parcel_labels').length,
        labelStatus: labelled.statusCode,
        labels: features(labelled.rawPayload, 'parcel_labels').filter((feature) => feature.id === parcel.id),
      };
    };
    const z16 = await at(session, 16);
    expect(z16.labels).toHaveLength(1);
    expect(z16.labels[0].type).toBe(1);
    expect(z16.labels[0].properties).toMatchObject({ code: parcel.code, owner: parcel.owner, restricted: 0 });
    expect(z16.polygon?.properties).not.toHaveProperty('code');
    expect(z16.inParcelTile).toBe(0);
    const z15 = await at(session, 15);
    expect(z15.polygon).toBeDefined();
    expect(z15.labelStatus).toBe(204);
    expect(z15.labels).toHaveLength(0);
    const huli = await login(testApp.app, 'planner-huli');
    const outside = await at(huli, 16);
    expect(outside.labels[0].properties).toMatchObject({ code: parcel.code, restricted: 1 });
    expect(outside.labels[0].properties).not.toHaveProperty('owner');
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

  it('gives each source layer of the parcels its zoom band, the labels theirs from z16', async () => {
    const body = (await session.get('/tiles/parcels.json')).json();
    const bands = Object.fromEntries(body.vector_layers.map((layer: { id: string; minzoom: number; maxzoom: number }) => [layer.id, [layer.minzoom, layer.maxzoom]]));
    expect(bands).toEqual({ cells: [0, 13], parcels: [14, 16] });
    expect(body.minzoom).toBe(0);
    const labels = (await session.get('/tiles/parcel-labels.json')).json();
    expect(labels.tiles).toEqual(['/tiles/parcel-labels/{z}/{x}/{y}.pbf']);
    expect([labels.minzoom, labels.maxzoom]).toEqual([16, 16]);
    expect(labels.vector_layers.map((layer: { id: string }) => layer.id)).toEqual(['parcel_labels']);
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

describe('parcels cut ahead of time at z14, z16, z17 and z18', () => {
  async function densest(z: number) {
    const { rows: [tile] } = await sql<{ x: number; y: number }>`
      SELECT x, y FROM parcel_tile_geometries WHERE z = ${z} GROUP BY x, y ORDER BY count(*) DESC, x, y LIMIT 1`.execute(testApp.database.db);
    return tile;
  }
  const decoded = (payload: Buffer) => {
    const layer = new VectorTile(new PbfReader(payload)).layers.parcels;
    return new Map(Array.from({ length: layer.length }, (_, index) => layer.feature(index)).map((feature) => [feature.id, { properties: feature.properties, geometry: JSON.stringify(feature.loadGeometry()) }]));
  };

  it('at the zooms the database keeps them (its parcel_precut_zooms() is the server\'s PRECUT_ZOOMS)', async () => {
    const { rows: [{ zooms }] } = await sql<{ zooms: number[] }>`SELECT parcel_precut_zooms() AS zooms`.execute(testApp.database.db);
    expect(zooms).toEqual([...PRECUT_ZOOMS]);
    const { rows } = await sql<{ z: number }>`SELECT DISTINCT z FROM parcel_tile_geometries ORDER BY z`.execute(testApp.database.db);
    expect(rows.map((row) => row.z)).toEqual([14, 16, 17, 18]);
  });

  it('cut a parcel over 2 km on a side only at z14, and cut it per request at z16, z17 and z18 in the same tile', async () => {
    const { x, y } = await densest(17);
    const { rows: [{ id }] } = await sql<{ id: string }>`
      SELECT parcel_id::text AS id FROM parcel_tile_geometries WHERE z = 17 AND x = ${x} AND y = ${y} ORDER BY parcel_id LIMIT 1`.execute(testApp.database.db);
    const owner = connectDatabase(inject('adminDatabaseUrl'), 1);
    const client = await owner.pool.connect();
    try {
      // In a transaction rolled back at the end: other test files never see the large parcel.
      await client.query('BEGIN');
      await client.query(`UPDATE parcels SET geom = ST_Multi(ST_Transform(ST_Expand(ST_Centroid(geom_3857), 1500), 4490)) WHERE id = $1`, [id]);
      const { rows: zooms } = await client.query<{ z: number; cuts: number }>('SELECT z, count(*)::int AS cuts FROM parcel_tile_geometries WHERE parcel_id = $1 GROUP BY z ORDER BY z', [id]);
      expect(zooms.map((row) => row.z)).toEqual([14]);
      for (const z of [16, 17, 18]) {
        const tile = { x: Math.floor(x * 2 ** (z - 17)), y: Math.floor(y * 2 ** (z - 17)) };
        const live = (await client.query<{ tile: Buffer }>({ text: parcelsTileSql(false), values: [z, tile.x, tile.y, null, null] })).rows[0].tile;
        const precut = (await client.query<{ tile: Buffer }>({ text: PARCELS_PRECUT_TILE_SQL, values: [z, tile.x, tile.y, null, null] })).rows[0].tile;
        const served = decoded(precut);
        expect(served.has(Number(id))).toBe(true);
        expect(served).toEqual(decoded(live));
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
      await owner.close();
    }
  });

  it.each([16, 17, 18])('serve at z%i the same tile as cutting the parcels per request', async (z) => {
    const { x, y } = await densest(z);
    const live = (await testApp.database.pool.query<{ tile: Buffer }>({ text: parcelsTileSql(false), values: [z, x, y, null, null] })).rows[0].tile;
    testApp.app.tileCache.clear();
    await testApp.app.tileStore.clear();
    const response = await session.get(`/tiles/parcels/${z}/${x}/${y}.pbf`);
    const served = decoded(response.rawPayload);
    expect(served.size).toBeGreaterThan(3);
    expect(served).toEqual(decoded(live));
  });

  it('follow an edit of the tile attributes at every precut zoom, for every scope, without cutting again', async () => {
    const { x, y } = await densest(16);
    const { rows: [parcel] } = await sql<{ id: string; status: string; district: string; other: string }>`
      SELECT p.id::text AS id, p.status, p.district_code AS district,
             (SELECT code FROM districts WHERE level = 'district' AND code <> p.district_code ORDER BY code LIMIT 1) AS other
      FROM parcel_tile_geometries g JOIN parcels p ON p.id = g.parcel_id
      WHERE g.z = 16 AND g.x = ${x} AND g.y = ${y} ORDER BY g.parcel_id LIMIT 1`.execute(testApp.database.db);
    const owner = connectDatabase(inject('adminDatabaseUrl'), 1);
    const client = await owner.pool.connect();
    const tilesOf = async () => (await client.query<{ z: number; x: number; y: number; geom: string }>(
      'SELECT z, x, y, ST_AsText(geom) AS geom FROM parcel_tile_geometries WHERE parcel_id = $1 ORDER BY z, x, y', [parcel.id])).rows;
    try {
      // In a transaction rolled back at the end: other test files never see the edit.
      await client.query('BEGIN');
      const before = await tilesOf();
      expect(before.map((row) => row.z)).toEqual(expect.arrayContaining([14, 16, 17, 18]));
      const status = parcel.status === 'identified' ? 'suspected' : 'identified';
      await client.query(`UPDATE parcels SET status = $2, inefficiency_type = 'stopped', evaluation_grade = 'C', land_category = 'industrial', district_code = $3 WHERE id = $1`,
        [parcel.id, status, parcel.other]);
      expect(await tilesOf()).toEqual(before);
      const { rows: stored } = await client.query<{ status: string; inefficiency_type: string; district_code: string }>(
        'SELECT DISTINCT status, inefficiency_type, district_code FROM parcel_tile_geometries WHERE parcel_id = $1', [parcel.id]);
      expect(stored).toEqual([{ status, inefficiency_type: 'stopped', district_code: parcel.other }]);
      // Every stored tile of the parcel, read by the whole city, by the parcel's new district and by its old one (masked).
      for (const tile of before) {
        for (const scope of [null, [parcel.other], [parcel.district]]) {
          const live = (await client.query<{ tile: Buffer }>({ text: parcelsTileSql(false), values: [tile.z, tile.x, tile.y, scope, null] })).rows[0].tile;
          const precut = (await client.query<{ tile: Buffer }>({ text: PARCELS_PRECUT_TILE_SQL, values: [tile.z, tile.x, tile.y, scope, null] })).rows[0].tile;
          const served = decoded(precut);
          expect(served.get(Number(parcel.id))?.properties.status).toBe(scope?.[0] === parcel.district ? 'restricted' : status);
          expect(served).toEqual(decoded(live));
        }
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
      await owner.close();
    }
  });

  it('are written in tile order by each statement, whatever the order of its parcels', async () => {
    const { x, y } = await densest(16);
    const { rows: ids } = await sql<{ id: string }>`
      SELECT parcel_id::text AS id FROM parcel_tile_geometries WHERE z = 16 AND x = ${x} AND y = ${y} ORDER BY parcel_id DESC LIMIT 4`.execute(testApp.database.db);
    const owner = connectDatabase(inject('adminDatabaseUrl'), 1);
    const client = await owner.pool.connect();
    try {
      // In a transaction rolled back at the end: other test files never see the move.
      await client.query('BEGIN');
      await client.query(`UPDATE parcels SET geom = ST_Transform(ST_Translate(ST_Transform(geom, 3857), 5, 5), 4490) WHERE id = ANY($1::bigint[])`, [ids.map((row) => row.id)]);
      const { rows } = await client.query<{ z: number; x: number; y: number; parcel_id: string }>(
        'SELECT z, x, y, parcel_id FROM parcel_tile_geometries WHERE parcel_id = ANY($1::bigint[]) ORDER BY ctid', [ids.map((row) => row.id)]);
      expect(rows.length).toBeGreaterThanOrEqual(4 * 4);
      const key = (row: { z: number; x: number; y: number; parcel_id: string }) => [row.z, row.x, row.y, Number(row.parcel_id)];
      const sorted = [...rows].sort((a, b) => {
        const [left, right] = [key(a), key(b)];
        return left.map((value, index) => value - right[index]).find((difference) => difference !== 0) ?? 0;
      });
      expect(rows).toEqual(sorted);
    } finally {
      await client.query('ROLLBACK');
      client.release();
      await owner.close();
    }
  });

  it('serve the same tile as cutting the parcels per request, and follow a geometry change', async () => {
    const { x, y } = await densest(14);
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

  it('are rebuilt only for the parcels whose shape a statement changes, not for attribute edits', async () => {
    const { x, y } = await densest(14);
    const { rows: ids } = await sql<{ id: string }>`
      SELECT DISTINCT parcel_id::text AS id FROM parcel_tile_geometries WHERE z = 14 AND x = ${x} AND y = ${y} ORDER BY 1 LIMIT 2`.execute(testApp.database.db);
    const [moved, kept] = ids.map((row) => Number(row.id));
    const cuts = async (parcelId: number) => (await sql<{ xmin: string; geom: string }>`
      SELECT xmin::text, ST_AsText(geom) AS geom FROM parcel_tile_geometries WHERE parcel_id = ${parcelId} ORDER BY z, x, y`.execute(testApp.database.db)).rows;
    const keptBefore = await cuts(kept);
    const movedBefore = await cuts(moved);
    const owner = connectDatabase(inject('adminDatabaseUrl'), 1);
    try {
      // One statement: an attribute of both, the shape of one (10 m north).
      await owner.pool.query(
        `UPDATE parcels SET owner = owner,
           geom = CASE WHEN id = $1 THEN ST_Transform(ST_Translate(ST_Transform(geom, 3857), 0, 10), 4490) ELSE geom END
         WHERE id = ANY($2::bigint[])`, [moved, [moved, kept]]);
    } finally {
      await owner.close();
    }
    expect(await cuts(kept)).toEqual(keptBefore);
    const movedAfter = await cuts(moved);
    expect(movedAfter.length).toBeGreaterThan(0);
    expect(movedAfter.map((row) => row.geom)).not.toEqual(movedBefore.map((row) => row.geom));
    expect(movedAfter.every((row) => !movedBefore.some((old) => old.xmin === row.xmin))).toBe(true);
    // What the rows hold, at every precut zoom, is what cutting the moved parcel now gives.
    const { rows: [{ same }] } = await sql<{ same: boolean }>`
      SELECT (SELECT array_agg(ST_AsText(c.geom) ORDER BY zz.z, c.x, c.y) FROM parcels p, unnest(parcel_precut_zooms()) AS zz(z), parcel_tile_cuts(p.geom_3857, zz.z) c WHERE p.id = ${moved} AND c.geom IS NOT NULL)
           = (SELECT array_agg(ST_AsText(geom) ORDER BY z, x, y) FROM parcel_tile_geometries WHERE parcel_id = ${moved}) AS same`.execute(testApp.database.db);
    expect(same).toBe(true);
  });
});
