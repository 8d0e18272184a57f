import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { connectDatabase, type DatabaseHandles } from '../../server/db/database.js';
import { gdalConnection } from '../../server/imports/gdal.js';
import { databaseDecoding } from '../../server/imports/polygon-layer.reader.js';
import { multipartBody } from '../helpers/multipart.js';
import { gdalAttributes, huliSquare, zipShapefile } from '../helpers/survey-files.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * The GBK text of a 变更调查 shapefile is read by GDAL byte for character (ISO-8859-1, no iconv)
 * and decoded by PostgreSQL, batch by batch (databaseDecoding): every committed value must be the
 * one GDAL's own CP936 decoding gives, for every two-byte sequence GBK has, and for the bytes it
 * cannot decode (which GDAL leaves out).
 */
let testApp: TestApp;
let owner: DatabaseHandles;
let admin: Session;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-decode-'));

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

type Values = Record<string, string | null>;

/**
 * A zipped shapefile without .cpg of one small square per entry of `values`, in EPSG:4527 (`srid`
 * 4527, both conversions in one statement) or EPSG:4490 (text only). `encoding` is how GDAL writes
 * the text: CP936 (from Unicode, as a 变更调查 is written) or ISO-8859-1 (each character < 256 is
 * the byte of the same number: any bytes at all).
 */
function shapefile(name: string, values: readonly Values[], where: { west: number; south: number }, srid: 4527 | 4490, encoding: 'CP936' | 'ISO-8859-1'): string {
  const folder = path.join(work, name);
  fs.mkdirSync(folder);
  const step = 0.00005;
  const side = Math.ceil(Math.sqrt(values.length));
  const lines = values.map((properties, index) => {
    const lon = where.west + (index % side) * step;
    const lat = where.south + Math.floor(index / side) * step;
    const size = step * 0.8;
    const ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]];
    return JSON.stringify({ type: 'Feature', properties: { BSM: `D${index}`, DLBM: '0601', ...properties, TBMJ: 0 }, geometry: { type: 'Polygon', coordinates: [ring] } });
  });
  const source = path.join(folder, 'source.geojsonl');
  fs.writeFileSync(source, `${lines.join('\n')}\n`);
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', path.join(folder, 'DLTB.shp'), source, '-s_srs', 'EPSG:4490', '-t_srs', `EPSG:${srid}`, '-lco', `ENCODING=${encoding}`, '-nln', 'DLTB'], { stdio: 'pipe' });
  fs.rmSync(path.join(folder, 'DLTB.cpg'), { force: true });
  return zipShapefile(folder);
}

/** Imports and commits `zip` as a survey layer of `year`, read as GBK; answers the layer id. */
async function importAsGbk(zip: string, year: number): Promise<number> {
  const body = multipartBody({ kind: 'survey', year: String(year), encoding: 'gbk' }, { name: 'dltb.zip', content: fs.readFileSync(zip) });
  const response = await admin.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
  expect(response.statusCode).toBe(202);
  const id = response.json().id as string;
  await testApp.app.importService.settled(id);
  const state = (await admin.get(`/api/imports/${id}`)).json();
  expect(state.status).toBe('ready');
  // The layer takes the PostgreSQL path: GBK, ASCII field names.
  const row = (await testApp.app.importService.imports.find(id))!;
  expect(databaseDecoding(row.layers.find((layer) => layer.selected)!)).toBe('GBK');
  const commit = await admin.request({ method: 'POST', url: `/api/imports/${id}/commit` });
  expect(commit.statusCode).toBe(200);
  return commit.json().result.layerId as number;
}

const TEXT_FIELDS = ['DLMC', 'QSDWMC', 'ZLDWMC'] as const;

/** The committed text of each feature, by BSM. */
async function committed(layerId: number): Promise<Map<string, Values>> {
  const { rows } = await sql<{ bsm: string; attributes: Values; land_use_name: string | null }>`
    SELECT bsm, attributes, land_use_name FROM survey_patches WHERE layer_id = ${layerId}`.execute(owner.db);
  return new Map(rows.map((row) => [row.bsm, { ...Object.fromEntries(TEXT_FIELDS.map((field) => [field, row.attributes[field] ?? null])), mapped: row.land_use_name }]));
}

/** The text GDAL's own CP936 decoding (iconv) reads from the same shapefile, by BSM. */
function gdalReads(zip: string): Map<string, Values> {
  const features = gdalAttributes(path.join(path.dirname(zip), 'DLTB.shp'), 'CP936');
  return new Map(features.map((properties) => [properties.BSM!, Object.fromEntries(TEXT_FIELDS.map((field) => [field, properties[field] ?? null]))]));
}

/** Every committed value equals GDAL's, and the mapped 地类名称 is the trimmed DLMC; answers the pairs compared. */
function expectSameAsGdal(ours: Map<string, Values>, gdal: Map<string, Values>): number {
  expect(ours.size).toBe(gdal.size);
  let compared = 0;
  for (const [bsm, expected] of gdal) {
    const actual = ours.get(bsm);
    expect(actual, bsm).toBeDefined();
    for (const field of TEXT_FIELDS) {
      expect(actual![field], `${bsm} ${field}`).toBe(expected[field]);
      compared++;
    }
    expect(actual!.mapped, bsm).toBe(expected.DLMC?.trim() || null);
  }
  return compared;
}

