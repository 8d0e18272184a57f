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
import { fieldNames } from '../../server/exports/writers/geodata.js';
import { parcelsQuery, selectSql } from '../../server/exports/geodata.sql.js';
import { Scope } from '../../server/auth/scope.js';
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
  for (const directory of jobDirectories) fs.rmSync(directory, { recursive: true, force: true });
});

type Format = 'geojson' | 'shapefile' | 'gpkg' | 'filegdb';
type Options = Parameters<typeof exportContext>[1];

let lastJob: Awaited<ReturnType<typeof exportContext>>;
const jobDirectories: string[] = [];
async function runExport(options: Options): Promise<ExportOutput | ExportRefusal> {
  const job = await exportContext(testApp, options);
  lastJob = job;
  jobDirectories.push(job.directory);
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
  // In the staging schema, as the application (whose connection reads it back): the schema test lists
  // the public tables, and other test files run meanwhile.
  const table = `export_back_${process.pid}_${++loaded}`;
  const args = ['-f', 'PostgreSQL', admin.dataset, dataset, '-nln', table, '-lco', 'SCHEMA=staging', '-t_srs', 'EPSG:4490', '-lco', 'GEOMETRY_NAME=geom', '-lco', 'LAUNDER=NO', '-nlt', 'MULTIPOLYGON'];
  if (!dataset.endsWith('.shp') && !dataset.endsWith('.geojson')) args.push(layer);
  const result = spawnSync('ogr2ogr', args, { env: { ...process.env, ...admin.env, PGOPTIONS: '-c role=biaotu_app' } });
  expect(result.status, result.stderr.toString()).toBe(0);
  expect(result.stderr.toString()).not.toMatch(/couldn't be converted|laundered|truncated/i);
  return `staging.${table}`;
}

function ogrinfo(dataset: string, layer: string): string {
  const args = ['-ro', '-so', dataset];
  args.push(dataset.endsWith('.shp') || dataset.endsWith('.geojson') ? path.basename(dataset).replace(/\.(shp|geojson)$/, '') : layer);
  const result = spawnSync('ogrinfo', args);
  expect(result.status, result.stderr.toString()).toBe(0);
  return result.stdout.toString();
}

const q = (name: string) => sql.ref(name);

/**
 * The parcels' versions now, kept in a table: taken before an export, it tells which parcels other
 * test files (which share the database) changed while the export ran, so that the comparison
 * holds the export to the rows it saw.
 */
async function snapshotVersions(): Promise<string> {
  const table = `staging.versions_${process.pid}_${++loaded}`;
  await sql`CREATE TABLE ${sql.table(table)} AS SELECT id, version FROM parcels`.execute(testApp.database.db);
  return table;
}

/**
 * The loaded table against the parcels table: rows, areas, strings, district codes. Areas and
 * strings are compared for the parcels unchanged since `snapshot` (`changed` counts the others).
 */
async function compareParcels(table: string, names: { id: string; owner: string; code: string; location: string; district: string; area: string }, snapshot: string) {
  const unchanged = sql`s.version = p.version`;
  const { rows: [row] } = await sql<{ rows: number; matched: number; changed: number; worst_area: number; worst_attribute: number; owners_differ: number; codes_differ: number; locations_differ: number; districts: string[] }>`
    SELECT count(*)::int AS rows, count(p.id)::int AS matched, count(*) FILTER (WHERE NOT ${unchanged})::int AS changed,
           max(abs(ST_Area(b.geom::geography) - p.area_m2) / p.area_m2) FILTER (WHERE ${unchanged}) AS worst_area,
           max(abs(${q(`b.${names.area}`)}::float8 - p.area_m2) / p.area_m2) FILTER (WHERE ${unchanged}) AS worst_attribute,
           count(*) FILTER (WHERE ${unchanged} AND ${q(`b.${names.owner}`)} IS DISTINCT FROM p.owner)::int AS owners_differ,
           count(*) FILTER (WHERE ${unchanged} AND ${q(`b.${names.code}`)} IS DISTINCT FROM p.code)::int AS codes_differ,
           count(*) FILTER (WHERE ${unchanged} AND ${q(`b.${names.location}`)} IS DISTINCT FROM p.location)::int AS locations_differ,
           array_agg(DISTINCT ${q(`b.${names.district}`)}) AS districts
    FROM ${sql.table(table)} b LEFT JOIN parcels p ON p.id = ${q(`b.${names.id}`)}::bigint LEFT JOIN ${sql.table(snapshot)} s ON s.id = p.id`.execute(testApp.database.db);
  await dropTable(snapshot);
  // Other files edit a handful of parcels; the comparison must still hold for nearly all.
  expect(row.changed).toBeLessThan(Math.max(10, row.rows / 20));
  return row;
}

async function dropTable(table: string) {
  await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(testApp.database.db).catch(() => undefined);
}

/**
 * Ids of a district's parcels as the demo city generated them, untouched since (other test files
 * insert or reshape parcels of a few metres, whose area 7-decimal GeoJSON cannot keep within
 * 0.01 %), with texts a Shapefile holds whole.
 */
async function quietParcels(district: string): Promise<number[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM parcels p
    WHERE district_code = ${district} AND octet_length(concat(owner, town_or_park, location, contract_no, certificate_no)) < 200
      AND NOT EXISTS (SELECT FROM history h WHERE h.entity = 'parcels' AND h.entity_id = p.id::text)
    ORDER BY id LIMIT 10000`.execute(testApp.database.db);
  return rows.map((row) => Number(row.id));
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
  it.each(formats)('%s: same count, the CRS, every area within 0.01 percent, every Chinese string byte-identical', async (format) => {
    // 湖里区's parcels as a selection of the quiet ones: other test files write parcels into the same
    // database meanwhile (the route fuzz stores the longest legal texts, which a Shapefile refuses).
    const ids = await quietParcels('350206');
    const expected = ids.length;
    expect(expected).toBeGreaterThan(100);
    const snapshot = await snapshotVersions();
    const output = await exported({ layer: 'parcels', format, filters: { district: '350206', ids } });
    expect(output.rowCount).toBe(expected);
    expect(output.crs).toBe(format === 'geojson' ? 'EPSG:4326' : 'EPSG:4527');
    expect(output.fileName).toMatch(new RegExp(`^厦门市湖里区_地块_选择\\d+宗_\\d{8}${format === 'geojson' ? '\\.geojson' : format === 'gpkg' ? '\\.gpkg' : format === 'filegdb' ? '\\.gdb\\.zip' : '\\.zip'}$`));
    const dataset = datasetOf(output, 'parcels');
    const info = ogrinfo(dataset, 'parcels');
    expect(info).toContain(`Feature Count: ${expected}`);
    if (format === 'geojson') expect(info).toMatch(/WGS 84|EPSG","4326/);
    else expect(info).toMatch(/CGCS2000 \/ 3-degree Gauss-Kruger zone 39|CGCS2000_3_Degree_GK_Zone_39/);
    const table = loadBack(dataset, 'parcels');
    try {
      const compared = await compareParcels(table, NAMES[format], snapshot);
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

/**
 * Every geodata format the product writes, read back by the product's own import (upload → describe
 * → load into staging through readPolygonLayer → validate): the staged features against the
 * export's own SELECT in CGCS2000 degrees, by 系统编号.
 */
describe('parcels of 湖里区 in every geodata format, read back by the product\'s own import', () => {
  const CASES: { label: string; format: Format; encoding?: 'GBK' | 'UTF-8'; srid: number }[] = [
    { label: 'GeoJSON', format: 'geojson', srid: 4326 },
    { label: 'Shapefile GBK', format: 'shapefile', encoding: 'GBK', srid: 4527 },
    { label: 'Shapefile UTF-8', format: 'shapefile', encoding: 'UTF-8', srid: 4527 },
    { label: 'GeoPackage', format: 'gpkg', srid: 4527 },
    { label: 'File Geodatabase', format: 'filegdb', srid: 4527 },
  ];
  it.each(CASES)('$label: every parcel staged, every area within 0.01 percent, every Chinese string byte-identical', async ({ format, encoding, srid }) => {
    const ids = (await quietParcels('350206')).slice(0, 1500);
    expect(ids.length).toBeGreaterThan(100);
    const snapshot = await snapshotVersions();
    const output = await exported({ layer: 'parcels', format, encoding, filters: { district: '350206', ids } });
    expect(output.rowCount).toBe(ids.length);
    // Under the name the product gave it (厦门市湖里区_地块_选择…宗_YYYYMMDD.zip, .gpkg, .gdb.zip, .geojson).
    const state = await upload(surveyor, output.fileName, fs.readFileSync(output.file), { kind: 'parcels' });
    try {
      expect(state.status, JSON.stringify(state.error ?? state.needs)).toBe('ready');
      expect(state.detected.srid).toBe(srid);
      if (format === 'shapefile') expect(state.detected.encoding).toBe(encoding === 'GBK' ? 'gbk' : 'utf-8');
      const selected = state.layers.filter((layer: { selected: boolean }) => layer.selected);
      expect(selected).toHaveLength(1);
      expect(selected[0]).toMatchObject({ format, featureCount: ids.length, skipped: null });
      expect(state.report).toMatchObject({ features: ids.length, rejected: 0 });
      const { rows: [row] } = await sql<{ layers: { stagingTable: string | null }[] }>`SELECT layers FROM imports WHERE id = ${state.id}`.execute(testApp.database.db);
      const staged = sql.id('staging', row.layers.find((layer) => layer.stagingTable)!.stagingTable!);
      // The export's own rows, named as in the file, in CGCS2000 degrees (as the import stages them).
      const query = parcelsQuery({ ids }, Scope.system());
      const names = fieldNames(query, format, encoding ?? 'UTF-8').names;
      const name = (key: string) => names[query.fields.findIndex((field) => field.key === key)];
      const texts = query.fields.flatMap((field, index) => (field.type === '文本' ? [names[index]] : []));
      expect(texts.length).toBeGreaterThan(20);
      const differs = sql.join(texts.map((text) => sql`${sql.ref(`s.${text}`)}::text IS DISTINCT FROM ${sql.ref(`e.${text}`)}::text`), sql` OR `);
      const { rows: [compared] } = await sql<{ rows: number; matched: number; changed: number; worst_area: number; texts_differ: number; example: string | null }>`
        WITH e AS (${sql.raw(selectSql(query, names, 4490))})
        SELECT count(*)::int AS rows, count(e.${sql.ref(name('id'))})::int AS matched,
               count(*) FILTER (WHERE v.version IS DISTINCT FROM p.version)::int AS changed,
               max(abs(ST_Area(s._geom::geography) - p.area_m2) / p.area_m2) FILTER (WHERE v.version = p.version) AS worst_area,
               count(*) FILTER (WHERE v.version = p.version AND (${differs}))::int AS texts_differ,
               min(e.${sql.ref(name('code'))}::text) FILTER (WHERE v.version = p.version AND (${differs})) AS example
        FROM ${staged} s
          LEFT JOIN e ON e.${sql.ref(name('id'))}::bigint = s.${sql.ref(name('id'))}::bigint
          LEFT JOIN parcels p ON p.id = s.${sql.ref(name('id'))}::bigint
          LEFT JOIN ${sql.table(snapshot)} v ON v.id = p.id`.execute(testApp.database.db);
      await dropTable(snapshot);
      expect(compared.rows).toBe(ids.length);
      expect(compared.matched).toBe(ids.length);
      expect(compared.changed).toBeLessThan(Math.max(10, ids.length / 20));
      expect(compared.worst_area).toBeLessThan(1e-4);
      expect(compared.texts_differ, `first differing parcel: ${compared.example}`).toBe(0);
      // And the Chinese strings the preview shows (the staged rows as the import page lists them).
      const preview = (await surveyor.get(`/api/imports/${state.id}/features?pageSize=20`)).json();
      const codes = preview.features.map((feature: { properties: Record<string, string> }) => feature.properties[name('code')]);
      expect(codes.length).toBe(20);
      const { rows: owners } = await sql<{ code: string; owner: string | null }>`SELECT code, owner FROM parcels WHERE code = ANY(${codes}::text[])`.execute(testApp.database.db);
      const ownerOf = new Map(owners.map((owner) => [owner.code, owner.owner]));
      for (const feature of preview.features as { properties: Record<string, string | null> }[]) {
        expect(feature.properties[name('owner')]).toBe(ownerOf.get(feature.properties[name('code')]!));
      }
    } finally {
      expect((await surveyor.request({ method: 'DELETE', url: `/api/imports/${state.id}` })).statusCode).toBeLessThan(300);
    }
  });
});

describe('Shapefile details', () => {
  it('zips .shp/.shx/.dbf/.prj/.cpg with an Esri .prj ArcGIS names, GBK (LDID 0x4D, .cpg 936), and a 字段对照表 that names every shortened field', async () => {
    const output = await exported({ layer: 'parcels', format: 'shapefile', filters: { district: '350206', status: 'suspected' } });
    expect(output.fileName).toMatch(/^厦门市湖里区_地块_疑似低效_\d{8}\.zip$/);
    expect(output.encoding).toBe('GBK');
    const progress = lastJob.progressSeen;
    expect(progress.at(-1)).toBe(1);
    expect(progress.some((fraction) => fraction > 0.1 && fraction < 0.95)).toBe(true);
    expect(progress.every((fraction, index) => index === 0 || fraction >= progress[index - 1])).toBe(true);
    const shp = datasetOf(output, 'parcels');
    const folder = path.dirname(shp);
    expect(fs.readdirSync(folder).sort()).toEqual(['parcels.cpg', 'parcels.dbf', 'parcels.prj', 'parcels.shp', 'parcels.shx', '字段对照表.xlsx']);
    expect(fs.readFileSync(path.join(folder, 'parcels.prj'), 'utf8')).toMatch(/^PROJCS\["CGCS2000_3_Degree_GK_Zone_39",GEOGCS\["GCS_China_Geodetic_Coordinate_System_2000"/);
    expect(fs.readFileSync(path.join(folder, 'parcels.cpg'), 'latin1')).toBe('936');
    const dbf = fs.readFileSync(path.join(folder, 'parcels.dbf'));
    expect(dbf[29]).toBe(0x4d);
    // Field names in the DBF header: 11-byte slots, GBK, none over 10 bytes; 使用权人 in GBK bytes.
    const headerLength = dbf.readUInt16LE(8);
    const names: string[] = [];
    for (let offset = 32; offset + 32 <= headerLength && dbf[offset] !== 0x0d; offset += 32) {
      const raw = dbf.subarray(offset, offset + 11);
      names.push(new TextDecoder('gbk').decode(raw.subarray(0, raw.indexOf(0) === -1 ? 11 : raw.indexOf(0))));
    }
    expect(names).toContain('使用权人');
    expect(names).toContain('宗地编号');
    expect(names.length).toBe(new Set(names).size);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(folder, '字段对照表.xlsx'));
    const rows = workbook.getWorksheet('字段对照表')!.getSheetValues().slice(3) as unknown[][];
    const byName = new Map(rows.map((row) => [String(row[2]), row]));
    expect([...byName.keys()].sort()).toEqual([...names].sort());
    expect(byName.get('使用权人')![3]).toBe('土地使用权人');
    expect(String(byName.get('使用权人')![6])).toContain('超过 dBASE 字段名 10 字节上限');
    expect(byName.get('椭球面积亩')![4]).toBe('亩');
    expect(byName.get('椭球面积')![4]).toBe('m²');
    expect(output.notes.some((note) => note.includes('字段对照表.xlsx'))).toBe(true);
  });

  it('names over 10 bytes are shortened per encoding: 2 bytes a Chinese character in GBK, 3 in UTF-8', () => {
    const fields = [{ name: '土地使用权人', short: '使用权人' }, { name: '行政办公及生活服务设施用地比重' }, { name: '行政办公及生活' }, { name: '宗地编号' }];
    expect(dbfFieldNames(fields, 'GBK').map((name) => name.name)).toEqual(['使用权人', '行政办公及', '行政办公1', '宗地编号']);
    expect(dbfFieldNames(fields, 'UTF-8').map((name) => name.name)).toEqual(['使用权', '行政办', '行政办1', '宗地编']);
    expect(dbfFieldNames(fields, 'GBK').map((name) => name.renamed)).toEqual([true, true, true, false]);
  });

  it('UTF-8 on request: .cpg UTF-8, fields renamed to fit 10 UTF-8 bytes and listed in the sheet, strings identical', async () => {
    const snapshot = await snapshotVersions();
    const output = await exported({ layer: 'parcels', format: 'shapefile', encoding: 'UTF-8', filters: { district: '350206', type: 'idle' } });
    expect(output.encoding).toBe('UTF-8');
    const shp = datasetOf(output, 'parcels');
    expect(fs.readFileSync(shp.replace(/\.shp$/, '.cpg'), 'latin1')).toBe('UTF-8');
    const table = loadBack(shp, 'parcels');
    try {
      const compared = await compareParcels(table, { id: '系统编', owner: '使用权', code: '宗地编', location: '土地坐', district: '行政区', area: '椭球面' }, snapshot);
      expect(compared).toMatchObject({ rows: output.rowCount, matched: output.rowCount, owners_differ: 0, codes_differ: 0, locations_differ: 0 });
    } finally {
      await dropTable(table);
    }
  });
});

describe('defined behaviour at the edges', () => {
  it('a cancelled export stops ogr2ogr and rejects, leaving no finished file', async () => {
    const controller = new AbortController();
    const job = await exportContext(testApp, { layer: 'parcels', format: 'gpkg', signal: controller.signal });
    jobDirectories.push(job.directory);
    const started = Date.now();
    const running = EXPORT_WRITERS['parcels:gpkg']!({ ...job, progress: (fraction) => { if (fraction > 0.05) controller.abort(new Error('用户取消')); } });
    await expect(running).rejects.toThrow('用户取消');
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(fs.readdirSync(job.directory).filter((entry) => entry.endsWith('.zip'))).toEqual([]);
  });

  it('an empty selection is refused with a Chinese message (every format)', async () => {
    for (const format of ['shapefile', 'geojson', 'gpkg', 'filegdb'] as const) {
      const output = await runExport({ layer: 'parcels', format, filters: { district: '350206', bbox: [100, 20, 100.01, 20.01] } });
      expect(output).toMatchObject({ ok: false, reason: EXPORT_EMPTY });
      expect((output as ExportRefusal).message).toContain('没有符合条件的地块可导出');
    }
  });

  it('an owner with characters outside GBK: the Shapefile falls back to UTF-8, says so, and the name reads back intact', async () => {
    const { rows: [parcel] } = await sql<{ id: number; owner: string | null }>`SELECT id, owner FROM parcels WHERE district_code = '350206' ORDER BY id LIMIT 1`.execute(testApp.database.db);
    const rare = '厦门𠮷野家餐饮有限公司（䶮）';
    await sql`UPDATE parcels SET owner = ${rare} WHERE id = ${parcel.id}`.execute(testApp.database.db);
    try {
      const { rows: neighbours } = await sql<{ id: number }>`SELECT id FROM parcels WHERE district_code = '350206' AND id <> ${parcel.id} ORDER BY id LIMIT 4`.execute(testApp.database.db);
      const output = await exported({ layer: 'parcels', format: 'shapefile', filters: { ids: [parcel.id, ...neighbours.map((row) => row.id)] } });
      expect(output.encoding).toBe('UTF-8');
      expect(output.notes.join(' ')).toContain('GBK 无法表示的字符');
      expect(output.notes.join(' ')).toContain('如“𠮷”“䶮”');
      expect(output.notes.join(' ')).toContain('厦门𠮷野家');
      const shp = datasetOf(output, 'parcels');
      expect(fs.readFileSync(shp.replace(/\.shp$/, '.cpg'), 'latin1')).toBe('UTF-8');
      const table = loadBack(shp, 'parcels');
      try {
        const { rows: [back] } = await sql<{ owner: string }>`SELECT ${q('使用权')} AS owner FROM ${sql.table(table)} WHERE ${q('系统编')}::bigint = ${parcel.id}`.execute(testApp.database.db);
        expect(Buffer.from(back.owner, 'utf8').equals(Buffer.from(rare, 'utf8'))).toBe(true);
      } finally {
        await dropTable(table);
      }
    } finally {
      await sql`UPDATE parcels SET owner = ${parcel.owner} WHERE id = ${parcel.id}`.execute(testApp.database.db);
    }
  });

  it('long texts: 100 Chinese characters (200 GBK bytes) arrive whole in the DBF; over 254 bytes the Shapefile is refused, naming the field', async () => {
    const { rows: [parcel] } = await sql<{ id: number; location: string | null }>`SELECT id, location FROM parcels WHERE district_code = '350206' ORDER BY id OFFSET 3 LIMIT 1`.execute(testApp.database.db);
    const long = '湖里区'.repeat(33) + '路';
    await sql`UPDATE parcels SET location = ${long} WHERE id = ${parcel.id}`.execute(testApp.database.db);
    try {
      const output = await exported({ layer: 'parcels', format: 'shapefile', filters: { ids: [parcel.id] } });
      const table = loadBack(datasetOf(output, 'parcels'), 'parcels');
      try {
        const { rows: [back] } = await sql<{ location: string }>`SELECT ${q('土地坐落')} AS location FROM ${sql.table(table)}`.execute(testApp.database.db);
        expect(back.location).toBe(long);
      } finally {
        await dropTable(table);
      }
      await sql`UPDATE parcels SET location = ${long + '路'.repeat(30)} WHERE id = ${parcel.id}`.execute(testApp.database.db);
      const refused = await runExport({ layer: 'parcels', format: 'shapefile', filters: { ids: [parcel.id] } });
      expect(refused).toMatchObject({ ok: false, reason: 'value_too_long_for_dbf' });
      expect((refused as ExportRefusal).message).toContain('土地位置(坐落)');
      expect((refused as ExportRefusal).message).toContain('GeoPackage');
      const gpkg = await exported({ layer: 'parcels', format: 'gpkg', filters: { ids: [parcel.id] } });
      expect(gpkg.rowCount).toBe(1);
    } finally {
      await sql`UPDATE parcels SET location = ${parcel.location} WHERE id = ${parcel.id}`.execute(testApp.database.db);
    }
  });

  it('chooses the zone of the data centre, and names both zones and EPSG:4490 when the data straddles two', async () => {
    expect(chooseGaussKrugerZone(118.0, 118.3)).toMatchObject({ epsg: 4527, zone: 39, zonesTouched: [39], note: null });
    expect(chooseGaussKrugerZone(119.8, 120.1)).toMatchObject({ epsg: 4528, zone: 40 });
    const west = await sql<{ id: number }>`SELECT id FROM parcels WHERE district_code = '350205' ORDER BY ST_XMin(geom) LIMIT 1`.execute(testApp.database.db);
    const { rows: [added] } = await sql<{ id: number }>`
      INSERT INTO parcels (code, district_code, owner, area_m2, geom)
      SELECT 'EXPORT-ZONE-40', '350213', '跨带测试', ST_Area(g::geography), g
      FROM (SELECT ST_Multi(ST_MakeEnvelope(118.60, 24.50, 118.601, 24.501, 4490)) AS g) s RETURNING id`.execute(testApp.database.db);
    try {
      const output = await exported({ layer: 'parcels', format: 'gpkg', filters: { ids: [west.rows[0].id, added.id] } });
      expect(output.crs).toBe('EPSG:4527');
      expect(output.notes.join(' ')).toMatch(/横跨 39、40 共 2 个 3 度带.*第 39 带 \(EPSG:4527.*EPSG:4490/);
      const lonLat = await exported({ layer: 'parcels', format: 'gpkg', crs: 'EPSG:4490', filters: { ids: [west.rows[0].id, added.id] } });
      expect(lonLat.crs).toBe('EPSG:4490');
      expect(lonLat.notes).toEqual([]);
      expect(ogrinfo(lonLat.file, 'parcels')).toMatch(/China Geodetic Coordinate System 2000|CGCS2000/);
    } finally {
      await sql`DELETE FROM parcels WHERE id = ${added.id}`.execute(testApp.database.db);
    }
  });
});

describe('who may export what', () => {
  it.each(['shapefile', 'geojson', 'gpkg', 'filegdb'] as const)('planner-huli (湖里区 only) gets no other district in %s', async (format) => {
    // A selection of parcels of 湖里区 and of every other district (other test files write parcels
    // into the same database meanwhile, e.g. the route fuzz's longest legal 镇街 names: a selection of
    // quiet rows keeps this about scope).
    const { rows: chosen } = await sql<{ id: number; district_code: string }>`
      SELECT id, district_code FROM (
        SELECT id, district_code, row_number() OVER (PARTITION BY district_code ORDER BY id DESC) AS n FROM parcels
        WHERE octet_length(concat(owner, town_or_park, location, contract_no, certificate_no)) < 200) p
      WHERE n <= 40`.execute(testApp.database.db);
    const expected = chosen.filter((row) => row.district_code === '350206').length;
    expect(expected).toBeGreaterThan(0);
    expect(chosen.length).toBeGreaterThan(expected);
    const snapshot = await snapshotVersions();
    const output = await exported({ layer: 'parcels', format, username: 'planner-huli', filters: { ids: chosen.map((row) => Number(row.id)) } });
    expect(output.rowCount).toBe(expected);
    expect(output.fileName.startsWith('厦门市湖里区_地块_')).toBe(true);
    const table = loadBack(datasetOf(output, 'parcels'), 'parcels');
    try {
      const compared = await compareParcels(table, NAMES[format], snapshot);
      expect(compared.districts).toEqual(['350206']);
      expect(compared.rows).toBe(expected);
    } finally {
      await dropTable(table);
    }
    const elsewhere = await runExport({ layer: 'parcels', format, username: 'planner-huli', filters: { district: '350203' } });
    expect(elsewhere).toMatchObject({ ok: false, reason: EXPORT_EMPTY });
  });
});

const FIXTURES = path.join(REPOSITORY_ROOT, 'fixtures', 'imports');

async function upload(session: Session, name: string, content: Buffer, fields: Record<string, string>) {
  const body = multipartBody(fields, { name, content });
  const response = await session.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
  expect(response.statusCode, response.body).toBe(202);
  const id = response.json().id as string;
  await testApp.app.importService.settled(id);
  const state = await session.get(`/api/imports/${id}`);
  expect(state.statusCode).toBe(200);
  return state.json();
}

describe('a survey year and 成片改造区域', () => {
  const YEAR = 2017;
  beforeAll(async () => {
    const state = await upload(surveyor, 'dltb.zip', fs.readFileSync(path.join(FIXTURES, 'dltb-2023-gbk-4527.zip')), { kind: 'survey', year: String(YEAR) });
    expect(state.status).toBe('ready');
    const commit = await surveyor.request({ method: 'POST', url: `/api/imports/${state.id}/commit` });
    expect(commit.statusCode, commit.body).toBe(200);
  });

  it('exports a year\'s 图斑 under their 三调 names, and the product\'s own import reads the Shapefile back: count, CRS, GBK, strings', async () => {
    const { rows: [layer] } = await sql<{ id: number; n: number }>`
      SELECT l.id, (SELECT count(*)::int FROM survey_patches s WHERE s.layer_id = l.id) AS n FROM survey_layers l
      WHERE l.year = ${YEAR} AND l.superseded_at IS NULL AND l.committed`.execute(testApp.database.db);
    const output = await exported({ layer: 'survey', format: 'shapefile', filters: { year: YEAR } });
    expect(output.rowCount).toBe(layer.n);
    expect(output.fileName).toMatch(new RegExp(`^厦门市_变更调查图斑_${YEAR}年度_\\d{8}\\.zip$`));
    const shp = datasetOf(output, `dltb_${YEAR}`);
    const table = loadBack(shp, `dltb_${YEAR}`);
    try {
      const { rows: [compared] } = await sql<{ rows: number; matched: number; worst_area: number }>`
        SELECT count(*)::int AS rows, count(s.id)::int AS matched, max(abs(ST_Area(b.geom::geography) - s.area_m2) / s.area_m2) AS worst_area
        FROM ${sql.table(table)} b LEFT JOIN survey_patches s ON s.layer_id = ${layer.id} AND s.bsm = b."BSM"
          AND s.land_use_name = b."DLMC" AND s.located_unit_name IS NOT DISTINCT FROM b."ZLDWMC" AND s.owner_unit_name IS NOT DISTINCT FROM b."QSDWMC"`.execute(testApp.database.db);
      expect(compared).toMatchObject({ rows: layer.n, matched: layer.n });
      expect(compared.worst_area).toBeLessThan(1e-4);
    } finally {
      await dropTable(table);
    }
    const state = await upload(surveyor, output.fileName, fs.readFileSync(output.file), { kind: 'survey', year: '2016' });
    expect(state.status).toBe('ready');
    expect(state.detected).toMatchObject({ srid: 4527, encoding: 'gbk' });
    expect(state.layers[0]).toMatchObject({ featureCount: layer.n });
    const preview = (await surveyor.get(`/api/imports/${state.id}/features?pageSize=50`)).json();
    const { rows: names } = await sql<{ name: string }>`SELECT DISTINCT located_unit_name AS name FROM survey_patches WHERE layer_id = ${layer.id}`.execute(testApp.database.db);
    expect(new Set(preview.features.map((feature: { properties: { ZLDWMC: string } }) => feature.properties.ZLDWMC))).toEqual(new Set(names.map((row) => row.name)));
    expect((await surveyor.request({ method: 'DELETE', url: `/api/imports/${state.id}` })).statusCode).toBeLessThan(300);
  });

  it.each(['geojson', 'gpkg', 'filegdb'] as const)('a survey year as %s: every 图斑, its CRS, areas and strings', async (format) => {
    const output = await exported({ layer: 'survey', format, filters: { year: YEAR, district: '350206' } });
    const { rows: [expected] } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM survey_patches s JOIN survey_layers l ON l.id = s.layer_id AND l.year = ${YEAR} AND l.superseded_at IS NULL AND l.committed
      WHERE ST_Intersects((SELECT geom FROM districts WHERE code = '350206'), ST_PointOnSurface(s.geom))`.execute(testApp.database.db);
    expect(expected.n).toBeGreaterThan(0);
    expect(output.rowCount).toBe(expected.n);
    expect(output.crs).toBe(format === 'geojson' ? 'EPSG:4326' : 'EPSG:4527');
    const table = loadBack(datasetOf(output, `dltb_${YEAR}`), `dltb_${YEAR}`);
    const [bsm, dlmc] = format === 'geojson' ? ['bsm', 'landUseName'] : ['BSM', 'DLMC'];
    try {
      const { rows: [compared] } = await sql<{ rows: number; matched: number; worst_area: number }>`
        SELECT count(*)::int AS rows, count(s.id)::int AS matched, max(abs(ST_Area(b.geom::geography) - s.area_m2) / s.area_m2) AS worst_area
        FROM ${sql.table(table)} b LEFT JOIN survey_patches s ON s.year = ${YEAR} AND s.bsm = ${q(`b.${bsm}`)} AND s.land_use_name = ${q(`b.${dlmc}`)}`.execute(testApp.database.db);
      expect(compared).toMatchObject({ rows: expected.n, matched: expected.n });
      expect(compared.worst_area).toBeLessThan(1e-4);
    } finally {
      await dropTable(table);
    }
  });

  it('an area exports as three layers — boundary, 零星用地, 配套用地 — in one GeoPackage and one Shapefile zip', async () => {
    const planner = await login(testApp.app, 'planner-huli');
    const { rows: [parcel] } = await sql<{ xmin: number; ymin: number; xmax: number; ymax: number }>`
      SELECT ST_XMin(geom) AS xmin, ST_YMin(geom) AS ymin, ST_XMax(geom) AS xmax, ST_YMax(geom) AS ymax
      FROM parcels WHERE district_code = '350206' ORDER BY id OFFSET 40 LIMIT 1`.execute(testApp.database.db);
    const dx = parcel.xmax - parcel.xmin;
    const dy = parcel.ymax - parcel.ymin;
    const box = (x0: number, y0: number, x1: number, y1: number) => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });
    const boundary = box(parcel.xmin - dx, parcel.ymin - dy, parcel.xmax + dx, parcel.ymax + dy);
    const piece = (fx: number) => ({ type: 'Feature', properties: {}, geometry: box(parcel.xmin - dx * fx, parcel.ymin - dy * 0.9, parcel.xmin - dx * (fx - 0.2), parcel.ymin - dy * 0.7) });
    const created = await planner.request({ method: 'POST', url: '/api/areas', payload: {
      name: '湖里 导出测试 区域', mode: 'owner_self', targetLandUse: '新型产业用地', ruleSet: 'xiamen-new-industrial', boundary,
      fragments: { type: 'FeatureCollection', features: [piece(0.9), piece(0.5)] },
      supportingLand: { type: 'FeatureCollection', features: [piece(0.25)] },
      figures: { totalFloorArea: 30000, supportingFloorArea: 3000, factoryFloorArea: 18000 },
    } });
    expect(created.statusCode, created.body).toBe(201);
    const areaId = created.json().id as number;
    const gpkg = await exported({ layer: 'areas', format: 'gpkg', username: 'planner-huli', filters: { areaId } });
    expect(gpkg.rowCount).toBe(4);
    expect(gpkg.fileName).toMatch(/^厦门市湖里区_成片改造区域_湖里导出测试区域_\d{8}\.gpkg$/);
    const layers = spawnSync('ogrinfo', ['-ro', '-so', '-al', gpkg.file]).stdout.toString();
    expect(layers).toMatch(/Layer name: area_boundary[\s\S]*Feature Count: 1/);
    expect(layers).toMatch(/Layer name: area_fragments[\s\S]*Feature Count: 2/);
    expect(layers).toMatch(/Layer name: area_supporting[\s\S]*Feature Count: 1/);
    const table = loadBack(gpkg.file, 'area_boundary');
    try {
      const { rows: [back] } = await sql<{ name: string; ratio: number }>`
        SELECT b."区域名称" AS name, abs(ST_Area(b.geom::geography) - a.area_m2) / a.area_m2 AS ratio FROM ${sql.table(table)} b JOIN areas a ON a.id = b."区域编号"::bigint`.execute(testApp.database.db);
      expect(back.name).toBe('湖里 导出测试 区域');
      expect(back.ratio).toBeLessThan(1e-4);
    } finally {
      await dropTable(table);
    }
    const shapefile = await exported({ layer: 'areas', format: 'shapefile', username: 'planner-huli', filters: { areaId } });
    const folder = path.dirname(datasetOf(shapefile, 'area_boundary'));
    expect(fs.readdirSync(folder).filter((entry) => entry.endsWith('.shp')).sort()).toEqual(['area_boundary.shp', 'area_fragments.shp', 'area_supporting.shp']);
    const geojson = await exported({ layer: 'areas', format: 'geojson', username: 'planner-huli', filters: { areaId } });
    expect(geojson.fileName).toMatch(/_GeoJSON\.zip$/);
    const geojsonFolder = path.dirname(datasetOf(geojson, 'area_boundary'));
    expect(fs.readdirSync(geojsonFolder).sort()).toEqual(['area_boundary.geojson', 'area_fragments.geojson', 'area_supporting.geojson']);
    const fragments = JSON.parse(fs.readFileSync(path.join(geojsonFolder, 'area_fragments.geojson'), 'utf8'));
    expect(fragments.features.map((feature: { properties: { areaName: string; number: number } }) => [feature.properties.areaName, feature.properties.number]))
      .toEqual([['湖里 导出测试 区域', 1], ['湖里 导出测试 区域', 2]]);
    const outsider = await runExport({ layer: 'areas', format: 'gpkg', username: 'planner', filters: { areaId, district: '350203' } });
    expect(outsider).toMatchObject({ ok: false, reason: EXPORT_EMPTY });
    // An area without zones still gets its three layers (two empty) in a File Geodatabase.
    const bare = await planner.request({ method: 'POST', url: '/api/areas', payload: {
      name: '湖里 无零星 区域', mode: 'owner_self', targetLandUse: '新型产业用地', ruleSet: 'xiamen-new-industrial',
      boundary: box(parcel.xmin - dx * 4, parcel.ymin - dy * 4, parcel.xmin - dx * 2, parcel.ymin - dy * 2),
    } });
    expect(bare.statusCode, bare.body).toBe(201);
    const gdb = await exported({ layer: 'areas', format: 'filegdb', username: 'planner-huli', filters: { areaId: bare.json().id } });
    expect(gdb.rowCount).toBe(1);
    const gdbLayers = spawnSync('ogrinfo', ['-ro', '-so', '-al', datasetOf(gdb, 'area_boundary')]).stdout.toString();
    expect(gdbLayers).toMatch(/Layer name: area_boundary[\s\S]*Feature Count: 1[\s\S]*Layer name: area_fragments[\s\S]*Feature Count: 0[\s\S]*Layer name: area_supporting[\s\S]*Feature Count: 0/);
  });
});
