import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { connectDatabase, type DatabaseHandles } from '../../server/db/database.js';
import { DEFAULT_ARCHIVE_LIMITS, extractZip, freeBytes, IN_PLACE_BYTES, type ZipMember } from '../../server/imports/archive.js';
import { multipartBody } from '../helpers/multipart.js';
import { gdalAttributes, huliSquare } from '../helpers/survey-files.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * A large zipped shapefile is read by GDAL inside its zip (/vsizip/): nothing of it is unpacked
 * but its small files, and the import gives what reading the unpacked files gives. Members GDAL
 * could not read there (names not in ASCII, no .shx to read by) are unpacked, as before.
 */
let testApp: TestApp;
let owner: DatabaseHandles;
let admin: Session;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-in-zip-'));

beforeAll(async () => {
  testApp = await createTestApp();
  owner = connectDatabase(inject('adminDatabaseUrl'), 2);
  admin = await login(testApp.app, 'admin');
});
afterAll(async () => {
  await owner.close();
  await testApp.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const FEATURES = 28_000;
const WIDE = 'Z'.repeat(200);

/** A GBK shapefile (EPSG:4490, no .cpg) of FEATURES small squares in 湖里区 with wide text fields: a .dbf of about 36 MB. */
async function largeShapefile(): Promise<string> {
  const folder = path.join(work, 'large');
  fs.mkdirSync(folder);
  const { west, south } = await huliSquare(owner.db, 0.0128);
  const side = Math.ceil(Math.sqrt(FEATURES));
  const step = 0.0128 / side;
  const rows = ['WKT,BSM,DLBM,DLMC,QSDWMC,ZLDWMC,TBMJ,BZ1,BZ2,BZ3'];
  for (let index = 0; index < FEATURES; index++) {
    const lon = west + (index % side) * step;
    const lat = south + Math.floor(index / side) * step;
    const size = step * 0.8;
    const ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]].map(([x, y]) => `${x.toFixed(9)} ${y.toFixed(9)}`).join(', ');
    rows.push(`"POLYGON ((${ring}))",${350206300000 + index},${index % 2 ? '0601' : '0701'},${index % 2 ? '工业用地' : '城镇住宅用地'},厦门市湖里区禾山街道${index % 10}社区,湖里区,0,${WIDE}${index},${WIDE},${WIDE}`);
  }
  fs.writeFileSync(path.join(folder, 'dltb.csv'), `${rows.join('\n')}\n`);
  fs.writeFileSync(path.join(folder, 'dltb.csvt'), 'WKT,String(20),String(10),String(60),String(254),String(60),Integer,String(254),String(254),String(254)\n');
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', path.join(folder, 'DLTB.shp'), path.join(folder, 'dltb.csv'), '-oo', 'GEOM_POSSIBLE_NAMES=WKT', '-oo', 'KEEP_GEOM_COLUMNS=NO',
    '-a_srs', 'EPSG:4490', '-nlt', 'POLYGON', '-lco', 'ENCODING=CP936', '-nln', 'DLTB'], { stdio: 'pipe' });
  fs.rmSync(path.join(folder, 'DLTB.cpg'), { force: true });
  const declared = fs.statSync(path.join(folder, 'DLTB.dbf')).size + fs.statSync(path.join(folder, 'DLTB.shp')).size;
  expect(declared).toBeGreaterThanOrEqual(IN_PLACE_BYTES);
  return folder;
}

/** Zips files of `folder` under the names given (name in the zip → file). */
function zipAs(folder: string, zipName: string, members: Record<string, string>): string {
  const zip = path.join(folder, zipName);
  const script = 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)\nfor i in range(2, len(sys.argv), 2): z.write(sys.argv[i + 1], sys.argv[i])\nz.close()';
  execFileSync('python3', ['-c', script, zip, ...Object.entries(members).flatMap(([name, file]) => [name, path.join(folder, file)])]);
  return zip;
}

/** Uploads and checks `zip` as a survey layer of `year`; answers the import and its files folder. */
async function importZip(zip: string, year: number) {
  const body = multipartBody({ kind: 'survey', year: String(year) }, { name: path.basename(zip), content: fs.readFileSync(zip) });
  const response = await admin.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
  expect(response.statusCode).toBe(202);
  const id = response.json().id as string;
  await testApp.app.importService.settled(id);
  const state = (await admin.get(`/api/imports/${id}`)).json();
  const row = (await testApp.app.importService.imports.find(id))!;
  return { id, state, layer: row.layers.find((candidate) => candidate.selected)!, files: path.join(testApp.app.settings.importDirectory, id, 'files') };
}

