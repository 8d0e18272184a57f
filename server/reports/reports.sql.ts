import { sql, type RawBuilder } from 'kysely';

/**
 * SQL of the reports repository. 附件11's rows are the 认定案卷 with a 告知书 (state notified), read
 * with their parcel's card as it stands — or, for a parcel retired by a split or merge since, as it
 * stood when it was retired (retired_parcels.attributes), so a case never drops out of the table.
 */

/** One row of 附件11: a notified case and the card of its parcel. */
export interface Annex11Row {
  caseId: number;
  caseNumber: string;
  noticeNumber: string;
  noticeDate: string;
  types: string[];
  districtCode: string;
  districtName: string;
  parcelCode: string;
  owner: string | null;
  place: string | null;
  location: string | null;
  registeredAreaM2: number | null;
  contractNo: string | null;
  certificateNo: string | null;
  landUseCode: string | null;
  plannedFunction: string | null;
  floorAreaRatio: number | null;
  buildingCoverage: number | null;
  investmentIntensity: number | null;
  outputPerMu: number | null;
  taxPerMu: number | null;
  retiredAt: Date | null;
  retiredReason: 'split' | 'merge' | null;
  successorCodes: string | null;
}

const text = (key: string) => sql<string | null>`nullif(btrim(a.card->>${key}), '')`;
const number = (key: string) => sql<number | null>`(a.card->>${key})::float8`;

/** The notified cases of `districts` whose 告知书 is dated on or before `until`, in the reader's scope. */
export const annex11RowsSql = (districts: readonly string[], until: string, covers: RawBuilder<boolean>) => sql<Annex11Row>`
  SELECT c.id AS "caseId", c.number AS "caseNumber", c.notice_number AS "noticeNumber", c.notice_date AS "noticeDate",
    c.inefficiency_types AS types, c.district_code AS "districtCode", d.name AS "districtName", c.parcel_code AS "parcelCode",
    ${text('owner')} AS owner,
    coalesce(park.name, street.name, unit.name, ${text('town_or_park')}) AS place,
    ${text('location')} AS location,
    ${number('registered_area_m2')} AS "registeredAreaM2",
    ${text('contract_no')} AS "contractNo",
    ${text('certificate_no')} AS "certificateNo",
    ${text('land_use_code')} AS "landUseCode",
    ${text('planned_function')} AS "plannedFunction",
    ${number('floor_area_ratio')} AS "floorAreaRatio",
    ${number('building_coverage')} AS "buildingCoverage",
    ${number('investment_intensity')} AS "investmentIntensity",
    ${number('output_per_mu')} AS "outputPerMu",
    ${number('tax_per_mu')} AS "taxPerMu",
    r.retired_at AS "retiredAt", r.retired_reason AS "retiredReason",
    (SELECT string_agg(s.code, '、' ORDER BY s.id) FROM parcels s WHERE s.id = ANY(r.successor_ids)) AS "successorCodes"
  FROM identification_cases c
  JOIN districts d ON d.code = c.district_code
  LEFT JOIN parcels p ON p.id = c.parcel_id
  LEFT JOIN retired_parcels r ON p.id IS NULL AND r.id = c.parcel_id
  CROSS JOIN LATERAL (SELECT coalesce(to_jsonb(p) - 'geom' - 'geom_3857', r.attributes, '{}'::jsonb) AS card) a
  LEFT JOIN subdistricts park ON park.code = a.card->>'park_code'
  LEFT JOIN subdistricts street ON street.code = a.card->>'subdistrict_code'
  LEFT JOIN subdistricts unit ON unit.code = c.unit_code
  WHERE c.state = 'notified' AND c.notice_date <= ${until}::date
    AND c.district_code = ANY(${[...districts]}::text[]) AND ${covers}
  ORDER BY c.district_code, c.notice_date, c.notice_number`;

/** A submission as read (without its bytes). */
export interface SubmissionRow {
  id: number;
  reportCode: string;
  districtCode: string;
  districtName: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  status: 'submitted' | 'superseded';
  supersededBy: number | null;
  submittedBy: string;
  submittedByName: string;
  submittedAt: Date;
  onTime: boolean;
  recipients: string[];
  fileName: string;
  mediaType: string;
  byteSize: number;
  sha256: string;
  rowCount: number;
  summary: Record<string, unknown>;
  note: string | null;
}

