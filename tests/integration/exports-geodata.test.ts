import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chooseGaussKrugerZone } from '../../domain/exports/gauss-kruger.js';
import { dbfFieldNames } from '../../domain/exports/dbf-field-names.js';
import type { ExportOutput, ExportRefusal } from '../../server/exports/export-writer.js';
import { EXPORT_EMPTY } from '../../server/exports/export-writer.js';
import { EXPORT_WRITERS } from '../../server/exports/writers/index.js';
import { gdalConnection } from '../../server/imports/gdal.js';
import { REPOSITORY_ROOT } from '../../server/config.js';
import { exportContext } from '../helpers/export-context.js';
import { multipartBody } from '../helpers/multipart.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

let testApp: TestApp;
let surveyor: Session;
const admin = gdalConnection(inject('adminDatabaseUrl'));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-export-read-'));

beforeAll(async () => {
  testApp = await createTestApp();
  surveyor = await login(testApp.app, 'surveyor');
});
afterAll(async () => {
  await testApp.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

type Format = 'geojson' | 'shapefile' | 'gpkg' | 'filegdb';
type Options = Parameters<typeof exportContext>[1];

async function runExport(options: Options): Promise<ExportOutput | ExportRefusal> {
  const job = await exportContext(testApp, options);
  const writer = EXPORT_WRITERS[`${options.layer}:${options.format}`];
  if (!writer) throw new Error(`no writer for ${options.layer}:${options.format}`);
  return writer(job);
}

async function exported(options: Options): Promise<ExportOutput> {
  const output = await runExport(options);
  if (!output.ok) throw new Error(`refused: ${output.message}`);
  return output;
}

/** Unzips (when zipped) and answers the dataset GDAL opens: a .shp, .gdb folder, .gpkg or .geojson. */
function datasetOf(output: ExportOutput, layer: string): string {
  if (!output.file.endsWith('.zip')) return output.file;
  const folder = fs.mkdtempSync(path.join(scratch, 'unzipped-'));
  const unzip = spawnSync('unzip', ['-q', '-o', output.file, '-d', folder]);
  expect(unzip.status, unzip.stderr.toString()).toBe(0);
  const gdb = fs.readdirSync(folder).find((entry) => entry.endsWith('.gdb'));
  if (gdb) return path.join(folder, gdb);
  const geojson = path.join(folder, `${layer}.geojson`);
  return fs.existsSync(geojson) ? geojson : path.join(folder, `${layer}.shp`);
}

let loaded = 0;
/** Loads one layer of an exported file into a table of the test database (CGCS2000 lon/lat), through GDAL. */
function loadBack(dataset: string, layer: string): string {
  const table = `export_back_${process.pid}_${++loaded}`;
  const args = ['-f', 'PostgreSQL', admin.dataset, dataset, '-nln', table, '-t_srs', 'EPSG:4490', '-lco', 'GEOMETRY_NAME=geom', '-lco', 'LAUNDER=NO', '-nlt', 'MULTIPOLYGON'];
  if (!dataset.endsWith('.shp') && !dataset.endsWith('.geojson')) args.push(layer);
  const result = spawnSync('ogr2ogr', args, { env: { ...process.env, ...admin.env } });
  expect(result.status, result.stderr.toString()).toBe(0);
  expect(result.stderr.toString()).not.toMatch(/couldn't be converted|laundered|truncated/i);
  return table;
}

function ogrinfo(dataset: string, layer: string): string {
  const args = ['-ro', '-so', dataset];
  args.push(dataset.endsWith('.shp') || dataset.endsWith('.geojson') ? path.basename(dataset).replace(/\.(shp|geojson)$/, '') : layer);
  const result = spawnSync('ogrinfo', args);
  expect(result.status, result.stderr.toString()).toBe(0);
  return result.stdout.toString();
}

const q = (name: string) => sql.ref(name);

/** The loaded table against the parcels table: rows, areas, strings, district codes. */
async function compareParcels(table: string, names: { id: string; owner: string; code: string; location: string; district: string; area: string }) {
  const { rows: [row] } = await sql<{ rows: number; matched: number; worst_area: number; worst_attribute: number; owners_differ: number; codes_differ: number; locations_differ: number; districts: string[] }>`
    SELECT count(*)::int AS rows, count(p.id)::int AS matched,
           max(abs(ST_Area(b.geom::geography) - p.area_m2) / p.area_m2) AS worst_area,
           max(abs(${q(`b.${names.area}`)}::float8 - p.area_m2) / p.area_m2) AS worst_attribute,
           count(*) FILTER (WHERE ${q(`b.${names.owner}`)} IS DISTINCT FROM p.owner)::int AS owners_differ,
           count(*) FILTER (WHERE ${q(`b.${names.code}`)} IS DISTINCT FROM p.code)::int AS codes_differ,
           count(*) FILTER (WHERE ${q(`b.${names.location}`)} IS DISTINCT FROM p.location)::int AS locations_differ,
           array_agg(DISTINCT ${q(`b.${names.district}`)}) AS districts
    FROM ${sql.table(table)} b LEFT JOIN parcels p ON p.id = ${q(`b.${names.id}`)}::bigint`.execute(testApp.database.db);
  return row;
}

async function dropTable(table: string) {
  await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(testApp.database.db).catch(() => undefined);
}

async function parcelCount(where: ReturnType<typeof sql>): Promise<number> {
  const { rows: [row] } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM parcels WHERE ${where}`.execute(testApp.database.db);
  return row.n;
}

const NAMES: Record<Format, { id: string; owner: string; code: string; location: string; district: string; area: string }> = {
  geojson: { id: 'id', owner: 'owner', code: 'code', location: 'location', district: 'districtCode', area: 'areaM2' },
  shapefile: { id: '系统编号', owner: '使用权人', code: '宗地编号', location: '土地坐落', district: '行政区代码', area: '椭球面积' },
  gpkg: { id: '系统编号', owner: '土地使用权人', code: '宗地编号', location: '土地坐落', district: '行政区代码', area: '椭球面积' },
  filegdb: { id: '系统编号', owner: '土地使用权人', code: '宗地编号', location: '土地坐落', district: '行政区代码', area: '椭球面积' },
};

describe('parcels of 湖里区 in every geodata format, read back with GDAL', () => {
  const formats: Format[] = ['shapefile', 'geojson', 'gpkg', 'filegdb'];
  it.each(formats)('%s: same count, the CRS, every area within 0.01 %%, every Chinese string byte-identical', async (format) => {
    const expected = await parcelCount(sql`district_code = '350206'`);
    expect(expected).toBeGreaterThan(100);
    const output = await exported({ layer: 'parcels', format, filters: { district: '350206' } });
    expect(output.rowCount).toBe(expected);
    expect(output.crs).toBe(format === 'geojson' ? 'EPSG:4326' : 'EPSG:4527');
    expect(output.fileName).toMatch(new RegExp(`^厦门市湖里区_地块_\\d{8}${format === 'geojson' ? '\\.geojson' : format === 'gpkg' ? '\\.gpkg' : format === 'filegdb' ? '\\.gdb\\.zip' : '\\.zip'}$`));
    const dataset = datasetOf(output, 'parcels');
    const info = ogrinfo(dataset, 'parcels');
    expect(info).toContain(`Feature Count: ${expected}`);
    if (format === 'geojson') expect(info).toMatch(/WGS 84|EPSG","4326/);
    else expect(info).toMatch(/CGCS2000 \/ 3-degree Gauss-Kruger zone 39|CGCS2000_3_Degree_GK_Zone_39/);
    const table = loadBack(dataset, 'parcels');
    try {
      const compared = await compareParcels(table, NAMES[format]);
      expect(compared.rows).toBe(expected);
      expect(compared.matched).toBe(expected);
      expect(compared.worst_area).toBeLessThan(1e-4);
      expect(compared.worst_attribute).toBeLessThan(1e-4);
      expect(compared).toMatchObject({ owners_differ: 0, codes_differ: 0, locations_differ: 0, districts: ['350206'] });
    } finally {
      await dropTable(table);
    }
  });
});
