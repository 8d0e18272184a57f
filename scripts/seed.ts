import os from 'node:os';
import { parseArgs } from 'node:util';
import { MIGRATIONS_DIRECTORY, prepareDatabase } from '../server/bootstrap.js';
import { connectDatabase } from '../server/db/database.js';
import { applyMigrations } from '../server/db/migrate.js';
import { DEMO_PARCEL_COUNT, DEMO_SEED, loadDistricts, loadGeneratedParcels } from '../server/demo/demo-city.js';

const usage = `用法 / usage: npm run seed -- [--parcels N] [--seed S]
  Replaces every parcel with N generated ones (default ${DEMO_PARCEL_COUNT}) in Xiamen's districts.
  Deterministic: the same seed gives the same city. The replacement is one transaction, recorded in history.`;

const { values } = parseArgs({
  options: {
    parcels: { type: 'string', default: String(DEMO_PARCEL_COUNT) },
    seed: { type: 'string', default: String(DEMO_SEED) },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const count = Number(values.parcels);
const seed = Number(values.seed);
if (!Number.isInteger(count) || count < 1 || count > 5_000_000) {
  console.error(`--parcels 必须是 1 到 5 000 000 之间的整数 / must be an integer from 1 to 5 000 000, got "${values.parcels}"\n${usage}`);
  process.exit(2);
}
if (!Number.isInteger(seed)) {
  console.error(`--seed 必须是整数 / must be an integer, got "${values.seed}"\n${usage}`);
  process.exit(2);
}

const prepared = await prepareDatabase({ databaseName: 'biaotu' });
const database = connectDatabase(prepared.url, 2);
try {
  await applyMigrations(database.pool, MIGRATIONS_DIRECTORY);
  const { rows: [{ districts }] } = await database.pool.query<{ districts: number }>('SELECT count(*)::int AS districts FROM districts');
  if (districts === 0) await loadDistricts(database.pool);
  const width = 30;
  const report = await loadGeneratedParcels(database.pool, {
    count,
    seed,
    actor: `cli:${os.userInfo().username}`,
    onProgress(done) {
      const filled = Math.round((done / count) * width);
      process.stdout.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('zh-CN')} / ${count.toLocaleString('zh-CN')} 宗`);
    },
  });
  process.stdout.write('\n');
  console.log(`已生成 ${report.parcels.toLocaleString('zh-CN')} 宗地块, seed ${seed}, ${report.seconds.toFixed(1)} s (${Math.round(report.parcels / report.seconds).toLocaleString('zh-CN')} 宗/s)`);
} catch (error) {
  console.error(`\n生成失败，数据库未改变 / seeding failed, nothing was changed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
  prepared.cluster?.stop();
}
