import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_NOT_FOUND, EXPORT_OUT_OF_SCOPE, type ExportOutput, type ExportRefusal } from '../../server/exports/export-writer.js';
import { html, trustedHtml } from '../../server/exports/reports/html.js';
import { createPdfRenderer } from '../../server/exports/reports/pdf-renderer.js';
import { EXPORT_WRITERS } from '../../server/exports/writers/index.js';
import { exportContext } from '../helpers/export-context.js';
import { createTestApp, login, type Session, type TestApp, patchParcel } from '../helpers/test-app.js';

/** A name that would run or vanish if it reached the page as markup (the report must print it as text). */
const HOSTILE = `试点<script>document.body.innerHTML='HACKED'</script>&"引号"'区'`;
const OWNER = `厦门<b>粗体</b>&"报告"测试'有限公司`;

let testApp: TestApp;
let planner: Session;
let official: Session;
let admin: Session;
beforeAll(async () => {
  testApp = await createTestApp();
  [planner, official, admin] = await Promise.all([login(testApp.app, 'planner'), login(testApp.app, 'official'), login(testApp.app, 'admin')]);
});
afterAll(async () => {
  await testApp?.close();
});

const areaWriter = EXPORT_WRITERS['area-report:pdf']!;
const cardWriter = EXPORT_WRITERS['parcel-card:pdf']!;

