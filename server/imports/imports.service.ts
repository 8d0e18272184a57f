import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import fp from 'fastify-plugin';
import type { ImportCommitResult, ImportOutsideDecision, ImportReport } from '../../domain/api/imports.schemas.js';
import { EMPTY_FILE, TOO_LARGE, UNREADABLE, refusal, type Refusal, type Refused } from '../../domain/import/refusals.js';
import type { AppInstance } from '../app-instance.js';
import type { Principal } from '../auth/principal.js';
import { Scope } from '../auth/scope.js';
import { allowLongQueries } from '../db/availability.js';
import type { DatabaseClient } from '../db/database.js';
import { createParcelsRepository, type ParcelsRepository } from '../parcels/parcels.repository.js';
import { DEFAULT_ARCHIVE_LIMITS, diskReserveRefusal, type ArchiveLimits } from './archive.js';
import { COMMIT_INTERRUPTED, COMMIT_INTERRUPTED_MESSAGE, ImportCommittingError, ImportStateError, MissingFieldsError, OutsideDecisionRequiredError } from './import-errors.js';
import { createImportsRepository, withCommitLock, type ImportLayerState, type ImportOptions, type ImportRow } from './imports.repository.js';
import { geoPackageRefusal } from './polygon-layer.reader.js';
import { commitParcels } from './stages/commit-parcels.stage.js';
import { commitSurvey } from './stages/commit-survey.stage.js';
import { describe } from './stages/describe.stage.js';
import { loadIntoStaging } from './stages/load.stage.js';
import { needsAfterValidation, nextStep } from './stages/needs-input.stage.js';
import type { StageContext } from './stages/stage-context.js';
import { LayerCheck, preparesSurveyLayer, scopeOf, validate } from './stages/validate.stage.js';
import { uploadFileName } from '../../domain/import/upload-name.js';

export interface ImportServiceOptions {
  db: DatabaseClient;
  /** Where uploads are unpacked: the only place the import writes files. */
  directory: string;
  /** Connection GDAL uses to load staging tables (the application's role). */
  databaseUrl: string;
  databaseRole?: string;
  maxUploadBytes: number;
  archiveLimits?: ArchiveLimits;
  /** The app's parcels repository (`app.parcelsRepository`); the CLI, which has no app, lets the service build one. */
  parcels?: ParcelsRepository;
  log?: (message: string, error?: unknown) => void;
}

/** What a housekeeping sweep did: imports failed as cut off, cancelled as expired, folders removed. */
export interface HousekeepingResult {
  interrupted: number;
  expired: number;
  removed: number;
}

/** Silence after which an import or a pending layer counts as cut off by a restart. */
const INTERRUPTED_AFTER_MS = 120_000;

const withoutStaging = (layers: ImportLayerState[]) => layers.map((layer) => ({ ...layer, stagingTable: null }));

/**
 * The import pipeline's state machine: an upload runs describe → needs-input → load → validate in
 * the background of this process and stops at `needs-input` (until the user answers), `refused` or
 * `ready` (until the user commits or cancels); each stage is its own module under `stages/`. The
 * state lives in the `imports` row, so any process can answer for it.
 */
