import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { connectDatabase, type DatabaseHandles } from '../../server/db/database.js';
import { DEFAULT_ARCHIVE_LIMITS } from '../../server/imports/archive.js';
import { gdalConnection } from '../../server/imports/gdal.js';
import { createImportsRepository } from '../../server/imports/imports.repository.js';
import { openPolygonLayers } from '../../server/imports/polygon-layer.reader.js';
import { loadIntoStaging, stagingName } from '../../server/imports/stages/load.stage.js';
import { LayerCheck } from '../../server/imports/stages/validate.stage.js';
import { createParcelsRepository } from '../../server/parcels/parcels.repository.js';
import { multipartBody } from '../helpers/multipart.js';
import { cellsAgainstLayer } from '../helpers/survey-cells.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * A layer larger than one GDAL transaction (65 536 rows) is checked while GDAL still loads it
 * (LayerCheck.follow): the batches GDAL has committed are validated and written into the prepared
 * survey layer before the last rows are in, the rest after. The report and the committed layer must
 * be exactly those of a check run after the load: every problem feature found, in every batch.
 */
let testApp: TestApp;
let owner: DatabaseHandles;
let admin: Session;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-follow-'));

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

const FEATURES = 70_000;
const SIDE = Math.ceil(Math.sqrt(FEATURES));
/** Self-intersecting (a bow tie: repaired), spread over the batches and both GDAL transactions. */
const BOW_TIES = [3, 30_000, 69_990];
/** TBMJ far from the ellipsoidal area (warned): likewise spread. */
const WRONG_TBMJ = [7, 45_001, 69_995];

/** A GBK shapefile in EPSG:4527 of FEATURES 图斑 of ~3 m in a 1.1 km square of 湖里区, zipped. */
function survey(west: number, south: number): string {
  const step = 0.00004;
  const lines: string[] = [];
  for (let index = 0; index < FEATURES; index++) {
    const lon = west + (index % SIDE) * step;
    const lat = south + Math.floor(index / SIDE) * step;
    const size = step * 0.75;
    const ring = BOW_TIES.includes(index)
      ? [[lon, lat], [lon + size, lat + size], [lon + size, lat], [lon, lat + size], [lon, lat]]
      : [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]];
    lines.push(JSON.stringify({
      type: 'Feature',
      properties: { BSM: String(350206000000 + index), DLBM: '0601', DLMC: '工业用地', ZLDWMC: '厦门市湖里区禾山街道', TBMJ: WRONG_TBMJ.includes(index) ? 12345 : 0, SJNF: 2006 },
      geometry: { type: 'Polygon', coordinates: [ring] },
    }));
  }
  const seq = path.join(work, 'dltb.geojsonl');
  fs.writeFileSync(seq, `${lines.join('\n')}\n`);
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', path.join(work, 'DLTB.shp'), seq, '-s_srs', 'EPSG:4490', '-t_srs', 'EPSG:4527', '-lco', 'ENCODING=CP936', '-nln', 'DLTB']);
  fs.rmSync(path.join(work, 'DLTB.cpg'));
  const zip = path.join(work, 'dltb.zip');
  execFileSync('python3', ['-m', 'zipfile', '-c', zip, ...['shp', 'shx', 'dbf', 'prj'].map((extension) => path.join(work, `DLTB.${extension}`))]);
  return zip;
}

/**
 * GDAL as the load stage runs it into `staging.<table>` (the projected coordinates as they are and
 * the GBK text byte for character: the check converts both, databaseReprojection and
 * databaseDecoding): the shapefile's features matching `where`, into a new
 * table or appended (to the layer's own geometry column: the check has added two more by then).
 */
function loadAsTheStage(table: string, where: string, append = false) {
  const connection = gdalConnection(inject('databaseUrl'));
  execFileSync('ogr2ogr', [
    '-f', 'PostgreSQL', connection.dataset, path.join(work, 'DLTB.shp'), '-where', where,
    '-lco', 'SCHEMA=staging', '-nln', append ? `staging.${table}(_geom)` : table, '-lco', 'GEOMETRY_NAME=_geom', '-lco', 'FID=_fid', '-lco', 'SPATIAL_INDEX=NONE',
    '-lco', 'LAUNDER=NO', '-lco', 'PRECISION=NO', '-lco', 'UNLOGGED=ON', '-nlt', 'MULTIPOLYGON', '-dim', 'XY',
    '-a_srs', 'EPSG:4490', '-oo', 'ENCODING=ISO-8859-1', '--config', 'PG_USE_COPY', 'YES', '-gt', '65536',
    ...(append ? ['-append'] : []),
  ], { env: { ...process.env, ...connection.env } });
}

