import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The product's own PostgreSQL + PostGIS cluster under `.data/`, used when no DATABASE_URL is given.
 * It listens on 127.0.0.1 only, on a port of its own so it never collides with Debian's default
 * cluster on 5432. initdb refuses to run as root, so as root every cluster command runs as the
 * `postgres` user, which owns the data directory.
 */
export interface EmbeddedCluster {
  dataDirectory: string;
  port: number;
  /** Admin URL without a database name. */
  baseUrl: string;
  /** True when this process started the server (and so stops it on exit). */
  startedHere: boolean;
  stop(): void;
}

/** Debian's PostgreSQL 15 programs (initdb, pg_ctl, pg_dump). */
export const BIN_DIRECTORY = '/usr/lib/postgresql/15/bin';
export const DEFAULT_EMBEDDED_PORT = 54329;

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function runAsOwner(command: string, args: string[], options: { allowFailure?: boolean } = {}): { status: number | null; output: string } {
  const binary = path.join(BIN_DIRECTORY, command);
  const [file, fileArgs] = isRoot() ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
  const result = spawnSync(file, fileArgs, { encoding: 'utf8' });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`${command} failed (exit ${result.status}):\n${output}`);
  }
  return { status: result.status, output };
}

/** The postgres user must be able to traverse every parent of the data directory. */
function makeParentsTraversable(directory: string): void {
  if (!isRoot()) return;
  let current = path.dirname(directory);
  while (current !== path.dirname(current)) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(current, mode | 0o001);
      console.log(`已为 ${current} 增加目录遍历权限 (o+x), so the postgres user can reach .data/`);
    }
    current = path.dirname(current);
  }
}

/** True when nothing listens on 127.0.0.1:port (another checkout's cluster, say). */
function portIsFree(port: number): boolean {
  const probe = spawnSync(process.execPath, ['-e', `
    const server = require('node:net').createServer();
    server.once('error', () => process.exit(1));
    server.listen(${port}, '127.0.0.1', () => server.close(() => process.exit(0)));`]);
  return probe.status === 0;
}

export function startEmbeddedCluster(repositoryRoot: string, port = DEFAULT_EMBEDDED_PORT): EmbeddedCluster {
  const dataRoot = process.env.BIAOTU_DATA_DIR ? path.resolve(process.env.BIAOTU_DATA_DIR) : path.join(repositoryRoot, '.data');
  const dataDirectory = path.join(dataRoot, 'pg15');
  const logFile = path.join(dataRoot, 'postgresql.log');
  fs.mkdirSync(dataRoot, { recursive: true });
  makeParentsTraversable(dataRoot);
  if (isRoot()) {
    execFileSync('chown', ['postgres:postgres', dataRoot]);
  }

  if (!fs.existsSync(path.join(dataDirectory, 'PG_VERSION'))) {
    if (fs.existsSync(dataDirectory)) fs.rmSync(dataDirectory, { recursive: true, force: true });
    console.log(`正在初始化数据库集群 / initialising PostgreSQL cluster in ${dataDirectory}`);
    runAsOwner('initdb', ['-D', dataDirectory, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8']);
  }

  const running = runAsOwner('pg_ctl', ['-D', dataDirectory, 'status'], { allowFailure: true }).status === 0;
  let startedHere = false;
  if (running) {
    // Another `npm start` or test run owns the server: reuse it on the port it listens on.
    const lockFile = fs.readFileSync(path.join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n');
    port = Number(lockFile[3]) || port;
  } else {
    const wanted = port;
    while (!portIsFree(port)) {
      port++;
      if (port > wanted + 50) throw new Error(`no free port for PostgreSQL in ${wanted}–${wanted + 50}; set BIAOTU_PG_PORT`);
    }
    if (port !== wanted) console.log(`端口 ${wanted} 已被占用，改用 ${port} / port ${wanted} is busy, using ${port}`);
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=100 -c shared_buffers=256MB`;
    runAsOwner('pg_ctl', ['-D', dataDirectory, '-o', options, '-l', logFile, '-w', '-t', '60', 'start']);
    startedHere = true;
  }

  const baseUrl = `postgres://postgres@127.0.0.1:${port}`;
  let stopped = false;
  return {
    dataDirectory,
    port,
    baseUrl,
    startedHere,
    stop() {
      if (!startedHere || stopped) return;
      stopped = true;
      runAsOwner('pg_ctl', ['-D', dataDirectory, '-m', 'fast', '-w', 'stop'], { allowFailure: true });
    },
  };
}
