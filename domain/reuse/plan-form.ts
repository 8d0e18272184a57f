import { REUSE_MEASURES } from '../identification/steps.js';
import { PLAN_ISSUES } from './steps.js';

/**
 * 低效产业用地再利用方案 (seed 003 附件4) as a form: its four sections plus the 再利用目标 that 附件12
 * reports, and what comes from the card and the 认定案卷 (the snapshot, never typed twice). One list
 * drives the form in the client, the version compare and the printed plan.
 */

export type PlanFieldKind = 'text' | 'longtext' | 'number' | 'month' | 'measure' | 'issues' | 'uses' | 'indicators' | 'area';

export interface PlanFieldDefinition {
  key: string;
  label: string;
  unit?: string;
  kind: PlanFieldKind;
  /** 附件4 section (一 … 四) or 五 附件12 再利用目标. */
  section: PlanSectionCode;
  required?: boolean;
}

export const PLAN_SECTIONS = [
  { code: 'basic', title: '一、地块基本情况' },
  { code: 'current', title: '二、土地利用现状情况' },
  { code: 'problems', title: '三、存在低效利用主要问题' },
  { code: 'reuse', title: '四、拟实施再利用情况' },
  { code: 'targets', title: '再利用目标（附件12 填报）' },
] as const;
export type PlanSectionCode = (typeof PLAN_SECTIONS)[number]['code'];

export const PLAN_FIELDS: readonly PlanFieldDefinition[] = [
  { key: 'acquisitionBasis', label: '土地取得依据（出让合同等）', kind: 'text', section: 'basic' },
  { key: 'industryRequirement', label: '产业要求（投资发展协议）', kind: 'longtext', section: 'basic' },
  { key: 'registration', label: '确权登记情况', kind: 'text', section: 'basic' },
  { key: 'uses', label: '现用途（分用途列出用途、面积及使用单位）', kind: 'uses', section: 'current' },
  { key: 'projectName', label: '投产项目', kind: 'text', section: 'current' },
  { key: 'industryType', label: '产业类型', kind: 'text', section: 'current' },
  { key: 'indicators', label: '约定指标与实际值', kind: 'indicators', section: 'problems' },
  { key: 'issues', label: '存在情况', kind: 'issues', section: 'problems' },
  { key: 'penalties', label: '处理（处罚）情况', kind: 'longtext', section: 'problems' },
  { key: 'method', label: '再利用方式', kind: 'measure', section: 'reuse', required: true },
  { key: 'workContent', label: '工作内容、利用方式和保障措施', kind: 'longtext', section: 'reuse' },
  { key: 'builder', label: '建设主体', kind: 'text', section: 'reuse', required: true },
  { key: 'plannedInvestment', label: '计划投入建设资金', unit: '万元', kind: 'number', section: 'reuse' },
  { key: 'plannedCompletion', label: '计划完成年月', kind: 'month', section: 'reuse', required: true },
  { key: 'useAfter', label: '再利用后用途', kind: 'text', section: 'reuse', required: true },
  { key: 'industryAfter', label: '再利用后产业', kind: 'text', section: 'reuse' },
  { key: 'floorAreaAfterM2', label: '再利用后建筑面积', unit: '平方米', kind: 'number', section: 'reuse' },
  { key: 'farAfter', label: '再利用后容积率', kind: 'number', section: 'reuse' },
  { key: 'expectedOutput', label: '预计年产值', unit: '万元', kind: 'number', section: 'reuse' },
  { key: 'benefits', label: '综合效益', kind: 'longtext', section: 'reuse' },
  { key: 'areaId', label: '所在成片改造区域', kind: 'area', section: 'reuse' },
  { key: 'targetLandUse', label: '土地用途', kind: 'text', section: 'targets' },
  { key: 'targetPlannedFunction', label: '规划用地功能', kind: 'text', section: 'targets' },
  { key: 'targetFar', label: '容积率', kind: 'number', section: 'targets' },
  { key: 'targetDensity', label: '建筑密度', unit: '%', kind: 'number', section: 'targets' },
  { key: 'targetInvestmentIntensity', label: '投资强度', unit: '万元/亩', kind: 'number', section: 'targets' },
  { key: 'targetOutputPerMu', label: '地均生产总值', unit: '万元/亩', kind: 'number', section: 'targets' },
  { key: 'targetTaxPerMu', label: '地均税收总额', unit: '万元/亩', kind: 'number', section: 'targets' },
  { key: 'reuseSubject', label: '再利用主体', kind: 'text', section: 'targets' },
];

/** What the card and the 认定案卷 give the plan (shown read-only, kept with each version). */
export interface PlanSnapshotDefinition {
  key: string;
  label: string;
  unit?: string;
  section: PlanSectionCode;
  source: string;
}

