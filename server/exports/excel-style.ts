import type ExcelJS from 'exceljs';

/**
 * The look every workbook of the product shares (table exports, district figures, 汇总表 such as
 * 附件11): header fill and font, the thin border, column letters.
 */
export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF5' } };
export const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true };
export const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FFB0B8C4' } };

/** Excel's column letter of a 1-based column number. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let rest = index; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}
