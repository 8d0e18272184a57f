import { EFFICIENCY_STATUSES, INEFFICIENCY_TYPES, REDEVELOPMENT_INTENTS, redevelopmentIntentLabel, statusLabel } from '../../domain/efficiency.js';
import { LAND_USE_CODES } from '../../domain/land-use.js';
import { PARCEL_CODE_LABELS, PARCEL_FIELDS, columnName, type ParcelField } from '../../domain/parcel-fields.js';
import { roundTo, squareMetresToMu } from '../../domain/units.js';

/**
 * The parcel attribute list as a table (issue 14, Tables): one column per attribute of the field
 * list (domain/parcel-fields.ts, in its order), codes shown as Chinese labels, with the columns an
 * official reads beside them: the 行政区 name, the 地类 name, areas in 亩 next to m². The xlsx and the
 * CSV writer take their columns from here, so both files have the same columns in the same order.
 */

/** One parcel as the tables repository reads it: the field list's columns (snake_case) plus names. */
export type ParcelTableRow = Record<string, string | number | boolean | null> & { id: number; district_name: string | null };

/** How a cell is written: Excel number format, CSV rendering. */
export type TableColumnKind = 'text' | 'number' | 'percent' | 'date';

export interface TableColumn {
  /** Unique within the table. */
  key: string;
  /** Chinese header with its unit, e.g. 土地面积(登记)（㎡）. */
  header: string;
  kind: TableColumnKind;
  /** Decimals of a number (or of the percentage, for `percent`). */
  decimals: number;
  /** Raw value: text, a number (fractions 0–1 for `percent`), or 'YYYY-MM-DD' for dates. */
  value(row: ParcelTableRow): string | number | null;
  /** How the column's width is known: the database's widest text or largest number of `source`, or fixed labels. */
  width: { source: string; of: 'text' | 'number' } | { labels: readonly string[] };
}

/** Units as a table header writes them: the full-width ㎡ that Chinese tables use. */
function headerOf(label: string, unit: string | undefined): string {
  if (!unit) return label;
  return `${label}（${unit === 'm²' ? '㎡' : unit}）`;
}

const YES_NO = ['是', '否'] as const;

function text(row: ParcelTableRow, column: string): string | null {
  const value = row[column];
  return value === null || value === undefined || value === '' ? null : String(value);
}

