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

/**
 * What kind of redevelopment an area is: rules bind only the kinds their text names (a rule's
 * `appliesTo`, domain/rules/rules.ts). Seed 001 第三条 limits 厦门's 新型产业用地 rules to
 * "按照新型产业用地项目再开发的情形"; seed 000 三 is the ordinary 工改工 pilot.
 */
export const AREA_KINDS = [
  {
    code: 'new_industrial', label: '新型产业用地项目再开发', short: '新型产业用地',
    source: { document: '《厦门市新型产业用地试点实施办法（征求意见稿）》', article: '第三条', text: '本办法适用于项目已按规定完成低效工业用地认定报备，按照新型产业用地项目再开发的情形' },
  },
  {
    code: 'industrial', label: '一般工改工（工业用地再开发）', short: '工改工',
    source: { document: '《厦门市低效工业用地再开发试点工作方案》（厦府办〔2022〕74号）', article: '三、试点对象', text: '本次试点对象为全市工业控制线内的低效工业用地，按照“工改工”要求，开展集中连片再开发' },
  },
  {
    code: 'other', label: '其他（工业控制线外等，报市政府研究）', short: '其他类型',
    source: { document: '《厦门市低效工业用地再开发试点工作方案》（厦府办〔2022〕74号）', article: '三、试点对象', text: '工业控制线外的低效工业用地项目因城市建设和产业发展需要确需参照本方案实施再开发改造的，由各区政府、开发区管委会报市政府研究' },
  },
] as const;
export type AreaKind = (typeof AREA_KINDS)[number]['code'];
export const AREA_KIND_CODES = AREA_KINDS.map((kind) => kind.code) as AreaKind[];
/**
 * The kind of an area that names none (checks sent without one, areas saved before kinds existed):
 * the stricter reading, so that a missing kind can only fail a rule too many, never pass one.
 * A local rule (the seeds do not say).
 */
export const DEFAULT_AREA_KIND: AreaKind = 'new_industrial';

export function areaKindLabel(code: string, form: 'label' | 'short' = 'label'): string {
  return AREA_KINDS.find((kind) => kind.code === code)?.[form] ?? code;
}

/**
 * The pieces a planner marks inside a 成片改造区域: 零星用地 and 配套用房用地. Hues no 效率状态, 成片改造区域
 * status or drawing colour uses (magenta, brown), so a marked piece is never read as a parcel's
 * status. Map layers, legends, panel swatches (client/src/ui/colour-scheme.ts) and the printed reports take them from here (the client's CSS repeats the hex values).
 */
export const MARKED_LAND_COLOURS = {
  fragment: { label: '零星用地', fill: '#d63384', outline: '#8f1d55' },
  supporting: { label: '配套用房用地', fill: '#8d5b2e', outline: '#5a3718' },
} as const;

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