/** Waits (at most a minute) until the prepared layer of `table` holds `count` rows. */
async function untilWritten(table: string, count: number) {
  const db = testApp.database.db;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const written = await sql<{ count: number }>`SELECT count(*)::int AS count FROM ${sql.table(`staging.${table}_l`)}`.execute(db).then((result) => result.rows[0].count).catch(() => 0);
    if (written === count) return;
    expect(Date.now()).toBeLessThan(deadline);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a survey layer larger than one GDAL transaction', () => {
  let importId = '';

  it('is checked batch by batch, and reports and commits every problem feature of every GDAL transaction', async () => {
    // A square wholly inside 湖里区 (found in the database: the test does not guess the demo city's shapes).
    const { rows: [spot] } = await sql<{ west: number; south: number }>`
      SELECT ST_X(c) - 0.0075 AS west, ST_Y(c) - 0.0075 AS south
      FROM (SELECT ST_PointOnSurface(geom) AS c, geom FROM districts WHERE level = 'district' AND name = '湖里区') d
      WHERE ST_Covers(geom, ST_Expand(c, 0.008))`.execute(owner.db);
    expect(spot).toBeDefined();
    const zip = survey(spot.west, spot.south);
    const body = multipartBody({ kind: 'survey', year: '2006' }, { name: 'dltb.zip', content: fs.readFileSync(zip) });
    const response = await admin.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
    expect(response.statusCode).toBe(202);
    const id = response.json().id as string;
    await testApp.app.importService.settled(id);
    const state = (await admin.get(`/api/imports/${id}`)).json();
    expect(state.status).toBe('ready');
    expect(state.report).toMatchObject({ features: FEATURES, valid: FEATURES - BOW_TIES.length, repaired: BOW_TIES.length, rejected: 0 });
    expect(state.report.extent).toMatchObject({ partly: 0, outside: 0 });
    const mismatch = state.report.warnings.find((warning: { message: string }) => warning.message.includes('TBMJ'));
    expect(mismatch?.count).toBe(WRONG_TBMJ.length);
    const bsm = (index: number) => String(350206000000 + index);
    const noted = new Map<string, string[]>(state.report.samples.map((sample: { bsm: string; messages: string[] }) => [sample.bsm, sample.messages]));
    for (const index of WRONG_TBMJ) expect(noted.get(bsm(index))?.join()).toContain('TBMJ');
    for (const index of BOW_TIES) expect(state.report.samples.find((sample: { bsm: string }) => sample.bsm === bsm(index))).toMatchObject({ status: 'repaired' });

    importId = id;

    const commit = await admin.request({ method: 'POST', url: `/api/imports/${id}/commit` });
    expect(commit.statusCode).toBe(200);
    expect(commit.json().result).toMatchObject({ kind: 'survey', year: 2006, features: FEATURES });
    const { rows: [layer] } = await sql<{ features: number; area: number; repaired: number }>`
      SELECT count(*)::int AS features, sum(area_m2)::float8 AS area,
             count(*) FILTER (WHERE bsm = ANY(${BOW_TIES.map(bsm)}::text[]) AND ST_NumGeometries(geom) = 2)::int AS repaired
      FROM survey_patches WHERE layer_id = ${commit.json().result.layerId}`.execute(owner.db);
    expect(layer.features).toBe(FEATURES);
    expect(layer.repaired).toBe(BOW_TIES.length);
    // ~3 m squares: about 10 m² each, none lost or counted twice.
    expect(layer.area / FEATURES).toBeGreaterThan(8);
    expect(layer.area / FEATURES).toBeLessThan(12);
    // The grid summed batch by batch while checking is the one the committed 图斑 give.
    const grid = await cellsAgainstLayer(owner.db, commit.json().result.layerId);
    expect(grid.cells).toBeGreaterThan(0);
    expect(grid.differing).toBe(0);
  }, 180_000);

  it('is checked on the rows GDAL has committed while it still loads, and finished after', async () => {
    const row = (await testApp.app.importService.imports.find(importId))!;
    const layer = row.layers.find((candidate) => candidate.stagingTable)!;
    const table = `follow${Date.now()}`;
    const databaseUrl = inject('databaseUrl');
    // In two parts, as GDAL commits them: shapefile fids below 40 000, then the rest.
    const db = testApp.database.db;
    const imports = createImportsRepository(db);
    const context = { db, imports, parcels: createParcelsRepository(db), folderOf: () => work, databaseUrl, archiveLimits: DEFAULT_ARCHIVE_LIMITS, progress: async () => undefined };
    const check = new LayerCheck(context, row, layer, table, true);
    const prepared = sql.table(`staging.${table}_l`);
    try {
      loadAsTheStage(table, 'FID < 40000');
      let settle: (value: unknown) => void = () => undefined;
      check.follow(new Promise((resolve) => { settle = resolve; }));
      // The two whole batches of the first part are checked and written while "GDAL" has not finished.
      await untilWritten(table, 40_000);
      loadAsTheStage(table, 'FID >= 40000', true);
      settle(undefined);
      const progress: number[] = [];
      const result = await check.finish(async (fraction) => { progress.push(fraction); });
      // What was left: fids 40 001–70 000, two batches.
      expect(progress).toEqual([0.5, 1]);
      expect(result.mismatches).toBe(WRONG_TBMJ.length);
      const { rows: [counts] } = await sql<{ written: number; repaired: number; areas: number }>`
        SELECT (SELECT count(*)::int FROM ${prepared}) AS written,
               (SELECT count(*)::int FROM ${sql.table(`staging.${table}`)} WHERE _status = 'repaired') AS repaired,
               (SELECT count(*)::int FROM ${prepared} WHERE area_m2 > 8 AND area_m2 < 12) AS areas`.execute(db);
      // Every square of ~10 m² has its ellipsoidal area (a repaired bow tie is two triangles, half of it).
      expect(counts).toEqual({ written: FEATURES, repaired: BOW_TIES.length, areas: FEATURES - BOW_TIES.length });
    } finally {
      await imports.dropStaging([table]);
    }
  }, 120_000);

  it('forgets what it checked when GDAL reads the layer again, and checks the new table once', async () => {
    const row = (await testApp.app.importService.imports.find(importId))!;
    const layer = row.layers.find((candidate) => candidate.stagingTable)!;
    const table = `retry${Date.now()}`;
    const databaseUrl = inject('databaseUrl');
    const db = testApp.database.db;
    const imports = createImportsRepository(db);
    const context = { db, imports, parcels: createParcelsRepository(db), folderOf: () => work, databaseUrl, archiveLimits: DEFAULT_ARCHIVE_LIMITS, progress: async () => undefined };
    const check = new LayerCheck(context, row, layer, table, true);
    const prepared = sql.table(`staging.${table}_l`);
    try {
      // The first read: its first GDAL transaction checked, converted and written…
      loadAsTheStage(table, 'FID < 40000');
      let settle: (value: unknown) => void = () => undefined;
      check.follow(new Promise((resolve) => { settle = resolve; }));
      await untilWritten(table, 40_000);
      // …then GDAL fails and reads the whole layer again into a new table (the load stage's beforeRetry).
      settle(undefined);
      await check.reset();
      expect((await sql<{ table: string | null }>`SELECT to_regclass(${`staging.${table}_l`})::text AS table`.execute(db)).rows[0].table).toBeNull();
      await imports.dropStaging([table]);
      loadAsTheStage(table, 'FID >= 0');
      const result = await check.finish(async () => undefined);
      expect(result.mismatches).toBe(WRONG_TBMJ.length);
      const { rows: [counts] } = await sql<{ written: number; areas: number; finest: number }>`
        SELECT (SELECT count(*)::int FROM ${prepared}) AS written,
               (SELECT count(*)::int FROM ${prepared} WHERE area_m2 > 4 AND area_m2 < 12) AS areas,
               (SELECT sum(patches)::int FROM ${sql.table(`staging.${table}_c`)}) AS finest`.execute(db);
      // Every feature of the new table written once with its area, none of the first read left over.
      expect(counts).toEqual({ written: FEATURES, areas: FEATURES, finest: FEATURES });
    } finally {
      await imports.dropStaging([table]);
    }
  }, 120_000);

  it('when GDAL fails at first, is read again (skipping broken features) into a table made anew: the failed read\'s table is dropped first', async () => {
    const row = (await testApp.app.importService.imports.find(importId))!;
    const folder = path.join(work, 'retry');
    fs.mkdirSync(folder);
    // 300 图斑 of the same survey (its first fids), as a shapefile described as an upload is.
    execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', path.join(folder, 'DLTB.shp'), path.join(work, 'DLTB.shp'), '-where', 'FID < 300', '-lco', 'ENCODING=CP936']);
    const opened = await openPolygonLayers([path.join(folder, 'DLTB.shp'), path.join(folder, 'DLTB.shx'), path.join(folder, 'DLTB.dbf'), path.join(folder, 'DLTB.prj')], path.join(folder, 'files'));
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const layers = opened.layers.map((layer) => ({ ...layer, mapping: row.layers[0]?.mapping ?? null }));
    const retried = { ...row, id: `${importId.slice(0, 24)}9999`, layers };
    const table = stagingName(retried.id, 0);
    const db = testApp.database.db;
    const imports = createImportsRepository(db);
    const context = { db, imports, parcels: createParcelsRepository(db), folderOf: () => folder, databaseUrl: inject('databaseUrl'), archiveLimits: DEFAULT_ARCHIVE_LIMITS, progress: async () => undefined };
    // A table of that name left by a read that failed (GDAL made it as the application): the first read fails on it.
    await sql`CREATE TABLE ${sql.table(`staging.${table}`)} (left_over integer)`.execute(db);
    try {
      const checks: LayerCheck[] = [];
      const loaded = await loadIntoStaging(context, retried, layers, {
        check: (layer, name) => { const check = new LayerCheck(context, retried, layer, name, true); checks.push(check); return check; },
      });
      expect(loaded.ok, JSON.stringify(loaded)).toBe(true);
      const result = await checks[0].finish(async () => undefined);
      expect(result.prepared).not.toBeNull();
      const { rows: [counts] } = await sql<{ staged: number; written: number }>`
        SELECT (SELECT count(*)::int FROM ${sql.table(`staging.${table}`)}) AS staged, (SELECT count(*)::int FROM ${sql.table(`staging.${table}_l`)}) AS written`.execute(db);
      expect(counts).toEqual({ staged: 300, written: 300 });
    } finally {
      await imports.dropStaging([table]);
    }
  }, 120_000);
});
