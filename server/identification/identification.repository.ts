import fp from 'fastify-plugin';
import { sql, type Transaction } from 'kysely';
import type { CaseListQuery } from '../../domain/api/identification.schemas.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { CASE_COLUMNS, CASE_FROM, STEP_COLUMNS, SUBMISSION_COLUMNS, type CaseRow, type StepRow, type SubmissionRow } from './identification.sql.js';

type Executor = DatabaseClient | Transaction<Database>;

/** The parcel a case is opened on, with its place (园区/街道) and the 认定 fields the case follows. */
export interface CaseParcel {
  id: number;
  code: string;
  districtCode: string;
  districtName: string;
  subdistrictCode: string | null;
  parkCode: string | null;
  status: string;
  inefficiencyType: string | null;
  version: number;
}

/** A step as written (see `insertStep`): a step row before the database gives it its id and time. */
export type NewStep = Omit<StepRow, 'id' | 'at' | 'documentIds'> & { caseId: number; documentIds: number[] };

/** What a step changes on the case row. */
export interface CaseChanges {
  state?: 'open' | 'closed' | 'notified';
  step?: string;
  outcome?: string | null;
  dueDate?: string | null;
  inefficiencyTypes?: string[];
  noticeNumber?: string;
  noticeDate?: string;
  planDueDate?: string;
  closedReason?: string;
}

