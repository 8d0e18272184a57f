import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/request.js';
import { ExportSession, type ExportCalls } from './export-session.js';
import type { ExportJob, ExportRequest } from './exports.api.js';
import { manualTimers, settle } from './testing.js';

const queued: ExportJob = {
  id: '6f1c0a8e-3f7d-4d0a-9d55-0c5c4a4f2b11', layer: 'parcels', format: 'shapefile', crs: null, encoding: null,
  filters: { district: '350206' }, status: 'queued', progress: 0, rowCount: null, fileName: null, bytes: null, notes: [], error: null,
  createdBy: 'viewer', createdAt: '2026-12-03T07:00:00.000Z', finishedAt: null, expiresAt: null, downloadUrl: null,
};

/** Calls that answer from lists and record what was sent. */
function calls(answers: { create?: (ExportJob | Error)[]; fetch?: (ExportJob | Error)[]; remove?: (ExportJob | Error)[] }) {
  const sent: { create: ExportRequest[]; fetch: string[]; remove: string[] } = { create: [], fetch: [], remove: [] };
  const next = async (list: (ExportJob | Error)[] | undefined) => {
    const answer = list?.shift();
    if (!answer) throw new Error('no answer left');
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const api: ExportCalls = {
    create: (body) => { sent.create.push(body); return next(answers.create); },
    fetch: (id) => { sent.fetch.push(id); return next(answers.fetch); },
    remove: (id) => { sent.remove.push(id); return next(answers.remove); },
  };
  return { api, sent };
}

const target = { layer: 'parcels' as const, filters: { district: '350206' }, names: { district: '湖里区' } };

describe('ExportSession', () => {
  it('starts on the layer\'s defaults and keeps crs and encoding across format changes', () => {
    const session = new ExportSession(target, calls({}).api);
    expect(session.snapshot.choice).toEqual({ format: 'shapefile', crs: 'gauss-kruger', encoding: 'GBK' });
    session.choose({ encoding: 'UTF-8' });
    session.choose({ format: 'geojson' });
    expect(session.request).toEqual({ layer: 'parcels', format: 'geojson', filters: { district: '350206' } });
    session.choose({ format: 'shapefile' });
    expect(session.request.encoding).toBe('UTF-8');
    // PDF is not a format of parcels: ignored.
    session.choose({ format: 'pdf' });
    expect(session.snapshot.choice.format).toBe('shapefile');
  });

  it('posts the request, then follows the job about once a second until it is done', async () => {
    const timers = manualTimers();
    const running = { ...queued, status: 'running' as const, progress: 0.5 };
    const done = { ...queued, status: 'done' as const, progress: 1, rowCount: 12, fileName: '厦门市湖里区_地块_20261203.zip', notes: ['投影带：第 39 带'], downloadUrl: '/api/exports/x/file' };
    const { api, sent } = calls({ create: [queued], fetch: [running, done] });
    const session = new ExportSession(target, api, { timers, intervalMs: 1000 });
    const stages: string[] = [];
    session.subscribe((snapshot) => stages.push(`${snapshot.stage}:${snapshot.job?.status ?? '-'}`));

    await session.start();
    await settle();
    expect(sent.create).toEqual([{ layer: 'parcels', format: 'shapefile', crs: 'gauss-kruger', encoding: 'GBK', filters: { district: '350206' } }]);
    expect(session.snapshot.job?.status).toBe('running');
    await timers.fire();
    expect(session.snapshot.job).toEqual(done);
    expect(timers.pending).toHaveLength(0);
    expect(sent.fetch).toEqual([queued.id, queued.id]);
    expect(stages).toEqual(['starting:-', 'following:queued', 'following:running', 'following:done']);
  });

  it('shows a refused request on the form, titled by the field it names, and may try again', async () => {
    const refusal = new ApiError(400, 'invalid_parameter', '选中的地块过多（最多 10000 宗），请改用筛选条件或框选导出', { parameter: 'body.filters.ids' });
    const { api } = calls({ create: [refusal, queued], fetch: [{ ...queued, status: 'done', progress: 1 }] });
    const session = new ExportSession(target, api, { timers: manualTimers() });
    await session.start();
    expect(session.snapshot.stage).toBe('choose');
    expect(session.snapshot.failure).toEqual({ title: '导出条件有误：当前选择', message: refusal.message });
    session.choose({ format: 'gpkg' });
    expect(session.snapshot.failure).toBeNull();
    await session.start();
    expect(session.snapshot.stage).toBe('following');
  });

  it('tells a 429 with when to come back', async () => {
    const { api } = calls({ create: [new ApiError(429, 'too_many_exports', '您已有 3 个导出在进行', { retryAfterSeconds: 20 })] });
    const session = new ExportSession(target, api);
    await session.start();
    expect(session.snapshot.failure).toEqual({ title: '导出任务过多', message: '您已有 3 个导出在进行（请 20 秒后再试）' });
  });

  it('keeps a failed job\'s reason for the dialog to show', async () => {
    const failed = { ...queued, status: 'failed' as const, error: { reason: 'empty_selection', message: '没有符合条件的地块' } };
    const timers = manualTimers();
    const { api } = calls({ create: [failed] });
    const session = new ExportSession(target, api, { timers });
    await session.start();
    expect(session.snapshot.job?.error?.message).toBe('没有符合条件的地块');
    expect(timers.pending).toHaveLength(0);
  });

  it('cancels the running job and stops following it', async () => {
    const timers = manualTimers();
    const cancelled = { ...queued, status: 'cancelled' as const };
    const { api, sent } = calls({ create: [queued], fetch: [{ ...queued, status: 'running' }], remove: [cancelled] });
    const session = new ExportSession(target, api, { timers });
    await session.start();
    await settle();
    await session.cancel();
    expect(sent.remove).toEqual([queued.id]);
    expect(session.snapshot.job?.status).toBe('cancelled');
    expect(timers.pending).toHaveLength(0);
  });

  it('stops following a job the server no longer knows', async () => {
    const timers = manualTimers();
    const { api } = calls({ create: [queued], fetch: [new ApiError(404, 'not_found', '导出任务不存在')] });
    const session = new ExportSession(target, api, { timers });
    await session.start();
    await settle();
    expect(session.snapshot.failure?.title).toBe('无法查看导出进度');
    expect(timers.pending).toHaveLength(0);
  });

  it('stops asking when the dialog closes', async () => {
    const timers = manualTimers();
    const { api, sent } = calls({ create: [queued], fetch: [{ ...queued, status: 'running' }] });
    const session = new ExportSession(target, api, { timers });
    await session.start();
    await settle();
    session.dispose();
    expect(timers.pending).toHaveLength(0);
    expect(sent.fetch).toHaveLength(1);
  });
});
