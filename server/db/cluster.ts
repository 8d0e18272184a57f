import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The product's own PostgreSQL + PostGIS cluster under `.data/`, used when no DATABASE_URL is given.
 * It listens on 127.0.0.1 only, on a port of its own so it never collides with Debian's default
 * cluster on 5432. initdb refuses to run as root, so as root every cluster command runs as the
 * `postgres` user, which owns the data directory.
 *
 * Nobody gets in without a password: TCP on 127.0.0.1 asks for scram-sha-256 passwords, the unix
 * socket (switched off anyway) is peer-only. The owner's (`postgres`) and the application's
 * (`biaotu_app`) passwords are generated on first start and kept in `.data/credentials.json`
 * (mode 600, owned by the user running node). A cluster made by an older checkout with `trust` is
 * upgraded in place on its next start: passwords set while trust still lets us in, then
 * pg_hba.conf rewritten and reloaded.
 */
export interface EmbeddedCluster {
  dataDirectory: string;
  port: number;
  /** Admin URL (role postgres, with its password) without a database name. */
  baseUrl: string;
  /** The application's URL (role biaotu_app, with its password) without a database name. */
  appBaseUrl: string;
  /** True when this process started the server (and so stops it on exit). */
  startedHere: boolean;
  stop(): void;
}

/** Debian's PostgreSQL 15 programs (initdb, pg_ctl, pg_dump). */
export const BIN_DIRECTORY = '/usr/lib/postgresql/15/bin';
export const DEFAULT_EMBEDDED_PORT = 54329;
/** The application's login: no superuser, no DDL outside what the migrations grant it. */
export const APP_ROLE = 'biaotu_app';
const OWNER_ROLE = 'postgres';

export interface ClusterCredentials {
  postgres: string;
  biaotu_app: string;
}

/** pg_hba.conf of every embedded cluster: passwords on TCP, peer on the socket. */
export const PASSWORD_HBA = `# Written by 标图建库 (server/db/cluster.ts): scram-sha-256 passwords on TCP (see .data/credentials.json),
# peer on the unix socket (which is switched off: unix_socket_directories='').
local   all             all                                     peer
host    all             all             127.0.0.1/32            scram-sha-256
host    all             all             ::1/128                 scram-sha-256
local   replication     all                                     peer
host    replication     all             127.0.0.1/32            scram-sha-256
host    replication     all             ::1/128                 scram-sha-256
`;

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The command line that runs one of PostgreSQL's programs as the owner of the data directory. */
export function ownerCommand(command: string, args: string[]): [string, string[]] {
  const binary = path.join(BIN_DIRECTORY, command);
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
}

/** Runs one of PostgreSQL's programs as the owner of the data directory. */
export function runAsOwner(command: string, args: string[], options: { allowFailure?: boolean } = {}): { status: number | null; output: string } {
  const [file, fileArgs] = ownerCommand(command, args);
  const result = spawnSync(file, fileArgs, { encoding: 'utf8' });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`${command} failed (exit ${result.status}):\n${output}`);
  }
  return { status: result.status, output };
}

function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

/** Reads `.data/credentials.json`, tightening its mode to 600 if someone loosened it; null when absent. */
export function readCredentials(file: string): ClusterCredentials | null {
  if (!fs.existsSync(file)) return null;
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ClusterCredentials>;
  if (typeof parsed.postgres !== 'string' || typeof parsed.biaotu_app !== 'string') {
    throw new Error(`${file} 缺少 postgres 或 biaotu_app 的密码 / lacks the postgres or biaotu_app password`);
  }
  return { postgres: parsed.postgres, biaotu_app: parsed.biaotu_app };
}

/** Written beside the cluster with mode 600 (created so, never readable by others in between). */
function writeCredentials(file: string, credentials: ClusterCredentials): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: 'w' });
  fs.chmodSync(temporary, 0o600);
  fs.renameSync(temporary, file);
}

