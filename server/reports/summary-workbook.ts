import ExcelJS from 'exceljs';
import type { ReportPeriod } from '../../domain/reports/report-schedules.js';
import { roundTo } from '../../domain/units.js';
import { HEADER_FILL, HEADER_FONT, THIN, columnLetter } from '../exports/excel-style.js';
import { displayWidth } from '../exports/parcel-table.js';

/**
 * The 汇总表 of seed 003 四（一） (附件11 认定情况, 附件12 再利用方案审批情况, 附件13 验收情况) as Excel sheets
 * laid out like the seed's forms: title, 填报单位/填报时间, the two-level header (one group of columns
 * under its heading), the column-number row ①…, one row per case, the 合计 row (土地面积 summed) and
 * the seed's 说明 lines. Numbers are numbers with formats, dates dates, A4 landscape with the header
 * rows repeated on every page. Each table is a spec (its columns, group, notes and row values).
 */

export interface SummaryColumn {
  header: string;
  width: number;
  max?: number;
  format?: string;
  /** Under the group heading (利用现状, 再利用目标, 再利用成效). */
  group?: boolean;
}

/** What a table's figures add up to, for the caller's summary. */
export interface SummaryFigures {
  rowCount: number;
  newCount: number;
  areaMu: number;
}

export interface SummaryTableSpec<Row> {
  columns: readonly SummaryColumn[];
  groupHeader: string;
  notes: readonly string[];
  /** The 1-based column of 土地面积（亩）, summed in the 合计 row. */
  areaColumn: number;
  areaMu(row: Row): number | null;
  /** Whether the row is new in the period (本期新增). */
  isNew(row: Row, period: ReportPeriod): boolean;
  values(row: Row, index: number, period: ReportPeriod): ExcelJS.CellValue[];
  /** The line when there are no rows, as of `until` (YYYY-MM-DD). */
  emptyText(until: string): string;
  /** The 注 lines after the seed's 说明. */
  footNotes(figures: SummaryFigures, period: ReportPeriod, until: string): string[];
}

export interface SummarySheet<Row> {
  name: string;
  title: string;
  unitLine: string;
  /** Groups of rows (one per district; a city sheet has several, each with its 小计). */
  groups: { label: string; rows: Row[] }[];
}

export interface SummaryWorkbook<Row> {
  period: ReportPeriod;
  /** YYYY-MM-DD: 填报时间, and the day the rows were read. */
  filledOn: string;
  creator: string;
  sheets: SummarySheet<Row>[];
}

/** Rows before the data: title, 填报单位, two header rows, the column numbers. */
export const SUMMARY_HEADER_ROWS = 5;
export const NEW_IN_PERIOD = '本期新增';

/** ① … (U+2460 onwards), as the seed numbers its columns. */
export function columnNumbers(columns: readonly unknown[]): string[] {
  return columns.map((_, index) => String.fromCodePoint(0x2460 + index));
}

export function chineseDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

const BORDER: Partial<ExcelJS.Borders> = { top: THIN, bottom: THIN, left: THIN, right: THIN };

