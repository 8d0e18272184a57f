import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportState } from '../../domain/api/imports.schemas.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { geoPackage } from '../helpers/geopackage.js';
import { multipartBody } from '../helpers/multipart.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';
import { buildZip } from '../helpers/zip-writer.js';

let testApp: TestApp;
let surveyor: Session;
let planner: Session;
let work: string;

/**
 * A real File Geodatabase written by GDAL's OpenFileGDB driver: `count` 图斑 in 湖里区, in
 * CGCS2000 3-degree zone 39 (EPSG:4527), as the 变更调查 delivers them.
 */
function fileGeodatabase(name: string, layer: string, count: number): string {
  const features = Array.from({ length: count }, (_, index) => {
    const [lon, lat] = [118.12 + index * 0.003, 24.52];
    return { type: 'Feature', properties: { BSM: `${layer}${index}`, DLBM: '0601', DLMC: '工业用地' }, geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.002, lat], [lon + 0.002, lat + 0.002], [lon, lat + 0.002], [lon, lat]]] } };
  });
  const source = path.join(work, `${layer}.geojson`);
  fs.writeFileSync(source, JSON.stringify({ type: 'FeatureCollection', features }));
  const folder = path.join(work, name);
  execFileSync('ogr2ogr', ['-f', 'OpenFileGDB', folder, source, '-s_srs', 'EPSG:4490', '-t_srs', 'EPSG:4527', '-nln', layer]);
  return folder;
}

/** The zip entries of a .gdb folder placed under `prefix` ('' = its tables at the root of the zip), with the folder entries zip tools write. */
function entriesOf(folder: string, prefix: string) {
  const files = fs.readdirSync(folder).map((file) => ({ name: `${prefix}${file}`, content: fs.readFileSync(path.join(folder, file)), deflate: true }));
  const directories = prefix.split('/').filter(Boolean).map((_, index, parts) => ({ name: `${parts.slice(0, index + 1).join('/')}/`, content: Buffer.alloc(0) }));
  return [...directories, ...files];
}

let dltb: string;
let jsyd: string;
beforeAll(async () => {
  testApp = await createTestApp();
  surveyor = await login(testApp.app, 'surveyor');
  planner = await login(testApp.app, 'planner-huli');
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'gdb-fixture-'));
  dltb = fileGeodatabase('DLTB.gdb', 'DLTB', 3);
  jsyd = fileGeodatabase('JSYD.gdb', 'JSYD', 2);
});
afterAll(async () => {
  await testApp.close();
  fs.rmSync(work, { recursive: true, force: true });
});

/** Every way a .gdb folder sits in the zip it is shipped in (ArcGIS, ArcCatalog, 7-Zip, by hand). */
const LAYOUTS: { name: string; entries: () => ReturnType<typeof entriesOf>; layers: number }[] = [
  { name: 'its tables at the root of the zip, without the folder', entries: () => entriesOf(dltb, ''), layers: 1 },
  { name: 'the folder DLTB.gdb/ (as ArcGIS and 7-Zip ship DLTB.gdb.zip)', entries: () => entriesOf(dltb, 'DLTB.gdb/'), layers: 1 },
  { name: 'the folder inside another folder (data/DLTB.gdb/)', entries: () => entriesOf(dltb, 'data/DLTB.gdb/'), layers: 1 },
  { name: 'several .gdb folders in one zip', entries: () => [...entriesOf(dltb, 'DLTB.gdb/'), ...entriesOf(jsyd, 'JSYD.gdb/')], layers: 2 },
];

describe('a zipped File Geodatabase (DLTB.gdb.zip)', () => {
  it.each(LAYOUTS)('is imported with $name', async ({ entries, layers }) => {
    const body = multipartBody({ kind: 'survey', year: '2022' }, { name: 'DLTB.gdb.zip', content: buildZip(entries()) });
    const response = await surveyor.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
    expect(response.statusCode).toBe(202);
    const id = response.json().id;
    await testApp.app.importService.settled(id);
    const state = (await surveyor.get(`/api/imports/${id}`)).json();
    assertMatchesContract(ImportState, state);
    expect(state.error).toBeNull();
    expect(state.status).toBe('ready');
    expect(state.layers.filter((layer: { selected: boolean }) => layer.selected)).toHaveLength(layers);
    expect(state.layers[0]).toMatchObject({ format: 'filegdb', gdalLayer: 'DLTB', featureCount: 3, skipped: null });
    expect(state.detected.srid).toBe(4527);
    expect(state.report).toMatchObject({ features: layers === 2 ? 5 : 3, rejected: 0 });
    await surveyor.request({ method: 'DELETE', url: `/api/imports/${id}` });
  });

  it.each(LAYOUTS)('gives a 成片改造区域 boundary with $name', async ({ entries }) => {
    const { payload, headers } = multipartBody({}, { name: 'DLTB.gdb.zip', content: buildZip(entries()) });
    const response = await planner.request({ method: 'POST', url: '/api/areas/boundary-from-file', payload, headers });
    expect(response.json().message).toBeUndefined();
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.boundary.type).toBe('MultiPolygon');
    expect(body.features).toBe(3);
    const [lon, lat] = body.boundary.coordinates[0][0][0];
    expect(lon).toBeCloseTo(118.12, 1);
    expect(lat).toBeCloseTo(24.52, 1);
  });
});

