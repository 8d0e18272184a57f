import path from 'node:path';
import { REPOSITORY_ROOT } from './config.js';
import { APP_ROLE, startEmbeddedCluster, type EmbeddedCluster, DEFAULT_EMBEDDED_PORT } from './db/cluster.js';
import { ensureDatabaseExists, redactUrl } from './db/database.js';
import { ensureDebianPackages, RUNTIME_PACKAGES } from './system/debian-packages.js';

export const MIGRATIONS_DIRECTORY = path.join(REPOSITORY_ROOT, 'migrations');

export { APP_ROLE };

export interface PreparedDatabase {
  /** Owner's URL: migrations, demo loading, seeds. */
  url: string;
  /** The application's URL (role biaotu_app, not a superuser) and, if it logs in as the owner, the role to SET. */
  app: { url: string; role?: string };
  /** The embedded cluster when this process uses one (no DATABASE_URL). */
  cluster: EmbeddedCluster | null;
}

/**
 * Finds the database to use: DATABASE_URL when set, otherwise the product's own cluster under
 * `.data/` (installing the Debian packages it needs first), with the named database created.
 */
export async function prepareDatabase(options: { databaseName: string; extraPackages?: readonly string[] }): Promise<PreparedDatabase> {
  const packages = [...(process.env.DATABASE_URL ? RUNTIME_PACKAGES.filter((name) => !name.startsWith('postgresql')) : RUNTIME_PACKAGES), ...(options.extraPackages ?? [])];
  ensureDebianPackages(packages);
  if (process.env.DATABASE_URL) {
    console.log(`使用 DATABASE_URL / using ${redactUrl(process.env.DATABASE_URL)}`);
    const app = process.env.APP_DATABASE_URL ? { url: process.env.APP_DATABASE_URL } : { url: process.env.DATABASE_URL, role: APP_ROLE };
    return { url: process.env.DATABASE_URL, app, cluster: null };
  }
  const port = Number(process.env.BIAOTU_PG_PORT ?? DEFAULT_EMBEDDED_PORT);
  const cluster = startEmbeddedCluster(REPOSITORY_ROOT, port);
  await ensureDatabaseExists(cluster.baseUrl, options.databaseName);
  const url = `${cluster.baseUrl}/${options.databaseName}`;
  console.log(`内置 PostgreSQL + PostGIS / embedded database: ${redactUrl(url)} (data in ${cluster.dataDirectory}, passwords in its credentials.json)`);
  const appUrl = `${cluster.appBaseUrl}/${options.databaseName}`;
  return { url, app: { url: appUrl }, cluster };
}
