import fs from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import { sql, type Transaction } from 'kysely';
import type {
  CriteriaRun, CriteriaRunParcel, CriteriaSet, CriteriaSetVersion, Criterion,
} from '../../domain/api/criteria.schemas.js';
import {
  CRITERIA_SET_STEPS, type CriteriaSetState, type CriterionHit, type CriterionIncomplete, type ParcelEvaluation,
} from '../../domain/identification/criteria.js';
import { recordEvent } from '../admin/audit.repository.js';
import type { AppInstance } from '../app-instance.js';
import { REPOSITORY_ROOT } from '../config.js';
import type { Scope } from '../auth/scope.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { measureInputsSql, type ParcelMeasureRow } from './measure-inputs.sql.js';

type Executor = DatabaseClient | Transaction<Database>;

/** The stored fields of a set's version, as the columns hold them. */
export interface CriteriaSetContent {
  name: string;
  state: CriteriaSetState;
  example: boolean;
  approvalAuthority: string | null;
  documentNo: string | null;
  approvedOn: string | null;
  publishedOn: string | null;
  retiredOn: string | null;
  criteria: Criterion[];
  note: string | null;
}

const SET_COLUMNS = sql`s.id::int AS id, s.version, s.district_code AS "districtCode", d.name AS "districtName", s.name, s.state, s.example,
  s.approval_authority AS "approvalAuthority", s.document_no AS "documentNo", s.approved_on::text AS "approvedOn",
  s.published_on::text AS "publishedOn", s.retired_on::text AS "retiredOn", s.criteria, s.note,
  s.updated_by AS "updatedBy", to_char(s.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "updatedAt"`;

const RUN_COLUMNS = sql`r.id::int AS id, r.district_code AS "districtCode", d.name AS "districtName", r.set_id::int AS "setId",
  r.set_version AS "setVersion", v.name AS "setName", r.reference_date::text AS "referenceDate", r.evaluated, r.flagged, r.incomplete,
  (SELECT count(*)::int FROM criteria_run_parcels rp WHERE rp.run_id = r.id AND rp.decision IS NOT NULL) AS decided,
  r.run_by AS "runBy", to_char(r.run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "runAt"`;

const withSteps = (row: Omit<CriteriaSet, 'allowedSteps'>): CriteriaSet => ({ ...row, allowedSteps: [...CRITERIA_SET_STEPS[row.state]] });

/** The rows a run keeps: flagged or incomplete parcels with their evaluation. */
export interface RunParcelRow extends ParcelEvaluation {
  parcelId: number;
  parcelCode: string;
}

/** A run's row as stored: hits and incomplete criteria by id (the service names them). */
export type StoredRunParcel = Omit<CriteriaRunParcel, 'hits' | 'incomplete'> & { hits: CriterionHit[]; incomplete: CriterionIncomplete[] };