/** Column widths that fit the widest value (wrapped at each column's cap) and the header's wrapped lines. */
function widths(columns: readonly SummaryColumn[], rows: readonly ExcelJS.CellValue[][]): number[] {
  return columns.map((column, index) => {
    const cap = column.max ?? column.width;
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

function addSheet<Row>(workbook: ExcelJS.Workbook, spec: SummaryTableSpec<Row>, sheet: SummarySheet<Row>, input: SummaryWorkbook<Row>): SummaryFigures {
  const { period } = input;
  const columns = spec.columns;
  const count = columns.length;
  const firstGroup = columns.findIndex((column) => column.group) + 1;
  const lastGroup = count - [...columns].reverse().findIndex((column) => column.group);
  const ws = workbook.addWorksheet(sheet.name, {
    views: [{ state: 'frozen', xSplit: 2, ySplit: SUMMARY_HEADER_ROWS, topLeftCell: `C${SUMMARY_HEADER_ROWS + 1}`, activeCell: `C${SUMMARY_HEADER_ROWS + 1}` }],
    pageSetup: {
      paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `3:${SUMMARY_HEADER_ROWS}`,
    },
    headerFooter: { oddFooter: `&L${sheet.title}&R第 &P 页，共 &N 页` },
  });
  const allRows = sheet.groups.flatMap((group) => group.rows);
  const valueRows = allRows.map((row, index) => spec.values(row, index + 1, period));
  const columnWidths = widths(columns, valueRows);
  ws.columns = columns.map((column, index) => ({ width: columnWidths[index], style: column.format ? { numFmt: column.format } : {} }));

  const title = ws.getRow(1);
  title.getCell(1).value = sheet.title;
  title.font = { bold: true, size: 16 };
  title.height = 30;
  title.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
  ws.mergeCells(1, 1, 1, count);

  const unit = ws.getRow(2);
  unit.getCell(1).value = sheet.unitLine;
  unit.getCell(firstGroup + 3).value = `填报时间：${chineseDate(input.filledOn)}`;
  ws.mergeCells(2, 1, 2, firstGroup + 2);
  ws.mergeCells(2, firstGroup + 3, 2, count);
  unit.getCell(firstGroup + 3).alignment = { horizontal: 'right' };
  unit.height = 20;

  // Two header levels: every column spans rows 3–4, except the group over its columns.
  const top = ws.getRow(3);
  const sub = ws.getRow(4);
  columns.forEach((column, index) => {
    const number = index + 1;
    if (column.group) {
      sub.getCell(number).value = column.header;
    } else {
      top.getCell(number).value = column.header;
      ws.mergeCells(3, number, 4, number);
    }
  });
  top.getCell(firstGroup).value = spec.groupHeader;
  ws.mergeCells(3, firstGroup, 3, lastGroup);
  top.height = 22;
  sub.height = 58;
  const numbers = ws.getRow(5);
  columnNumbers(columns).forEach((mark, index) => { numbers.getCell(index + 1).value = mark; });
  for (const row of [top, sub, numbers]) for (let column = 1; column <= count; column++) styleHeader(row.getCell(column));

  const figures: SummaryFigures = { rowCount: 0, newCount: 0, areaMu: 0 };
  const area = spec.areaColumn;
  const totalLine = (label: string, first: number, last: number, rows: number, mu: number, bold: boolean) => {
    const line = ws.addRow([]);
    line.getCell(1).value = `${label}（${rows}宗）`;
    ws.mergeCells(line.number, 1, line.number, area - 1);
    line.getCell(area).value = last >= first
      ? { formula: `SUM(${columnLetter(area)}${first}:${columnLetter(area)}${last})`, result: roundTo(mu, 2) }
      : 0;
    for (let column = 1; column <= count; column++) {
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
      for (let column = 1; column <= count; column++) {
        const cell = line.getCell(column);
        cell.border = BORDER;
        cell.alignment = { vertical: 'middle', wrapText: typeof cell.value === 'string', horizontal: column === 1 ? 'center' : undefined };
      }
      groupMu += spec.areaMu(row) ?? 0;
      figures.rowCount++;
      if (spec.isNew(row, period)) figures.newCount++;
    }
    figures.areaMu += groupMu;
    const last = ws.rowCount;
    if (sheet.groups.length > 1) {
      totalLine(`${group.label}小计`, first, last, group.rows.length, groupMu, false);
      subtotals.push({ first, last });
    }
  }
  const untilDay = period.end < input.filledOn ? period.end : input.filledOn;
  if (figures.rowCount === 0) {
    const empty = ws.addRow([spec.emptyText(untilDay)]);
    ws.mergeCells(empty.number, 1, empty.number, count);
    empty.getCell(1).alignment = { horizontal: 'center' };
    empty.getCell(1).border = BORDER;
  }
  const firstData = SUMMARY_HEADER_ROWS + 1;
  const total = totalLine('合计', firstData, ws.rowCount, figures.rowCount, figures.areaMu, true);
  if (subtotals.length > 0) {
    // A city sheet: the total adds the data rows, not the subtotals.
    const letter = columnLetter(area);
    total.getCell(area).value = { formula: subtotals.map((range) => `SUM(${letter}${range.first}:${letter}${range.last})`).join('+'), result: roundTo(figures.areaMu, 2) };
  }

  ws.addRow([]);
  for (const text of [...spec.notes, ...spec.footNotes(figures, period, untilDay)]) {
    const line = ws.addRow([text]);
    ws.mergeCells(line.number, 1, line.number, count);
    line.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    line.height = displayWidth(text) > 200 ? 30 : 16;
  }
  return figures;
}

/** The workbook as bytes, with the figures of its first sheet (the district's, or the city's whole). */
export async function writeSummaryWorkbook<Row>(spec: SummaryTableSpec<Row>, input: SummaryWorkbook<Row>): Promise<{ buffer: Buffer; figures: SummaryFigures }> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = input.creator;
  workbook.created = new Date();
  const figures = input.sheets.map((sheet) => addSheet(workbook, spec, sheet, input));
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  return { buffer, figures: figures[0] };
}

/** The seed's first two 说明 lines, the same on 附件11, 12 and 13. */
export const LOCATION_AND_AREA_NOTES = [
  '说明：1.土地位置：填写土地使用权出让合同或者不动产权证/国有土地使用证记载位置',
  '　　　2.土地面积：填写土地使用权出让合同记载实用地面积，或者不动产权证/国有土地使用证记载土地使用权面积',
] as const;

/** The 本系统规则 line on how the area is given. */
export const AREA_RULE_NOTE = '　　土地面积按地块卡片的登记面积（㎡）÷ 666.67 换算为亩（1 亩 = 10000/15 ㎡），保留两位小数。（本系统规则）';
