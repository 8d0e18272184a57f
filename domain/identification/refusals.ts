/**
 * Expected refusals of the 认定 procedure, as values with reason constants; server/errors.ts alone
 * maps them to HTTP (IdentificationRefusalError).
 */
export const CASE_OPEN = 'case_open';
export const STEP_NOT_ALLOWED = 'step_not_allowed';
export const STEP_FORBIDDEN = 'step_forbidden';
export const OPINIONS_MISSING = 'opinions_missing';
export const OPINION_ENTERED = 'opinion_entered';
export const DISSENT_UNEXPLAINED = 'dissent_unexplained';
export const CASE_STALE = 'case_stale';
export const SUBMISSION_APPLIED = 'submission_applied';
export const NOT_A_CASE_DOCUMENT = 'not_a_case_document';
export const CASE_OUT_OF_UNIT = 'out_of_unit';
/** A form (附件2, 附件3) asked before the step that gives it content (domain/identification/forms.ts). */
export const FORM_NOT_READY = 'form_not_ready';
/** A form the role may not download (附件2 for the 用地单位). */
export const FORM_FORBIDDEN = 'form_forbidden';

export type IdentificationRefusalReason =
  | typeof CASE_OPEN | typeof STEP_NOT_ALLOWED | typeof STEP_FORBIDDEN | typeof OPINIONS_MISSING | typeof OPINION_ENTERED
  | typeof DISSENT_UNEXPLAINED | typeof CASE_STALE | typeof SUBMISSION_APPLIED | typeof NOT_A_CASE_DOCUMENT | typeof CASE_OUT_OF_UNIT
  | typeof FORM_NOT_READY | typeof FORM_FORBIDDEN;

export interface IdentificationRefusal {
  reason: IdentificationRefusalReason;
  message: string;
  parameter?: string;
  details?: Record<string, unknown>;
}

export const IDENTIFICATION_REFUSAL_STATUS: Readonly<Record<IdentificationRefusalReason, number>> = {
  [CASE_OPEN]: 409,
  [STEP_NOT_ALLOWED]: 409,
  [STEP_FORBIDDEN]: 403,
  [CASE_OUT_OF_UNIT]: 403,
  [OPINIONS_MISSING]: 409,
  [OPINION_ENTERED]: 409,
  [DISSENT_UNEXPLAINED]: 400,
  [CASE_STALE]: 409,
  [SUBMISSION_APPLIED]: 409,
  [NOT_A_CASE_DOCUMENT]: 400,
  [FORM_NOT_READY]: 409,
  [FORM_FORBIDDEN]: 403,
};

/** The 409 of a hand edit of 效率状态/低效类型/认定时间 while a case is open. */
export function caseOpenMessage(caseNumber: string, parcelCode?: string | null): string {
  return `${parcelCode ? `地块 ${parcelCode} ` : '该地块'}有进行中的认定案卷 ${caseNumber}：效率状态、低效类型、认定时间随案卷各步自动更新，不能手工修改（包括批量修改和导入）。请在案卷中办理，或待案卷结束后再改 / an identification case is open.`;
}
