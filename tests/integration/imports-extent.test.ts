import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportCommitted, ImportState } from '../../domain/api/imports.schemas.js';
import { GCJ02_SRID } from '../../domain/import/crs.js';
import { REPOSITORY_ROOT } from '../../server/config.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { multipartBody } from '../helpers/multipart.js';
import { cellsAgainstLayer } from '../helpers/survey-cells.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';
import { buildZip } from '../helpers/zip-writer.js';

/**
 * Imports check where and what before they commit: the extent against the importer's 管辖范围 and
 * the city (named and counted in the preview, then 裁剪 / 跳过 / 停止), the fields each kind
 * requires, the year, and GCJ-02 (火星坐标) data put where it belongs.
 */

const FUJIAN = path.resolve(REPOSITORY_ROOT, '../shared/testdata/ChinaAdminDivisonSHP/old_776a2f1_noprj');

let testApp: TestApp;
let admin: Session;
/** Scope 厦门市 (the whole city). */
let surveyor: Session;
/** Scope 湖里区 (350206) only. */
let huliSurveyor: Session;
let work: string;

/** Mapping that gives the 行政区划 file the fields a 变更调查 layer must have (for the extent tests only). */
const SURVEY_MAPPING = { name: 'landUseName', adcode: 'landUseCode', centerlat: 'patchArea' };

beforeAll(async () => {
  testApp = await createTestApp();
  admin = await login(testApp.app, 'admin');
  surveyor = await login(testApp.app, 'surveyor');
  const username = `surveyor-hl-${Date.now() % 100000}`;
  expect((await admin.request({ method: 'POST', url: '/api/admin/users', payload: { username, displayName: '湖里区调查员', role: 'surveyor', scopes: ['350206'], password: 'First-pass-2026' } })).statusCode).toBe(201);
  const first = await login(testApp.app, username, 'First-pass-2026');
  expect((await first.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'First-pass-2026', newPassword: 'Huli-extent-2026' } })).statusCode).toBeLessThan(300);
  huliSurveyor = await login(testApp.app, username, 'Huli-extent-2026');
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'imports-extent-'));
});
afterAll(async () => {
  fs.rmSync(work, { recursive: true, force: true });
  await testApp.close();
});

/** The whole of Fujian: 85 district polygons (GCJ-02 degrees, UTF-8 DBF, no .prj). */
function fujianZip(): Buffer {
  return buildZip(['福建省.shp', '福建省.shx', '福建省.dbf'].map((file) => ({ name: file, content: fs.readFileSync(path.join(FUJIAN, file)) })));
}

/** A file of another city: the districts of 福州市 cut out of the Fujian file by GDAL. */
function fuzhouZip(): Buffer {
  const target = path.join(work, 'fuzhou.shp');
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-oo', 'ENCODING=UTF-8', '-lco', 'ENCODING=UTF-8', '-where', "ctname = '福州市'", target, path.join(FUJIAN, '福建省.shp')]);
  return buildZip(['shp', 'shx', 'dbf', 'cpg'].filter((extension) => fs.existsSync(path.join(work, `fuzhou.${extension}`)))
    .map((extension) => ({ name: `fuzhou.${extension}`, content: fs.readFileSync(path.join(work, `fuzhou.${extension}`)) })));
}

async function importFile(session: Session, name: string, content: Buffer, fields: Record<string, string>): Promise<ImportState> {
  const body = multipartBody(fields, { name, content });
  const response = await session.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
  expect(response.statusCode).toBe(202);
  const id = response.json().id as string;
  await testApp.app.importService.settled(id);
  const state = (await session.get(`/api/imports/${id}`)).json() as ImportState;
  assertMatchesContract(ImportState, state);
  return state;
}

async function answer(session: Session, id: string, payload: Record<string, unknown>): Promise<ImportState> {
  expect((await session.request({ method: 'POST', url: `/api/imports/${id}`, payload })).statusCode).toBe(202);
  await testApp.app.importService.settled(id);
  return (await session.get(`/api/imports/${id}`)).json() as ImportState;
}

const commit = (session: Session, id: string, payload?: Record<string, unknown>) =>
  session.request({ method: 'POST', url: `/api/imports/${id}/commit`, ...(payload ? { payload } : {}) });

const currentLayers = async (year: number) => (await sql<{ id: number; feature_count: number }>`
  SELECT id, feature_count FROM survey_layers WHERE year = ${year} AND committed AND superseded_at IS NULL`.execute(testApp.database.db)).rows;

