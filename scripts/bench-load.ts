/**
 * `npm run bench:load -- [--users 50] [--seconds 60] [--cold]`: simulated people on loopback
 * against the real server (started as `npm start` starts it, over a fresh database of its own
 * with the demo city), each with an account of their own (viewers, planners, surveyors), doing
 * what scripts/bench/load-mix.ts describes: map tiles z12–z17, parcel reads, searches, checks and
 * 成片改造区域 saves. Before the timed run every view of the mix is visited once (the first
 * visits fill the tile caches; `--cold` skips that). Figures per route class — count, throughput,
 * p50/p95/p99, errors by status — go to bench-results/load.json and load.md, with the targets of
 * issue 12: no errors, p95 < 200 ms for API reads, < 100 ms for cached tiles.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Recorder, runMix, warmTiles } from './bench/load-mix.js';
import { cpuLine, errorLines, errorList, settingLines, settingOf, summaryTables, targetsOf, TARGETS, writeResults } from './bench/load-report.js';
import { cpuBetween, cpuSeconds, databaseTransactions, prepareBench, startBenchServer } from './bench/load-server.js';

const usage = 'usage: npm run bench:load -- [--users 50] [--seconds 60] [--cold] [--note "what else ran on the machine"]';
const { values } = parseArgs({ options: { note: { type: 'string', default: '' }, users: { type: 'string', default: '50' }, seconds: { type: 'string', default: '60' }, cold: { type: 'boolean', default: false } } });
const users = Number(values.users);
const seconds = Number(values.seconds);
if (!Number.isInteger(users) || users < 1 || users > 500 || !(seconds > 0)) {
  console.error(`--users must be 1–500 and --seconds positive\n${usage}`);
  process.exit(2);
}
const THINK_MS = [300, 1500] as const;

console.log('starting the server on a fresh database (demo city) …');
const server = await startBenchServer('biaotu_bench_load');
try {
  const { city, accounts } = await prepareBench(server, users);
  const setting = await settingOf(server.ownerUrl);
  console.log(`${accounts.length} accounts, ${city.places.length} places, ${city.boundaries.length} boundaries`);
  const warm = values.cold ? null : await warmTiles(server.origin, accounts, city);
  if (warm) console.log(`first visits: ${warm.tiles} tiles in ${warm.seconds} s`);

  console.log(`${users} people for ${seconds} s …`);
  const transactionsBefore = await databaseTransactions(server);
  const cpuBefore = cpuSeconds(server);
  const recorder = new Recorder();
  await runMix({ origin: server.origin, accounts, city, recorder, until: recorder.started + seconds * 1000, thinkMs: THINK_MS });
  const elapsed = (performance.now() - recorder.started) / 1000;
  const cpuAfter = cpuSeconds(server);
  const transactions = (await databaseTransactions(server)) - transactionsBefore;
  const summary = recorder.summary(elapsed);
  const targets = targetsOf(summary);
  const cpu = cpuBetween(cpuBefore, cpuAfter);
  const loadAverageAtEnd = os.loadavg().map((value) => Math.round(value * 100) / 100);
  const report = {
    note: values.note || null, benchmark: 'bench:load', ...setting, loadAverageAtEnd,
    settings: {
      users, seconds, elapsedSeconds: Math.round(elapsed * 10) / 10, thinkMs: THINK_MS, firstVisits: warm,
      roles: Object.fromEntries(['viewer', 'planner', 'surveyor'].map((role) => [role, accounts.filter((account) => account.role === role).length])),
      districtScopedAccounts: accounts.filter((account) => account.scopes[0] !== city.cityCode).length,
      serverEnvironment: server.environment,
    },
    cpuSeconds: cpu, databaseTransactions: transactions, summary, targets, errors: errorList(recorder),
  };
  const yes = (met: boolean) => (met ? 'met' : '**not met**');
  writeResults('load', report, {
    date: setting.date, commit: setting.commit?.slice(0, 12), users, seconds, loadAverageAtStart: setting.machine.loadAverageAtStart[0],
    requests: summary.requests, perSecond: summary.perSecond, errors: summary.errors,
    apiReadsP95: summary.groups['API reads']?.p95 ?? null, cachedTilesP95: summary.groups['cached tiles']?.p95 ?? null,
    checksP95: summary.groups.checks?.p95 ?? null, areaSavesP95: summary.groups['area saves']?.p95 ?? null,
    transactionsPerRequest: Math.round((transactions / summary.requests) * 100) / 100,
    otherProcessesCpuShare: Math.round((Math.max(0, cpu.machine - cpu.server - (cpu.postgres ?? 0) - cpu.generator) / (elapsed * os.cpus().length)) * 100) / 100,
  }, (history) => [
    '# bench:load',
    '',
    ...settingLines(setting, `npm run bench:load -- --users ${users} --seconds ${seconds}${values.cold ? ' --cold' : ''}`, `Load average at the end ${loadAverageAtEnd.join(' / ')}.`),
    '',
    ...(values.note ? [`**Note:** ${values.note}`, ''] : []),
    `${users} simulated people (${report.settings.roles.viewer} viewers, ${report.settings.roles.planner} planners, ${report.settings.roles.surveyor} surveyors; `
    + `${report.settings.districtScopedAccounts} limited to one district), each with an account of their own, one request at a time over one keep-alive connection, `
    + `${THINK_MS[0]}–${THINK_MS[1]} ms between actions, for ${seconds} s (${report.settings.elapsedSeconds} s with the last answers). `
    + 'The server is `scripts/start.ts` as `npm start` runs it, over a fresh database with the demo city, on 127.0.0.1; '
    + `the load generator (this process) runs on the same machine. The mix is described in scripts/bench/load-mix.ts. `
    + (warm ? `Before the timed run every view of the mix was visited once per reader scope (${warm.tiles} tiles in ${warm.seconds} s), as the day's first visitors fill the tile caches.` : 'No first visits (`--cold`): tile caches empty at the start.'),
    '',
    cpuLine(cpu, elapsed, summary.requests, transactions),
    '',
    'Latency in ms, from sending the request to the last byte of the answer:',
    '',
    ...summaryTables(summary),
    '',
    ...errorLines(recorder),
    '',
    `Targets: no errors: ${yes(targets.noErrors.met)} (${targets.noErrors.errors}); `
    + `API reads p95 < ${TARGETS.apiReadsP95Ms} ms: ${yes(targets.apiReadsP95Under200Ms.met)} (${targets.apiReadsP95Under200Ms.p95} ms); `
    + `cached tiles p95 < ${TARGETS.cachedTilesP95Ms} ms: ${yes(targets.cachedTilesP95Under100Ms.met)} (${targets.cachedTilesP95Under100Ms.p95} ms).`,
    '',
    '## Runs so far (bench-results/load.json `history`)',
    '',
    '| date | commit | users × s | load avg at start | CPU taken by other processes | requests | per s | errors | API reads p95 | cached tiles p95 | checks p95 | area saves p95 | DB transactions per request |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...(history as Record<string, unknown>[]).map((run) => `| ${run.date} | ${run.commit} | ${run.users} × ${run.seconds} | ${run.loadAverageAtStart} | `
      + `${typeof run.otherProcessesCpuShare === 'number' ? `${Math.round(run.otherProcessesCpuShare * 100)} %` : '—'} | ${run.requests} | ${run.perSecond} | ${run.errors} | `
      + `${run.apiReadsP95} | ${run.cachedTilesP95} | ${run.checksP95} | ${run.areaSavesP95} | ${run.transactionsPerRequest ?? '—'} |`),
  ]);
} finally {
  await server.stop();
}
process.exit(0);
