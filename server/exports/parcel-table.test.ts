import { describe, expect, it } from 'vitest';
import { PARCEL_FIELDS } from '../../domain/parcel-fields.js';
import { Scope } from '../auth/scope.js';
import { exportCaption } from './export-captions.js';
import { XLSX_MAX_ROWS, xlsxRowLimit } from './writers/tables.js';
import { PARCEL_TABLE_COLUMNS, columnWidths, csvCell, csvField, displayWidth, excelDate, neutraliseFormula } from './parcel-table.js';

const huli = Scope.of({ id: 9, username: 'planner-huli', displayName: '湖里', role: 'planner', mustChangePassword: false, scopes: [{ code: '350206', name: '湖里区' }], allowedDistricts: ['350206'], unrestricted: false, units: [], department: null, enterpriseParcelIds: [] });
const places = [
  { code: '350200', name: '厦门市', level: 'city', parentCode: null, cityName: null },
  { code: '350206', name: '湖里区', level: 'district', parentCode: '350200', cityName: '厦门市' },
  { code: '350203', name: '思明区', level: 'district', parentCode: '350200', cityName: '厦门市' },
];

describe('parcel table columns', () => {
  it('has a column for every field of the field list, with units in the header', () => {
    const keys = new Set(PARCEL_TABLE_COLUMNS.map((column) => column.key));
    for (const field of PARCEL_FIELDS) expect(keys.has(field.key)).toBe(true);
    expect(new Set(PARCEL_TABLE_COLUMNS.map((column) => column.header)).size).toBe(PARCEL_TABLE_COLUMNS.length);
    const header = (key: string) => PARCEL_TABLE_COLUMNS.find((column) => column.key === key)!.header;
    expect(header('areaM2')).toBe('椭球面积(图形)（㎡）');
    expect(header('areaM2Mu')).toBe('椭球面积(图形)（亩）');
    expect(header('outputPerMu')).toBe('亩均产值（万元/亩）');
    expect(header('buildingCoverage')).toBe('建筑系数（%）');
  });

  it('counts CJK characters double for widths, capped', () => {
    expect(displayWidth('湖里区A1')).toBe(8);
    const widths = columnWidths(PARCEL_TABLE_COLUMNS, { count: 1, textWidths: { location: 200, owner: 10 }, maxNumbers: { area_m2: 1234567.891 } });
    const widthOf = (key: string) => widths[PARCEL_TABLE_COLUMNS.findIndex((column) => column.key === key)];
    expect(widthOf('location')).toBe(60);
    // The header 椭球面积(图形)（㎡） is 20 columns wide and wraps at 14; the widest value 1,234,567.89 is 12.
    expect(widthOf('areaM2')).toBe(16);
    expect(widthOf('code')).toBe(10);
  });
});

describe('CSV cells', () => {
  it('neutralises text that a spreadsheet would evaluate, with a leading apostrophe', () => {
    for (const value of ['=1+1', '+86', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseFormula(value)).toBe(`'${value}`);
    for (const value of ['湖里区', '1+1', "'quoted", 'a=b']) expect(neutraliseFormula(value)).toBe(value);
  });

  it('quotes per RFC 4180 and writes numbers plain, percentages as 0–100', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const column = (key: string) => PARCEL_TABLE_COLUMNS.find((entry) => entry.key === key)!;
    expect(csvCell(column('buildingCoverage'), 0.3512)).toBe('35.12');
    expect(csvCell(column('areaM2'), 1234567.891)).toBe('1234567.89');
    expect(csvCell(column('owner'), '=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell(column('owner'), null)).toBe('');
  });

  it('stores a calendar date as that day in Excel', () => {
    expect(excelDate('2019-05-01')!.toISOString()).toBe('2019-05-01T00:00:00.000Z');
  });
});

describe('export captions', () => {
  it('names the place and the filters in Chinese', () => {
    const caption = exportCaption({ status: 'suspected', type: 'idle' }, huli, places, '厦门市');
    expect(caption).toMatchObject({ place: '厦门市湖里区', qualifiers: ['疑似低效', '闲置低效'], scope: '厦门市湖里区', outsideScope: false });
    expect(caption.filters).toEqual(['效率状态：疑似低效', '低效类型：闲置低效']);
    expect(exportCaption({}, Scope.system(), places, '厦门市')).toMatchObject({ place: '厦门市', filters: ['全部（未筛选）'], scope: '全部行政区' });
    expect(exportCaption({ district: '350200' }, huli, places, '厦门市').place).toBe('厦门市湖里区');
    expect(exportCaption({ district: '350200' }, Scope.system(), places, '厦门市').place).toBe('厦门市');
    expect(exportCaption({ district: '350203' }, Scope.system(), places, '厦门市').place).toBe('厦门市思明区');
  });

  it('knows when the filter names a district outside the scope', () => {
    expect(exportCaption({ district: '350203' }, huli, places, '厦门市').outsideScope).toBe(true);
    expect(exportCaption({ district: '350200' }, huli, places, '厦门市').outsideScope).toBe(false);
    expect(exportCaption({ district: '350206' }, huli, places, '厦门市').outsideScope).toBe(false);
  });
});

describe('xlsx row limit', () => {
  it('refuses a selection bigger than an Excel sheet, pointing to CSV', () => {
    expect(xlsxRowLimit(XLSX_MAX_ROWS)).toBeNull();
    expect(xlsxRowLimit(XLSX_MAX_ROWS + 1)).toMatchObject({ ok: false, reason: 'too_many_rows' });
    expect(xlsxRowLimit(2_000_000)!.message).toMatch(/2,000,000 宗地块超过 Excel.*请改用 CSV/);
  });
});
