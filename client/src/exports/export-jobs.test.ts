import { describe, expect, it } from 'vitest';
import type { ExportJob } from './exports.api.js';
import {
  crsText, expiryText, exportActions, exportActive, exportFacts, exportStatusLabel, exportTitle, failureText, parameterLabel, progressPercent, progressStatus,
  Repeater, submitFailure,
} from './export-jobs.js';
import { manualTimers, settle } from './testing.js';

const job: ExportJob = {
  id: '6f1c0a8e-3f7d-4d0a-9d55-0c5c4a4f2b11', layer: 'parcels', format: 'shapefile', crs: null, encoding: null,
  filters: { district: '350206' }, status: 'running', progress: 0.426, rowCount: null, fileName: null, bytes: null, notes: [], error: null,
  createdBy: 'viewer', createdAt: '2026-12-03T07:00:00.000Z', finishedAt: null, expiresAt: null, downloadUrl: null,
};
const done: ExportJob = {
  ...job, status: 'done', progress: 1, rowCount: 1234, fileName: '厦门市湖里区_地块_20261203.zip', bytes: 2_400_000,
  crs: 'EPSG:4527', encoding: 'GBK', expiresAt: '2026-12-04T07:00:00.000Z', downloadUrl: '/api/exports/x/file',
};

describe('export job texts', () => {
  it('names every status in Chinese and knows which still change', () => {
    expect(['queued', 'running', 'done', 'failed', 'cancelled', 'expired'].map(exportStatusLabel)).toEqual(['排队中', '导出中', '已完成', '未能导出', '已取消', '已过期']);
    expect(exportActive('queued') && exportActive('running')).toBe(true);
    expect(['done', 'failed', 'cancelled', 'expired'].some(exportActive)).toBe(false);
    expect(progressStatus('failed')).toBe('exception');
    expect(progressStatus('running')).toBe('');
  });

  it('offers cancel while running, download and remove once done', () => {
    expect(exportActions(job)).toEqual({ cancel: true, download: false, remove: false });
    expect(exportActions(done)).toEqual({ cancel: false, download: true, remove: true });
    expect(exportActions({ status: 'expired', downloadUrl: null })).toEqual({ cancel: false, download: false, remove: false });
    expect(exportActions({ status: 'failed', downloadUrl: null }).download).toBe(false);
  });

  it('shows progress as a whole percentage that reaches 100 only when done', () => {
    expect(progressPercent(job)).toBe(42);
    expect(progressPercent({ status: 'running', progress: 0.999 })).toBe(99);
    expect(progressPercent({ status: 'queued', progress: Number.NaN })).toBe(0);
    expect(progressPercent(done)).toBe(100);
  });

  it('titles a job by its file, or by what it writes before the file exists', () => {
    expect(exportTitle(done)).toBe('厦门市湖里区_地块_20261203.zip');
    expect(exportTitle(job)).toBe('地块 · Shapefile (zip)');
  });

  it('names the coordinate system written, Gauss-Kruger zones by number', () => {
    expect(crsText('EPSG:4527')).toBe('CGCS2000 3度带 第 39 带 (EPSG:4527)');
    expect(crsText('EPSG:4513')).toBe('CGCS2000 3度带 第 25 带 (EPSG:4513)');
    expect(crsText('EPSG:4490')).toBe('CGCS2000 经纬度 (EPSG:4490)');
    expect(crsText('EPSG:4326')).toBe('WGS84 经纬度 (EPSG:4326)');
    expect(crsText(null)).toBeNull();
  });

  it('lists the facts of a finished job and when its file goes', () => {
    expect(exportFacts(done)).toEqual(['1,234 宗', '2.3 MB', 'CGCS2000 3度带 第 39 带 (EPSG:4527)', 'GBK 编码']);
    expect(exportFacts(job)).toEqual([]);
    expect(expiryText(done)).toMatch(/^文件保留至 2026-12-04 \d\d:\d\d$/);
    expect(expiryText({ status: 'expired', expiresAt: null })).toContain('重新导出');
    expect(expiryText(job)).toBeNull();
  });

  it('says why an export failed, in the server\'s words when it gave some', () => {
    expect(failureText({ status: 'failed', error: { reason: 'empty_selection', message: '筛选条件下没有地块，请放宽条件后再导出' } })).toBe('筛选条件下没有地块，请放宽条件后再导出');
    expect(failureText({ status: 'failed', error: null })).toContain('原因未知');
    expect(failureText(done)).toBeNull();
  });

  it('titles a refused request by its kind and names the field of a 400', () => {
    expect(parameterLabel('body.filters.ids')).toBe('当前选择');
    expect(parameterLabel('/body/filters/ids/3')).toBe('当前选择');
    expect(parameterLabel('filters.year')).toBe('调查年度');
    expect(parameterLabel('body.format')).toBe('格式');
    expect(parameterLabel('somethingElse')).toBe('somethingElse');
    expect(submitFailure({ status: 400, message: '格式 pdf 不适用于地块', body: { parameter: 'body.format' } })).toEqual({ title: '导出条件有误：格式', message: '格式 pdf 不适用于地块' });
    expect(submitFailure({ status: 403, message: '您没有执行此操作的权限' }).title).toBe('没有导出这些数据的权限');
    expect(submitFailure({ status: 429, message: '同时进行的导出过多', body: { retryAfterSeconds: 30 } })).toEqual({ title: '导出任务过多', message: '同时进行的导出过多（请 30 秒后再试）' });
    expect(submitFailure({ status: 0, message: '无法连接服务器' }).title).toBe('无法连接服务器');
    expect(submitFailure({ status: 500, message: '服务器内部错误' }).title).toBe('导出未能开始');
  });
});

describe('Repeater', () => {
  it('asks again after each answer until the task says it is finished', async () => {
    const timers = manualTimers();
    const answers = [true, true, false];
    let runs = 0;
    const repeater = new Repeater(async () => answers[runs++], 1000, timers);
    repeater.start();
    await settle();
    expect(runs).toBe(1);
    expect(timers.pending).toHaveLength(1);
    await timers.fire();
    expect(runs).toBe(2);
    await timers.fire();
    expect(runs).toBe(3);
    expect(timers.pending).toHaveLength(0);
    expect(repeater.running).toBe(false);
  });

  it('keeps asking after a failed request, and stops when told', async () => {
    const timers = manualTimers();
    let runs = 0;
    const repeater = new Repeater(async () => {
      runs++;
      throw new Error('network');
    }, 1000, timers);
    repeater.start();
    await settle();
    expect(timers.pending).toHaveLength(1);
    repeater.stop();
    expect(timers.pending).toHaveLength(0);
    expect(runs).toBe(1);
  });

  it('drops the answer of a run that was stopped meanwhile', async () => {
    const timers = manualTimers();
    let release: (value: boolean) => void = () => undefined;
    const repeater = new Repeater(() => new Promise<boolean>((resolve) => { release = resolve; }), 1000, timers);
    repeater.start();
    repeater.stop();
    release(true);
    await settle();
    expect(timers.pending).toHaveLength(0);
  });
});
