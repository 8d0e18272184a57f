import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { summarizeDatabase, type BackupManifest } from '../../server/backup/backup.js';
import { REPOSITORY_ROOT } from '../../server/config.js';
import { dropDatabase } from '../../server/db/database.js';

/**
 * `npm run backup` of this run's database and `npm run restore` of it into other databases on the
 * same server: every table's rows and checksum come back, the import directory's files too, and a
 * tampered dump or a manifest that does not match is caught.
 */
const adminUrl = inject('adminDatabaseUrl');
const baseUrl = adminUrl.replace(/\/[^/]*$/, '');
const suffix = `${Date.now()}_${process.pid}`;
const restored = `biaotu_restore_${suffix}`;
const databasesMade: string[] = [];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-backup-test-'));
const sourceImports = path.join(work, 'imports-source');
const restoredImports = path.join(work, 'imports-restored');
const importId = randomUUID();
const uploaded = randomBytes(200_000);
const archive = path.join(work, 'backup.tar');

function runCli(script: 'backup' | 'restore', args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
    cwd: REPOSITORY_ROOT,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, DATABASE_URL: adminUrl },
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

function restore(file: string, database: string, ...extra: string[]) {
  databasesMade.push(database);
  return runCli('restore', [file, '--database', database, '--import-directory', restoredImports, ...extra]);
}

function manifestOf(file: string): BackupManifest {
  return JSON.parse(execFileSync('tar', ['-xOf', file, 'manifest.json'], { encoding: 'utf8' })) as BackupManifest;
}

/** A copy of the archive with one member changed. */
function tampered(name: string, member: string, change: (file: string) => void): string {
  const folder = path.join(work, name);
  fs.mkdirSync(folder);
  execFileSync('tar', ['-xf', archive, '-C', folder]);
  change(path.join(folder, member));
  const copy = path.join(work, `${name}.tar`);
  execFileSync('tar', ['-cf', copy, '-C', folder, '.']);
  return copy;
}

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: `${baseUrl}/postgres` });
  await client.connect();
  const { rowCount } = await client.query('SELECT FROM pg_database WHERE datname = $1', [name]);
  await client.end();
  return rowCount === 1;
}

beforeAll(() => {
  fs.mkdirSync(path.join(sourceImports, importId, 'upload'), { recursive: true });
  fs.writeFileSync(path.join(sourceImports, importId, 'upload', '调查成果.zip'), uploaded);
});
afterAll(async () => {
  for (const name of databasesMade) await dropDatabase(baseUrl, name).catch(() => undefined);
  fs.rmSync(work, { recursive: true, force: true });
});

describe('npm run backup / npm run restore', () => {
  let manifest: BackupManifest;

  it('backs up the database and the import files into one archive with a manifest', () => {
    const { code, output } = runCli('backup', ['--output', archive, '--import-directory', sourceImports]);
    expect(code, output).toBe(0);
    expect(output).toContain('备份完成 / backup written');
    expect((fs.statSync(archive).mode & 0o777).toString(8)).toBe('600');
    const members = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).split('\n');
    expect(members).toEqual(expect.arrayContaining(['manifest.json', 'database.dump', `imports/${importId}/upload/调查成果.zip`]));
    manifest = manifestOf(archive);
    const tables = Object.fromEntries(manifest.tables.map((table) => [table.table, table]));
    expect(tables['public.parcels'].rows).toBeGreaterThanOrEqual(20_000);
    expect(tables['public.users'].rows).toBeGreaterThan(0);
    expect(tables['public.history']).toBeDefined();
    expect(tables['public.schema_migrations'].rows).toBeGreaterThan(10);
    expect(manifest.cacheTables).toEqual(['public.tile_cache']);
    expect(tables['public.tile_cache']).toBeUndefined();
    expect(manifest.files).toEqual([expect.objectContaining({ path: `imports/${importId}/upload/调查成果.zip`, bytes: uploaded.length })]);
  });

  it('restores into another database: every table\'s count and checksum match, the files come back, PostGIS and the grants work', async () => {
    const { code, output } = restore(archive, restored);
    expect(code, output).toBe(0);
    expect(output).toContain('核对通过');
    expect(output).toContain('public.parcels');

    // Counted again here, table by table, against the manifest taken in the backup's snapshot.
    const actual = await summarizeDatabase(`${baseUrl}/${restored}`);
    expect(actual.map((table) => table.table)).toEqual(manifest.tables.map((table) => table.table));
    for (const table of manifest.tables) expect(actual.find((t) => t.table === table.table), table.table).toEqual(table);
    expect(fs.readFileSync(path.join(restoredImports, importId, 'upload', '调查成果.zip')).equals(uploaded)).toBe(true);

    // The application's role reads it with its grants; PostGIS answers.
    const appUrl = new URL(inject('databaseUrl'));
    appUrl.pathname = `/${restored}`;
    const app = new pg.Client({ connectionString: appUrl.toString() });
    await app.connect();
    if (!process.env.DATABASE_URL || process.env.APP_DATABASE_URL) expect((await app.query('SELECT current_user AS u')).rows[0].u).toBe('biaotu_app');
    const { rows: [row] } = await app.query<{ parcels: string; area: number }>('SELECT count(*) AS parcels, sum(ST_Area(geom::geography)) AS area FROM parcels');
    expect(Number(row.parcels)).toBe(manifest.tables.find((t) => t.table === 'public.parcels')!.rows);
    expect(row.area).toBeGreaterThan(0);
    await app.end();
  });

  it('refuses to overwrite a database that holds tables unless --force', async () => {
    const refused = runCli('restore', [archive, '--database', restored, '--import-directory', restoredImports]);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('已有数据');
    const forced = runCli('restore', [archive, '--database', restored, '--import-directory', restoredImports, '--force']);
    expect(forced.code, forced.output).toBe(0);
    expect(forced.output).toContain('核对通过');
  });

  it('detects a tampered dump before restoring anything', async () => {
    const copy = tampered('bad-dump', 'database.dump', (file) => {
      const bytes = fs.readFileSync(file);
      bytes[Math.floor(bytes.length / 2)] ^= 0xff;
      fs.writeFileSync(file, bytes);
    });
    const name = `biaotu_restore_bad_dump_${suffix}`;
    const { code, output } = restore(copy, name);
    expect(code).not.toBe(0);
    expect(output).toContain('备份已损坏');
    expect(output).toContain('database.dump');
    expect(await databaseExists(name)).toBe(false);
  });

  it('detects a manifest that does not match the restored data, and exits non-zero', () => {
    const copy = tampered('bad-manifest', 'manifest.json', (file) => {
      const changed = JSON.parse(fs.readFileSync(file, 'utf8')) as BackupManifest;
      const parcels = changed.tables.find((t) => t.table === 'public.parcels')!;
      parcels.checksum = String(BigInt(parcels.checksum) + 1n);
      changed.tables.find((t) => t.table === 'public.users')!.rows += 1;
      fs.writeFileSync(file, JSON.stringify(changed));
    });
    const { code, output } = restore(copy, `biaotu_restore_bad_manifest_${suffix}`);
    expect(code).toBe(1);
    expect(output).toMatch(/public\.parcels.*校验和不符/);
    expect(output).toMatch(/public\.users.*行数不符/);
    expect(output).toContain('核对失败');
  });
});
