import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MIGRATIONS_DIRECTORY } from '../../server/bootstrap.js';
import { REPOSITORY_ROOT } from '../../server/config.js';
import { connectDatabase, type DatabaseHandles } from '../../server/db/database.js';
import { SCHEMA_DUMP_FILE, dumpMigratedSchema } from '../../server/db/schema-dump.js';

let owner: DatabaseHandles;
beforeAll(() => {
  owner = connectDatabase(inject('adminDatabaseUrl'), 1);
});
afterAll(async () => {
  await owner.close();
});

describe('the schema in one place', () => {
  it('server/db/schema.sql is the schema of a freshly migrated database', async () => {
    const baseUrl = inject('adminDatabaseUrl').replace(/\/[^/]*$/, '');
    const current = await dumpMigratedSchema(baseUrl, MIGRATIONS_DIRECTORY);
    const committed = fs.existsSync(SCHEMA_DUMP_FILE) ? fs.readFileSync(SCHEMA_DUMP_FILE, 'utf8') : '';
    expect(current === committed, 'server/db/schema.sql differs from the migrated schema: run `npm run schema:dump` and commit the file').toBe(true);
  }, 120_000);

  it('server/db/schema.ts types every table of the public schema', async () => {
    const { rows } = await sql<{ tablename: string }>`
      SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys' ORDER BY 1`.execute(owner.db);
    const source = fs.readFileSync(path.join(REPOSITORY_ROOT, 'server', 'db', 'schema.ts'), 'utf8');
    const database = /export interface Database \{([^}]*)\}/.exec(source)![1];
    const typed = [...database.matchAll(/^\s*(\w+):/gm)].map((match) => match[1]).sort();
    expect(typed).toEqual(rows.map((row) => row.tablename));
  });
});
