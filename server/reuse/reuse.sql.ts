import { sql } from 'kysely';

/**
 * SQL of the reuse repository. A project is read as `r` (reuse_projects) with its 认定案卷 `c`, its
 * district `d`, its parcel `p` (LEFT: a retired parcel's project stays on record) and its unit `u`.
 */
export interface ProjectRow {
  id: number;
  number: string;
  caseId: number;
  caseNumber: string;
  parcelId: number;
  parcelCode: string;
  owner: string | null;
  districtCode: string;
  districtName: string;
  unitKind: 'park' | 'street';
  unitCode: string | null;
  unitName: string | null;
  state: 'open' | 'completed' | 'failed';
  step: string;
  outcome: string | null;
  stepAt: Date;
  noticeDate: string;
  planVersion: number;
  requestNumber: string | null;
  requestDate: string | null;
  requestContact: string | null;
  approvalNumber: string | null;
  approvalDate: string | null;
  agreementNumber: string | null;
  signedOn: string | null;
  signingPlace: string | null;
  partyA: string | null;
  partyB: string | null;
  termMonths: number | null;
  completionDue: string | null;
  startedOn: string | null;
  extensionState: 'none' | 'applied' | 'approved' | 'refused';
  extensionMonths: number | null;
  extendedDue: string | null;
  extensionAppliedOn: string | null;
  firstPlanOn: string | null;
  acceptanceAppliedOn: string | null;
  acceptanceDecidedOn: string | null;
  certificateDue: string | null;
  certificateNumber: string | null;
  certificateDate: string | null;
  failureGround: 'overdue' | 'extension_refused' | 'not_passed' | null;
  closedOn: string | null;
  statusBefore: string;
  version: number;
}

export const PROJECT_FROM = sql`
  reuse_projects r
  JOIN identification_cases c ON c.id = r.case_id
  JOIN districts d ON d.code = r.district_code
  LEFT JOIN parcels p ON p.id = r.parcel_id
  LEFT JOIN subdistricts u ON u.code = r.unit_code`;

export const PROJECT_COLUMNS = sql`
  r.id, r.number, r.case_id AS "caseId", c.number AS "caseNumber", r.parcel_id AS "parcelId", r.parcel_code AS "parcelCode", p.owner,
  r.district_code AS "districtCode", d.name AS "districtName", r.unit_kind AS "unitKind", r.unit_code AS "unitCode", u.name AS "unitName",
  r.state, r.step, r.outcome, r.step_at AS "stepAt", r.notice_date AS "noticeDate", r.plan_version AS "planVersion",
  r.request_number AS "requestNumber", r.request_date AS "requestDate",
  (SELECT s.details->>'contact' FROM reuse_steps s WHERE s.project_id = r.id AND s.step = 'requested' ORDER BY s.id DESC LIMIT 1) AS "requestContact",
  r.approval_number AS "approvalNumber", r.approval_date AS "approvalDate", r.agreement_number AS "agreementNumber", r.signed_on AS "signedOn",
  r.signing_place AS "signingPlace", r.party_a AS "partyA", r.party_b AS "partyB", r.term_months AS "termMonths", r.completion_due AS "completionDue",
  r.started_on AS "startedOn", r.extension_state AS "extensionState", r.extension_months AS "extensionMonths", r.extended_due AS "extendedDue",
  (SELECT s.details->>'appliedOn' FROM reuse_steps s WHERE s.project_id = r.id AND s.step = 'extension_applied' ORDER BY s.id LIMIT 1) AS "extensionAppliedOn",
  (SELECT to_char(min(v.submitted_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') FROM reuse_plan_versions v WHERE v.project_id = r.id) AS "firstPlanOn",
  r.acceptance_applied_on AS "acceptanceAppliedOn", r.acceptance_decided_on AS "acceptanceDecidedOn", r.certificate_due AS "certificateDue",
  r.certificate_number AS "certificateNumber", r.certificate_date AS "certificateDate", r.failure_ground AS "failureGround", r.closed_on AS "closedOn",
  r.status_before AS "statusBefore", r.version`;

export interface PlanVersionRow {
  id: number;
  number: number;
  fields: Record<string, unknown>;
  snapshot: Record<string, unknown>;
  via: 'online' | 'paper';
  note: string | null;
  submittedBy: string;
  submittedByName: string | null;
  submittedAt: Date;
  confirmedBy: string | null;
  confirmedByName: string | null;
  confirmedAt: Date | null;
}

