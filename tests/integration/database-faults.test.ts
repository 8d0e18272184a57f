import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

let testApp: TestApp;
let official: Session;
beforeAll(async () => {
  testApp = await createTestApp();
  official = await login(testApp.app, 'official');
});
afterAll(async () => {
  await testApp.close();
});

const TILE = '/tiles/parcels/12/3389/1759.pbf';

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the server survives losing its listening connection (issue 12, item 2, part)', () => {
  it('reconnects, forgets cached tiles (changes may have been missed) and hears notifications again', async () => {
    await official.get(TILE);
    expect((await official.get(TILE)).headers['x-tile-cache']).toBe('hit');
    const before = testApp.app.notificationsConnection();
    expect(before.connected).toBe(true);

    // An administrator (or a database restart) ends the listening backend: before, the unhandled
    // 'error' event of that client killed the Node process.
    await sql`SELECT pg_terminate_backend(${before.processId})`.execute(testApp.database.db);
    await until(() => {
      const now = testApp.app.notificationsConnection();
      return now.connected && now.processId !== before.processId;
    }, 'the listening connection to come back');

    expect((await official.get('/api/health')).statusCode).toBe(200);
    expect((await official.get(TILE)).headers['x-tile-cache']).not.toBe('hit');
    expect((await official.get(TILE)).headers['x-tile-cache']).toBe('hit');
    // A change announced by the database after the reconnection reaches the cache.
    await sql`SELECT pg_notify('tile_changes', ${JSON.stringify({ layer: '*' })})`.execute(testApp.database.db);
    await until(() => testApp.app.tileCache.size === 0, 'the notification to empty the cache');
    expect((await official.get(TILE)).headers['x-tile-cache']).not.toBe('hit');
  });
});
