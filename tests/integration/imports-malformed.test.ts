import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../server/config.js';
import { multipartBody } from '../helpers/multipart.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';
import { buildZip } from '../helpers/zip-writer.js';

/**
 * Issue 12, item 6: the importers fed malformed files — GDAL's and shapefile-js's own malformed test
 * files (../shared/testdata, see its README) and truncated and bit-flipped copies of a valid upload
 * (fixed seed). Each must end in a clear answer: a 4xx, or an import that is refused or failed with
 * a reason that is not `internal` (or readable, with its bad features reported) — never a 5xx, and
 * nothing written to parcels or survey layers (nothing here is committed).
 */
const TESTDATA = path.resolve(REPOSITORY_ROOT, '../shared/testdata');
const VALID = path.join(REPOSITORY_ROOT, 'fixtures', 'imports', 'dltb-2023-gbk-4527.zip');
const SEED = 20_261_203;

let testApp: TestApp;
let surveyor: Session;
const serverErrors = new Map<string, string>();

/** What this file sent: other test files share the database and write parcels and layers meanwhile, so "nothing written" is checked against these. */
const requestIds: string[] = [];
const importIds: string[] = [];

beforeAll(async () => {
  testApp = await createTestApp({}, {
    level: 'error',
    stream: { write(line: string) { const entry = JSON.parse(line); console.log(`SERVER ${entry.msg} ${entry.err?.message ?? ""} ${entry.err?.stack?.split("\n").slice(0, 6).join(" / ") ?? ""}`); if (entry.requestId) serverErrors.set(entry.requestId, `${entry.err?.message ?? entry.msg}`); } },
  });
  surveyor = await login(testApp.app, 'surveyor');
});
afterAll(async () => {
  expect(importIds.length).toBeGreaterThan(5);
  const { rows: [written] } = await sql<{ committed: number; history: number; layers: number }>`
    SELECT (SELECT count(*)::int FROM imports WHERE id::text = ANY(${importIds}) AND (committed_at IS NOT NULL OR status = 'committed')) AS committed,
           (SELECT count(*)::int FROM history WHERE entity IN ('parcels', 'survey_layers') AND request_id = ANY(${requestIds})) AS history,
           (SELECT count(*)::int FROM survey_layers WHERE import_id::text = ANY(${importIds})) AS layers`.execute(testApp.database.db);
  expect(written).toEqual({ committed: 0, history: 0, layers: 0 });
  await testApp.close();
});

/** A shapefile set from the test data, zipped as a user would upload it. */
function shapefileZip(folder: string, stem: string): Buffer {
  const files = fs.readdirSync(path.join(TESTDATA, folder)).filter((name) => name.startsWith(`${stem}.`));
  if (files.length === 0) throw new Error(`no ${stem}.* in ${folder}`);
  return buildZip(files.map((name) => ({ name: `${stem}/${name}`, content: fs.readFileSync(path.join(TESTDATA, folder, name)) })));
}

interface Outcome { http: number; status?: string; reason?: string; message?: string; body: string }

async function importOf(name: string, content: Buffer, fields: Record<string, string>): Promise<Outcome> {
  const body = multipartBody(fields, { name, content });
  const response = await surveyor.request({ method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers });
  const serverError = serverErrors.get(String(response.headers['x-request-id'])) ?? '';
  if (response.headers['x-request-id']) requestIds.push(String(response.headers['x-request-id']));
  if (response.statusCode === 202) importIds.push(response.json().id as string);
  if (response.statusCode !== 202) return { http: response.statusCode, reason: response.json().error, message: response.json().message, body: `${response.body.slice(0, 300)} ${serverError}` };
  const id = response.json().id as string;
  await testApp.app.importService.settled(id);
  let state = (await surveyor.get(`/api/imports/${id}`)).json();
  // Asked for a coordinate system or an encoding (most test files have no .prj): answer as a user
  // would, so the malformed geometries and records are read too, not only detected.
  for (let round = 0; round < 3 && state.status === 'needs-input'; round++) {
    const answer = state.needs?.what === 'encoding' ? { encoding: 'utf-8' } : { srid: 4490 };
    const answered = await surveyor.request({ method: 'POST', url: `/api/imports/${id}`, payload: answer });
    expect(answered.statusCode, `${name} ${JSON.stringify(answer)}: ${answered.body.slice(0, 300)} ${serverErrors.get(String(answered.headers['x-request-id'])) ?? ''}`).toBeLessThan(500);
    if (answered.statusCode >= 400) break;
    await testApp.app.importService.settled(id);
    state = (await surveyor.get(`/api/imports/${id}`)).json();
  }
  // Leave nothing behind for the next case; the import is never committed.
  if (['ready', 'needs-input'].includes(state.status)) await surveyor.request({ method: 'DELETE', url: `/api/imports/${id}` });
  return { http: 202, status: state.status, reason: state.error?.reason, message: state.error?.message, body: JSON.stringify(state).slice(0, 400) };
}

/** A clear answer: a 4xx with a message, or an import that is refused/failed with a reason other than `internal`, or readable. */
function assertClear(what: string, outcome: Outcome): void {
  console.log(`import ${what.slice(0, 80)}: ${outcome.http} ${outcome.status ?? ''} ${outcome.reason ?? ''}`);
  expect(outcome.http, `${what}: ${outcome.body}`).toBeLessThan(500);
  if (outcome.http !== 202) {
    expect(outcome.message, `${what}: ${outcome.body}`).toBeTruthy();
    return;
  }
  expect(['refused', 'failed', 'ready', 'needs-input'], `${what}: ${outcome.body}`).toContain(outcome.status);
  if (outcome.status === 'refused' || outcome.status === 'failed') {
    expect(outcome.reason, `${what}: ${outcome.body}`).toBeTruthy();
    expect(outcome.reason, `${what}: ${outcome.body}`).not.toBe('internal');
    expect(outcome.message, `${what}: ${outcome.body}`).toBeTruthy();
  }
}

