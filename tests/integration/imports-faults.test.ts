import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { connectDatabase, type DatabaseHandles } from '../../server/db/database.js';
import { DEFAULT_ARCHIVE_LIMITS, extractZip, freeBytes } from '../../server/imports/archive.js';
import { ImportRefusal } from '../../server/imports/import-errors.js';
import { COMMIT_INTERRUPTED, IMPORT_COMMITTING } from '../../server/imports/import-errors.js';
import { IMPORT_COMMIT_LOCK } from '../../server/imports/imports.repository.js';
import { SURVEY_COLUMNS, surveyColumnMaximum } from '../../server/imports/imports.sql.js';
import { PARCEL_FIELDS, columnName } from '../../domain/parcel-fields.js';
import { multipartBody } from '../helpers/multipart.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';
import { buildZip } from '../helpers/zip-writer.js';

/** Imports never end half-way in a state nobody can leave: dead and concurrent commits. */
let testApp: TestApp;
let owner: DatabaseHandles;
let admin: Session;

beforeAll(async () => {
  testApp = await createTestApp();
  owner = connectDatabase(inject('adminDatabaseUrl'), 2);
  admin = await login(testApp.app, 'admin');
});
afterAll(async () => {
  await owner.close();
  await testApp.close();
});

/** A square of about 80 m with its south-west corner at (lon, lat). */
function square(lon: number, lat: number): number[][][] {
  const side = 0.0008;
  return [[[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]];
}

function geojson(features: { properties: Record<string, unknown>; at: [number, number] }[]): Buffer {
  return Buffer.from(JSON.stringify({
    type: 'FeatureCollection',
    features: features.map((feature) => ({ type: 'Feature', properties: feature.properties, geometry: { type: 'Polygon', coordinates: square(...feature.at) } })),
  }));
}

/**
 * Free land in 湖里区 south of the demo city's parcels (118.1545–118.1603 E, 24.4870–24.4908 N) and
 * east of the parcels other test files commit: a grid of 24 spots, each feature of this file on a
 * spot of its own, so no two committed parcels overlap (the demo-city test counts overlaps).
 */
let spotsTaken = 0;
function freeSpot(): [number, number] {
  const spot = spotsTaken++;
  if (spot >= 24) throw new Error('imports-faults: no free spot left; widen the grid');
  return [118.1545 + 0.001 * (spot % 6), 24.4870 + 0.001 * Math.floor(spot / 6)];
}

async function readyImport(name: string, features: { properties: Record<string, unknown>; at: [number, number] }[]): Promise<string> {
  const body = multipartBody({ kind: 'parcels' }, { name, content: geojson(features) });
  const response = await admin.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
  expect(response.statusCode).toBe(202);
  const id = response.json().id as string;
  await testApp.app.importService.settled(id);
  expect((await admin.get(`/api/imports/${id}`)).json().status).toBe('ready');
  return id;
}

const parcelCount = async (prefix: string) =>
  (await sql<{ count: number }>`SELECT count(*)::int AS count FROM parcels WHERE code LIKE ${`${prefix}%`}`.execute(owner.db)).rows[0].count;

describe('a commit that died with its process', () => {
  it('is found at once by the next read, commit or cancel, marked failed with the reason, and can be cancelled', async () => {
    const prefix = `DEAD-${Date.now()}`;
    const id = await readyImport('dead.geojson', [{ properties: { '宗地编号': `${prefix}-1` }, at: freeSpot() }]);
    // The crash: the row says committing, a pending survey layer was half written, nobody holds the lock.
    await sql`UPDATE imports SET status = 'committing', phase = 'commit' WHERE id = ${id}`.execute(owner.db);
    await sql`INSERT INTO survey_layers (year, layer_name, feature_count, imported_by, committed, import_id) VALUES (2002, 'DLTB', 0, 'admin', false, ${id})`.execute(owner.db);

    const commit = await admin.request({ method: 'POST', url: `/api/imports/${id}/commit` });
    expect(commit.statusCode).toBe(409);
    expect(commit.json()).toMatchObject({ error: 'import_state', status: 'failed' });
    expect(commit.json().message).toContain('提交过程中断');
    const state = (await admin.get(`/api/imports/${id}`)).json();
    expect(state).toMatchObject({ status: 'failed', error: { reason: COMMIT_INTERRUPTED } });
    expect(state.error.message).toContain('未写入任何数据');
    expect(await parcelCount(prefix)).toBe(0);
    const { rows: pending } = await sql`SELECT id FROM survey_layers WHERE import_id = ${id}`.execute(owner.db);
    expect(pending).toEqual([]);
    expect(fs.existsSync(path.join(testApp.app.settings.importDirectory, id))).toBe(false);

    const cancel = await admin.request({ method: 'DELETE', url: `/api/imports/${id}` });
    expect(cancel.statusCode).toBe(204);
    expect((await admin.get(`/api/imports/${id}`)).json().status).toBe('cancelled');
  });

  it('is found by a plain read, by the list and at start-up, but a live commit (its lock held) is left alone', async () => {
    const prefix = `LIVE-${Date.now()}`;
    const id = await readyImport('live.geojson', [{ properties: { '宗地编号': `${prefix}-1` }, at: freeSpot() }]);
    await sql`UPDATE imports SET status = 'committing', phase = 'commit' WHERE id = ${id}`.execute(owner.db);
    // Another process committing it: its session holds the lock.
    const holder = await owner.pool.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1, hashtext($2))', [IMPORT_COMMIT_LOCK, id]);
      expect((await admin.get(`/api/imports/${id}`)).json().status).toBe('committing');
      const second = await admin.request({ method: 'POST', url: `/api/imports/${id}/commit` });
      expect(second.statusCode).toBe(409);
      expect(second.json()).toMatchObject({ error: IMPORT_COMMITTING });
      expect(second.json().message).toContain('该导入正在提交');
      const cancel = await admin.request({ method: 'DELETE', url: `/api/imports/${id}` });
      expect(cancel.statusCode).toBe(409);
      expect(cancel.json().error).toBe(IMPORT_COMMITTING);
      expect(cancel.json().message).not.toContain('已提交的导入不能取消');
      await testApp.app.importService.recoverInterrupted(7);
      expect((await admin.get(`/api/imports/${id}`)).json().status).toBe('committing');
    } finally {
      await holder.query('SELECT pg_advisory_unlock_all()');
      holder.release();
    }
    // The holder is gone: the list finds it dead.
    const listed = (await admin.get('/api/imports')).json().items.find((item: { id: string }) => item.id === id);
    expect(listed).toMatchObject({ status: 'failed', error: { reason: COMMIT_INTERRUPTED } });

    // At start-up, without waiting for the row to go silent (the counts are not asserted: other
    // test files sweep the same database).
    const other = await readyImport('startup.geojson', [{ properties: { '宗地编号': `${prefix}-2` }, at: freeSpot() }]);
    await sql`UPDATE imports SET status = 'committing' WHERE id = ${other}`.execute(owner.db);
    await testApp.app.importService.recoverInterrupted(7);
    expect((await sql<{ status: string }>`SELECT status FROM imports WHERE id = ${other}`.execute(owner.db)).rows[0].status).toBe('failed');
    expect(await parcelCount(prefix)).toBe(0);
  });

  it('refuses to cancel only what is truly committed', async () => {
    const prefix = `DONE-${Date.now()}`;
    const id = await readyImport('done.geojson', [{ properties: { '宗地编号': `${prefix}-1` }, at: freeSpot() }]);
    expect((await admin.request({ method: 'POST', url: `/api/imports/${id}/commit` })).statusCode).toBe(200);
    const cancel = await admin.request({ method: 'DELETE', url: `/api/imports/${id}` });
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json()).toMatchObject({ error: 'import_state', status: 'committed', message: '已提交的导入不能取消。' });
  });
});

