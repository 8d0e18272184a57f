import ExcelJS from 'exceljs';
import { inefficiencyTypeLabel } from '../../domain/efficiency.js';
import { LAND_USE_CODES } from '../../domain/land-use.js';
import type { ReportPeriod } from '../../domain/reports/report-schedules.js';
import { roundTo, squareMetresToMu } from '../../domain/units.js';
import { HEADER_FILL, HEADER_FONT, THIN, columnLetter } from '../exports/excel-style.js';
import { displayWidth, excelDate } from '../exports/parcel-table.js';
import type { Annex11Row } from './reports.sql.js';

/**
 * 附件11 低效产业用地认定情况汇总表 (seed 003) as an Excel sheet laid out like the seed's form: title,
 * 填报单位/填报时间, the two-level header (利用现状 over its seven columns), the column-number row
 * ①–⑰, one row per notified case, the 合计 row and the seed's 说明 lines. Numbers are numbers
 * with formats, the 认定时间 a date, A4 landscape with the header rows repeated on every page.
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
export const ANNEX11_COLUMN_NUMBERS = ANNEX11_COLUMNS.map((_, index) => String.fromCodePoint(0x2460 + index));
export const ANNEX11_NOTES = [
  '说明：1.土地位置：填写土地使用权出让合同或者不动产权证/国有土地使用证记载位置',
  '　　　2.土地面积：填写土地使用权出让合同记载实用地面积，或者不动产权证/国有土地使用证记载土地使用权面积',
  '　　　3.低效产业用地认定时间：填写低效产业用地认定告知书发出时间',
] as const;
/** Rows before the data: title, 填报单位, two header rows, the column numbers. */
export const ANNEX11_HEADER_ROWS = 5;
export const NEW_IN_PERIOD = '本期新增';

const COLUMN_COUNT = ANNEX11_COLUMNS.length;
const AREA_COLUMN = 5;
const FIRST_GROUP_COLUMN = ANNEX11_COLUMNS.findIndex((column) => 'group' in column) + 1;
const LAST_GROUP_COLUMN = COLUMN_COUNT - [...ANNEX11_COLUMNS].reverse().findIndex((column) => 'group' in column);
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, bottom: THIN, left: THIN, right: THIN };

export interface Annex11Sheet {
  name: string;
  /** 厦门市湖里区低效产业用地认定情况汇总表 */
  title: string;
  /** 填报单位（盖章）：厦门市湖里区人民政府 */
  unitLine: string;
  /** Groups of rows (one per district; a city sheet has several, each with its 小计). */
  groups: { label: string; rows: Annex11Row[] }[];
}

export interface Annex11Workbook {
  period: ReportPeriod;
  /** YYYY-MM-DD: 填报时间, and the day the rows were read. */
  filledOn: string;
  creator: string;
  sheets: Annex11Sheet[];
}

/** What the sheet's figures add up to, for the caller's summary. */
export interface Annex11Figures {
  rowCount: number;
  newCount: number;
  areaMu: number;
}

/** A row's area in 亩, from the registered area (the seed's 说明 2), to the cent, as shown. */
export function rowMu(row: Annex11Row): number | null {
  return row.registeredAreaM2 === null ? null : roundTo(squareMetresToMu(row.registeredAreaM2), 2);
}

function chineseDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

