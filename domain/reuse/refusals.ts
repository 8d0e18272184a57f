/**
 * Expected refusals of the 再利用 procedure, as values with reason constants; server/errors.ts alone
 * maps them to HTTP (ReuseRefusalError).
 */
export const REUSE_STEP_NOT_ALLOWED = 'reuse_step_not_allowed';
export const REUSE_STEP_FORBIDDEN = 'reuse_step_forbidden';
export const REUSE_NOT_NOTIFIED = 'reuse_not_notified';
export const REUSE_OPEN = 'reuse_open';
export const REUSE_STALE = 'reuse_stale';
export const REUSE_OPINION_ENTERED = 'reuse_opinion_entered';
export const REUSE_OPINIONS_MISSING = 'reuse_opinions_missing';
export const REUSE_NOT_A_DOCUMENT = 'reuse_not_a_document';
export const REUSE_NOT_IMPLEMENTING = 'reuse_not_implementing';
export const EXTENSION_USED = 'extension_used';
export const EXTENSION_WINDOW = 'extension_window';
export const EXTENSION_TOO_LONG = 'extension_too_long';
export const REUSE_AREA_UNKNOWN = 'reuse_area_unknown';
export const ACCEPTANCE_GROUND = 'acceptance_ground';
export const REUSE_FORM_NOT_READY = 'reuse_form_not_ready';
/** 信用异常名单: already listed on the ground, or already taken off. */
export const CREDIT_LISTED = 'credit_listed';
/** 附件3's listing before the 方案 is overdue, or after a plan came in. */
export const PLAN_NOT_OVERDUE = 'plan_not_overdue';

export type ReuseRefusalReason =
  | typeof REUSE_STEP_NOT_ALLOWED | typeof REUSE_STEP_FORBIDDEN | typeof REUSE_NOT_NOTIFIED | typeof REUSE_OPEN | typeof REUSE_STALE
  | typeof REUSE_OPINION_ENTERED | typeof REUSE_OPINIONS_MISSING | typeof REUSE_NOT_A_DOCUMENT | typeof REUSE_NOT_IMPLEMENTING
  | typeof EXTENSION_USED | typeof EXTENSION_WINDOW | typeof EXTENSION_TOO_LONG | typeof REUSE_AREA_UNKNOWN
  | typeof ACCEPTANCE_GROUND | typeof REUSE_FORM_NOT_READY | typeof CREDIT_LISTED | typeof PLAN_NOT_OVERDUE;

export interface ReuseRefusal {
  reason: ReuseRefusalReason;
  message: string;
  parameter?: string;
  details?: Record<string, unknown>;
}

export const REUSE_REFUSAL_STATUS: Readonly<Record<ReuseRefusalReason, number>> = {
  [REUSE_STEP_NOT_ALLOWED]: 409,
  [REUSE_STEP_FORBIDDEN]: 403,
  [REUSE_NOT_NOTIFIED]: 409,
  [REUSE_OPEN]: 409,
  [REUSE_STALE]: 409,
  [REUSE_OPINION_ENTERED]: 409,
  [REUSE_OPINIONS_MISSING]: 409,
  [REUSE_NOT_A_DOCUMENT]: 400,
  [REUSE_NOT_IMPLEMENTING]: 409,
  [EXTENSION_USED]: 409,
  [EXTENSION_WINDOW]: 409,
  [EXTENSION_TOO_LONG]: 400,
  [REUSE_AREA_UNKNOWN]: 400,
  [ACCEPTANCE_GROUND]: 409,
  [REUSE_FORM_NOT_READY]: 409,
  [CREDIT_LISTED]: 409,
  [PLAN_NOT_OVERDUE]: 409,
};

/** The 409 of a hand edit of 效率状态/低效类型/认定时间 while a 再利用项目 is open. */
export function reuseOpenMessage(projectNumber: string, parcelCode?: string | null): string {
  return `${parcelCode ? `地块 ${parcelCode} ` : '该地块'}有进行中的再利用项目 ${projectNumber}：效率状态随再利用各步自动更新（签订协议书后为“再开发中”），不能手工修改（包括批量修改和导入）。请在再利用项目中办理 / a reuse project is open.`;
}

/** 项目编号 and 协议书编号, numbered per district and year (reuse_counters). */
export function reuseProjectNumber(districtCode: string, year: number, sequence: number): string {
  return `${districtCode}-ZY-${year}-${String(sequence).padStart(4, '0')}`;
}

export function certificateNumber(districtCode: string, year: number, sequence: number): string {
  return `${districtCode}-HZ-${year}-${String(sequence).padStart(4, '0')}`;
}

export function agreementNumber(districtCode: string, year: number, sequence: number): string {
  return `${districtCode}-XY-${year}-${String(sequence).padStart(4, '0')}`;
}
