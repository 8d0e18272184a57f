import fp from 'fastify-plugin';
import { sql, type Transaction } from 'kysely';
import type { ReuseListQuery } from '../../domain/api/reuse.schemas.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';
import {
  CREDIT_LIST_SELECT, NOTIFIED_CASE_SELECT, PROJECT_COLUMNS, PROJECT_FROM, STEP_COLUMNS, VERSION_COLUMNS,
  type CreditListRow, type LedgerRowData, type NotifiedCaseRow, type PlanVersionRow, type ProjectRow, type ReuseStepRow, type TrackingRow,
} from './reuse.sql.js';

type Executor = DatabaseClient | Transaction<Database>;

/** A step as written: a step row before the database gives it its id and time. */
export type NewReuseStep = Omit<ReuseStepRow, 'id' | 'at' | 'documentIds'> & { projectId: number; documentIds: number[] };

/** What a step changes on the project row (column names as in reuse_projects). */
export type ProjectChanges = Partial<{
  state: 'open' | 'completed' | 'failed'; step: string; outcome: string | null; plan_version: number;
  request_number: string; request_date: string; approval_number: string | null; approval_date: string | null;
  agreement_number: string; signed_on: string; signing_place: string; party_a: string; party_b: string; term_months: number; completion_due: string;
  started_on: string; extension_state: 'none' | 'applied' | 'approved' | 'refused'; extension_months: number; extended_due: string;
  acceptance_applied_on: string; acceptance_decided_on: string | null; certificate_due: string | null; certificate_number: string; certificate_date: string;
  failure_ground: 'overdue' | 'extension_refused' | 'not_passed'; closed_on: string;
}>;

