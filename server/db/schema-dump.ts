import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPOSITORY_ROOT } from '../config.js';
import { BIN_DIRECTORY } from './cluster.js';
import { connectDatabase, dropDatabase, ensureDatabaseExists, libpqTarget } from './database.js';
import { applyMigrations } from './migrate.js';

/**
 * The committed DDL of a freshly migrated database: tables, triggers, functions and grants in one
 * file beside schema.ts (not in migrations/, whose every .sql file is applied).
 */
export const SCHEMA_DUMP_FILE = path.join(REPOSITORY_ROOT, 'server', 'db', 'schema.sql');

/**
 * `pg_dump --schema-only` without what differs between runs and machines: comments, session
 * settings, the random `\restrict` key of newer pg_dump releases, owners, and runs of blank lines.
 */
export function normaliseSchemaDump(dump: string): string {
  const lines = dump.split('\n').filter((line) =>
    !line.startsWith('--') && !line.startsWith('SET ') && !line.startsWith('SELECT pg_catalog.set_config(')
    && !line.startsWith('\\restrict') && !line.startsWith('\\unrestrict'));
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

/**
 * Migrates a new empty database on the server of `baseUrl` (an owner's URL without a database),
 * dumps its schema as `SCHEMA_DUMP_FILE` holds it, and drops it again.
 */
export async function dumpMigratedSchema(baseUrl: string, migrationsDirectory: string): Promise<string> {
  const name = `biaotu_schema_${Date.now()}_${process.pid}`;
  await ensureDatabaseExists(baseUrl, name);
  try {
    const database = connectDatabase(`${baseUrl}/${name}`, 2);
    try {
      await applyMigrations(database.pool, migrationsDirectory, () => undefined);
    } finally {
      await database.close();
    }
    const target = libpqTarget(`${baseUrl}/${name}`);
    const dump = execFileSync(path.join(BIN_DIRECTORY, 'pg_dump'), ['--schema-only', '--no-owner', '--dbname', target.url], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...target.env } });
    return normaliseSchemaDump(dump);
  } finally {
    await dropDatabase(baseUrl, name);
  }
}