export function createIdentificationRepository(db: DatabaseClient) {
  async function findCase(executor: Executor, id: number, lock = false): Promise<CaseRow | undefined> {
    const { rows } = await sql<CaseRow>`
      SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE c.id = ${id} ${lock ? sql`FOR UPDATE OF c` : sql``}`.execute(executor);
    return rows[0];
  }

  return {
    /** The parcel by id with its place and 认定 fields, locked when inside a transaction that asks. */
    async parcel(executor: Executor, id: number, lock = false): Promise<CaseParcel | undefined> {
      const { rows } = await sql<CaseParcel>`
        SELECT p.id, p.code, p.district_code AS "districtCode", d.name AS "districtName", p.subdistrict_code AS "subdistrictCode",
          p.park_code AS "parkCode", p.status, p.inefficiency_type AS "inefficiencyType", p.version
        FROM parcels p JOIN districts d ON d.code = p.district_code
        WHERE p.id = ${id} ${lock ? sql`FOR UPDATE OF p` : sql``}`.execute(executor);
      return rows[0];
    },

    /** The open case of a parcel, if any. */
    async openCaseOf(executor: Executor, parcelId: number): Promise<CaseRow | undefined> {
      const { rows } = await sql<CaseRow>`SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE c.parcel_id = ${parcelId} AND c.state = 'open'`.execute(executor);
      return rows[0];
    },

    /** The next number of a kind (案卷, 告知书) in a district and year, under the counter row's lock. */
    async nextNumber(transaction: Transaction<Database>, districtCode: string, year: number, kind: 'case' | 'notice'): Promise<number> {
      const { rows: [row] } = await sql<{ last: number }>`
        INSERT INTO identification_counters (district_code, year, kind, last) VALUES (${districtCode}, ${year}, ${kind}, 1)
        ON CONFLICT (district_code, year, kind) DO UPDATE SET last = identification_counters.last + 1
        RETURNING last`.execute(transaction);
      return row.last;
    },

    async insertCase(transaction: Transaction<Database>, row: {
      number: string; districtCode: string; year: number; sequence: number; parcelId: number; parcelCode: string;
      subdistrictCode: string | null; parkCode: string | null; unitCode: string | null; unitKind: 'park' | 'street';
      dueDate: string | null; statusBefore: string; inefficiencyTypeBefore: string | null; sourceRunId: number | null; note: string | null; openedBy: string;
    }): Promise<number> {
      const inserted = await transaction.insertInto('identification_cases').values({
        number: row.number, district_code: row.districtCode, year: row.year, sequence: row.sequence, parcel_id: row.parcelId,
        parcel_code: row.parcelCode, subdistrict_code: row.subdistrictCode, park_code: row.parkCode, unit_code: row.unitCode,
        unit_kind: row.unitKind, step: 'listed', due_date: row.dueDate, status_before: row.statusBefore,
        inefficiency_type_before: row.inefficiencyTypeBefore, source_run_id: row.sourceRunId, note: row.note, opened_by: row.openedBy,
      }).returning('id').executeTakeFirstOrThrow();
      return Number(inserted.id);
    },

    /** A case, locked until the transaction ends (every step takes it first). */
    lockCase(transaction: Transaction<Database>, id: number): Promise<CaseRow | undefined> {
      return findCase(transaction, id, true);
    },

    find(id: number): Promise<CaseRow | undefined> {
      return findCase(db, id);
    },

    async updateCase(transaction: Transaction<Database>, id: number, changes: CaseChanges): Promise<void> {
      const set: Record<string, unknown> = {};
      if (changes.state !== undefined) set.state = changes.state;
      if (changes.step !== undefined) {
        set.step = changes.step;
        set.step_at = sql`now()`;
      }
      if (changes.outcome !== undefined) set.outcome = changes.outcome;
      if (changes.dueDate !== undefined) set.due_date = changes.dueDate;
      if (changes.inefficiencyTypes !== undefined) set.inefficiency_types = changes.inefficiencyTypes;
      if (changes.noticeNumber !== undefined) set.notice_number = changes.noticeNumber;
      if (changes.noticeDate !== undefined) set.notice_date = changes.noticeDate;
      if (changes.planDueDate !== undefined) set.plan_due_date = changes.planDueDate;
      if (changes.closedReason !== undefined) set.closed_reason = changes.closedReason;
      await transaction.updateTable('identification_cases').set(set).where('id', '=', id).execute();
    },

    async insertStep(transaction: Transaction<Database>, step: NewStep): Promise<number> {
      const inserted = await transaction.insertInto('identification_steps').values({
        case_id: step.caseId, step: step.step, outcome: step.outcome, actor: step.actor, actor_name: step.actorName, role: step.role,
        unit_code: step.unitCode, department: step.department, opinion: step.opinion, details: JSON.stringify(step.details),
        document_ids: step.documentIds, due_date: step.dueDate,
      }).returning('id').executeTakeFirstOrThrow();
      return Number(inserted.id);
    },

    /** The steps of a case, oldest first. */
    async steps(executor: Executor, caseId: number): Promise<StepRow[]> {
      const { rows } = await sql<StepRow>`SELECT ${STEP_COLUMNS} FROM identification_steps s WHERE s.case_id = ${caseId} ORDER BY s.id`.execute(executor);
      return rows;
    },

    /** The 附件1 submissions of a case, newest first. */
    async submissions(executor: Executor, caseId: number): Promise<SubmissionRow[]> {
      const { rows } = await sql<SubmissionRow>`SELECT ${SUBMISSION_COLUMNS} FROM survey_submissions s WHERE s.case_id = ${caseId} ORDER BY s.id DESC`.execute(executor);
      return rows;
    },

    async insertSubmission(transaction: Transaction<Database>, submission: { caseId: number; parcelId: number; via: 'online' | 'paper'; submittedBy: string; fields: Record<string, unknown> }): Promise<number> {
      const inserted = await transaction.insertInto('survey_submissions').values({
        case_id: submission.caseId, parcel_id: submission.parcelId, via: submission.via, submitted_by: submission.submittedBy, fields: JSON.stringify(submission.fields),
      }).returning('id').executeTakeFirstOrThrow();
      return Number(inserted.id);
    },

    /** A submission of the case, locked. */
    async lockSubmission(transaction: Transaction<Database>, caseId: number, submissionId: number): Promise<SubmissionRow | undefined> {
      const { rows } = await sql<SubmissionRow>`
        SELECT ${SUBMISSION_COLUMNS} FROM survey_submissions s WHERE s.id = ${submissionId} AND s.case_id = ${caseId} FOR UPDATE OF s`.execute(transaction);
      return rows[0];
    },

    async markApplied(transaction: Transaction<Database>, submissionId: number, actor: string): Promise<void> {
      await transaction.updateTable('survey_submissions').set({ applied_by: actor, applied_at: sql<Date>`now()` }).where('id', '=', submissionId).execute();
    },

    /** Which of `ids` are documents of the parcel on file (not removed). */
    async parcelDocumentIds(executor: Executor, parcelId: number, ids: readonly number[]): Promise<number[]> {
      if (ids.length === 0) return [];
      const rows = await executor.selectFrom('parcel_documents').select('id')
        .where('parcel_id', '=', parcelId).where('id', 'in', [...ids]).where('removed_at', 'is', null).execute();
      return rows.map((row) => Number(row.id));
    },

    /** One page of cases in the reader's districts, newest first; `today` decides what is overdue. */
    async list(query: CaseListQuery, scope: Scope, today: string): Promise<{ items: CaseRow[]; total: number }> {
      const where = sql`${scope.sqlCovers('c.district_code')}
        ${query.district ? sql`AND (c.district_code = ${query.district} OR d.parent_code = ${query.district})` : sql``}
        ${query.unit ? sql`AND c.unit_code = ${query.unit}` : sql``}
        ${query.step ? sql`AND c.step = ${query.step}` : sql``}
        ${query.state ? sql`AND c.state = ${query.state}` : sql``}
        ${query.parcel ? sql`AND c.parcel_id = ${query.parcel}` : sql``}
        ${query.overdue === true ? sql`AND c.state = 'open' AND c.due_date < ${today}::date` : sql``}
        ${query.overdue === false ? sql`AND NOT (c.state = 'open' AND c.due_date IS NOT NULL AND c.due_date < ${today}::date)` : sql``}`;
      const { rows: [{ total }] } = await sql<{ total: number }>`SELECT count(*)::int AS total FROM ${CASE_FROM} WHERE ${where}`.execute(db);
      const { rows } = await sql<CaseRow>`
        SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE ${where}
        ORDER BY (c.state = 'open') DESC, c.due_date NULLS LAST, c.id DESC
        LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`.execute(db);
      return { items: rows, total };
    },

    /**
     * 待办: the open cases of the reader's districts (or of these parcels, for a 用地单位), each with the
     * 会审 departments that have given their opinion, nearest deadline first.
     */
    async openWork(scope: Scope, parcelIds: readonly number[] | null): Promise<(CaseRow & { opinionDepartments: string[] })[]> {
      const { rows } = await sql<CaseRow & { opinionDepartments: string[] }>`
        SELECT ${CASE_COLUMNS},
          ARRAY(SELECT s.department FROM identification_steps s WHERE s.case_id = c.id AND s.step = 'review_opinion' AND s.department IS NOT NULL) AS "opinionDepartments"
        FROM ${CASE_FROM}
        WHERE c.state = 'open' AND ${scope.sqlCovers('c.district_code')}
          AND ${parcelIds === null ? sql`TRUE` : sql`c.parcel_id = ANY(${[...parcelIds]}::bigint[])`}
        ORDER BY c.due_date NULLS LAST, c.id LIMIT 2000`.execute(db);
      return rows;
    },

    /**
     * The district view: cases per district, step and deadline state on `today` (overdue: an open case
     * whose due date is before today; due: open, due today or later; none: open, no deadline; finished:
     * notified or closed).
     */
    async countsByDistrict(scope: Scope, today: string): Promise<{ districtCode: string; districtName: string; step: string; bucket: 'overdue' | 'due' | 'none' | 'finished'; count: number }[]> {
      const { rows } = await sql<{ districtCode: string; districtName: string; step: string; bucket: 'overdue' | 'due' | 'none' | 'finished'; count: number }>`
        SELECT c.district_code AS "districtCode", d.name AS "districtName", c.step,
          CASE WHEN c.state <> 'open' THEN 'finished' WHEN c.due_date IS NULL THEN 'none' WHEN c.due_date < ${today}::date THEN 'overdue' ELSE 'due' END AS bucket,
          count(*)::int AS count
        FROM identification_cases c JOIN districts d ON d.code = c.district_code
        WHERE ${scope.sqlCovers('c.district_code')}
        GROUP BY 1, 2, 3, 4 ORDER BY 1`.execute(db);
      return rows;
    },

    /** The cases of these parcels (the parcel card, the enterprise's own cases), newest first. */
    async casesOfParcels(parcelIds: readonly number[]): Promise<CaseRow[]> {
      if (parcelIds.length === 0) return [];
      const { rows } = await sql<CaseRow>`
        SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE c.parcel_id = ANY(${[...parcelIds]}::bigint[]) ORDER BY c.id DESC`.execute(db);
      return rows;
    },

    /** The name of the city a district belongs to (附件3 "位于…市"), or the district's own name when it has no parent. */
    async cityName(districtCode: string): Promise<string> {
      const { rows: [row] } = await sql<{ name: string }>`
        SELECT coalesce(city.name, d.name) AS name FROM districts d LEFT JOIN districts city ON city.code = d.parent_code
        WHERE d.code = ${districtCode}`.execute(db);
      return row?.name ?? '';
    },

    /** Sets the transaction's case, so that the parcel guard (parcels_case_guard) lets the case's own writes of 认定 fields through. */
    async actForCase(transaction: Transaction<Database>, caseId: number): Promise<void> {
      await sql`SELECT set_config('app.identification_case', ${String(caseId)}, true)`.execute(transaction);
    },
  };
}

export type IdentificationRepository = ReturnType<typeof createIdentificationRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    identificationRepository: IdentificationRepository;
  }
}

/** The identification repository (认定案卷), built once per app: the only code that reads or writes the cases, steps, submissions and their numbers. */
export const identificationRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('identificationRepository', createIdentificationRepository(app.db));
}, { name: 'identification-repository', dependencies: ['database'] });