export function createReuseRepository(db: DatabaseClient) {
  async function findProject(executor: Executor, where: ReturnType<typeof sql>, lock = false): Promise<ProjectRow | undefined> {
    const { rows } = await sql<ProjectRow>`SELECT ${PROJECT_COLUMNS} FROM ${PROJECT_FROM} WHERE ${where} ${lock ? sql`FOR UPDATE OF r` : sql``}`.execute(executor);
    return rows[0];
  }

  return {
    find: (id: number) => findProject(db, sql`r.id = ${id}`),
    lock: (transaction: Transaction<Database>, id: number) => findProject(transaction, sql`r.id = ${id}`, true),
    ofCase: (executor: Executor, caseId: number, lock = false) => findProject(executor, sql`r.case_id = ${caseId}`, lock),

    /** The 认定案卷 a project starts from (locked when asked, so two first versions cannot race). */
    async notifiedCase(executor: Executor, caseId: number, lock = false): Promise<NotifiedCaseRow | undefined> {
      const { rows } = await sql<NotifiedCaseRow>`${NOTIFIED_CASE_SELECT} WHERE c.id = ${caseId} ${lock ? sql`FOR UPDATE OF c` : sql``}`.execute(executor);
      return rows[0];
    },

    async nextNumber(transaction: Transaction<Database>, districtCode: string, year: number, kind: 'project' | 'agreement' | 'certificate'): Promise<number> {
      const { rows: [row] } = await sql<{ last: number }>`
        INSERT INTO reuse_counters (district_code, year, kind, last) VALUES (${districtCode}, ${year}, ${kind}, 1)
        ON CONFLICT (district_code, year, kind) DO UPDATE SET last = reuse_counters.last + 1
        RETURNING last`.execute(transaction);
      return row.last;
    },

    async insertProject(transaction: Transaction<Database>, row: {
      number: string; caseId: number; parcelId: number; parcelCode: string; districtCode: string; year: number; sequence: number;
      unitCode: string | null; unitKind: 'park' | 'street'; noticeDate: string; statusBefore: string; openedBy: string;
    }): Promise<number> {
      const inserted = await transaction.insertInto('reuse_projects').values({
        number: row.number, case_id: row.caseId, parcel_id: row.parcelId, parcel_code: row.parcelCode, district_code: row.districtCode, year: row.year,
        sequence: row.sequence, unit_code: row.unitCode, unit_kind: row.unitKind, step: 'plan_submitted', notice_date: row.noticeDate,
        status_before: row.statusBefore, opened_by: row.openedBy,
      }).returning('id').executeTakeFirstOrThrow();
      return Number(inserted.id);
    },

    async update(transaction: Transaction<Database>, id: number, changes: ProjectChanges): Promise<void> {
      // An empty change still touches the row: its version rises (a step that does not move the project).
      const set: Record<string, unknown> = { ...changes, updated_at: sql`now()` };
      if (changes.step !== undefined) set.step_at = sql`now()`;
      await transaction.updateTable('reuse_projects').set(set).where('id', '=', id).execute();
    },

    async insertStep(transaction: Transaction<Database>, step: NewReuseStep): Promise<void> {
      await transaction.insertInto('reuse_steps').values({
        project_id: step.projectId, step: step.step, outcome: step.outcome, actor: step.actor, actor_name: step.actorName, role: step.role,
        unit_code: step.unitCode, department: step.department, opinion: step.opinion, details: JSON.stringify(step.details),
        document_ids: step.documentIds, plan_version: step.planVersion,
      }).execute();
    },

    async steps(executor: Executor, projectId: number): Promise<ReuseStepRow[]> {
      const { rows } = await sql<ReuseStepRow>`SELECT ${STEP_COLUMNS} FROM reuse_steps s WHERE s.project_id = ${projectId} ORDER BY s.id`.execute(executor);
      return rows;
    },

    async insertVersion(transaction: Transaction<Database>, version: {
      projectId: number; number: number; fields: Record<string, unknown>; snapshot: Record<string, unknown>; via: 'online' | 'paper'; note: string | null; submittedBy: string;
    }): Promise<void> {
      await transaction.insertInto('reuse_plan_versions').values({
        project_id: version.projectId, number: version.number, fields: JSON.stringify(version.fields), snapshot: JSON.stringify(version.snapshot),
        via: version.via, note: version.note, submitted_by: version.submittedBy,
      }).execute();
    },

    /** The versions of a plan, newest first. */
    async versions(executor: Executor, projectId: number): Promise<PlanVersionRow[]> {
      const { rows } = await sql<PlanVersionRow>`SELECT ${VERSION_COLUMNS} FROM reuse_plan_versions v WHERE v.project_id = ${projectId} ORDER BY v.number DESC`.execute(executor);
      return rows;
    },

    async confirmVersion(transaction: Transaction<Database>, projectId: number, number: number, actor: string): Promise<void> {
      await transaction.updateTable('reuse_plan_versions').set({ confirmed_by: actor, confirmed_at: sql<Date>`now()` })
        .where('project_id', '=', projectId).where('number', '=', number).execute();
    },

    async insertTracking(transaction: Transaction<Database>, entry: { projectId: number; kind: 'follow_up' | 'register' | 'procedure' | 'supplementary'; date: string; note: string; documentIds: number[]; actor: string; actorName: string }): Promise<void> {
      await transaction.insertInto('reuse_tracking').values({
        project_id: entry.projectId, kind: entry.kind, on_date: entry.date, note: entry.note, document_ids: entry.documentIds, actor: entry.actor, actor_name: entry.actorName,
      }).execute();
    },

    async tracking(executor: Executor, projectId: number): Promise<TrackingRow[]> {
      const { rows } = await sql<TrackingRow>`
        SELECT t.id, t.kind, t.on_date AS date, t.note, t.document_ids AS "documentIds", t.actor, t.actor_name AS "actorName", t.at
        FROM reuse_tracking t WHERE t.project_id = ${projectId} ORDER BY t.on_date DESC, t.id DESC`.execute(executor);
      return rows;
    },

    /** Writes a period of the ledger (a correction replaces it; history keeps the old values). */
    async upsertLedger(transaction: Transaction<Database>, projectId: number, row: { period: string; outputWan: number | null; taxWan: number | null; investmentWan: number | null; note: string | null; actor: string }): Promise<void> {
      await sql`
        INSERT INTO reuse_ledger (project_id, period, output_wan, tax_wan, investment_wan, note, updated_by)
        VALUES (${projectId}, ${row.period}, ${row.outputWan}, ${row.taxWan}, ${row.investmentWan}, ${row.note}, ${row.actor})
        ON CONFLICT (project_id, period) DO UPDATE SET output_wan = EXCLUDED.output_wan, tax_wan = EXCLUDED.tax_wan,
          investment_wan = EXCLUDED.investment_wan, note = EXCLUDED.note, updated_by = EXCLUDED.updated_by, updated_at = now()`.execute(transaction);
    },

    async ledger(executor: Executor, projectId: number): Promise<LedgerRowData[]> {
      const { rows } = await sql<LedgerRowData>`
        SELECT l.period, l.output_wan AS "outputWan", l.tax_wan AS "taxWan", l.investment_wan AS "investmentWan", l.note,
          l.updated_by AS "updatedBy", l.updated_at AS "updatedAt"
        FROM reuse_ledger l WHERE l.project_id = ${projectId} ORDER BY l.period`.execute(executor);
      return rows;
    },

    /** Which of `ids` are documents of the parcel on file (not removed). */
    async parcelDocumentIds(executor: Executor, parcelId: number, ids: readonly number[]): Promise<number[]> {
      if (ids.length === 0) return [];
      const rows = await executor.selectFrom('parcel_documents').select('id')
        .where('parcel_id', '=', parcelId).where('id', 'in', [...ids]).where('removed_at', 'is', null).execute();
      return rows.map((row) => Number(row.id));
    },

    /** One page of projects in the reader's districts; `today` and the clocks decide overdue in the service. */
    async list(query: ReuseListQuery, scope: Scope): Promise<{ items: ProjectRow[]; total: number }> {
      const where = sql`${scope.sqlCovers('r.district_code')}
        ${query.district ? sql`AND (r.district_code = ${query.district} OR d.parent_code = ${query.district})` : sql``}
        ${query.step ? sql`AND r.step = ${query.step}` : sql``}`;
      const { rows: [{ total }] } = await sql<{ total: number }>`SELECT count(*)::int AS total FROM ${PROJECT_FROM} WHERE ${where}`.execute(db);
      const { rows } = await sql<ProjectRow>`
        SELECT ${PROJECT_COLUMNS} FROM ${PROJECT_FROM} WHERE ${where}
        ORDER BY (r.state = 'open') DESC, r.id DESC LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`.execute(db);
      return { items: rows, total };
    },

    /**
     * Every open project (every project, with `allStates`: the district counts) and every notified case
     * without one, in the scope (待办).
     */
    async openWork(scope: Scope, parcelIds: readonly number[] | null, allStates = false): Promise<{ projects: ProjectRow[]; cases: NotifiedCaseRow[] }> {
      const parcelFilter = (column: string) => (parcelIds === null ? sql`TRUE` : sql`${sql.ref(column)} = ANY(${[...parcelIds]}::bigint[])`);
      const { rows: projects } = await sql<ProjectRow>`
        SELECT ${PROJECT_COLUMNS} FROM ${PROJECT_FROM} WHERE ${allStates ? sql`TRUE` : sql`r.state = 'open'`} AND ${scope.sqlCovers('r.district_code')} AND ${parcelFilter('r.parcel_id')}
        ORDER BY r.id LIMIT ${allStates ? 20000 : 2000}`.execute(db);
      const { rows: cases } = await sql<NotifiedCaseRow>`
        ${NOTIFIED_CASE_SELECT} WHERE c.state = 'notified' AND ${scope.sqlCovers('c.district_code')} AND ${parcelFilter('c.parcel_id')}
          AND NOT EXISTS (SELECT FROM reuse_projects r WHERE r.case_id = c.id)
        ORDER BY c.notice_date LIMIT ${allStates ? 20000 : 2000}`.execute(db);
      return { projects, cases };
    },

    /** The projects of these parcels, newest first. */
    async ofParcels(parcelIds: readonly number[]): Promise<ProjectRow[]> {
      if (parcelIds.length === 0) return [];
      const { rows } = await sql<ProjectRow>`SELECT ${PROJECT_COLUMNS} FROM ${PROJECT_FROM} WHERE r.parcel_id = ANY(${[...parcelIds]}::bigint[]) ORDER BY r.id DESC`.execute(db);
      return rows;
    },

    /** The 调查表（认定） (附件1) the case's 认定 rested on: its latest submission, or none. */
    async identificationSurvey(executor: Executor, caseId: number): Promise<{ submittedAt: Date; fields: Record<string, unknown> } | undefined> {
      return executor.selectFrom('survey_submissions').select(['submitted_at as submittedAt', 'fields'])
        .where('case_id', '=', caseId).orderBy('id', 'desc').limit(1).executeTakeFirst() as Promise<{ submittedAt: Date; fields: Record<string, unknown> } | undefined>;
    },

    async insertCreditListing(transaction: Transaction<Database>, entry: {
      districtCode: string; enterprise: string; parcelId: number; parcelCode: string; caseId: number; projectId: number | null; ground: 'plan_overdue' | 'overdue' | 'extension_refused' | 'not_passed';
      listedOn: string; reason: string; source: string; listedBy: string; listedByName: string;
    }): Promise<void> {
      await transaction.insertInto('reuse_credit_list').values({
        district_code: entry.districtCode, enterprise: entry.enterprise, parcel_id: entry.parcelId, parcel_code: entry.parcelCode, case_id: entry.caseId,
        project_id: entry.projectId, ground: entry.ground, listed_on: entry.listedOn, reason: entry.reason, source: entry.source,
        listed_by: entry.listedBy, listed_by_name: entry.listedByName,
      }).execute();
    },

    /** One entry of the 信用异常名单, or undefined (the list is append-only: no lock; a removal is unique per entry). */
    async creditListing(executor: Executor, id: number): Promise<CreditListRow | undefined> {
      const { rows } = await sql<CreditListRow>`${CREDIT_LIST_SELECT} WHERE l.id = ${id}`.execute(executor);
      return rows[0];
    },

    /** Whether the case's 用地单位 is already listed on this ground. */
    async isListed(executor: Executor, caseId: number, ground: string): Promise<boolean> {
      const row = await executor.selectFrom('reuse_credit_list').select('id').where('case_id', '=', caseId).where('ground', '=', ground as 'overdue').executeTakeFirst();
      return row !== undefined;
    },

    /** Records the removal; false when the entry was already removed (by a concurrent request). */
    async insertCreditRemoval(transaction: Transaction<Database>, removal: { listingId: number; removedOn: string; reason: string; removedBy: string; removedByName: string }): Promise<boolean> {
      const inserted = await transaction.insertInto('reuse_credit_removals').values({
        listing_id: removal.listingId, removed_on: removal.removedOn, reason: removal.reason, removed_by: removal.removedBy, removed_by_name: removal.removedByName,
      }).onConflict((conflict) => conflict.column('listing_id').doNothing()).returning('id').executeTakeFirst();
      return inserted !== undefined;
    },

    /** The 信用异常名单 in the reader's districts (optionally one district and its children), newest first. */
    async creditList(scope: Scope, district: string | undefined): Promise<CreditListRow[]> {
      const { rows } = await sql<CreditListRow>`
        ${CREDIT_LIST_SELECT} WHERE ${scope.sqlCovers('l.district_code')}
          ${district ? sql`AND (l.district_code = ${district} OR d.parent_code = ${district})` : sql``}
        ORDER BY l.listed_on DESC, l.id DESC LIMIT 5000`.execute(db);
      return rows;
    },

    /** Names the transaction's project, so that the parcel guard lets the project's own status write through. */
    async actForProject(transaction: Transaction<Database>, projectId: number): Promise<void> {
      await sql`SELECT set_config('app.reuse_project', ${String(projectId)}, true)`.execute(transaction);
    },
  };
}

export type ReuseRepository = ReturnType<typeof createReuseRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    reuseRepository: ReuseRepository;
  }
}

/** The reuse repository (再利用项目): the only code that reads or writes projects, plan versions, steps, tracking and ledger. */
export const reuseRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('reuseRepository', createReuseRepository(app.db));
}, { name: 'reuse-repository', dependencies: ['database'] });
