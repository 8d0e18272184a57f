import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DistrictStats } from '../../domain/district-figures.js';
import { XIAMEN } from '../../domain/districts.js';
import { EFFICIENCY_STATUSES, INEFFICIENCY_TYPES } from '../../domain/efficiency.js';
import { areaInUnits } from '../../domain/units.js';
import { OUT_OF_SCOPE } from '../../server/auth/scope.js';
import { EXPORT_EMPTY, type ExportOutput, type ExportRefusal } from '../../server/exports/export-writer.js';
import { PARCEL_TABLE_COLUMNS } from '../../server/exports/parcel-table.js';
import { EXPORT_WRITERS } from '../../server/exports/writers/index.js';
import { sheetBacklog } from '../../server/exports/writers/tables.js';
import { exportContext } from '../helpers/export-context.js';
import { createTestApp, login, type TestApp } from '../helpers/test-app.js';

/**
 * Issue 14, Tables: the parcel attribute list as xlsx and CSV, the district figures as xlsx, each
 * written by its writer directly (the job service is tested elsewhere) and read back with exceljs.
 * Tests share the database with other files: the rows asserted on are this file's own (a 镇街/园区
 * name of its own), and counts of the demo data are compared only when nothing moved meanwhile.
 */

let testApp: TestApp;
const town = `导出测试园-${process.pid}`;
const HULI = '350206';
const SIMING = '350203';
const tricky = {
  huli: { code: `XT-${process.pid}-HL`, owner: '=1+1', location: '湖里大道 8 号,"东区"\n二号楼' },
  siming: { code: `XT-${process.pid}-SM`, owner: '+86-592 思明公司', location: '思明南路' },
};

type Writer = 'parcels:xlsx' | 'parcels:csv' | 'district-figures:xlsx';

async function run(writer: Writer, options: Parameters<typeof exportContext>[1]) {
  const job = await exportContext(testApp, options);
  const result = await EXPORT_WRITERS[writer]!(job);
  return { job, result };
}

function done(result: ExportOutput | ExportRefusal): ExportOutput {
  if (!result.ok) throw new Error(`refused: ${result.reason} ${result.message}`);
  return result;
}

async function workbookOf(file: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

/** RFC 4180: fields separated by commas, records by CRLF, quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') { field += '"'; index += 1; } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"' && field === '') quoted = true;
    else if (character === ',') { record.push(field); field = ''; } else if (character === '\r' && text[index + 1] === '\n') {
      record.push(field); records.push(record); record = []; field = ''; index += 1;
    } else field += character;
  }
  if (field !== '' || record.length > 0) { record.push(field); records.push(record); }
  return records;
}

function readCsv(file: string): { bom: boolean; header: string[]; rows: string[][] } {
  const bytes = fs.readFileSync(file);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const [header, ...rows] = parseCsv(bytes.subarray(bom ? 3 : 0).toString('utf8'));
  return { bom, header, rows };
}

/** The data rows of the parcel sheet as objects by header. */
function sheetRecords(workbook: ExcelJS.Workbook): { headers: string[]; records: Map<string, ExcelJS.Cell>[] } {
  const sheet = workbook.getWorksheet('地块属性表')!;
  const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const records: Map<string, ExcelJS.Cell>[] = [];
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    records.push(new Map(headers.map((header, index) => [header, row.getCell(index + 1)])));
  });
  return { headers, records };
}

