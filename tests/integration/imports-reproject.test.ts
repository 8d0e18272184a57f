import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { connectDatabase, type DatabaseHandles } from '../../server/db/database.js';
import { gdalConnection } from '../../server/imports/gdal.js';
import { databaseReprojection } from '../../server/imports/polygon-layer.reader.js';
import { multipartBody } from '../helpers/multipart.js';
import { huliSquare, zipShapefile } from '../helpers/survey-files.js';
import { cellsAgainstLayer } from '../helpers/survey-cells.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * A 变更调查 in CGCS2000 Gauss-Kruger coordinates is loaded by GDAL as it is and converted to
 * EPSG:4490 by PostGIS, batch by batch (databaseReprojection): the committed 图斑 must have exactly
 * the coordinates GDAL's own conversion gives, and a feature PROJ cannot convert must be rejected
 * and named, not fail the import or vanish.
 */
let testApp: TestApp;
let owner: DatabaseHandles;
let admin: Session;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-reproject-'));

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

const FEATURES = 2_500;

/**
 * A zipped GBK shapefile in EPSG:4527 of FEATURES irregular 图斑 (five to seven vertices), plus
 * `extra` features given in EPSG:4527 metres as they are.
 */
function survey(name: string, west: number, south: number, extra: number[][][][] = []): string {
  const folder = path.join(work, name);
  fs.mkdirSync(folder);
  const side = Math.ceil(Math.sqrt(FEATURES));
  const step = 0.00016;
  const lines: string[] = [];
  for (let index = 0; index < FEATURES; index++) {
    const lon = west + (index % side) * step;
    const lat = south + Math.floor(index / side) * step;
    const size = step * (0.5 + (index % 7) * 0.05);
    const ring = [[lon, lat], [lon + size, lat + size * 0.05], [lon + size * 0.9, lat + size * 0.7], ...(index % 2 ? [[lon + size * 0.5, lat + size]] : []), [lon + size * 0.1, lat + size * 0.8], [lon, lat]];
    lines.push(JSON.stringify({ type: 'Feature', properties: { BSM: String(350206100000 + index), DLBM: index % 3 ? '0601' : '1001', DLMC: '工业用地', TBMJ: 0 }, geometry: { type: 'Polygon', coordinates: [ring] } }));
  }
  const degrees = path.join(folder, 'degrees.geojsonl');
  fs.writeFileSync(degrees, `${lines.join('\n')}\n`);
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', path.join(folder, 'DLTB.shp'), degrees, '-s_srs', 'EPSG:4490', '-t_srs', 'EPSG:4527', '-lco', 'ENCODING=CP936', '-nln', 'DLTB']);
  if (extra.length > 0) {
    const metres = path.join(folder, 'metres.geojsonl');
    fs.writeFileSync(metres, `${extra.map((rings, index) => JSON.stringify({ type: 'Feature', properties: { BSM: `X${index}`, DLBM: '0601', DLMC: '工业用地', TBMJ: 0 }, geometry: { type: 'Polygon', coordinates: rings } })).join('\n')}\n`);
    execFileSync('ogr2ogr', ['-append', '-f', 'ESRI Shapefile', path.join(folder, 'DLTB.shp'), metres, '-a_srs', 'EPSG:4527', '-nln', 'DLTB']);
  }
  fs.rmSync(path.join(folder, 'DLTB.cpg'), { force: true });
  return zipShapefile(folder);
}

async function importSurvey(zip: string, year: number, options: Record<string, string> = {}) {
  const body = multipartBody({ kind: 'survey', year: String(year), ...options }, { name: 'dltb.zip', content: fs.readFileSync(zip) });
  const response = await admin.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
  expect(response.statusCode).toBe(202);
  const id = response.json().id as string;
  await testApp.app.importService.settled(id);
  return { id, state: (await admin.get(`/api/imports/${id}`)).json() };
}

