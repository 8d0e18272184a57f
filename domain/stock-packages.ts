import type { Action } from './permissions.js';

/**
 * 底数上图入库 and its submission (issue 18 item 4; seed 004 五(二): "2024年3月底前，完成低效用地底数和历史遗留
 * 用地上图入库，经区人民政府同意后，提交市规划资源局审核"). A district's 两库一清单 as a dated package. The
 * state machine is pure code here; the server enforces it (409 naming the allowed steps).
 */
export const PACKAGE_STATUSES = [
  { code: 'draft', label: '编制中', color: '#909399' },
  { code: 'reported', label: '已报区政府', color: '#e6a23c' },
  { code: 'consented', label: '区政府已同意', color: '#409eff' },
  { code: 'submitted', label: '已提交市局', color: '#7b5cd6' },
  { code: 'approved', label: '通过', color: '#67c23a' },
  { code: 'returned', label: '退回', color: '#f56c6c' },
] as const;

export type PackageStatus = (typeof PACKAGE_STATUSES)[number]['code'];
export const PACKAGE_STATUS_CODES = PACKAGE_STATUSES.map((status) => status.code) as PackageStatus[];

/**
 * Which state may follow which. *Local rule* where the seed is silent: the 区政府 may send a reported
 * package back to 编制中 (不同意, with its reasons); 通过 and 退回 are final (after 退回 the district
 * assembles the next version of its package, which is compared with the returned one).
 */
export const PACKAGE_TRANSITIONS: Readonly<Record<PackageStatus, readonly PackageStatus[]>> = {
  draft: ['reported'],
  reported: ['consented', 'draft'],
  consented: ['submitted'],
  submitted: ['approved', 'returned'],
  approved: [],
  returned: [],
};

/** The step into each state, as users name it, and who may take it (the permissions matrix). */
export const PACKAGE_STEPS: Readonly<Record<Exclude<PackageStatus, never>, { verb: string; action: Action; route: string }>> = {
  draft: { verb: '退回编制（区政府未同意）', action: 'packages:submit', route: 'decline' },
  reported: { verb: '报区政府', action: 'packages:assemble', route: 'report' },
  consented: { verb: '登记区政府同意', action: 'packages:submit', route: 'consent' },
  submitted: { verb: '提交市规划资源局', action: 'packages:submit', route: 'submit' },
  approved: { verb: '审核通过', action: 'packages:review', route: 'review' },
  returned: { verb: '审核退回', action: 'packages:review', route: 'review' },
};

/** States on the district's side: a district has at most one package in them (the open one). */
export const PACKAGE_OPEN_STATUSES: readonly PackageStatus[] = ['draft', 'reported', 'consented'];

/** Only a 编制中 package may be re-assembled (its snapshot taken again); later it is frozen. */
export function packageEditable(status: string): boolean {
  return status === 'draft';
}

export function packageStatusLabel(code: string | null | undefined): string {
  return PACKAGE_STATUSES.find((status) => status.code === code)?.label ?? (code ?? '');
}

export function packageNextStatuses(status: string): readonly PackageStatus[] {
  return PACKAGE_TRANSITIONS[status as PackageStatus] ?? [];
}

/** "可进行：报区政府" — the allowed steps from a state, for 409 messages. */
export function allowedStepsText(status: string): string {
  const next = packageNextStatuses(status);
  return next.length === 0 ? '无（已是终态）' : next.map((to) => `${PACKAGE_STEPS[to].verb}（→ ${packageStatusLabel(to)}）`).join('、');
}

/**
 * The parcels of the 低效用地底数. *Local rule*: parcels 疑似低效, 已认定低效 and 再开发中 (a parcel
 * being redeveloped stays in the stock until 已完成再开发); 效率达标 and 未评估 parcels are not in it.
 */
export const PACKAGE_PARCEL_STATUSES = ['suspected', 'identified', 'redeveloping'] as const;

export const PACKAGE_ITEM_KINDS = [
  { code: 'parcel', label: '低效用地' },
  { code: 'legacy', label: '历史遗留用地' },
  { code: 'problem', label: '问题' },
] as const;
export type PackageItemKind = (typeof PACKAGE_ITEM_KINDS)[number]['code'];
export const PACKAGE_ITEM_KIND_CODES = PACKAGE_ITEM_KINDS.map((kind) => kind.code) as PackageItemKind[];

export function packageItemKindLabel(code: string): string {
  return PACKAGE_ITEM_KINDS.find((kind) => kind.code === code)?.label ?? code;
}

/** Columns that change with every write and say nothing of the record: left out of comparisons. */
export const COMPARISON_IGNORED_COLUMNS = [
  'version', 'updated_at', 'updated_by', 'created_at', 'created_by', 'status_at', 'area_m2', 'geom', 'geom_3857', 'label_point',
] as const;

/** Names of the columns of 历史遗留用地 and problems in a comparison (parcels use the parcel field list). */
export const SNAPSHOT_COLUMN_LABELS: Readonly<Record<string, string>> = {
  geometry: '图形',
  number: '编号',
  name: '名称',
  location: '坐落',
  user_name: '使用人',
  current_use: '现状用途',
  land_use_code: '地类编码',
  floor_area_m2: '建筑面积',
  period: '发生时期',
  period_version: '发生时期清单版本',
  survey_year: '调查年度',
  survey_bsm: '图斑标识码',
  standard: '认定标准',
  disposal_policy: '处置政策',
  status: '状态',
  note: '说明',
  source: '来源',
  district_code: '行政区划代码',
  year: '年度',
  sequence: '序号',
  category: '问题类别',
  category_version: '类别清单版本',
  title: '问题',
  description: '问题描述',
  owner_request: '盘活诉求',
  department: '责任部门',
  due_date: '办结时限',
  parcel_ids: '关联地块',
  area_ids: '关联成片改造区域',
  outcome: '办理结果',
};
