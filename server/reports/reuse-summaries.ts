import type ExcelJS from 'exceljs';
import { reuseMeasureLabel } from '../../domain/identification/steps.js';
import { LAND_USE_CODES } from '../../domain/land-use.js';
import type { ReportPeriod } from '../../domain/reports/report-schedules.js';
import { roundTo } from '../../domain/units.js';
import { excelDate } from '../exports/parcel-table.js';
import { retiredRemark, rowMu } from './annex11-workbook.js';
import type { ReuseReportRow } from './reports.sql.js';
import { AREA_RULE_NOTE, LOCATION_AND_AREA_NOTES, NEW_IN_PERIOD, chineseDate, type SummaryColumn, type SummaryTableSpec } from './summary-workbook.js';

/**
 * 附件12 低效产业用地再利用方案审批情况汇总表 and 附件13 低效产业用地验收情况汇总表 (seed 003 四（一）2–3,
 * "每季度末月25日前"): the seed's columns exactly, laid out by the shared 汇总表 builder like 附件11.
 * 附件12 reports each approved plan's 再利用目标 (附件4), 附件13 each accepted project's 再利用成效 from its
 * 调查表（验收）.
 */

const LEAD: readonly SummaryColumn[] = [
  { header: '序号', width: 6 },
  { header: '土地使用权人', width: 16, max: 30 },
];
const PARCEL: readonly SummaryColumn[] = [
  { header: '土地位置', width: 16, max: 30 },
  { header: '土地面积（亩）', width: 11, format: '#,##0.00' },
  { header: '土地出让合同号', width: 14, max: 22 },
  { header: '不动产权证/国有土地使用证号', width: 16, max: 26 },
];
const MONEY = '#,##0.00';

export const ANNEX12_COLUMNS: readonly SummaryColumn[] = [
  ...LEAD,
  { header: '所在镇、街道或园名称', width: 14, max: 24 },
  ...PARCEL,
  { header: '再利用方案批准时间（年-月-日）', width: 12, format: 'yyyy-mm-dd' },
  { header: '再利用方式', width: 12, max: 20 },
  { header: '再利用主体', width: 12, max: 20 },
  { header: '土地用途', width: 10, max: 16, group: true },
  { header: '规划地功能', width: 10, max: 16, group: true },
  { header: '容积率', width: 7, format: '0.00', group: true },
  { header: '建筑密度（%）', width: 8, format: '0.00', group: true },
  { header: '投资强度（万元/亩）', width: 10, format: MONEY, group: true },
  { header: '地均生产总值（万元/亩）', width: 10, format: MONEY, group: true },
  { header: '地均税收总额（万元/亩）', width: 10, format: MONEY, group: true },
  { header: '备注', width: 20, max: 40 },
];

export const ANNEX13_COLUMNS: readonly SummaryColumn[] = [
  ...LEAD,
  { header: '所在镇、街道或园区名称', width: 14, max: 24 },
  ...PARCEL,
  { header: '再利用验收时间（年-月-日）', width: 12, format: 'yyyy-mm-dd' },
  { header: '土地用途', width: 10, max: 16, group: true },
  { header: '容积率', width: 7, format: '0.00', group: true },
  { header: '建筑密度（%）', width: 8, format: '0.00', group: true },
  { header: '投资强度（万元/亩）', width: 10, format: MONEY, group: true },
  { header: '地均生产总值（万元/亩）', width: 10, format: MONEY, group: true },
  { header: '地均税收总额（万元/亩）', width: 10, format: MONEY, group: true },
  { header: '其他', width: 16, max: 30, group: true },
  { header: '备注', width: 20, max: 40 },
];

export const ANNEX12_NOTES = [...LOCATION_AND_AREA_NOTES, '　　　3.再利用方案批准时间：填写区政府批复再利用方案时间'] as const;
export const ANNEX13_NOTES = [...LOCATION_AND_AREA_NOTES, '　　　3.再利用验收时间：填写低效产业用地再利用验收核准书发出时间'] as const;

const num = (value: unknown, decimals = 2): number | null => (typeof value === 'number' && Number.isFinite(value) ? roundTo(value, decimals) : null);
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);