describe('a CGCS2000 Gauss-Kruger survey layer', () => {
  it('is converted to EPSG:4490 in PostGIS, to exactly the coordinates GDAL gives', async () => {
    const { west, south } = await huliSquare(owner.db);
    const zip = survey('exact', west, south);
    const { id, state } = await importSurvey(zip, 2007);
    expect(state.status).toBe('ready');
    expect(state.report).toMatchObject({ features: FEATURES, valid: FEATURES, rejected: 0 });
    // The layer as described takes the PostGIS path (a CGCS2000 Gauss-Kruger zone, EPSG:4527).
    const row = (await testApp.app.importService.imports.find(id))!;
    const layer = row.layers.find((candidate) => candidate.selected)!;
    expect(layer.crs?.srid).toBe(4527);
    expect(databaseReprojection(layer, undefined)).toBe(4527);

    const commit = await admin.request({ method: 'POST', url: `/api/imports/${id}/commit` });
    expect(commit.statusCode).toBe(200);
    const layerId = commit.json().result.layerId as number;

    // GDAL's own conversion of the same shapefile, compared vertex for vertex (WKB bytes).
    const gdal = `reproject_gdal_${Date.now()}`;
    const connection = gdalConnection(inject('adminDatabaseUrl'));
    execFileSync('ogr2ogr', ['-f', 'PostgreSQL', connection.dataset, path.join(work, 'exact', 'DLTB.shp'), '-lco', 'SCHEMA=staging', '-nln', gdal,
      '-lco', 'GEOMETRY_NAME=geom', '-nlt', 'MULTIPOLYGON', '-s_srs', 'EPSG:4527', '-t_srs', 'EPSG:4490', '-oo', 'ENCODING=CP936'], { env: { ...process.env, ...connection.env } });
    try {
      const { rows: [compared] } = await sql<{ matched: number; identical: number; vertices: number }>`
        SELECT count(*)::int AS matched, count(*) FILTER (WHERE ST_AsBinary(p.geom) = ST_AsBinary(g.geom))::int AS identical, sum(ST_NPoints(p.geom))::int AS vertices
        FROM survey_patches p JOIN ${sql.table(`staging.${gdal}`)} g ON g."bsm" = p.bsm WHERE p.layer_id = ${layerId}`.execute(owner.db);
      expect(compared.matched).toBe(FEATURES);
      expect(compared.identical).toBe(FEATURES);
      expect(compared.vertices).toBeGreaterThan(FEATURES * 5);
    } finally {
      await sql`DROP TABLE IF EXISTS ${sql.table(`staging.${gdal}`)}`.execute(owner.db);
    }
    // The grid the commit built from the batch sums is the one the 图斑 give.
    const grid = await cellsAgainstLayer(owner.db, layerId);
    expect(grid.cells).toBeGreaterThan(0);
    expect(grid.differing).toBe(0);
  }, 120_000);

  it('has its survey grid built while validating, under its layer id, and loses it when cancelled', async () => {
    const { west, south } = await huliSquare(owner.db);
    const { id, state } = await importSurvey(survey('cancelled', west, south), 2009);
    expect(state.status).toBe('ready');
    const row = (await testApp.app.importService.imports.find(id))!;
    const table = row.layers.find((candidate) => candidate.stagingTable)!.stagingTable!;
    const prepared = await testApp.app.importService.imports.preparedSurveyLayer(table);
    expect(prepared).not.toBeNull();
    const cells = async () => (await sql<{ count: number }>`SELECT count(*)::int AS count FROM survey_cells WHERE layer_id = ${prepared!.layerId}`.execute(owner.db)).rows[0].count;
    // Every 图斑 of the layer is in the grid's finest level, before any commit; no layer of that id exists yet.
    const { rows: [finest] } = await sql<{ patches: number; layers: number }>`
      SELECT coalesce(sum(patches), 0)::int AS patches, (SELECT count(*)::int FROM survey_layers WHERE id = ${prepared!.layerId}) AS layers
      FROM survey_cells WHERE layer_id = ${prepared!.layerId} AND level = 18`.execute(owner.db);
    expect(finest).toEqual({ patches: FEATURES, layers: 0 });
    expect((await admin.request({ method: 'DELETE', url: `/api/imports/${id}` })).statusCode).toBe(204);
    expect(await cells()).toBe(0);
  }, 120_000);

  it('rejects, and names, a feature PROJ cannot convert; the rest is imported', async () => {
    const { west, south } = await huliSquare(owner.db);
    // A polygon 10^30 m from anything: outside the projection's domain.
    const far = [[[1e30, 1e30], [1e30 + 1e20, 1e30], [1e30 + 1e20, 1e30 + 1e20], [1e30, 1e30]]];
    const zip = survey('far', west, south, [far]);
    // The far feature stretches the layer's extent past any zone: the user confirms the CRS.
    const { id, state } = await importSurvey(zip, 2008, { srid: '4527' });
    expect(state.status).toBe('ready');
    expect(state.report).toMatchObject({ features: FEATURES + 1, valid: FEATURES, rejected: 1 });
    const sample = state.report.samples.find((candidate: { bsm: string | null }) => candidate.bsm === 'X0');
    expect(sample).toMatchObject({ status: 'rejected' });
    expect(sample.messages.join()).toContain('坐标超出范围');
    // Saying why and what to do: the layer's CRS could not convert it.
    expect(sample.messages.join()).toContain('按图层的坐标系 CGCS2000 3度带 第39带 (EPSG:4527) 无法换算为经纬度');
    const commit = await admin.request({ method: 'POST', url: `/api/imports/${id}/commit` });
    expect(commit.statusCode).toBe(200);
    expect(commit.json().result.features).toBe(FEATURES);
  }, 120_000);
});
