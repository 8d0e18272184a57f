import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { stockDepartmentName } from '../../domain/departments.js';
import { statusLabel, inefficiencyTypeLabel } from '../../domain/efficiency.js';
import { exportFileName } from '../../domain/exports/export-names.js';
import { landCategoryLabel } from '../../domain/land-categories.js';
import { legacyStatusLabel } from '../../domain/legacy-land.js';
import { problemStatusLabel } from '../../domain/problems.js';
import { packageStatusLabel } from '../../domain/stock-packages.js';
import { squareMetresToMu } from '../../domain/units.js';
import { OUT_OF_SCOPE } from '../auth/scope.js';
import { HEADER_FILL, HEADER_FONT, THIN } from '../exports/excel-style.js';
import { EXPORT_EMPTY, EXPORT_NOT_FOUND, type ExportJobContext, type ExportRefusal, type ExportWriter } from '../exports/export-writer.js';
import type { GeodataLayerQuery } from '../exports/geodata.sql.js';
import { packageDetail } from './package-view.js';
import { packageLegacyQuery, packageParcelsQuery } from './stock-packages.sql.js';
import type { PackageRow } from './stock-packages.repository.js';

/** The package of an export job, if the job's user may read it (a refusal otherwise). */
async function packageOf(job: ExportJobContext): Promise<PackageRow | ExportRefusal> {
  const id = job.filters.packageId;
  if (id === undefined) return { ok: false, reason: EXPORT_NOT_FOUND, message: '请选择要导出的上图入库成果包 (filters.packageId)。' };
  const row = await job.app.stockPackagesRepository.find(id);
  if (!row) return { ok: false, reason: EXPORT_NOT_FOUND, message: `没有编号为 ${id} 的上图入库成果包。` };
  if (!job.scope.covers(row.districtCode)) return { ok: false, reason: OUT_OF_SCOPE, message: `该成果包属于${row.districtName}，不在您的管辖范围内。` };
  return row;
}

/**
 * What the GeoPackage of a package holds (geodata writer, server/exports/writers/geodata.ts): its
 * 低效用地 parcels (every parcel field, as the parcel export writes them) and its 历史遗留用地, both read
 * from the frozen snapshot, never from the live tables.
 */
export async function packageGeodataSelection(job: ExportJobContext): Promise<{ layers: GeodataLayerQuery[]; qualifiers: string[]; place: string } | ExportRefusal> {
  const row = await packageOf(job);
  if ('ok' in row) return row;
  return { layers: [packageParcelsQuery(row.id), packageLegacyQuery(row.id)], qualifiers: [`第${row.version}版`, `截至${row.asOf}`], place: row.districtName };
}

function header(sheet: ExcelJS.Worksheet, titles: string[]): void {
  const line = sheet.addRow(titles);
  line.eachCell((cell) => {
    cell.font = HEADER_FONT;
    cell.fill = HEADER_FILL;
    cell.border = { bottom: THIN, right: THIN };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  });
}

const text = (fields: Record<string, unknown>, key: string) => (fields[key] === null || fields[key] === undefined ? null : String(fields[key]));
const m2 = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);
const mu = (value: number | null) => (value === null ? null : Math.round(squareMetresToMu(value) * 10000) / 10000);

