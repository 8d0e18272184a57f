import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import type { DistrictStats } from '../../../domain/district-figures.js';
import { EFFICIENCY_STATUSES, INEFFICIENCY_TYPES } from '../../../domain/efficiency.js';
import { exportFileName } from '../../../domain/exports/export-names.js';
import { areaInUnits } from '../../../domain/units.js';
import { OUT_OF_SCOPE } from '../../auth/scope.js';
import { chinaTime, jobCaption, placeName, type ExportCaption } from '../export-captions.js';
import { EXPORT_EMPTY, EXPORT_NOT_FOUND, type ExportJobContext, type ExportOutput, type ExportRefusal, type ExportWriter } from '../export-writer.js';
import {
  PARCEL_TABLE_COLUMNS, columnWidths, csvCell, csvHeaderRow, excelDate, headerHeight, excelFormat, type ParcelTableRow, type TableColumn,
} from '../parcel-table.js';
import { createTablesExportsRepository } from '../tables.repository.js';

/**
 * The table exports (issue 14, Tables): the parcel attribute list as xlsx and CSV, streamed in
 * batches from one snapshot (tables.repository.ts), and the district figures as xlsx, computed by the
 * function the map's district panel is answered with. Exports are background work: they read through
 * the bulk pool, which has no statement timeout.
 */

export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF5' } };
export const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true };
export const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FFB0B8C4' } };

function emptyRefusal(caption: ExportCaption): ExportRefusal {
  return {
    ok: false,
    reason: EXPORT_EMPTY,
    message: caption.outsideScope
      ? `所选行政区不在您的管辖范围内（${caption.scope}），没有可导出的地块。请选择您管辖的区县，或联系系统管理员调整管辖范围。`
      : `没有符合条件的地块（${caption.filters.join('；')}；管辖范围：${caption.scope}）。请放宽筛选条件后再导出。`,
  };
}

/** An Excel sheet holds 1 048 576 rows; one is the header. */
export const XLSX_MAX_ROWS = 1_048_575;
export const EXPORT_TOO_MANY_ROWS = 'too_many_rows';

/** A selection bigger than an Excel sheet: refused up front, pointing to CSV or a narrower filter. */
export function xlsxRowLimit(count: number): ExportRefusal | null {
  if (count <= XLSX_MAX_ROWS) return null;
  return {
    ok: false,
    reason: EXPORT_TOO_MANY_ROWS,
    message: `所选 ${count.toLocaleString('zh-CN')} 宗地块超过 Excel 一张工作表的上限（${XLSX_MAX_ROWS.toLocaleString('zh-CN')} 行）。请改用 CSV 导出，或按行政区、状态等缩小范围后分批导出。`,
  };
}

function tablesRepository(job: ExportJobContext) {
  return createTablesExportsRepository(job.app.pools.bulk.db);
}

/** Excel's column letter of a 1-based column number. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let rest = index; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}

/** Bytes of a streamed worksheet's XML not yet taken by the zip; above it, the writer waits. */
export const SHEET_BACKLOG_LIMIT = 4 * 1024 * 1024;

interface BufferedStream { length?: number; _writableState?: { length: number }; _readableState?: { length: number } }

/**
 * How much of a streamed worksheet's XML waits to be compressed, or null when it cannot be seen.
 * exceljs (4.4) writes each committed row into the sheet's StreamBuf, which hands it to the zip's
 * PassThrough without regard for backpressure: a producer faster than deflate buffers the whole
 * sheet in memory (1.7 kB a row, measured). This reads those two buffers (exceljs internals, hence
 * the guard and the test that fails when they move) so the writer can wait for the zip.
 */
export function sheetBacklog(sheet: ExcelJS.Worksheet): number | null {
  const stream = (sheet as unknown as { _stream?: { buffers?: BufferedStream[]; pipes?: BufferedStream[] } })._stream;
  if (!stream || !Array.isArray(stream.buffers) || !Array.isArray(stream.pipes)) return null;
  const own = stream.buffers.reduce((sum, buffer) => sum + (buffer.length ?? 0), 0);
  const piped = stream.pipes.reduce((sum, pipe) => sum + (pipe._writableState?.length ?? 0) + (pipe._readableState?.length ?? 0), 0);
  return own + piped;
}

async function zipCaughtUp(sheet: ExcelJS.Worksheet, signal: AbortSignal): Promise<void> {
  while ((sheetBacklog(sheet) ?? 0) > SHEET_BACKLOG_LIMIT) await sleep(5, undefined, { signal });
}

