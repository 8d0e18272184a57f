import ExcelJS from 'exceljs';
import { stockDepartmentName } from '../../domain/departments.js';
import { problemOverdue, problemStatusLabel } from '../../domain/problems.js';
import { excelDate } from '../exports/parcel-table.js';
import { HEADER_FILL, HEADER_FONT, THIN, columnLetter } from '../exports/excel-style.js';
import type { ProblemRow } from './problems.repository.js';

const COLUMNS: { header: string; width: number; value: (row: ProblemRow, context: WorkbookContext) => ExcelJS.CellValue; date?: boolean }[] = [
  { header: '编号', width: 22, value: (row) => row.number },
  { header: '行政区', width: 10, value: (row) => row.districtName },
  { header: '年度', width: 7, value: (row) => row.year },
  { header: '问题类别', width: 16, value: (row, context) => context.categories.get(row.category) ?? row.category },
  { header: '问题', width: 30, value: (row) => row.title },
  { header: '问题描述', width: 50, value: (row) => row.description },
  { header: '盘活诉求', width: 40, value: (row) => row.ownerRequest },
  { header: '关联地块', width: 30, value: (row, context) => row.parcelIds.map((id) => context.parcels.get(id) ?? `#${id}`).join('、') || null },
  { header: '关联成片改造区域', width: 24, value: (row, context) => row.areaIds.map((id) => context.areas.get(id) ?? `#${id}`).join('、') || null },
  { header: '责任部门', width: 20, value: (row) => stockDepartmentName(row.department) },
  { header: '办结时限', width: 12, value: (row) => (row.dueDate ? excelDate(row.dueDate) : null), date: true },
  { header: '状态', width: 10, value: (row) => problemStatusLabel(row.status) },
  { header: '是否逾期', width: 9, value: (row, context) => (problemOverdue(row, context.today) ? '逾期' : '') },
  { header: '办理结果', width: 40, value: (row) => row.outcome },
  { header: '登记人', width: 12, value: (row) => row.createdBy },
];

export interface WorkbookContext {
  today: string;
  categories: Map<string, string>;
  parcels: Map<number, string>;
  areas: Map<number, string>;
  filters: string[];
  scope: string;
  actor: string;
}

/** 问题清单 as an xlsx (the table exports' header style, frozen header, autofilter, 说明 and 按部门统计 sheets). */
export async function problemsWorkbook(rows: readonly ProblemRow[], context: WorkbookContext): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = context.actor;
  workbook.created = new Date();
  const sheet = workbook.addWorksheet('问题清单', { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  sheet.columns = COLUMNS.map((column) => ({ width: column.width, style: column.date ? { numFmt: 'yyyy-mm-dd' } : { alignment: { wrapText: true, vertical: 'top' } } }));
  const header = sheet.addRow(COLUMNS.map((column) => column.header));
  header.eachCell((cell) => {
    cell.font = HEADER_FONT;
    cell.fill = HEADER_FILL;
    cell.border = { bottom: THIN, right: THIN };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  });
  for (const row of rows) sheet.addRow(COLUMNS.map((column) => column.value(row, context)));
  sheet.autoFilter = `A1:${columnLetter(COLUMNS.length)}${rows.length + 1}`;

  const byDepartment = new Map<string, { total: number; open: number; overdue: number; resolved: number; unresolvable: number }>();
  for (const row of rows) {
    const entry = byDepartment.get(row.department) ?? { total: 0, open: 0, overdue: 0, resolved: 0, unresolvable: 0 };
    entry.total++;
    if (row.status === 'resolved') entry.resolved++;
    else if (row.status === 'unresolvable') entry.unresolvable++;
    else entry.open++;
    if (problemOverdue(row, context.today)) entry.overdue++;
    byDepartment.set(row.department, entry);
  }
  const counts = workbook.addWorksheet('按部门统计');
  counts.columns = [{ width: 24 }, { width: 8 }, { width: 10 }, { width: 8 }, { width: 8 }, { width: 10 }];
  const countHeader = counts.addRow(['责任部门', '合计', '未办结', '逾期', '已解决', '无法解决']);
  countHeader.eachCell((cell) => { cell.font = HEADER_FONT; cell.fill = HEADER_FILL; cell.border = { bottom: THIN }; });
  for (const [department, entry] of byDepartment) counts.addRow([stockDepartmentName(department), entry.total, entry.open, entry.overdue, entry.resolved, entry.unresolvable]);

  const info = workbook.addWorksheet('说明');
  info.columns = [{ width: 16 }, { width: 90 }];
  info.addRow(['问题清单（两库一清单）']).font = { bold: true, size: 14 };
  for (const [name, value] of [
    ['筛选条件', context.filters.join('；') || '无'], ['管辖范围', context.scope], ['记录数', rows.length],
    ['逾期口径', `办结时限早于 ${context.today}（北京时间）且未办结（待办、办理中）`], ['导出人', context.actor], ['数据来源', '标图建库 · 问题清单'],
  ] as [string, string | number][]) {
    const line = info.addRow([name, value]);
    line.getCell(1).font = HEADER_FONT;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
