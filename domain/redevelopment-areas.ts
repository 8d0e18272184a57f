/**
 * 成片改造区域 (contiguous redevelopment areas): the codes stored in the database and shown in the
 * UI. Modes come from seed 000 (厦府办〔2022〕74号 四、再开发模式), plus a free one.
 */
export const REDEVELOPMENT_MODES = [
  { code: 'government_entrusted', label: '政府委托市场主体整备开发' },
  { code: 'owner_self', label: '土地权利人自行改造' },
  { code: 'developer_acquisition', label: '开发企业收购改造' },
  { code: 'other', label: '其他（自填）' },
] as const;
export type RedevelopmentMode = (typeof REDEVELOPMENT_MODES)[number]['code'];
export const REDEVELOPMENT_MODE_CODES = REDEVELOPMENT_MODES.map((mode) => mode.code) as RedevelopmentMode[];

export const AREA_STATUSES = [
  { code: 'draft', label: '草案', color: '#8c96a3' },
  { code: 'submitted', label: '报审', color: '#e0a12b' },
  { code: 'approved', label: '批准', color: '#3f9b5a' },
  { code: 'returned', label: '退回', color: '#c8453b' },
] as const;
export type AreaStatus = (typeof AREA_STATUSES)[number]['code'];
export const AREA_STATUS_CODES = AREA_STATUSES.map((status) => status.code) as AreaStatus[];

/**
 * Who may move an area from one status to another: the planner drafts and submits, the official
 * decides. An approved area leaves 批准 only by its own recorded actions (AREA_REVOKE, AREA_REVISE).
 */
export const AREA_TRANSITIONS: Readonly<Record<AreaStatus, readonly { to: AreaStatus; action: 'areas:write' | 'areas:review' }[]>> = {
  draft: [{ to: 'submitted', action: 'areas:write' }],
  submitted: [{ to: 'approved', action: 'areas:review' }, { to: 'returned', action: 'areas:review' }, { to: 'draft', action: 'areas:write' }],
  returned: [{ to: 'submitted', action: 'areas:write' }, { to: 'draft', action: 'areas:write' }],
  approved: [],
};

/** 撤销批准: an official takes an approval back, with a reason; the area goes back to the planner. */
export const AREA_REVOKE = { from: 'approved', to: 'returned', action: 'areas:review' } as const;
/** 开始修订: a change to an approved area starts a new draft version; the approved one stays as it was. */
export const AREA_REVISE = { from: 'approved', to: 'draft', action: 'areas:write' } as const;

/** What each entry of an area's 审批记录 was. */
export const AREA_REVIEW_ACTIONS = [
  { code: 'submit', label: '报审' },
  { code: 'approve', label: '批准' },
  { code: 'return', label: '退回' },
  { code: 'withdraw', label: '撤回为草案' },
  { code: 'revoke', label: '撤销批准' },
  { code: 'revise', label: '开始修订' },
] as const;
export type AreaReviewAction = (typeof AREA_REVIEW_ACTIONS)[number]['code'];
export const AREA_REVIEW_ACTION_CODES = AREA_REVIEW_ACTIONS.map((action) => action.code) as AreaReviewAction[];

/** The review a status change records (the transition is one of AREA_TRANSITIONS). */
export function reviewActionOf(to: AreaStatus): AreaReviewAction {
  return to === 'submitted' ? 'submit' : to === 'approved' ? 'approve' : to === 'returned' ? 'return' : 'withdraw';
}

/** 退回 and 撤销批准 must say why. */
export function reviewNeedsNote(action: AreaReviewAction): boolean {
  return action === 'return' || action === 'revoke';
}

export function reviewActionLabel(code: string): string {
  return AREA_REVIEW_ACTIONS.find((action) => action.code === code)?.label ?? code;
}

/** An area's boundary and composition can be revised only while the planner holds it. */
export function areaEditable(status: AreaStatus): boolean {
  return status === 'draft' || status === 'returned';
}

/** Deleting: only a draft or returned area with no approval in force (an approval is revoked first). */
export function areaDeletable(status: AreaStatus, approvedVersion: number | null): boolean {
  return areaEditable(status) && approvedVersion === null;
}

/** The steps open to an area, in words (for 409 answers): status changes, 撤销批准, 开始修订, 修改, 删除. */
export function areaAllowedSteps(status: AreaStatus, approvedVersion: number | null): string[] {
  const steps: string[] = AREA_TRANSITIONS[status].map((transition) => reviewActionLabel(reviewActionOf(transition.to)));
  if (status === AREA_REVOKE.from) steps.push('撤销批准（审核人员，须写明原因）', '开始修订（另起草案版本）');
  if (areaEditable(status)) steps.push('修改');
  if (areaDeletable(status, approvedVersion)) steps.push('删除');
  return steps;
}

export function areaStatusLabel(code: string): string {
  return AREA_STATUSES.find((status) => status.code === code)?.label ?? code;
}

export function redevelopmentModeLabel(code: string): string {
  return REDEVELOPMENT_MODES.find((mode) => mode.code === code)?.label ?? code;
}
