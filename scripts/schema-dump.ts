import fs from 'node:fs';
import { MIGRATIONS_DIRECTORY, prepareDatabase } from '../server/bootstrap.js';
import { SCHEMA_DUMP_FILE, dumpMigratedSchema } from '../server/db/schema-dump.js';

// `npm run schema:dump`: writes server/db/schema.sql from a freshly migrated database, so the
// current shape of tables, triggers and functions is readable in one file (a test keeps it current).
const prepared = await prepareDatabase({ databaseName: 'postgres' });
const baseUrl = prepared.url.replace(/\/[^/]*$/, '');
try {
  fs.writeFileSync(SCHEMA_DUMP_FILE, await dumpMigratedSchema(baseUrl, MIGRATIONS_DIRECTORY));
  console.log(`已写入 / wrote ${SCHEMA_DUMP_FILE}`);
} finally {
  prepared.cluster?.stop();
}