/** The Excel summary of a package: 汇总 (counts and areas in m², 公顷, 亩), the three lists and the steps. */
export const packageWorkbookWriter: ExportWriter = async (job) => {
  const row = await packageOf(job);
  if ('ok' in row) return row;
  const packages = job.app.stockPackagesRepository;
  const detail = await packageDetail(packages, job.app.stockListsRepository, row.id);
  const { summary } = detail;
  if (detail.parcelCount + detail.legacyCount + detail.problemCount === 0) {
    return { ok: false, reason: EXPORT_EMPTY, message: '该成果包是空的（没有低效用地、历史遗留用地和问题）：请在“编制中”时重新汇集。' };
  }
  const workbook = new ExcelJS.Workbook();
  workbook.creator = job.actor.displayName;
  workbook.created = new Date();

  const info = workbook.addWorksheet('汇总');
  info.columns = [{ width: 26 }, { width: 12 }, { width: 16 }, { width: 14 }, { width: 14 }];
  info.addRow([detail.title]).font = { bold: true, size: 14 };
  for (const [name, value] of [
    ['行政区', `${detail.districtName}（${detail.districtCode}）`], ['版本', `第 ${detail.version} 版`], ['数据截至', detail.asOf], ['状态', detail.statusLabel],
    ['区人民政府同意', detail.consent ? `${detail.consent.documentNo}（${detail.consent.date}）` : '尚未登记'],
    ['审核意见', detail.reviewRemarks ?? ''], ['面积口径', 'CGCS2000 椭球面积；1 公顷 = 10 000 m²，1 亩 = 10 000/15 m²'], ['导出人', job.actor.displayName],
  ] as [string, string][]) info.addRow([name, value]).getCell(1).font = HEADER_FONT;
  const table = (title: string, groups: { label: string; count: number; areaM2?: number; areaHa?: number; areaMu?: number }[], withArea: boolean) => {
    info.addRow([]);
    info.addRow([title]).font = { bold: true };
    header(info, withArea ? ['分组', '数量', '面积（m²）', '面积（公顷）', '面积（亩）'] : ['分组', '数量']);
    for (const group of groups) info.addRow(withArea ? [group.label, group.count, group.areaM2, group.areaHa, group.areaMu] : [group.label, group.count]);
  };
  table('低效用地（按类别）', [...summary.parcels.byCategory, { label: '合计', ...summary.parcels }], true);
  table('低效用地（按状态）', summary.parcels.byStatus, true);
  table('历史遗留用地（按状态）', [...summary.legacy.byStatus, { label: '合计', ...summary.legacy }], true);
  table('历史遗留用地（按发生时期）', summary.legacy.byPeriod, true);
  table('问题清单（按状态）', [...summary.problems.byStatus, { label: '合计', count: summary.problems.count }, { label: `逾期（截至 ${detail.asOf}）`, count: summary.problems.overdue }], false);
  table('问题清单（按责任部门）', summary.problems.byDepartment, false);

  const list = async (name: string, kind: string, columns: { title: string; width: number; value: (fields: Record<string, unknown>, areaM2: number | null) => ExcelJS.CellValue }[]) => {
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((column) => ({ width: column.width }));
    header(sheet, columns.map((column) => column.title));
    const { items } = await packages.items(row.id, kind, 1_000_000, 0);
    for (const item of items) sheet.addRow(columns.map((column) => column.value(item.fields, item.areaM2)));
    return items.length;
  };
  const parcels = await list('低效用地', 'parcel', [
    { title: '宗地编号', width: 22, value: (fields) => text(fields, 'code') },
    { title: '土地使用权人', width: 28, value: (fields) => text(fields, 'owner') },
    { title: '坐落', width: 28, value: (fields) => text(fields, 'location') },
    { title: '低效用地类别', width: 14, value: (fields) => landCategoryLabel(text(fields, 'land_category')) },
    { title: '状态', width: 12, value: (fields) => statusLabel(String(fields.status)) },
    { title: '低效类型', width: 14, value: (fields) => (fields.inefficiency_type ? inefficiencyTypeLabel(String(fields.inefficiency_type)) : null) },
    { title: '地类编码', width: 10, value: (fields) => text(fields, 'land_use_code') },
    { title: '椭球面积（m²）', width: 14, value: (_fields, area) => m2(area) },
    { title: '椭球面积（亩）', width: 14, value: (_fields, area) => mu(area) },
  ]);
  const legacy = await list('历史遗留用地', 'legacy', [
    { title: '编号', width: 22, value: (fields) => text(fields, 'number') },
    { title: '名称', width: 24, value: (fields) => text(fields, 'name') },
    { title: '现状用途', width: 14, value: (fields) => text(fields, 'current_use') },
    { title: '发生时期', width: 14, value: (fields) => summary.legacy.byPeriod.find((period) => period.code === fields.period)?.label ?? text(fields, 'period') },
    { title: '调查年度', width: 10, value: (fields) => (fields.survey_year as number | null) ?? null },
    { title: '图斑 BSM', width: 20, value: (fields) => text(fields, 'survey_bsm') },
    { title: '状态', width: 10, value: (fields) => legacyStatusLabel(String(fields.status)) },
    { title: '椭球面积（m²）', width: 14, value: (_fields, area) => m2(area) },
    { title: '椭球面积（亩）', width: 14, value: (_fields, area) => mu(area) },
  ]);
  const problems = await list('问题清单', 'problem', [
    { title: '编号', width: 22, value: (fields) => text(fields, 'number') },
    { title: '问题', width: 30, value: (fields) => text(fields, 'title') },
    { title: '盘活诉求', width: 30, value: (fields) => text(fields, 'owner_request') },
    { title: '责任部门', width: 20, value: (fields) => stockDepartmentName(text(fields, 'department')) },
    { title: '办结时限', width: 12, value: (fields) => text(fields, 'due_date') },
    { title: '状态', width: 10, value: (fields) => problemStatusLabel(text(fields, 'status')) },
    { title: '办理结果', width: 30, value: (fields) => text(fields, 'outcome') },
  ]);
  const steps = workbook.addWorksheet('办理记录');
  steps.columns = [{ width: 20 }, { width: 14 }, { width: 14 }, { width: 16 }, { width: 50 }];
  header(steps, ['时间', '由', '至', '办理人', '理由/意见']);
  for (const entry of detail.steps) steps.addRow([entry.at.replace('T', ' ').slice(0, 19), entry.from ? packageStatusLabel(entry.from) : '—', entry.toLabel, entry.actorName, entry.reason ?? '']);

  const file = path.join(job.directory, `${job.id}.xlsx`);
  fs.writeFileSync(file, Buffer.from(await workbook.xlsx.writeBuffer()));
  job.progress(1);
  return {
    ok: true, file, fileName: exportFileName([row.districtName, '上图入库成果包', `第${row.version}版`, '汇总表'], job.stamp, '.xlsx'),
    rowCount: parcels + legacy + problems, crs: null, encoding: null, notes: [],
  };
};
