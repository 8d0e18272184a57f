import fs from 'node:fs';
import path from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { sql } from 'kysely';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../server/config.js';
import { multipartBody } from '../helpers/multipart.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';
import { buildZip } from '../helpers/zip-writer.js';

const FIXTURES = path.join(REPOSITORY_ROOT, 'fixtures', 'imports');
const TESTDATA = path.resolve(REPOSITORY_ROOT, '../shared/testdata');

let testApp: TestApp;
let surveyor: Session;
beforeAll(async () => {
  testApp = await createTestApp();
  surveyor = await login(testApp.app, 'surveyor');
});
afterAll(async () => {
  await testApp.close();
});

async function upload(session: Session, file: string, fields: Record<string, string> = {}, content?: Buffer) {
  const body = multipartBody({ kind: 'survey', ...fields }, { name: path.basename(file), content: content ?? fs.readFileSync(file) });
  return session.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
}

/** Waits for the background reading to finish and answers the import's state. */
async function settled(id: string) {
  await testApp.app.importService.settled(id);
  const response = await surveyor.get(`/api/imports/${id}`);
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('importing a zipped 变更调查 shapefile (GBK without .cpg, EPSG:4527, files in a sub-folder, upper-case extensions)', () => {
  let id: string;

  it('reads it, detects GBK from the bytes and the CRS from the .prj, and reports each problem feature', async () => {
    const response = await upload(surveyor, path.join(FIXTURES, 'dltb-2023-gbk-4527.zip'), { year: '2023' });
    expect(response.statusCode).toBe(202);
    id = response.json().id;
    const state = await settled(id);
    expect(state.status).toBe('ready');
    expect(state.detected).toMatchObject({ srid: 4527, encoding: 'gbk' });
    expect(state.layers[0]).toMatchObject({ featureCount: 12, selected: true });
    expect(state.report).toMatchObject({ features: 12, rejected: 0 });
    expect(state.report.repaired).toBeGreaterThanOrEqual(2);
    expect(state.report.warnings.some((warning: { message: string }) => warning.message.includes('TBMJ'))).toBe(true);
    const messages = state.report.samples.flatMap((sample: { messages: string[] }) => sample.messages).join(' ');
    expect(messages).toContain('Self-intersection');
    expect(messages).toContain('重复节点');
    expect(state.report.samples.find((sample: { bsm: string }) => sample.bsm === '3502062023000004')).toBeDefined();
  });

  it('previews features in EPSG:4326 with decoded Chinese, ellipsoidal areas and per-feature status', async () => {
    const response = await surveyor.get(`/api/imports/${id}/features?pageSize=20`);
    expect(response.statusCode).toBe(200);
    const collection = response.json();
    expect(collection.total).toBe(12);
    const first = collection.features[0];
    expect(first.properties.DLMC).toBe('工业用地');
    expect(first.properties.ZLDWMC).toBe('湖里区禾山街道');
    expect(first.properties.status).toBe('valid');
    const [lon, lat] = first.geometry.coordinates[0][0][0];
    expect(lon).toBeCloseTo(118.08, 3);
    expect(lat).toBeCloseTo(24.5, 3);
    expect(Math.abs(first.properties.area_m2 - first.properties.TBMJ) / first.properties.TBMJ).toBeLessThan(1e-4);
    const hostile = collection.features.find((feature: { properties: { BZ: string | null } }) => feature.properties.BZ?.includes('DROP TABLE'));
    expect(hostile.properties.BZ).toBe("'; DROP TABLE parcels; -- <script>alert(1)</script>");
  });

  it('commits in one transaction as the 2023 survey layer, keeping every attribute', async () => {
    const response = await surveyor.request({ method: 'POST', url: `/api/imports/${id}/commit` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'committed', result: { kind: 'survey', year: 2023, features: 12 } });
    const { rows } = await sql<{ count: number; names: string[]; attributes: Record<string, unknown> }>`
      SELECT count(*)::int AS count, array_agg(DISTINCT land_use_name) AS names, (array_agg(attributes))[1] AS attributes
      FROM survey_patches p JOIN survey_layers l ON l.id = p.layer_id WHERE l.year = 2023 AND l.superseded_at IS NULL`.execute(testApp.database.db);
    expect(rows[0].count).toBe(12);
    expect(rows[0].names).toContain('工业用地');
    expect(rows[0].attributes).toHaveProperty('QSDWMC', '湖里区禾山街道');
    // The layer is listed, and drawn as tiles coloured by 一级类.
    const layers = (await surveyor.get('/api/survey-layers')).json();
    expect(layers.items.find((layer: { year: number; current: boolean }) => layer.year === 2023 && layer.current)).toMatchObject({ featureCount: 12, tileJson: '/tiles/survey-2023.json' });
    expect(layers.legend.find((entry: { code: string }) => entry.code === '06').label).toBe('工矿用地');
    const tile = await surveyor.get('/tiles/survey-2023/15/27132/14082.pbf');
    expect(tile.statusCode).toBe(200);
    const survey = new VectorTile(new PbfReader(tile.rawPayload)).layers.survey;
    const classes = new Set(Array.from({ length: survey.length }, (_, index) => survey.feature(index).properties.class));
    expect(classes.has('06')).toBe(true);
    // Below z14 the same layer is a grid: every 图斑 counted once, coloured by the dominant 一级类.
    const low = await surveyor.get('/tiles/survey-2023/10/847/440.pbf');
    expect(low.statusCode).toBe(200);
    const cells = new VectorTile(new PbfReader(low.rawPayload)).layers.survey_cells;
    expect(new VectorTile(new PbfReader(low.rawPayload)).layers.survey).toBeUndefined();
    const cellFeatures = Array.from({ length: cells.length }, (_, index) => cells.feature(index).properties);
    expect(cellFeatures.reduce((sum, cell) => sum + Number(cell.patches), 0)).toBe(12);
    for (const cell of cellFeatures) expect(classes.has(String(cell.class))).toBe(true);
    const prefix = `i${id.replace(/-/g, '').slice(0, 24)}%`;
    const { rows: staged } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM pg_tables WHERE schemaname = 'staging' AND tablename LIKE ${prefix}`.execute(testApp.database.db);
    expect(staged[0].count).toBe(0);
  });

  it('builds the low-zoom grid of the layer level by level, equal to grouping its 图斑 at every level directly', async () => {
    const { rows: [layer] } = await sql<{ id: number }>`SELECT id FROM survey_layers WHERE year = 2023 AND superseded_at IS NULL AND committed`.execute(testApp.database.db);
    const { rows: [difference] } = await sql<{ stored: number; direct: number; differing: number }>`
      WITH finest AS (
        SELECT cell_column((ST_XMin(geom_3857) + ST_XMax(geom_3857)) / 2, 18) AS cx, cell_row((ST_YMin(geom_3857) + ST_YMax(geom_3857)) / 2, 18) AS cy,
               CASE WHEN land_use_code ~ '^(0[0-9]|1[0-2])' THEN substr(land_use_code, 1, 2) ELSE 'xx' END AS class, area_m2
        FROM survey_patches WHERE layer_id = ${layer.id}),
      direct AS (
        SELECT 18 - k AS level, cx >> k AS cx, cy >> k AS cy, class, count(*)::int AS patches, round(sum(area_m2)::numeric, 3) AS area
        FROM finest, generate_series(0, 13) AS k GROUP BY 1, 2, 3, 4),
      stored AS (SELECT level::int, cx, cy, class, patches, round(area_m2::numeric, 3) AS area FROM survey_cells WHERE layer_id = ${layer.id})
      SELECT (SELECT count(*)::int FROM stored) AS stored, (SELECT count(*)::int FROM direct) AS direct,
             (SELECT count(*)::int FROM ((SELECT * FROM stored EXCEPT SELECT * FROM direct) UNION ALL (SELECT * FROM direct EXCEPT SELECT * FROM stored)) d) AS differing`.execute(testApp.database.db);
    expect(difference.stored).toBeGreaterThanOrEqual(14);
    expect(difference).toEqual({ stored: difference.direct, direct: difference.direct, differing: 0 });
  });

  it('supersedes the year on a re-import, keeping the old layer on record', async () => {
    const again = (await upload(surveyor, path.join(FIXTURES, 'dltb-2023-gbk-4527.zip'), { year: '2023' })).json().id;
    expect((await settled(again)).status).toBe('ready');
    const before = await sql<{ id: number }>`SELECT id FROM survey_layers WHERE year = 2023 AND superseded_at IS NULL`.execute(testApp.database.db);
    expect((await surveyor.request({ method: 'POST', url: `/api/imports/${again}/commit` })).statusCode).toBe(200);
    const { rows } = await sql<{ id: number; superseded_at: Date | null; superseded_by: number | null }>`
      SELECT id, superseded_at, superseded_by FROM survey_layers WHERE year = 2023 ORDER BY id`.execute(testApp.database.db);
    const old = rows.find((row) => row.id === before.rows[0].id)!;
    expect(old.superseded_at).not.toBeNull();
    expect(rows.filter((row) => row.superseded_at === null)).toHaveLength(1);
    const { rows: history } = await sql<{ action: string; actor: string }>`
      SELECT action, actor FROM history WHERE entity = 'survey_layers' ORDER BY id DESC LIMIT 1`.execute(testApp.database.db);
    expect(history[0]).toEqual({ action: 'import_commit', actor: 'surveyor' });
  });
});

describe('coordinate systems', () => {
  it('asks for the CRS when there is no .prj, proposing the zone from the 8-digit eastings', async () => {
    const id = (await upload(surveyor, path.join(FIXTURES, 'dltb-2023-no-prj.zip'))).json().id;
    const state = await settled(id);
    expect(state.status).toBe('needs-input');
    expect(state.needs).toMatchObject({ what: 'srid', proposal: 4527 });
    const answered = await surveyor.request({ method: 'POST', url: `/api/imports/${id}`, payload: { srid: 4527 } });
    expect(answered.statusCode).toBe(202);
    const ready = await settled(id);
    expect(ready.status).toBe('ready');
    expect(ready.report.features).toBe(12);
    expect((await surveyor.request({ method: 'DELETE', url: `/api/imports/${id}` })).statusCode).toBe(204);
    expect((await settled(id)).status).toBe('cancelled');
  });

  it('refuses 西安80 without transformation parameters, saying why', async () => {
    const id = (await upload(surveyor, path.join(FIXTURES, 'dltb-xian80.zip'))).json().id;
    const state = await settled(id);
    expect(state.status).toBe('refused');
    expect(state.error.reason).toBe('unsupported_crs');
    expect(state.error.message).toContain('西安');
  });
});

describe('encodings', () => {
  it('asks again when the chosen encoding reads nothing, proposing the one the bytes show', async () => {
    const id = (await upload(surveyor, path.join(FIXTURES, 'dltb-2023-gbk-4527.zip'), { year: '2023', encoding: 'utf-8' })).json().id;
    const state = await settled(id);
    expect(state.status).toBe('needs-input');
    expect(state.needs).toMatchObject({ what: 'encoding', proposal: 'gbk' });
    expect(state.needs.message).toContain('编码');
    await surveyor.request({ method: 'POST', url: `/api/imports/${id}`, payload: { encoding: 'gbk' } });
    const ready = await settled(id);
    expect(ready.status).toBe('ready');
    expect(ready.report.features).toBe(12);
    const features = (await surveyor.get(`/api/imports/${id}/features?pageSize=1`)).json();
    expect(features.features[0].properties.DLMC).toBe('工业用地');
    await surveyor.request({ method: 'DELETE', url: `/api/imports/${id}` });
  });
});

describe('部标 txt', () => {
  it('imports pengbu_BR-14 as one parcel with its planar and ellipsoidal areas', async () => {
    const file = path.join(TESTDATA, 'butiao-txt/qw-coordinatetools-pengbu/pengbu_BR-14.txt');
    const id = (await upload(surveyor, file, { kind: 'parcels' })).json().id;
    const state = await settled(id);
    expect(state.status).toBe('ready');
    expect(state.detected.srid).toBe(4528);
    const features = (await surveyor.get(`/api/imports/${id}/features`)).json();
    expect(features.total).toBe(1);
    expect(features.features[0].properties['平面面积m2']).toBeCloseTo(57089.5, 0);
    expect(features.features[0].properties['地块名称']).toBe('彭埠单元B/R-14地块');
    expect(state.layers[0].mapping['地块编号']).toBe('code');
    expect(features.features[0].properties.area_m2).toBeCloseTo(57088.89, 0);
    await surveyor.request({ method: 'DELETE', url: `/api/imports/${id}` });
  });
});

describe('permissions', () => {
  it.each(['planner', 'official', 'viewer'])('refuses an upload by a %s', async (username) => {
    const session = await login(testApp.app, username);
    const response = await upload(session, path.join(FIXTURES, 'dltb-2023-no-prj.zip'));
    expect(response.statusCode).toBe(403);
    expect(response.json().message).toContain('导入数据');
  });

  it.each(['admin', 'surveyor'])('accepts an upload by an %s, and every import route answers them', async (username) => {
    const session = username === 'surveyor' ? surveyor : await login(testApp.app, username);
    const response = await upload(session, path.join(FIXTURES, 'dltb-2023-no-prj.zip'));
    expect(response.statusCode).toBe(202);
    const id = response.json().id;
    await testApp.app.importService.settled(id);
    expect((await session.get('/api/imports')).statusCode).toBe(200);
    expect((await session.get(`/api/imports/${id}`)).statusCode).toBe(200);
    expect((await session.request({ method: 'POST', url: `/api/imports/${id}`, payload: { srid: 4527 } })).statusCode).toBe(202);
    await testApp.app.importService.settled(id);
    expect((await session.get(`/api/imports/${id}/features`)).statusCode).toBe(200);
    expect((await session.request({ method: 'DELETE', url: `/api/imports/${id}` })).statusCode).toBe(204);
  });

  it.each(['planner', 'official', 'viewer'])('refuses every import route to a %s', async (username) => {
    const session = await login(testApp.app, username);
    const someone = '00000000-0000-4000-8000-0000000000aa';
    for (const [method, url] of [['GET', '/api/imports'], ['GET', `/api/imports/${someone}`], ['POST', `/api/imports/${someone}/commit`], ['DELETE', `/api/imports/${someone}`], ['GET', `/api/imports/${someone}/features`]] as const) {
      const response = await session.request({ method, url });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
  });

  it('keeps one surveyor’s import out of another user’s reach', async () => {
    const id = (await upload(surveyor, path.join(FIXTURES, 'dltb-2023-no-prj.zip'))).json().id;
    await settled(id);
    const admin = await login(testApp.app, 'admin');
    expect((await admin.get(`/api/imports/${id}`)).statusCode).toBe(200);
    const planner = await login(testApp.app, 'planner');
    expect((await planner.get(`/api/imports/${id}`)).statusCode).toBe(403);
    await surveyor.request({ method: 'DELETE', url: `/api/imports/${id}` });
  });
});

describe('Chinese text in the shared test data', () => {
  it('reads the UTF-8 district names of ChinaAdminDivisonSHP (no .cpg, no .prj) without garbling', async () => {
    const folder = path.join(TESTDATA, 'ChinaAdminDivisonSHP/old_776a2f1_noprj');
    const entries = ['福建省.shp', '福建省.shx', '福建省.dbf'].map((file) => ({ name: file, content: fs.readFileSync(path.join(folder, file)) }));
    const id = (await upload(surveyor, 'fujian.zip', { kind: 'survey', year: '2016' }, buildZip(entries))).json().id;
    const asked = await settled(id);
    expect(asked.status).toBe('needs-input');
    expect(asked.needs).toMatchObject({ what: 'srid', proposal: 4490 });
    expect(asked.layers[0].encoding.encoding).toBe('utf-8');
    await surveyor.request({ method: 'POST', url: `/api/imports/${id}`, payload: { srid: 4490 } });
    expect((await settled(id)).status).toBe('ready');
    const features = (await surveyor.get(`/api/imports/${id}/features?pageSize=200`)).json();
    const names = features.features.map((feature: { properties: { name: string } }) => feature.properties.name);
    expect(names).toEqual(expect.arrayContaining(['思明区', '湖里区', '鼓楼区']));
    await surveyor.request({ method: 'DELETE', url: `/api/imports/${id}` });
  });
});

describe('after a restart', () => {
  it('fails imports that were cut off, removes pending survey layers and cancels imports left waiting', async () => {
    const db = testApp.database.db;
    const cutOff = '00000000-0000-4000-8000-000000000001';
    const waiting = '00000000-0000-4000-8000-000000000002';
    await sql`INSERT INTO imports (id, kind, file_name, status, phase, created_by, updated_at) VALUES (${cutOff}, 'survey', 'a.zip', 'processing', 'read', 'surveyor', now() - interval '5 minutes')`.execute(db);
    await sql`INSERT INTO imports (id, kind, file_name, status, phase, created_by, updated_at) VALUES (${waiting}, 'survey', 'b.zip', 'ready', 'validate', 'surveyor', now() - interval '10 days')`.execute(db);
    const { rows: [pending] } = await sql<{ id: number }>`
      INSERT INTO survey_layers (year, layer_name, feature_count, imported_by, committed, imported_at) VALUES (2001, 'DLTB', 0, 'surveyor', false, now() - interval '5 minutes') RETURNING id`.execute(db);
    // The states, not the counts: another test file's sweep over the same database may get there first.
    await testApp.app.importService.recoverInterrupted(7);
    const states = (await sql<{ id: string; status: string; reason: string }>`
      SELECT id, status, error ->> 'reason' AS reason FROM imports WHERE id IN (${cutOff}, ${waiting}) ORDER BY id`.execute(db)).rows;
    expect(states).toEqual([{ id: cutOff, status: 'failed', reason: 'interrupted' }, { id: waiting, status: 'cancelled', reason: 'expired' }]);
    const { rows: left } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM survey_layers WHERE id = ${pending.id}`.execute(db);
    expect(left[0].count).toBe(0);
  });
});
