import type ExcelJS from 'exceljs';
import { inefficiencyTypeLabel } from '../../domain/efficiency.js';
import { LAND_USE_CODES } from '../../domain/land-use.js';
import type { ReportPeriod } from '../../domain/reports/report-schedules.js';
import { roundTo, squareMetresToMu } from '../../domain/units.js';
import { excelDate } from '../exports/parcel-table.js';
import type { Annex11Row } from './reports.sql.js';
import {
  LOCATION_AND_AREA_NOTES, NEW_IN_PERIOD, SUMMARY_HEADER_ROWS, chineseDate, columnNumbers, writeSummaryWorkbook,
  type SummaryFigures, type SummarySheet, type SummaryTableSpec, type SummaryWorkbook,
} from './summary-workbook.js';

/**
 * 附件11 低效产业用地认定情况汇总表 (seed 003): one row per notified case under 利用现状, built by the
 * shared 汇总表 builder (summary-workbook.ts).
 */

/** The seed's columns, in order; `group` puts a column under 利用现状. */
export const ANNEX11_COLUMNS = [
  { header: '序号', width: 6 },
  { header: '土地使用权人', width: 16, max: 30 },
  { header: '所在镇、街道或园区名称', width: 14, max: 24 },
  { header: '土地位置', width: 16, max: 30 },
  { header: '土地面积(亩)', width: 11, format: '#,##0.00' },
  { header: '土地出让合同号', width: 14, max: 22 },
  { header: '不动产权证/国有土地使用证号', width: 16, max: 26 },
  { header: '土地用途', width: 10, max: 16, group: true },
  { header: '规划用地功能', width: 10, max: 16, group: true },
  { header: '容积率', width: 7, format: '0.00', group: true },
  { header: '建筑密度(%)', width: 8, format: '0.00', group: true },
  { header: '投资强度(万元/亩)', width: 10, format: '#,##0.00', group: true },
  { header: '地均生产总值(万元/亩)', width: 10, format: '#,##0.00', group: true },
  { header: '地均税收总额(万元/亩)', width: 10, format: '#,##0.00', group: true },
  { header: '低效产业用地认定时间(年-月-日)', width: 12, format: 'yyyy-mm-dd' },
  { header: '低效产业用地认定类型', width: 14, max: 24 },
  { header: '备注', width: 20, max: 40 },
] as const satisfies readonly { header: string; width: number; max?: number; format?: string; group?: boolean }[];

export const ANNEX11_GROUP_HEADER = '利用现状';
/** ① … ⑰ (U+2460 onwards), as the seed numbers its columns. */
export const ANNEX11_COLUMN_NUMBERS = columnNumbers(ANNEX11_COLUMNS);
export const ANNEX11_NOTES = [
  ...LOCATION_AND_AREA_NOTES,
  '　　　3.低效产业用地认定时间：填写低效产业用地认定告知书发出时间',
] as const;
export const ANNEX11_HEADER_ROWS = SUMMARY_HEADER_ROWS;
export { NEW_IN_PERIOD };

export type Annex11Sheet = SummarySheet<Annex11Row>;
export type Annex11Workbook = SummaryWorkbook<Annex11Row>;
export type Annex11Figures = SummaryFigures;

/** A row's area in 亩, from the registered area (the seed's 说明 2), to the cent, as shown. */
export function rowMu(row: { registeredAreaM2: number | null }): number | null {
  return row.registeredAreaM2 === null ? null : roundTo(squareMetresToMu(row.registeredAreaM2), 2);
}

/** The 宗地 retired by a split or merge since, as the 备注 says it. */
export function retiredRemark(row: { parcelCode: string; retiredAt: Date | null; retiredReason: 'split' | 'merge' | null; successorCodes: string | null }): string | null {
  if (!row.retiredAt) return null;
  const when = new Date(row.retiredAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  return `宗地${row.parcelCode}已于${when}${row.retiredReason === 'merge' ? '合并' : '分割'}${row.successorCodes ? `为${row.successorCodes}` : ''}（本行为其当时记录）`;
}

function remarks(row: Annex11Row, period: ReportPeriod): string {
  const parts: string[] = [];
  if (row.noticeDate >= period.start) parts.push(NEW_IN_PERIOD);
  parts.push(`告知书${row.noticeNumber}`);
  if (row.registeredAreaM2 === null) parts.push('登记面积未填，土地面积待补');
  const retired = retiredRemark(row);
  if (retired) parts.push(retired);
  return parts.join('；');
}

function rowValues(row: Annex11Row, index: number, period: ReportPeriod): ExcelJS.CellValue[] {
  const landUse = row.landUseCode ? (LAND_USE_CODES[row.landUseCode] ?? row.landUseCode) : null;
  return [
    index, row.owner, row.place, row.location, rowMu(row), row.contractNo, row.certificateNo,
    landUse, row.plannedFunction, row.floorAreaRatio === null ? null : roundTo(row.floorAreaRatio, 2),
    row.buildingCoverage === null ? null : roundTo(row.buildingCoverage * 100, 2),
    row.investmentIntensity === null ? null : roundTo(row.investmentIntensity, 2),
    row.outputPerMu === null ? null : roundTo(row.outputPerMu, 2),
    row.taxPerMu === null ? null : roundTo(row.taxPerMu, 2),
    excelDate(row.noticeDate), row.types.map(inefficiencyTypeLabel).join('、'), remarks(row, period),
  ];
}

export const ANNEX11_SPEC: SummaryTableSpec<Annex11Row> = {
  columns: ANNEX11_COLUMNS,
  groupHeader: ANNEX11_GROUP_HEADER,
  notes: ANNEX11_NOTES,
  areaColumn: 5,
  areaMu: rowMu,
  isNew: (row, period) => row.noticeDate >= period.start,
  values: rowValues,
  emptyText: (until) => `截至${chineseDate(until)}，没有已发出认定告知书的低效产业用地。`,
  footNotes: (figures, period, until) => [
    `注：报告期${period.label}（${period.start}至${period.end}），应于${chineseDate(period.dueDate)}前报送；本表列出截至${chineseDate(until)}已发出认定告知书的全部低效产业用地（累计${figures.rowCount}宗），备注“${NEW_IN_PERIOD}”的${figures.newCount}宗为报告期内发出。`,
    '　　土地面积按地块卡片的登记面积（㎡）÷ 666.67 换算为亩（1 亩 = 10000/15 ㎡），保留两位小数；建筑密度取卡片的建筑系数；利用现状各项为填报时卡片记录。（本系统规则）',
  ],
};

/** The workbook as bytes, with the figures of its first sheet (the district's, or the city's whole). */
export function writeAnnex11Workbook(input: Annex11Workbook): Promise<{ buffer: Buffer; figures: Annex11Figures }> {
  return writeSummaryWorkbook(ANNEX11_SPEC, input);
}
