import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { BoundariesProposal, ParcelYearlyFigures } from '../../domain/api/parcel-card.schemas.js';
import { ParcelDetail } from '../../domain/api/parcels.schemas.js';
import { PARCEL_FIELDS } from '../../domain/parcel-fields.js';
import { todayInChina } from '../../domain/parcel-card-validation.js';
import { squareMetresToMu } from '../../domain/units.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * The whole 一宗一卡 (issue 15 item 1): every field of seed 003 附件1/附件4 accepted within its range
 * and refused outside it with the field named, dates in order against the stored values, the
 * yearly series with its 近三年 figures, the 四至 proposed from real neighbouring geometry, and
 * history for every edit.
 */

let testApp: TestApp;
let surveyor: Session;
let viewer: Session;
const PREFIX = `T15CARD-${process.pid}`;
/** Test parcels, metres from an empty spot of 湖里区: the card's parcel C and its neighbours. */
const ids: Record<'centre' | 'east' | 'north' | 'west' | 'farWest' | 'south', number> = { centre: 0, east: 0, north: 0, west: 0, farWest: 0, south: 0 };

/** A rectangle [x0, y0]–[x1, y1] in metres from (lon, lat), as CGCS2000 WKT. */
function rectangle(origin: { lon: number; lat: number }, x0: number, y0: number, x1: number, y1: number): string {
  const perLon = 111320 * Math.cos((origin.lat * Math.PI) / 180);
  const perLat = 110750;
  const at = (x: number, y: number) => `${(origin.lon + x / perLon).toFixed(9)} ${(origin.lat + y / perLat).toFixed(9)}`;
  return `MULTIPOLYGON(((${at(x0, y0)}, ${at(x1, y0)}, ${at(x1, y1)}, ${at(x0, y1)}, ${at(x0, y0)})))`;
}

