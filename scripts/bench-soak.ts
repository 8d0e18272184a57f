/**
 * `npm run bench:soak -- [--minutes 30] [--users 50]`: the mix of bench:load (scripts/bench/load-mix.ts)
 * for a long time, sampling every 10 s the server process's resident memory (VmRSS in
 * /proc/<pid>/status), its open files (/proc/<pid>/fd) and the connections to its database
 * (pg_stat_activity), with the throughput, errors and p95 of each interval. Verdict (issue 12):
 * after the warm-up, nothing grows by more than 10 % — the mean of the last three samples against
 * the mean of the three taken just after the first two minutes. Figures go to
 * bench-results/soak.json and soak.md.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Recorder, runMix, warmTiles } from './bench/load-mix.js';
import { cpuLine, errorLines, errorList, settingLines, settingOf, summaryTables, writeResults } from './bench/load-report.js';
import { cpuBetween, cpuSeconds, databaseTransactions, prepareBench, sampleProcess, startBenchServer, type ProcessSample } from './bench/load-server.js';

const usage = 'usage: npm run bench:soak -- [--minutes 30] [--users 50] [--note "what else ran on the machine"]';
const { values } = parseArgs({ options: { note: { type: 'string', default: '' }, minutes: { type: 'string', default: '30' }, users: { type: 'string', default: '50' } } });
const minutes = Number(values.minutes);
const users = Number(values.users);
if (!(minutes > 0) || !Number.isInteger(users) || users < 1 || users > 500) {
  console.error(`--minutes must be positive and --users 1–500\n${usage}`);
  process.exit(2);
}
const THINK_MS = [300, 1500] as const;
const INTERVAL_S = 10;
const WARM_UP_S = 120;
const COMPARED = 3;
const ALLOWED_GROWTH = 0.1;

console.log('starting the server on a fresh database (demo city) …');
const server = await startBenchServer('biaotu_bench_soak');
const sampler = new pg.Client({ connectionString: server.ownerUrl, application_name: 'bench-soak-sampler' });
try {
  const { city, accounts } = await prepareBench(server, users);
  const setting = await settingOf(server.ownerUrl);
  const warm = await warmTiles(server.origin, accounts, city);
  console.log(`first visits: ${warm.tiles} tiles in ${warm.seconds} s`);
  await sampler.connect();

  interface Sample extends ProcessSample {
    atSeconds: number; requests: number; perSecond: number; errors: number;
    apiReadsP95: number | null; cachedTilesP95: number | null; checksP95: number | null; loadAverage: number;
  }
  const series: Sample[] = [];
  const recorder = new Recorder();
  let from = 0;
  async function sample(): Promise<void> {
    const at = (performance.now() - recorder.started) / 1000;
    const to = recorder.length;
    const window = recorder.summary(series.length === 0 ? 1 : at - series[series.length - 1].atSeconds, from, to);
    from = to;
    const measured = await sampleProcess(server, sampler);
    series.push({
      atSeconds: Math.round(at), ...measured, requests: window.requests, perSecond: window.perSecond, errors: window.errors,
      apiReadsP95: window.groups['API reads']?.p95 ?? null, cachedTilesP95: window.groups['cached tiles']?.p95 ?? null, checksP95: window.groups.checks?.p95 ?? null,
      loadAverage: Math.round(os.loadavg()[0] * 100) / 100,
    });
    const last = series[series.length - 1];
    console.log(`${String(last.atSeconds).padStart(5)} s  RSS ${last.rssMiB} MiB  fds ${last.openFiles}  connections ${last.connections}  ${last.perSecond} req/s  errors ${last.errors}  p95 reads ${last.apiReadsP95} ms  tiles ${last.cachedTilesP95} ms`);
  }

  console.log(`${users} people for ${minutes} min, a sample every ${INTERVAL_S} s …`);
  const transactionsBefore = await databaseTransactions(server);
  const cpuBefore = cpuSeconds(server);
  await sample();
  let sampling = Promise.resolve();
  const timer = setInterval(() => { sampling = sampling.then(sample); }, INTERVAL_S * 1000);
  await runMix({ origin: server.origin, accounts, city, recorder, until: recorder.started + minutes * 60_000, thinkMs: THINK_MS });
  clearInterval(timer);
  await sampling;
  const elapsed = (performance.now() - recorder.started) / 1000;
  const cpuAfter = cpuSeconds(server);
  const transactions = (await databaseTransactions(server)) - transactionsBefore;
  const summary = recorder.summary(elapsed);

  // The verdict: last three samples against the three just after the warm-up.
  const mean = (samples: Sample[], key: 'rssMiB' | 'openFiles' | 'connections') => samples.reduce((sum, entry) => sum + entry[key], 0) / samples.length;
  const baseline = series.filter((entry) => entry.atSeconds >= WARM_UP_S).slice(0, COMPARED);
  const final = series.slice(-COMPARED);
  const longEnough = baseline.length === COMPARED && final[0].atSeconds > baseline[baseline.length - 1].atSeconds;
  const growth = Object.fromEntries((['rssMiB', 'openFiles', 'connections'] as const).map((key) => {
    if (!longEnough) return [key, null];
    const before = mean(baseline, key);
    const after = mean(final, key);
    const ratio = before === 0 ? (after === 0 ? 0 : Infinity) : after / before - 1;
    return [key, { afterWarmUp: Math.round(before * 10) / 10, atEnd: Math.round(after * 10) / 10, growth: Math.round(ratio * 1000) / 1000, met: ratio <= ALLOWED_GROWTH }];
  })) as Record<'rssMiB' | 'openFiles' | 'connections', { afterWarmUp: number; atEnd: number; growth: number; met: boolean } | null>;
  const verdict = !longEnough ? 'too short' : Object.values(growth).every((entry) => entry!.met) ? 'no growth beyond 10 %' : 'growth beyond 10 %';
  const loadAverageAtEnd = os.loadavg().map((value) => Math.round(value * 100) / 100);
  const cpu = cpuBetween(cpuBefore, cpuAfter);
  const report = {
    note: values.note || null, benchmark: 'bench:soak', ...setting, loadAverageAtEnd,
    settings: { users, minutes, elapsedSeconds: Math.round(elapsed), thinkMs: THINK_MS, intervalSeconds: INTERVAL_S, warmUpSeconds: WARM_UP_S, comparedSamples: COMPARED, allowedGrowth: ALLOWED_GROWTH, firstVisits: warm, serverEnvironment: server.environment },
    verdict, growth, cpuSeconds: cpu, databaseTransactions: transactions, summary, errors: errorList(recorder), series,
  };
  const pct = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} %`;
  const growthRow = (name: string, entry: (typeof growth)['rssMiB']) => (entry
    ? `| ${name} | ${entry.afterWarmUp} | ${entry.atEnd} | ${pct(entry.growth)} | ${entry.met ? 'met' : '**not met**'} |` : `| ${name} | — | — | — | run too short |`);
  // One row a minute in the markdown (every sample is in the JSON).
  const shown = series.filter((entry, index) => index === series.length - 1 || entry.atSeconds % 60 < INTERVAL_S);
  writeResults('soak', report, {
    date: setting.date, commit: setting.commit?.slice(0, 12), users, minutes, loadAverageAtStart: setting.machine.loadAverageAtStart[0], verdict,
    rssGrowth: growth.rssMiB?.growth ?? null, openFilesGrowth: growth.openFiles?.growth ?? null, connectionsGrowth: growth.connections?.growth ?? null,
    requests: summary.requests, errors: summary.errors, apiReadsP95: summary.groups['API reads']?.p95 ?? null, cachedTilesP95: summary.groups['cached tiles']?.p95 ?? null,
  }, (history) => [
    '# bench:soak',
    '',
    ...settingLines(setting, `npm run bench:soak -- --minutes ${minutes} --users ${users}`, `Load average at the end ${loadAverageAtEnd.join(' / ')}.`),
    '',
    ...(values.note ? [`**Note:** ${values.note}`, ''] : []),
    `The mix of bench:load (scripts/bench/load-mix.ts), ${users} simulated people for ${minutes} min (${report.settings.elapsedSeconds} s with the last answers), `
    + `after the first visits (${warm.tiles} tiles in ${warm.seconds} s). Every ${INTERVAL_S} s: the server process's RSS (VmRSS, /proc/${'<pid>'}/status), its open files `
    + '(/proc/<pid>/fd) and the connections to its database (pg_stat_activity, the sampler\'s own not counted; the server\'s pool holds at most 16 plus its LISTEN connection).',
    '',
    `**Verdict: ${verdict}** — the mean of the last ${COMPARED} samples against the mean of the ${COMPARED} taken from ${WARM_UP_S} s on (after the warm-up):`,
    '',
    '| measure | after warm-up | at the end | growth | ≤ 10 % |',
    '|---|---|---|---|---|',
    growthRow('server RSS, MiB', growth.rssMiB),
    growthRow('open files', growth.openFiles),
    growthRow('database connections', growth.connections),
    '',
    cpuLine(cpu, elapsed, summary.requests, transactions),
    '',
    'Samples, one a minute (all of them, every 10 s, in soak.json; latency figures are for the interval before the sample):',
    '',
    '| s | RSS MiB | open files | connections | req/s | errors | API reads p95 ms | cached tiles p95 ms | checks p95 ms | load avg |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...shown.map((entry) => `| ${entry.atSeconds} | ${entry.rssMiB} | ${entry.openFiles} | ${entry.connections} | ${entry.perSecond} | ${entry.errors} | ${entry.apiReadsP95 ?? '—'} | ${entry.cachedTilesP95 ?? '—'} | ${entry.checksP95 ?? '—'} | ${entry.loadAverage} |`),
    '',
    'The whole run (latency in ms):',
    '',
    ...summaryTables(summary),
    '',
    ...errorLines(recorder),
    '',
    '## Runs so far (bench-results/soak.json `history`)',
    '',
    '| date | commit | users × min | load avg at start | verdict | RSS growth | open files growth | connections growth | requests | errors | API reads p95 | cached tiles p95 |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...(history as Record<string, unknown>[]).map((run) => {
      const shownGrowth = (value: unknown) => (typeof value === 'number' ? pct(value) : '—');
      return `| ${run.date} | ${run.commit} | ${run.users} × ${run.minutes} | ${run.loadAverageAtStart} | ${run.verdict} | ${shownGrowth(run.rssGrowth)} | ${shownGrowth(run.openFilesGrowth)} | ${shownGrowth(run.connectionsGrowth)} | ${run.requests} | ${run.errors} | ${run.apiReadsP95} | ${run.cachedTilesP95} |`;
    }),
  ]);
} finally {
  await sampler.end().catch(() => undefined);
  await server.stop();
}
process.exit(0);
