/** What bench:load and bench:soak write: the run's setting (machine, commit, date) and the per-class tables. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { REPOSITORY_ROOT } from '../../server/config.js';
import { ROUTE_CLASSES, type Recorder, type RouteClass } from './load-mix.js';

export type MixSummary = ReturnType<Recorder['summary']>;

/** The targets of the load benchmark (issue 12): no errors, p95 of API reads and of cached tiles. */
export const TARGETS = { errors: 0, apiReadsP95Ms: 200, cachedTilesP95Ms: 100 } as const;

export function targetsOf(summary: MixSummary) {
  const reads = summary.groups['API reads'];
  const cached = summary.groups['cached tiles'];
  return {
    noErrors: { met: summary.errors === TARGETS.errors, errors: summary.errors },
    apiReadsP95Under200Ms: { met: reads !== undefined && reads.p95 < TARGETS.apiReadsP95Ms, p95: reads?.p95 ?? null },
    cachedTilesP95Under100Ms: { met: cached !== undefined && cached.p95 < TARGETS.cachedTilesP95Ms, p95: cached?.p95 ?? null },
  };
}

/** Machine, date, commit and database versions of a run. */
export async function settingOf(ownerUrl: string) {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: REPOSITORY_ROOT, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  const { rows: [versions] } = await client.query<{ postgres: string; postgis: string }>(
    `SELECT current_setting('server_version') AS postgres, postgis_lib_version() AS postgis`);
  await client.end();
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    commit: git('rev-parse', 'HEAD'),
    uncommittedChanges: (git('status', '--porcelain', '--untracked-files=no') ?? '') !== '',
    machine: {
      cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
      node: process.version, postgres: versions.postgres, postgis: versions.postgis, loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
    },
  };
}
export type Setting = Awaited<ReturnType<typeof settingOf>>;

export function settingLines(setting: Setting, command: string, extra: string): string[] {
  const { machine } = setting;
  return [
    `Run ${setting.date} at commit ${setting.commit?.slice(0, 12) ?? 'unknown'}${setting.uncommittedChanges ? ' (with uncommitted changes)' : ''}: \`${command}\`.`,
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, PostgreSQL ${machine.postgres}, PostGIS ${machine.postgis}; `
    + `load average (1/5/15 min) at start ${machine.loadAverageAtStart.join(' / ')}. ${extra}`,
  ];
}

/**
 * Where the CPU went during a run, and what it cost per request: the machine is shared, so the
 * other processes' share says how far the latencies are from a quiet machine's.
 */
export function cpuLine(cpu: { server: number; postgres: number | null; generator: number; machine: number }, elapsedSeconds: number, requests: number, transactions: number): string {
  const available = Math.round(elapsedSeconds * os.cpus().length);
  const others = Math.max(0, Math.round((cpu.machine - cpu.server - (cpu.postgres ?? 0) - cpu.generator) * 10) / 10);
  const perRequest = (seconds: number) => (requests > 0 ? ((seconds * 1000) / requests).toFixed(2) : '—');
  return `CPU seconds during the run, of ${available} on ${os.cpus().length} cores: server ${cpu.server}, PostgreSQL ${cpu.postgres ?? '—'}, load generator ${cpu.generator}, `
    + `**every other process on the machine ${others}** (machine busy ${cpu.machine}). Per request: server ${perRequest(cpu.server)} ms, PostgreSQL ${cpu.postgres === null ? '—' : perRequest(cpu.postgres)} ms of CPU, `
    + `${requests > 0 ? (transactions / requests).toFixed(2) : '—'} database transactions (${transactions} in all, pg_stat_database).`;
}

/** The per-class and per-group tables of a run (latency in ms). */
export function summaryTables(summary: MixSummary): string[] {
  const statuses = (entry: { statuses: Record<string, number> }) => Object.entries(entry.statuses).map(([status, count]) => `${status}: ${count}`).join(', ');
  return [
    '| group | requests | per s | p50 | p95 | p99 | max | errors |',
    '|---|---|---|---|---|---|---|---|',
    ...Object.entries(summary.groups).map(([name, group]) => `| ${name} | ${group.count} | ${group.perSecond} | ${group.p50} | ${group.p95} | ${group.p99} | ${group.max} | ${group.errors} |`),
    `| **all** | ${summary.requests} | ${summary.perSecond} | | | | | ${summary.errors} |`,
    '',
    '| route class | requests | per s | p50 | p95 | p99 | max | statuses | errors |',
    '|---|---|---|---|---|---|---|---|---|',
    ...Object.entries(summary.classes).map(([name, entry]) =>
      `| ${ROUTE_CLASSES[name as RouteClass].label} | ${entry.count} | ${entry.perSecond} | ${entry.p50} | ${entry.p95} | ${entry.p99} | ${entry.max} | ${statuses(entry)} | ${entry.errors} |`),
  ];
}

/** The errors, by class and status, each with one example. */
export function errorLines(recorder: Recorder): string[] {
  if (recorder.errors.size === 0) return ['No errors: every answer was 2xx, or 304 to a request that sent the ETag it had.'];
  return [
    'Errors (any answer other than 2xx, and 304 to a request with its ETag), by class and status, one example each:',
    '',
    '| class | status | count | example |',
    '|---|---|---|---|',
    ...[...recorder.errors.values()].map((entry) => `| ${entry.class} | ${entry.status} | ${entry.count} | \`${entry.example.method} ${entry.example.path}\` ${entry.example.body.replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 200)} |`),
  ];
}

export function errorList(recorder: Recorder) {
  return [...recorder.errors.values()];
}

const OUT = path.join(REPOSITORY_ROOT, 'bench-results');

/**
 * Writes bench-results/<name>.json and .md. The JSON keeps a short history of earlier runs
 * (`history`, newest last, at most 20), so runs of the same benchmark can be compared.
 */
export function writeResults<T extends object>(name: string, report: T, historyEntry: object, markdown: (history: object[]) => string[]): void {
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `${name}.json`);
  let history: object[] = [];
  try {
    history = (JSON.parse(fs.readFileSync(file, 'utf8')) as { history?: object[] }).history ?? [];
  } catch { /* first run */ }
  history = [...history, historyEntry].slice(-20);
  fs.writeFileSync(file, `${JSON.stringify({ ...report, history }, null, 2)}\n`);
  const lines = markdown(history);
  fs.writeFileSync(path.join(OUT, `${name}.md`), `${lines.join('\n')}\n`);
  console.log(lines.join('\n'));
}