/** Criteria sets, their versions, runs and decisions: the only code of criteria that talks SQL. */
export function createCriteriaRepository(db: DatabaseClient, batch: DatabaseClient = db) {
  async function insertVersion(executor: Executor, id: number, change: string, actor: string): Promise<void> {
    await sql`
      INSERT INTO criteria_set_versions (set_id, version, district_code, name, state, example, approval_authority, document_no,
        approved_on, published_on, retired_on, criteria, note, change, created_by)
      SELECT id, version, district_code, name, state, example, approval_authority, document_no,
        approved_on, published_on, retired_on, criteria, note, ${change}, ${actor}
      FROM criteria_sets WHERE id = ${id}`.execute(executor);
  }

  return {
    async list(scope: Scope, district?: string): Promise<CriteriaSet[]> {
      const { rows } = await sql<Omit<CriteriaSet, 'allowedSteps'>>`
        SELECT ${SET_COLUMNS} FROM criteria_sets s JOIN districts d ON d.code = s.district_code
        WHERE ${scope.sqlCovers('s.district_code')} AND (${district ?? null}::text IS NULL OR s.district_code = ${district ?? null})
        ORDER BY s.district_code, (s.state = 'published') DESC, s.id DESC`.execute(db);
      return rows.map(withSteps);
    },

    async find(id: number, executor: Executor = db, lock = false): Promise<CriteriaSet | undefined> {
      const { rows: [row] } = await sql<Omit<CriteriaSet, 'allowedSteps'>>`
        SELECT ${SET_COLUMNS} FROM criteria_sets s JOIN districts d ON d.code = s.district_code WHERE s.id = ${id}
        ${lock ? sql`FOR UPDATE OF s` : sql``}`.execute(executor);
      return row ? withSteps(row) : undefined;
    },

    async published(districtCode: string, executor: Executor = db, lock = false): Promise<CriteriaSet | undefined> {
      const { rows: [row] } = await sql<{ id: number }>`
        SELECT id::int AS id FROM criteria_sets WHERE district_code = ${districtCode} AND state = 'published'
        ${lock ? sql`FOR UPDATE` : sql``}`.execute(executor);
      return row ? this.find(row.id, executor) : undefined;
    },

    async versions(id: number): Promise<CriteriaSetVersion[]> {
      const { rows } = await sql<CriteriaSetVersion>`
        SELECT set_id::int AS "setId", version, district_code AS "districtCode", name, state, example,
          approval_authority AS "approvalAuthority", document_no AS "documentNo", approved_on::text AS "approvedOn",
          published_on::text AS "publishedOn", retired_on::text AS "retiredOn", criteria, note, change, created_by AS "createdBy",
          to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
        FROM criteria_set_versions WHERE set_id = ${id} ORDER BY version DESC`.execute(db);
      return rows;
    },

    /** A new set at version 1 with its version row and history entry, inside the caller's transaction. */
    async create(transaction: Transaction<Database>, districtCode: string, content: CriteriaSetContent, actor: { name: string; requestId: string }): Promise<number> {
      const { rows: [row] } = await sql<{ id: number }>`
        INSERT INTO criteria_sets (district_code, version, name, state, example, approval_authority, document_no, approved_on,
          published_on, retired_on, criteria, note, updated_by)
        VALUES (${districtCode}, 1, ${content.name}, ${content.state}, ${content.example}, ${content.approvalAuthority}, ${content.documentNo},
          ${content.approvedOn}::date, ${content.publishedOn}::date, ${content.retiredOn}::date, ${JSON.stringify(content.criteria)}::jsonb,
          ${content.note}, ${actor.name})
        RETURNING id::int AS id`.execute(transaction);
      await insertVersion(transaction, row.id, 'create', actor.name);
      await recordEvent(transaction, {
        entity: 'criteria_sets', entityId: String(row.id), action: 'insert', actor: actor.name, requestId: actor.requestId,
        before: null, after: { districtCode, version: 1, ...content },
      });
      return row.id;
    },

    /** The next version of a set (an edit or a state step), its version row and one history entry. */
    async revise(transaction: Transaction<Database>, before: CriteriaSet, content: CriteriaSetContent, change: string, actor: { name: string; requestId: string }): Promise<void> {
      await sql`
        UPDATE criteria_sets SET version = version + 1, name = ${content.name}, state = ${content.state}, example = ${content.example},
          approval_authority = ${content.approvalAuthority}, document_no = ${content.documentNo}, approved_on = ${content.approvedOn}::date,
          published_on = ${content.publishedOn}::date, retired_on = ${content.retiredOn}::date, criteria = ${JSON.stringify(content.criteria)}::jsonb,
          note = ${content.note}, updated_by = ${actor.name}, updated_at = now()
        WHERE id = ${before.id}`.execute(transaction);
      await insertVersion(transaction, before.id, change, actor.name);
      await recordEvent(transaction, {
        entity: 'criteria_sets', entityId: String(before.id), action: change === 'edit' ? 'update' : 'status', actor: actor.name, requestId: actor.requestId,
        before: { ...before, allowedSteps: undefined }, after: { version: before.version + 1, change, ...content },
      });
    },

    /** Every parcel of the district a run evaluates, with its measure inputs (one statement, on the batch pool). */
    async runInputs(districtCode: string): Promise<ParcelMeasureRow[]> {
      // Local rule: parcels already 已认定低效, 再开发中 or 已完成再开发 are past this screening.
      const { rows } = await measureInputsSql(districtCode, sql<boolean>`p.status IN ('unassessed', 'efficient', 'suspected')`).execute(batch);
      return rows;
    },

    /** Records a run and its flagged/incomplete parcels (one statement for the parcels). */
    async recordRun(transaction: Transaction<Database>, run: { districtCode: string; setId: number; setVersion: number; referenceDate: string; evaluated: number; runBy: string }, parcels: readonly RunParcelRow[]): Promise<number> {
      const flagged = parcels.filter((parcel) => parcel.hits.length > 0).length;
      const incomplete = parcels.filter((parcel) => parcel.incomplete.length > 0).length;
      const { rows: [row] } = await sql<{ id: number }>`
        INSERT INTO criteria_runs (district_code, set_id, set_version, reference_date, evaluated, flagged, incomplete, run_by)
        VALUES (${run.districtCode}, ${run.setId}, ${run.setVersion}, ${run.referenceDate}::date, ${run.evaluated}, ${flagged}, ${incomplete}, ${run.runBy})
        RETURNING id::int AS id`.execute(transaction);
      if (parcels.length > 0) {
        await sql`
          INSERT INTO criteria_run_parcels (run_id, parcel_id, parcel_code, hits, incomplete, suggested_types)
          SELECT ${row.id}, x."parcelId", x."parcelCode", x.hits, x.incomplete, ARRAY(SELECT jsonb_array_elements_text(x."suggestedTypes"))
          FROM jsonb_to_recordset(${JSON.stringify(parcels)}::jsonb)
            AS x("parcelId" bigint, "parcelCode" text, hits jsonb, incomplete jsonb, "suggestedTypes" jsonb)`.execute(transaction);
      }
      return row.id;
    },

    async runs(scope: Scope, district?: string): Promise<CriteriaRun[]> {
      const { rows } = await sql<CriteriaRun>`
        SELECT ${RUN_COLUMNS} FROM criteria_runs r JOIN districts d ON d.code = r.district_code
        JOIN criteria_set_versions v ON v.set_id = r.set_id AND v.version = r.set_version
        WHERE ${scope.sqlCovers('r.district_code')} AND (${district ?? null}::text IS NULL OR r.district_code = ${district ?? null})
        ORDER BY r.run_at DESC, r.id DESC LIMIT 200`.execute(db);
      return rows;
    },

    async run(id: number): Promise<CriteriaRun | undefined> {
      const { rows: [row] } = await sql<CriteriaRun>`
        SELECT ${RUN_COLUMNS} FROM criteria_runs r JOIN districts d ON d.code = r.district_code
        JOIN criteria_set_versions v ON v.set_id = r.set_id AND v.version = r.set_version
        WHERE r.id = ${id}`.execute(db);
      return row;
    },

    /** The criteria of the set version a run used (for naming the criteria in its rows). */
    async runCriteria(id: number): Promise<Criterion[]> {
      const { rows: [row] } = await sql<{ criteria: Criterion[] }>`
        SELECT v.criteria FROM criteria_runs r JOIN criteria_set_versions v ON v.set_id = r.set_id AND v.version = r.set_version
        WHERE r.id = ${id}`.execute(db);
      return row?.criteria ?? [];
    },

    /** One page of a run's rows (or the one row of `parcelId`). */
    async runParcels(id: number, filter: 'flagged' | 'incomplete' | 'all', page: number, pageSize: number, parcelId: number | null = null): Promise<{ total: number; items: StoredRunParcel[] }> {
      const condition = filter === 'flagged' ? sql`jsonb_array_length(rp.hits) > 0`
        : filter === 'incomplete' ? sql`jsonb_array_length(rp.incomplete) > 0` : sql`true`;
      const { rows } = await sql<StoredRunParcel & { total: number }>`
        SELECT rp.run_id::int AS "runId", rp.parcel_id::float8 AS "parcelId", rp.parcel_code AS "parcelCode", p.owner, p.status,
          rp.hits, rp.incomplete, rp.suggested_types AS "suggestedTypes", rp.decision, rp.reason, rp.decided_by AS "decidedBy",
          to_char(rp.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "decidedAt", count(*) OVER ()::int AS total
        FROM criteria_run_parcels rp LEFT JOIN parcels p ON p.id = rp.parcel_id
        WHERE rp.run_id = ${id} AND ${condition} AND (${parcelId}::bigint IS NULL OR rp.parcel_id = ${parcelId}::bigint)
        ORDER BY jsonb_array_length(rp.hits) DESC, rp.parcel_code
        OFFSET ${(page - 1) * pageSize} LIMIT ${pageSize}`.execute(db);
      return { total: rows[0]?.total ?? 0, items: rows.map(({ total: _total, ...row }) => row) };
    },

    async runParcel(runId: number, parcelId: number, executor: Executor = db, lock = false): Promise<{ parcelCode: string; decision: string | null; reason: string | null; hits: unknown[] } | undefined> {
      const { rows: [row] } = await sql<{ parcelCode: string; decision: string | null; reason: string | null; hits: unknown[] }>`
        SELECT parcel_code AS "parcelCode", decision, reason, hits FROM criteria_run_parcels
        WHERE run_id = ${runId} AND parcel_id = ${parcelId} ${lock ? sql`FOR UPDATE` : sql``}`.execute(executor);
      return row;
    },

    /** A reviewer's decision on one parcel of a run, with its history entry. */
    async decide(transaction: Transaction<Database>, runId: number, parcelId: number, decision: { decision: string; reason: string | null }, before: { decision: string | null; reason: string | null }, actor: { name: string; requestId: string }): Promise<void> {
      await sql`
        UPDATE criteria_run_parcels SET decision = ${decision.decision}, reason = ${decision.reason}, decided_by = ${actor.name}, decided_at = now()
        WHERE run_id = ${runId} AND parcel_id = ${parcelId}`.execute(transaction);
      await recordEvent(transaction, {
        entity: 'criteria_run_parcels', entityId: `${runId}:${parcelId}`, action: 'update', actor: actor.name, requestId: actor.requestId,
        before, after: decision,
      });
    },
  };
}

