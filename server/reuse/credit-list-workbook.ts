import ExcelJS from 'exceljs';
import type { CreditListEntry } from '../../domain/api/reuse.schemas.js';
import { HEADER_FILL, HEADER_FONT, THIN } from '../exports/excel-style.js';
import { excelDate } from '../exports/parcel-table.js';

/**
 * 信用异常名单 (seed 003 附件3, 附件7 五) as an Excel sheet: title, the date it was drawn, one row per
 * listing with the ground and the text it rests on.
 */
export const CREDIT_LIST_TITLE = '土地市场信用异常名单（低效产业用地再利用）';

const COLUMNS = [
  { header: '序号', width: 6 },
  { header: '用地单位', width: 24 },
  { header: '所在区县', width: 10 },
  { header: '宗地编号', width: 16 },
  { header: '认定案卷', width: 18 },
  { header: '再利用项目', width: 20 },
  { header: '协议书编号', width: 20 },
  { header: '纳入理由', width: 16 },
  { header: '纳入日期', width: 12 },
  { header: '说明', width: 36 },
  { header: '依据', width: 40 },
  { header: '经办人', width: 10 },
  { header: '移出名单（日期、经办人、理由）', width: 30 },
] as const;

export async function writeCreditListWorkbook(title: string, drawnOn: string, items: readonly CreditListEntry[], creator: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = creator;
  workbook.created = new Date();
  const ws = workbook.addWorksheet('信用异常名单', {
    views: [{ state: 'frozen', ySplit: 3 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3' },
  });
  ws.columns = COLUMNS.map((column) => ({ width: column.width }));
  ws.getRow(1).getCell(1).value = title;
  ws.getRow(1).font = { bold: true, size: 15 };
  ws.mergeCells(1, 1, 1, COLUMNS.length);
  ws.getRow(1).getCell(1).alignment = { horizontal: 'center' };
  ws.getRow(2).getCell(1).value = `制表日期：${drawnOn}　共 ${items.length} 条`;
  ws.mergeCells(2, 1, 2, COLUMNS.length);
  const header = ws.getRow(3);
  COLUMNS.forEach((column, index) => {
    const cell = header.getCell(index + 1);
    cell.value = column.header;
    cell.font = HEADER_FONT;
    cell.fill = HEADER_FILL;
    cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  items.forEach((entry, index) => {
    const row = ws.addRow([
      index + 1, entry.enterprise, entry.districtName, entry.parcelCode, entry.caseNumber, entry.projectNumber, entry.agreementNumber,
      entry.groundLabel, excelDate(entry.listedOn), entry.reason, entry.source, entry.listedByName,
      entry.removal ? `${entry.removal.on} ${entry.removal.byName}：${entry.removal.reason}` : '',
    ]);
    row.getCell(9).numFmt = 'yyyy-mm-dd';
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
      cell.alignment = { vertical: 'top', wrapText: true };
    });
  });
  if (items.length === 0) {
    const row = ws.addRow(['名单为空：没有被纳入信用异常名单的用地单位。']);
    ws.mergeCells(row.number, 1, row.number, COLUMNS.length);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