async function parcelCount(where: ReturnType<typeof sql>): Promise<number> {
  const { rows: [row] } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM parcels p WHERE ${where}`.execute(testApp.database.db);
  return row.count;
}

/**
 * Runs `attempt` until the database's figures did not move while it ran (other test files write
 * parcels meanwhile), then hands the settled result to the assertions.
 */
async function settled<T, F>(figures: () => Promise<F>, attempt: () => Promise<T>): Promise<{ before: F; result: T }> {
  for (let round = 0; round < 5; round += 1) {
    const before = await figures();
    const result = await attempt();
    const after = await figures();
    if (JSON.stringify(before) === JSON.stringify(after)) return { before, result };
  }
  throw new Error('the figures kept moving while exporting');
}

beforeAll(async () => {
  testApp = await createTestApp();
  for (const [district, parcel] of [[HULI, tricky.huli], [SIMING, tricky.siming]] as const) {
    await sql`
      INSERT INTO parcels (code, district_code, owner, town_or_park, location, registered_area_m2, land_use_code, building_coverage,
                           investment_intensity, production_start, identified_at, meets_safety, meets_environment,
                           status, inefficiency_type, geom, updated_by)
      SELECT ${parcel.code}, district_code, ${parcel.owner}, ${town}, ${parcel.location}, 12345.67, '0601', 0.3512,
             1234.5, '2019-05-01', '2024-03-15', true, false,
             'suspected', 'idle', geom, 'admin'
      FROM parcels WHERE district_code = ${district} AND code NOT LIKE 'XT-%' ORDER BY id LIMIT 1`.execute(testApp.database.db);
  }
});

afterAll(async () => {
  await sql`DELETE FROM parcels WHERE town_or_park = ${town}`.execute(testApp.database.db);
  await testApp.close();
});

describe('parcel attribute list as xlsx', () => {
  it('has Chinese headers with units, a frozen header with a filter, numbers as numbers, dates as dates, widths that fit, a 说明 sheet', async () => {
    const { job, result } = await run('parcels:xlsx', { layer: 'parcels', format: 'xlsx', filters: { townOrPark: town } });
    const output = done(result);
    expect(output.rowCount).toBe(2);
    expect(output.fileName).toBe(`厦门市_地块_${town}_${job.stamp}.xlsx`);
    expect(job.progressSeen.at(-1)).toBe(1);

    const workbook = await workbookOf(output.file);
    const sheet = workbook.getWorksheet('地块属性表')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    const { headers, records } = sheetRecords(workbook);
    expect(headers).toEqual(PARCEL_TABLE_COLUMNS.map((column) => column.header));
    for (const header of ['宗地编号', '所在行政区', '行政区划代码', '土地面积(登记)（㎡）', '土地面积(登记)（亩）', '椭球面积(图形)（㎡）', '椭球面积(图形)（亩）',
      '地类名称', '建筑系数（%）', '投资强度（万元/亩）', '投产时间', '效率状态', '低效类型', '认定时间']) {
      expect(headers).toContain(header);
    }
    expect(records).toHaveLength(2);
    const huli = records.find((record) => record.get('宗地编号')!.value === tricky.huli.code)!;
    expect(huli.get('所在行政区')!.value).toBe('湖里区');
    expect(huli.get('效率状态')!.value).toBe('疑似低效');
    expect(huli.get('低效类型')!.value).toBe('闲置低效');
    expect(huli.get('地类名称')!.value).toBe('工业用地');
    expect(huli.get('符合安全生产要求')!.value).toBe('是');
    expect(huli.get('符合环保要求')!.value).toBe('否');
    // A text that looks like a formula stays text (a typed string cell is never evaluated).
    expect(huli.get('土地使用权人')!.type).toBe(ExcelJS.ValueType.String);
    expect(huli.get('土地使用权人')!.value).toBe('=1+1');
    expect(huli.get('土地位置(坐落)')!.value).toBe(tricky.huli.location);
    const registered = huli.get('土地面积(登记)（㎡）')!;
    expect(registered.type).toBe(ExcelJS.ValueType.Number);
    expect(registered.value).toBe(12345.67);
    expect(registered.numFmt).toBe('#,##0.00');
    expect(huli.get('土地面积(登记)（亩）')!.value).toBeCloseTo(12345.67 * 15 / 10000, 4);
    expect(typeof huli.get('椭球面积(图形)（㎡）')!.value).toBe('number');
    const coverage = huli.get('建筑系数（%）')!;
    expect(coverage.value).toBe(0.3512);
    expect(coverage.numFmt).toBe('0.00%');
    const start = huli.get('投产时间')!;
    expect(start.type).toBe(ExcelJS.ValueType.Date);
    expect((start.value as Date).toISOString()).toBe('2019-05-01T00:00:00.000Z');
    expect(start.numFmt).toBe('yyyy-mm-dd');
    expect((huli.get('认定时间')!.value as Date).toISOString()).toBe('2024-03-15T00:00:00.000Z');
    expect(huli.get('停产时间')!.value).toBeNull();

    // Widths fit: the location (CJK counting double) and the longest label; long headers wrap.
    const widthOf = (header: string) => sheet.getColumn(headers.indexOf(header) + 1).width!;
    expect(widthOf('土地位置(坐落)')).toBeGreaterThanOrEqual(tricky.huli.location.length + 8);
    expect(widthOf('效率状态')).toBeGreaterThanOrEqual(10);
    expect(widthOf('宗地编号')).toBeGreaterThanOrEqual(tricky.huli.code.length);
    expect(sheet.getRow(1).getCell(1).alignment?.wrapText).toBe(true);

    const info = workbook.getWorksheet('说明')!;
    const facts = new Map<string, unknown>();
    info.eachRow((row) => facts.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(facts.get('记录数')).toBe(2);
    expect(facts.get('筛选条件')).toBe(`所在镇街/园区：${town}`);
    expect(facts.get('管辖范围')).toBe('全部行政区');
    expect(String(facts.get('导出人'))).toContain('admin');
    expect(String(facts.get('导出时间'))).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）$/);
  });

  it('writes as many rows as the filter selects in the database, named after what is inside', async () => {
    const filters = { district: HULI, status: 'suspected' as const };
    const { before: count, result: { job, result } } = await settled(
      () => parcelCount(sql`p.district_code = ${HULI} AND p.status = 'suspected'`),
      () => run('parcels:xlsx', { layer: 'parcels', format: 'xlsx', filters }),
    );
    const output = done(result);
    expect(count).toBeGreaterThan(0);
    expect(output.rowCount).toBe(count);
    expect(output.fileName).toBe(`厦门市湖里区_地块_疑似低效_${job.stamp}.xlsx`);
    const { records } = sheetRecords(await workbookOf(output.file));
    expect(records).toHaveLength(count);
    expect(new Set(records.map((record) => record.get('效率状态')!.value))).toEqual(new Set(['疑似低效']));
    expect(new Set(records.map((record) => record.get('行政区划代码')!.value))).toEqual(new Set([HULI]));
  });
});

describe('parcel attribute list as CSV', () => {
  it('is UTF-8 with a BOM, RFC 4180, Chinese headers with units, plain numbers, formulas neutralised', async () => {
    const { job, result } = await run('parcels:csv', { layer: 'parcels', format: 'csv', filters: { townOrPark: town } });
    const output = done(result);
    expect(output.rowCount).toBe(2);
    expect(output.fileName).toBe(`厦门市_地块_${town}_${job.stamp}.csv`);
    const csv = readCsv(output.file);
    expect(csv.bom).toBe(true);
    expect(csv.header).toEqual(PARCEL_TABLE_COLUMNS.map((column) => column.header));
    expect(csv.rows).toHaveLength(2);
    expect(csv.rows.every((row) => row.length === csv.header.length)).toBe(true);
    const field = (row: string[], header: string) => row[csv.header.indexOf(header)];
    const huli = csv.rows.find((row) => field(row, '宗地编号') === tricky.huli.code)!;
    const siming = csv.rows.find((row) => field(row, '宗地编号') === tricky.siming.code)!;
    // Text starting with = + - @ gets a leading apostrophe; everything else is byte-identical.
    expect(field(huli, '土地使用权人')).toBe("'=1+1");
    expect(field(siming, '土地使用权人')).toBe(`'${tricky.siming.owner}`);
    expect(field(huli, '土地位置(坐落)')).toBe(tricky.huli.location);
    expect(field(huli, '土地面积(登记)（㎡）')).toBe('12345.67');
    expect(field(huli, '建筑系数（%）')).toBe('35.12');
    expect(field(huli, '投资强度（万元/亩）')).toBe('1234.5');
    expect(field(huli, '投产时间')).toBe('2019-05-01');
    expect(field(huli, '停产时间')).toBe('');
    expect(field(huli, '效率状态')).toBe('疑似低效');
    expect(field(huli, '所在行政区')).toBe('湖里区');
    expect(Number(field(huli, '椭球面积(图形)（㎡）'))).toBeGreaterThan(0);
    expect(field(huli, '椭球面积(图形)（㎡）')).not.toContain(',');
    // The raw bytes: the quoted field with its comma, doubled quotes and line break.
    const text = fs.readFileSync(output.file, 'utf8');
    expect(text).toContain('"湖里大道 8 号,""东区""\n二号楼"');
    expect(text.endsWith('\r\n')).toBe(true);
  });
});