describe('simultaneous commits of one import', () => {
  it('run exactly one: one 200, the others 409 import_committing or import_state, never 500, and the import ends committed', async () => {
    const prefix = `RACE-${Date.now()}`;
    const id = await readyImport('race.geojson', [0, 1, 2].map((index) => ({ properties: { '宗地编号': `${prefix}-${index}` }, at: freeSpot() })));
    const responses = await Promise.all([0, 1, 2].map(() => admin.request({ method: 'POST', url: `/api/imports/${id}/commit` })));
    const codes = responses.map((response) => response.statusCode).sort();
    expect(codes).toEqual([200, 409, 409]);
    for (const refused of responses.filter((response) => response.statusCode === 409)) {
      expect([IMPORT_COMMITTING, 'import_state']).toContain(refused.json().error);
    }
    expect((await admin.get(`/api/imports/${id}`)).json().status).toBe('committed');
    expect(await parcelCount(prefix)).toBe(3);
    // Delete what this test wrote, so the parcels of other test files keep their free land.
    await sql`DELETE FROM parcels WHERE code LIKE ${`${prefix}%`}`.execute(owner.db);
  });

  it('run exactly one when they reach the service in the same instant', async () => {
    const prefix = `RACE2-${Date.now()}`;
    const id = await readyImport('race2.geojson', [0, 1, 2].map((index) => ({ properties: { '宗地编号': `${prefix}-${index}` }, at: freeSpot() })));
    const { rows: districts } = await sql<{ code: string }>`SELECT code FROM districts WHERE level = 'district'`.execute(owner.db);
    const principal = {
      id: 1, username: 'admin', displayName: 'admin', role: 'admin' as const, mustChangePassword: false,
      scopes: [], allowedDistricts: districts.map((district) => district.code), unrestricted: true, units: [], department: null, enterpriseParcelIds: [],
    };
    const outcomes = await Promise.allSettled([0, 1, 2, 3].map((index) => testApp.app.importService.commit(id, principal, `race-${index}`)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ statusCode: 409 });
    }
    expect((await admin.get(`/api/imports/${id}`)).json().status).toBe('committed');
    const { rows: [history] } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM history WHERE entity = 'imports' AND entity_id = ${id}`.execute(owner.db);
    expect(history.count).toBe(1);
    await sql`DELETE FROM parcels WHERE code LIKE ${`${prefix}%`}`.execute(owner.db);
  });
});

/** Bytes of the files under `folder` (0 when it is gone). */
function sizeOf(folder: string): number {
  if (!fs.existsSync(folder)) return 0;
  return fs.readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + fs.statSync(path.join(entry.parentPath, entry.name)).size, 0);
}

async function upload(session: Session, name: string, content: Buffer, fields: Record<string, string> = { kind: 'parcels' }, app = testApp) {
  const body = multipartBody(fields, { name, content });
  return session.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers }).then(async (response) => {
    if (response.statusCode === 202) await app.app.importService.settled(response.json().id);
    return response;
  });
}

const MiB = 1024 ** 2;
/** One MiB of zeros: deflates to about a kilobyte. */
const ZEROS = Buffer.alloc(MiB);

describe('zip bombs and a short disk', () => {
  it('refuses 5 000 × 1 MiB entries in a 5 MB zip from the declared totals, before writing anything', async () => {
    const bomb = buildZip(Array.from({ length: 5000 }, (_, index) => ({ name: `d/${index}.dbf`, content: ZEROS, deflate: true })));
    expect(bomb.length).toBeLessThan(8 * MiB);
    const started = Date.now();
    const response = await upload(admin, 'bomb.zip', bomb);
    const state = (await admin.get(`/api/imports/${response.json().id}`)).json();
    expect(state.status).toBe('refused');
    expect(state.error.reason).toBe('zip_bomb');
    expect(state.error.message).toContain('未解压任何文件');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('writes nothing of an archive whose totals are over the limits, and stops a lying header at the declared size', async () => {
    const target = fs.mkdtempSync(path.join(testApp.app.settings.importDirectory, 'bomb-test-'));
    try {
      // Over the total (here 100 MiB) and over the archive-wide ratio: not one byte written.
      const totals = buildZip(Array.from({ length: 300 }, (_, index) => ({ name: `${index}.bin`, content: ZEROS, deflate: true })));
      const overTotal = path.join(target, 'over-total.zip');
      fs.writeFileSync(overTotal, totals);
      await expect(extractZip(overTotal, path.join(target, 'a'), { ...DEFAULT_ARCHIVE_LIMITS, maxTotalBytes: 100 * MiB })).rejects.toMatchObject({ reason: 'zip_bomb' });
      await expect(extractZip(overTotal, path.join(target, 'b'))).rejects.toMatchObject({ reason: 'zip_bomb' });
      expect(sizeOf(path.join(target, 'a')) + sizeOf(path.join(target, 'b'))).toBe(0);
      // A header that says 1 KiB for 64 MiB of zeros: stopped at the first chunk past 1 KiB.
      const lying = path.join(target, 'lying.zip');
      fs.writeFileSync(lying, buildZip([{ name: 'small.dbf', content: Buffer.alloc(64 * MiB), deflate: true, declaredSize: 1024 }]));
      const refused = await extractZip(lying, path.join(target, 'c')).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ImportRefusal);
      expect(refused).toMatchObject({ reason: 'zip_bomb', message: expect.stringContaining('实际大小超过声明') });
      expect(sizeOf(path.join(target, 'c'))).toBeLessThanOrEqual(2 * MiB);
    } finally {
      fs.rmSync(target, { recursive: true, force: true });
    }
  });

  it('keeps the free-disk reserve: an upload that would go below it is refused with 507, unpacking too', async () => {
    const free = freeBytes(testApp.app.settings.importDirectory);
    const short = await createTestApp({ IMPORT_DISK_RESERVE_BYTES: String(free + 1024 ** 4) });
    try {
      const session = await login(short.app, 'admin');
      const response = await upload(session, 'any.geojson', geojson([{ properties: { '宗地编号': 'X' }, at: freeSpot() }]), { kind: 'parcels' }, short);
      expect(response.statusCode).toBe(507);
      expect(response.json()).toMatchObject({ error: 'disk_full', parameter: 'file' });
      expect(response.json().message).toContain('磁盘空间不足');
    } finally {
      await short.close();
    }
    // About 1 GB declared (1 000 entries of zeros and 10 of random bytes: an overall ratio under the limit),
    // 500 MB more than may be written, from an 11 MB upload: the margins either way are far wider than
    // what the other test files write and delete meanwhile.
    const tight = await createTestApp({ IMPORT_DISK_RESERVE_BYTES: String(freeBytes(testApp.app.settings.importDirectory) - 500 * MiB) });
    try {
      const session = await login(tight.app, 'admin');
      const entries = [
        ...Array.from({ length: 1000 }, (_, index) => ({ name: `f/${index}.bin`, content: ZEROS, deflate: true })),
        ...Array.from({ length: 10 }, (_, index) => ({ name: `r/${index}.bin`, content: crypto.randomBytes(MiB), deflate: false })),
      ];
      const response = await upload(session, 'gigabyte.zip', buildZip(entries), { kind: 'parcels' }, tight);
      expect(response.statusCode).toBe(202);
      const state = (await session.get(`/api/imports/${response.json().id}`)).json();
      expect(state).toMatchObject({ status: 'refused', error: { reason: 'disk_full' } });
      // Nothing unpacked: only the upload itself is in the import's folder.
      expect(sizeOf(path.join(tight.app.importService.folderOf(response.json().id), 'files'))).toBeLessThan(MiB);
    } finally {
      await tight.close();
    }
  });

  it('refuses a zip with the same entry twice, naming it', async () => {
    const feature = geojson([{ properties: { '宗地编号': 'DUP' }, at: freeSpot() }]);
    const response = await upload(admin, 'dup.zip', buildZip([{ name: '地块/宗地.geojson', content: feature }, { name: '地块/宗地.geojson', content: feature }]));
    const state = (await admin.get(`/api/imports/${response.json().id}`)).json();
    expect(state.status).toBe('refused');
    expect(state.error.reason).toBe('duplicate_entry');
    expect(state.error.message).toContain('地块/宗地.geojson');
  });
});

describe('upload files', () => {
  it('are readable by the server user only, and GDAL still reads them', async () => {
    const response = await upload(admin, 'private.zip', buildZip([{ name: 'p/宗地.geojson', content: geojson([{ properties: { '宗地编号': 'P' }, at: freeSpot() }]) }]));
    const id = response.json().id as string;
    expect((await admin.get(`/api/imports/${id}`)).json().status).toBe('ready');
    const folder = testApp.app.importService.folderOf(id);
    const mode = (file: string) => fs.statSync(file).mode & 0o777;
    expect(mode(folder)).toBe(0o700);
    expect(mode(path.join(folder, 'upload'))).toBe(0o700);
    expect(mode(path.join(folder, 'upload', 'private.zip'))).toBe(0o600);
    expect(mode(path.join(folder, 'files', 'private', 'p'))).toBe(0o700);
    expect(mode(path.join(folder, 'files', 'private', 'p', '宗地.geojson'))).toBe(0o600);
    expect((await admin.request({ method: 'DELETE', url: `/api/imports/${id}` })).statusCode).toBe(204);
  });
});

describe('values too large for their column', () => {
  it('are found at validation as a problem line naming the record and the field, and left out by the commit instead of a 500', async () => {
    const prefix = `HUGE-${Date.now()}`;
    const id = await readyImport('huge.geojson', [
      { properties: { '宗地编号': `${prefix}-1`, '土地面积': 1e13, '土地使用权人': '超大面积企业' }, at: freeSpot() },
      { properties: { '宗地编号': `${prefix}-2`, '土地面积': 5000, '土地使用权人': 'x'.repeat(500) }, at: freeSpot() },
    ]);
    const state = (await admin.get(`/api/imports/${id}`)).json();
    expect(state.report.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ count: 2, message: expect.stringContaining('属性值无法导入') })]));
    const lines = state.report.samples.map((sample: { fid: number; messages: string[] }) => ({ fid: sample.fid, text: sample.messages.join(' ') }));
    expect(lines).toEqual(expect.arrayContaining([
      { fid: expect.any(Number), text: expect.stringMatching(new RegExp(`宗地编号 ${prefix}-1，土地面积: .*超过上限`)) },
      { fid: expect.any(Number), text: expect.stringMatching(new RegExp(`宗地编号 ${prefix}-2，土地使用权人: .*超过上限 200 个字符`)) },
    ]));
    const commit = await admin.request({ method: 'POST', url: `/api/imports/${id}/commit` });
    expect(commit.statusCode).toBe(200);
    expect(commit.json().result.problems.map((problem: { message: string }) => problem.message)).toEqual(expect.arrayContaining([expect.stringContaining(`宗地编号 ${prefix}-1，土地面积`)]));
    const { rows } = await sql<{ code: string; registered_area_m2: number | null; owner: string | null }>`
      SELECT code, registered_area_m2, owner FROM parcels WHERE code LIKE ${`${prefix}%`} ORDER BY code`.execute(owner.db);
    expect(rows).toEqual([
      { code: `${prefix}-1`, registered_area_m2: null, owner: '超大面积企业' },
      { code: `${prefix}-2`, registered_area_m2: 5000, owner: null },
    ]);
    await sql`DELETE FROM parcels WHERE code LIKE ${`${prefix}%`}`.execute(owner.db);
  });

  it('in a survey layer: noted at validation, stored empty, the layer committed', async () => {
    const body = multipartBody({ kind: 'survey', year: '1996' }, { name: 'tbmj.geojson', content: geojson([
      { properties: { BSM: 'T1', DLBM: '0601', TBMJ: 1e16 }, at: freeSpot() },
      { properties: { BSM: 'T2', DLBM: '0601', TBMJ: 1234.5 }, at: freeSpot() },
    ]) });
    const response = await admin.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
    const id = response.json().id as string;
    await testApp.app.importService.settled(id);
    const state = (await admin.get(`/api/imports/${id}`)).json();
    expect(state.status).toBe('ready');
    expect(state.report.samples).toEqual(expect.arrayContaining([expect.objectContaining({ bsm: 'T1', messages: expect.arrayContaining([expect.stringContaining('TBMJ 图斑面积「1e+16」超过上限')]) })]));
    const commit = await admin.request({ method: 'POST', url: `/api/imports/${id}/commit` });
    expect(commit.statusCode).toBe(200);
    const layerId = commit.json().result.layerId as number;
    const { rows } = await sql<{ bsm: string; patch_area_m2: number | null }>`SELECT bsm, patch_area_m2 FROM survey_patches WHERE layer_id = ${layerId} ORDER BY bsm`.execute(owner.db);
    expect(rows).toEqual([{ bsm: 'T1', patch_area_m2: null }, { bsm: 'T2', patch_area_m2: 1234.5 }]);
  });

  it('read from a floating-point column without their text: NaN and ±Infinity are no figures, as their text is none', async () => {
    // A Real field (TBMJ, KCMJ …) is staged as double precision and read by import_float_to_numeric().
    const { rows } = await sql<{ value: string; typed: string | null; text: string | null }>`
      SELECT v::text AS value, import_float_to_numeric(v)::text AS typed, import_to_numeric(v::text)::text AS text
      FROM unnest(ARRAY['NaN', 'Infinity', '-Infinity', '1234.5', '1e16', '-0.25']::float8[]) AS v`.execute(owner.db);
    expect(rows).toEqual([
      { value: 'NaN', typed: null, text: null },
      { value: 'Infinity', typed: null, text: null },
      { value: '-Infinity', typed: null, text: null },
      { value: '1234.5', typed: '1234.5', text: '1234.5' },
      { value: '1e+16', typed: '10000000000000000', text: '10000000000000000' },
      { value: '-0.25', typed: '-0.25', text: '-0.25' },
    ]);
  });

  it('have their limits in one place, each inside its column', async () => {
    const { rows } = await sql<{ table: string; column: string; precision: number; scale: number }>`
      SELECT table_name AS table, column_name AS column, numeric_precision AS precision, numeric_scale AS scale
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name IN ('parcels', 'survey_patches') AND data_type = 'numeric'`.execute(owner.db);
    const largest = (table: string, column: string) => {
      const found = rows.find((row) => row.table === table && row.column === column);
      return found ? 10 ** (found.precision - found.scale) : Number.POSITIVE_INFINITY;
    };
    let checked = 0;
    for (const field of PARCEL_FIELDS) {
      const maximum = field.patch && 'maximum' in field.patch ? field.patch.maximum : undefined;
      if (maximum === undefined) continue;
      expect(maximum, field.key).toBeLessThan(largest('parcels', columnName(field.key)));
      checked++;
    }
    for (const [column, target, numeric] of SURVEY_COLUMNS) {
      if (!numeric) continue;
      expect(surveyColumnMaximum(target), column).toBeLessThan(largest('survey_patches', column));
      checked++;
    }
    expect(checked).toBeGreaterThan(8);
  });
});

describe('retention of import files', () => {
  it('removes the files of committed, refused and failed imports after the retention period, and folders no import owns; keeps the rest', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-retention-'));
    const kept = await createTestApp({ IMPORT_DIRECTORY: directory });
    try {
      const session = await login(kept.app, 'admin');
      const prefix = `KEEP-${Date.now()}`;
      const send = async (name: string, content: Buffer) => (await upload(session, name, content, { kind: 'parcels' }, kept)).json().id as string;
      const committed = await send('c.geojson', geojson([{ properties: { '宗地编号': `${prefix}-c` }, at: freeSpot() }]));
      expect((await session.request({ method: 'POST', url: `/api/imports/${committed}/commit` })).statusCode).toBe(200);
      const refused = await send('r.zip', Buffer.from('not a zip at all'));
      const failed = await send('f.geojson', geojson([{ properties: { '宗地编号': `${prefix}-f` }, at: freeSpot() }]));
      const waiting = await send('w.geojson', geojson([{ properties: { '宗地编号': `${prefix}-w` }, at: freeSpot() }]));
      const recent = await send('n.zip', Buffer.from('refused just now'));
      await sql`UPDATE imports SET status = 'failed' WHERE id = ${failed}`.execute(owner.db);
      await sql`UPDATE imports SET updated_at = now() - interval '8 days' WHERE id IN (${committed}, ${refused}, ${failed})`.execute(owner.db);
      const orphan = path.join(directory, '00000000-0000-4000-8000-00000000abcd');
      const freshOrphan = path.join(directory, 'upload-in-progress');
      fs.mkdirSync(orphan);
      fs.mkdirSync(freshOrphan);
      const nineDaysAgo = new Date(Date.now() - 9 * 86_400_000);
      fs.utimesSync(orphan, nineDaysAgo, nineDaysAgo);
      for (const id of [committed, refused, failed, waiting, recent]) expect(fs.existsSync(kept.app.importService.folderOf(id)), id).toBe(true);

      const swept = await kept.app.importService.recoverInterrupted(7);
      expect(swept.removed).toBe(4);
      for (const id of [committed, refused, failed]) expect(fs.existsSync(kept.app.importService.folderOf(id)), id).toBe(false);
      for (const id of [waiting, recent]) expect(fs.existsSync(kept.app.importService.folderOf(id)), id).toBe(true);
      expect(fs.existsSync(orphan)).toBe(false);
      expect(fs.existsSync(freshOrphan)).toBe(true);
      // Nothing committed is touched.
      expect(await parcelCount(`${prefix}-c`)).toBe(1);

      // The hourly sweep, here every 100 ms (the retention stays 7 days: other test files share the database).
      await kept.app.importService.startHousekeeping(7, 100);
      expect(fs.existsSync(kept.app.importService.folderOf(recent))).toBe(true);
      await sql`UPDATE imports SET updated_at = now() - interval '8 days' WHERE id = ${recent}`.execute(owner.db);
      await expect.poll(() => fs.existsSync(kept.app.importService.folderOf(recent)), { timeout: 10_000 }).toBe(false);
      await session.request({ method: 'DELETE', url: `/api/imports/${waiting}` });
      await sql`DELETE FROM parcels WHERE code LIKE ${`${prefix}%`}`.execute(owner.db);
    } finally {
      await kept.close();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
