import { loadDemoPlans } from './demo-plans.js';
import { loadDemoStock } from './demo-stock.js';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { MultiPolygonGeometry } from '../../domain/ellipsoidal-area.js';
import { XIAMEN } from '../../domain/districts.js';
import { REPOSITORY_ROOT } from '../config.js';
import { DemoPlaces, insertDemoParks, loadDemoStreets, removeDemoParks } from './demo-subdistricts.js';
import { generateParcels, type DemoDistrict, type GeneratedParcel } from './parcel-generator.js';

export const DISTRICTS_FIXTURE = path.join(REPOSITORY_ROOT, 'fixtures', 'xiamen-districts.geojson');
export const DEMO_PARCEL_COUNT = 20000;
export const DEMO_SEED = 20261122;

interface FixtureFeature {
  properties: { code: string; name: string; level: string; parentCode: string | null };
  geometry: MultiPolygonGeometry;
}

/**
 * Loads Xiamen (厦门市) and its six districts from the shipped fixture. The city's boundary is the
 * union of its districts. Invalid rings from the source data are repaired by ST_MakeValid.
 */
export async function loadDistricts(pool: pg.Pool, fixturePath = DISTRICTS_FIXTURE): Promise<number> {
  const collection = JSON.parse(fs.readFileSync(fixturePath, 'utf8')) as { features: FixtureFeature[] };
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT set_config('app.actor', 'demo-loader', true)");
    const geometries = collection.features.map((feature) => JSON.stringify(feature.geometry));
    await client.query(
      `INSERT INTO districts (code, name, level, parent_code, geom)
       SELECT $1, $2, 'city', NULL, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(g), 4490)))), 3))
       FROM unnest($3::text[]) AS g`,
      [XIAMEN.code, XIAMEN.name, geometries],
    );
    for (const feature of collection.features) {
      await client.query(
        `INSERT INTO districts (code, name, level, parent_code, geom)
         VALUES ($1, $2, 'district', $3, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON($4), 4490)), 3)))`,
        [feature.properties.code, feature.properties.name, feature.properties.parentCode ?? XIAMEN.code, JSON.stringify(feature.geometry)],
      );
    }
    if (fixturePath === DISTRICTS_FIXTURE) await loadDemoStreets(client);
    await client.query('COMMIT');
    return collection.features.length + 1;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

export async function readDemoDistricts(pool: pg.Pool): Promise<DemoDistrict[]> {
  const { rows } = await pool.query<{ code: string; name: string; geometry: MultiPolygonGeometry }>(
    `SELECT code, name, ST_AsGeoJSON(geom, 7)::json AS geometry FROM districts WHERE level = 'district' ORDER BY code`,
  );
  return rows;
}

export const PARCEL_COPY_COLUMNS = [
  'code', 'district_code', 'owner', 'location', 'registered_area_m2', 'contract_no', 'certificate_no',
  'land_use_code', 'planned_function', 'industry_code', 'floor_area_m2', 'floor_area_ratio', 'building_coverage',
  'investment_intensity', 'output_per_mu', 'tax_per_mu', 'production_start', 'production_stop', 'admin_facility_share',
  'undeveloped_area_m2', 'meets_safety', 'meets_environment', 'meets_energy', 'status', 'inefficiency_type',
  'identified_at', 'redevelopment_intent', 'evaluation_grade', 'geom', 'area_m2', 'geom_3857',
  // Computed by DemoPlaces with the parcels_place trigger's rule; the trigger trusts them in a bulk load.
  'town_or_park', 'subdistrict_code', 'park_code',
  'ownership_nature',
  // 低效用地类别 follows the 地类 (trigger parcels_category_default); the unit when it is not the category's.
  'residential_kind', 'construction_permits', 'reporting_unit',
] as const;

function copyValue(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value).replace(/[\\\t\n\r]/g, ' ');
}

