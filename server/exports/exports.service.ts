import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import type { ExportRequest } from '../../domain/api/exports.schemas.js';
import { exportFormatOf, exportLayerOf, type ExportCrs, type ExportEncoding, type ExportStatus } from '../../domain/exports/export-kinds.js';
import { exportStamp } from '../../domain/exports/export-names.js';
import { exportRequestProblem } from '../../domain/exports/export-request.validation.js';
import type { AppInstance } from '../app-instance.js';
import type { Principal } from '../auth/principal.js';
import { OutOfScopeError, Scope } from '../auth/scope.js';
import { allowLongQueries } from '../db/availability.js';
import { ApiError, InvalidParameterError, NotFoundError, RetryLaterError } from '../errors.js';
import { gdalConnection } from '../imports/gdal.js';
import type { ExportJobContext, ExportOutput, ExportRefusal, ExportWriter } from './export-writer.js';
import type { ExportRow, ExportsRepository } from './exports.repository.js';
import { EXPORT_WRITERS } from './writers/index.js';

/** The writers by `${layer}:${format}` (EXPORT_WRITERS; tests give their own to run the machinery). */
export type ExportWriters = Partial<Record<string, ExportWriter>>;

/** Reasons of export refusals and failures (the `error` of a 4xx body or of a failed job). */
export const EXPORT_UNSUPPORTED = 'unsupported_format';
export const EXPORT_TOO_MANY = 'too_many_exports';
export const EXPORT_NOT_READY = 'not_ready';
export const EXPORT_EXPIRED = 'expired';
export const EXPORT_NO_FILE = 'no_file';
export const EXPORT_INTERNAL = 'internal';
export const EXPORT_INTERRUPTED = 'interrupted';

export interface ExportServiceOptions {
  repository: ExportsRepository;
  /** The app the writers get (repositories, settings), and the districts and survey layers validation reads. */
  app: AppInstance;
  /** Where each job gets its folder `<directory>/<id>/`: the only place exports write. */
  directory: string;
  /** Hours a finished file is kept. */
  retentionHours: number;
  /** Jobs written at once by this process; the others wait in order. */
  concurrency: number;
  /** Jobs of one user queued or running at once; one more is refused (429). */
  activePerUser?: number;
  /** GDAL's connection to the database (the application's role). */
  gdal: { dataset: string; env: NodeJS.ProcessEnv };
  writers?: ExportWriters;
  /** Least time between two progress writes of a job (ms). */
  progressIntervalMs?: number;
  log?: (message: string, error?: unknown) => void;
}

/** What a housekeeping sweep did. */
export interface ExportHousekeeping {
  interrupted: number;
  expired: number;
  removed: number;
}

/** A job's heartbeat: the process running it touches it this often… */
const HEARTBEAT_MS = 30_000;
/** …so a queued or running job silent for this long was left by a process that ended. */
const INTERRUPTED_AFTER_MS = 120_000;
/** Longest wait for a cancelled or closing writer to stop before its folder is removed anyway. */
const STOP_WAIT_MS = 10_000;

const INTERRUPTED_RESTART = '服务器重启，导出被中断，没有生成文件。请重新导出。/ The server restarted during the export: please export again.';
const INTERRUPTED_CLOSE = '服务器停止，导出被中断，没有生成文件。请重新导出。/ The server stopped during the export: please export again.';

/** A job queued or running in this process. */
interface LiveJob {
  id: string;
  principal: Principal;
  requestId: string;
  controller: AbortController;
  /** Resolved when the job has ended here (written, failed, cancelled, or never started). */
  ended: Promise<void>;
  end(): void;
}

/** `PG:` dataset and environment of GDAL's connection; a role to take (SET ROLE) goes in PGOPTIONS. */
export function exportGdalConnection(url: string, role?: string): { dataset: string; env: NodeJS.ProcessEnv } {
  const connection = gdalConnection(url);
  if (!role) return connection;
  if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`not a role name: ${role}`);
  return { dataset: connection.dataset, env: { ...connection.env, PGOPTIONS: `-c role=${role}` } };
}

const wait = (ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms).unref(); });

/**
 * The export jobs: a request is checked (format, filters, scope, the user's active jobs), recorded
 * queued, and written in the background by the writer of its (layer, format) in a folder of its own,
 * at most `concurrency` at once. The job's row says where it is (progress, the file, the failure);
 * the file is kept `retentionHours`, then removed by housekeeping. Every end is on the audit log.
 */
