import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../server/config.js';
import { multipartBody } from '../helpers/multipart.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';
import { buildZip } from '../helpers/zip-writer.js';
import { geoPackage } from '../helpers/geopackage.js';

/** Bad input gets a clear refusal or a per-feature report: never a 500, never partial data, never a file outside staging. */
const FIXTURES = path.join(REPOSITORY_ROOT, 'fixtures', 'imports');
const TESTDATA = path.resolve(REPOSITORY_ROOT, '../shared/testdata');

let testApp: TestApp;
let surveyor: Session;
/** What this file sent: other test files share the database and write parcels meanwhile, so "no parcel written" is checked against these. */
const requestIds: string[] = [];
const importIds: string[] = [];
beforeAll(async () => {
  testApp = await createTestApp();
  surveyor = await login(testApp.app, 'surveyor');
});
afterAll(async () => {
  expect(importIds.length).toBeGreaterThan(5);
  const { rows: [written] } = await sql<{ committed: number; history: number; hostile: number }>`
    SELECT (SELECT count(*)::int FROM imports WHERE id::text = ANY(${importIds}) AND (committed_at IS NOT NULL OR status = 'committed')) AS committed,
           (SELECT count(*)::int FROM history WHERE entity = 'parcels' AND request_id = ANY(${requestIds})) AS history,
           (SELECT count(*)::int FROM parcels WHERE code LIKE 'X'');%') AS hostile`.execute(testApp.database.db);
  expect(written).toEqual({ committed: 0, history: 0, hostile: 0 });
  await testApp.close();
});

async function send(name: string, content: Buffer, fields: Record<string, string> = { kind: 'parcels' }, session = surveyor) {
  const body = multipartBody(fields, { name, content });
  const response = await session.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
  if (response.headers['x-request-id']) requestIds.push(String(response.headers['x-request-id']));
  if (response.statusCode === 202) importIds.push(response.json().id as string);
  return response;
}

async function outcome(name: string, content: Buffer) {
  const response = await send(name, content);
  expect(response.statusCode).toBe(202);
  const id = response.json().id as string;
  await testApp.app.importService.settled(id);
  return (await surveyor.get(`/api/imports/${id}`)).json();
}