function copyLine(parcel: GeneratedParcel): string {
  const ring = parcel.ring.map(([lon, lat]) => `${lon} ${lat}`).join(',');
  const values = [
    parcel.code, parcel.districtCode, parcel.owner, parcel.location, parcel.registeredAreaM2,
    parcel.contractNo, parcel.certificateNo, parcel.landUseCode, parcel.plannedFunction, parcel.industryCode,
    parcel.floorAreaM2, parcel.floorAreaRatio, parcel.buildingCoverage, parcel.investmentIntensity, parcel.outputPerMu,
    parcel.taxPerMu, parcel.productionStart, parcel.productionStop, parcel.adminFacilityShare, parcel.undevelopedAreaM2,
    parcel.meetsSafety, parcel.meetsEnvironment, parcel.meetsEnergy, parcel.status, parcel.inefficiencyType,
    parcel.identifiedAt, parcel.redevelopmentIntent, parcel.evaluationGrade,
    `SRID=4490;MULTIPOLYGON(((${ring})))`,
    // area_m2 and geom_3857 are derived by the table's trigger; placeholders satisfy COPY's column list.
    0, 'SRID=3857;MULTIPOLYGON EMPTY',
    parcel.place?.townOrPark ?? null, parcel.place?.subdistrictCode ?? null, parcel.place?.parkCode ?? null,
    // 权属性质: the demo city's industrial land is state-owned (国有建设用地使用权).
    '国有',
    parcel.residentialKind, parcel.constructionPermits, parcel.reportingUnit,
  ];
  return `${values.map(copyValue).join('\t')}\n`;
}

export interface ParcelLoadReport {
  parcels: number;
  seconds: number;
}

/**
 * Replaces all parcels with a generated city in one transaction, streamed through COPY. The bulk
 * load is recorded as one history entry (count, seed, replaced rows) instead of one per parcel.
 */
