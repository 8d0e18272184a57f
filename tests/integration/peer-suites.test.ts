import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GDAL_ENCODING_NAMES, type TextEncoding } from '../../domain/import/encoding.js';
import { REPOSITORY_ROOT } from '../../server/config.js';
import { multipartBody } from '../helpers/multipart.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';
import { buildZip } from '../helpers/zip-writer.js';

/**
 * Every shapefile, File Geodatabase, zip and GeoJSON of the peer projects' test suites goes through
 * the import. Each either imports with the polygon feature count GDAL's own ogrinfo reports (for
 * mbostock's cases, the count of its expected .json) or ends in a specific, asserted state: refused
 * with a reason, or asking for a CRS the data does not carry.
 */
const TESTDATA = path.resolve(REPOSITORY_ROOT, '../shared/testdata');
const POLYGON = /polygon|multipatch|surface|tin/i;

function walk(directory: string, found: string[] = []): string[] {
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (/\.gdb$/i.test(entry.name)) found.push(full);
      else walk(full, found);
    } else found.push(full);
  }
  return found;
}

interface PeerCase { name: string; upload: { name: string; content: Buffer }; gdalPath: string }

function peerCases(): PeerCase[] {
  const files = walk(TESTDATA);
  const cases: PeerCase[] = [];
  for (const file of files) {
    const name = path.relative(TESTDATA, file);
    if (/\.shp$/i.test(file)) {
      const stem = file.slice(0, -4).toLowerCase();
      const siblings = files.filter((candidate) => candidate.slice(0, -4).toLowerCase() === stem && /\.(shp|shx|dbf|prj|cpg)$/i.test(candidate));
      cases.push({ name, gdalPath: file, upload: { name: `${path.basename(file)}.zip`, content: buildZip(siblings.map((sibling) => ({ name: path.basename(sibling), content: fs.readFileSync(sibling) }))) } });
    } else if (/\.gdb$/i.test(file)) {
      const inner = walk(file).filter((candidate) => fs.statSync(candidate).isFile());
      cases.push({ name, gdalPath: file, upload: { name: `${path.basename(file)}.zip`, content: buildZip(inner.map((entry) => ({ name: path.join(path.basename(file), path.relative(file, entry)), content: fs.readFileSync(entry) }))) } });
    } else if (/\.(zip|geojson|json)$/i.test(file)) {
      cases.push({ name, gdalPath: /\.zip$/i.test(file) ? `/vsizip/${file}` : file, upload: { name: path.basename(file), content: fs.readFileSync(file) } });
    }
  }
  return cases;
}

/**
 * Polygon features GDAL actually reads (a header's feature count can disagree with the records):
 * one `ogrinfo` prints each layer's summary (its geometry type) before that layer's features.
 */
function ogrinfoPolygons(source: string): number {
  const options = { encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'], timeout: 60_000, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, SHAPE_RESTORE_SHX: 'YES' } };
  const output = execFileSync('ogrinfo', ['-ro', '-al', '-geom=NO', source], options);
  const polygonLayers = new Set<string>();
  let layer: string | null = null;
  let count = 0;
  for (const line of output.split('\n')) {
    const name = /^Layer name: (.*)$/.exec(line);
    if (name) {
      layer = name[1];
      continue;
    }
    const geometry = /^Geometry(?: \([^)]*\))?: (.*)$/.exec(line);
    if (geometry && layer !== null && POLYGON.test(geometry[1])) {
      polygonLayers.add(layer);
      continue;
    }
    const feature = /^OGRFeature\((.*)\):-?\d+$/.exec(line);
    if (feature && polygonLayers.has(feature[1])) count++;
  }
  return count;
}

/**
 * Polygon features as GDAL counts them, or null when GDAL cannot open the source. Everything is
 * read from a writable copy (zips unpacked by Python's zipfile, not by our code), since a missing
 * .shx is rebuilt (SHAPE_RESTORE_SHX, as the import does) and nothing may be written into the
 * shared test data.
 */
