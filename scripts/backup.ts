import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { backupFileName, createBackup, pruneBackups } from '../server/backup/backup.js';
import { prepareDatabase } from '../server/bootstrap.js';
import { dataDirectory, readSettings } from '../server/config.js';

const usage = `用法 / usage: npm run backup -- [--output 目录或文件.tar / DIR|FILE.tar] [--keep N] [--import-directory DIR]
  把数据库（pg_dump）和数据库外的文件（导入中的上传文件）连同清单写进一个 .tar。
  Writes the database (pg_dump) and the files it does not hold (uploads of imports under way) with a
  manifest of row counts and checksums into one .tar. Default folder: .data/backups/.
  --keep N  只保留该目录中本库最新的 N 份备份 / keep only the newest N backups of this database there.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    output: { type: 'string' },
    keep: { type: 'string' },
    'import-directory': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help || positionals.length > 0) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}
const keep = values.keep === undefined ? null : Number(values.keep);
if (keep !== null && (!Number.isInteger(keep) || keep < 1)) {
  console.error(`--keep 须为正整数 / --keep must be a whole number ≥ 1, got "${values.keep}"\n${usage}`);
  process.exit(2);
}

const prepared = await prepareDatabase({ databaseName: 'biaotu' });
let exitCode = 0;
try {
  const database = decodeURIComponent(new URL(prepared.url).pathname.slice(1));
  const requested = path.resolve(values.output ?? path.join(dataDirectory(), 'backups'));
  const toFile = requested.endsWith('.tar');
  const folder = toFile ? path.dirname(requested) : requested;
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const output = toFile ? requested : path.join(folder, backupFileName(database, new Date()));
  const started = Date.now();
  const manifest = await createBackup({ url: prepared.url, importDirectory: path.resolve(values['import-directory'] ?? readSettings().importDirectory), output });
  const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
  console.log(`备份完成 / backup written: ${output}`);
  console.log(`  ${manifest.tables.length} 张表 / tables, ${rows} 行 / rows, ${manifest.files.length} 个文件 / files, ${(fs.statSync(output).size / 1024 ** 2).toFixed(1)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (keep !== null) {
    for (const name of pruneBackups(folder, database, keep)) console.log(`  已删除旧备份 / removed old backup: ${name}`);
  }
} catch (error) {
  console.error(`备份失败 / backup failed: ${(error as Error).message}`);
  exitCode = 1;
} finally {
  prepared.cluster?.stop();
}
process.exit(exitCode);
