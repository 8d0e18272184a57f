import fp from 'fastify-plugin';
import { sql, type Transaction } from 'kysely';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { SUBMISSION_COLUMNS, SUBMISSION_FROM, annex11RowsSql, reuseReportRowsSql, type Annex11Row, type ReuseReportRow, type SubmissionRow } from './reports.sql.js';

/** A submission to record: the period, who, the frozen file and its figures. */
export interface NewSubmission {
  reportCode: string;
  districtCode: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  submittedBy: string;
  submittedByName: string;
  submittedRole: string;
  onTime: boolean;
  recipients: string[];
  fileName: string;
  mediaType: string;
  sha256: string;
  rowCount: number;
  summary: Record<string, unknown>;
  note: string | null;
  content: Buffer;
}

export function createReportsRepository(db: DatabaseClient) {
  return {
    /** 附件11's rows: notified cases of the districts with a 告知书 dated up to `until`, in scope. */
    async annex11Rows(districts: readonly string[], until: string, scope: Scope): Promise<Annex11Row[]> {
      if (districts.length === 0) return [];
      const { rows } = await annex11RowsSql(districts, until, scope.sqlCovers('c.district_code')).execute(db);
      return rows.map((row) => ({ ...row, caseId: Number(row.caseId) }));
    },

    /** 附件12 (approved) / 附件13 (accepted) rows: the 再利用项目 of the districts up to `until`. */
    async reuseRows(report: 'approved' | 'accepted', districts: readonly string[], until: string, scope: Scope): Promise<ReuseReportRow[]> {
      if (districts.length === 0) return [];
      const { rows } = await reuseReportRowsSql(report, districts, until, scope.sqlCovers('r.district_code')).execute(db);
      return rows.map((row) => ({ ...row, projectId: Number(row.projectId) }));
    },

    /** The date of the district's first 告知书, or null when it has none. */
    async firstNoticeDate(districtCode: string): Promise<string | null> {
      const row = await db.selectFrom('identification_cases').select(sql<string | null>`min(notice_date)`.as('first'))
        .where('district_code', '=', districtCode).where('state', '=', 'notified').executeTakeFirst();
      return row?.first ?? null;
    },

    /** Every submission of a report and district, newest period first, newest submission first. */
    async submissions(reportCode: string, districtCode: string): Promise<SubmissionRow[]> {
      const { rows } = await sql<SubmissionRow>`
        SELECT ${SUBMISSION_COLUMNS} FROM ${SUBMISSION_FROM}
        WHERE s.report_code = ${reportCode} AND s.district_code = ${districtCode}
        ORDER BY s.period_start DESC, s.id DESC`.execute(db);
      return rows.map((row) => ({ ...row, id: Number(row.id), supersededBy: row.supersededBy === null ? null : Number(row.supersededBy) }));
    },

    async find(id: number): Promise<SubmissionRow | undefined> {
      const { rows: [row] } = await sql<SubmissionRow>`SELECT ${SUBMISSION_COLUMNS} FROM ${SUBMISSION_FROM} WHERE s.id = ${id}`.execute(db);
      return row && { ...row, id: Number(row.id), supersededBy: row.supersededBy === null ? null : Number(row.supersededBy) };
    },

    async content(id: number): Promise<Buffer> {
      const row = await db.selectFrom('report_submission_contents').select('content').where('submission_id', '=', id).executeTakeFirstOrThrow();
      return row.content;
    },

    /**
     * Records a submission inside the caller's transaction (which names the actor for the audit
     * log): the period's earlier current submission, if any, is superseded by it. Submissions of one
     * report, district and period are serialised by an advisory lock.
     */
    async insertSubmission(transaction: Transaction<Database>, submission: NewSubmission): Promise<{ id: number; superseded: number | null }> {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`report:${submission.reportCode}:${submission.districtCode}:${submission.period}`}))`.execute(transaction);
      const earlier = await transaction.selectFrom('report_submissions').select('id')
        .where('report_code', '=', submission.reportCode).where('district_code', '=', submission.districtCode)
        .where('period', '=', submission.period).where('status', '=', 'submitted').executeTakeFirst();
      // The new row's id first: the earlier one is marked superseded by it (the foreign key is deferred),
      // so the unique index never sees two current submissions.
      const { rows: [{ id }] } = await sql<{ id: string }>`SELECT nextval('report_submissions_id_seq') AS id`.execute(transaction);
      if (earlier) {
        await transaction.updateTable('report_submissions').set({ status: 'superseded', superseded_by: Number(id) }).where('id', '=', earlier.id).execute();
      }
      await transaction.insertInto('report_submissions').values({
        id: Number(id), report_code: submission.reportCode, district_code: submission.districtCode, period: submission.period,
        period_start: submission.periodStart, period_end: submission.periodEnd, due_date: submission.dueDate,
        submitted_by: submission.submittedBy, submitted_by_name: submission.submittedByName, submitted_role: submission.submittedRole,
        on_time: submission.onTime, recipients: submission.recipients, file_name: submission.fileName, media_type: submission.mediaType,
        byte_size: submission.content.length, sha256: submission.sha256, row_count: submission.rowCount,
        summary: JSON.stringify(submission.summary), note: submission.note,
      }).execute();
      await transaction.insertInto('report_submission_contents').values({ submission_id: Number(id), content: submission.content }).execute();
      return { id: Number(id), superseded: earlier ? Number(earlier.id) : null };
    },
  };
}

export type ReportsRepository = ReturnType<typeof createReportsRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    reportsRepository: ReportsRepository;
  }
}

/** The reports repository (汇总表 rows, submissions and their files), built once per app. */
export const reportsRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('reportsRepository', createReportsRepository(app.db));
}, { name: 'reports-repository', dependencies: ['database'] });
