import fp from 'fastify-plugin';
import { sql } from 'kysely';
import type { ExportFilters } from '../../domain/api/exports.schemas.js';
import type { ExportFormat, ExportLayer, ExportStatus } from '../../domain/exports/export-kinds.js';
import { recordEvent } from '../admin/audit.repository.js';
import type { AppInstance } from '../app-instance.js';
import type { DatabaseClient } from '../db/database.js';

/** One export job as the `exports` table keeps it. */
export interface ExportRow {
  id: string;
  layer: ExportLayer;
  format: ExportFormat;
  /** As requested: `gauss-kruger` or `EPSG:4490`. */
  crsRequest: string;
  /** As written (e.g. EPSG:4527), once done; null for tables and PDFs. */
  crs: string | null;
  /** Shapefile: as requested while the job runs, as written once done. */
  encoding: string | null;
  filters: ExportFilters;
  status: ExportStatus;
  progress: number;
  rowCount: number | null;
  fileName: string | null;
  filePath: string | null;
  bytes: number | null;
  notes: string[];
  error: { reason: string; message: string } | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  expiresAt: Date | null;
}

/** What an update may change. */
export interface ExportChanges {
  status?: ExportStatus;
  progress?: number;
  rowCount?: number | null;
  fileName?: string | null;
  filePath?: string | null;
  bytes?: number | null;
  notes?: string[];
  crs?: string | null;
  encoding?: string | null;
  error?: { reason: string; message: string } | null;
  finishedAt?: Date | null;
  expiresAt?: Date | null;
}

/** The audit entry of an export: who, what, with which filters, in which format, how many rows. */
export interface ExportAuditEntry {
  jobId: string;
  actor: string;
  requestId?: string | null;
  after: {
    status: ExportStatus;
    layer: ExportLayer;
    format: ExportFormat;
    filters: ExportFilters;
    crs: string | null;
    encoding: string | null;
    rowCount: number | null;
    fileName: string | null;
    error?: { reason: string; message: string } | null;
  };
}

/** Active jobs of one user at a time: the count and the insert are serialised by this lock (namespace, hashtext(user)). */
const EXPORT_QUOTA_LOCK = 0x45585054;

const COLUMNS = {
  status: 'status', progress: 'progress', rowCount: 'row_count', fileName: 'file_name', filePath: 'file_path', bytes: 'bytes',
  notes: 'notes', crs: 'crs', encoding: 'encoding', error: 'error', finishedAt: 'finished_at', expiresAt: 'expires_at',
} as const satisfies Record<keyof ExportChanges, string>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type RawRow = {
  id: string; layer: string; format: string; crs_request: string; crs: string | null; encoding: string | null; filters: unknown;
  status: string; progress: number; row_count: number | null; file_name: string | null; file_path: string | null; bytes: string | null;
  notes: unknown; error: unknown; created_by: string; created_at: Date; updated_at: Date; finished_at: Date | null; expires_at: Date | null;
};

function rowOf(raw: RawRow): ExportRow {
  return {
    id: raw.id,
    layer: raw.layer as ExportLayer,
    format: raw.format as ExportFormat,
    crsRequest: raw.crs_request,
    crs: raw.crs,
    encoding: raw.encoding,
    filters: (raw.filters ?? {}) as ExportFilters,
    status: raw.status as ExportStatus,
    progress: Number(raw.progress),
    rowCount: raw.row_count,
    fileName: raw.file_name,
    filePath: raw.file_path,
    bytes: raw.bytes === null ? null : Number(raw.bytes),
    notes: Array.isArray(raw.notes) ? raw.notes.map(String) : [],
    error: (raw.error ?? null) as ExportRow['error'],
    createdBy: raw.created_by,
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
    finishedAt: raw.finished_at,
    expiresAt: raw.expires_at,
  };
}

