/**
 * The server under test for bench:load and bench:soak: `scripts/start.ts` (what `npm start` runs)
 * as a child process on loopback, over a fresh database of its own on the embedded cluster (the
 * demo city, rule sets and demo accounts loaded by the server itself as on a first start), plus
 * the bench accounts and what the soak samples of the process (RSS, open files, connections).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { createUsersRepository } from '../../server/auth/users.repository.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { prepareDatabase } from '../../server/bootstrap.js';
import { REPOSITORY_ROOT } from '../../server/config.js';
import { connectDatabase, dropDatabase, ensureDatabaseExists, type DatabaseHandles } from '../../server/db/database.js';
import { BENCH_PASSWORD, loadCity, type BenchAccount, type City } from './load-mix.js';

export const ADMIN_PASSWORD = 'Bench-admin-2026';

export interface BenchServer {
  origin: string;
  /** The Node process serving HTTP (the child itself, not a wrapper). */
  pid: number;
  databaseName: string;
  /** The database owner's URL (the bench's own queries and the soak's sampler). */
  ownerUrl: string;
  /** The embedded cluster's postmaster (its CPU and its backends'), null with an outside DATABASE_URL. */
  postmasterPid: number | null;
  /** Settings the server was started with that differ from a plain `npm start`. */
  environment: Record<string, string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return await new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Drops and recreates `databaseName`, then starts the server on it and waits for /api/health.
 * Login is rate-limited per address (30 a minute by default) and every simulated user logs in from
 * 127.0.0.1, so the limit is raised for the bench (LOGIN_RATE_LIMIT_PER_MINUTE); nothing else differs.
 */