function excelCell(column: TableColumn, value: string | number | null): ExcelJS.CellValue {
  if (value === null) return null;
  if (column.kind === 'date' && typeof value === 'string') return excelDate(value) ?? value;
  return value;
}

/** The 说明 sheet: what was exported, the filters in Chinese, who, when, how many rows. */
function addInfoSheet(workbook: ExcelJS.Workbook, job: ExportJobContext, title: string, caption: ExportCaption, facts: [string, string | number][]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet('说明');
  sheet.columns = [{ width: 16 }, { width: 90 }];
  const titleRow = sheet.addRow([title]);
  titleRow.font = { bold: true, size: 14 };
  const rows: [string, string | number][] = [
    ['筛选条件', caption.filters.join('；')],
    ['管辖范围', caption.scope],
    ...facts,
    ['导出人', `${job.actor.displayName}（${job.actor.username}）`],
    ['导出时间', chinaTime(new Date())],
    ['面积口径', 'CGCS2000 椭球面积；1 公顷 = 10 000 ㎡；1 亩 = 10 000/15 ㎡ ≈ 666.67 ㎡'],
    ['数据来源', '标图建库 · 低效用地数据库'],
  ];
  for (const [name, value] of rows) {
    const row = sheet.addRow([name, value]);
    row.getCell(1).font = HEADER_FONT;
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  }
  return sheet;
}

async function writeParcelsXlsx(job: ExportJobContext): Promise<ExportOutput | ExportRefusal> {
  const repository = tablesRepository(job);
  const caption = await jobCaption(job, repository.places);
  const file = path.join(job.directory, 'parcels.xlsx');
  return repository.readParcels(job.filters, job.scope, async (reader) => {
    const total = reader.summary.count;
    if (total === 0) return emptyRefusal(caption);
    const tooMany = xlsxRowLimit(total);
    if (tooMany) return tooMany;
    const output = fs.createWriteStream(file);
    try {
      // Inline strings (no shared-string table held until the end) and rows committed as written: memory stays flat.
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
      workbook.creator = job.actor.displayName;
      workbook.created = new Date();
      const columns = PARCEL_TABLE_COLUMNS;
      const widths = columnWidths(columns, reader.summary);
      const sheet = workbook.addWorksheet('地块属性表', { views: [{ state: 'frozen', xSplit: 1, ySplit: 1, topLeftCell: 'B2', activeCell: 'B2' }] });
      sheet.columns = columns.map((column, index) => ({ key: column.key, width: widths[index], style: excelFormat(column) ? { numFmt: excelFormat(column) } : {} }));
      const header = sheet.addRow(columns.map((column) => column.header));
      header.height = headerHeight(columns, widths);
      header.eachCell((cell) => {
        cell.font = HEADER_FONT;
        cell.fill = HEADER_FILL;
        cell.border = { bottom: THIN, right: THIN };
        cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
        cell.numFmt = 'General';
      });
      header.commit();
      let written = 0;
      for await (const batch of reader.batches()) {
        job.signal.throwIfAborted();
        for (const row of batch) sheet.addRow(columns.map((column) => excelCell(column, column.value(row)))).commit();
        await zipCaughtUp(sheet, job.signal);
        written += batch.length;
        job.progress(Math.min(0.99, written / total));
      }
      sheet.autoFilter = `A1:${columnLetter(columns.length)}${written + 1}`;
      sheet.commit();
      addInfoSheet(workbook, job, '地块属性表（低效用地数据库）', caption, [
        ['导出内容', `地块属性表：${columns.length} 列，每宗地一行；效率状态、低效类型、改造意愿为中文名称，数字为数值，日期为日期，比重列为百分比`],
        ['记录数', written],
      ]).commit();
      await workbook.commit();
      job.progress(1);
      return {
        ok: true, file, fileName: exportFileName([caption.place, '地块', ...caption.qualifiers], job.stamp, '.xlsx'),
        rowCount: written, crs: null, encoding: null, notes: [],
      };
    } catch (error) {
      output.destroy();
      throw error;
    }
  });
}