async function insertParcel(origin: { lon: number; lat: number }, code: string, owner: string | null, box: [number, number, number, number], extra: Record<string, unknown> = {}): Promise<number> {
  const row = await testApp.database.db.insertInto('parcels').values({
    code: `${PREFIX}-${code}`, district_code: '350206', owner, status: 'suspected', updated_by: 'test',
    geom: sql<string>`ST_GeomFromText(${rectangle(origin, ...box)}, 4490)` as never, ...extra,
  } as never).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

async function detail(id: number): Promise<ParcelDetail & { version?: number }> {
  const response = await surveyor.get(`/api/parcels/${id}`);
  expect(response.statusCode).toBe(200);
  return response.json();
}

/** A PATCH as the card sends it: with the version it started from once parcels carry one (issue 15 item 6). */
async function patch(id: number, body: Record<string, unknown> | string, session = surveyor) {
  const current = await detail(id);
  const version = typeof current.version === 'number' ? { expectedVersion: current.version } : {};
  const payload = typeof body === 'string' ? body.replace(/^\{/, `{${version.expectedVersion === undefined ? '' : `"expectedVersion":${version.expectedVersion},`}`) : { ...body, ...version };
  return session.request({ method: 'PATCH', url: `/api/parcels/${id}`, payload, headers: { 'content-type': 'application/json' } });
}

beforeAll(async () => {
  testApp = await createTestApp();
  surveyor = await login(testApp.app, 'surveyor');
  viewer = await login(testApp.app, 'viewer');
  // An empty spot of 湖里区: no parcel within ~400 m, so the neighbours are the test's own.
  const { rows: [spot] } = await sql<{ lon: number; lat: number }>`
    SELECT x AS lon, y AS lat
    FROM districts d, generate_series(1, 59) i, generate_series(1, 59) j,
         LATERAL (SELECT ST_XMin(d.geom) + (ST_XMax(d.geom) - ST_XMin(d.geom)) * i / 60.0 AS x,
                         ST_YMin(d.geom) + (ST_YMax(d.geom) - ST_YMin(d.geom)) * j / 60.0 AS y) point
    WHERE d.code = '350206'
      AND ST_Covers(d.geom, ST_Buffer(ST_SetSRID(ST_MakePoint(x, y), 4490), 0.005))
      AND NOT EXISTS (SELECT FROM parcels p WHERE p.geom && ST_Expand(ST_SetSRID(ST_MakePoint(x, y), 4490), 0.005))
    ORDER BY i, j LIMIT 1`.execute(testApp.database.db);
  expect(spot).toBeDefined();
  ids.centre = await insertParcel(spot, 'C', '卡片测试公司', [0, 0, 50, 60], { registered_area_m2: 3000 });
  ids.east = await insertParcel(spot, 'E', '东邻测试公司', [60, 0, 100, 60]);
  ids.north = await insertParcel(spot, 'N', null, [0, 60, 50, 100]);
  ids.west = await insertParcel(spot, 'W', '西邻测试公司', [-110, 0, -60, 60]);
  ids.farWest = await insertParcel(spot, 'W2', '更远的西邻', [-100, 70, -90, 110]);
  ids.south = await insertParcel(spot, 'S', '太远的南邻', [0, -200, 50, -150]);
});

afterAll(async () => {
  await testApp.database.db.deleteFrom('parcels').where('code', 'like', `${PREFIX}-%`).execute();
  await testApp.close();
});

/** A value each new field accepts, and values it refuses (with why). */
const CASES: { key: string; accepted: unknown[]; refused: unknown[] }[] = [
  { key: 'parkSide', accepted: ['inside', 'outside', null], refused: ['middle', true] },
  { key: 'landAcquiredAt', accepted: ['2010-04-01'], refused: ['2010-02-30', '2010/04/01', '1899-12-31'] },
  { key: 'boundaryEast', accepted: ['厦门某某公司'], refused: ['东'.repeat(201)] },
  { key: 'boundarySouth', accepted: ['道路'], refused: ['南'.repeat(201)] },
  { key: 'boundaryWest', accepted: ['空地'], refused: ['西'.repeat(201)] },
  { key: 'boundaryNorth', accepted: ['河道'], refused: ['北'.repeat(201)] },
  { key: 'agreedFloorAreaRatio', accepted: [0, 2.5, 100], refused: [-0.1, 100.5, 1e300] },
  { key: 'agreedBuildingDensity', accepted: [0, 0.4, 1], refused: [-0.01, 1.2, 45] },
  { key: 'agreedCompletionDate', accepted: ['2016-12-31', '2030-06-30'], refused: ['2016-13-01', 'soon'] },
  { key: 'investmentAgreementNo', accepted: ['XM-TZ-2013-018'], refused: ['X'.repeat(65)] },
  { key: 'agreedInvestmentIntensity', accepted: [0, 300.5], refused: [-1, 1e7 + 1] },
  { key: 'completionDate', accepted: ['2015-06-30'], refused: ['2015-06-31'] },
  { key: 'investedAmount', accepted: [8000], refused: [-5, 1e8 + 1] },
  { key: 'investmentIntensity', accepted: [250], refused: [-0.5] },
  { key: 'buildingCoverage', accepted: [0.38], refused: [1.01] },
  { key: 'safetyNote', accepted: ['2024 年安全检查合格'], refused: ['安'.repeat(501)] },
  { key: 'environmentNote', accepted: ['环评批复 厦环审〔2013〕88 号'], refused: ['环'.repeat(501)] },
  { key: 'energyNote', accepted: ['单位产值能耗低于全市平均'], refused: ['能'.repeat(501)] },
  { key: 'fixedAssetInvestment', accepted: [12500, 0], refused: [-1, 1e8 + 0.5] },
];

describe('一宗一卡 fields', () => {
  it('every field of the list is in the card, and the new ones have their columns and comments', async () => {
    const parcel = await detail(ids.centre);
    assertMatchesContract(ParcelDetail, parcel);
    for (const field of PARCEL_FIELDS) expect(parcel).toHaveProperty(field.key);
    const { rows } = await sql<{ column: string; comment: string | null }>`
      SELECT attname AS column, col_description('parcels'::regclass, attnum) AS comment FROM pg_attribute
      WHERE attrelid = 'parcels'::regclass AND attname IN ('agreed_investment_intensity', 'invested_amount', 'fixed_asset_investment', 'boundary_east')`.execute(testApp.database.db);
    expect(Object.fromEntries(rows.map((row) => [row.column, row.comment]))).toMatchObject({
      agreed_investment_intensity: expect.stringContaining('万元/亩'), invested_amount: expect.stringContaining('万元'),
      fixed_asset_investment: expect.stringContaining('固定资产投资总额'), boundary_east: expect.stringContaining('东至'),
    });
  });

  for (const { key, accepted, refused } of CASES) {
    const label = PARCEL_FIELDS.find((field) => field.key === key)!.label;
    it(`${key} (${label}): stores ${accepted.length} valid values and refuses ${refused.length} invalid ones naming the field`, async () => {
      for (const value of accepted) {
        const response = await patch(ids.centre, { [key]: value });
        expect(response.statusCode, `${key} = ${JSON.stringify(value)}: ${response.body}`).toBe(200);
        expect(response.json()[key]).toEqual(value);
      }
      for (const value of refused) {
        const response = await patch(ids.centre, { [key]: value });
        expect(response.statusCode, `${key} = ${JSON.stringify(value)}`).toBe(400);
        const body = response.json();
        expect(body.parameter).toBe(key);
        expect(body.message).toContain(label);
        expect(body.message).toMatch(/请改正后重试|请核对/);
      }
      expect((await detail(ids.centre))[key as keyof ParcelDetail]).toEqual(accepted.at(-1));
    });
  }

  it('keeps 0 and false as values (not as a cleared field) and null as null', async () => {
    const response = await patch(ids.centre, { meetsSafety: false, undevelopedAreaM2: 0, agreedBuildingDensity: 0, parkSide: null });
    expect(response.statusCode, response.body).toBe(200);
    const { rows: [stored] } = await sql<Record<string, unknown>>`
      SELECT meets_safety, undeveloped_area_m2, agreed_building_density, park_side FROM parcels WHERE id = ${ids.centre}`.execute(testApp.database.db);
    expect(stored).toEqual({ meets_safety: false, undeveloped_area_m2: 0, agreed_building_density: 0, park_side: null });
  });

  it('refuses infinity (1e999 in the JSON) and NaN with a 400, never a 500', async () => {
    const infinite = await patch(ids.centre, '{"agreedFloorAreaRatio":1e999}');
    expect(infinite.statusCode).toBe(400);
    expect(infinite.json().parameter).toBe('agreedFloorAreaRatio');
    expect(infinite.json().message).toContain('无穷大');
    const nan = await patch(ids.centre, '{"investedAmount":NaN}');
    expect(nan.statusCode).toBe(400);
  });

  it('refuses a date of something that happened when it lies in the future, but takes a future 约定竣工时间', async () => {
    const tomorrow = new Date(Date.parse(todayInChina()) + 2 * 86400_000).toISOString().slice(0, 10);
    for (const key of ['completionDate', 'landAcquiredAt', 'productionStart']) {
      const response = await patch(ids.centre, { [key]: tomorrow });
      expect(response.statusCode, key).toBe(400);
      expect(response.json().parameter).toBe(key);
      expect(response.json().message).toContain('晚于今天');
    }
    expect((await patch(ids.centre, { agreedCompletionDate: tomorrow })).statusCode).toBe(200);
  });

  it('checks 土地取得 ≤ 竣工 ≤ 投产 ≤ 停产 against the stored values of the fields the edit leaves alone', async () => {
    const reset = await patch(ids.centre, { landAcquiredAt: '2012-03-01', completionDate: '2014-06-30', productionStart: '2014-09-01', productionStop: null, agreedCompletionDate: '2014-12-31' });
    expect(reset.statusCode, reset.body).toBe(200);
    // Each alone is a valid date; against what is stored it is out of order.
    const early = await patch(ids.centre, { completionDate: '2011-01-01' });
    expect(early.statusCode).toBe(400);
    expect(early.json().parameter).toBe('completionDate');
    expect(early.json().message).toContain('土地取得时间');
    const stop = await patch(ids.centre, { productionStop: '2014-08-01' });
    expect(stop.statusCode).toBe(400);
    expect(stop.json()).toMatchObject({ parameter: 'productionStop' });
    expect(stop.json().message).toContain('投产时间');
    const acquired = await patch(ids.centre, { landAcquiredAt: '2015-01-01' });
    expect(acquired.statusCode).toBe(400);
    expect(acquired.json().parameter).toBe('landAcquiredAt');
    expect(acquired.json().problems.length).toBeGreaterThanOrEqual(3);
    expect((await patch(ids.centre, { productionStop: '2020-05-01' })).statusCode).toBe(200);
    expect(await detail(ids.centre)).toMatchObject({ landAcquiredAt: '2012-03-01', completionDate: '2014-06-30', productionStart: '2014-09-01', productionStop: '2020-05-01' });
    // A stored inconsistency does not block an edit of another field.
    await sql`UPDATE parcels SET production_stop = '2013-01-01' WHERE id = ${ids.centre}`.execute(testApp.database.db);
    expect((await patch(ids.centre, { owner: '卡片测试公司（更名）' })).statusCode).toBe(200);
    expect((await patch(ids.centre, { productionStop: '2021-01-01' })).statusCode).toBe(200);
  });

  it('refuses a 未开发建设土地面积 larger than the parcel', async () => {
    const response = await patch(ids.centre, { undevelopedAreaM2: 3500 });
    expect(response.statusCode).toBe(400);
    expect(response.json().parameter).toBe('undevelopedAreaM2');
    expect((await patch(ids.centre, { undevelopedAreaM2: 800 })).statusCode).toBe(200);
  });

  it('records every edit of the new fields in the parcel history, with before and after', async () => {
    expect((await patch(ids.centre, { agreedFloorAreaRatio: 1.8, boundaryNorth: '北侧河道' })).statusCode).toBe(200);
    const history = (await surveyor.get(`/api/parcels/${ids.centre}/history`)).json() as { items: { actor: string; changes: { key: string; before: unknown; after: unknown }[] }[] };
    const latest = history.items[0];
    expect(latest.actor).toBe('surveyor');
    expect(latest.changes).toEqual(expect.arrayContaining([
      { key: 'agreedFloorAreaRatio', before: 100, after: 1.8 },
      { key: 'boundaryNorth', before: '河道', after: '北侧河道' },
    ]));
  });

  it('lets a role edit only what its action covers: a planner may not set the 约定 fields', async () => {
    const planner = await login(testApp.app, 'planner');
    const response = await patch(ids.centre, { agreedInvestmentIntensity: 10 }, planner);
    expect(response.statusCode).toBe(403);
  });
});

describe('年度产值、税收 and 近三年', () => {
  /** The revision of the parcel's stored series, as the card reads it before editing. */
  async function revisionOf(id: number): Promise<string> {
    return ((await surveyor.get(`/api/parcels/${id}/yearly`)).json() as ParcelYearlyFigures).revision;
  }

  it('stores the series, derives 近三年总产值, 税收总额 and 平均 per 亩, and keeps history of each year', async () => {
    const put = await surveyor.request({
      method: 'PUT', url: `/api/parcels/${ids.centre}/yearly`,
      payload: { expectedRevision: await revisionOf(ids.centre), items: [
        { year: 2021, outputWan: 1000, taxWan: 50 }, { year: 2022, outputWan: 1200, taxWan: 60 },
        { year: 2023, outputWan: 1500, taxWan: 75 }, { year: 2019, outputWan: 800, taxWan: null },
      ] },
    });
    expect(put.statusCode, put.body).toBe(200);
    const body = put.json() as ParcelYearlyFigures;
    assertMatchesContract(ParcelYearlyFigures, body);
    expect(body.items.map((item) => item.year)).toEqual([2019, 2021, 2022, 2023]);
    const mu = squareMetresToMu(3000);
    expect(body.summary).toMatchObject({
      years: [2023, 2022, 2021], complete: true, outputTotalWan: 3700, taxTotalWan: 185, areaSource: 'registeredAreaM2',
    });
    expect(body.summary.outputPerMuAverage).toBeCloseTo(3700 / 3 / mu, 2);
    expect(body.summary.taxPerMuAverage).toBeCloseTo(185 / 3 / mu, 2);
    expect((await viewer.get(`/api/parcels/${ids.centre}/yearly`)).json()).toEqual(body);

    // 2019 removed, 2023 corrected, 2021 and 2022 untouched: three history rows, none for the untouched years.
    const before = await testApp.database.db.selectFrom('history').select(sql<number>`count(*)::int`.as('count'))
      .where('entity', '=', 'parcel_yearly_figures').where('entity_id', '=', String(ids.centre)).executeTakeFirstOrThrow();
    const second = await surveyor.request({
      method: 'PUT', url: `/api/parcels/${ids.centre}/yearly`,
      payload: { expectedRevision: body.revision, items: [{ year: 2021, outputWan: 1000, taxWan: 50 }, { year: 2022, outputWan: 1200, taxWan: 60 }, { year: 2023, outputWan: 1600, taxWan: 80 }, { year: 2024, outputWan: null, taxWan: 90 }] },
    });
    expect(second.statusCode).toBe(200);
    expect(second.json().summary).toMatchObject({ years: [2024, 2023, 2022], complete: false, outputTotalWan: 2800, taxTotalWan: 230 });
    const { rows } = await sql<{ action: string; actor: string; before: { year: number; output_wan: number } | null; after: { year: number; output_wan: number } | null }>`
      SELECT action, actor, before, after FROM history WHERE entity = 'parcel_yearly_figures' AND entity_id = ${String(ids.centre)}
      ORDER BY id OFFSET ${before.count}`.execute(testApp.database.db);
    expect(rows.map((row) => [row.action, row.before?.year ?? row.after?.year]).sort()).toEqual([['delete', 2019], ['insert', 2024], ['update', 2023]]);
    expect(rows.every((row) => row.actor === 'surveyor')).toBe(true);
    expect(rows.find((row) => row.action === 'update')).toMatchObject({ before: { output_wan: 1500 }, after: { output_wan: 1600 } });
  });

  it('refuses an edit made on a series someone changed meanwhile, naming what is stored now, and writes nothing', async () => {
    const url = `/api/parcels/${ids.centre}/yearly`;
    const revision = await revisionOf(ids.centre);
    const stored = (await surveyor.get(url)).json() as ParcelYearlyFigures;
    const admin = await login(testApp.app, 'admin');
    // Two people open the card; the first saves 2025, the second then saves what they typed on the old series.
    const first = await admin.request({ method: 'PUT', url, payload: { expectedRevision: revision, items: [...stored.items, { year: 2025, outputWan: 2000, taxWan: 100 }] } });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().revision).not.toBe(revision);
    const second = await surveyor.request({ method: 'PUT', url, payload: { expectedRevision: revision, items: [{ year: 2021, outputWan: 1, taxWan: 1 }] } });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ error: 'stale_version', parameter: 'expectedRevision', currentRevision: first.json().revision });
    expect(second.json().message).toContain('2025 年 产值 2000、税收 100');
    expect((await surveyor.get(url)).json()).toEqual(first.json());
    // Made again on the stored revision, the edit goes through.
    const again = await surveyor.request({ method: 'PUT', url, payload: { expectedRevision: first.json().revision, items: stored.items } });
    expect(again.statusCode).toBe(200);
    expect(again.json().revision).toBe(revision);
    // A revision that is not a token at all is a 400 naming the field.
    const broken = await surveyor.request({ method: 'PUT', url, payload: { expectedRevision: "'; DROP TABLE x", items: [] } });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().message).toContain('expectedRevision');
  });

  it('refuses a year twice, a negative or infinite figure and a year out of range, naming the row', async () => {
    const url = `/api/parcels/${ids.centre}/yearly`;
    const expectedRevision = await revisionOf(ids.centre);
    const twice = await surveyor.request({ method: 'PUT', url, payload: { expectedRevision, items: [{ year: 2022, outputWan: 1, taxWan: 1 }, { year: 2022, outputWan: 2, taxWan: 2 }] } });
    expect(twice.statusCode).toBe(400);
    expect(twice.json()).toMatchObject({ parameter: 'items.1.year' });
    expect(twice.json().message).toContain('出现了两次');
    const negative = await surveyor.request({ method: 'PUT', url, payload: { expectedRevision, items: [{ year: 2022, outputWan: 1, taxWan: -3 }] } });
    expect(negative.statusCode).toBe(400);
    expect(negative.json()).toMatchObject({ parameter: 'items.0.taxWan' });
    expect(negative.json().message).toContain('年度税收');
    const infinite = await surveyor.request({ method: 'PUT', url, payload: `{"expectedRevision":"${expectedRevision}","items":[{"year":2022,"outputWan":1e999,"taxWan":1}]}`, headers: { 'content-type': 'application/json' } });
    expect(infinite.statusCode).toBe(400);
    expect(infinite.json().parameter).toBe('items.0.outputWan');
    const year = await surveyor.request({ method: 'PUT', url, payload: { expectedRevision, items: [{ year: 1800, outputWan: 1, taxWan: 1 }] } });
    expect(year.statusCode).toBe(400);
    expect(year.json().message).toContain('第 1 行');
    expect((await viewer.request({ method: 'PUT', url, payload: { expectedRevision, items: [] } })).statusCode).toBe(403);
    expect((await surveyor.get(url)).json().items.map((item: { year: number }) => item.year)).toEqual([2021, 2022, 2023, 2024]);
  });
});