export async function loadGeneratedParcels(
  pool: pg.Pool,
  options: { count: number; seed: number; actor?: string; onProgress?: (done: number) => void },
): Promise<ParcelLoadReport> {
  const started = Date.now();
  const districts = await readDemoDistricts(pool);
  if (districts.length === 0) throw new Error('no districts loaded: load the district fixture first');
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT set_config('app.bulk_load', 'on', true), set_config('app.actor', $1, true)", [options.actor ?? 'seed']);
    const { rows: [{ replaced }] } = await client.query<{ replaced: number }>('SELECT count(*)::int AS replaced FROM parcels');
    // 用地单位 accounts keep their parcels by 宗地编号 across the reload (the ids restart).
    await client.query(`CREATE TEMP TABLE kept_enterprise_parcels ON COMMIT DROP AS
      SELECT ep.user_id, p.code FROM enterprise_parcels ep JOIN parcels p ON p.id = ep.parcel_id`);
    await client.query('TRUNCATE parcels, parcel_yearly_figures, enterprise_parcels, identification_cases, identification_steps, survey_submissions, identification_counters, criteria_run_parcels, grading_results, report_submissions, report_submission_contents, zhaoshang_inquiries, zhaoshang_listing_versions, zhaoshang_listings, reuse_projects, reuse_plan_versions, reuse_steps, reuse_tracking, reuse_ledger, reuse_counters, reuse_credit_list, reuse_credit_removals, legacy_lands, legacy_land_steps, stock_problems, stock_problem_steps, stock_counters, annual_plans, annual_plan_steps, plan_projects, plan_milestones RESTART IDENTITY');
    // 街道/镇 first (a database made before them gets the demo's), so each parcel finds its own on COPY.
    await removeDemoParks(client);
    const { rows: [{ streets }] } = await client.query<{ streets: number }>(`SELECT count(*)::int AS streets FROM subdistricts WHERE kind <> 'park'`);
    if (streets === 0) await loadDemoStreets(client);
    const places = await DemoPlaces.read(client);
    let done = 0;
    const source = generateParcels(districts, { count: options.count, seed: options.seed, onPark: places.onPark, placeOf: places.placeOf });
    const encoder = new Transform({
      writableObjectMode: true,
      transform(parcel: GeneratedParcel, _encoding, callback) {
        done++;
        if (done % 10000 === 0) options.onProgress?.(done);
        callback(null, copyLine(parcel));
      },
    });
    const copy = client.query(copyFrom(`COPY parcels (${PARCEL_COPY_COLUMNS.join(', ')}) FROM STDIN`));
    await pipeline(source, encoder, copy);
    // The 园区 chosen among the generated parks (their parcels already carry them; the trigger checks,
    // with statistics of the new rows so that it looks them up by index).
    await client.query('ANALYZE parcels');
    const parkCount = await insertDemoParks(client, places.chosen);
    // 两库一清单: 历史遗留用地 and 问题清单 of the demo city (their tables were emptied with the parcels).
    const stock = await loadDemoStock(client, new Date(Date.now() + 8 * 3600_000).getUTCFullYear());
    // 年度实施计划 and 台账 of this year (their tables were emptied with the parcels).
    const plans = await loadDemoPlans(client, new Date(Date.now() + 8 * 3600_000).getUTCFullYear());
    await client.query(`INSERT INTO enterprise_parcels (user_id, parcel_id)
      SELECT k.user_id, p.id FROM kept_enterprise_parcels k JOIN parcels p ON p.code = k.code ON CONFLICT DO NOTHING`);
    await client.query(
      `INSERT INTO history (entity, entity_id, action, actor, before, after)
       VALUES ('parcels', '*', 'bulk_load', $1, $2, $3)`,
      [options.actor ?? 'seed', JSON.stringify({ parcels: replaced }), JSON.stringify({ parcels: done, seed: options.seed, parks: parkCount, legacyLands: stock.legacy, problems: stock.problems, plans, generator: 'server/demo/parcel-generator.ts' })],
    );
    await client.query('COMMIT');
    options.onProgress?.(done);
    await client.query('ANALYZE parcels');
    return { parcels: done, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * First start with an empty database: Xiamen's districts and 20 000 generated parcels. A start that
 * was interrupted after the districts finishes the parcels; parcels someone removed on purpose
 * (recorded in history) are not brought back.
 */
export async function loadDemoCityIfEmpty(pool: pg.Pool, log: (line: string) => void = console.log): Promise<boolean> {
  const { rows: [state] } = await pool.query<{ districts: number; parcels: number; loads: number }>(
    `SELECT (SELECT count(*)::int FROM districts) AS districts, (SELECT count(*)::int FROM parcels) AS parcels,
            (SELECT count(*)::int FROM history WHERE entity = 'parcels') AS loads`,
  );
  if (state.districts > 0 && (state.parcels > 0 || state.loads > 0)) {
    await addDemoStreetsIfMissing(pool, log);
    return false;
  }
  log('数据库为空，正在载入演示城市 (厦门市) / loading the demo city …');
  if (state.districts === 0) await loadDistricts(pool);
  const report = await loadGeneratedParcels(pool, { count: DEMO_PARCEL_COUNT, seed: DEMO_SEED, actor: 'demo-loader' });
  log(`演示城市已载入: 6 个区, ${report.parcels} 宗地块 (${report.seconds.toFixed(1)} s)`);
  return true;
}

/**
 * A demo city loaded before 街道/园区 existed (migration 0029) gets the demo's 街道/镇 once, and its
 * parcels their places (as one bulk entry in history); its 园区 come with the next `npm run seed`.
 * Nothing happens when the city is not the demo's or any 街道/园区 was ever recorded.
 */
export async function addDemoStreetsIfMissing(pool: pg.Pool, log: (line: string) => void = console.log): Promise<number> {
  const { rows: [state] } = await pool.query<{ demo: boolean; recorded: number }>(
    `SELECT EXISTS (SELECT FROM districts WHERE code = $1) AS demo,
            (SELECT count(*)::int FROM subdistricts) + (SELECT count(*)::int FROM history WHERE entity = 'subdistricts') AS recorded`,
    [XIAMEN.code],
  );
  if (!state.demo || state.recorded > 0) return 0;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT set_config('app.bulk_load', 'on', true), set_config('app.actor', 'demo-loader', true)");
    const streets = await loadDemoStreets(client);
    await client.query(
      `INSERT INTO history (entity, entity_id, action, actor, before, after)
       VALUES ('subdistricts', '*', 'bulk_load', 'demo-loader', NULL, $1)`,
      [JSON.stringify({ subdistricts: streets, fixture: 'fixtures/xiamen-subdistricts.json' })],
    );
    await client.query('COMMIT');
    log(`演示城市已加入 ${streets} 个街道/镇，地块已按图形归入街道；园区随下次 npm run seed 生成`);
    return streets;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
