import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistrictStats } from '../../domain/api/districts.schemas.js';
import { LegacyLandDetail, LegacyLandImportResult, LegacyLandList } from '../../domain/api/legacy-land.schemas.js';
import { ProblemDetail, ProblemList } from '../../domain/api/problems.schemas.js';
import { StockListVersions } from '../../domain/api/stock-lists.schemas.js';
import { LAND_CATEGORY_CODES } from '../../domain/land-categories.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { multipartBody } from '../helpers/multipart.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';
import { buildZip } from '../helpers/zip-writer.js';

/**
 * 两库一清单 (issue 18 items 1–3): 低效用地类别 on parcels and in the figures, the 历史遗留用地数据库
 * (state machine, scope, map layer, import through the import reader) and the 问题清单 (numbers,
 * state machine, counts per department and overdue, Excel).
 */
let testApp: TestApp;
let admin: Session;
let surveyor: Session;
let official: Session;
let planner: Session;
let huliSurveyor: Session;
const HULI = '350206';
const SIMING = '350203';

/** A small square (about 60 m) around a point of the district that no parcel covers. */
async function freeSquare(district: string, offset = 0): Promise<{ type: 'Polygon'; coordinates: number[][][] }> {
  const { rows: [point] } = await sql<{ lon: number; lat: number }>`
    WITH candidates AS (
      SELECT (ST_Dump(ST_GeneratePoints(d.geom, 200, ${7 + offset}))).geom AS p FROM districts d WHERE d.code = ${district}
    )
    SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM candidates c
    WHERE NOT EXISTS (SELECT 1 FROM parcels x WHERE x.geom && ST_Expand(c.p, 0.001) AND ST_DWithin(x.geom::geography, c.p::geography, 80))
      AND NOT EXISTS (SELECT 1 FROM legacy_lands l WHERE l.geom && ST_Expand(c.p, 0.001) AND ST_DWithin(l.geom::geography, c.p::geography, 80))
      AND ST_Within(ST_Expand(c.p, 0.001), (SELECT geom FROM districts WHERE code = ${district}))
    ORDER BY ST_X(p) LIMIT 1`.execute(testApp.database.db);
  const d = 0.0003;
  return { type: 'Polygon', coordinates: [[[point.lon - d, point.lat - d], [point.lon + d, point.lat - d], [point.lon + d, point.lat + d], [point.lon - d, point.lat + d], [point.lon - d, point.lat - d]]] };
}

beforeAll(async () => {
  testApp = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '600' });
  admin = await login(testApp.app, 'admin');
  surveyor = await login(testApp.app, 'surveyor');
  official = await login(testApp.app, 'official');
  planner = await login(testApp.app, 'planner');
  const username = `stock-huli-${process.pid}`;
  const created = await admin.request({ method: 'POST', url: '/api/admin/users', payload: { username, displayName: '湖里调查员', role: 'surveyor', scopes: [HULI], password: 'Stock-initial-2026' } });
  expect(created.statusCode, created.body).toBe(201);
  const first = await login(testApp.app, username, 'Stock-initial-2026');
  await first.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'Stock-initial-2026', newPassword: 'Stock-final-2026' } });
  huliSurveyor = await login(testApp.app, username, 'Stock-final-2026');
}, 120_000);
afterAll(async () => {
  await testApp?.close();
});