export function createImportService(options: ImportServiceOptions) {
  const imports = createImportsRepository(options.db);
  const log = options.log ?? (() => undefined);
  const running = new Map<string, Promise<void>>();
  fs.mkdirSync(options.directory, { recursive: true, mode: 0o700 });
  const folderOf = (id: string) => path.join(options.directory, id);
  const context: StageContext = {
    db: options.db, imports, parcels: options.parcels ?? createParcelsRepository(options.db), folderOf,
    databaseUrl: options.databaseUrl, databaseRole: options.databaseRole, archiveLimits: options.archiveLimits ?? DEFAULT_ARCHIVE_LIMITS,
    progress: (id, phase, fraction) => imports.update(id, { phase, progress: Math.round(fraction * 1000) / 1000 }),
  };

  const dropStaging = (layers: ImportLayerState[]) => imports.dropStaging(layers.flatMap((layer) => (layer.stagingTable ? [layer.stagingTable] : [])));

  async function refuse(id: string, value: Refusal, changes: Parameters<typeof imports.update>[1] = {}) {
    await imports.update(id, { ...changes, status: 'refused', error: { reason: value.reason, message: value.message } });
  }

  /** A file that cannot be read at all: refused, and what was unpacked from it removed. */
  async function refuseUnreadable(id: string, value: Refusal) {
    await refuse(id, value);
    fs.rmSync(path.join(folderOf(id), 'files'), { recursive: true, force: true });
  }

  async function run(id: string): Promise<void> {
    const row = (await imports.find(id))!;
    const described = await describe(context, row);
    if (!described.ok) return refuseUnreadable(id, described);
    const { detected } = described;
    let layers = described.layers;
    const step = nextStep(row, layers);
    if (step.next === 'refused') return refuse(id, step.refusal, { layers, detected, ...(step.refusal.reason === 'unsupported_crs' ? { phase: 'read' } : {}) });
    if (step.next === 'needs-input') return imports.update(id, { layers, detected, status: 'needs-input', needs: step.needs, progress: 0 });
    await imports.update(id, { layers, detected, needs: null });
    await dropStaging(layers);
    // Stage 4 begins on each layer while GDAL still loads it (LayerCheck.follow).
    const checks = new Map<string, LayerCheck>();
    const staging = layers.filter((layer) => layer.selected && !layer.skipped).length;
    const loaded = await loadIntoStaging(context, row, layers, {
      check: (layer, table) => {
        const check = new LayerCheck(context, row, layer, table, preparesSurveyLayer(row, staging));
        checks.set(table, check);
        return check;
      },
    });
    if (!loaded.ok) return refuseUnreadable(id, loaded);
    layers = loaded.layers;
    await imports.update(id, { layers });
    const report = await validate(context, row, layers, checks);
    const needs = await needsAfterValidation(layers, report);
    if (needs) {
      await dropStaging(layers);
      return imports.update(id, { layers: withoutStaging(layers), report, status: 'needs-input', progress: 0, needs });
    }
    // What the importer now reviews is the parcels as they are: a change after this mark makes the commit stale.
    await imports.update(id, { layers, report, status: 'ready', phase: 'validate', progress: 1, needs: null, parcels_read_up_to: await context.parcels.historyMark() });
  }

  async function process(id: string): Promise<void> {
    try {
      await run(id);
    } catch (error) {
      log(`import ${id} failed`, error);
      // With the database away this fails too: the import stays `processing` until the next start marks it interrupted.
      await imports.update(id, { status: 'failed', error: { reason: 'internal', message: '导入过程中出现内部错误，请把导入编号告知管理员。' } })
        .catch((updateError: unknown) => log(`import ${id} could not be marked failed`, updateError));
      fs.rmSync(path.join(folderOf(id), 'files'), { recursive: true, force: true });
    }
  }

  function start(id: string): Promise<void> {
    const task = allowLongQueries(() => process(id)).finally(() => running.delete(id));
    running.set(id, task);
    return task;
  }

  /** Drops an import's staging and files and records its end. */
  async function close(row: ImportRow, changes: Parameters<typeof imports.update>[1]) {
    await dropStaging(row.layers);
    fs.rmSync(folderOf(row.id), { recursive: true, force: true });
    await imports.update(row.id, { ...changes, layers: withoutStaging(row.layers) });
  }

  /** Runs `work` holding the import's commit lock; 409 `import_committing` when a commit holds it. */
  async function underCommitLock<T>(id: string, work: () => Promise<T>): Promise<T> {
    const outcome = await withCommitLock(options.databaseUrl, id, work);
    if (!outcome.held) throw new ImportCommittingError();
    return outcome.value;
  }

  /**
   * Called holding the commit lock: an import still `committing` has no live commit, its process
   * died. It is marked failed with the reason, and what the commit left (staging, files, a pending
   * survey layer, never attached) is removed: a commit writes parcels in one transaction and attaches
   * a survey layer in one, so nothing of it is visible. Answers the row as it now is.
   */
  async function failDeadCommit(row: ImportRow): Promise<ImportRow> {
    if (row.status !== 'committing') return row;
    if (await imports.failIfCommitting(row.id, { reason: COMMIT_INTERRUPTED, message: COMMIT_INTERRUPTED_MESSAGE })) {
      log(`import ${row.id}: commit interrupted (no lock holder), marked failed`);
      for (const layerId of await imports.pendingSurveyLayersOf(row.id)) await imports.dropPendingSurveyLayer(layerId);
      await close(row, {});
    }
    return (await imports.find(row.id))!;
  }

  /** The import as it is: a `committing` one whose commit lock nobody holds is found dead at once. */
  async function current(id: string): Promise<ImportRow | undefined> {
    const row = await imports.find(id);
    if (row?.status !== 'committing' || await imports.commitLockHeld(id)) return row;
    return withCommitLock(options.databaseUrl, id, async () => failDeadCommit((await imports.find(id))!))
      .then(async (outcome) => (outcome.held ? outcome.value : imports.find(id)));
  }

  /** The folders of the import directory (one per import, named by its id). */
  const folders = () => (fs.existsSync(options.directory) ? fs.readdirSync(options.directory, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name) : []);
  let housekeeping: NodeJS.Timeout | undefined;

  const service = {
    imports,
    folderOf,
    /** An import, a dead commit found and failed on the way (see `current`). */
    find: current,

    /** The 50 newest imports (of one user, or of everyone), dead commits found on the way. */
    async list(createdBy: string | null): Promise<ImportRow[]> {
      const rows = await imports.list(createdBy);
      return Promise.all(rows.map(async (row) => (row.status === 'committing' ? (await current(row.id)) ?? row : row)));
    },

    /** Settles when the background work of an import is done (tests, CLI). */
    async settled(id: string): Promise<void> {
      await running.get(id);
    },

    /** Stores an upload (streamed, size-limited) and starts reading it in the background. */
    async create(upload: { fileName: string; stream: Readable }, settings: { kind: 'survey' | 'parcels'; year?: number; srid?: number; encoding?: string; scope?: string[] | null }, actor: string): Promise<Refused<{ id: string }>> {
      const id = randomUUID();
      const safeName = uploadFileName(upload.fileName);
      const folder = folderOf(id);
      // Uploads are readable by this user only (GDAL runs as it; PostgreSQL gets rows by COPY FROM STDIN).
      fs.mkdirSync(path.join(folder, 'upload'), { recursive: true, mode: 0o700 });
      const { year, ...rest } = settings;
      // The uploader's districts are kept with the import: the preview checks the extent against them.
      await imports.insert({ id, kind: settings.kind, year: year ?? null, fileName: safeName, createdBy: actor, options: { ...rest, year } });
      let size = 0;
      const limit = options.maxUploadBytes;
      const reserve = context.archiveLimits.diskReserveBytes;
      const tooLarge = refusal(TOO_LARGE, `文件超过上传上限 ${Math.round(limit / 1024 ** 2)} MB。`);
      let short: Refusal | null = diskReserveRefusal(folder, 0, reserve)?.value ?? null;
      let checkedAt = 0;
      try {
        if (short) throw new Error(short.message);
        await pipeline(upload.stream, new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            size += chunk.length;
            if (size > limit) return callback(new Error(tooLarge.message));
            // The free-disk reserve, looked at every 16 MiB written.
            if (size - checkedAt >= 16 * 1024 ** 2) {
              checkedAt = size;
              short = diskReserveRefusal(folder, 0, reserve)?.value ?? null;
              if (short) return callback(new Error(short.message));
            }
            callback(null, chunk);
          },
        }), fs.createWriteStream(path.join(folder, 'upload', safeName), { mode: 0o600 }));
      } catch {
        upload.stream.resume();
        fs.rmSync(folder, { recursive: true, force: true });
        const value = short ?? (size > limit ? tooLarge : refusal(UNREADABLE, '上传中断，请重试。'));
        await refuse(id, value, { file_size: size });
        return value;
      }
      if (size === 0) {
        const value = refusal(EMPTY_FILE, '上传的文件是空的。');
        await refuse(id, value);
        return value;
      }
      // A bare GeoPackage is opened at once: one that cannot become an import is a 400 now, not a refusal later.
      if (/\.gpkg$/i.test(safeName)) {
        const value = await geoPackageRefusal(path.join(folder, 'upload', safeName), safeName);
        if (value) {
          fs.rmSync(folder, { recursive: true, force: true });
          await refuse(id, value, { file_size: size });
          return value;
        }
      }
      await imports.update(id, { file_size: size, phase: 'read' });
      void start(id);
      return { ok: true, id };
    },

    /** The user's answer to `needs-input`, or a changed guess: re-run from detection. */
    async answer(id: string, answer: ImportOptions): Promise<void> {
      await underCommitLock(id, async () => {
        const row = await failDeadCommit((await imports.find(id))!);
        if (row.status === 'committed' || row.status === 'failed') throw new ImportStateError(`导入任务当前状态为 ${row.status}，不能修改。`, { status: row.status });
        await dropStaging(row.layers);
        const changed = { ...row.options, ...Object.fromEntries(Object.entries(answer).filter(([, value]) => value !== undefined)) };
        await imports.update(id, { options: changed, status: 'processing', phase: 'read', progress: 0, needs: null, error: null, layers: withoutStaging(row.layers) });
      });
      void start(id);
    },

    /**
     * Commits a ready import as `principal`: a survey layer (stage 6) or parcels (stage 5), then
     * drops the staging. On failure the import is ready again, to be committed once fixed. The
     * commit holds the import's lock throughout: a second commit at the same time gets 409
     * `import_committing`, one after it finds the import committed (409 `import_state`).
     */
    async commit(id: string, principal: Principal, requestId: string, outside?: ImportOutsideDecision): Promise<ImportCommitResult> {
      // The extent checks and the decision pass over every staged feature: long queries, as the stages' own.
      return underCommitLock(id, () => allowLongQueries(async () => {
        const row = await failDeadCommit((await imports.find(id))!);
        if (row.status !== 'ready') {
          throw new ImportStateError(`只有状态为 ready 的导入才能提交（当前：${row.status}）。${row.status === 'failed' && row.error ? row.error.message : ''}`, { status: row.status });
        }
        const report = row.report as Partial<ImportReport>;
        if (report.missingFields?.length) throw new MissingFieldsError(report.missingFields.map((missing) => missing.message).join(' '));
        const layers = row.layers.filter((layer) => layer.stagingTable && layer.selected);
        // The extent was checked against the uploader's scope; a committer of another scope (an administrator) gets it checked against theirs.
        const districts = Scope.of(principal).districts;
        let extent = report.extent;
        if (extent && JSON.stringify(districts) !== JSON.stringify(scopeOf(row))) {
          extent = { ...extent, scope: (await imports.scopeLabels(districts)).scope, partly: 0, outside: 0 };
          for (const layer of layers) {
            // The layer prepared by validation left out and cut by the uploader's scope: the commit copies from staging instead.
            await imports.dropPreparedSurveyLayer(layer.stagingTable!);
            await imports.checkExtent(layer.stagingTable!, districts);
            const summary = await imports.extentSummary(layer.stagingTable!, null);
            extent.partly += summary.partly;
            extent.outside += summary.outside;
          }
        }
        if (extent && extent.partly + extent.outside > 0 && !outside) throw new OutsideDecisionRequiredError(extent.outside, extent.partly, extent.scope);
        await imports.update(id, { status: 'committing', phase: 'commit', progress: 0 });
        try {
          // Left out: every feature wholly outside (counted by the report), and the partly-outside ones a clip leaves empty.
          let left = extent && extent.partly + extent.outside > 0 && outside ? extent.outside : 0;
          let clipped = 0;
          for (const layer of layers) {
            const applied = await imports.applyOutsideDecision(layer.stagingTable!, extent && extent.partly + extent.outside > 0 ? outside ?? null : null, districts);
            left += applied.left;
            clipped += applied.clipped;
          }
          // What will be written, in one pass over staging: its extent for the result, its count for a survey layer.
          const { count: kept, bbox } = await imports.kept(layers.map((layer) => layer.stagingTable!));
          const written: ImportCommitResult = row.kind === 'survey'
            ? await commitSurvey(context, row, layers, principal, requestId, kept)
            : await commitParcels(context, row, layers, principal, requestId);
          const committed = { ...written, bbox };
          const decided = outside && extent && extent.partly + extent.outside > 0 ? { decision: outside, left, clipped } : null;
          const result: ImportCommitResult = !decided ? committed
            : committed.kind === 'parcels' ? { ...committed, skipped: committed.skipped + left, outside: decided } : { ...committed, outside: decided };
          await dropStaging(row.layers);
          await imports.update(id, { status: 'committed', phase: 'done', progress: 1, committed_at: new Date(), report: { ...row.report, commit: result } });
          return result;
        } catch (error) {
          await imports.update(id, { status: 'ready', phase: 'validate', progress: 1 });
          throw error;
        }
      }));
    },

    /** Cancels an import not committed: while reading, waiting, refused or failed. */
    async cancel(id: string): Promise<void> {
      await running.get(id)?.catch(() => undefined);
      await underCommitLock(id, async () => {
        const row = await failDeadCommit((await imports.find(id))!);
        if (row.status === 'committed') throw new ImportStateError('已提交的导入不能取消。', { status: row.status });
        await close(row, { status: 'cancelled' });
      });
    },

    /**
     * At start-up and every hour (`startHousekeeping`): a commit without a lock holder is failed at
     * once; imports cut off by a restart while reading are marked failed (the user uploads again);
     * survey layers left pending are removed; imports left unconfirmed for `retentionDays` are
     * cancelled, so staging never grows without bound; and the files of imports that ended
     * (committed, refused, failed, cancelled) more than `retentionDays` ago are removed, with any
     * folder no import row owns. Nothing committed is touched.
     */
    async recoverInterrupted(retentionDays = 7): Promise<HousekeepingResult> {
      let interrupted = 0;
      // A commit holds a lock: without a holder it is dead, whatever its age.
      for (const id of await imports.idleSince(['committing'], new Date())) if ((await current(id))?.status === 'failed') interrupted++;
      // Only imports silent for two minutes: another process may still be working on a recent one.
      for (const id of await imports.idleSince(['processing'], new Date(Date.now() - INTERRUPTED_AFTER_MS))) {
        if (running.has(id)) continue;
        await close((await imports.find(id))!, { status: 'failed', error: { reason: 'interrupted', message: '服务器重启，导入被中断，未写入任何数据。请重新上传。' } });
        interrupted++;
      }
      for (const layerId of await imports.pendingSurveyLayers(new Date(Date.now() - INTERRUPTED_AFTER_MS))) await imports.dropPendingSurveyLayer(layerId);
      const retained = new Date(Date.now() - retentionDays * 86_400_000);
      const expired = await imports.idleSince(['ready', 'needs-input'], retained);
      for (const id of expired) {
        await close((await imports.find(id))!, { status: 'cancelled', error: { reason: 'expired', message: `超过 ${retentionDays} 天未提交，已自动取消。` } });
      }
      let removed = 0;
      const ended = new Set(await imports.idleSince(['committed', 'refused', 'failed', 'cancelled'], retained));
      const known = new Set(await imports.idsAmong(folders()));
      for (const name of folders()) {
        const folder = folderOf(name);
        if (known.has(name) ? !ended.has(name) : fs.statSync(folder).mtimeMs > retained.getTime()) continue;
        if (known.has(name)) await dropStaging((await imports.find(name))!.layers);
        fs.rmSync(folder, { recursive: true, force: true });
        removed++;
      }
      return { interrupted, expired: expired.length, removed };
    },

    /** Runs `recoverInterrupted` now and every `everyMs` (default an hour) until the app closes. */
    startHousekeeping(retentionDays: number, everyMs = 3_600_000): Promise<HousekeepingResult> {
      clearInterval(housekeeping);
      const sweep = () => service.recoverInterrupted(retentionDays);
      housekeeping = setInterval(() => void sweep().catch((error: unknown) => log('import housekeeping failed', error)), everyMs);
      housekeeping.unref();
      return sweep();
    },

    stopHousekeeping(): void {
      clearInterval(housekeeping);
      housekeeping = undefined;
    },
  };
  return service;
}

export type ImportService = ReturnType<typeof createImportService>;

declare module 'fastify' {
  interface FastifyInstance {
    importService: ImportService;
  }
}

/**
 * The import service, built once per app from the settings (upload folder and limit) and the
 * connection GDAL loads staging tables with (the application's role, given at start-up).
 */
export const importServicePlugin = fp(async (app: AppInstance, pluginOptions: { gdal: { url: string; role?: string } }) => {
  app.decorate('importService', createImportService({
    db: app.pools.bulk.db, parcels: app.parcelsRepository, directory: app.settings.importDirectory, maxUploadBytes: app.settings.importMaxBytes,
    archiveLimits: { ...DEFAULT_ARCHIVE_LIMITS, diskReserveBytes: app.settings.importDiskReserveBytes },
    databaseUrl: pluginOptions.gdal.url, databaseRole: pluginOptions.gdal.role,
    log: (message, error) => app.log.error({ err: error }, message),
  }));
  app.addHook('onClose', async () => app.importService.stopHousekeeping());
}, { name: 'import-service', dependencies: ['settings', 'database', 'parcels-repository'] });