/** True when pg_hba.conf lets anyone in without a password (clusters made before passwords). */
function hbaTrusts(dataDirectory: string): boolean {
  return fs.readFileSync(path.join(dataDirectory, 'pg_hba.conf'), 'utf8')
    .split('\n')
    .some((line) => !line.trim().startsWith('#') && /\strust\s*$/.test(line.replace(/#.*/, '')));
}

/**
 * Runs SQL through psql over TCP. The SQL (which may carry passwords) goes on stdin and the
 * password in the environment, so neither shows in the process list.
 */
function psql(port: number, role: string, password: string | null, sqlText: string): { status: number | null; output: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, PGCONNECT_TIMEOUT: '10' };
  delete env.PGPASSWORD;
  if (password !== null) env.PGPASSWORD = password;
  const result = spawnSync(path.join(BIN_DIRECTORY, 'psql'), ['-X', '-q', '-w', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', role, '-d', 'postgres'], {
    input: sqlText, encoding: 'utf8', env,
  });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

function ensureSql(port: number, role: string, password: string | null, sqlText: string): void {
  const result = psql(port, role, password, sqlText);
  if (result.status !== 0) throw new Error(`psql as ${role} failed (exit ${result.status}):\n${result.output}`);
}

/** SQL giving the application's role its password (creating it as migration 0002 would). */
function appRoleSql(credentials: ClusterCredentials): string {
  return `SET password_encryption = 'scram-sha-256';
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END $$;
ALTER ROLE ${APP_ROLE} LOGIN PASSWORD '${credentials.biaotu_app}';
`;
}

/**
 * A cluster made with `trust`: set both passwords while trust still lets us in, then require them
 * (pg_hba.conf rewritten, configuration reloaded) and wait until a password-less login is refused.
 */
function upgradeTrustCluster(dataDirectory: string, port: number, credentials: ClusterCredentials): void {
  console.log('正在为内置数据库启用密码认证 / switching the embedded cluster from trust to scram-sha-256 passwords');
  ensureSql(port, OWNER_ROLE, null, `SET password_encryption = 'scram-sha-256';\nALTER ROLE ${OWNER_ROLE} PASSWORD '${credentials.postgres}';\n${appRoleSql(credentials)}`);
  const hbaFile = path.join(dataDirectory, 'pg_hba.conf');
  fs.writeFileSync(`${hbaFile}.new`, PASSWORD_HBA, { mode: 0o600 });
  if (isRoot()) execFileSync('chown', ['postgres:postgres', `${hbaFile}.new`]);
  fs.renameSync(`${hbaFile}.new`, hbaFile);
  runAsOwner('pg_ctl', ['-D', dataDirectory, 'reload']);
  const deadline = Date.now() + 15_000;
  while (psql(port, OWNER_ROLE, null, 'SELECT 1').status === 0) {
    if (Date.now() > deadline) throw new Error(`pg_hba.conf of ${dataDirectory} was rewritten but the server still lets postgres in without a password`);
    spawnSync('sleep', ['0.2']);
  }
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

/** `dataRoot` defaults to `.data/` of the checkout, or BIAOTU_DATA_DIR. */
export function startEmbeddedCluster(repositoryRoot: string, port = DEFAULT_EMBEDDED_PORT, dataRoot = process.env.BIAOTU_DATA_DIR ? path.resolve(process.env.BIAOTU_DATA_DIR) : path.join(repositoryRoot, '.data')): EmbeddedCluster {
  const dataDirectory = path.join(dataRoot, 'pg15');
  const logFile = path.join(dataRoot, 'postgresql.log');
  const credentialsFile = path.join(dataRoot, 'credentials.json');
  fs.mkdirSync(dataRoot, { recursive: true });
  makeParentsTraversable(dataRoot);
  if (isRoot()) {
    execFileSync('chown', ['postgres:postgres', dataRoot]);
  }

  if (!fs.existsSync(path.join(dataDirectory, 'PG_VERSION'))) {
    if (fs.existsSync(dataDirectory)) fs.rmSync(dataDirectory, { recursive: true, force: true });
    console.log(`正在初始化数据库集群 / initialising PostgreSQL cluster in ${dataDirectory}`);
    const fresh = readCredentials(credentialsFile) ?? { postgres: newPassword(), biaotu_app: newPassword() };
    writeCredentials(credentialsFile, fresh);
    // The owner's password goes in through a file only the cluster's owner can read, never on a command line.
    const passwordFile = path.join(dataRoot, `initdb-password.${process.pid}`);
    fs.writeFileSync(passwordFile, `${fresh.postgres}\n`, { mode: 0o600 });
    try {
      if (isRoot()) execFileSync('chown', ['postgres:postgres', passwordFile]);
      runAsOwner('initdb', ['-D', dataDirectory, '--auth-host=scram-sha-256', '--auth-local=peer', `--pwfile=${passwordFile}`, '-U', OWNER_ROLE, '-E', 'UTF8', '--locale=C.UTF-8']);
    } finally {
      fs.rmSync(passwordFile, { force: true });
    }
  }
  const trusting = hbaTrusts(dataDirectory);
  let credentials = readCredentials(credentialsFile);
  if (!credentials) {
    if (!trusting) {
      throw new Error(`${credentialsFile} 不存在，无法登录内置数据库 / is missing, so the embedded cluster cannot be logged into.
恢复：停止集群后，在 ${path.join(dataDirectory, 'pg_hba.conf')} 中把 scram-sha-256 临时改为 trust，再次启动即会生成新密码 /
to recover: stop the cluster, change scram-sha-256 to trust in pg_hba.conf, and start again; new passwords are then generated.`);
    }
    credentials = { postgres: newPassword(), biaotu_app: newPassword() };
    // Kept before any password is set, so a crash half-way leaves passwords we know.
    writeCredentials(credentialsFile, credentials);
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

  if (trusting) upgradeTrustCluster(dataDirectory, port, credentials);
  else ensureSql(port, OWNER_ROLE, credentials.postgres, appRoleSql(credentials));

  const baseUrl = `postgres://${OWNER_ROLE}:${encodeURIComponent(credentials.postgres)}@127.0.0.1:${port}`;
  const appBaseUrl = `postgres://${APP_ROLE}:${encodeURIComponent(credentials.biaotu_app)}@127.0.0.1:${port}`;
  let stopped = false;
  return {
    dataDirectory,
    port,
    baseUrl,
    appBaseUrl,
    startedHere,
    stop() {
      if (!startedHere || stopped) return;
      stopped = true;
      runAsOwner('pg_ctl', ['-D', dataDirectory, '-m', 'fast', '-w', 'stop'], { allowFailure: true });
    },
  };
}
