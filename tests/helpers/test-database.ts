import { ensureInitialUsers } from '../../server/auth/bootstrap-users.js';
import { MIGRATIONS_DIRECTORY } from '../../server/bootstrap.js';
import { connectDatabase } from '../../server/db/database.js';
import { applyMigrations } from '../../server/db/migrate.js';
import { loadDemoCityIfEmpty } from '../../server/demo/demo-city.js';
import { ensureRuleSets } from '../../server/rules/rule-sets.repository.js';
import { ensureExampleCriteriaSets } from '../../server/criteria/criteria.repository.js';
import { ensureExampleGradingSchemes } from '../../server/grading/grading.repository.js';
import { TEST_ADMIN_PASSWORD } from './accounts.js';

/**
 * A test database as every test expects it: migrations, the demo city, the rule sets and the demo
 * users (the run's database in tests/global-setup.ts, and the outage tests' own cluster).
 */
export async function populateTestDatabase(adminDatabaseUrl: string, log: (line: string) => void = console.log): Promise<void> {
  const database = connectDatabase(adminDatabaseUrl, 4);
  try {
    await applyMigrations(database.pool, MIGRATIONS_DIRECTORY, () => undefined);
    await loadDemoCityIfEmpty(database.pool, log);
    await ensureRuleSets(database.db);
    await ensureExampleCriteriaSets(database.db);
    await ensureExampleGradingSchemes(database.db);
    process.env.ADMIN_PASSWORD ??= TEST_ADMIN_PASSWORD;
    await ensureInitialUsers(database.db, { demo: true, log: () => undefined });
  } finally {
    await database.close();
  }
}