describe('低效用地类别 (item 1)', () => {
  it('gives the demo city every category, industrial land 低效工业 reported by 产促局, housing with its kind and 住建委', async () => {
    const { rows } = await sql<{ category: string | null; unit: string | null; count: number }>`
      SELECT land_category AS category, reporting_unit AS unit, count(*)::int AS count FROM parcels WHERE code LIKE '3502%-%' GROUP BY 1, 2`.execute(testApp.database.db);
    const categories = new Set(rows.map((row) => row.category));
    for (const code of LAND_CATEGORY_CODES) expect(categories, code).toContain(code);
    expect(rows.find((row) => row.category === 'industrial' && row.unit === 'chancu')!.count).toBeGreaterThan(1000);
    expect(rows.some((row) => row.category === 'industrial' && row.unit === 'guozi')).toBe(true);
    expect(rows.filter((row) => row.category === 'residential').every((row) => row.unit === 'zhujian')).toBe(true);
    const { rows: [mismatch] } = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM parcels WHERE land_category = 'industrial' AND NOT (land_use_code LIKE '06%' OR land_use_code IN ('0508', '100104'))`.execute(testApp.database.db);
    expect(mismatch.count).toBe(0);
    const { rows: [housing] } = await sql<{ kinds: number; permits: number }>`
      SELECT count(DISTINCT residential_kind)::int AS kinds, count(construction_permits)::int AS permits FROM parcels WHERE land_category = 'residential'`.execute(testApp.database.db);
    expect(housing.kinds).toBe(3);
    expect(housing.permits).toBeGreaterThan(0);
  });

  it('counts parcels and areas per category in the district figures, tying out with the parcels (city, district, children)', async () => {
    const city = (await admin.get('/api/districts/350200/stats')).json();
    assertMatchesContract(DistrictStats, city);
    const sum = (figures: { count: number; areaM2: number }[]) => figures.reduce((total, figure) => ({ count: total.count + figure.count, areaM2: total.areaM2 + figure.areaM2 }), { count: 0, areaM2: 0 });
    expect(sum(city.byCategory).count).toBe(city.parcelCount);
    expect(sum(city.byCategory).areaM2).toBeCloseTo(city.areaM2, 0);
    const { rows } = await sql<{ category: string; count: number; area: number }>`
      SELECT coalesce(land_category, 'none') AS category, count(*)::int AS count, sum(area_m2)::float8 AS area FROM parcels GROUP BY 1`.execute(testApp.database.db);
    for (const row of rows) {
      const figure = city.byCategory.find((entry: { category: string }) => entry.category === row.category);
      expect(figure.count, row.category).toBe(row.count);
      expect(figure.areaM2).toBeCloseTo(row.area, 0);
    }
    const huli = (await admin.get(`/api/districts/${HULI}/stats`)).json();
    for (const category of huli.byCategory) {
      const children = huli.children.reduce((total: number, child: { byCategory: { category: string; count: number }[] }) => total + child.byCategory.find((entry) => entry.category === category.category)!.count, 0);
      expect(children, category.category).toBe(category.count);
    }
  });

  it('filters the parcel table by category and carries it on the card, editable by surveyors only', async () => {
    const summary = await admin.request({ method: 'POST', url: '/api/parcels/table/summary', payload: { filter: { district: HULI, category: 'residential' } } });
    expect(summary.statusCode, summary.body).toBe(200);
    const { rows: [expected] } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM parcels WHERE district_code = ${HULI} AND land_category = 'residential'`.execute(testApp.database.db);
    expect(summary.json().count).toBe(expected.count);
    const bad = await admin.request({ method: 'POST', url: '/api/parcels/table/summary', payload: { filter: { category: 'shops' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().parameter).toContain('category');

    const { rows: [parcel] } = await sql<{ id: number; version: number }>`
      SELECT id::int AS id, version FROM parcels WHERE district_code = ${HULI} AND land_category = 'industrial' AND status = 'efficient' ORDER BY md5(code) LIMIT 1 OFFSET 17`.execute(testApp.database.db);
    const card = (await surveyor.get(`/api/parcels/${parcel.id}`)).json();
    expect(card).toMatchObject({ landCategory: 'industrial', reportingUnit: expect.any(String) });
    const refused = await planner.request({ method: 'PATCH', url: `/api/parcels/${parcel.id}`, payload: { expectedVersion: card.version, landCategory: 'commercial' } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toContain('低效用地类别');
    const changed = await surveyor.request({ method: 'PATCH', url: `/api/parcels/${parcel.id}`, payload: { expectedVersion: card.version, landCategory: 'commercial', reportingUnit: 'jiedao' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ landCategory: 'commercial', reportingUnit: 'jiedao' });
    const { rows: [entry] } = await sql<{ before: { land_category: string }; after: { land_category: string } }>`
      SELECT before, after FROM history WHERE entity = 'parcels' AND entity_id = ${String(parcel.id)} ORDER BY id DESC LIMIT 1`.execute(testApp.database.db);
    expect([entry.before.land_category, entry.after.land_category]).toEqual(['industrial', 'commercial']);
  });
});

describe('历史遗留用地数据库 (item 2)', () => {
  it('has the demo city\'s records in every state, with their 图斑 and steps', async () => {
    const list = (await admin.get('/api/legacy-lands?pageSize=200')).json();
    assertMatchesContract(LegacyLandList, list);
    expect(list.total).toBeGreaterThanOrEqual(12);
    for (const status of list.byStatus) expect(status.count, status.code).toBeGreaterThan(0);
    const disposed = list.items.find((item: { status: string; source: string }) => item.status === 'disposed' && item.source === 'demo');
    const detail = (await admin.get(`/api/legacy-lands/${disposed.id}`)).json();
    expect(detail.steps.map((step: { to: string }) => step.to)).toEqual(['confirmed', 'disposing', 'disposed']);
    expect(detail).toMatchObject({ surveyYear: expect.any(Number), surveyBsm: expect.any(String), periodLabel: expect.any(String) });
  });

  it('takes a drawn record 待认定 → 已认定 → 处置中 → 已处置, refusing other steps with 409 naming the allowed ones, recording who, when and why', async () => {
    const geometry = await freeSquare(HULI);
    const bad = await surveyor.request({ method: 'POST', url: '/api/legacy-lands', payload: { currentUse: '厂房', period: 'ming_dynasty', geometry } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ parameter: 'period' });
    expect(bad.json().message).toContain('二调');
    const created = await surveyor.request({ method: 'POST', url: '/api/legacy-lands', payload: { currentUse: '厂房', period: '2nd_to_3rd', surveyYear: 2022, surveyBsm: '3502062022000001', geometry } });
    expect(created.statusCode, created.body).toBe(201);
    const record = created.json();
    assertMatchesContract(LegacyLandDetail, record);
    expect(record).toMatchObject({ status: 'pending', districtCode: HULI, nextStatuses: ['confirmed'] });
    expect(record.number).toMatch(new RegExp(`^${HULI}-LS-\\d{4}-\\d{4}$`));
    const { rows: [area] } = await sql<{ area: number }>`SELECT ST_Area(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4490)::geography) AS area`.execute(testApp.database.db);
    expect(record.areaM2).toBeCloseTo(area.area, 3);

    const bySurveyor = await surveyor.request({ method: 'POST', url: `/api/legacy-lands/${record.id}/status`, payload: { status: 'confirmed', reason: '自认定', expectedVersion: record.version } });
    expect(bySurveyor.statusCode).toBe(403);
    const skip = await official.request({ method: 'POST', url: `/api/legacy-lands/${record.id}/status`, payload: { status: 'disposed', reason: '跳步', expectedVersion: record.version } });
    expect(skip.statusCode).toBe(409);
    expect(skip.json()).toMatchObject({ error: 'invalid_transition', allowed: ['confirmed'] });
    expect(skip.json().message).toContain('已认定');
    let version = record.version;
    for (const [status, reason] of [['confirmed', '区政府会议纪要〔2026〕3号'], ['disposing', '处置方案已批复'], ['disposed', '已补办出让手续']]) {
      const moved = await official.request({ method: 'POST', url: `/api/legacy-lands/${record.id}/status`, payload: { status, reason, expectedVersion: version } });
      expect(moved.statusCode, moved.body).toBe(200);
      version = moved.json().version;
      if (status === 'confirmed') {
        const shape = await surveyor.request({ method: 'PATCH', url: `/api/legacy-lands/${record.id}`, payload: { geometry: await freeSquare(HULI, 1), expectedVersion: version } });
        expect(shape.statusCode).toBe(409);
        const policy = await surveyor.request({ method: 'PATCH', url: `/api/legacy-lands/${record.id}`, payload: { disposalPolicy: '完善手续后补办出让', expectedVersion: version } });
        expect(policy.statusCode, policy.body).toBe(200);
        version = policy.json().version;
        const stale = await surveyor.request({ method: 'PATCH', url: `/api/legacy-lands/${record.id}`, payload: { note: '旧版本', expectedVersion: version - 1 } });
        expect(stale.statusCode).toBe(409);
        expect(stale.json().error).toBe('stale_version');
      }
    }
    const final = (await official.get(`/api/legacy-lands/${record.id}`)).json();
    expect(final.nextStatuses).toEqual([]);
    expect(final.steps).toEqual([
      expect.objectContaining({ from: 'pending', to: 'confirmed', reason: '区政府会议纪要〔2026〕3号', actor: 'official' }),
      expect.objectContaining({ from: 'confirmed', to: 'disposing', actor: 'official' }),
      expect.objectContaining({ from: 'disposing', to: 'disposed', reason: '已补办出让手续' }),
    ]);
    const after = await official.request({ method: 'POST', url: `/api/legacy-lands/${record.id}/status`, payload: { status: 'pending', reason: '重来', expectedVersion: final.version } });
    expect(after.statusCode).toBe(409);
    expect(after.json().message).toContain('已处置');
    const { rows: history } = await sql<{ actor: string; entity: string }>`
      SELECT actor, entity FROM history WHERE (entity = 'legacy_lands' AND entity_id = ${String(record.id)}) OR (entity = 'legacy_land_steps' AND entity_id = ${String(record.id)})`.execute(testApp.database.db);
    expect(history.filter((entry) => entry.entity === 'legacy_land_steps')).toHaveLength(3);
    expect(history.map((entry) => entry.actor)).toEqual(expect.arrayContaining(['surveyor', 'official']));
  });

  it('keeps to the writer\'s and reader\'s districts (Scope): no record drawn in another district, none read there', async () => {
    const outside = await huliSurveyor.request({ method: 'POST', url: '/api/legacy-lands', payload: { currentUse: '仓储', period: 'after_3rd', geometry: await freeSquare(SIMING) } });
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toMatchObject({ error: 'out_of_scope', district: { code: SIMING } });
    const inside = await huliSurveyor.request({ method: 'POST', url: '/api/legacy-lands', payload: { currentUse: '仓储', period: 'after_3rd', geometry: await freeSquare(HULI, 2) } });
    expect(inside.statusCode, inside.body).toBe(201);
    const list = (await huliSurveyor.get('/api/legacy-lands?pageSize=200')).json();
    expect(list.items.every((item: { districtCode: string }) => item.districtCode === HULI)).toBe(true);
    const { rows: [siming] } = await sql<{ id: number }>`SELECT id::int AS id FROM legacy_lands WHERE district_code = ${SIMING} LIMIT 1`.execute(testApp.database.db);
    expect((await huliSurveyor.get(`/api/legacy-lands/${siming.id}`)).statusCode).toBe(403);
    const { rows: [box] } = await sql<{ box: string }>`SELECT concat_ws(',', ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)) AS box FROM (SELECT ST_Extent(geom) AS e FROM legacy_lands) s`.execute(testApp.database.db);
    const features = (await huliSurveyor.get(`/api/legacy-lands/features?bbox=${box.box}`)).json();
    expect(features.features.length).toBeGreaterThan(0);
    expect(features.features.every((feature: { properties: { number: string } }) => feature.properties.number.startsWith(HULI))).toBe(true);
    const cityFeatures = (await admin.get(`/api/legacy-lands/features?bbox=${box.box}`)).json();
    expect(cityFeatures.features.length).toBeGreaterThan(features.features.length);
    expect((await admin.get('/api/legacy-lands/features?bbox=1,2,0,3')).json()).toMatchObject({ parameter: 'bbox' });
  });

  it('imports a Shapefile (zip, GBK, .prj) and a GeoJSON through the import reader, leaving out what cannot be recorded', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'legacy-fixture-'));
    try {
      const inside = await freeSquare(HULI, 3);
      const alsoInside = await freeSquare(HULI, 4);
      const outside = await freeSquare(SIMING, 5);
      const collection = {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { BSM: '3502062022000777', SJNF: 2022, XZYT: '村办厂房', FSSQ: '二调前', MC: '后坑村厂房' }, geometry: inside },
          { type: 'Feature', properties: { BSM: '3502062022000778', SJNF: 2022, DLMC: '仓储用地', FSSQ: 'after_3rd' }, geometry: alsoInside },
          { type: 'Feature', properties: { BSM: '3502032022000779', SJNF: 2022, XZYT: '商铺', FSSQ: '三调后' }, geometry: outside },
          { type: 'Feature', properties: { BSM: '3502062022000780', SJNF: 2022, FSSQ: '三调后' }, geometry: inside },
        ],
      };
      const geojsonFile = path.join(work, 'legacy.geojson');
      fs.writeFileSync(geojsonFile, JSON.stringify(collection));
      // A real Shapefile in GBK with its .prj (CGCS2000), written by GDAL and zipped.
      execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', path.join(work, '遗留用地.shp'), geojsonFile, '-a_srs', 'EPSG:4490', '-lco', 'ENCODING=GBK']);
      const zip = buildZip(['shp', 'shx', 'dbf', 'prj', 'cpg'].filter((extension) => fs.existsSync(path.join(work, `遗留用地.${extension}`))).map((extension) => ({ name: `遗留用地.${extension}`, content: fs.readFileSync(path.join(work, `遗留用地.${extension}`)) })));
      const body = multipartBody({}, { name: '遗留用地.zip', content: zip });
      const response = await huliSurveyor.request({ method: 'POST', url: '/api/legacy-lands/import', payload: body.payload, headers: body.headers });
      expect(response.statusCode, response.body).toBe(200);
      const result = response.json();
      assertMatchesContract(LegacyLandImportResult, result);
      expect(result.created, JSON.stringify(result)).toBe(2);
      expect(result.skipped).toEqual([
        { feature: 3, reason: expect.stringContaining('不在您的管辖范围内') },
        { feature: 4, reason: expect.stringContaining('缺少现状用途') },
      ]);
      const first = (await huliSurveyor.get(`/api/legacy-lands/${result.ids[0]}`)).json();
      expect(first).toMatchObject({ surveyBsm: '3502062022000777', surveyYear: 2022, currentUse: '村办厂房', period: 'before_2nd', name: '后坑村厂房', source: 'imported', status: 'pending' });
      const second = (await huliSurveyor.get(`/api/legacy-lands/${result.ids[1]}`)).json();
      expect(second).toMatchObject({ currentUse: '仓储用地', period: 'after_3rd' });

      const plain = multipartBody({ period: 'after_3rd', surveyYear: '2023' }, { name: 'legacy.geojson', content: Buffer.from(JSON.stringify({ ...collection, features: [{ ...collection.features[1], properties: { XZYT: '堆场' } }] })) });
      const fromGeojson = await huliSurveyor.request({ method: 'POST', url: '/api/legacy-lands/import', payload: plain.payload, headers: plain.headers });
      expect(fromGeojson.statusCode, fromGeojson.body).toBe(200);
      expect(fromGeojson.json()).toMatchObject({ created: 1, skipped: [] });
      expect((await huliSurveyor.get(`/api/legacy-lands/${fromGeojson.json().ids[0]}`)).json()).toMatchObject({ surveyYear: 2023, period: 'after_3rd', currentUse: '堆场' });

      const badPeriod = multipartBody({ period: '宋朝' }, { name: 'legacy.geojson', content: fs.readFileSync(geojsonFile) });
      const refused = await huliSurveyor.request({ method: 'POST', url: '/api/legacy-lands/import', payload: badPeriod.payload, headers: badPeriod.headers });
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ parameter: 'period' });
      const byPlanner = await planner.request({ method: 'POST', url: '/api/legacy-lands/import', payload: plain.payload, headers: plain.headers });
      expect(byPlanner.statusCode).toBe(403);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('keeps the 发生时期 list as versioned data with its source; a new version may not drop a code', async () => {
    const lists = (await planner.get('/api/stock-lists/legacy_period')).json();
    assertMatchesContract(StockListVersions, lists);
    expect(lists.current).toMatchObject({ version: expect.any(Number), localRule: true, source: expect.stringContaining('根据全国国土调查结果') });
    const items = lists.current.items;
    expect((await planner.request({ method: 'PUT', url: '/api/stock-lists/legacy_period', payload: { items, source: 'x', localRule: true } })).statusCode).toBe(403);
    const dropped = await admin.request({ method: 'PUT', url: '/api/stock-lists/legacy_period', payload: { items: items.slice(1), source: '删一项', localRule: true } });
    expect(dropped.statusCode).toBe(400);
    expect(dropped.json()).toMatchObject({ parameter: 'items' });
    const revised = await admin.request({ method: 'PUT', url: '/api/stock-lists/legacy_period', payload: { items: [...items, { code: 'unknown', label: '时期不明' }], source: '本地规则：补充“时期不明”', localRule: true } });
    expect(revised.statusCode, revised.body).toBe(200);
    expect(revised.json().version).toBe(lists.current.version + 1);
  });
});

describe('问题清单 (item 3)', () => {
  it('has the demo city\'s problems, some overdue, counted per department', async () => {
    const list = (await admin.get('/api/problems?pageSize=500')).json();
    assertMatchesContract(ProblemList, list);
    expect(list.total).toBeGreaterThanOrEqual(15);
    expect(list.overdue).toBeGreaterThan(0);
    expect(list.byDepartment.reduce((sum: number, entry: { total: number }) => sum + entry.total, 0)).toBe(list.total);
  });

  it('numbers problems per district and year, moves them 待办 → 办理中 → 已解决 with outcome, refuses other steps, counts overdue and exports Excel', async () => {
    const { rows: parcels } = await sql<{ id: number }>`SELECT id::int AS id FROM parcels WHERE district_code = ${HULI} ORDER BY id DESC LIMIT 2`.execute(testApp.database.db);
    const { rows: [siming] } = await sql<{ id: number }>`SELECT id::int AS id FROM parcels WHERE district_code = ${SIMING} LIMIT 1`.execute(testApp.database.db);
    const base = { districtCode: HULI, category: 'ownership', title: '测试：权属纠纷', description: '抵押查封', ownerRequest: '协调解封', department: 'shangwu' };
    const badCategory = await surveyor.request({ method: 'POST', url: '/api/problems', payload: { ...base, category: 'weather' } });
    expect(badCategory.statusCode).toBe(400);
    expect(badCategory.json().parameter).toBe('category');
    const badDepartment = await surveyor.request({ method: 'POST', url: '/api/problems', payload: { ...base, department: 'police' } });
    expect(badDepartment.statusCode).toBe(400);
    expect(badDepartment.json().parameter).toContain('department');
    const foreignParcel = await surveyor.request({ method: 'POST', url: '/api/problems', payload: { ...base, parcelIds: [siming.id] } });
    expect(foreignParcel.statusCode).toBe(400);
    expect(foreignParcel.json().parameter).toBe('parcelIds');
    const outOfScope = await huliSurveyor.request({ method: 'POST', url: '/api/problems', payload: { ...base, districtCode: SIMING } });
    expect(outOfScope.statusCode).toBe(403);
    expect(outOfScope.json().error).toBe('out_of_scope');

    const overdue = await surveyor.request({ method: 'POST', url: '/api/problems', payload: { ...base, dueDate: '2020-01-01', parcelIds: parcels.map((row) => row.id) } });
    expect(overdue.statusCode, overdue.body).toBe(201);
    const later = await surveyor.request({ method: 'POST', url: '/api/problems', payload: { ...base, title: '测试：未到期', dueDate: '2999-01-01' } });
    const [one, two] = [overdue.json(), later.json()];
    assertMatchesContract(ProblemDetail, one);
    const sequence = (number: string) => Number(number.split('-').at(-1));
    expect(one.number).toMatch(new RegExp(`^${HULI}-WT-\\d{4}-\\d{4}$`));
    expect(sequence(two.number)).toBe(sequence(one.number) + 1);
    expect(one).toMatchObject({ status: 'open', overdue: true, departmentName: '区商务局', categoryLabel: expect.stringContaining('权属'), parcels: parcels.map((row) => ({ id: row.id, code: expect.any(String) })) });
    expect(two.overdue).toBe(false);

    const before = (await surveyor.get('/api/problems?department=shangwu&district=350206')).json();
    // Counts per department over the other filters: 商务局's own row is the filtered list's.
    expect(before.byDepartment).toContainEqual(expect.objectContaining({ department: 'shangwu', total: before.total, overdue: before.overdue }));
    expect(before.overdue).toBeGreaterThanOrEqual(1);
    const onlyOverdue = (await surveyor.get('/api/problems?department=shangwu&overdue=true')).json();
    expect(onlyOverdue.items.every((item: { overdue: boolean }) => item.overdue)).toBe(true);
    expect(onlyOverdue.items.map((item: { id: number }) => item.id)).toContain(one.id);

    const jump = await official.request({ method: 'POST', url: `/api/problems/${one.id}/status`, payload: { status: 'resolved', note: '跳步', expectedVersion: one.version } });
    expect(jump.statusCode).toBe(409);
    expect(jump.json()).toMatchObject({ error: 'invalid_transition', allowed: ['working', 'unresolvable'] });
    expect(jump.json().message).toContain('办理中');
    const working = await official.request({ method: 'POST', url: `/api/problems/${one.id}/status`, payload: { status: 'working', note: '已交办商务局', expectedVersion: one.version } });
    expect(working.statusCode, working.body).toBe(200);
    const noOutcome = await official.request({ method: 'POST', url: `/api/problems/${one.id}/status`, payload: { status: 'resolved', expectedVersion: working.json().version } });
    expect(noOutcome.statusCode).toBe(400);
    expect(noOutcome.json().parameter).toBe('note');
    const viewer = await login(testApp.app, 'viewer');
    expect((await viewer.request({ method: 'POST', url: `/api/problems/${one.id}/status`, payload: { status: 'resolved', note: 'x', expectedVersion: working.json().version } })).statusCode).toBe(403);
    const resolved = await official.request({ method: 'POST', url: `/api/problems/${one.id}/status`, payload: { status: 'resolved', note: '法院已解除查封', expectedVersion: working.json().version } });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', outcome: '法院已解除查封', overdue: false, nextStatuses: ['working'] });
    expect(resolved.json().steps).toEqual([
      expect.objectContaining({ from: 'open', to: 'working', note: '已交办商务局', actor: 'official' }),
      expect.objectContaining({ from: 'working', to: 'resolved', note: '法院已解除查封' }),
    ]);
    const after = (await surveyor.get('/api/problems?department=shangwu&district=350206')).json();
    expect(after.overdue).toBe(before.overdue - 1);

    const file = await surveyor.get('/api/problems/export.xlsx?department=shangwu&district=350206');
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain('attachment');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.rawPayload as never);
    const sheet = workbook.getWorksheet('问题清单')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('编号');
    const rows: Record<string, unknown>[] = [];
    const headers = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    sheet.eachRow((row, index) => { if (index > 1) rows.push(Object.fromEntries(headers.map((header, column) => [header, row.getCell(column + 1).value]))); });
    expect(rows).toHaveLength(after.total);
    const exported = rows.find((row) => row['编号'] === one.number)!;
    expect(exported).toMatchObject({ 状态: '已解决', 责任部门: '区商务局', 办理结果: '法院已解除查封', 盘活诉求: '协调解封' });
    expect(String(exported['关联地块'])).toContain('-');
    const pending = rows.find((row) => row['编号'] === two.number)!;
    expect(pending['办结时限']).toBeInstanceOf(Date);
    const counts = workbook.getWorksheet('按部门统计')!;
    expect(counts.getRow(2).values).toEqual([undefined, '区商务局', after.total, expect.any(Number), after.overdue, expect.any(Number), expect.any(Number)]);
    const { rows: [audit] } = await sql<{ actor: string }>`SELECT actor FROM history WHERE entity = 'stock_problems' AND action = 'export' ORDER BY id DESC LIMIT 1`.execute(testApp.database.db);
    expect(audit.actor).toBe('surveyor');
  });

  it('keeps the demo reload\'s promise: the tables are emptied with the parcels (TRUNCATE list names them)', async () => {
    const source = fs.readFileSync(path.resolve(__dirname, '../../server/demo/demo-city.ts'), 'utf8');
    for (const table of ['legacy_lands', 'legacy_land_steps', 'stock_problems', 'stock_problem_steps', 'stock_counters']) expect(source).toMatch(new RegExp(`TRUNCATE [^']*\\b${table}\\b`));
  });
});
