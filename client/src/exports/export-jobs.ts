import { exportFormatOf, exportLayerOf, type ExportStatus } from '@domain/exports/export-kinds.js';
import { EXPORT_FILTER_LABELS } from '@domain/exports/export-request.validation.js';
import { formatFileSize } from '../imports/import-text.js';
import { formatDateTime } from '../audit/change-rows.js';
import { rowCountText } from './export-choices.js';
import type { ExportJob } from './exports.api.js';

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info';

const STATUSES: Readonly<Record<ExportStatus, { label: string; tag: TagType }>> = {
  queued: { label: '排队中', tag: 'info' },
  running: { label: '导出中', tag: 'primary' },
  done: { label: '已完成', tag: 'success' },
  failed: { label: '未能导出', tag: 'danger' },
  cancelled: { label: '已取消', tag: 'info' },
  expired: { label: '已过期', tag: 'info' },
};

export function exportStatusLabel(status: string): string {
  return STATUSES[status as ExportStatus]?.label ?? status;
}

export function exportStatusTag(status: string): TagType {
  return STATUSES[status as ExportStatus]?.tag ?? 'info';
}

/** Queued or running: the job may still change, so whoever shows it keeps asking. */
export function exportActive(status: string): boolean {
  return status === 'queued' || status === 'running';
}

/** What the user may do with a job: cancel it while it runs, download and remove its file once done. */
export function exportActions(job: Pick<ExportJob, 'status' | 'downloadUrl'>): { cancel: boolean; download: boolean; remove: boolean } {
  const done = job.status === 'done';
  return { cancel: exportActive(job.status), download: done && job.downloadUrl !== null, remove: done };
}

/** 0–100 for the progress bar; a finished job is full, a queued one empty. */
export function progressPercent(job: Pick<ExportJob, 'status' | 'progress'>): number {
  if (job.status === 'done') return 100;
  const value = Number.isFinite(job.progress) ? job.progress : 0;
  return Math.max(0, Math.min(99, Math.floor(value * 100)));
}

/** The file's name once written; before that, what is being written ('地块 · Shapefile (zip)'). */
export function exportTitle(job: Pick<ExportJob, 'fileName' | 'layer' | 'format'>): string {
  if (job.fileName) return job.fileName;
  return `${exportLayerOf(job.layer)?.label ?? job.layer} · ${exportFormatOf(job.format)?.label ?? job.format}`;
}

/**
 * 'EPSG:4527' → 'CGCS2000 3度带 第 39 带 (EPSG:4527)': EPSG:4513–4533 are CGCS2000 3-degree
 * Gauss-Kruger zones 25–45 with the zone number prefixed to x.
 */
export function crsText(crs: string | null): string | null {
  if (!crs) return null;
  const code = /^EPSG:(\d+)$/i.exec(crs)?.[1];
  const number = code ? Number(code) : NaN;
  if (number >= 4513 && number <= 4533) return `CGCS2000 3度带 第 ${number - 4488} 带 (${crs})`;
  if (number === 4490) return `CGCS2000 经纬度 (${crs})`;
  if (number === 4326) return `WGS84 经纬度 (${crs})`;
  return crs;
}

/** The facts of a job on one line: rows, size, coordinate system, encoding. */
export function exportFacts(job: Pick<ExportJob, 'layer' | 'rowCount' | 'bytes' | 'crs' | 'encoding' | 'status'>): string[] {
  const facts: string[] = [];
  const rows = rowCountText(job.layer, job.rowCount);
  if (rows) facts.push(rows);
  if (job.bytes !== null && job.status === 'done') facts.push(formatFileSize(job.bytes));
  const crs = crsText(job.crs);
  if (crs) facts.push(crs);
  if (job.encoding) facts.push(`${job.encoding} 编码`);
  return facts;
}

/** When the file goes: '文件保留至 2026-12-04 08:00'; an expired job says to export again. */
export function expiryText(job: Pick<ExportJob, 'status' | 'expiresAt'>): string | null {
  if (job.status === 'expired') return '文件已删除（保留期满或已手动删除），如需要请重新导出';
  if (job.status !== 'done' || !job.expiresAt) return null;
  return `文件保留至 ${formatDateTime(job.expiresAt).slice(0, 16)}`;
}

/** The failure in words the user can act on: the server's message, or a generic one naming the reason. */
export function failureText(job: Pick<ExportJob, 'status' | 'error'>): string | null {
  if (job.status !== 'failed') return null;
  return job.error?.message || `导出失败（${job.error?.reason ?? '原因未知'}），请稍后重试或联系管理员`;
}

/** Element Plus progress status for a job's bar. */
export function progressStatus(status: string): '' | 'success' | 'exception' | 'warning' {
  if (status === 'done') return 'success';
  if (status === 'failed') return 'exception';
  if (status === 'cancelled' || status === 'expired') return 'warning';
  return '';
}

export interface RepeaterTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Runs `task` now and again `intervalMs` after each run finishes, while it answers true; never
 * two runs at once, so a slow server is not asked twice. `stop` ends it; `start` restarts it.
 */
export class Repeater {
  #handle: unknown = null;
  #running = false;
  #generation = 0;

  constructor(
    private readonly task: () => Promise<boolean>,
    private readonly intervalMs: number,
    private readonly timers: RepeaterTimers = { setTimeout: (callback, ms) => window.setTimeout(callback, ms), clearTimeout: (handle) => window.clearTimeout(handle as number) },
  ) {}

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    this.stop();
    this.#running = true;
    void this.#run(this.#generation);
  }

  stop(): void {
    this.#generation++;
    this.#running = false;
    if (this.#handle !== null) this.timers.clearTimeout(this.#handle);
    this.#handle = null;
  }

  async #run(generation: number): Promise<void> {
    this.#handle = null;
    let again: boolean;
    try {
      again = await this.task();
    } catch {
      again = true;
    }
    if (generation !== this.#generation) return;
    if (!again) {
      this.#running = false;
      return;
    }
    this.#handle = this.timers.setTimeout(() => void this.#run(generation), this.intervalMs);
  }
}

const REQUEST_LABELS: Readonly<Record<string, string>> = { layer: '导出内容', format: '格式', crs: '坐标系', encoding: '编码', filters: '筛选条件' };

/** 'body.filters.ids' → '当前选择' (the server's own filter words); unknown names are shown as they are. */
export function parameterLabel(parameter: string): string {
  const last = parameter.replace(/^\/?body[./]?/, '').split(/[./]/).filter((part) => part && !/^\d+$/.test(part)).pop() ?? parameter;
  return REQUEST_LABELS[last] ?? (EXPORT_FILTER_LABELS as Record<string, string>)[last] ?? parameter;
}

/** A refused POST /api/exports as the dialog shows it: a title saying what kind of refusal, and the server's message. */
export function submitFailure(error: { status: number; message: string; body?: Record<string, unknown> | null }): { title: string; message: string } {
  const body = error.body ?? {};
  if (error.status === 400) {
    const parameter = typeof body.parameter === 'string' ? body.parameter : null;
    return { title: parameter ? `导出条件有误：${parameterLabel(parameter)}` : '导出条件有误', message: error.message };
  }
  if (error.status === 403) return { title: '没有导出这些数据的权限', message: error.message };
  if (error.status === 429) {
    const seconds = typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : null;
    return { title: '导出任务过多', message: seconds ? `${error.message}（请 ${seconds} 秒后再试）` : error.message };
  }
  if (error.status === 0) return { title: '无法连接服务器', message: error.message };
  return { title: '导出未能开始', message: error.message };
}