describe('a GeoPackage (.gpkg)', () => {
  async function imported(name: string, content: Buffer, fields: Record<string, string> = { kind: 'parcels' }) {
    const body = multipartBody(fields, { name, content });
    const response = await surveyor.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
    expect(response.statusCode, response.body).toBe(202);
    const id = response.json().id as string;
    await testApp.app.importService.settled(id);
    const state = (await surveyor.get(`/api/imports/${id}`)).json();
    assertMatchesContract(ImportState, state);
    return state;
  }

  it('is imported as it is and zipped: its layer, its CRS from the GeoPackage, its Chinese attributes', async () => {
    const file = geoPackage(work, 'parcels.gpkg', [{ name: 'zd', kind: 'polygon', count: 4 }]);
    for (const [name, content] of [['湖里区宗地.gpkg', fs.readFileSync(file)], ['湖里区宗地.zip', buildZip([{ name: '宗地/湖里区宗地.gpkg', content: fs.readFileSync(file), deflate: true }])]] as const) {
      const state = await imported(name, content);
      expect(state.error).toBeNull();
      expect(state.status).toBe('ready');
      expect(state.layers).toHaveLength(1);
      expect(state.layers[0]).toMatchObject({ format: 'gpkg', gdalLayer: 'zd', featureCount: 4, selected: true, skipped: null });
      expect(state.detected).toMatchObject({ srid: 4527, crs: { source: 'gdb' } });
      expect(state.report).toMatchObject({ features: 4, rejected: 0 });
      const preview = (await surveyor.get(`/api/imports/${state.id}/features?pageSize=10`)).json();
      expect(preview.features.map((feature: { properties: Record<string, string> }) => feature.properties['土地使用权人'])).toEqual(Array(4).fill('厦门zd有限公司'));
      await surveyor.request({ method: 'DELETE', url: `/api/imports/${state.id}` });
    }
  });

  it('with several layers: every polygon layer listed and checked, a point layer skipped with its reason, the user chooses as for a File Geodatabase', async () => {
    const file = geoPackage(work, 'layers.gpkg', [{ name: 'zd', kind: 'polygon', count: 3 }, { name: 'jzd', kind: 'point', count: 5 }, { name: 'hx', kind: 'polygon', count: 2 }]);
    const state = await imported('layers.gpkg', fs.readFileSync(file));
    expect(state.status).toBe('ready');
    const byLayer = new Map(state.layers.map((layer: { gdalLayer: string }) => [layer.gdalLayer, layer]));
    expect(byLayer.get('zd')).toMatchObject({ name: 'layers.gpkg/zd', selected: true, featureCount: 3, skipped: null });
    expect(byLayer.get('hx')).toMatchObject({ name: 'layers.gpkg/hx', selected: true, featureCount: 2, skipped: null });
    expect(byLayer.get('jzd')).toMatchObject({ selected: false, skipped: { reason: 'not_polygon' } });
    expect(state.report).toMatchObject({ features: 5, rejected: 0 });
    const hx = byLayer.get('hx') as { id: string };
    const answered = await surveyor.request({ method: 'POST', url: `/api/imports/${state.id}`, payload: { layers: [hx.id] } });
    expect(answered.statusCode, answered.body).toBe(202);
    await testApp.app.importService.settled(state.id);
    const chosen = (await surveyor.get(`/api/imports/${state.id}`)).json();
    expect(chosen.status).toBe('ready');
    expect(chosen.layers.filter((layer: { selected: boolean }) => layer.selected).map((layer: { gdalLayer: string }) => layer.gdalLayer)).toEqual(['hx']);
    expect(chosen.report).toMatchObject({ features: 2, rejected: 0 });
    await surveyor.request({ method: 'DELETE', url: `/api/imports/${state.id}` });
  });
});