export const PLAN_SNAPSHOT_FIELDS: readonly PlanSnapshotDefinition[] = [
  { key: 'noticeNumber', label: '认定告知书编号', section: 'basic', source: '认定案卷' },
  { key: 'noticeDate', label: '认定时间（告知书日期）', section: 'basic', source: '认定案卷' },
  { key: 'location', label: '位置', section: 'basic', source: '地块卡片 土地位置(坐落)' },
  { key: 'areaHa', label: '总面积', unit: '公顷', section: 'basic', source: '地块卡片 土地面积(登记)，无则椭球面积' },
  { key: 'owner', label: '土地使用权人', section: 'basic', source: '地块卡片' },
  { key: 'certificateNo', label: '不动产权证号（国有土地使用证号）', section: 'basic', source: '地块卡片' },
  { key: 'contractNo', label: '土地出让合同号', section: 'basic', source: '地块卡片' },
  { key: 'landAcquiredAt', label: '土地取得时间', section: 'basic', source: '地块卡片' },
  { key: 'landUse', label: '现用途', section: 'current', source: '地块卡片 土地用途' },
  { key: 'floorAreaM2', label: '现有建筑面积', unit: '平方米', section: 'current', source: '地块卡片' },
  { key: 'floorAreaRatio', label: '容积率', section: 'current', source: '地块卡片' },
  { key: 'buildingCoverage', label: '建筑系数', unit: '%', section: 'current', source: '地块卡片' },
  { key: 'industry', label: '国民经济行业分类', section: 'current', source: '地块卡片' },
  { key: 'fixedAssetInvestment', label: '已投入固定资产投资总额', unit: '万元', section: 'current', source: '地块卡片' },
  { key: 'averageOutputPerMu', label: '近三年平均产值', unit: '万元/亩', section: 'current', source: '地块卡片 年度产值' },
  { key: 'averageTaxPerMu', label: '近三年平均税收总额', unit: '万元/亩', section: 'current', source: '地块卡片 年度税收' },
  { key: 'figureYears', label: '近三年（年度）', section: 'current', source: '地块卡片 年度产值/税收' },
  { key: 'investmentAgreementNo', label: '项目投资发展协议号', section: 'problems', source: '地块卡片' },
  { key: 'agreedFloorAreaRatio', label: '约定容积率', section: 'problems', source: '地块卡片' },
  { key: 'agreedBuildingDensity', label: '约定建筑密度', unit: '%', section: 'problems', source: '地块卡片' },
  { key: 'agreedInvestmentIntensity', label: '约定投资强度', unit: '万元/亩', section: 'problems', source: '地块卡片' },
  { key: 'agreedCompletionDate', label: '约定竣工时间', section: 'problems', source: '地块卡片' },
  { key: 'inefficiencyTypes', label: '认定的低效类型', section: 'problems', source: '认定案卷' },
];

export function methodLabel(code: unknown): string {
  return REUSE_MEASURES.find((measure) => measure.code === code)?.label ?? (typeof code === 'string' ? code : '');
}

/** A value of the plan or its snapshot as text, the same in the compare, the page and the PDF. */
export function planValueText(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (key === 'method') return methodLabel(value);
  if (key === 'issues' && Array.isArray(value)) return value.map((code) => PLAN_ISSUES.find((issue) => issue.code === code)?.label ?? String(code)).join('、') || '—';
  if (key === 'uses' && Array.isArray(value)) {
    return value.map((row: { use?: string; areaM2?: number | null; user?: string }) => `${row.use ?? ''}${row.areaM2 != null ? ` ${row.areaM2} 平方米` : ''}${row.user ? `（${row.user}）` : ''}`).join('；') || '—';
  }
  if (key === 'indicators' && Array.isArray(value)) {
    return value.map((row: { indicator?: string; agreed?: string; actual?: string }) => `${row.indicator ?? ''}：约定 ${row.agreed || '—'}，实际 ${row.actual || '—'}`).join('；') || '—';
  }
  if (Array.isArray(value)) return value.join('、');
  return String(value);
}

export interface PlanCompareRow {
  section: PlanSectionCode;
  key: string;
  label: string;
  source: 'plan' | 'snapshot';
  from: string;
  to: string;
  changed: boolean;
}

/** Two versions field by field: every plan field, then every card/case value kept with them. */
export function comparePlans(
  from: { fields: Record<string, unknown>; snapshot: Record<string, unknown> },
  to: { fields: Record<string, unknown>; snapshot: Record<string, unknown> },
): PlanCompareRow[] {
  const rows: PlanCompareRow[] = [];
  for (const field of PLAN_FIELDS) {
    const a = planValueText(field.key, from.fields[field.key]);
    const b = planValueText(field.key, to.fields[field.key]);
    rows.push({ section: field.section, key: field.key, label: field.unit ? `${field.label}（${field.unit}）` : field.label, source: 'plan', from: a, to: b, changed: a !== b });
  }
  for (const field of PLAN_SNAPSHOT_FIELDS) {
    const a = planValueText(field.key, from.snapshot[field.key]);
    const b = planValueText(field.key, to.snapshot[field.key]);
    rows.push({ section: field.section, key: field.key, label: field.unit ? `${field.label}（${field.unit}）` : field.label, source: 'snapshot', from: a, to: b, changed: a !== b });
  }
  return rows;
}