/** pdftotext's text in drawing order with every blank removed (a table cell's wrapped lines join up again). */
function textOf(file: string): string {
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

function pagesOf(file: string): { pages: number; sizes: string[] } {
  const info = execFileSync('pdfinfo', ['-f', '1', '-l', '99', file], { encoding: 'utf8' });
  return { pages: Number(/^Pages:\s+(\d+)/m.exec(info)![1]), sizes: [...info.matchAll(/^Page\s+\d+\s+size:\s+(.*)$/gm)].map((match) => match[1]) };
}

/** pdffonts rows: [name, type, emb, uni]. */
function fontsOf(file: string): { name: string; type: string; embedded: boolean; unicode: boolean }[] {
  const lines = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter((line) => line.trim());
  return lines.map((line) => {
    const columns = line.trim().split(/\s+/);
    const [embedded, , unicode] = columns.slice(-5, -2);
    return { name: columns[0], type: columns.slice(1, -5).join(' '), embedded: embedded === 'yes', unicode: unicode === 'yes' };
  });
}

function expectPrintable(file: string): { pages: number } {
  const { pages, sizes } = pagesOf(file);
  expect(pages).toBeGreaterThanOrEqual(1);
  expect(sizes).toHaveLength(pages);
  for (const size of sizes) expect(size).toContain('(A4)');
  const fonts = fontsOf(file);
  expect(fonts.length).toBeGreaterThan(0);
  // Every font is in the file with its Unicode map: the CJK text prints and copies the same everywhere.
  expect(fonts.filter((font) => !font.embedded || !font.unicode)).toEqual([]);
  return { pages };
}

function done(outcome: ExportOutput | ExportRefusal): ExportOutput {
  if (!outcome.ok) throw new Error(`refused: ${outcome.reason} ${outcome.message}`);
  return outcome;
}

/** A box around a 思明区 parcel, grown on each side, with a drawn 配套 piece in its south-west corner. */
async function siteInSiming() {
  const { rows: [parcel] } = await sql<{ id: number; xmin: number; ymin: number; xmax: number; ymax: number }>`
    SELECT id, ST_XMin(geom) AS xmin, ST_YMin(geom) AS ymin, ST_XMax(geom) AS xmax, ST_YMax(geom) AS ymax
    FROM parcels WHERE district_code = '350203' ORDER BY id OFFSET 211 LIMIT 1`.execute(testApp.database.db);
  const dx = (parcel.xmax - parcel.xmin) * 0.6;
  const dy = (parcel.ymax - parcel.ymin) * 0.6;
  const [x0, y0, x1, y1] = [parcel.xmin - dx, parcel.ymin - dy, parcel.xmax + dx, parcel.ymax + dy];
  const ring = (a: number, b: number, c: number, d: number) => [[[a, b], [c, b], [c, d], [a, d], [a, b]]];
  return {
    boundary: { type: 'Polygon', coordinates: ring(x0, y0, x1, y1) },
    supporting: { type: 'Polygon', coordinates: ring(x0, y0, x0 + (x1 - x0) * 0.25, y0 + (y1 - y0) * 0.2) },
  };
}

describe('成片改造区域校验报告 (area-report:pdf)', () => {
  let areaId: number;
  let file: string;
  let detail: { version: number; result: { checks: { name: string }[]; area: { m2: number } } };

  beforeAll(async () => {
    const site = await siteInSiming();
    const created = await planner.request({
      method: 'POST', url: '/api/areas', payload: {
        name: HOSTILE, mode: 'owner_self', targetLandUse: '新型产业用地', ruleSet: 'xiamen-new-industrial', boundary: site.boundary,
        supportingLand: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: site.supporting, properties: {} }] },
        figures: { totalFloorArea: 30000, grossFloorArea: 36000, supportingFloorArea: 3000, factoryFloorArea: 18000 },
      },
    });
    expect(created.statusCode).toBe(201);
    areaId = created.json().id;
    expect((await planner.request({ method: 'POST', url: `/api/areas/${areaId}/status`, payload: { status: 'submitted', note: '请审核' } })).statusCode).toBe(200);
    const approved = await official.request({ method: 'POST', url: `/api/areas/${areaId}/status`, payload: { status: 'approved', note: '同意' } });
    expect(approved.statusCode).toBe(200);
    detail = approved.json();
  });

  it('prints the area, its figures in m²/公顷/亩, every rule with its source, who submitted and approved, page numbers; A4 with the fonts embedded', async () => {
    const job = await exportContext(testApp, { layer: 'area-report', format: 'pdf', username: 'planner', filters: { areaId } });
    const output = done(await areaWriter(job));
    file = output.file;
    if (process.env.REPORT_PDF_KEEP) fs.copyFileSync(output.file, path.join(process.env.REPORT_PDF_KEEP, 'area-report.pdf'));
    expect(path.dirname(output.file)).toBe(job.directory);
    expect(output).toMatchObject({ rowCount: 1, crs: null, encoding: null });
    expect(output.fileName).toBe(`成片改造区域校验报告_试点-script-document.body.innerHTML='HACKED'-script-&-引号-'区'_v${detail.version}_${job.stamp}.pdf`);
    expect(job.progressSeen.at(-1)).toBe(1);

    const text = textOf(output.file);
    for (const expected of [
      '成片改造区域校验报告', '思明区', '面积指标', '公顷', '亩', '规则校验', '审批记录', '纳入地块', '区域边界', '配套用房用地',
      '比例尺1:', '北', '规划员（演示）', '审核员（演示）', '批准时锁定的校验结果', `第${detail.version}版`, '第1页/共', '依据：',
    ]) expect(text, expected).toContain(expected);
    for (const check of detail.result.checks) expect(text, check.name).toContain(check.name.replace(/\s+/g, ''));
    const m2 = detail.result.area.m2.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(text).toContain(m2);
    const { pages } = expectPrintable(output.file);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(text).toContain(`第${pages}页/共${pages}页`);
  });

  it('prints a hostile area name as text: nothing in it runs or becomes markup', () => {
    const text = textOf(file);
    expect(text).toContain(HOSTILE.replace(/\s+/g, ''));
    expect(text).not.toMatch(/^HACKED/);
    expect(text).toContain('规则校验');
  });

  it('refuses an area outside the reader\'s districts, and one that does not exist, in Chinese', async () => {
    const outside = await areaWriter(await exportContext(testApp, { layer: 'area-report', format: 'pdf', username: 'planner-huli', filters: { areaId } }));
    expect(outside).toMatchObject({ ok: false, reason: EXPORT_OUT_OF_SCOPE });
    expect((outside as ExportRefusal).message).toContain('思明区');
    const missing = await areaWriter(await exportContext(testApp, { layer: 'area-report', format: 'pdf', username: 'planner', filters: { areaId: 2 ** 31 } }));
    expect(missing).toMatchObject({ ok: false, reason: EXPORT_NOT_FOUND });
    expect((missing as ExportRefusal).message).toContain('没有编号为');
  });
});

