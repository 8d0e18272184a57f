import { sql } from 'kysely';

/**
 * SQL of the identification repository. A case is read as `c` (identification_cases) with its
 * district `d`, its parcel `p` (LEFT: a retired parcel's case stays on record) and its unit `u`.
 */

/** A case row as read, before the step machine's fields (next steps, overdue) are added. */
export interface CaseRow {
  id: number;
  number: string;
  parcelId: number;
  parcelCode: string;
  owner: string | null;
  districtCode: string;
  districtName: string;
  subdistrictCode: string | null;
  parkCode: string | null;
  unitKind: 'park' | 'street';
  unitCode: string | null;
  unitName: string | null;
  state: 'open' | 'closed' | 'notified';
  step: string;
  outcome: string | null;
  stepAt: Date;
  dueDate: string | null;
  inefficiencyTypes: string[];
  noticeNumber: string | null;
  noticeDate: string | null;
  planDueDate: string | null;
  openedAt: Date;
  openedBy: string;
  version: number;
  closedReason: string | null;
  note: string | null;
  sourceRunId: number | null;
  statusBefore: string;
  inefficiencyTypeBefore: string | null;
}

export const CASE_FROM = sql`
  identification_cases c
  JOIN districts d ON d.code = c.district_code
  LEFT JOIN parcels p ON p.id = c.parcel_id
  LEFT JOIN subdistricts u ON u.code = c.unit_code`;

export const CASE_COLUMNS = sql`
  c.id, c.number, c.parcel_id AS "parcelId", c.parcel_code AS "parcelCode", p.owner,
  c.district_code AS "districtCode", d.name AS "districtName", c.subdistrict_code AS "subdistrictCode", c.park_code AS "parkCode",
  c.unit_kind AS "unitKind", c.unit_code AS "unitCode", u.name AS "unitName", c.state, c.step, c.outcome, c.step_at AS "stepAt",
  c.due_date AS "dueDate", c.inefficiency_types AS "inefficiencyTypes", c.notice_number AS "noticeNumber", c.notice_date AS "noticeDate",
  c.plan_due_date AS "planDueDate", c.opened_at AS "openedAt", c.opened_by AS "openedBy", c.version, c.closed_reason AS "closedReason",
  c.note, c.source_run_id AS "sourceRunId", c.status_before AS "statusBefore", c.inefficiency_type_before AS "inefficiencyTypeBefore"`;

export interface StepRow {
  id: number;
  step: string;
  outcome: string | null;
  actor: string;
  actorName: string;
  role: string;
  unitCode: string | null;
  department: string | null;
  at: Date;
  opinion: string | null;
  details: Record<string, unknown>;
  documentIds: (number | string)[];
  dueDate: string | null;
}

export const STEP_COLUMNS = sql`
  s.id, s.step, s.outcome, s.actor, s.actor_name AS "actorName", s.role, s.unit_code AS "unitCode", s.department, s.at,
  s.opinion, s.details, s.document_ids AS "documentIds", s.due_date AS "dueDate"`;

export interface SubmissionRow {
  id: number;
  caseId: number;
  parcelId: number;
  via: 'online' | 'paper';
  submittedBy: string;
  submittedByName: string | null;
  submittedAt: Date;
  fields: Record<string, unknown>;
  appliedBy: string | null;
  appliedAt: Date | null;
}

export const SUBMISSION_COLUMNS = sql`
  s.id, s.case_id AS "caseId", s.parcel_id AS "parcelId", s.via, s.submitted_by AS "submittedBy",
  (SELECT usr.display_name FROM users usr WHERE usr.username = s.submitted_by) AS "submittedByName",
  s.submitted_at AS "submittedAt", s.fields, s.applied_by AS "appliedBy", s.applied_at AS "appliedAt"`;
