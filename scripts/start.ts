import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { buildApp } from '../server/app.js';
import { MIGRATIONS_DIRECTORY, prepareDatabase } from '../server/bootstrap.js';
import { REPOSITORY_ROOT, readSettings } from '../server/config.js';
import { databaseFault } from '../server/db/availability.js';
import { connectDatabase } from '../server/db/database.js';
import { connectRequestPools } from '../server/db/pools.js';
import { applyMigrations } from '../server/db/migrate.js';
import { ensureInitialUsers } from '../server/auth/bootstrap-users.js';
import { loadDemoCityIfEmpty } from '../server/demo/demo-city.js';
import { ensureDemoCases, ensureDemoReportSubmission } from '../server/demo/demo-cases.js';
import { ensureDemoZhaoshang } from '../server/demo/demo-zhaoshang.js';
import { ensureDemoPackages } from '../server/demo/demo-packages.js';
import { ensureRuleSets } from '../server/rules/rule-sets.repository.js';
import { ensureExampleCriteriaSets } from '../server/criteria/criteria.repository.js';
import { ensureExampleGradingSchemes } from '../server/grading/grading.repository.js';
import { ensureClientBuilt } from './client-build.js';

const settings = readSettings();
const prepared = await prepareDatabase({ databaseName: 'biaotu' });
// The owner migrates and loads the demo; the server runs as biaotu_app (no superuser, no DDL).
const owner = connectDatabase(prepared.url, 2);
// One pool per request class (tiles and health apart from checks, imports without a statement timeout),
// each with bounded waits for a connection and an answer, so a hung database gives 503s, not hangs.
const pools = connectRequestPools(prepared.app.url, settings.databasePools, {
  role: prepared.app.role, connectTimeoutMs: settings.databaseConnectTimeoutMs, queryTimeoutMs: settings.databaseQueryTimeoutMs,
});
const database = { ...pools.interactive, close: () => pools.close() };

async function shutdown(signal: string): Promise<void> {
  console.log(`收到 ${signal}，正在停止 / stopping …`);
  await app?.close().catch(() => undefined);
  await database.close().catch(() => undefined);
  await owner.close().catch(() => undefined);
  prepared.cluster?.stop();
  process.exit(0);
}
let app: Awaited<ReturnType<typeof buildApp>> | undefined;
// A database fault that escaped a request (background work) is logged, not fatal: the server answers
// 503 until the database is back, and serves again by itself. Anything else still ends the process.
process.on('unhandledRejection', (reason) => {
  if (!databaseFault(reason)) throw reason;
  console.warn(`数据库不可用时的后台操作失败 / background work failed while the database was away: ${(reason as Error).message}`);
});
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

try {
  await applyMigrations(owner.pool, MIGRATIONS_DIRECTORY);
  await loadDemoCityIfEmpty(owner.pool);
  await ensureRuleSets(owner.db);
  await ensureExampleCriteriaSets(owner.db);
  await ensureExampleGradingSchemes(owner.db);
  await ensureInitialUsers(owner.db, { demo: process.env.BIAOTU_DEMO_USERS !== '0' });
  await owner.close();
  await ensureClientBuilt().catch((error: Error) => {
    console.error(`前端构建失败，仅提供 API / client build failed, serving the API only: ${error.message}`);
  });
  app = await buildApp({ db: database.db, pool: database.pool, pools, settings, gdal: prepared.app, logger: { level: process.env.LOG_LEVEL ?? 'info' } });
  // The 认定 procedure's demo cases, taken step by step by the demo accounts (once; none without them).
  if (process.env.BIAOTU_DEMO_USERS !== '0') {
    await ensureDemoCases(app).catch((error: Error) => console.warn(`演示认定案卷未能生成 / demo identification cases not made: ${error.message}`));
    await ensureDemoReportSubmission(app).catch((error: Error) => console.warn(`演示附件11报送记录未能生成 / demo 附件11 submission not made: ${error.message}`));
    // The published 招商地图 of 湖里区 (/zhaoshang/) with a photo and one 意向.
    await ensureDemoZhaoshang(app).catch((error: Error) => console.warn(`演示招商地图未能生成 / demo 招商地图 not made: ${error.message}`));
    // 上图入库: 湖里区's package submitted to the city and its next version in 编制中 (the comparison shows the changes).
    await ensureDemoPackages(app).catch((error: Error) => console.warn(`演示上图入库成果包未能生成 / demo stock packages not made: ${error.message}`));
  }
  // Now and every hour (the timer stops with the app): dead commits failed, old import files removed.
  const recovered = await app.importService.startHousekeeping(settings.importRetentionDays);
  if (recovered.interrupted > 0 || recovered.expired > 0 || recovered.removed > 0) {
    console.log(`导入任务清理 / imports cleaned up: ${recovered.interrupted} interrupted, ${recovered.expired} expired, ${recovered.removed} folders removed`);
  }
  // Now and every 10 minutes: exports cut off by the last stop failed as interrupted, expired files removed.
  const exportsSwept = await app.exportService.startHousekeeping();
  if (exportsSwept.interrupted > 0 || exportsSwept.expired > 0 || exportsSwept.removed > 0) {
    console.log(`导出任务清理 / exports cleaned up: ${exportsSwept.interrupted} interrupted, ${exportsSwept.expired} files expired, ${exportsSwept.removed} folders removed`);
  }
  await app.listen({ port: settings.port, host: settings.host });
  const shown = settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host;
  const port = (app.server.address() as AddressInfo).port;
  console.log(`\n标图建库 已启动 / running: http://${shown}:${port}/   (API 文档: /api/docs)\n`);
  if (!fs.existsSync(path.join(REPOSITORY_ROOT, 'client', 'dist', 'index.html'))) console.warn('前端尚未构建 / the client is not built: run `npm run build`');
} catch (error) {
  console.error(`启动失败 / start failed: ${(error as Error).message}`);
  await database.close().catch(() => undefined);
  await owner.close().catch(() => undefined);
  prepared.cluster?.stop();
  process.exit(1);
}