/** The `exports` rows (one per export job) and the audit entries of exports: the only code of exports that talks SQL. */
export function createExportsRepository(db: DatabaseClient) {
  return {
    /**
     * Records a new queued job unless its user already has `limit` jobs queued or running (false then).
     * The count and the insert hold the user's lock, so two requests at once cannot both pass.
     */
    async insertUnderLimit(job: { id: string; layer: ExportLayer; format: ExportFormat; crsRequest: string; encoding: string | null; filters: ExportFilters; createdBy: string }, limit: number): Promise<boolean> {
      return db.transaction().execute(async (transaction) => {
        await sql`SELECT pg_advisory_xact_lock(${EXPORT_QUOTA_LOCK}, hashtext(${job.createdBy}))`.execute(transaction);
        const { active } = await transaction.selectFrom('exports').select((select) => select.fn.countAll<string>().as('active'))
          .where('created_by', '=', job.createdBy).where('status', 'in', ['queued', 'running']).executeTakeFirstOrThrow();
        if (Number(active) >= limit) return false;
        await transaction.insertInto('exports').values({
          id: job.id, layer: job.layer, format: job.format, crs_request: job.crsRequest, encoding: job.encoding,
          filters: JSON.stringify(job.filters), status: 'queued', created_by: job.createdBy,
        }).execute();
        return true;
      });
    },

    /**
     * Changes a job; with `onlyIf`, only while its status is one of them (a cancel and the job's end
     * may cross: whichever comes second changes nothing). True when the row changed.
     */
    async update(id: string, changes: ExportChanges, onlyIf?: readonly ExportStatus[]): Promise<boolean> {
      const set: Record<string, unknown> = { updated_at: new Date() };
      for (const [key, value] of Object.entries(changes) as [keyof ExportChanges, unknown][]) {
        if (value === undefined) continue;
        set[COLUMNS[key]] = (key === 'notes' || key === 'error') && value !== null ? JSON.stringify(value) : value;
      }
      let query = db.updateTable('exports').set(set).where('id', '=', id);
      if (onlyIf) query = query.where('status', 'in', [...onlyIf]);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async find(id: string): Promise<ExportRow | undefined> {
      const row = await db.selectFrom('exports').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? rowOf(row as unknown as RawRow) : undefined;
    },

    /** The 50 newest jobs of one user. */
    async listOf(createdBy: string, limit = 50): Promise<ExportRow[]> {
      const rows = await db.selectFrom('exports').selectAll().where('created_by', '=', createdBy).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
      return rows.map((row) => rowOf(row as unknown as RawRow));
    },

    /** Jobs of these statuses not touched since `before` (left by a process that ended). */
    async idleSince(statuses: readonly ExportStatus[], before: Date): Promise<string[]> {
      const rows = await db.selectFrom('exports').select('id').where('status', 'in', [...statuses]).where('updated_at', '<', before).execute();
      return rows.map((row) => row.id);
    },

    /** Done jobs whose file is past its `expires_at`. */
    async expiredBy(moment: Date): Promise<string[]> {
      const rows = await db.selectFrom('exports').select('id').where('status', '=', 'done').where('expires_at', '<', moment).execute();
      return rows.map((row) => row.id);
    },

    /** The status of each of these names that is the id of a job (folder names of the export directory). */
    async statusesOf(names: readonly string[]): Promise<Map<string, ExportStatus>> {
      const ids = names.filter((name) => UUID.test(name));
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('exports').select(['id', 'status']).where('id', 'in', ids).execute();
      return new Map(rows.map((row) => [row.id, row.status as ExportStatus]));
    },

    /** Marks these jobs alive (a heartbeat of the process running them), so no other process finds them interrupted. */
    async touch(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await db.updateTable('exports').set({ updated_at: new Date() }).where('id', 'in', [...ids]).where('status', 'in', ['queued', 'running']).execute();
    },

    /** Puts an export on the audit log (`history`: entity 'exports', action 'export'). */
    async recordExport(entry: ExportAuditEntry): Promise<void> {
      await recordEvent(db, { entity: 'exports', entityId: entry.jobId, action: 'export', actor: entry.actor, requestId: entry.requestId ?? undefined, before: null, after: entry.after });
    },
  };
}

export type ExportsRepository = ReturnType<typeof createExportsRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    exportsRepository: ExportsRepository;
  }
}

/** The export jobs' table and their audit entries, built once per app. */
export const exportsRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('exportsRepository', createExportsRepository(app.db));
}, { name: 'exports-repository', dependencies: ['database'] });