export type CriteriaRepository = ReturnType<typeof createCriteriaRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    criteriaRepository: CriteriaRepository;
  }
}

export const criteriaRepositoryPlugin = fp(async (app: AppInstance) => {
  // A run reads a whole district: on the bulk pool (no statement timeout), as imports do.
  app.decorate('criteriaRepository', createCriteriaRepository(app.db, app.pools.bulk.db));
}, { name: 'criteria-repository', dependencies: ['database'] });

export const CRITERIA_EXAMPLE_FIXTURE = path.join(REPOSITORY_ROOT, 'fixtures', 'criteria-example.json');

/**
 * The demo city's example criteria set (示例, already 已发布 so a new user can run it): one per district
 * of the fixture's city that has no criteria set yet; an administrator's sets are never touched.
 * Answers how many were added.
 */
export async function ensureExampleCriteriaSets(db: DatabaseClient, fixture = CRITERIA_EXAMPLE_FIXTURE): Promise<number> {
  const example = JSON.parse(fs.readFileSync(fixture, 'utf8')) as { city: string; name: string; note: string; criteria: Criterion[] };
  return await db.transaction().execute(async (transaction) => {
    await sql`SELECT set_config('app.actor', 'system', true)`.execute(transaction);
    const { rows } = await sql<{ code: string }>`
      SELECT code FROM districts d WHERE d.level = 'district' AND d.code LIKE ${`${example.city}%`}
        AND NOT EXISTS (SELECT 1 FROM criteria_sets s WHERE s.district_code = d.code) ORDER BY code`.execute(transaction);
    const repository = createCriteriaRepository(db);
    for (const { code } of rows) {
      await repository.create(transaction, code, {
        name: example.name, state: 'published', example: true, approvalAuthority: null, documentNo: null, approvedOn: null,
        publishedOn: new Date().toISOString().slice(0, 10), retiredOn: null, criteria: example.criteria, note: example.note,
      }, { name: 'system', requestId: '' });
    }
    return rows.length;
  });
}