describe('who may export what (tables)', () => {
  it('gives a reader scoped to 湖里区 only 湖里区 rows, in xlsx and in CSV', async () => {
    const xlsx = done((await run('parcels:xlsx', { layer: 'parcels', format: 'xlsx', username: 'planner-huli', filters: { townOrPark: town } })).result);
    expect(xlsx.rowCount).toBe(1);
    const { records } = sheetRecords(await workbookOf(xlsx.file));
    expect(records.map((record) => record.get('宗地编号')!.value)).toEqual([tricky.huli.code]);
    expect(xlsx.fileName).toMatch(/^厦门市湖里区_地块_/);

    const { before: count, result: { result } } = await settled(
      () => parcelCount(sql`p.district_code = ${HULI}`),
      () => run('parcels:csv', { layer: 'parcels', format: 'csv', username: 'planner-huli' }),
    );
    const csv = readCsv(done(result).file);
    expect(csv.rows).toHaveLength(count);
    const codeColumn = csv.header.indexOf('行政区划代码');
    expect(new Set(csv.rows.map((row) => row[codeColumn]))).toEqual(new Set([HULI]));
    expect(csv.rows.some((row) => row.includes(tricky.siming.code))).toBe(false);
  });

  it('refuses an empty selection with a Chinese message, also when the scope leaves nothing', async () => {
    for (const format of ['xlsx', 'csv'] as const) {
      const nothing = (await run(`parcels:${format}`, { layer: 'parcels', format, filters: { townOrPark: `${town}-无此园区` } })).result;
      expect(nothing).toMatchObject({ ok: false, reason: EXPORT_EMPTY });
      expect((nothing as ExportRefusal).message).toMatch(/没有符合条件的地块.*请放宽筛选条件/);
      const outside = (await run(`parcels:${format}`, { layer: 'parcels', format, username: 'planner-huli', filters: { district: SIMING } })).result;
      expect(outside).toMatchObject({ ok: false, reason: EXPORT_EMPTY });
      expect((outside as ExportRefusal).message).toMatch(/所选行政区不在您的管辖范围内（厦门市湖里区）/);
    }
  });
});

