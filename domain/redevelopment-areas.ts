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

/** Who may move an area from one status to another: the planner drafts and submits, the official decides. */
export const AREA_TRANSITIONS: Readonly<Record<AreaStatus, readonly { to: AreaStatus; action: 'areas:write' | 'areas:review' }[]>> = {
  draft: [{ to: 'submitted', action: 'areas:write' }],
  submitted: [{ to: 'approved', action: 'areas:review' }, { to: 'returned', action: 'areas:review' }, { to: 'draft', action: 'areas:write' }],
  returned: [{ to: 'submitted', action: 'areas:write' }, { to: 'draft', action: 'areas:write' }],
  approved: [{ to: 'returned', action: 'areas:review' }],
};

/** An area's boundary and composition can be revised only while the planner holds it. */
export function areaEditable(status: AreaStatus): boolean {
  return status === 'draft' || status === 'returned';
}

export function areaStatusLabel(code: string): string {
  return AREA_STATUSES.find((status) => status.code === code)?.label ?? code;
}

export function redevelopmentModeLabel(code: string): string {
  return REDEVELOPMENT_MODES.find((mode) => mode.code === code)?.label ?? code;
}