function number(row: ParcelTableRow, column: string): number | null {
  const value = row[column];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function enumColumn(field: ParcelField, column: string): TableColumn {
  const base = { key: field.key, header: headerOf(field.label, field.unit), kind: 'text' as const, decimals: 0 };
  switch (field.key) {
    case 'status':
      return { ...base, value: (row) => (text(row, column) === null ? null : statusLabel(String(row[column]))), width: { labels: EFFICIENCY_STATUSES.map((entry) => entry.label) } };
    case 'inefficiencyType':
      return {
        ...base,
        // No 低效类型 is an empty cell, not a label: the parcel is simply not of any type.
        value: (row) => {
          const code = text(row, column);
          return code === null ? null : (INEFFICIENCY_TYPES.find((type) => type.code === code)?.label ?? code);
        },
        width: { labels: INEFFICIENCY_TYPES.map((type) => type.label) },
      };
    case 'redevelopmentIntent':
      return { ...base, value: (row) => (text(row, column) === null ? null : redevelopmentIntentLabel(String(row[column]))), width: { labels: REDEVELOPMENT_INTENTS.map((intent) => intent.label) } };
    default: {
      // 低效用地类别, 填报单位, 低效居住类型 …: codes written as their labels.
      const labels = PARCEL_CODE_LABELS[field.key];
      if (labels) return { ...base, value: (row) => { const code = text(row, column); return code === null ? null : (labels.find((entry) => entry.code === code)?.label ?? code); }, width: { labels: labels.map((entry) => entry.label) } };
      return { ...base, value: (row) => text(row, column), width: { source: column, of: 'text' } };
    }
  }
}

/** The column(s) of one field: most fields are one column; some get a neighbour (名称, 亩). */
function columnsOf(field: ParcelField): TableColumn[] {
  const column = columnName(field.key);
  switch (field.kind) {
    case 'text':
      if (field.key === 'districtCode') {
        return [
          { key: 'districtName', header: field.label, kind: 'text', decimals: 0, value: (row) => row.district_name, width: { source: 'district_name', of: 'text' } },
          { key: field.key, header: '行政区划代码', kind: 'text', decimals: 0, value: (row) => text(row, column), width: { labels: ['350206'] } },
        ];
      }
      return [{ key: field.key, header: headerOf(field.label, field.unit), kind: 'text', decimals: 0, value: (row) => text(row, column), width: { source: column, of: 'text' } }];
    case 'number': {
      const main: TableColumn = {
        key: field.key, header: headerOf(field.label, field.unit), kind: 'number', decimals: field.decimals ?? 2,
        value: (row) => number(row, column), width: { source: column, of: 'number' },
      };
      if (!field.landArea) return [main];
      // Land areas also in 亩, the unit officials quote land in (1 亩 = 10000/15 m²).
      return [main, {
        key: `${field.key}Mu`, header: headerOf(field.label, '亩'), kind: 'number', decimals: 4,
        value: (row) => { const m2 = number(row, column); return m2 === null ? null : roundTo(squareMetresToMu(m2), 4); },
        width: { source: column, of: 'number' },
      }];
    }
    case 'fraction':
      return [{ key: field.key, header: headerOf(field.label, field.unit), kind: 'percent', decimals: field.decimals ?? 2, value: (row) => number(row, column), width: { labels: ['100.00%'] } }];
    case 'date':
      return [{ key: field.key, header: field.label, kind: 'date', decimals: 0, value: (row) => text(row, column), width: { labels: ['2026-12-31'] } }];
    case 'boolean':
      return [{
        key: field.key, header: field.label, kind: 'text', decimals: 0,
        value: (row) => (row[column] === true ? YES_NO[0] : row[column] === false ? YES_NO[1] : null), width: { labels: YES_NO },
      }];
    case 'enum': {
      const main = enumColumn(field, column);
      if (field.key !== 'landUseCode') return [main];
      return [main, {
        key: 'landUseName', header: '地类名称', kind: 'text', decimals: 0,
        value: (row) => { const code = text(row, column); return code === null ? null : (LAND_USE_CODES[code] ?? null); },
        width: { labels: Object.values(LAND_USE_CODES) },
      }];
    }
  }
}

/** Every column of the parcel table, in the field list's order. */
export const PARCEL_TABLE_COLUMNS: readonly TableColumn[] = PARCEL_FIELDS.flatMap(columnsOf);

/** The database columns the table reads (the field list's, snake_case). */
export const PARCEL_TABLE_SOURCE_COLUMNS: readonly string[] = PARCEL_FIELDS.map((field) => columnName(field.key));

/** Columns whose width depends on the data: the widest text, the largest number (the repository measures them). */
export const MEASURED_TEXT_COLUMNS: readonly string[] = [...new Set(PARCEL_TABLE_COLUMNS.flatMap((column) => ('source' in column.width && column.width.of === 'text' ? [column.width.source] : [])))];
export const MEASURED_NUMBER_COLUMNS: readonly string[] = [...new Set(PARCEL_TABLE_COLUMNS.flatMap((column) => ('source' in column.width && column.width.of === 'number' ? [column.width.source] : [])))];

/** What the repository measured over the selection: row count, widest text (display width), largest absolute number. */
export interface ParcelTableSummary {
  count: number;
  textWidths: Record<string, number>;
  maxNumbers: Record<string, number>;
}

/**
 * Display width of a text as a spreadsheet shows it: CJK (and other non-ASCII) characters take two
 * columns, ASCII one.
 */
export function displayWidth(value: string): number {
  let width = 0;
  for (const character of value) width += character.codePointAt(0)! > 0x7f ? 2 : 1;
  return width;
}

/** Widest rendering of numbers up to `max` with digit grouping and `decimals` (e.g. 1,234,567.89). */
function numberWidth(max: number, decimals: number, kind: TableColumnKind): number {
  const digits = max >= 1 ? Math.floor(Math.log10(max)) + 1 : 1;
  const grouped = digits + Math.floor((digits - 1) / 3);
  return grouped + (decimals > 0 ? decimals + 1 : 0) + (kind === 'percent' ? 1 : 0);
}

/** The longest header a column is widened for; longer headers wrap onto a second line. */
const HEADER_WRAP_WIDTH = 14;

/** Column widths (Excel character units) that fit the header and the widest value, capped at 60. */
export function columnWidths(columns: readonly TableColumn[], summary: ParcelTableSummary): number[] {
  return columns.map((column) => {
    let content: number;
    if ('labels' in column.width) content = Math.max(0, ...column.width.labels.map(displayWidth));
    else if (column.width.of === 'text') content = summary.textWidths[column.width.source] ?? 0;
    else {
      const max = summary.maxNumbers[column.width.source] ?? 0;
      content = numberWidth(column.key.endsWith('Mu') ? squareMetresToMu(max) : max, column.decimals, column.kind);
    }
    const header = Math.min(displayWidth(column.header), HEADER_WRAP_WIDTH);
    return Math.min(60, Math.max(header, content, 6) + 2);
  });
}

/**
 * A text cell as a CSV field safe to open in a spreadsheet (CSV formula injection, OWASP): a text
 * starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, so Excel,
 * LibreOffice and WPS show it as text instead of evaluating it. Only text cells are guarded; numbers
 * (which may be negative) are written as numbers. The xlsx needs no guard: its cells are typed, a
 * text cell is never evaluated.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 field: quoted (quotes doubled) when it holds a comma, a quote, CR or LF. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One cell of the CSV: numbers plain (no grouping; percentages as 0–100), dates YYYY-MM-DD, text guarded and quoted. */
export function csvCell(column: TableColumn, value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    const shown = column.kind === 'percent' ? roundTo(value * 100, column.decimals) : roundTo(value, column.decimals);
    return String(shown);
  }
  return csvField(column.kind === 'text' ? neutraliseFormula(value) : value);
}

/** A CSV header row: what the xlsx header says, percentages in % (the CSV writes 0–100). */
export function csvHeaderRow(columns: readonly TableColumn[]): string {
  return columns.map((column) => csvField(column.header)).join(',');
}

/** 'YYYY-MM-DD' as the Date Excel stores for that calendar day (midnight UTC: exceljs writes UTC serials). */
export function excelDate(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
}

/** Height (points) of a header row whose texts wrap within `widths`: 15 points a line, at most 4 lines. */
export function headerHeight(columns: readonly TableColumn[], widths: readonly number[]): number {
  const lines = Math.max(1, ...columns.map((column, index) => Math.ceil(displayWidth(column.header) / Math.max(1, widths[index] - 2))));
  return Math.min(4, lines) * 15 + 6;
}

/** Excel number format of a column. */
export function excelFormat(column: TableColumn): string | undefined {
  switch (column.kind) {
    case 'number':
      return column.decimals > 0 ? `#,##0.${'0'.repeat(column.decimals)}` : '#,##0';
    case 'percent':
      return column.decimals > 0 ? `0.${'0'.repeat(column.decimals)}%` : '0%';
    case 'date':
      return 'yyyy-mm-dd';
    default:
      return undefined;
  }
}