/** GDAL's malformed shapefiles (autotest/ogr/data/shp), as README.md of the test data lists them. */
const GDAL_MALFORMED = [
  'buggymultipoly', 'buggymultipoly2', 'buggymultiline', 'buggypoint', 'extentnan', 'pointnan', 'nonconformant_shx_ticket5608',
  'mixed_shape_type_non_conformant', 'multipolygon_as_invalid_polygon', 'emptymultipoly', 'empty', 'multipatch', 'bigoffset',
  'issue_14385', 'polygonm_without_m', 'padding_after_field_defns', 'weird_header_length', 'date_empty_string', 'nan',
];
/** shapefile-js's malformed files (test/data): a DBF renamed .shp, HTML in .cpg/.prj, missing parts. */
const SHAPEFILE_JS_SETS = ['bad', 'htmlcpg', 'htmlprj', 'no-dbf'];
const SHAPEFILE_JS_ZIPS = ['badzip.zip', 'noshp.zip', 'no-dbf.zip', 'zero-len-line.zip', 'SHP_Exclude.zip'];

describe('malformed files from GDAL and shapefile-js (issue 12, item 6)', () => {
  it.each(GDAL_MALFORMED)('GDAL autotest %s: a clear answer, no 5xx', async (stem) => {
    assertClear(stem, await importOf(`${stem}.zip`, shapefileZip('gdal-autotest-shp', stem), { kind: 'parcels' }));
  });

  it.each(SHAPEFILE_JS_SETS)('shapefile-js %s: a clear answer, no 5xx', async (stem) => {
    assertClear(stem, await importOf(`${stem}.zip`, shapefileZip('shapefile-js-test', stem), { kind: 'parcels' }));
  });

  it.each(SHAPEFILE_JS_ZIPS)('shapefile-js %s: a clear answer, no 5xx', async (name) => {
    assertClear(name, await importOf(name, fs.readFileSync(path.join(TESTDATA, 'shapefile-js-test', name)), { kind: 'parcels' }));
  });

  it('a bare DBF or SHP sent without its set: a clear answer', async () => {
    assertClear('chinese.dbf', await importOf('chinese.dbf', fs.readFileSync(path.join(TESTDATA, 'gdal-autotest-shp', 'chinese.dbf')), { kind: 'parcels' }));
    assertClear('bad.shp', await importOf('bad.shp', fs.readFileSync(path.join(TESTDATA, 'shapefile-js-test', 'bad.shp')), { kind: 'parcels' }));
  });
});

describe('truncated and bit-flipped copies of a valid upload (fixed seed)', () => {
  const valid = fs.readFileSync(VALID);
  const fields = { kind: 'survey', year: '2023' };

  it('the valid file itself reads (the copies below start from a good upload)', async () => {
    const outcome = await importOf('dltb.zip', valid, fields);
    expect(outcome.status, outcome.body).toBe('ready');
  });

  it('truncated zips: a clear answer, no 5xx', async () => {
    for (const fraction of [0.05, 0.3, 0.6, 0.9, 0.99]) {
      const cut = valid.subarray(0, Math.floor(valid.length * fraction));
      assertClear(`zip cut at ${fraction}`, await importOf('dltb-cut.zip', cut, fields));
    }
  });

  it('bit-flipped zips and bit-flipped members inside a sound zip: a clear answer, no 5xx', async () => {
    const unzipped = membersOf(VALID);
    const members = Object.keys(unzipped).map((name) => ({ name }));
    const flips = fc.sample(fc.record({
      target: fc.constantFrom('zip', ...members.map(({ name }) => name)),
      // Fractions of the file's length, spread evenly (fast-check's doubles lean to 0 and 1).
      positions: fc.array(fc.integer({ min: 0, max: 999 }).map((permille) => permille / 1000), { minLength: 1, maxLength: 8 }),
      truncate: fc.option(fc.integer({ min: 10, max: 95 }).map((percent) => percent / 100), { freq: 3 }),
    }), { seed: SEED, numRuns: 16 });
    for (const [index, flip] of flips.entries()) {
      const flipBits = (data: Buffer) => {
        const copy = Buffer.from(data);
        for (const position of flip.positions) copy[Math.floor(position * (copy.length - 1))] ^= 1 << (index % 8);
        return flip.truncate === null ? copy : copy.subarray(0, Math.max(1, Math.floor(copy.length * flip.truncate)));
      };
      const upload = flip.target === 'zip'
        ? flipBits(valid)
        : buildZip(members.map(({ name }) => ({ name, content: name === flip.target ? flipBits(unzipped[name]) : unzipped[name] })));
      assertClear(`case ${index}: ${flip.target} ${JSON.stringify(flip)}`, await importOf('dltb-flipped.zip', upload, fields));
    }
  }, 300_000);
});

/** The files of a zip, extracted with the system's unzip (a real tool, no mock), by their base names. */
function membersOf(zip: string): Record<string, Buffer> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-malformed-'));
  try {
    execFileSync('unzip', ['-q', '-o', zip, '-d', directory]);
    const files = fs.readdirSync(directory, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.length).toBe(4);
    return Object.fromEntries(files.map((entry) => [`dltb/${entry.name}`, fs.readFileSync(path.join(entry.parentPath, entry.name))]));
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