describe('a province-wide file (Fujian, 85 features) imported by a 湖里区 surveyor', () => {
  let state: ImportState;

  it('reports in the preview how many features lie outside the 管辖范围 and the city, and names them', async () => {
    state = await importFile(huliSurveyor, 'fujian.zip', fujianZip(), { kind: 'survey', year: '2004', srid: '4490' });
    expect(state.status).toBe('ready');
    const extent = state.report.extent!;
    expect(extent).toMatchObject({ scope: '湖里区', city: '厦门市', checked: 85 });
    expect(extent.outside + extent.partly).toBeGreaterThanOrEqual(84);
    expect(extent.partly).toBeGreaterThanOrEqual(1);
    expect(extent.outsideCity).toBeGreaterThan(70);
    expect(extent.features.length).toBe(20);
    // Partly outside first (湖里区 itself: the file is GCJ-02, ~580 m off), then the others by name.
    expect(extent.features.map((feature) => feature.name)).toContain('湖里区');
    expect(extent.features.every((feature) => feature.name !== '' && ['partly', 'outside'].includes(feature.extent))).toBe(true);
    const warning = state.report.warnings[0];
    expect(warning.message).toContain('不在您的管辖范围（湖里区）内');
    expect(warning.message).toContain('裁剪');
    expect(warning.count).toBe(extent.outside + extent.partly);
  });

  it('reports the fields a 变更调查 layer needs (DLBM, TBMJ) in the preview, and the commit refuses without them', async () => {
    expect(state.report.missingFields).toHaveLength(1);
    expect(state.report.missingFields![0].fields).toEqual(['landUseCode', 'patchArea']);
    expect(state.report.missingFields![0].message).toContain('地类编码 (DLBM)');
    expect(state.report.missingFields![0].message).toContain('图斑面积 (TBMJ)');
    const refused = await commit(huliSurveyor, state.id, { outside: 'clip' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: 'missing_fields', parameter: 'mapping' });
    expect(await currentLayers(2004)).toEqual([]);
  });

  it('refuses a commit without a decision, naming the choice field (409, parameter outside)', async () => {
    state = await answer(huliSurveyor, state.id, { mapping: SURVEY_MAPPING });
    expect(state.status).toBe('ready');
    expect(state.report.missingFields ?? []).toEqual([]);
    expect(state.report.extent!.outside).toBeGreaterThan(80);
    const refused = await commit(huliSurveyor, state.id);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'outside_decision_required', parameter: 'outside' });
    expect(refused.json().message).toContain('clip');
    expect(refused.json().message).toContain('skip');
    expect((await huliSurveyor.get(`/api/imports/${state.id}`)).json().status).toBe('ready');
    expect(await currentLayers(2004)).toEqual([]);
  });

  it('裁剪: writes only the parts inside 湖里区, the features outside left out, on record', async () => {
    const response = await commit(huliSurveyor, state.id, { outside: 'clip' });
    expect(response.statusCode, response.body).toBe(200);
    assertMatchesContract(ImportCommitted, response.json());
    const result = response.json().result;
    const extent = state.report.extent!;
    expect(result).toMatchObject({ kind: 'survey', year: 2004, outside: { decision: 'clip' } });
    expect(result.features).toBe(85 - result.outside.left);
    expect(result.outside.left).toBeGreaterThanOrEqual(extent.outside);
    expect(result.outside.clipped).toBe(result.features);
    const { rows: [check] } = await sql<{ count: number; outside_m2: number }>`
      SELECT count(*)::int AS count, coalesce(sum(ST_Area(ST_Difference(p.geom, d.geom)::geography)), 0) AS outside_m2
      FROM survey_patches p, districts d WHERE p.layer_id = ${result.layerId} AND d.code = '350206'`.execute(testApp.database.db);
    expect(check.count).toBe(result.features);
    expect(check.outside_m2).toBeLessThan(1);
    // The cut changed the layer after validation summed its grid cells: the grid is the cut layer's.
    const grid = await cellsAgainstLayer(testApp.database.db, result.layerId);
    expect(grid.cells).toBeGreaterThan(0);
    expect(grid.differing).toBe(0);
    const { rows: history } = await sql<{ actor: string }>`
      SELECT actor FROM history WHERE entity = 'survey_layers' AND entity_id = ${String(result.layerId)} AND action = 'import_commit'`.execute(testApp.database.db);
    expect(history).toHaveLength(1);
  });
});