export function createExportService(options: ExportServiceOptions) {
  const { repository, app } = options;
  const writers = options.writers ?? (EXPORT_WRITERS as ExportWriters);
  const activePerUser = options.activePerUser ?? 3;
  const progressIntervalMs = options.progressIntervalMs ?? 500;
  const log = options.log ?? (() => undefined);
  const directory = path.resolve(options.directory);
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  const folderOf = (id: string) => path.join(directory, id);
  const removeFolder = (id: string) => fs.rmSync(folderOf(id), { recursive: true, force: true });

  const live = new Map<string, LiveJob>();
  const queue: string[] = [];
  /** Jobs writing now: id → username. */
  const runningBy = new Map<string, string>();
  let closing = false;

  const heartbeat = setInterval(() => {
    if (live.size > 0) void repository.touch([...live.keys()]).catch((error: unknown) => log('export heartbeat failed', error));
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let housekeeping: NodeJS.Timeout | undefined;

  /** The end of a job on the audit log: done, failed, cancelled or interrupted. */
  async function audit(row: ExportRow, actor: string, requestId: string | null): Promise<void> {
    await repository.recordExport({
      jobId: row.id, actor, requestId,
      after: {
        status: row.status, layer: row.layer, format: row.format, filters: row.filters, crs: row.crs, encoding: row.encoding,
        rowCount: row.rowCount, fileName: row.fileName, ...(row.error ? { error: row.error } : {}),
      },
    }).catch((error: unknown) => log(`export ${row.id}: audit entry not written`, error));
  }

  /** Progress as the writer reports it, written at most every `progressIntervalMs`; `stop` settles the last write. */
  function progressOf(id: string) {
    let latest = 0;
    let writtenAt = 0;
    let timer: NodeJS.Timeout | undefined;
    let chain: Promise<unknown> = Promise.resolve();
    let stopped = false;
    const write = () => {
      timer = undefined;
      if (stopped) return;
      writtenAt = Date.now();
      const value = Math.round(latest * 1000) / 1000;
      chain = chain.then(() => repository.update(id, { progress: value }, ['running'])).catch((error: unknown) => log(`export ${id}: progress not written`, error));
    };
    return {
      report(fraction: number) {
        if (stopped || typeof fraction !== 'number' || !Number.isFinite(fraction)) return;
        latest = Math.min(1, Math.max(0, fraction));
        const since = Date.now() - writtenAt;
        if (since >= progressIntervalMs) write();
        else timer ??= setTimeout(write, progressIntervalMs - since);
      },
      async stop() {
        stopped = true;
        clearTimeout(timer);
        await chain;
      },
    };
  }

  const internalFailure = (id: string) => ({
    reason: EXPORT_INTERNAL,
    message: `导出失败：服务器内部错误。请把导出任务编号 ${id} 告知管理员。/ Internal error: tell the administrator the job id.`,
  });

  /** A writer's output checked: a regular file inside the job's folder. */
  function checkedOutput(id: string, output: ExportOutput): { bytes: number } | null {
    const file = path.resolve(output.file);
    if (!file.startsWith(`${folderOf(id)}${path.sep}`)) return null;
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    return stat?.isFile() ? { bytes: stat.size } : null;
  }

  async function write(job: LiveJob): Promise<void> {
    const { id, controller } = job;
    if (controller.signal.aborted || !(await repository.update(id, { status: 'running', progress: 0 }, ['queued']))) return;
    const row = (await repository.find(id))!;
    const folder = folderOf(id);
    removeFolder(id);
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const progress = progressOf(id);
    const writer = writers[`${row.layer}:${row.format}`];
    const context: ExportJobContext = {
      id, layer: row.layer, format: row.format,
      crs: row.crsRequest as ExportCrs,
      encoding: (row.encoding ?? 'GBK') as ExportEncoding,
      filters: row.filters,
      scope: Scope.of(job.principal),
      actor: { username: job.principal.username, displayName: job.principal.displayName },
      directory: folder,
      app,
      gdal: options.gdal,
      progress: (fraction) => progress.report(fraction),
      signal: controller.signal,
      stamp: exportStamp(row.createdAt),
    };
    let outcome: ExportOutput | ExportRefusal;
    try {
      if (!writer) throw new Error(`no writer for ${row.layer}:${row.format}`);
      outcome = await writer(context);
    } catch (error) {
      if (!controller.signal.aborted) log(`export ${id} (${row.layer}:${row.format}) failed`, error);
      outcome = { ok: false, ...internalFailure(id) };
    }
    await progress.stop();
    // Cancelled or closing: whoever aborted it has recorded its end; nothing of it is kept.
    if (controller.signal.aborted) return removeFolder(id);
    const written = outcome.ok ? checkedOutput(id, outcome) : null;
    if (outcome.ok && !written) {
      log(`export ${id}: the writer's file ${outcome.file} is not a file inside ${folder}`);
      outcome = { ok: false, ...internalFailure(id) };
    }
    const finishedAt = new Date();
    if (outcome.ok && written) {
      const done = await repository.update(id, {
        status: 'done', progress: 1, rowCount: outcome.rowCount, fileName: outcome.fileName, filePath: path.resolve(outcome.file), bytes: written.bytes,
        notes: outcome.notes, crs: outcome.crs, encoding: outcome.encoding, error: null, finishedAt,
        expiresAt: new Date(finishedAt.getTime() + options.retentionHours * 3_600_000),
      }, ['running']);
      if (!done) return removeFolder(id);
    } else if (!outcome.ok) {
      removeFolder(id);
      const failed = await repository.update(id, { status: 'failed', error: { reason: outcome.reason, message: outcome.message }, finishedAt }, ['running']);
      if (!failed) return;
    }
    await audit((await repository.find(id))!, job.principal.username, job.requestId);
  }

  /** Runs a job to its end; a fault of the database on the way fails it (or leaves it to housekeeping). */
  async function run(job: LiveJob): Promise<void> {
    try {
      await allowLongQueries(() => write(job));
    } catch (error) {
      log(`export ${job.id} could not be run`, error);
      removeFolder(job.id);
      await repository.update(job.id, { status: 'failed', error: internalFailure(job.id), finishedAt: new Date() }, ['queued', 'running'])
        .catch((updateError: unknown) => log(`export ${job.id} could not be marked failed`, updateError));
    }
  }

  /** The queued job to start next: the oldest of the users with the fewest jobs running, so one user's jobs do not hold up everyone's. */
  function next(): LiveJob | undefined {
    let chosen = -1;
    let fewest = Infinity;
    for (const [index, id] of queue.entries()) {
      const owner = live.get(id)?.principal.username;
      const busy = [...runningBy.values()].filter((username) => username === owner).length;
      if (busy < fewest) {
        fewest = busy;
        chosen = index;
      }
    }
    return chosen < 0 ? undefined : live.get(queue.splice(chosen, 1)[0]);
  }

  /** Starts queued jobs while fewer than `concurrency` run. */
  function pump(): void {
    while (!closing && runningBy.size < options.concurrency && queue.length > 0) {
      const job = next();
      if (!job) continue;
      runningBy.set(job.id, job.principal.username);
      void run(job).finally(() => {
        runningBy.delete(job.id);
        live.delete(job.id);
        job.end();
        pump();
      });
    }
  }

  /** Stops a live job (cancel, close) and waits, within bounds, for its writer to return. */
  async function stop(id: string): Promise<void> {
    const job = live.get(id);
    if (!job) return;
    job.controller.abort();
    const queued = queue.indexOf(id);
    if (queued >= 0) {
      queue.splice(queued, 1);
      live.delete(id);
      job.end();
    }
    await Promise.race([job.ended, wait(STOP_WAIT_MS)]);
  }

  /** A job its user (or an administrator) may see; 404 for anyone else's. */
  async function visible(id: string, principal: Principal): Promise<ExportRow> {
    const row = await repository.find(id);
    if (!row || (row.createdBy !== principal.username && principal.role !== 'admin')) {
      throw new NotFoundError(`没有编号为 ${id} 的导出任务（或它属于其他用户）。`, { parameter: 'id' });
    }
    return row;
  }

  /** The request's problems the schema cannot see, as the 4xx that names the field. */
  async function check(request: ExportRequest, principal: Principal): Promise<void> {
    const problem = exportRequestProblem(request);
    if (problem) throw new InvalidParameterError(problem.parameter, problem.message);
    if (!writers[`${request.layer}:${request.format}`]) {
      const layer = exportLayerOf(request.layer)!;
      throw new ApiError(400, EXPORT_UNSUPPORTED, `暂不支持将${layer.label}导出为 ${exportFormatOf(request.format)!.label}；请选择其他格式。`, { parameter: 'format' });
    }
    const filters = request.filters ?? {};
    if (filters.district) {
      const district = await app.districtsRepository.find(filters.district);
      if (!district) throw new InvalidParameterError('filters.district', `没有行政区 ${filters.district}；请从行政区列表中选择。`);
      const scope = Scope.of(principal);
      // A city is exported over the user's own districts (the writers filter by scope); a district must be one of them.
      if (district.level === 'city' ? !scope.coversAny : !scope.covers(district.code)) throw new OutOfScopeError(principal, district, '导出', '所选范围');
    }
    if (filters.year !== undefined) {
      const years = [...new Set((await app.surveyRepository.committedLayers()).map((layer) => layer.year))];
      if (!years.includes(filters.year)) {
        throw new InvalidParameterError('filters.year', `没有 ${filters.year} 年的变更调查图层；${years.length > 0 ? `可导出的年度：${years.join('、')}` : '请先导入变更调查数据'}。`);
      }
    }
  }

  const service = {
    directory,
    folderOf,

    /** Checks a request, records the job queued and starts it in the background. */
    async create(request: ExportRequest, principal: Principal, requestId: string): Promise<ExportRow> {
      if (closing) throw new RetryLaterError(503, 'shutting_down', '服务器正在停止，请稍后再导出。', 30);
      await check(request, principal);
      const id = randomUUID();
      const accepted = await repository.insertUnderLimit({
        id, layer: request.layer, format: request.format, crsRequest: request.crs ?? 'gauss-kruger',
        encoding: request.format === 'shapefile' ? request.encoding ?? 'GBK' : null, filters: request.filters ?? {}, createdBy: principal.username,
      }, activePerUser);
      if (!accepted) {
        throw new RetryLaterError(429, EXPORT_TOO_MANY, `您已有 ${activePerUser} 个导出任务正在进行；请等其中一个完成，或取消不需要的任务后再导出。/ ${activePerUser} exports of yours are already running.`, 10);
      }
      let end = () => undefined as void;
      const ended = new Promise<void>((resolve) => { end = resolve; });
      live.set(id, { id, principal, requestId, controller: new AbortController(), ended, end });
      queue.push(id);
      pump();
      return (await repository.find(id))!;
    },

    /** Settles when the job has ended in this process (tests, scripts). */
    async settled(id: string): Promise<void> {
      await live.get(id)?.ended;
    },

    async find(id: string, principal: Principal): Promise<ExportRow> {
      return visible(id, principal);
    },

    /** The user's 50 newest jobs. */
    async list(principal: Principal): Promise<ExportRow[]> {
      return repository.listOf(principal.username);
    },

    /**
     * Cancels a queued or running job (its writer is aborted, its folder removed: no file appears),
     * or removes a done job's file (status expired). A job that has ended otherwise is left as it is.
     */
    async cancel(id: string, principal: Principal, requestId: string): Promise<ExportRow> {
      let row = await visible(id, principal);
      if (row.status === 'queued' || row.status === 'running') {
        if (await repository.update(id, { status: 'cancelled', finishedAt: new Date() }, ['queued', 'running'])) {
          await stop(id);
          removeFolder(id);
          row = (await repository.find(id))!;
          await audit(row, principal.username, requestId);
          return row;
        }
        row = (await repository.find(id))!;
      }
      if (row.status === 'done') {
        removeFolder(id);
        await repository.update(id, { status: 'expired', filePath: null }, ['done']);
        row = (await repository.find(id))!;
      }
      return row;
    },

    /** The file of a done job: 409 while it is written, 410 once removed, 404 when the job has none. */
    async file(id: string, principal: Principal): Promise<{ path: string; fileName: string; bytes: number; row: ExportRow }> {
      const row = await visible(id, principal);
      const gone = () => new ApiError(410, EXPORT_EXPIRED, `导出文件已删除（完成后保留 ${options.retentionHours} 小时，或已被删除）；请重新导出。/ The file was removed: export again.`);
      switch (row.status as ExportStatus) {
        case 'queued':
        case 'running':
          throw new ApiError(409, EXPORT_NOT_READY, `导出尚未完成（${row.status === 'queued' ? '排队中' : `已完成 ${Math.round(row.progress * 100)}%`}），请稍后再下载。/ Not ready yet.`, { status: row.status, progress: row.progress });
        case 'expired':
          throw gone();
        case 'failed':
        case 'cancelled':
          throw new ApiError(404, EXPORT_NO_FILE, `该导出任务${row.status === 'failed' ? `失败了（${row.error?.message ?? ''}）` : '已取消'}，没有文件；请重新导出。`, { status: row.status });
        default:
          break;
      }
      const file = row.filePath ? path.resolve(row.filePath) : null;
      const stat = file && file.startsWith(`${folderOf(id)}${path.sep}`) ? fs.statSync(file, { throwIfNoEntry: false }) : undefined;
      if (!file || !stat?.isFile()) {
        await repository.update(id, { status: 'expired', filePath: null }, ['done']);
        throw gone();
      }
      return { path: file, fileName: row.fileName ?? path.basename(file), bytes: stat.size, row };
    },

    /**
     * At start and every `everyMs` (`startHousekeeping`): jobs left queued or running by a process
     * that ended are failed as interrupted; files past `expires_at` are removed (status expired);
     * folders of jobs that have no file to keep are removed, and folders no job owns once older
     * than the retention (another installation's database may share the folder meanwhile).
     */
    async sweep(now = new Date()): Promise<ExportHousekeeping> {
      let interrupted = 0;
      for (const id of await repository.idleSince(['queued', 'running'], new Date(now.getTime() - INTERRUPTED_AFTER_MS))) {
        if (live.has(id)) continue;
        removeFolder(id);
        if (await repository.update(id, { status: 'failed', error: { reason: EXPORT_INTERRUPTED, message: INTERRUPTED_RESTART }, finishedAt: now }, ['queued', 'running'])) {
          interrupted++;
          await audit((await repository.find(id))!, 'system', null);
        }
      }
      let expired = 0;
      for (const id of await repository.expiredBy(now)) {
        removeFolder(id);
        if (await repository.update(id, { status: 'expired', filePath: null }, ['done'])) expired++;
      }
      let removed = 0;
      const names = fs.readdirSync(directory, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
      const statuses = await repository.statusesOf(names);
      const retained = now.getTime() - options.retentionHours * 3_600_000;
      for (const name of names) {
        if (live.has(name)) continue;
        const status = statuses.get(name);
        const ended = status === 'failed' || status === 'cancelled' || status === 'expired';
        if (!ended && (status !== undefined || fs.statSync(folderOf(name)).mtimeMs > retained)) continue;
        removeFolder(name);
        removed++;
      }
      return { interrupted, expired, removed };
    },

    /** Sweeps now and every `everyMs` (default 10 minutes) until the app closes. */
    startHousekeeping(everyMs = 600_000): Promise<ExportHousekeeping> {
      clearInterval(housekeeping);
      housekeeping = setInterval(() => void service.sweep().catch((error: unknown) => log('export housekeeping failed', error)), everyMs);
      housekeeping.unref();
      return service.sweep();
    },

    /** On close: no new jobs, live ones aborted and failed as interrupted, their folders removed. */
    async close(): Promise<void> {
      closing = true;
      clearInterval(housekeeping);
      clearInterval(heartbeat);
      const ids = [...live.keys()];
      for (const id of ids) {
        const failed = await repository.update(id, { status: 'failed', error: { reason: EXPORT_INTERRUPTED, message: INTERRUPTED_CLOSE }, finishedAt: new Date() }, ['queued', 'running'])
          .catch((error: unknown) => { log(`export ${id} could not be marked interrupted`, error); return false; });
        if (failed) {
          const row = await repository.find(id).catch(() => undefined);
          if (row) await audit(row, 'system', null);
        }
      }
      await Promise.all(ids.map((id) => stop(id)));
      for (const id of ids) removeFolder(id);
    },
  };
  return service;
}

export type ExportService = ReturnType<typeof createExportService>;

declare module 'fastify' {
  interface FastifyInstance {
    exportService: ExportService;
  }
}

/**
 * The export service, built once per app from the settings (folder, retention, concurrency) and the
 * connection GDAL reads the database with (the application's role, as the import service gets it).
 */
export const exportServicePlugin = fp(async (app: AppInstance, pluginOptions: { gdal: { url: string; role?: string }; writers?: ExportWriters }) => {
  app.decorate('exportService', createExportService({
    repository: app.exportsRepository,
    app,
    directory: app.settings.exportDirectory,
    retentionHours: app.settings.exportRetentionHours,
    concurrency: app.settings.exportConcurrency,
    gdal: exportGdalConnection(pluginOptions.gdal.url, pluginOptions.gdal.role),
    writers: pluginOptions.writers,
    log: (message, error) => app.log.error({ err: error }, message),
  }));
  app.addHook('onClose', async () => app.exportService.close());
}, { name: 'export-service', dependencies: ['settings', 'database', 'exports-repository', 'districts-repository', 'survey-repository'] });