export async function startBenchServer(databaseName: string): Promise<BenchServer> {
  const prepared = await prepareDatabase({ databaseName: 'biaotu' });
  const baseUrl = prepared.url.replace(/\/[^/]+$/, '');
  await dropDatabase(baseUrl, databaseName);
  await ensureDatabaseExists(baseUrl, databaseName);
  const ownerUrl = `${baseUrl}/${databaseName}`;
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const environment = { LOGIN_RATE_LIMIT_PER_MINUTE: '100000', LOG_LEVEL: 'warn' };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(REPOSITORY_ROOT, 'scripts', 'start.ts')], {
    env: { ...process.env, ...environment, DATABASE_URL: ownerUrl, PORT: String(port), HOST: '127.0.0.1', ADMIN_PASSWORD },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout!.on('data', () => undefined);
  let exited: number | null = null;
  child.once('exit', (code) => { exited = code ?? -1; });
  for (let attempt = 0; ; attempt++) {
    if (exited !== null) throw new Error(`the server exited (${exited}) before answering /api/health`);
    try {
      if ((await fetch(`${origin}/api/health`)).ok) break;
    } catch { /* not yet */ }
    if (attempt > 1500) throw new Error('the server did not answer /api/health within 5 minutes');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const postmasterPid = prepared.cluster ? Number(fs.readFileSync(path.join(prepared.cluster.dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0]) : null;
  return {
    origin, pid: child.pid!, databaseName, ownerUrl, postmasterPid, environment,
    async stop() {
      if (exited === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      await dropDatabase(baseUrl, databaseName);
      prepared.cluster?.stop();
    },
  };
}

/**
 * What the people will do, read from the database the server has just filled (see loadCity), and
 * their accounts; the owner's connection is closed again so that it does not count as the server's.
 */
export async function prepareBench(server: BenchServer, users: number): Promise<{ city: City; accounts: BenchAccount[] }> {
  const owner = connectDatabase(server.ownerUrl, 2);
  try {
    const city = await loadCity(owner.pool);
    const accounts = await createBenchAccounts(owner, users, city.cityCode, city.districts);
    return { city, accounts };
  } finally {
    await owner.close();
  }
}

/**
 * `count` accounts named bench-01 …, written as the administrator would create them (history and
 * audit included) but with their password already set: viewers, planners and surveyors in turn
 * (2 : 2 : 1); every fourth is limited to one district, the others see the whole city.
 */
export async function createBenchAccounts(owner: DatabaseHandles, count: number, cityCode: string, districtCodes: string[]): Promise<BenchAccount[]> {
  const roles: BenchAccount['role'][] = ['viewer', 'planner', 'surveyor', 'viewer', 'planner'];
  const accounts: BenchAccount[] = Array.from({ length: count }, (_, index) => ({
    username: `bench-${String(index + 1).padStart(2, '0')}`,
    role: roles[index % roles.length],
    scopes: index % 4 === 3 ? [districtCodes[Math.floor(index / 4) % districtCodes.length]] : [cityCode],
  }));
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  await createUsersRepository(owner.db).create({ name: 'bench' }, accounts.map((account) => ({
    username: account.username, displayName: `压测用户 ${account.username}`, role: account.role, passwordHash, mustChangePassword: false, scopes: account.scopes,
  })));
  return accounts;
}

/**
 * CPU seconds used so far: this process (the load generator), the server, PostgreSQL (the bench's
 * cluster only) and the whole machine (/proc/stat: every process, ours and everyone else's).
 */
export function cpuSeconds(server: BenchServer): { generator: number; server: number; postgres: number | null; machine: number } {
  const ticks = 100; // USER_HZ on Linux
  const stat = (pid: number): string[] | null => {
    try {
      return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    } catch {
      return null;
    }
  };
  // Fields after the name: 0 state, 1 ppid, … 11 utime, 12 stime, 13 cutime, 14 cstime.
  const own = (fields: string[] | null) => (fields ? (Number(fields[11]) + Number(fields[12])) / ticks : 0);
  const waited = (fields: string[] | null) => (fields ? (Number(fields[13]) + Number(fields[14])) / ticks : 0);
  let postgres: number | null = null;
  if (server.postmasterPid) {
    const postmaster = stat(server.postmasterPid);
    postgres = own(postmaster) + waited(postmaster);
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const fields = stat(Number(entry));
      if (fields && Number(fields[1]) === server.postmasterPid) postgres += own(fields);
    }
  }
  const usage = process.cpuUsage();
  // cpu  user nice system idle iowait irq softirq steal …: busy = all but idle and iowait.
  const total = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const machine = (total[0] + total[1] + total[2] + total[5] + total[6] + total[7]) / ticks;
  return { generator: (usage.user + usage.system) / 1e6, server: own(stat(server.pid)), postgres, machine };
}

/** CPU seconds each party used between two readings of `cpuSeconds`. */
export function cpuBetween(before: ReturnType<typeof cpuSeconds>, after: ReturnType<typeof cpuSeconds>) {
  const tenth = (value: number) => Math.round(value * 10) / 10;
  return {
    server: tenth(after.server - before.server),
    postgres: after.postgres === null || before.postgres === null ? null : tenth(after.postgres - before.postgres),
    generator: tenth(after.generator - before.generator),
    machine: tenth(after.machine - before.machine),
  };
}

/** Transactions committed or rolled back in the bench database so far (pg_stat_database; flushed within a second). */
export async function databaseTransactions(server: BenchServer): Promise<number> {
  const client = new pg.Client({ connectionString: server.ownerUrl });
  await client.connect();
  try {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const { rows: [{ n }] } = await client.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1', [server.databaseName]);
    return Number(n);
  } finally {
    await client.end();
  }
}

export interface ProcessSample {
  /** Resident set of the server process, MiB (VmRSS). */
  rssMiB: number;
  /** Open file descriptors of the server process. */
  openFiles: number;
  /** Backends connected to the bench database, not counting the sampler's own. */
  connections: number;
}

/** Reads the server's RSS and open files from /proc and its connections from pg_stat_activity. */
export async function sampleProcess(server: BenchServer, sampler: pg.Client): Promise<ProcessSample> {
  const status = fs.readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const rssKiB = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
  const openFiles = fs.readdirSync(`/proc/${server.pid}/fd`).length;
  const { rows: [{ n }] } = await sampler.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [server.databaseName]);
  return { rssMiB: Math.round((rssKiB / 1024) * 10) / 10, openFiles, connections: n };
}
