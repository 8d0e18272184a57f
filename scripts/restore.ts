import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RestoreRefused, restoreBackup } from '../server/backup/backup.js';
import { prepareDatabase } from '../server/bootstrap.js';
import { readSettings } from '../server/config.js';

const usage = `用法 / usage: npm run restore -- <备份.tar / backup.tar> [--database 库名 / NAME] [--force] [--import-directory DIR]
  恢复到一个新数据库（默认为备份时的库名），并逐表核对行数和校验和；不一致时以非零状态退出。
  Restores into a fresh database (by default the one backed up), then checks every table's row count
  and checksum against the manifest; exits non-zero on any mismatch.
  --force  删除并重建已有数据的同名数据库 / drop and recreate a database that already holds tables.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    database: { type: 'string' },
    force: { type: 'boolean', default: false },
    'import-directory': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help || positionals.length !== 1) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}
const archive = path.resolve(positionals[0]);
if (!fs.existsSync(archive)) {
  console.error(`找不到备份文件 / no such file: ${archive}`);
  process.exit(2);
}

const prepared = await prepareDatabase({ databaseName: 'postgres' });
let exitCode = 0;
try {
  const baseUrl = prepared.url.replace(/\/[^/]*$/, '');
  const result = await restoreBackup({
    baseUrl, archive, database: values.database, force: values.force,
    importDirectory: path.resolve(values['import-directory'] ?? readSettings().importDirectory),
  });
  const failed = result.checks.filter((check) => !check.ok);
  console.log(`已恢复到数据库 ${result.database} / restored into database ${result.database}`);
  console.log(`  备份 / backup: ${path.basename(archive)}, 库 / database ${result.manifest.database}, 时间 / taken ${result.manifest.createdAt}`);
  console.log(`  ${'表 / table'.padEnd(40)} ${'行数 / rows'.padStart(12)}  核对 / check`);
  for (const check of result.checks) {
    const rows = check.actual?.rows ?? 0;
    let verdict = '一致 / match';
    if (!check.expected) verdict = '清单中没有 / not in the manifest';
    else if (!check.actual) verdict = '恢复后缺失 / missing after restore';
    else if (check.expected.rows !== check.actual.rows) verdict = `行数不符 / row count differs: 清单 / manifest ${check.expected.rows}`;
    else if (!check.ok) verdict = '校验和不符 / checksum differs';
    console.log(`  ${check.table.padEnd(40)} ${String(rows).padStart(12)}  ${verdict}`);
  }
  console.log(`  文件 / files: ${result.manifest.files.length} 个，已写入 / written ${result.filesRestored}`);
  if (result.manifest.cacheTables.length > 0) console.log(`  缓存表未备份数据，将按需重建 / cache tables restored empty, rebuilt on demand: ${result.manifest.cacheTables.join(', ')}`);
  if (failed.length > 0) {
    console.error(`核对失败：${failed.length} 张表与清单不符，请勿使用此库 / verification FAILED: ${failed.length} table(s) differ from the manifest; do not use this database`);
    exitCode = 1;
  } else {
    const rows = result.checks.reduce((sum, check) => sum + (check.actual?.rows ?? 0), 0);
    console.log(`核对通过：${result.checks.length} 张表、${rows} 行全部与清单一致 / verified: all ${result.checks.length} tables, ${rows} rows match the manifest`);
  }
} catch (error) {
  console.error(error instanceof RestoreRefused ? `恢复被拒绝 / restore refused: ${error.message}` : `恢复失败 / restore failed: ${(error as Error).message}`);
  exitCode = 1;
} finally {
  prepared.cluster?.stop();
}
process.exit(exitCode);
