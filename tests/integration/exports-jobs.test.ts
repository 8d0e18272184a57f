import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ExportJob } from '../../domain/api/exports.schemas.js';
import { exportGdalConnection } from '../../server/exports/exports.service.js';
import { runGdal } from '../../server/imports/gdal.js';
import { exportTestWriters, type TestWriters } from '../helpers/export-writers.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * Issue 14, item 5 and 8: the export job machinery through HTTP — queue, progress, the file and its
 * headers, cancel, failures and refusals, limits, validation, scope, other users' jobs, expiry,
 * interruption, the audit log — with test writers (tests/helpers/export-writers.ts) in place of
 * the real ones, which are tested on their own.
 */
let testApp: TestApp;
let directory: string;
let test: TestWriters;
let viewer: Session;
let surveyor: Session;
let planner: Session;
let admin: Session;

beforeAll(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-exports-'));
  test = exportTestWriters();
  testApp = await createTestApp({ EXPORT_DIRECTORY: directory }, false, undefined, { exportWriters: test.writers });
  viewer = await login(testApp.app, 'viewer');
  surveyor = await login(testApp.app, 'surveyor');
  planner = await login(testApp.app, 'planner-huli');
  admin = await login(testApp.app, 'admin');
  // A survey year to export (a superseded layer: listed, never drawn, clashes with no import of other test files).
  await sql`INSERT INTO survey_layers (year, layer_name, imported_by, superseded_at) VALUES (2037, 'DLTB', 'exports-test', now())`.execute(testApp.database.db);
});
afterAll(async () => {
  test?.release();
  await testApp?.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

async function post(session: Session, payload: object) {
  return session.request({ method: 'POST', url: '/api/exports', payload });
}

async function created(session: Session, payload: object): Promise<ExportJob & { requestId: string }> {
  const response = await post(session, payload);
  expect(response.statusCode, response.body).toBe(202);
  return { ...response.json(), requestId: String(response.headers['x-request-id']) };
}

async function job(session: Session, id: string): Promise<ExportJob> {
  const response = await session.get(`/api/exports/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** Polls the job until `until` holds (the machine is loaded: generous bounds). */
async function waitFor(session: Session, id: string, until: (state: ExportJob) => boolean, timeoutMs = 20_000): Promise<ExportJob> {
  const started = Date.now();
  for (;;) {
    const state = await job(session, id);
    if (until(state)) return state;
    if (Date.now() - started > timeoutMs) throw new Error(`job ${id} stayed ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const exited = (index: number) => test.children[index].exitCode !== null || test.children[index].signalCode !== null;

describe('a job from request to file', () => {
  it('queues, reports progress while it runs, then serves the file with its Chinese name, type and bytes', async () => {
    const before = test.children.length;
    const started = await created(viewer, { layer: 'parcels', format: 'csv', filters: { district: '350206', status: 'suspected' } });
    expect(started).toMatchObject({ layer: 'parcels', format: 'csv', status: expect.stringMatching(/^(queued|running)$/), downloadUrl: null, createdBy: 'viewer', filters: { district: '350206', status: 'suspected' } });

    expect(started.progress).toBeLessThan(1);
    const running = await waitFor(viewer, started.id, (state) => state.status === 'running' && state.progress > 0);
    expect(running.progress).toBeLessThan(1);
    const early = await viewer.get(`/api/exports/${started.id}/file`);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: 'not_ready' });
    expect(early.json().message).toContain('请稍后再下载');
    const later = await waitFor(viewer, started.id, (state) => state.progress > running.progress);
    expect(later.status).toBe('running');

    test.release();
    await testApp.app.exportService.settled(started.id);
    expect(exited(before)).toBe(true);
    const done = await job(viewer, started.id);
    const stamp = done.fileName!.match(/_(\d{8})\.csv$/)![1];
    expect(done).toMatchObject({
      status: 'done', progress: 1, rowCount: 3, fileName: `厦门市湖里区_地块_疑似低效_${stamp}.csv`, notes: ['测试写出器'], error: null,
      downloadUrl: `/api/exports/${started.id}/file`, crs: null, encoding: null,
    });
    const kept = Date.parse(done.expiresAt!) - Date.parse(done.finishedAt!);
    expect(kept).toBe(24 * 3_600_000);

    const file = await viewer.get(done.downloadUrl!);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="biaotu-parcels-${stamp}.csv"; filename*=UTF-8''${encodeURIComponent(done.fileName!)}`);
    expect(decodeURIComponent(String(file.headers['content-disposition']).split("UTF-8''")[1])).toBe(done.fileName);
    expect(file.rawPayload.equals(Buffer.from('\ufeff宗地编号,面积（m²）\nHL-001,1234.5\n', 'utf8'))).toBe(true);
    expect(Number(file.headers['content-length'])).toBe(done.bytes);
    expect(file.headers['cache-control']).toBe('private, no-store');
    // Only the file is left in the job's folder, readable by the server's user only.
    expect(fs.statSync(path.join(directory, started.id)).mode & 0o777).toBe(0o700);
  });

  it('writes a job\'s progress to the database at most every 500 ms, however often the writer reports it', async () => {
    const repository = testApp.app.exportsRepository;
    const original = repository.update;
    const writes: { id: string; at: number }[] = [];
    repository.update = async (id, changes, onlyIf) => {
      if (Object.keys(changes).join() === 'progress') writes.push({ id, at: Date.now() });
      return original.call(repository, id, changes, onlyIf);
    };
    try {
      const started = await created(viewer, { layer: 'parcels', format: 'csv' });
      await waitFor(viewer, started.id, (state) => state.status === 'running' && state.progress > 0);
      const from = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const seen = writes.filter((write) => write.id === started.id && write.at >= from);
      // The writer reported about 40 times meanwhile (every 50 ms).
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen.length).toBeLessThanOrEqual(5);
      for (const [index, write] of seen.entries()) if (index > 0) expect(write.at - seen[index - 1].at).toBeGreaterThanOrEqual(490);
      expect((await viewer.request({ method: 'DELETE', url: `/api/exports/${started.id}` })).json().status).toBe('cancelled');
    } finally {
      repository.update = original;
    }
  });

  it('serves each format with its media type, and bytes as written (binary intact)', async () => {
    for (const [payload, type] of [
      [{ layer: 'parcels', format: 'geojson' }, 'application/geo+json'],
      [{ layer: 'survey', format: 'shapefile', filters: { year: 2037 }, encoding: 'UTF-8' }, 'application/zip'],
      [{ layer: 'parcel-card', format: 'pdf', filters: { parcelId: 1 } }, 'application/pdf'],
    ] as const) {
      const started = await created(viewer, payload);
      await testApp.app.exportService.settled(started.id);
      const done = await job(viewer, started.id);
      expect(done.status, JSON.stringify(done)).toBe('done');
      const file = await viewer.get(`/api/exports/${started.id}/file`);
      expect(file.headers['content-type']).toBe(type);
      expect(file.rawPayload.equals(test.written.get(started.id)!)).toBe(true);
      if (payload.format === 'shapefile') expect(done.encoding).toBe('UTF-8');
      if (payload.format === 'geojson') expect(done.crs).toBe('EPSG:4326');
    }
  });

  it('lists the user\'s own jobs, newest first, and no one else\'s', async () => {
    const mine = await created(planner, { layer: 'parcels', format: 'geojson' });
    await testApp.app.exportService.settled(mine.id);
    const list = (await planner.get('/api/exports')).json().items as ExportJob[];
    expect(list[0].id).toBe(mine.id);
    expect(list.every((item) => item.createdBy === 'planner-huli')).toBe(true);
    const times = list.map((item) => Date.parse(item.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(((await viewer.get('/api/exports')).json().items as ExportJob[]).some((item) => item.id === mine.id)).toBe(false);
  });
});

describe('cancel, failure and refusal', () => {
  it('cancels a running job: its writer is aborted, its child process stopped, and its file never appears', async () => {
    const before = test.children.length;
    const started = await created(viewer, { layer: 'parcels', format: 'csv' });
    await waitFor(viewer, started.id, (state) => state.status === 'running' && state.progress > 0);
    expect(fs.existsSync(path.join(directory, started.id, 'partial.csv'))).toBe(true);
    const cancelled = await viewer.request({ method: 'DELETE', url: `/api/exports/${started.id}` });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ id: started.id, status: 'cancelled', downloadUrl: null });
    expect(exited(before)).toBe(true);
    expect(fs.existsSync(path.join(directory, started.id))).toBe(false);
    // Released later, the writer would have written a file: it was stopped, so nothing comes.
    test.release();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fs.existsSync(path.join(directory, started.id))).toBe(false);
    expect((await job(viewer, started.id)).status).toBe('cancelled');
    const file = await viewer.get(`/api/exports/${started.id}/file`);
    expect(file.statusCode).toBe(404);
    expect(file.json().message).toContain('已取消');
  });

  it('fails a job whose writer throws: failed, reason internal, the job id in the message, no 5xx, nothing kept', async () => {
    const response = await post(viewer, { layer: 'parcels', format: 'xlsx' });
    expect(response.statusCode).toBe(202);
    const { id } = response.json();
    await testApp.app.exportService.settled(id);
    const failed = await job(viewer, id);
    expect(failed).toMatchObject({ status: 'failed', error: { reason: 'internal' }, downloadUrl: null, fileName: null });
    expect(failed.error!.message).toContain(id);
    expect(failed.error!.message).toContain('管理员');
    expect(fs.existsSync(path.join(directory, id))).toBe(false);
    expect((await viewer.get(`/api/exports/${id}/file`)).statusCode).toBe(404);
  });

  it('ends a refused job failed with the writer\'s reason and message', async () => {
    const { id } = await created(viewer, { layer: 'parcels', format: 'gpkg', filters: { townOrPark: '不存在的园区' } });
    await testApp.app.exportService.settled(id);
    expect(await job(viewer, id)).toMatchObject({ status: 'failed', error: { reason: 'empty_selection', message: '没有符合筛选条件的地块：请放宽筛选条件后再导出。' } });
    expect(fs.existsSync(path.join(directory, id))).toBe(false);
  });

  it('refuses a fourth active job of one user (429), not another user\'s; a queued job cancels without ever running', async () => {
    const jobs = [];
    for (let index = 0; index < 3; index++) jobs.push(await created(surveyor, { layer: 'parcels', format: 'csv' }));
    const fourth = await post(surveyor, { layer: 'parcels', format: 'geojson' });
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json()).toMatchObject({ error: 'too_many_exports' });
    expect(fourth.json().message).toContain('3 个导出任务正在进行');
    // Two run at once (EXPORT_CONCURRENCY): the third waits, and so does another user's, ahead of it.
    await waitFor(surveyor, jobs[1].id, (state) => state.status === 'running');
    const other = await created(admin, { layer: 'parcels', format: 'geojson' });
    expect((await job(surveyor, jobs[2].id)).status).toBe('queued');
    expect((await job(admin, other.id)).status).toBe('queued');
    // A slot comes free: the other user's job goes first (the fewest running), the third still waits.
    expect((await surveyor.request({ method: 'DELETE', url: `/api/exports/${jobs[0].id}` })).json().status).toBe('cancelled');
    await testApp.app.exportService.settled(other.id);
    expect((await job(admin, other.id)).status).toBe('done');
    const cancelled = await surveyor.request({ method: 'DELETE', url: `/api/exports/${jobs[2].id}` });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', progress: 0 });
    expect((await surveyor.request({ method: 'DELETE', url: `/api/exports/${jobs[1].id}` })).json().status).toBe('cancelled');
    expect((await job(surveyor, jobs[2].id)).status).toBe('cancelled');
    expect(fs.existsSync(path.join(directory, jobs[2].id))).toBe(false);
    expect((await post(surveyor, { layer: 'parcels', format: 'geojson' })).statusCode).toBe(202);
  });

  it('removes a done job\'s file on DELETE (expired, 410 afterwards)', async () => {
    const { id } = await created(viewer, { layer: 'parcels', format: 'geojson' });
    await testApp.app.exportService.settled(id);
    const removed = await viewer.request({ method: 'DELETE', url: `/api/exports/${id}` });
    expect(removed.json()).toMatchObject({ status: 'expired', downloadUrl: null });
    expect(fs.existsSync(path.join(directory, id))).toBe(false);
    expect((await viewer.get(`/api/exports/${id}/file`)).statusCode).toBe(410);
  });
});

describe('requests refused before any job starts', () => {
  const refusals: [string, object, number, string, string?][] = [
    ['a format the layer has not', { layer: 'district-figures', format: 'csv' }, 400, 'format', 'Excel (.xlsx)'],
    ['a format without a writer yet', { layer: 'parcels', format: 'shapefile' }, 400, 'format', '暂不支持'],
    ['a filter the layer does not read', { layer: 'parcels', format: 'geojson', filters: { year: 2037 } }, 400, 'filters.year', '调查年度'],
    ['a survey export without its year', { layer: 'survey', format: 'shapefile' }, 400, 'filters.year', '调查年度'],
    ['a survey year with no layer', { layer: 'survey', format: 'shapefile', filters: { year: 1999 } }, 400, 'filters.year', '2037'],
    ['an area report without its area', { layer: 'area-report', format: 'pdf' }, 400, 'filters.areaId'],
    ['a parcel card without its parcel', { layer: 'parcel-card', format: 'pdf' }, 400, 'filters.parcelId'],
    ['a coordinate system for a table', { layer: 'parcels', format: 'csv', crs: 'EPSG:4490' }, 400, 'crs'],
    ['an encoding for GeoJSON', { layer: 'parcels', format: 'geojson', encoding: 'GBK' }, 400, 'encoding', 'Shapefile'],
    ['a box with its corners reversed', { layer: 'parcels', format: 'geojson', filters: { bbox: [118.2, 24.5, 118.1, 24.6] } }, 400, 'filters.bbox'],
    ['a district that does not exist', { layer: 'parcels', format: 'geojson', filters: { district: '350299' } }, 400, 'filters.district', '350299'],
    ['a 镇街 name with a control character', { layer: 'parcels', format: 'geojson', filters: { townOrPark: 'a\u0001b' } }, 400, 'filters.townOrPark'],
    ['an unknown layer', { layer: 'owners', format: 'csv' }, 400, 'layer'],
    ['an unknown filter key', { layer: 'parcels', format: 'csv', filters: { owner: 'x' } }, 400, 'filters.owner'],
    ['a 思明区 export by a 湖里区 planner', { layer: 'parcels', format: 'geojson', filters: { district: '350203' } }, 403, ''],
  ];

  it.each(refusals)('%s', async (_name, payload, status, parameter, words) => {
    const before = (await planner.get('/api/exports')).json().items.length;
    const response = await post(planner, payload);
    expect(response.statusCode, response.body).toBe(status);
    const body = response.json();
    if (parameter) expect(body.parameter).toBe(parameter);
    if (words) expect(body.message).toContain(words);
    expect(body.message).toMatch(/[\u4e00-\u9fff]/);
    if (status === 403) {
      expect(body).toMatchObject({ error: 'out_of_scope', district: { code: '350203', name: '思明区' } });
      expect(body.message).toContain('湖里区');
    }
    expect((await planner.get('/api/exports')).json().items.length).toBe(before);
  });

  it('lets a 湖里区 planner export 湖里区 and the city (its own districts of it)', async () => {
    for (const district of ['350206', '350200']) {
      const { id } = await created(planner, { layer: 'parcels', format: 'geojson', filters: { district } });
      await testApp.app.exportService.settled(id);
    }
  });
});

describe('other users\' jobs', () => {
  it('answers 404 for another user\'s job (GET, file, DELETE), and shows it to an administrator', async () => {
    const { id } = await created(planner, { layer: 'parcels', format: 'geojson' });
    await testApp.app.exportService.settled(id);
    for (const response of [await viewer.get(`/api/exports/${id}`), await viewer.get(`/api/exports/${id}/file`), await viewer.request({ method: 'DELETE', url: `/api/exports/${id}` })]) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: 'not_found', parameter: 'id' });
    }
    expect((await job(planner, id)).status).toBe('done');
    expect((await admin.get(`/api/exports/${id}`)).json().createdBy).toBe('planner-huli');
    expect((await viewer.get(`/api/exports/${randomUUID()}`)).statusCode).toBe(404);
    expect((await viewer.get('/api/exports/not-a-uuid')).json()).toMatchObject({ parameter: 'id' });
  });

  it('refuses anonymous callers and writes without the CSRF token', async () => {
    expect((await testApp.app.inject({ method: 'GET', url: '/api/exports' })).statusCode).toBe(401);
    const noToken = await testApp.app.inject({ method: 'POST', url: '/api/exports', payload: { layer: 'parcels', format: 'geojson' }, headers: { cookie: viewer.cookie } });
    expect(noToken.statusCode).toBe(403);
  });
});

describe('housekeeping', () => {
  it('removes files past their retention (410 afterwards), folders of no job once old, and keeps the rest', async () => {
    const { id } = await created(viewer, { layer: 'parcels', format: 'geojson' });
    await testApp.app.exportService.settled(id);
    const keep = await created(viewer, { layer: 'parcels', format: 'geojson' });
    await testApp.app.exportService.settled(keep.id);
    await sql`UPDATE exports SET expires_at = now() - interval '1 minute' WHERE id = ${id}`.execute(testApp.database.db);
    const stray = path.join(directory, randomUUID());
    const fresh = path.join(directory, randomUUID());
    fs.mkdirSync(stray);
    fs.mkdirSync(fresh);
    const old = new Date(Date.now() - 25 * 3_600_000);
    fs.utimesSync(stray, old, old);

    const swept = await testApp.app.exportService.sweep();
    expect(swept.expired).toBeGreaterThanOrEqual(1);
    expect(swept.removed).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(path.join(directory, id))).toBe(false);
    expect(fs.existsSync(stray)).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true);
    expect(fs.existsSync(path.join(directory, keep.id))).toBe(true);
    expect(await job(viewer, id)).toMatchObject({ status: 'expired', downloadUrl: null });
    const gone = await viewer.get(`/api/exports/${id}/file`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({ error: 'expired' });
    expect(gone.json().message).toContain('重新导出');
    expect((await viewer.get(`/api/exports/${keep.id}/file`)).statusCode).toBe(200);
  });

  it('fails jobs a process left queued or running (interrupted, in Chinese), removes their folders, and logs it', async () => {
    const ids = [randomUUID(), randomUUID()];
    for (const [index, id] of ids.entries()) {
      await sql`INSERT INTO exports (id, layer, format, status, created_by, updated_at)
        VALUES (${id}, 'parcels', 'shapefile', ${index === 0 ? 'running' : 'queued'}, 'viewer', now() - interval '1 hour')`.execute(testApp.database.db);
      fs.mkdirSync(path.join(directory, id));
    }
    const recent = randomUUID();
    await sql`INSERT INTO exports (id, layer, format, status, created_by) VALUES (${recent}, 'parcels', 'shapefile', 'running', 'viewer')`.execute(testApp.database.db);
    const swept = await testApp.app.exportService.startHousekeeping();
    testApp.app.exportService.startHousekeeping(3_600_000);
    expect(swept.interrupted).toBeGreaterThanOrEqual(2);
    for (const id of ids) {
      const state = await job(viewer, id);
      expect(state).toMatchObject({ status: 'failed', error: { reason: 'interrupted' } });
      expect(state.error!.message).toContain('服务器重启');
      expect(fs.existsSync(path.join(directory, id))).toBe(false);
    }
    // Touched a moment ago: another process may be writing it.
    expect((await job(viewer, recent)).status).toBe('running');
    await sql`UPDATE exports SET status = 'failed' WHERE id = ${recent}`.execute(testApp.database.db);
    const { rows } = await sql<{ actor: string; after: { status: string } }>`SELECT actor, after FROM history WHERE entity = 'exports' AND entity_id = ${ids[0]}`.execute(testApp.database.db);
    expect(rows).toEqual([expect.objectContaining({ actor: 'system', after: expect.objectContaining({ status: 'failed' }) })]);
  });

  it('on close, aborts running jobs and fails them as interrupted; the writer\'s child process is stopped', async () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-exports-close-'));
    const writers = exportTestWriters();
    const closing = await createTestApp({ EXPORT_DIRECTORY: own }, false, undefined, { exportWriters: writers.writers });
    try {
      const session = await login(closing.app, 'official');
      const response = await session.request({ method: 'POST', url: '/api/exports', payload: { layer: 'parcels', format: 'csv' } });
      const { id } = response.json();
      await waitFor(session, id, (state) => state.status === 'running');
      await closing.app.close();
      expect(writers.children[0].exitCode !== null || writers.children[0].signalCode !== null).toBe(true);
      expect(await testApp.app.exportsRepository.find(id)).toMatchObject({ status: 'failed', error: { reason: 'interrupted' } });
      expect(fs.existsSync(path.join(own, id))).toBe(false);
    } finally {
      await closing.pools.close();
      fs.rmSync(own, { recursive: true, force: true });
    }
  });
});

describe('the audit log', () => {
  it('has every export with who, what, filters, format, row count and file name, and names it by its file', async () => {
    const filters = { district: '350206', status: 'suspected', type: 'idle' } as const;
    const started = await created(viewer, { layer: 'parcels', format: 'geojson', filters });
    await testApp.app.exportService.settled(started.id);
    const done = await job(viewer, started.id);
    const page = (await admin.get(`/api/admin/audit?entity=exports&entityId=${started.id}`)).json();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      actor: 'viewer', action: 'export', entity: 'exports', entityId: started.id, requestId: started.requestId, subject: done.fileName,
      after: { status: 'done', layer: 'parcels', format: 'geojson', filters, crs: 'EPSG:4326', encoding: null, rowCount: 3, fileName: done.fileName },
    });
    const failed = await created(viewer, { layer: 'parcels', format: 'xlsx' });
    await testApp.app.exportService.settled(failed.id);
    const failure = (await admin.get(`/api/admin/audit?entity=exports&entityId=${failed.id}`)).json().items;
    expect(failure).toMatchObject([{ action: 'export', after: { status: 'failed', error: { reason: 'internal' } } }]);
  });
});

describe('GDAL\'s connection as the application\'s role', () => {
  it('takes the role through PGOPTIONS: ogrinfo over the owner\'s login reads as biaotu_app', async () => {
    const withRole = exportGdalConnection('postgres://owner:secret@127.0.0.1:5432/db', 'biaotu_app');
    expect(withRole).toEqual({ dataset: 'PG:host=127.0.0.1 port=5432 dbname=db user=owner', env: { PGPASSWORD: 'secret', PGOPTIONS: '-c role=biaotu_app' } });
    expect(() => exportGdalConnection('postgres://owner@127.0.0.1/db', 'x; DROP')).toThrow();
    const owner = exportGdalConnection(inject('adminDatabaseUrl'), 'biaotu_app');
    const read = await runGdal('ogrinfo', ['-ro', '-q', owner.dataset, '-sql', 'SELECT current_user::text AS who, session_user::text AS login'], { env: owner.env });
    expect(read.stdout).toContain('who (String) = biaotu_app');
    expect(read.stdout).not.toContain('login (String) = biaotu_app');
  });
});
