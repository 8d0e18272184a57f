import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { BIN_DIRECTORY } from '../db/cluster.js';
import { libpqTarget } from '../db/database.js';
import { BACKED_UP_TABLES, ENSURE_APP_ROLE, HAS_TABLES, STABLE_TEXT_SETTINGS, tableChecksumSql } from './backup.sql.js';

/**
 * Backup and restore of one instance: the database (pg_dump custom format) and the files it does not
 * hold (uploads of imports under way, in the import directory), in one tar archive with a manifest of
 * every table's row count and checksum taken in the very snapshot pg_dump reads. A restore goes into
 * a fresh database and checks every table against the manifest.
 */

export const BACKUP_FORMAT = 'biaotu-backup/1';
const DUMP_MEMBER = 'database.dump';
const MANIFEST_MEMBER = 'manifest.json';
/** Archive members under this prefix are the import directory's files. */
const IMPORTS_PREFIX = 'imports/';
/** Rendered tiles: a cache, rebuilt on demand, so its rows are not backed up (its definition is). */
const CACHE_TABLES = ['public.tile_cache'];

export interface TableSummary {
  table: string;
  rows: number;
  checksum: string;
}

export interface FileSummary {
  path: string;
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  database: string;
  server: string;
  dump: FileSummary;
  /** Tables whose definition is in the dump but not their rows. */
  cacheTables: string[];
  tables: TableSummary[];
  files: FileSummary[];
}

export interface RestoreCheck {
  table: string;
  expected: TableSummary | null;
  actual: TableSummary | null;
  ok: boolean;
}

function sha256File(file: string): string {
  const hash = createHash('sha256');
  const descriptor = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    let read: number;
    while ((read = fs.readSync(descriptor, buffer, 0, buffer.length, null)) > 0) hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(descriptor);
  }
  return hash.digest('hex');
}

function summarizeFile(file: string, name: string): FileSummary {
  return { path: name, bytes: fs.statSync(file).size, sha256: sha256File(file) };
}

/** Every regular file under a directory, relative to it, sorted. */
function listFiles(directory: string): string[] {
  if (!fs.existsSync(directory)) return [];
  return (fs.readdirSync(directory, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** The client program matching the server's major version (Debian keeps one per version), else 15's. */
function clientProgram(program: 'pg_dump' | 'pg_restore', serverVersionNum: number): string {
  const matching = `/usr/lib/postgresql/${Math.floor(serverVersionNum / 10000)}/bin/${program}`;
  return fs.existsSync(matching) ? matching : path.join(BIN_DIRECTORY, program);
}

function run(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 100_000) stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(program)} failed (exit ${code}):\n${stderr.trim()}`))));
  });
}

function tar(args: string[]): void {
  const result = spawnSync('tar', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tar ${args[0]} failed (exit ${result.status}): ${result.stderr}`);
}

/** Row counts and checksums of every table, read in the client's current transaction and settings. */
export async function summarizeTables(client: pg.ClientBase, skip: readonly string[] = []): Promise<TableSummary[]> {
  const { rows: tables } = await client.query<{ name: string }>(BACKED_UP_TABLES);
  const summaries: TableSummary[] = [];
  for (const { name } of tables) {
    if (skip.includes(name)) continue;
    const { rows: [row] } = await client.query<{ rows: string; checksum: string }>(tableChecksumSql(name));
    summaries.push({ table: name, rows: Number(row.rows), checksum: row.checksum });
  }
  return summaries;
}

/** Counts and checksums of a database, in one consistent snapshot. */
export async function summarizeDatabase(url: string): Promise<TableSummary[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(STABLE_TEXT_SETTINGS);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const summaries = await summarizeTables(client, CACHE_TABLES);
    await client.query('COMMIT');
    return summaries;
  } finally {
    await client.end();
  }
}

function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/**
 * Writes the archive: pg_dump reads a snapshot exported by a REPEATABLE READ transaction that, at the
 * same time, counts and checksums every table, so dump and manifest describe the same moment. The
 * archive appears under its name only once complete.
 */
