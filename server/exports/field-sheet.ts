import ExcelJS from 'exceljs';

export interface FieldSheetRow {
  layer: string;
  exportedName: string;
  fullName: string;
  unit: string;
  type: string;
  note: string;
}

export const FIELD_SHEET_FILE = '字段对照表.xlsx';
const HEADERS = ['图层', '导出字段名', '完整字段名', '单位', '类型', '说明'] as const;

/**
 * 字段对照表: every DBF field name of a Shapefile export beside its full Chinese name, unit and
 * type, saying which names were shortened to fit dBASE's 10 bytes (and in which encoding).
 */
export async function writeFieldSheet(file: string, rows: readonly FieldSheetRow[], heading: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '标图建库';
  const sheet = workbook.addWorksheet('字段对照表', { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([heading]);
  sheet.mergeCells(1, 1, 1, HEADERS.length);
  sheet.addRow([...HEADERS]).font = { bold: true };
  for (const row of rows) sheet.addRow([row.layer, row.exportedName, row.fullName, row.unit, row.type, row.note]);
  const widths = [18, 14, 34, 12, 8, 48];
  widths.forEach((width, index) => { sheet.getColumn(index + 1).width = width; });
  await workbook.xlsx.writeFile(file);
}