function remarks(row: Annex11Row, period: ReportPeriod): string {
  const parts: string[] = [];
  if (row.noticeDate >= period.start) parts.push(NEW_IN_PERIOD);
  parts.push(`告知书${row.noticeNumber}`);
  if (row.registeredAreaM2 === null) parts.push('登记面积未填，土地面积待补');
  if (row.retiredAt) {
    const when = new Date(row.retiredAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    parts.push(`宗地${row.parcelCode}已于${when}${row.retiredReason === 'merge' ? '合并' : '分割'}${row.successorCodes ? `为${row.successorCodes}` : ''}（本行为其当时记录）`);
  }
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

/** Column widths that fit the widest value (wrapped at each column's cap) and the header's wrapped lines. */
function widths(rows: readonly ExcelJS.CellValue[][]): number[] {
  return ANNEX11_COLUMNS.map((column, index) => {
    const cap = 'max' in column ? column.max : column.width;
    const widest = Math.max(0, ...rows.map((values) => {
      const value = values[index];
      if (typeof value === 'string') return displayWidth(value);
      if (typeof value === 'number') return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).length;
      return 0;
    }));
    return Math.min(cap, Math.max(column.width, widest + 2));
  });
}

function styleHeader(cell: ExcelJS.Cell): void {
  cell.font = HEADER_FONT;
  cell.fill = HEADER_FILL;
  cell.border = BORDER;
  cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
}

function addSheet(workbook: ExcelJS.Workbook, sheet: Annex11Sheet, input: Annex11Workbook): Annex11Figures {
  const { period } = input;
  const ws = workbook.addWorksheet(sheet.name, {
    views: [{ state: 'frozen', xSplit: 2, ySplit: ANNEX11_HEADER_ROWS, topLeftCell: `C${ANNEX11_HEADER_ROWS + 1}`, activeCell: `C${ANNEX11_HEADER_ROWS + 1}` }],
    pageSetup: {
      paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `3:${ANNEX11_HEADER_ROWS}`,
    },
    headerFooter: { oddFooter: `&L${sheet.title}&R第 &P 页，共 &N 页` },
  });
  const allRows = sheet.groups.flatMap((group) => group.rows);
  const valueRows = allRows.map((row, index) => rowValues(row, index + 1, period));
  const columnWidths = widths(valueRows);
  ws.columns = ANNEX11_COLUMNS.map((column, index) => ({ width: columnWidths[index], style: 'format' in column ? { numFmt: column.format } : {} }));

  const title = ws.getRow(1);
  title.getCell(1).value = sheet.title;
  title.font = { bold: true, size: 16 };
  title.height = 30;
  title.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
  ws.mergeCells(1, 1, 1, COLUMN_COUNT);

  const unit = ws.getRow(2);
  unit.getCell(1).value = sheet.unitLine;
  unit.getCell(FIRST_GROUP_COLUMN + 3).value = `填报时间：${chineseDate(input.filledOn)}`;
  ws.mergeCells(2, 1, 2, FIRST_GROUP_COLUMN + 2);
  ws.mergeCells(2, FIRST_GROUP_COLUMN + 3, 2, COLUMN_COUNT);
  unit.getCell(FIRST_GROUP_COLUMN + 3).alignment = { horizontal: 'right' };
  unit.height = 20;

  // Two header levels: every column spans rows 3–4, except 利用现状 over its seven columns.
  const top = ws.getRow(3);
  const sub = ws.getRow(4);
  ANNEX11_COLUMNS.forEach((column, index) => {
    const number = index + 1;
    if ('group' in column) {
      sub.getCell(number).value = column.header;
    } else {
      top.getCell(number).value = column.header;
      ws.mergeCells(3, number, 4, number);
    }
  });
  top.getCell(FIRST_GROUP_COLUMN).value = ANNEX11_GROUP_HEADER;
  ws.mergeCells(3, FIRST_GROUP_COLUMN, 3, LAST_GROUP_COLUMN);
  top.height = 22;
  sub.height = 58;
  const numbers = ws.getRow(5);
  ANNEX11_COLUMN_NUMBERS.forEach((mark, index) => { numbers.getCell(index + 1).value = mark; });
  for (const row of [top, sub, numbers]) for (let column = 1; column <= COLUMN_COUNT; column++) styleHeader(row.getCell(column));

  const figures: Annex11Figures = { rowCount: 0, newCount: 0, areaMu: 0 };
  const totalLine = (label: string, first: number, last: number, count: number, mu: number, bold: boolean) => {
    const line = ws.addRow([]);
    line.getCell(1).value = `${label}（${count}宗）`;
    ws.mergeCells(line.number, 1, line.number, AREA_COLUMN - 1);
    line.getCell(AREA_COLUMN).value = last >= first
      ? { formula: `SUM(${columnLetter(AREA_COLUMN)}${first}:${columnLetter(AREA_COLUMN)}${last})`, result: roundTo(mu, 2) }
      : 0;
    for (let column = 1; column <= COLUMN_COUNT; column++) {
      const cell = line.getCell(column);
      cell.border = BORDER;
      cell.font = { bold };
      if (column === 1) cell.alignment = { horizontal: 'center' };
    }
    return line;
  };

  let index = 0;
  const subtotals: { first: number; last: number }[] = [];
  for (const group of sheet.groups) {
    const first = ws.rowCount + 1;
    let groupMu = 0;
    for (const row of group.rows) {
      const line = ws.addRow(valueRows[index]);
      index++;
      for (let column = 1; column <= COLUMN_COUNT; column++) {
        const cell = line.getCell(column);
        cell.border = BORDER;
        cell.alignment = { vertical: 'middle', wrapText: typeof cell.value === 'string', horizontal: column === 1 ? 'center' : undefined };
      }
      const mu = rowMu(row);
      groupMu += mu ?? 0;
      figures.rowCount++;
      if (row.noticeDate >= period.start) figures.newCount++;
    }
    figures.areaMu += groupMu;
    const last = ws.rowCount;
    if (sheet.groups.length > 1) {
      totalLine(`${group.label}小计`, first, last, group.rows.length, groupMu, false);
      subtotals.push({ first, last });
    }
  }
  if (figures.rowCount === 0) {
    const empty = ws.addRow([`截至${chineseDate(period.end < input.filledOn ? period.end : input.filledOn)}，没有已发出认定告知书的低效产业用地。`]);
    ws.mergeCells(empty.number, 1, empty.number, COLUMN_COUNT);
    empty.getCell(1).alignment = { horizontal: 'center' };
    empty.getCell(1).border = BORDER;
  }
  const firstData = ANNEX11_HEADER_ROWS + 1;
  const total = totalLine('合计', firstData, ws.rowCount, figures.rowCount, figures.areaMu, true);
  if (subtotals.length > 0) {
    // A city sheet: the total adds the data rows, not the subtotals.
    const letter = columnLetter(AREA_COLUMN);
    total.getCell(AREA_COLUMN).value = { formula: subtotals.map((range) => `SUM(${letter}${range.first}:${letter}${range.last})`).join('+'), result: roundTo(figures.areaMu, 2) };
  }

  ws.addRow([]);
  const untilDay = period.end < input.filledOn ? period.end : input.filledOn;
  const lines = [
    ...ANNEX11_NOTES,
    `注：报告期${period.label}（${period.start}至${period.end}），应于${chineseDate(period.dueDate)}前报送；本表列出截至${chineseDate(untilDay)}已发出认定告知书的全部低效产业用地（累计${figures.rowCount}宗），备注“${NEW_IN_PERIOD}”的${figures.newCount}宗为报告期内发出。`,
    '　　土地面积按地块卡片的登记面积（㎡）÷ 666.67 换算为亩（1 亩 = 10000/15 ㎡），保留两位小数；建筑密度取卡片的建筑系数；利用现状各项为填报时卡片记录。（本系统规则）',
  ];
  for (const text of lines) {
    const line = ws.addRow([text]);
    ws.mergeCells(line.number, 1, line.number, COLUMN_COUNT);
    line.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    line.height = displayWidth(text) > 200 ? 30 : 16;
  }
  return figures;
}

/** The workbook as bytes, with the figures of its first sheet (the district's, or the city's whole). */
export async function writeAnnex11Workbook(input: Annex11Workbook): Promise<{ buffer: Buffer; figures: Annex11Figures }> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = input.creator;
  workbook.created = new Date();
  const figures = input.sheets.map((sheet) => addSheet(workbook, sheet, input));
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  return { buffer, figures: figures[0] };
}