function gdalPolygonCount(testCase: PeerCase): number | null {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-'));
  try {
    const source = testCase.gdalPath.replace(/^\/vsizip\//, '');
    if (/\.zip$/i.test(source)) {
      execFileSync('python3', ['-m', 'zipfile', '-e', source, copy], { stdio: 'ignore' });
    } else if (/\.shp$/i.test(source)) {
      const stem = source.slice(0, -4).toLowerCase();
      for (const sibling of fs.readdirSync(path.dirname(source))) {
        const full = path.join(path.dirname(source), sibling);
        if (full.slice(0, -4).toLowerCase() === stem) fs.copyFileSync(full, path.join(copy, sibling));
      }
    } else {
      return ogrinfoPolygons(source);
    }
    execFileSync('chmod', ['-R', 'u+w', copy]);
    const sources = walk(copy).filter((file) => /\.(shp|geojson|json)$/i.test(file) || /\.gdb$/i.test(file) || /a00000001\.gdbtable$/i.test(file))
      .map((file) => (/a00000001\.gdbtable$/i.test(file) ? path.dirname(file) : file));
    if (sources.length === 0) return null;
    let total = 0;
    let opened = 0;
    for (const file of new Set(sources)) {
      try {
        total += ogrinfoPolygons(file);
        opened++;
      } catch {
        // A part GDAL cannot open counts for nothing; the import must then skip it too.
      }
    }
    return opened === 0 ? null : total;
  } catch {
    return null;
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/** The first feature's properties as `ogr2ogr -f GeoJSON` writes them, or null when GDAL cannot say. */
function gdalFirstFeature(testCase: PeerCase, layer: string | null, encoding: string | null): Record<string, unknown> | null {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-first-'));
  try {
    let source = testCase.gdalPath.replace(/^\/vsizip\//, '');
    if (/\.zip$/i.test(source)) {
      execFileSync('python3', ['-m', 'zipfile', '-e', source, copy], { stdio: 'ignore' });
      const inner = walk(copy).filter((file) => /\.(shp|geojson|json)$/i.test(file) || /\.gdb$/i.test(file));
      if (inner.length !== 1) return null;
      source = inner[0];
    } else if (/\.shp$/i.test(source)) {
      const stem = source.slice(0, -4).toLowerCase();
      for (const sibling of fs.readdirSync(path.dirname(source))) {
        const full = path.join(path.dirname(source), sibling);
        if (full.slice(0, -4).toLowerCase() === stem) fs.copyFileSync(full, path.join(copy, sibling));
      }
      source = path.join(copy, path.basename(source));
    }
    execFileSync('chmod', ['-R', 'u+w', copy]);
    const args = ['-f', 'GeoJSON', '/vsistdout/', source, ...(layer && !/\.(geojson|json)$/i.test(source) ? [layer] : []), '-limit', '1'];
    if (encoding && /\.shp$/i.test(source)) args.push('-oo', `ENCODING=${GDAL_ENCODING_NAMES[encoding as TextEncoding] ?? encoding}`);
    const output = execFileSync('ogr2ogr', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000, env: { ...process.env, SHAPE_RESTORE_SHX: 'YES' } });
    const collection = JSON.parse(output) as { features: { properties: Record<string, unknown> }[] };
    return collection.features[0]?.properties ?? null;
  } catch {
    return null;
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/** mbostock/shapefile keeps the expected GeoJSON beside each case. */
function mbostockExpectedCount(testCase: PeerCase): number | null {
  if (!testCase.name.startsWith('mbostock-shapefile-test/') || !/\.shp$/i.test(testCase.name)) return null;
  const expected = path.join(TESTDATA, testCase.name.replace(/\.shp$/i, '.json'));
  if (!fs.existsSync(expected)) return null;
  const collection = JSON.parse(fs.readFileSync(expected, 'utf8')) as { features: { geometry: { type: string } | null }[] };
  return collection.features.length;
}

const cases = peerCases();
let testApp: TestApp;
let surveyor: Session;
beforeAll(async () => {
  testApp = await createTestApp();
  surveyor = await login(testApp.app, 'surveyor');
});
afterAll(async () => {
  await testApp.close();
});

async function state(id: string) {
  await testApp.app.importService.settled(id);
  return (await surveyor.get(`/api/imports/${id}`)).json();
}

describe('peer test suites through the import', () => {
  it('finds the suites', () => {
    expect(cases.length).toBeGreaterThan(150);
  });

  it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const polygons = gdalPolygonCount(testCase);
    const body = multipartBody({ kind: 'survey', year: '2020' }, testCase.upload);
    const response = await surveyor.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
    expect(response.statusCode, response.body).toBe(202);
    const id = response.json().id as string;
    let current = await state(id);
    expect(['ready', 'needs-input', 'refused']).toContain(current.status);

    if (polygons === null || polygons === 0) {
      if (current.status === 'ready') {
        // GDAL could not open the bundle as one data source, but the import found a polygon layer inside it.
        expect(current.report.features).toBeGreaterThan(0);
      } else {
        expect(current.status).toBe('refused');
        expect(['no_polygons', 'no_layers', 'bad_archive', 'unreadable', 'not_a_shapefile']).toContain(current.error.reason);
        expect(current.error.message.length).toBeGreaterThan(5);
      }
      return;
    }

    if (current.status === 'needs-input') {
      expect(current.needs.what).toBe('srid');
      const layer = current.layers.find((candidate: { id: string }) => candidate.id === current.needs.layer);
      const degrees = layer?.extent && Math.abs(layer.extent.minX) <= 180 && Math.abs(layer.extent.maxX) <= 180 && Math.abs(layer.extent.minY) <= 90 && Math.abs(layer.extent.maxY) <= 90;
      if (!degrees && current.needs.proposal === null) {
        // Projected coordinates with no CRS: nobody can know where they are; the user is asked.
        expect(current.needs.message).toContain('坐标系');
        return;
      }
      await surveyor.request({ method: 'POST', url: `/api/imports/${id}`, payload: { srid: current.needs.proposal ?? 4326 } });
      current = await state(id);
    }
    if (current.status === 'refused') {
      expect(['unsupported_crs', 'no_polygons']).toContain(current.error.reason);
      return;
    }
    expect(current.status).toBe('ready');
    const expected = mbostockExpectedCount(testCase) ?? polygons;
    expect(current.report.features).toBe(expected);
    expect(current.report.valid + current.report.repaired + current.report.rejected).toBe(expected);
    const features = (await surveyor.get(`/api/imports/${id}/features?pageSize=1`)).json();
    expect(['valid', 'repaired', 'rejected']).toContain(features.features[0].properties.status);
    // The first feature's attributes are GDAL's own, read with the encoding the import settled on.
    const layer = current.layers.find((candidate: { id: string }) => candidate.id === features.layer);
    const expectedAttributes = gdalFirstFeature(testCase, layer.gdalLayer, layer.encoding?.encoding ?? null);
    if (expectedAttributes) {
      for (const [key, value] of Object.entries(expectedAttributes)) {
        const actual = features.features[0].properties[key];
        if (typeof value === 'number') expect(Number(actual), key).toBeCloseTo(value, 6);
        else if (typeof value === 'string' && /^\d{4}[-/]\d{2}[-/]\d{2}/.test(value)) expect(String(actual).replace(/\//g, '-').slice(0, 10), key).toBe(value.replace(/\//g, '-').slice(0, 10));
        else expect(actual, key).toEqual(value);
      }
    }
    expect((await surveyor.request({ method: 'DELETE', url: `/api/imports/${id}` })).statusCode).toBe(204);
  });
});
