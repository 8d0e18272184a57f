import { inject } from 'vitest';
import { buildApp, type AppInstance } from '../../server/app.js';
import { readSettings } from '../../server/config.js';
import { connectDatabase, type DatabaseHandles } from '../../server/db/database.js';

export interface TestApp {
  app: AppInstance;
  database: DatabaseHandles;
  close(): Promise<void>;
}

/** The real app over the run's fresh PostGIS database (see tests/global-setup.ts). */
export async function createTestApp(): Promise<TestApp> {
  const database = connectDatabase(inject('databaseUrl'), 8);
  const app = await buildApp({ db: database.db, pool: database.pool, settings: readSettings({ PORT: '0' }) });
  return {
    app,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