async function writeParcelsCsv(job: ExportJobContext): Promise<ExportOutput | ExportRefusal> {
  const repository = tablesRepository(job);
  const caption = await jobCaption(job, repository.places);
  const file = path.join(job.directory, 'parcels.csv');
  return repository.readParcels(job.filters, job.scope, async (reader) => {
    const total = reader.summary.count;
    if (total === 0) return emptyRefusal(caption);
    const output = fs.createWriteStream(file, { encoding: 'utf8' });
    try {
      const columns = PARCEL_TABLE_COLUMNS;
      // UTF-8 with a byte-order mark, so Excel reads Chinese correctly; CRLF line ends (RFC 4180).
      output.write(`\uFEFF${csvHeaderRow(columns)}\r\n`);
      let written = 0;
      for await (const batch of reader.batches()) {
        job.signal.throwIfAborted();
        const lines = batch.map((row: ParcelTableRow) => columns.map((column) => csvCell(column, column.value(row))).join(',')).join('\r\n');
        if (!output.write(`${lines}\r\n`)) await once(output, 'drain', { signal: job.signal });
        written += batch.length;
        job.progress(Math.min(0.99, written / total));
      }
      output.end();
      await finished(output);
      job.progress(1);
      return {
        ok: true, file, fileName: exportFileName([caption.place, '地块', ...caption.qualifiers], job.stamp, '.csv'),
        rowCount: written, crs: null, encoding: 'UTF-8',
        notes: ['CSV 为 UTF-8（带 BOM），Excel 可直接打开；以 = + - @ 开头的文字前加了单引号 \'，防止被当作公式执行。'],
      };
    } catch (error) {
      output.destroy();
      throw error;
    }
  });
}

/** One group of a figure table: a label and the figure of each row. */
interface FigureGroup {
  label: string;
  figure(stats: DistrictStats): { count: number; areaM2: number };
}

const STATUS_GROUPS: FigureGroup[] = [
  { label: '合计', figure: (stats) => ({ count: stats.byStatus.reduce((sum, item) => sum + item.count, 0), areaM2: stats.byStatus.reduce((sum, item) => sum + item.areaM2, 0) }) },
  ...EFFICIENCY_STATUSES.map((status) => ({
    label: status.label,
    figure: (stats: DistrictStats) => stats.byStatus.find((item) => item.status === status.code) ?? { count: 0, areaM2: 0 },
  })),
];

const TYPE_GROUPS: FigureGroup[] = [
  { label: '合计', figure: (stats) => ({ count: stats.byType.reduce((sum, item) => sum + item.count, 0), areaM2: stats.byType.reduce((sum, item) => sum + item.areaM2, 0) }) },
  ...INEFFICIENCY_TYPES.map((type) => ({
    label: type.label,
    figure: (stats: DistrictStats) => stats.byType.find((item) => item.type === type.code) ?? { count: 0, areaM2: 0 },
  })),
];

const FIGURE_UNITS = [
  { header: '宗数', format: '#,##0', width: 9 },
  { header: '面积（㎡）', format: '#,##0.00', width: 16 },
  { header: '面积（公顷）', format: '#,##0.0000', width: 13 },
  { header: '面积（亩）', format: '#,##0.0000', width: 14 },
] as const;

/** Count, m², 公顷, 亩 of a figure: the units of the map panel and the reports (areaInUnits' rounding). */
function figureCells(figure: { count: number; areaM2: number }): number[] {
  const area = areaInUnits(figure.areaM2);
  return [figure.count, area.m2, area.ha, area.mu];
}

/**
 * A figure sheet: two header rows (group, unit), a row per district, the city's total last. Every
 * cell is a number (the totals too: the city's own figures, not a formula).
 */
function addFigureSheet(workbook: ExcelJS.Workbook, name: string, title: string, note: string, groups: FigureGroup[], districts: DistrictStats[], total: { label: string; stats: DistrictStats } | null): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 2, ySplit: 4, topLeftCell: 'C5', activeCell: 'C5' }] });
  const lastColumn = 2 + groups.length * FIGURE_UNITS.length;
  sheet.columns = [{ width: 16 }, { width: 13 }, ...groups.flatMap(() => FIGURE_UNITS.map((unit) => ({ width: unit.width })))];
  sheet.addRow([title]).font = { bold: true, size: 14 };
  sheet.mergeCells(1, 1, 1, lastColumn);
  sheet.addRow([note]).font = { color: { argb: 'FF606266' } };
  sheet.mergeCells(2, 1, 2, lastColumn);
  sheet.addRow(['行政区', '行政区划代码', ...groups.flatMap((group) => FIGURE_UNITS.map(() => group.label))]);
  sheet.addRow(['行政区', '行政区划代码', ...groups.flatMap(() => FIGURE_UNITS.map((unit) => unit.header))]);
  sheet.mergeCells(3, 1, 4, 1);
  sheet.mergeCells(3, 2, 4, 2);
  groups.forEach((_, index) => sheet.mergeCells(3, 3 + index * FIGURE_UNITS.length, 3, 2 + (index + 1) * FIGURE_UNITS.length));
  for (const rowNumber of [3, 4]) {
    sheet.getRow(rowNumber).eachCell((cell) => {
      cell.font = HEADER_FONT;
      cell.fill = HEADER_FILL;
      cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
      cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    });
  }
  const addFigures = (label: string, stats: DistrictStats) => {
    const row = sheet.addRow([label, stats.code, ...groups.flatMap((group) => figureCells(group.figure(stats)))]);
    groups.forEach((_, index) => FIGURE_UNITS.forEach((unit, offset) => { row.getCell(3 + index * FIGURE_UNITS.length + offset).numFmt = unit.format; }));
    return row;
  };
  for (const stats of districts) addFigures(stats.name, stats);
  if (total) {
    const row = addFigures(total.label, total.stats);
    row.font = HEADER_FONT;
    row.eachCell((cell) => { cell.border = { top: THIN }; });
  }
}

