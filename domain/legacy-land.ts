/**
 * 历史遗留用地 (issue 18 item 2; seed 004 三(三)3: "对于历史形成的没有合法用地手续的建设用地，根据全国国土调查
 * 结果，区分发生的不同时期，分类明确认定标准和处置政策，予以妥善处理"). The state machine is pure code
 * here; the server enforces it (409 naming the allowed steps), the client offers only those.
 */
export const LEGACY_STATUSES = [
  { code: 'pending', label: '待认定', color: '#f2b134' },
  { code: 'confirmed', label: '已认定', color: '#d94841' },
  { code: 'disposing', label: '处置中', color: '#7b5cd6' },
  { code: 'disposed', label: '已处置', color: '#2f80c9' },
] as const;

export type LegacyStatus = (typeof LEGACY_STATUSES)[number]['code'];
export const LEGACY_STATUS_CODES = LEGACY_STATUSES.map((status) => status.code) as LegacyStatus[];

/**
 * Which state may follow which. *Local rule* where the seed is silent: a record found not to be
 * 历史遗留用地 at 认定 goes back to 待认定 only by correcting it (no 不予认定 state), and 已认定 may go
 * back to 待认定 when the 认定 is withdrawn; 已处置 is final.
 */
export const LEGACY_TRANSITIONS: Readonly<Record<LegacyStatus, readonly LegacyStatus[]>> = {
  pending: ['confirmed'],
  confirmed: ['disposing', 'pending'],
  disposing: ['disposed'],
  disposed: [],
};

export function legacyStatusLabel(code: string | null | undefined): string {
  return LEGACY_STATUSES.find((status) => status.code === code)?.label ?? (code ?? '');
}

/** The states a record may move to from `status` (none for an unknown one). */
export function legacyNextStatuses(status: string): readonly LegacyStatus[] {
  return LEGACY_TRANSITIONS[status as LegacyStatus] ?? [];
}

/** Only a 待认定 record's survey facts (shape, period, 图斑) may change; standards and policies until 已处置. */
export function legacyGeometryEditable(status: string): boolean {
  return status === 'pending';
}

/** One entry of a configurable list (发生时期, 问题类别). */
export interface StockListItem {
  code: string;
  label: string;
  note?: string;
}

export const STOCK_LIST_KINDS = [
  { code: 'legacy_period', label: '历史遗留用地发生时期' },
  { code: 'problem_category', label: '问题类别' },
] as const;
export type StockListKind = (typeof STOCK_LIST_KINDS)[number]['code'];
export const STOCK_LIST_KIND_CODES = STOCK_LIST_KINDS.map((kind) => kind.code) as StockListKind[];