describe('a file of another city (福州市) imported by the city surveyor of 厦门市', () => {
  let state: ImportState;

  it('warns before the commit that every feature lies outside the city, naming them', async () => {
    state = await importFile(surveyor, 'fuzhou.zip', fuzhouZip(), { kind: 'survey', year: '2005', srid: '4490' });
    expect(state.status).toBe('ready');
    const extent = state.report.extent!;
    expect(extent.scope).toBe('厦门市');
    expect(extent.checked).toBeGreaterThanOrEqual(10);
    expect(extent.outside).toBe(extent.checked);
    expect(extent.outsideCity).toBe(extent.checked);
    expect(extent.features.map((feature) => feature.name)).toContain('鼓楼区');
    expect(extent.features.every((feature) => feature.district === null)).toBe(true);
    expect(state.report.warnings[0].message).toContain(`${extent.outside} 个不在您的管辖范围（厦门市）内（其中 ${extent.outside} 个在厦门市以外）`);
  });

  it('跳过: skipping every feature writes nothing and says so (400 nothing_to_commit), no empty layer', async () => {
    state = await answer(surveyor, state.id, { mapping: SURVEY_MAPPING });
    const response = await commit(surveyor, state.id, { outside: 'skip' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('nothing_to_commit');
    expect(response.json().message).toContain('未写入任何数据');
    expect(await currentLayers(2005)).toEqual([]);
    expect((await surveyor.get(`/api/imports/${state.id}`)).json().status).toBe('ready');
  });

  it('停止: a cancel leaves nothing behind', async () => {
    expect((await surveyor.request({ method: 'DELETE', url: `/api/imports/${state.id}` })).statusCode).toBe(204);
    expect((await surveyor.get(`/api/imports/${state.id}`)).json().status).toBe('cancelled');
    expect(await currentLayers(2005)).toEqual([]);
  });
});

describe('跳过 by the city surveyor', () => {
  it('leaves out the features entirely outside the city and keeps the ones partly in it whole', async () => {
    const state = await importFile(surveyor, 'fujian.zip', fujianZip(), { kind: 'survey', year: '2006', srid: '4490' });
    const ready = await answer(surveyor, state.id, { mapping: SURVEY_MAPPING });
    const extent = ready.report.extent!;
    expect(extent.scope).toBe('厦门市');
    expect(extent.partly).toBeGreaterThanOrEqual(6);
    const response = await commit(surveyor, state.id, { outside: 'skip' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().result).toMatchObject({ features: extent.partly, outside: { decision: 'skip', left: extent.outside, clipped: 0 } });
    const { rows: [kept] } = await sql<{ names: string[] }>`
      SELECT array_agg(land_use_name ORDER BY land_use_name) AS names FROM survey_patches WHERE layer_id = ${response.json().result.layerId}`.execute(testApp.database.db);
    expect(kept.names).toEqual(expect.arrayContaining(['思明区', '湖里区', '集美区', '海沧区', '同安区', '翔安区']));
    expect(kept.names).not.toContain('寿宁县');
  });
});

describe('an administrator committing a 湖里区 surveyor’s import', () => {
  it('has the extent checked against the city, not the uploader’s district', async () => {
    const square = (lon: number, lat: number) => [[[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001], [lon, lat + 0.001], [lon, lat]]];
    const file = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { BSM: 'SM1', DLBM: '0601', TBMJ: 11300 }, geometry: { type: 'Polygon', coordinates: square(118.11, 24.46) } }] }));
    const state = await importFile(huliSurveyor, 'siming.geojson', file, { kind: 'survey', year: '2010' });
    expect(state.report.extent).toMatchObject({ scope: '湖里区', outside: 1 });
    expect((await commit(huliSurveyor, state.id)).statusCode).toBe(409);
    const committed = await commit(admin, state.id);
    expect(committed.statusCode, committed.body).toBe(200);
    expect(committed.json().result).toMatchObject({ kind: 'survey', year: 2010, features: 1 });
    expect(committed.json().result.outside).toBeUndefined();
    expect(committed.json().result.bbox[0]).toBeCloseTo(118.11, 6);
  });
});

describe('the year', () => {
  it('is asked up front when a 变更调查 file has no SJNF and no year was given', async () => {
    const state = await importFile(surveyor, 'fujian.zip', fujianZip(), { kind: 'survey', srid: '4490' });
    expect(state.report.yearNeeded).toBe(true);
    const withYear = await answer(surveyor, state.id, { year: 2007, mapping: SURVEY_MAPPING });
    expect(withYear.year).toBe(2007);
    expect(withYear.report.yearNeeded).toBeUndefined();
    await surveyor.request({ method: 'DELETE', url: `/api/imports/${state.id}` });
  });
});

