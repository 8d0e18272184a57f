import { VectorTile } from '@mapbox/vector-tile';
import { sql } from 'kysely';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../../server/db/database.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';
import { tileOf as tileAt } from '../helpers/tiles.js';

let testApp: TestApp;
let official: Session;
beforeAll(async () => {
  testApp = await createTestApp();
  official = await login(testApp.app, 'official');
});
afterAll(async () => {
  await testApp.close();
});

function tileOf(lon: number, lat: number, z: number): string {
  const { x, y } = tileAt(lon, lat, z);
  return `/tiles/parcels/${z}/${x}/${y}.pbf`;
}

async function parcelIn(url: string, id: number) {
  const response = await official.get(url);
  const layer = new VectorTile(new PbfReader(response.rawPayload)).layers.parcels;
  const feature = Array.from({ length: layer.length }, (_, index) => layer.feature(index)).find((candidate) => candidate.id === id);
  return { cache: response.headers['x-tile-cache'], status: feature?.properties.status };
}

async function pick(district: string, status: string) {
  const { rows: [parcel] } = await sql<{ id: number; lon: number; lat: number }>`
    SELECT id, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
    FROM parcels WHERE district_code = ${district} AND status = ${status} ORDER BY id DESC LIMIT 1`.execute(testApp.database.db);
  return parcel;
}

describe('the tile cache', () => {
  it('serves repeated tiles from memory, and shows an edit at once while untouched tiles stay cached', async () => {
    const edited = await pick('350213', 'suspected');
    const elsewhere = await pick('350205', 'efficient');
    const editedTile = tileOf(edited.lon, edited.lat, 15);
    const otherTile = tileOf(elsewhere.lon, elsewhere.lat, 15);
    expect(editedTile).not.toBe(otherTile);
    await parcelIn(editedTile, edited.id);
    await parcelIn(otherTile, elsewhere.id);
    expect(await parcelIn(editedTile, edited.id)).toEqual({ cache: 'hit', status: 'suspected' });
    expect((await parcelIn(otherTile, elsewhere.id)).cache).toBe('hit');

    const response = await official.request({ method: 'PATCH', url: `/api/parcels/${edited.id}`, payload: { status: 'identified', inefficiencyType: 'idle' } });
    expect(response.statusCode).toBe(200);
    expect(await parcelIn(editedTile, edited.id)).toEqual({ cache: 'miss', status: 'identified' });
    expect(await parcelIn(otherTile, elsewhere.id)).toEqual({ cache: 'hit', status: 'efficient' });
    // Lower zooms that show the parcel are dropped too.
    const lowTile = tileOf(edited.lon, edited.lat, 12);
    expect((await parcelIn(lowTile, edited.id)).status).toBe('identified');
  });

  it('learns of changes made outside this server through the database', async () => {
    const parcel = await pick('350211', 'efficient');
    const url = tileOf(parcel.lon, parcel.lat, 16);
    await parcelIn(url, parcel.id);
    expect((await parcelIn(url, parcel.id)).cache).toBe('hit');
    const owner = connectDatabase(inject('adminDatabaseUrl'), 1);
    try {
      await sql`UPDATE parcels SET status = 'redeveloping' WHERE id = ${parcel.id}`.execute(owner.db);
    } finally {
      await owner.close();
    }
    let seen = await parcelIn(url, parcel.id);
    for (let attempt = 0; attempt < 50 && seen.status !== 'redeveloping'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await parcelIn(url, parcel.id);
    }
    expect(seen.status).toBe('redeveloping');
  });
});