/** Text of the characters U+`from`…U+`to`, in values of `length` characters. */
function chunks(codes: readonly number[], length: number): string[] {
  const values: string[] = [];
  for (let start = 0; start < codes.length; start += length) values.push(String.fromCodePoint(...codes.slice(start, start + length)));
  return values;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe('GBK text decoded in PostgreSQL', () => {
  it('gives every ideograph and symbol of GBK exactly as written and as GDAL reads it (coordinates converted in the same statement)', async () => {
    // The 20 902 CJK ideographs of GBK, full-width forms and common punctuation: no byte PostgreSQL refuses (the batch's one statement).
    const text = chunks([...range(0x4e00, 0x9fa5), ...range(0xff01, 0xff5e), ...[...'·—“”‘’…、。《》【】〔〕±×÷∶∧∨∑∏∪∩∈'].map((character) => character.codePointAt(0)!)], 25);
    const values: Values[] = text.map((value, index) => ({ DLMC: value, QSDWMC: index % 3 === 0 ? null : `厦门市湖里区 ${index} 号`, ZLDWMC: index % 5 === 0 ? 'ASCII only' : value.slice(0, 7) }));
    const zip = shapefile('ideographs', values, await huliSquare(owner.db), 4527, 'CP936');
    const ours = await committed(await importAsGbk(zip, 1991));
    const gdal = gdalReads(zip);
    expect(expectSameAsGdal(ours, gdal)).toBe(values.length * 3);
    // And it is the text written.
    for (const [index, value] of values.entries()) expect(ours.get(`D${index}`)!.DLMC).toBe(value.DLMC);
  }, 180_000);

  it('gives what GDAL gives for every two-byte sequence, valid or not, and for bytes GBK cannot decode (coordinates already in degrees)', async () => {
    // Every lead byte 0x81–0xFE with every trail byte 0x40–0xFE but 0x7F: 23 940 sequences, of
    // which 2 149 GBK leaves undefined; then single bytes: 0x80 (CP936's '€'), 0xFF, a lead byte
    // cut off at the end of a value, and an undefined pair between two characters.
    const pairs: string[] = [];
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) pairs.push(String.fromCharCode(lead, trail));
    }
    const values: Values[] = [];
    for (let start = 0; start < pairs.length; start += 30) values.push({ DLMC: pairs.slice(start, start + 30).join(''), QSDWMC: 'plain', ZLDWMC: null });
    values.push(
      { DLMC: '\x80', QSDWMC: '\xff', ZLDWMC: 'abc\xb9' },
      { DLMC: '\xb9\xa4\xa1\x40\xd2\xb5', QSDWMC: '\xb9\xa4\xff\xd2\xb5\xb9', ZLDWMC: '\xff\xff\xff' },
    );
    const zip = shapefile('sequences', values, await huliSquare(owner.db), 4490, 'ISO-8859-1');
    const ours = await committed(await importAsGbk(zip, 1992));
    const gdal = gdalReads(zip);
    expect(expectSameAsGdal(ours, gdal)).toBe(values.length * 3);
    // The sequences were decoded, not dropped: GDAL reads 21 791 characters from them.
    const decoded = [...ours.values()].reduce((sum, value) => sum + [...(value.DLMC ?? '')].length, 0);
    expect(decoded).toBeGreaterThan(21_000);
    const special = ours.get(`D${values.length - 2}`)!;
    expect(special).toMatchObject({ DLMC: '€', ZLDWMC: 'abc' });
    expect(ours.get(`D${values.length - 1}`)!.QSDWMC).toBe('工业');
    expect(ours.get(`D${values.length - 1}`)!.DLMC).toBe('工@业');
  }, 180_000);

  it('is left to GDAL when a field name is not ASCII, and the values are the same', async () => {
    const where = await huliSquare(owner.db);
    const folder = path.join(work, 'names');
    fs.mkdirSync(folder);
    const source = path.join(folder, 'source.geojson');
    const ring = [[where.west, where.south], [where.west + 0.0004, where.south], [where.west + 0.0004, where.south + 0.0004], [where.west, where.south + 0.0004], [where.west, where.south]];
    fs.writeFileSync(source, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { BSM: 'N1', DLBM: '0601', DLMC: '工业用地', 权属单位: '厦门市湖里区禾山街道', TBMJ: 0 }, geometry: { type: 'Polygon', coordinates: [ring] } }] }));
    execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', path.join(folder, 'DLTB.shp'), source, '-a_srs', 'EPSG:4490', '-lco', 'ENCODING=CP936', '-nln', 'DLTB'], { stdio: 'pipe' });
    fs.rmSync(path.join(folder, 'DLTB.cpg'), { force: true });
    const zip = zipShapefile(folder);
    const body = multipartBody({ kind: 'survey', year: '1993', encoding: 'gbk' }, { name: 'dltb.zip', content: fs.readFileSync(zip) });
    const id = (await admin.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers })).json().id as string;
    await testApp.app.importService.settled(id);
    const row = (await testApp.app.importService.imports.find(id))!;
    const layer = row.layers.find((candidate) => candidate.selected)!;
    expect(layer.fields.map((field) => field.name)).toContain('权属单位');
    expect(databaseDecoding(layer)).toBeNull();
    const commit = await admin.request({ method: 'POST', url: `/api/imports/${id}/commit` });
    expect(commit.statusCode).toBe(200);
    const { rows: [patch] } = await sql<{ attributes: Values; land_use_name: string }>`
      SELECT attributes, land_use_name FROM survey_patches WHERE layer_id = ${commit.json().result.layerId as number}`.execute(owner.db);
    expect(patch.attributes).toMatchObject({ DLMC: '工业用地', 权属单位: '厦门市湖里区禾山街道' });
    expect(patch.land_use_name).toBe('工业用地');
  }, 120_000);
});