describe('一宗一卡 (parcel-card:pdf)', () => {
  let parcel: { id: number; code: string; owner: string | null };

  beforeAll(async () => {
    ({ rows: [parcel] } = await sql<{ id: number; code: string; owner: string | null }>`
      SELECT id, code, owner FROM parcels WHERE district_code = '350206' ORDER BY id DESC OFFSET 97 LIMIT 1`.execute(testApp.database.db));
    // A change of its owner to a hostile name: on the card as text, and in its history.
    const patched = await patchParcel(admin, parcel.id, { owner: OWNER });
    expect(patched.statusCode).toBe(200);
  });
  afterAll(async () => {
    await patchParcel(admin, parcel.id, { owner: parcel.owner });
  });

  it('prints every attribute with its label and unit, a map with the neighbours, and the history; A4 with the fonts embedded', async () => {
    const job = await exportContext(testApp, { layer: 'parcel-card', format: 'pdf', username: 'planner-huli', filters: { parcelId: parcel.id } });
    const output = done(await cardWriter(job));
    if (process.env.REPORT_PDF_KEEP) fs.copyFileSync(output.file, path.join(process.env.REPORT_PDF_KEEP, 'parcel-card.pdf'));
    expect(output.fileName).toBe(`一宗一卡_${parcel.code}_${job.stamp}.pdf`);
    expect(output.rowCount).toBe(1);
    const text = textOf(output.file);
    for (const expected of [
      '一宗一卡', parcel.code, OWNER, '湖里区', '权属与位置', '土地', '建设情况', '经济效益', '安全环保能耗', '认定',
      '椭球面积(图形)', 'm²', '公顷', '投资强度', '万元/亩', '建筑密度(建筑系数)', '效率状态', '变更记录', '土地使用权人：', '周边地块', '比例尺1:', '第1页/共',
    ]) expect(text, expected).toContain(expected.replace(/\s+/g, ''));
    expect(text).toContain('<b>粗体</b>');
    expectPrintable(output.file);
  });

  it('refuses a parcel outside the reader\'s districts (no masked card), and one that does not exist', async () => {
    const { rows: [other] } = await sql<{ id: number }>`SELECT id FROM parcels WHERE district_code = '350203' ORDER BY id LIMIT 1`.execute(testApp.database.db);
    const outside = await cardWriter(await exportContext(testApp, { layer: 'parcel-card', format: 'pdf', username: 'planner-huli', filters: { parcelId: other.id } }));
    expect(outside).toMatchObject({ ok: false, reason: EXPORT_OUT_OF_SCOPE });
    expect((outside as ExportRefusal).message).toContain('思明区');
    const missing = await cardWriter(await exportContext(testApp, { layer: 'parcel-card', format: 'pdf', filters: { parcelId: 2 ** 40 } }));
    expect(missing).toMatchObject({ ok: false, reason: EXPORT_NOT_FOUND });
  });
});

describe('the PDF renderer', () => {
  it('renders at most two reports at once, the others wait; a cancelled one stops waiting; closed, it renders no more', async () => {
    const renderer = createPdfRenderer();
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-pdf-'));
    try {
      // Long enough (many pages) to overlap.
      const rows = Array.from({ length: 1500 }, (_, index) => html`<tr><td>第 ${index} 行</td><td>测试</td></tr>`);
      const page = html`<!DOCTYPE html><html><body><table>${rows}</table></body></html>`;
      const seen: { rendering: number; waiting: number }[] = [];
      const cancel = new AbortController();
      const renders = [0, 1, 2, 3].map((index) => renderer.render(page, path.join(directory, `${index}.pdf`), { footer: '并发', signal: index === 3 ? cancel.signal : undefined }));
      const watching = setInterval(() => seen.push(renderer.load()), 20);
      await new Promise((resolve) => setTimeout(resolve, 100));
      cancel.abort(new Error('cancelled'));
      const outcomes = await Promise.allSettled(renders);
      clearInterval(watching);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
      expect(Math.max(...seen.map((load) => load.rendering))).toBe(2);
      expect(seen[0].waiting).toBe(2);
      expect(renderer.load()).toEqual({ rendering: 0, waiting: 0 });
      expect(pagesOf(path.join(directory, '0.pdf')).pages).toBeGreaterThan(10);
      expect(fs.existsSync(path.join(directory, '3.pdf'))).toBe(false);
    } finally {
      await renderer.close();
      fs.rmSync(directory, { recursive: true, force: true });
    }
    await expect(renderer.render(html`<p>x</p>`, path.join(os.tmpdir(), 'never.pdf'), { footer: '' })).rejects.toThrow(/closed/);
  });

  it('lets a report page reach no network and run no script', async () => {
    let requests = 0;
    const server = http.createServer((_request, response) => {
      requests++;
      response.end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const renderer = createPdfRenderer();
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-pdf-'));
    try {
      const file = path.join(directory, 'probe.pdf');
      await renderer.render(html`<!DOCTYPE html><html><head><link rel="stylesheet" href="${`${origin}/style.css`}"></head>
        <body><p>探测</p><img src="${`${origin}/image.png`}"><iframe src="${`${origin}/frame`}"></iframe>${trustedHtml(`<script>document.body.innerHTML='RAN'</script><script src="${origin}/script.js"></script>`)}</body></html>`, file, { footer: '探测' });
      expect(requests).toBe(0);
      const text = textOf(file);
      expect(text).toContain('探测');
      expect(text).not.toContain('RAN');
    } finally {
      await renderer.close();
      server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
