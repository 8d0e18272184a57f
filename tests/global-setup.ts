import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { APP_ROLE, prepareDatabase } from '../server/bootstrap.js';
import { dropDatabase, ensureDatabaseExists } from '../server/db/database.js';
import { populateTestDatabase } from './helpers/test-database.js';
import { TEST_PACKAGES } from '../server/system/debian-packages.js';
import { ensureClientBuilt } from '../scripts/client-build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The application's connection (role biaotu_app). */
    databaseUrl: string;
    /** The owner's connection, for set-up that the application may not do. */
    adminDatabaseUrl: string;
  }
}

/**
 * Drops test databases left behind by runs that crashed: those nobody is connected to and created
 * over an hour ago (the name carries its creation time), so a run starting next to this one keeps
 * its database between its set-up and its first connection.
 */
async function dropStaleTestDatabases(baseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${baseUrl}/postgres` });
  await client.connect();
  const { rows } = await client.query<{ datname: string }>(
    `SELECT datname FROM pg_database d WHERE datname ~ '^biaotu_test_[0-9]+_[0-9]+$'
       AND split_part(datname, '_', 3)::bigint < $1
       AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
    [Date.now() - 3600_000],
  );
  await client.end();
  for (const row of rows) await dropDatabase(baseUrl, row.datname);
}

/**
 * Every run gets a fresh database with the migrations applied and the demo city loaded: on the
 * embedded cluster by default, or on the server DATABASE_URL names.
 */
export default async function setup(project: TestProject) {
  const databaseName = `biaotu_test_${Date.now()}_${process.pid}`;
  // The client builds (Vite, its own process) while the database is prepared: the two overlap.
  // Developers iterating on the server alone may skip the build; the browser tests then use the last one.
  const clientBuilt = process.env.BIAOTU_SKIP_CLIENT_BUILD === '1'
    ? Promise.resolve<Error | null>(null)
    : ensureClientBuilt().then(() => null, (error: Error) => error);
  let baseUrl: string;
  let appBaseUrl: string | null = null;
  let cluster = null as Awaited<ReturnType<typeof prepareDatabase>>['cluster'];
  if (process.env.DATABASE_URL) {
    await prepareDatabase({ databaseName, extraPackages: TEST_PACKAGES });
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '';
    baseUrl = url.toString().replace(/\/$/, '');
    await ensureDatabaseExists(baseUrl, databaseName);
  } else {
    const prepared = await prepareDatabase({ databaseName, extraPackages: TEST_PACKAGES });
    cluster = prepared.cluster;
    baseUrl = prepared.cluster!.baseUrl;
    appBaseUrl = prepared.cluster!.appBaseUrl;
  }
  await dropStaleTestDatabases(baseUrl);
  await ensureDatabaseExists(baseUrl, databaseName);
  const adminDatabaseUrl = `${baseUrl}/${databaseName}`;
  await populateTestDatabase(adminDatabaseUrl);
  const buildError = await clientBuilt;
  if (buildError) throw buildError;
  let appUrl = `${appBaseUrl}/${databaseName}`;
  if (appBaseUrl === null) {
    const url = new URL(adminDatabaseUrl);
    url.username = APP_ROLE;
    url.password = '';
    appUrl = url.toString();
  }
  project.provide('databaseUrl', process.env.DATABASE_URL && !process.env.APP_DATABASE_URL ? adminDatabaseUrl : appUrl);
  project.provide('adminDatabaseUrl', adminDatabaseUrl);

  return async () => {
    await dropDatabase(baseUrl, databaseName).catch((error: Error) => console.warn(`could not drop ${databaseName}: ${error.message}`));
    cluster?.stop();
  };
}