describe('GCJ-02 (火星坐标)', () => {
  it('is offered as a CRS; a GCJ-02 file lands on the district boundaries (converted from the same file)', async () => {
    const state = await importFile(surveyor, 'fujian.zip', fujianZip(), { kind: 'survey', year: '2008', srid: String(GCJ02_SRID) });
    expect(state.status).toBe('ready');
    expect(state.detected.srid).toBe(GCJ02_SRID);
    expect(state.report.warnings.map((warning) => warning.message).join(' ')).toContain('GCJ-02');
    expect(state.report.warnings.map((warning) => warning.message).join(' ')).not.toContain('疑似 GCJ-02');
    // Read as GCJ-02, Xiamen's six districts lie inside the city: only the neighbours touch it.
    const extent = state.report.extent!;
    expect(extent.features.map((feature) => feature.name)).not.toContain('湖里区');
    const features = (await surveyor.get(`/api/imports/${state.id}/features?pageSize=100`)).json();
    const huli = features.features.find((feature: { properties: { name: string } }) => feature.properties.name === '湖里区');
    const { rows: [overlap] } = await sql<{ iou: number; shift_m: number }>`
      WITH f AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(huli.geometry)}), 4490) AS g), d AS (SELECT geom AS g FROM districts WHERE code = '350206')
      SELECT ST_Area(ST_Intersection(f.g, d.g)) / ST_Area(ST_Union(f.g, d.g)) AS iou,
        ST_Distance(ST_Centroid(f.g)::geography, ST_Centroid(d.g)::geography) AS shift_m FROM f, d`.execute(testApp.database.db);
    expect(overlap.iou).toBeGreaterThan(0.999);
    expect(overlap.shift_m).toBeLessThan(1);

    // The same file read as WGS84 is off by the GCJ-02 shift (~580 m around Xiamen).
    const plain = await importFile(surveyor, 'fujian.zip', fujianZip(), { kind: 'survey', year: '2008', srid: '4490' });
    // Recognised: read as CGCS2000, Xiamen's districts sit off the known ones by the GCJ-02 offset.
    const recognised = plain.report.warnings.find((warning) => warning.message.includes('疑似 GCJ-02'));
    expect(recognised?.message).toMatch(/相差约 [5-6]\d\d 米/);
    const plainFeatures = (await surveyor.get(`/api/imports/${plain.id}/features?pageSize=100`)).json();
    const plainHuli = plainFeatures.features.find((feature: { properties: { name: string } }) => feature.properties.name === '湖里区');
    const { rows: [shifted] } = await sql<{ shift_m: number }>`
      SELECT ST_Distance(ST_Centroid(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(plainHuli.geometry)}), 4490))::geography, ST_Centroid(geom)::geography) AS shift_m
      FROM districts WHERE code = '350206'`.execute(testApp.database.db);
    expect(shifted.shift_m).toBeGreaterThan(400);
    expect(shifted.shift_m).toBeLessThan(800);
    for (const id of [state.id, plain.id]) await surveyor.request({ method: 'DELETE', url: `/api/imports/${id}` });
  });
});

describe('a 裁剪 whose commit is refused, committed again with 跳过 by the administrator', () => {
  it('is undone: the features partly outside 湖里区 are written whole, as a 跳过 of the same file writes them', async () => {
    // The city's layer of 2015: the same file, 跳过 by the city surveyor.
    const city = await importFile(surveyor, 'fujian.zip', fujianZip(), { kind: 'survey', year: '2015', srid: '4490' });
    await answer(surveyor, city.id, { mapping: SURVEY_MAPPING });
    const first = await commit(surveyor, city.id, { outside: 'skip' });
    expect(first.statusCode, first.body).toBe(200);
    const areaOf = async (layerId: number) => (await sql<{ name: string; area: number }>`
      SELECT land_use_name AS name, area_m2 AS area FROM survey_patches WHERE layer_id = ${layerId} ORDER BY land_use_name`.execute(testApp.database.db)).rows;
    const whole = await areaOf(first.json().result.layerId);

    // The 湖里区 surveyor's 裁剪 cuts the staged features, then the commit is refused: only the whole city may replace the year's layer.
    const huli = await importFile(huliSurveyor, 'fujian.zip', fujianZip(), { kind: 'survey', year: '2015', srid: '4490' });
    await answer(huliSurveyor, huli.id, { mapping: SURVEY_MAPPING });
    const refused = await commit(huliSurveyor, huli.id, { outside: 'clip' });
    expect(refused.statusCode, refused.body).toBe(403);
    const table = (await testApp.app.importService.imports.find(huli.id))!.layers.find((layer) => layer.stagingTable)!.stagingTable!;
    const { rows: [cut] } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM ${sql.table(`staging.${table}`)} WHERE _clipped IS NOT NULL`.execute(testApp.database.db);
    expect(cut.count).toBeGreaterThan(0);

    // The administrator commits it with 跳过: nothing of the 湖里区 cut is left.
    const again = await commit(admin, huli.id, { outside: 'skip' });
    expect(again.statusCode, again.body).toBe(200);
    const written = await areaOf(again.json().result.layerId);
    expect(written.map((row) => row.name)).toEqual(whole.map((row) => row.name));
    for (const [index, row] of written.entries()) expect(row.area, row.name).toBeCloseTo(whole[index].area, 0);
  });
});