/** The figures of one row of a figure sheet, by group label: [count, m², 公顷, 亩]. */
function figureSheet(workbook: ExcelJS.Workbook, name: string): Map<string, Map<string, number[]>> {
  const sheet = workbook.getWorksheet(name)!;
  const groups = (sheet.getRow(3).values as unknown[]).slice(3).map(String);
  const rows = new Map<string, Map<string, number[]>>();
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber <= 4) return;
    const figures = new Map<string, number[]>();
    for (let group = 0; group < groups.length; group += 4) {
      const cells = [0, 1, 2, 3].map((offset) => row.getCell(3 + group + offset));
      for (const cell of cells) expect(cell.type).toBe(ExcelJS.ValueType.Number);
      figures.set(groups[group], cells.map((cell) => cell.value as number));
    }
    rows.set(String(row.getCell(2).value), figures);
  });
  return rows;
}

function expectSameFigures(sheetRow: Map<string, number[]> | undefined, stats: DistrictStats): void {
  expect(sheetRow).toBeDefined();
  const expectFigure = (label: string, figure: { count: number; areaM2: number }) => {
    const area = areaInUnits(figure.areaM2);
    expect(sheetRow!.get(label), label).toEqual([figure.count, area.m2, area.ha, area.mu]);
  };
  expectFigure('合计', { count: stats.parcelCount, areaM2: stats.areaM2 });
  for (const status of EFFICIENCY_STATUSES) expectFigure(status.label, stats.byStatus.find((item) => item.status === status.code)!);
}

