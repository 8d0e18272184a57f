import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { APP_ROLE, MIGRATIONS_DIRECTORY, prepareDatabase } from '../server/bootstrap.js';
import { readSettings } from '../server/config.js';
import { connectDatabase } from '../server/db/database.js';
import { applyMigrations } from '../server/db/migrate.js';
import { importBody } from '../server/imports/imports.routes.js';
import { createImportService } from '../server/imports/imports.service.js';
import type { Principal } from '../server/auth/principal.js';

const usage = `用法 / usage: npm run import -- <file> --kind survey|parcels [--year 2023] [--srid 4527] [--encoding gbk] [--outside clip|skip] [--dry-run]
  Reads, checks and (unless --dry-run) commits a zipped Shapefile / File Geodatabase, GeoJSON or 部标 txt.
  --srid 990002 reads GCJ-02 (火星坐标) longitude/latitude. --outside: what to do with features outside
  the city (clip: cut to it; skip: leave out those entirely outside); without it such a file is not committed.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    kind: { type: 'string', default: 'survey' },
    year: { type: 'string' },
    srid: { type: 'string' },
    encoding: { type: 'string' },
    outside: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help || positionals.length !== 1) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}
const file = path.resolve(positionals[0]);
if (!fs.existsSync(file)) {
  console.error(`找不到文件 / no such file: ${file}`);
  process.exit(2);
}
if (values.kind !== 'survey' && values.kind !== 'parcels') {
  console.error(`--kind 只能是 survey 或 parcels\n${usage}`);
  process.exit(2);
}
if (values.outside !== undefined && values.outside !== 'clip' && values.outside !== 'skip') {
  console.error(`--outside 只能是 clip（裁剪）或 skip（跳过）\n${usage}`);
  process.exit(2);
}
const outside = values.outside as 'clip' | 'skip' | undefined;

const actor = `cli:${os.userInfo().username}`;
const prepared = await prepareDatabase({ databaseName: 'biaotu' });
const owner = connectDatabase(prepared.url, 2);
await applyMigrations(owner.pool, MIGRATIONS_DIRECTORY, () => undefined);
await owner.close();
const database = connectDatabase(prepared.app.url, 4, { role: prepared.app.role });
const settings = readSettings();
const service = createImportService({
  db: database.db, directory: settings.importDirectory, databaseUrl: prepared.app.url,
  databaseRole: prepared.app.role ?? (process.env.DATABASE_URL && !process.env.APP_DATABASE_URL ? APP_ROLE : undefined),
  maxUploadBytes: settings.importMaxBytes, log: (message, error) => console.error(message, error),
});

function bar(phase: string, progress: number): void {
  const width = 30;
  const filled = Math.round(progress * width);
  process.stdout.write(`\r${phase.padEnd(9)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(progress * 100).toFixed(0).padStart(3)}%`);
}

let exitCode = 0;
try {
  const created = await service.create({ fileName: path.basename(file), stream: fs.createReadStream(file) }, {
    kind: values.kind, year: values.year ? Number(values.year) : undefined, srid: values.srid ? Number(values.srid) : undefined, encoding: values.encoding,
  }, actor);
  if (!created.ok) throw new Error(created.message);
  const id = created.id;
  const timer = setInterval(() => {
    void service.imports.find(id).then((row) => row && bar(row.phase, row.progress));
  }, 300);
  await service.settled(id);
  clearInterval(timer);
  let row = (await service.imports.find(id))!;
  bar(row.phase, 1);
  process.stdout.write('\n');
  const body = importBody(row);
  console.log(`导入 ${id}: ${body.status}`);
  for (const layer of body.layers) console.log(`  图层 ${layer.id} ${layer.name}: ${layer.geometryType}, ${layer.featureCount} 要素${layer.skipped ? `，跳过：${layer.skipped.message}` : ''}`);
  console.log(`  坐标系 EPSG:${body.detected.srid ?? '?'}，编码 ${body.detected.encoding ?? '-'}`);
  if (body.status === 'needs-input') {
    console.log(`需要确认 / needs input: ${(body.needs as { message: string }).message}\n用 --srid / --encoding 重新运行。`);
    exitCode = 3;
  } else if (body.status !== 'ready') {
    console.log(`未导入 / not imported: ${body.error?.message ?? body.status}`);
    exitCode = 1;
  } else {
    const report = body.report as { features: number; valid: number; repaired: number; rejected: number; warnings: { message: string }[] };
    console.log(`  要素 ${report.features}：有效 ${report.valid}，已修复 ${report.repaired}，拒绝 ${report.rejected}`);
    for (const warning of report.warnings) console.log(`  警告：${warning.message}`);
    for (const missing of body.report.missingFields ?? []) console.log(`  缺少字段：${missing.message}`);
    if (body.report.yearNeeded) console.log('  数据中没有 SJNF 字段：请用 --year 指定调查年份。');
    if (values['dry-run']) {
      await service.cancel(id);
      console.log('试运行，未提交 / dry run: nothing committed');
    } else {
      const principal: Principal = { id: 0, username: actor, displayName: actor, role: 'admin', mustChangePassword: false, scopes: [], allowedDistricts: [], unrestricted: true, units: [], department: null, enterpriseParcelIds: [] };
      bar('commit', 0);
      const result = await service.commit(id, principal, `cli-${id}`, outside);
      bar('commit', 1);
      process.stdout.write('\n');
      row = (await service.imports.find(id))!;
      console.log(`已提交 / committed: ${JSON.stringify(result)}`);
    }
  }
} catch (error) {
  console.error(`\n导入失败 / import failed: ${(error as Error).message}`);
  exitCode = 1;
} finally {
  await database.close();
  prepared.cluster?.stop();
}
process.exit(exitCode);
