import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';

export interface AppliedMigration { name: string; checksum: string }

/**
 * Applies the plain SQL files of `migrations/` in name order, each in its own transaction, and
 * records them in `schema_migrations`. An advisory lock keeps two starting processes from racing.
 * A file that changed after it was applied is an error: migrations are history, not drafts.
 */
export async function applyMigrations(pool: pg.Pool, directory: string, log: (line: string) => void = console.log): Promise<AppliedMigration[]> {
  const files = fs.readdirSync(directory).filter((file) => file.endsWith('.sql')).sort();
  const client = await pool.connect();
  const applied: AppliedMigration[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(724091)');
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Map<string, string>(
      (await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations')).rows.map(
        (row) => [row.name, row.checksum],
      ),
    );
    for (const file of files) {
      const text = fs.readFileSync(path.join(directory, file), 'utf8');
      const checksum = createHash('sha256').update(text).digest('hex');
      const previous = done.get(file);
      if (previous !== undefined) {
        if (previous !== checksum) throw new Error(`migration ${file} was changed after it was applied; add a new migration instead`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(text);
        await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [file, checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(error as Error).message}`);
      }
      log(`已应用迁移 / applied migration ${file}`);
      applied.push({ name: file, checksum });
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(724091)').catch(() => undefined);
    client.release();
  }
  return applied;
}