async function writeDistrictFigures(job: ExportJobContext): Promise<ExportOutput | ExportRefusal> {
  const repository = tablesRepository(job);
  const all = await job.app.districtsRepository.list();
  const requested = job.filters.district ? all.find((district) => district.code === job.filters.district) : all.find((district) => district.level === 'city');
  if (!requested) {
    return { ok: false, reason: EXPORT_NOT_FOUND, message: `没有行政区 ${job.filters.district ?? ''}；请从行政区列表中选择一个代码。` };
  }
  const isCity = requested.level === 'city';
  if (!isCity && !job.scope.covers(requested.code)) {
    return { ok: false, reason: OUT_OF_SCOPE, message: `${requested.name}不在您的管辖范围内，不能导出其统计数据。请选择您管辖的区县，或联系系统管理员调整管辖范围。` };
  }
  const districts = isCity
    ? all.filter((district) => district.level !== 'city' && district.parentCode === requested.code && job.scope.covers(district.code))
    : [requested];
  if (districts.length === 0) {
    return { ok: false, reason: EXPORT_EMPTY, message: `${requested.name}没有在您管辖范围内的区县，没有可导出的统计数据。请联系系统管理员调整管辖范围。` };
  }
  job.progress(0.1);
  const figures = await repository.districtFigures(isCity ? requested : null, districts, job.scope);
  job.signal.throwIfAborted();
  job.progress(0.6);

  const caption = await jobCaption({ ...job, filters: job.filters.district ? { district: job.filters.district } : {} }, repository.places);
  const partial = isCity && !job.scope.unrestricted && districts.length < all.filter((district) => district.parentCode === requested.code).length;
  const cityName = requested.name;
  const total = figures.city ? { label: partial ? `${cityName}合计（管辖范围内）` : `${cityName}合计`, stats: figures.city } : null;
  const note = '面积为 CGCS2000 椭球面积；1 公顷 = 10 000 ㎡ = 15 亩。与地图左侧区县面板（全市概况、区域概况）同一口径。';
  const place = isCity ? caption.place : placeName({ code: requested.code, name: requested.name, level: requested.level, parentCode: requested.parentCode, cityName: all.find((district) => district.code === requested.parentCode)?.name ?? null });

  const workbook = new ExcelJS.Workbook();
  workbook.creator = job.actor.displayName;
  workbook.created = new Date();
  addFigureSheet(workbook, '按效率状态', `${place}低效用地统计（按效率状态）`, note, STATUS_GROUPS, figures.districts, total);
  addFigureSheet(workbook, '按低效类型', `${place}低效用地统计（按低效类型）`,
    `${note}合计为各低效类型之和（未标低效类型的地块不计入），与面板“按低效类型”表的合计一致。`, TYPE_GROUPS, figures.districts, total);
  addInfoSheet(workbook, job, `${place}区县统计表`, caption, [
    ['导出内容', `区县统计表：${figures.districts.length} 个区县${total ? `及${total.label}` : ''}的宗数与面积（㎡、公顷、亩），按效率状态和按低效类型两张表`],
    ['地块数', (figures.city ?? figures.districts[0]).parcelCount],
  ]);
  const file = path.join(job.directory, 'district-figures.xlsx');
  await workbook.xlsx.writeFile(file);
  job.progress(1);
  return {
    ok: true, file, fileName: exportFileName([place, '区县统计'], job.stamp, '.xlsx'),
    rowCount: figures.districts.length + (total ? 1 : 0), crs: null, encoding: null, notes: [],
  };
}

export const parcelsXlsxWriter: ExportWriter = writeParcelsXlsx;
export const parcelsCsvWriter: ExportWriter = writeParcelsCsv;
export const districtFiguresWriter: ExportWriter = writeDistrictFigures;