export async function createBackup(options: { url: string; importDirectory: string; output: string }): Promise<BackupManifest> {
  const work = fs.mkdtempSync(path.join(path.dirname(options.output), '.backup-'));
  const client = new pg.Client({ connectionString: options.url });
  await client.connect();
  try {
    await client.query(STABLE_TEXT_SETTINGS);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows: [info] } = await client.query<{ snapshot: string; version: string; version_num: string }>(
      `SELECT pg_export_snapshot() AS snapshot, version() AS version, current_setting('server_version_num') AS version_num`,
    );
    const target = libpqTarget(options.url);
    const { rows: cacheTables } = await client.query<{ name: string }>(`SELECT name FROM (${BACKED_UP_TABLES}) t WHERE name = ANY($1)`, [CACHE_TABLES]);
    const dumpFile = path.join(work, DUMP_MEMBER);
    const dumping = run(clientProgram('pg_dump', Number(info.version_num)), [
      '--format=custom', `--snapshot=${info.snapshot}`, `--file=${dumpFile}`,
      ...cacheTables.map(({ name }) => `--exclude-table-data=${name}`),
      '--dbname', target.url,
    ], target.env);
    // Both read the exported snapshot; the transaction stays open until pg_dump is done with it.
    const [tables] = await Promise.all([summarizeTables(client, CACHE_TABLES), dumping]);
    await client.query('COMMIT');

    const importFiles = listFiles(options.importDirectory);
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: new Date().toISOString(),
      database: databaseNameOf(options.url),
      server: info.version,
      dump: summarizeFile(dumpFile, DUMP_MEMBER),
      cacheTables: cacheTables.map(({ name }) => name),
      tables,
      files: importFiles.map((file) => summarizeFile(path.join(options.importDirectory, file), `${IMPORTS_PREFIX}${file}`)),
    };
    fs.writeFileSync(path.join(work, MANIFEST_MEMBER), `${JSON.stringify(manifest, null, 2)}\n`);
    const partial = `${options.output}.partial`;
    tar(['-cf', partial, '-C', work, MANIFEST_MEMBER, DUMP_MEMBER,
      ...(importFiles.length > 0 ? ['-C', options.importDirectory, `--transform=s,^\\./,${IMPORTS_PREFIX},`, ...importFiles.map((file) => `./${file}`)] : [])]);
    fs.chmodSync(partial, 0o600);
    fs.renameSync(partial, options.output);
    return manifest;
  } finally {
    await client.end().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The archive's name for a backup of `database` taken at `at`: sorts by time. */
export function backupFileName(database: string, at: Date): string {
  return `biaotu-${database}-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.tar`;
}

/** Keeps the newest `keep` archives of `database` in a folder (named by backupFileName), removing older ones. */
export function pruneBackups(directory: string, database: string, keep: number): string[] {
  const archives = fs.readdirSync(directory).filter((name) => name.startsWith(`biaotu-${database}-`) && /-\d{8}T\d{6}Z\.tar$/.test(name)).sort().reverse();
  const removed = archives.slice(keep);
  for (const name of removed) fs.rmSync(path.join(directory, name));
  return removed;
}

export class RestoreRefused extends Error {}

/** Compares restored tables with the manifest, table by table. */
export function compareTables(expected: readonly TableSummary[], actual: readonly TableSummary[]): RestoreCheck[] {
  const names = [...new Set([...expected.map((t) => t.table), ...actual.map((t) => t.table)])].sort();
  return names.map((table) => {
    const want = expected.find((t) => t.table === table) ?? null;
    const got = actual.find((t) => t.table === table) ?? null;
    return { table, expected: want, actual: got, ok: want !== null && got !== null && want.rows === got.rows && want.checksum === got.checksum };
  });
}

/**
 * Restores an archive into a fresh database on the server of `baseUrl` (an owner's URL without a
 * database): checks the dump's and files' checksums first, creates the database (an existing one
 * with tables only with `force`, which drops it), restores with pg_restore in one transaction, puts
 * the files back in the import directory, and checks every table against the manifest.
 */
export async function restoreBackup(options: {
  baseUrl: string; archive: string; database?: string; force?: boolean; importDirectory: string;
}): Promise<{ manifest: BackupManifest; database: string; checks: RestoreCheck[]; filesRestored: number }> {
  const work = fs.mkdtempSync(path.join(path.dirname(path.resolve(options.archive)), '.restore-'));
  try {
    tar(['-xf', options.archive, '-C', work, '--no-same-owner']);
    const manifestFile = path.join(work, MANIFEST_MEMBER);
    if (!fs.existsSync(manifestFile)) throw new RestoreRefused(`备份中没有 ${MANIFEST_MEMBER}，不是本系统的备份 / not a backup of this product (no ${MANIFEST_MEMBER})`);
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as BackupManifest;
    if (manifest.format !== BACKUP_FORMAT) throw new RestoreRefused(`不认识的备份格式 ${String(manifest.format)} / unknown backup format`);
    for (const expected of [manifest.dump, ...manifest.files]) {
      if (expected.path.split(/[\\/]/).includes('..')) throw new RestoreRefused(`清单中的文件路径 ${expected.path} 无效 / the manifest names an invalid path`);
      const file = path.join(work, expected.path);
      const actual = fs.existsSync(file) ? sha256File(file) : 'missing';
      if (actual !== expected.sha256) {
        throw new RestoreRefused(`备份已损坏：${expected.path} 的校验和与清单不符，未做任何恢复 / the backup is damaged: ${expected.path} does not match its checksum in the manifest; nothing was restored`);
      }
    }

    const database = options.database ?? manifest.database;
    const admin = new pg.Client({ connectionString: `${options.baseUrl}/postgres` });
    await admin.connect();
    let versionNum: number;
    try {
      versionNum = Number((await admin.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)).rows[0].v);
      const exists = (await admin.query('SELECT FROM pg_database WHERE datname = $1', [database])).rowCount === 1;
      const quoted = `"${database.replace(/"/g, '""')}"`;
      if (exists) {
        const probe = new pg.Client({ connectionString: `${options.baseUrl}/${encodeURIComponent(database)}` });
        await probe.connect();
        const hasTables = (await probe.query<{ has_tables: boolean }>(HAS_TABLES)).rows[0].has_tables;
        await probe.end();
        if (hasTables && !options.force) {
          throw new RestoreRefused(`数据库 ${database} 已有数据，未覆盖。请用 --database 指定新库名，或加 --force 删除后重建 / database ${database} already holds tables and was left alone: name a new one with --database, or add --force to drop and recreate it`);
        }
        if (hasTables) await admin.query(`DROP DATABASE ${quoted} WITH (FORCE)`);
        if (hasTables) await admin.query(`CREATE DATABASE ${quoted}`);
      } else {
        await admin.query(`CREATE DATABASE ${quoted}`);
      }
      await admin.query(ENSURE_APP_ROLE);
    } finally {
      await admin.end();
    }

    const url = `${options.baseUrl}/${encodeURIComponent(database)}`;
    const target = libpqTarget(url);
    await run(clientProgram('pg_restore', versionNum), [
      '--single-transaction', '--exit-on-error', '--no-owner', '--dbname', target.url, path.join(work, DUMP_MEMBER),
    ], target.env);

    let filesRestored = 0;
    for (const file of manifest.files) {
      const destination = path.resolve(options.importDirectory, file.path.slice(IMPORTS_PREFIX.length));
      if (!file.path.startsWith(IMPORTS_PREFIX) || !destination.startsWith(`${path.resolve(options.importDirectory)}${path.sep}`)) {
        throw new RestoreRefused(`清单中的文件路径 ${file.path} 不在导入目录内 / the manifest names a file outside the import directory`);
      }
      if (fs.existsSync(destination) && sha256File(destination) === file.sha256) continue;
      if (fs.existsSync(destination) && !options.force) {
        throw new RestoreRefused(`导入目录中已有不同的 ${destination}，未覆盖（可加 --force）/ a different ${destination} exists; add --force to replace it`);
      }
      fs.mkdirSync(path.dirname(destination), { recursive: true, mode: 0o700 });
      fs.copyFileSync(path.join(work, file.path), destination);
      fs.chmodSync(destination, 0o600);
      filesRestored++;
    }

    const checks = compareTables(manifest.tables, await summarizeDatabase(url));
    return { manifest, database, checks, filesRestored };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