/** Bytes of every file under `folder`. */
function unpackedBytes(folder: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

describe('a large zipped shapefile', () => {
  let folder = '';
  beforeAll(async () => {
    folder = await largeShapefile();
  }, 120_000);

  it('is read inside its zip: only its .prj is unpacked, and the committed 图斑 are what GDAL reads from the files', async () => {
    const zip = zipAs(folder, 'dltb.zip', { 'DLTB/DLTB.shp': 'DLTB.shp', 'DLTB/DLTB.shx': 'DLTB.shx', 'DLTB/DLTB.dbf': 'DLTB.dbf', 'DLTB/DLTB.prj': 'DLTB.prj' });
    const { id, state, layer, files } = await importZip(zip, 1994);
    expect(state.status).toBe('ready');
    expect(layer.source).toMatch(/^\/vsizip\/\{.+\/upload\/dltb\.zip\}\/DLTB\/DLTB\.shp$/);
    // Detected from the files left in the zip: the encoding from the .dbf's bytes, the CRS from the unpacked .prj.
    expect(state.detected).toMatchObject({ srid: 4490, encoding: 'gbk' });
    expect(layer.featureCount).toBe(FEATURES);
    expect(unpackedBytes(files)).toBeLessThan(4096);
    expect(state.report).toMatchObject({ features: FEATURES, valid: FEATURES, rejected: 0 });

    const commit = await admin.request({ method: 'POST', url: `/api/imports/${id}/commit` });
    expect(commit.statusCode, commit.body).toBe(200);
    const layerId = commit.json().result.layerId as number;
    // GDAL's own reading of the unpacked files, feature by feature.
    const expected = new Map(gdalAttributes(path.join(folder, 'DLTB.shp'), 'CP936', ['BSM', 'DLMC', 'QSDWMC', 'BZ1']).map((properties) => [properties.BSM, properties]));
    const { rows } = await sql<{ bsm: string; attributes: Record<string, string>; land_use_name: string }>`
      SELECT bsm, attributes, land_use_name FROM survey_patches WHERE layer_id = ${layerId}`.execute(owner.db);
    expect(rows).toHaveLength(FEATURES);
    for (const row of rows) {
      const source = expected.get(row.bsm)!;
      expect(row.attributes.DLMC, row.bsm).toBe(source.DLMC);
      expect(row.attributes.QSDWMC, row.bsm).toBe(source.QSDWMC);
      expect(row.attributes.BZ1, row.bsm).toBe(source.BZ1);
      expect(row.land_use_name).toBe(source.DLMC);
    }
    expect(rows.filter((row) => row.land_use_name === '工业用地')).toHaveLength(FEATURES / 2);
  }, 180_000);

  it('needs no disk for what stays in the zip: the free-disk reserve counts only what is unpacked', async () => {
    const zip = zipAs(folder, 'reserve.zip', { 'DLTB.shp': 'DLTB.shp', 'DLTB.shx': 'DLTB.shx', 'DLTB.dbf': 'DLTB.dbf', 'DLTB.prj': 'DLTB.prj' });
    const target = fs.mkdtempSync(path.join(work, 'reserve-'));
    // A reserve that unpacking the shapefile (35 MB) would break, and its .prj does not.
    const limits = { ...DEFAULT_ARCHIVE_LIMITS, diskReserveBytes: freeBytes(target) - 17 * 1024 ** 2 };
    const inZip: ZipMember[] = [];
    const written = await extractZip(zip, path.join(target, 'in-place'), limits, 1, undefined, inZip);
    expect(written.map((file) => path.basename(file))).toEqual(['DLTB.prj']);
    expect(inZip.map((member) => path.basename(member.file)).sort()).toEqual(['DLTB.dbf', 'DLTB.shp', 'DLTB.shx']);
    await expect(extractZip(zip, path.join(target, 'unpacked'), limits)).rejects.toMatchObject({ reason: 'disk_full' });
  });

  it('is unpacked when GDAL could not read it there: member names in Chinese, or no .shx', async () => {
    // Names stored as UTF-8 (flagged): GDAL reads unflagged names as CP437, so non-ASCII names are never read in place.
    const chinese = zipAs(folder, 'chinese.zip', { '地类图斑.shp': 'DLTB.shp', '地类图斑.shx': 'DLTB.shx', '地类图斑.dbf': 'DLTB.dbf', '地类图斑.prj': 'DLTB.prj' });
    const named = await importZip(chinese, 1995);
    expect(named.state.status).toBe('ready');
    expect(named.layer.source.startsWith('/vsizip/')).toBe(false);
    expect(named.layer.name).toContain('地类图斑');
    expect(named.state.report).toMatchObject({ features: FEATURES, valid: FEATURES });
    expect(unpackedBytes(named.files)).toBeGreaterThan(IN_PLACE_BYTES);
    expect((await admin.request({ method: 'DELETE', url: `/api/imports/${named.id}` })).statusCode).toBe(204);

    // Without its .shx, GDAL rebuilds the index beside the unpacked .shp (SHAPE_RESTORE_SHX): it could not write one into the zip.
    const unindexed = zipAs(folder, 'no-shx.zip', { 'DLTB.shp': 'DLTB.shp', 'DLTB.dbf': 'DLTB.dbf', 'DLTB.prj': 'DLTB.prj' });
    const restored = await importZip(unindexed, 1995);
    expect(restored.state.status).toBe('ready');
    expect(restored.layer.source.startsWith('/vsizip/')).toBe(false);
    expect(restored.state.report).toMatchObject({ features: FEATURES, valid: FEATURES });
    expect((await admin.request({ method: 'DELETE', url: `/api/imports/${restored.id}` })).statusCode).toBe(204);
  }, 240_000);
});