describe('四至 proposal', () => {
  it('names the nearest parcel on each side within 100 m (owner, or 宗地编号 without one) from the real geometry', async () => {
    const response = await surveyor.get(`/api/parcels/${ids.centre}/boundaries-proposal`);
    expect(response.statusCode).toBe(200);
    const body = response.json() as BoundariesProposal;
    assertMatchesContract(BoundariesProposal, body);
    const sides = Object.fromEntries(body.sides.map((side) => [side.side, side]));
    expect(sides.east).toMatchObject({ kind: 'parcel', text: '东邻测试公司', parcelId: ids.east });
    expect(sides.east.distanceM).toBeGreaterThan(9);
    expect(sides.east.distanceM).toBeLessThan(11);
    expect(sides.north).toMatchObject({ kind: 'parcel', text: `${PREFIX}-N`, parcelId: ids.north, distanceM: 0 });
    // The nearer of two western neighbours (60 m, not 90 m); the southern one is 150 m away: nothing.
    expect(sides.west).toMatchObject({ kind: 'parcel', text: '西邻测试公司', parcelId: ids.west });
    expect(sides.west.distanceM).toBeGreaterThan(59);
    expect(sides.west.distanceM).toBeLessThan(61);
    expect(sides.south).toMatchObject({ kind: 'none', text: '', parcelId: null });
    expect(body.searchMetres).toBe(100);
    // From the eastern neighbour the card's parcel is to the west.
    const fromEast = (await surveyor.get(`/api/parcels/${ids.east}/boundaries-proposal`)).json() as BoundariesProposal;
    expect(fromEast.sides.find((side) => side.side === 'west')).toMatchObject({ parcelId: ids.centre });
  });

  it('is a proposal only: nothing is written until the card saves the four fields', async () => {
    const before = await detail(ids.centre);
    await surveyor.get(`/api/parcels/${ids.centre}/boundaries-proposal`);
    expect((await detail(ids.centre)).updatedAt).toBe(before.updatedAt);
    expect((await surveyor.get('/api/parcels/999999999/boundaries-proposal')).statusCode).toBe(404);
  });
});