export const VERSION_COLUMNS = sql`
  v.id, v.number, v.fields, v.snapshot, v.via, v.note, v.submitted_by AS "submittedBy",
  (SELECT usr.display_name FROM users usr WHERE usr.username = v.submitted_by) AS "submittedByName", v.submitted_at AS "submittedAt",
  v.confirmed_by AS "confirmedBy", (SELECT usr.display_name FROM users usr WHERE usr.username = v.confirmed_by) AS "confirmedByName",
  v.confirmed_at AS "confirmedAt"`;

export interface ReuseStepRow {
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
  planVersion: number | null;
}

export const STEP_COLUMNS = sql`
  s.id, s.step, s.outcome, s.actor, s.actor_name AS "actorName", s.role, s.unit_code AS "unitCode", s.department, s.at,
  s.opinion, s.details, s.document_ids AS "documentIds", s.plan_version AS "planVersion"`;

export interface TrackingRow {
  id: number;
  kind: string;
  date: string;
  note: string;
  documentIds: (number | string)[];
  actor: string;
  actorName: string;
  at: Date;
}

export interface LedgerRowData {
  period: string;
  outputWan: string | null;
  taxWan: string | null;
  investmentWan: string | null;
  note: string | null;
  updatedBy: string;
  updatedAt: Date;
}

/** The notified 认定案卷 a project starts from, with the parcel's card values the plan snapshots. */
export interface NotifiedCaseRow {
  id: number;
  number: string;
  state: string;
  parcelId: number;
  parcelCode: string;
  districtCode: string;
  districtName: string;
  unitKind: 'park' | 'street';
  unitCode: string | null;
  unitName: string | null;
  noticeNumber: string | null;
  noticeDate: string | null;
  inefficiencyTypes: string[];
  parcelExists: boolean;
  owner: string | null;
}

export const NOTIFIED_CASE_SELECT = sql`
  SELECT c.id, c.number, c.state, c.parcel_id AS "parcelId", c.parcel_code AS "parcelCode", c.district_code AS "districtCode", d.name AS "districtName",
    c.unit_kind AS "unitKind", c.unit_code AS "unitCode", u.name AS "unitName", c.notice_number AS "noticeNumber", c.notice_date AS "noticeDate",
    c.inefficiency_types AS "inefficiencyTypes", (p.id IS NOT NULL) AS "parcelExists", p.owner
  FROM identification_cases c JOIN districts d ON d.code = c.district_code
  LEFT JOIN parcels p ON p.id = c.parcel_id LEFT JOIN subdistricts u ON u.code = c.unit_code`;

/** A 信用异常名单 entry with its district, case and project. */
export interface CreditListRow {
  id: number;
  districtCode: string;
  districtName: string;
  enterprise: string;
  parcelId: number;
  parcelCode: string;
  caseId: number;
  caseNumber: string;
  projectId: number | null;
  projectNumber: string | null;
  agreementNumber: string | null;
  ground: 'plan_overdue' | 'overdue' | 'extension_refused' | 'not_passed';
  listedOn: string;
  reason: string;
  source: string;
  listedBy: string;
  listedByName: string;
  removal: { on: string; reason: string; by: string; byName: string } | null;
}

export const CREDIT_LIST_SELECT = sql`
  SELECT l.id, l.district_code AS "districtCode", d.name AS "districtName", l.enterprise, l.parcel_id AS "parcelId", l.parcel_code AS "parcelCode",
    l.case_id AS "caseId", c.number AS "caseNumber", l.project_id AS "projectId", r.number AS "projectNumber", r.agreement_number AS "agreementNumber",
    l.ground, l.listed_on AS "listedOn", l.reason, l.source, l.listed_by AS "listedBy", l.listed_by_name AS "listedByName",
    CASE WHEN x.id IS NULL THEN NULL ELSE json_build_object('on', x.removed_on, 'reason', x.reason, 'by', x.removed_by, 'byName', x.removed_by_name) END AS removal
  FROM reuse_credit_list l JOIN districts d ON d.code = l.district_code JOIN identification_cases c ON c.id = l.case_id
  LEFT JOIN reuse_projects r ON r.id = l.project_id LEFT JOIN reuse_credit_removals x ON x.listing_id = l.id`;