export const SUBMISSION_COLUMNS = sql`
  s.id, s.report_code AS "reportCode", s.district_code AS "districtCode", d.name AS "districtName", s.period,
  s.period_start AS "periodStart", s.period_end AS "periodEnd", s.due_date AS "dueDate", s.status, s.superseded_by AS "supersededBy",
  s.submitted_by AS "submittedBy", s.submitted_by_name AS "submittedByName", s.submitted_at AS "submittedAt", s.on_time AS "onTime",
  s.recipients, s.file_name AS "fileName", s.media_type AS "mediaType", s.byte_size::float8 AS "byteSize", s.sha256, s.row_count AS "rowCount",
  s.summary, s.note`;

export const SUBMISSION_FROM = sql`report_submissions s JOIN districts d ON d.code = s.district_code`;

/** One row of 附件12 / 附件13: a 再利用项目 with its parcel's card, the approved plan and the latest 验收 application. */
export interface ReuseReportRow {
  projectId: number;
  projectNumber: string;
  districtCode: string;
  districtName: string;
  parcelCode: string;
  owner: string | null;
  place: string | null;
  location: string | null;
  registeredAreaM2: number | null;
  contractNo: string | null;
  certificateNo: string | null;
  landUseCode: string | null;
  approvalNumber: string | null;
  approvalDate: string | null;
  certificateNumber: string | null;
  certificateDate: string | null;
  plan: Record<string, unknown> | null;
  acceptance: Record<string, unknown> | null;
  retiredAt: Date | null;
  retiredReason: 'split' | 'merge' | null;
  successorCodes: string | null;
}

/** The projects of `districts` approved (附件12) or accepted (附件13, 核准书 sent) on or before `until`, in the reader's scope. */
export const reuseReportRowsSql = (report: 'approved' | 'accepted', districts: readonly string[], until: string, covers: RawBuilder<boolean>) => {
  const date = report === 'approved' ? sql.ref('r.approval_date') : sql.ref('r.certificate_date');
  return sql<ReuseReportRow>`
  SELECT r.id AS "projectId", r.number AS "projectNumber", r.district_code AS "districtCode", d.name AS "districtName", r.parcel_code AS "parcelCode",
    ${text('owner')} AS owner,
    coalesce(park.name, street.name, unit.name, ${text('town_or_park')}) AS place,
    ${text('location')} AS location,
    ${number('registered_area_m2')} AS "registeredAreaM2",
    ${text('contract_no')} AS "contractNo",
    ${text('certificate_no')} AS "certificateNo",
    ${text('land_use_code')} AS "landUseCode",
    r.approval_number AS "approvalNumber", r.approval_date AS "approvalDate", r.certificate_number AS "certificateNumber", r.certificate_date AS "certificateDate",
    v.fields AS plan, acc.details AS acceptance,
    rp.retired_at AS "retiredAt", rp.retired_reason AS "retiredReason",
    (SELECT string_agg(s.code, '、' ORDER BY s.id) FROM parcels s WHERE s.id = ANY(rp.successor_ids)) AS "successorCodes"
  FROM reuse_projects r
  JOIN districts d ON d.code = r.district_code
  LEFT JOIN parcels p ON p.id = r.parcel_id
  LEFT JOIN retired_parcels rp ON p.id IS NULL AND rp.id = r.parcel_id
  CROSS JOIN LATERAL (SELECT coalesce(to_jsonb(p) - 'geom' - 'geom_3857', rp.attributes, '{}'::jsonb) AS card) a
  LEFT JOIN subdistricts park ON park.code = a.card->>'park_code'
  LEFT JOIN subdistricts street ON street.code = a.card->>'subdistrict_code'
  LEFT JOIN subdistricts unit ON unit.code = r.unit_code
  LEFT JOIN reuse_plan_versions v ON v.project_id = r.id AND v.number = r.plan_version
  LEFT JOIN LATERAL (SELECT s.details FROM reuse_steps s WHERE s.project_id = r.id AND s.step = 'acceptance_applied' ORDER BY s.id DESC LIMIT 1) acc ON TRUE
  WHERE ${date} <= ${until}::date ${report === 'accepted' ? sql`AND r.state = 'completed'` : sql``}
    AND r.district_code = ANY(${[...districts]}::text[]) AND ${covers}
  ORDER BY r.district_code, ${date}, r.number`;
};