describe('hostile uploads', () => {
  it('refuses names that climb out of the archive, writing nothing outside staging', async () => {
    const escapeTarget = path.join(REPOSITORY_ROOT, '.data', 'escaped-by-zip.txt');
    const state = await outcome('evil.zip', buildZip([
      { name: 'ok/readme.md', content: Buffer.from('x') },
      { name: '../../escaped-by-zip.txt', content: Buffer.from('pwned') },
    ]));
    expect(state.status).toBe('refused');
    expect(state.error.reason).toBe('path_traversal');
    expect(state.error.message).toContain('../../escaped-by-zip.txt');
    expect(fs.existsSync(escapeTarget)).toBe(false);
    expect(fs.existsSync(path.resolve(testApp.app.settings.importDirectory, '..', 'escaped-by-zip.txt'))).toBe(false);
  });

  it('refuses a zip bomb by its expansion ratio', async () => {
    const state = await outcome('bomb.zip', buildZip([{ name: 'huge.dbf', content: Buffer.alloc(60 * 1024 * 1024), deflate: true }]));
    expect(state.status).toBe('refused');
    expect(state.error.reason).toBe('zip_bomb');
    expect(state.error.message).toContain('压缩比');
  });

  it('refuses a file that is not a zip, and one that is empty', async () => {
    const notZip = await outcome('survey.zip', Buffer.from('this is not a zip file at all, just text'));
    expect(notZip.status).toBe('refused');
    expect(notZip.error.reason).toBe('bad_archive');
    const empty = await send('empty.zip', Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: 'empty_file', parameter: 'file' });
  });

  it('opens a zip inside a zip', async () => {
    const inner = fs.readFileSync(path.join(FIXTURES, 'dltb-2023-gbk-4527.zip'));
    const state = await outcome('outer.zip', buildZip([{ name: 'inner.zip', content: inner }]));
    expect(state.status).toBe('ready');
    expect(state.report.features).toBe(12);
  });

  it('reports a .shp that is really a DBF instead of reading it', async () => {
    const dbf = fs.readFileSync(path.join(TESTDATA, 'shapefile-js-test/bad.dbf'));
    const state = await outcome('renamed.zip', buildZip([{ name: 'parcels.shp', content: dbf }, { name: 'parcels.dbf', content: dbf }]));
    expect(state.status).toBe('refused');
    expect(state.error.reason).toBe('no_polygons');
    expect(state.error.message).toContain('不是有效的 Shapefile');
  });

  it('ignores a .cpg holding HTML and decodes from the bytes', async () => {
    const folder = path.join(TESTDATA, 'shapefile-js-test');
    const entries = ['htmlcpg.shp', 'htmlcpg.dbf', 'htmlcpg.cpg', 'htmlcpg.prj'].filter((file) => fs.existsSync(path.join(folder, file)))
      .map((file) => ({ name: file, content: fs.readFileSync(path.join(folder, file)) }));
    const state = await outcome('htmlcpg.zip', buildZip(entries));
    expect(['ready', 'needs-input', 'refused']).toContain(state.status);
    const layer = state.layers.find((candidate: { name: string }) => candidate.name.includes('htmlcpg'));
    expect(layer.encoding.source).not.toBe('cpg');
  });

  it('refuses a truncated shapefile or reports its features, never failing with a 500', async () => {
    const original = fs.readFileSync(path.join(FIXTURES, 'dltb-2023-gbk-4527.zip'));
    expect(original.length).toBeGreaterThan(1000);
    const shp = fs.readFileSync(path.join(TESTDATA, 'shapelib-test/polygon.shp'));
    const shx = fs.readFileSync(path.join(TESTDATA, 'shapelib-test/polygon.shx'));
    const dbf = fs.readFileSync(path.join(TESTDATA, 'shapelib-test/polygon.dbf'));
    const state = await outcome('truncated.zip', buildZip([
      { name: 'polygon.shp', content: shp.subarray(0, Math.floor(shp.length / 2)) },
      { name: 'polygon.shx', content: shx },
      { name: 'polygon.dbf', content: dbf },
    ]));
    expect(['refused', 'needs-input', 'ready']).toContain(state.status);
    expect(state.status).not.toBe('failed');
    if (state.status === 'refused') expect(state.error.message.length).toBeGreaterThan(5);
  });

  it('answers 413 for an upload over the size limit', async () => {
    const small = await createTestApp({ IMPORT_MAX_BYTES: '2000' });
    try {
      const session = await login(small.app, 'surveyor');
      const body = multipartBody({ kind: 'survey' }, { name: 'big.zip', content: fs.readFileSync(path.join(FIXTURES, 'dltb-2023-gbk-4527.zip')) });
      const response = await session.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({ error: 'too_large', parameter: 'file' });
    } finally {
      await small.close();
    }
  });

  it('names a bad parameter', async () => {
    const content = fs.readFileSync(path.join(FIXTURES, 'dltb-2023-gbk-4527.zip'));
    const badKind = await send('x.zip', content, { kind: 'roads' });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().parameter).toBe('kind');
    const badSrid = await send('x.zip', content, { kind: 'survey', srid: '999999' });
    expect(badSrid.statusCode).toBe(400);
    expect(badSrid.json().parameter).toBe('srid');
    const badEncoding = await send('x.zip', content, { kind: 'survey', encoding: 'ebcdic' });
    expect(badEncoding.json().parameter).toBe('encoding');
  });

  it('keeps hostile strings in attributes as plain data', async () => {
    const state = await outcome('strings.geojson', Buffer.from(JSON.stringify({
      type: 'FeatureCollection',
      features: [{
        type: 'Feature',
        properties: { '宗地编号': "X'); DROP TABLE parcels;--", '土地使用权人': '<img src=x onerror=alert(1)>' },
        geometry: { type: 'Polygon', coordinates: [[[118.1, 24.5], [118.101, 24.5], [118.101, 24.501], [118.1, 24.501], [118.1, 24.5]]] },
      }],
    })));
    expect(state.status).toBe('ready');
    const features = (await surveyor.get(`/api/imports/${state.id}/features`)).json();
    expect(features.features[0].properties['土地使用权人']).toBe('<img src=x onerror=alert(1)>');
    await surveyor.request({ method: 'DELETE', url: `/api/imports/${state.id}` });
  });
  describe('a malformed GeoPackage: a 400 at upload that says what is wrong and what to do, never a 500', () => {
    let work: string;
    let polygons: Buffer;
    beforeAll(() => {
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'gpkg-hostile-'));
      polygons = fs.readFileSync(geoPackage(work, 'zd.gpkg', [{ name: 'zd', kind: 'polygon', count: 3 }]));
    });
    afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

    it('not SQLite at all (a renamed file, an HTML page)', async () => {
      const response = await send('zd.gpkg', Buffer.from('<!DOCTYPE html><html><body>404 Not Found</body></html>'));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: 'bad_geopackage', parameter: 'file' });
      expect(response.json().message).toMatch(/“zd\.gpkg”不是 GeoPackage 文件.*QGIS.*重新导出后上传/);
    });

    it('truncated: shorter than the pages its header declares, cut on a page boundary or anywhere', async () => {
      const pageSize = polygons.readUInt16BE(16);
      for (const cut of [Math.floor(polygons.length / 2 / pageSize) * pageSize, polygons.length - 1000]) {
        const response = await send('宗地.gpkg', polygons.subarray(0, cut));
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject({ error: 'bad_geopackage', parameter: 'file' });
        expect(response.json().message).toMatch(/不完整.*截断.*重新导出后上传/);
      }
      // In a zip, the same check: the import is refused, naming the file and what happened to it.
      const zipped = await outcome('宗地.zip', buildZip([{ name: '宗地.gpkg', content: polygons.subarray(0, polygons.length - 1000), deflate: true }]));
      expect(zipped.status).toBe('refused');
      expect(zipped.error.message).toMatch(/宗地\.gpkg”不完整（\d+ 字节，应为 \d+ 字节）/);
    });

    it('an SQLite database GDAL cannot open as a GeoPackage (its tables overwritten)', async () => {
      const damaged = Buffer.from(polygons);
      damaged.fill(0x5a, 100, damaged.length);
      const response = await send('宗地.gpkg', damaged);
      expect(response.statusCode).toBe(400);
      expect(['bad_geopackage', 'no_polygons']).toContain(response.json().error);
      expect(response.json().message).toMatch(/重新导出后上传|面图层/);
    });

    it('without a polygon layer: the layers it has, and that only polygons are imported', async () => {
      const points = fs.readFileSync(geoPackage(work, 'jzd.gpkg', [{ name: 'jzd', kind: 'point', count: 4 }]));
      const response = await send('jzd.gpkg', points);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: 'no_polygons', parameter: 'file' });
      expect(response.json().message).toMatch(/“jzd\.gpkg”中没有面图层（其中的图层：jzd（Point））.*面（Polygon \/ MultiPolygon）图层/);
    });
  });
});