function remarks(row: ReuseReportRow, date: string | null, period: ReportPeriod, document: string | null): string {
  const parts: string[] = [];
  if (date && date >= period.start) parts.push(NEW_IN_PERIOD);
  if (document) parts.push(document);
  parts.push(`项目${row.projectNumber}`);
  if (row.registeredAreaM2 === null) parts.push('登记面积未填，土地面积待补');
  const retired = retiredRemark(row);
  if (retired) parts.push(retired);
  return parts.join('；');
}

function annex12Values(row: ReuseReportRow, index: number, period: ReportPeriod): ExcelJS.CellValue[] {
  const plan = row.plan ?? {};
  return [
    index, row.owner, row.place, row.location, rowMu(row), row.contractNo, row.certificateNo,
    row.approvalDate ? excelDate(row.approvalDate) : null, typeof plan.method === 'string' ? reuseMeasureLabel(plan.method) : null, str(plan.reuseSubject) ?? str(plan.builder),
    str(plan.targetLandUse), str(plan.targetPlannedFunction), num(plan.targetFar), num(plan.targetDensity), num(plan.targetInvestmentIntensity),
    num(plan.targetOutputPerMu), num(plan.targetTaxPerMu), remarks(row, row.approvalDate, period, row.approvalNumber ? `批复${row.approvalNumber}` : null),
  ];
}

function annex13Values(row: ReuseReportRow, index: number, period: ReportPeriod): ExcelJS.CellValue[] {
  const survey = (row.acceptance?.survey ?? {}) as Record<string, unknown>;
  const mu = rowMu(row);
  const invested = num(survey.investedAmount);
  const coverage = num(survey.buildingCoverage, 6);
  const landUse = row.landUseCode ? (LAND_USE_CODES[row.landUseCode] ?? row.landUseCode) : null;
  return [
    index, row.owner, row.place, row.location, mu, row.contractNo, row.certificateNo,
    row.certificateDate ? excelDate(row.certificateDate) : null, landUse, num(survey.floorAreaRatio), coverage === null ? null : roundTo(coverage * 100, 2),
    invested !== null && mu ? roundTo(invested / mu, 2) : null, num(survey.outputPerMu), num(survey.taxPerMu), str(row.acceptance?.completion),
    remarks(row, row.certificateDate, period, row.certificateNumber ? `核准书${row.certificateNumber}` : null),
  ];
}

function quarterNote(figures: { rowCount: number; newCount: number }, period: ReportPeriod, until: string, what: string): string {
  return `注：报告期${period.label}（${period.start}至${period.end}），应于${chineseDate(period.dueDate)}前报送；本表列出截至${chineseDate(until)}${what}的全部项目（累计${figures.rowCount}宗），备注“${NEW_IN_PERIOD}”的${figures.newCount}宗为报告期内${what.startsWith('区政府') ? '批复' : '验收'}。`;
}

export const ANNEX12_SPEC: SummaryTableSpec<ReuseReportRow> = {
  columns: ANNEX12_COLUMNS,
  groupHeader: '再利用目标',
  notes: ANNEX12_NOTES,
  areaColumn: 5,
  areaMu: rowMu,
  isNew: (row, period) => row.approvalDate !== null && row.approvalDate >= period.start,
  values: annex12Values,
  emptyText: (until) => `截至${chineseDate(until)}，没有经区政府批复的低效产业用地再利用方案。`,
  footNotes: (figures, period, until) => [
    quarterNote(figures, period, until, '区政府已批复再利用方案'),
    `${AREA_RULE_NOTE.slice(0, -8)}；再利用方式、再利用主体与再利用目标取自批复的再利用方案（附件4）。（本系统规则）`,
  ],
};

export const ANNEX13_SPEC: SummaryTableSpec<ReuseReportRow> = {
  columns: ANNEX13_COLUMNS,
  groupHeader: '再利用成效',
  notes: ANNEX13_NOTES,
  areaColumn: 5,
  areaMu: rowMu,
  isNew: (row, period) => row.certificateDate !== null && row.certificateDate >= period.start,
  values: annex13Values,
  emptyText: (until) => `截至${chineseDate(until)}，没有已发出验收核准书的低效产业用地。`,
  footNotes: (figures, period, until) => [
    quarterNote(figures, period, until, '已发出验收核准书'),
    `${AREA_RULE_NOTE.slice(0, -8)}；再利用成效取自验收申请时的调查表（验收）：建筑密度取建筑系数，投资强度 = 投资额 ÷ 土地面积（亩），其他为完成情况；土地用途为地块卡片记录。（本系统规则）`,
  ],
};