function expectSameTypeFigures(sheetRow: Map<string, number[]> | undefined, stats: DistrictStats): void {
  expect(sheetRow).toBeDefined();
  const sum = { count: stats.byType.reduce((total, item) => total + item.count, 0), areaM2: stats.byType.reduce((total, item) => total + item.areaM2, 0) };
  expect(sheetRow!.get('合计')).toEqual([sum.count, areaInUnits(sum.areaM2).m2, areaInUnits(sum.areaM2).ha, areaInUnits(sum.areaM2).mu]);
  for (const type of INEFFICIENCY_TYPES) {
    const figure = stats.byType.find((item) => item.type === type.code)!;
    const area = areaInUnits(figure.areaM2);
    expect(sheetRow!.get(type.label), type.label).toEqual([figure.count, area.m2, area.ha, area.mu]);
  }
}

describe('district figures as xlsx', () => {
  it('tie out with the map panel for every district and the city', async () => {
    const admin = await login(testApp.app, 'admin');
    const { body: districts } = { body: (await admin.get('/api/districts')).json().items as { code: string; level: string }[] };
    const codes = [XIAMEN.code, ...districts.filter((district) => district.level === 'district').map((district) => district.code)];
    const panel = async () => Object.fromEntries(await Promise.all(codes.map(async (code) => [code, (await admin.get(`/api/districts/${code}/stats`)).json() as DistrictStats])));
    const { before: figures, result: { job, result } } = await settled(panel, () => run('district-figures:xlsx', { layer: 'district-figures', format: 'xlsx' }));
    const output = done(result);
    expect(output.fileName).toBe(`厦门市_区县统计_${job.stamp}.xlsx`);
    expect(output.rowCount).toBe(codes.length);
    const workbook = await workbookOf(output.file);
    const byStatus = figureSheet(workbook, '按效率状态');
    const byType = figureSheet(workbook, '按低效类型');
    expect([...byStatus.keys()]).toEqual([...codes.slice(1), XIAMEN.code]);
    for (const code of codes) {
      expectSameFigures(byStatus.get(code), figures[code]);
      expectSameTypeFigures(byType.get(code), figures[code]);
    }
    // The city's row is the sum of its districts' rows.
    const districtCount = codes.slice(1).reduce((sum, code) => sum + byStatus.get(code)!.get('合计')![0], 0);
    expect(byStatus.get(XIAMEN.code)!.get('合计')![0]).toBe(districtCount);
    expect(workbook.getWorksheet('按效率状态')!.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(String(workbook.getWorksheet('按效率状态')!.getCell('A1').value)).toContain('厦门市');
  });

  it('gives a reader scoped to 湖里区 only 湖里区 and a city total over it', async () => {
    const planner = await login(testApp.app, 'planner-huli');
    const panel = async () => ({
      huli: (await planner.get(`/api/districts/${HULI}/stats`)).json() as DistrictStats,
      city: (await planner.get(`/api/districts/${XIAMEN.code}/stats`)).json() as DistrictStats,
    });
    const { before: figures, result: { job, result } } = await settled(panel, () => run('district-figures:xlsx', { layer: 'district-figures', format: 'xlsx', username: 'planner-huli' }));
    const output = done(result);
    expect(output.fileName).toBe(`厦门市湖里区_区县统计_${job.stamp}.xlsx`);
    const workbook = await workbookOf(output.file);
    const byStatus = figureSheet(workbook, '按效率状态');
    expect([...byStatus.keys()]).toEqual([HULI, XIAMEN.code]);
    expectSameFigures(byStatus.get(HULI), figures.huli);
    expectSameFigures(byStatus.get(XIAMEN.code), figures.city);
    expectSameTypeFigures(figureSheet(workbook, '按低效类型').get(XIAMEN.code), figures.city);
    expect(figures.city.parcelCount).toBe(figures.huli.parcelCount);
    const sheet = workbook.getWorksheet('按效率状态')!;
    expect(String(sheet.getRow(sheet.rowCount).getCell(1).value)).toBe('厦门市合计（管辖范围内）');

    const refused = (await run('district-figures:xlsx', { layer: 'district-figures', format: 'xlsx', username: 'planner-huli', filters: { district: SIMING } })).result;
    expect(refused).toMatchObject({ ok: false, reason: OUT_OF_SCOPE });
    expect((refused as ExportRefusal).message).toContain('思明区不在您的管辖范围内');
  });
});

describe('big selections stream', () => {
  it('exports every demo parcel to xlsx and CSV with modest memory growth', async () => {
    for (const format of ['xlsx', 'csv'] as const) {
      globalThis.gc?.();
      const start = process.memoryUsage().rss;
      let peak = start;
      const job = await exportContext(testApp, { layer: 'parcels', format });
      const progress = job.progress;
      job.progress = (fraction) => { peak = Math.max(peak, process.memoryUsage().rss); progress(fraction); };
      const began = Date.now();
      const output = done(await EXPORT_WRITERS[`parcels:${format}`]!(job));
      const growth = (peak - start) / 1024 / 1024;
      const bytes = fs.statSync(output.file).size;
      console.log(`[exports-tables] ${format}: ${output.rowCount} parcels, ${(bytes / 1024 / 1024).toFixed(1)} MB, ${((Date.now() - began) / 1000).toFixed(1)} s, RSS growth ${growth.toFixed(0)} MB`);
      expect(output.rowCount).toBeGreaterThanOrEqual(20_000);
      expect(job.progressSeen.length).toBeGreaterThan(10);
      expect(job.progressSeen.every((fraction, index) => index === 0 || fraction >= job.progressSeen[index - 1])).toBe(true);
      expect(job.progressSeen.at(-1)).toBe(1);
      // Batches of 2 000 rows, and the xlsx waits for the zip: the growth stays far below the selection's size.
      expect(growth).toBeLessThan(100);
      if (format === 'csv') {
        const lines = fs.readFileSync(output.file, 'utf8').split('\r\n').filter((line) => line.length > 0);
        expect(lines.length).toBeGreaterThanOrEqual(output.rowCount + 1);
      }
    }
  });

  it('sees how much of a streamed sheet waits for the zip (the exceljs internals the xlsx writer throttles on)', async () => {
    const file = `${fs.mkdtempSync('/tmp/biaotu-backlog-')}/backlog.xlsx`;
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet('a');
    let seen = 0;
    for (let row = 0; row < 5000; row += 1) {
      sheet.addRow([`湖里区测试地块-${row}`, row * 1.5, '土地使用权人'.repeat(4)]).commit();
      seen = Math.max(seen, sheetBacklog(sheet) ?? -1);
    }
    // Rows written without yielding pile up in front of the zip: the writer must see them to wait.
    expect(seen).toBeGreaterThan(64 * 1024);
    sheet.commit();
    await workbook.commit();
    expect(fs.statSync(file).size).toBeGreaterThan(0);
  });

  it('stops when the job is cancelled', async () => {
    const controller = new AbortController();
    const job = await exportContext(testApp, { layer: 'parcels', format: 'xlsx', signal: controller.signal });
    const progress = job.progress;
    job.progress = (fraction) => { progress(fraction); if (fraction > 0.1) controller.abort(); };
    await expect(EXPORT_WRITERS['parcels:xlsx']!(job)).rejects.toThrow();
    expect(job.progressSeen.at(-1)).toBeLessThan(1);
  });
});
