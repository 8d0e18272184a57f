import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Download, Page } from 'playwright-core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, openAreaPage, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { login } from '../helpers/test-app.js';

let session: BrowserSession;
let page: Page;
let downloads: string;
const SHOTS = process.env.BIAOTU_SCREENSHOTS;
/** Any CJK character: the download name must be the Chinese one, not a percent-encoded or ASCII stand-in. */
const CHINESE = /[\u4e00-\u9fff]/;

beforeAll(async () => {
  session = await openBrowser();
  page = session.page;
  downloads = mkdtempSync(path.join(os.tmpdir(), 'biaotu-export-downloads-'));
});

afterAll(async () => {
  await session?.close();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

async function text(testId: string): Promise<string> {
  return (await page.locator(`[data-testid="${testId}"]`).innerText()).trim();
}

async function shot(name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

async function checked(testId: string): Promise<boolean> {
  return (await page.locator(`[data-testid="${testId}"]`).getAttribute('class'))?.includes('is-checked') ?? false;
}

/** Starts the export in the open dialog, waits for 下载 and clicks it: the browser's download, saved under its suggested name. */
async function exportAndDownload(): Promise<{ download: Download; file: string; fileName: string }> {
  await page.click('[data-testid="export-submit"]');
  await page.waitForSelector('[data-testid="export-progress"]', { timeout: 30_000 });
  // Generous: the machine is shared, Chromium renders the PDF, ogr2ogr writes the Shapefile.
  await page.waitForSelector('[data-testid="export-job"][data-status="done"]', { timeout: 180_000 });
  const fileName = await text('export-file-name');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-testid="export-download"]')]);
  const file = path.join(downloads, download.suggestedFilename());
  await download.saveAs(file);
  return { download, file, fileName };
}

/** Starts the export in the open dialog and waits until it is done; answers the file name it shows. */
async function exportUntilDone(): Promise<string> {
  await page.click('[data-testid="export-submit"]');
  await page.waitForSelector('[data-testid="export-job"]:is([data-status="done"], [data-status="failed"])', { timeout: 180_000 });
  const failed = page.locator('[data-testid="export-failed"]');
  if (await failed.count()) throw new Error(`export failed: ${await failed.innerText()}`);
  return text('export-file-name');
}

async function closeDialog(): Promise<void> {
  await page.locator('[data-testid="export-dialog"] .el-dialog__headerbtn').click();
  await page.waitForSelector('[data-testid="export-dialog"]', { state: 'hidden', timeout: 10_000 });
}

/** A saved 成片改造区域 of 湖里区, through the API: a box around one parcel (`offset`), under the shipped rule set. */
async function createArea(name: string, offset: number): Promise<number> {
  const planner = await login(session.testApp.app, 'planner-huli');
  const { rows: [parcel] } = await sql<{ xmin: number; ymin: number; xmax: number; ymax: number }>`
    SELECT ST_XMin(geom) AS xmin, ST_YMin(geom) AS ymin, ST_XMax(geom) AS xmax, ST_YMax(geom) AS ymax
    FROM parcels WHERE district_code = '350206' ORDER BY id OFFSET ${offset} LIMIT 1`.execute(session.testApp.database.db);
  const dx = (parcel.xmax - parcel.xmin) * 0.2;
  const dy = (parcel.ymax - parcel.ymin) * 0.2;
  const boundary = {
    type: 'Polygon',
    coordinates: [[[parcel.xmin - dx, parcel.ymin - dy], [parcel.xmax + dx, parcel.ymin - dy], [parcel.xmax + dx, parcel.ymax + dy], [parcel.xmin - dx, parcel.ymax + dy], [parcel.xmin - dx, parcel.ymin - dy]]],
  };
  const created = await planner.request({ method: 'POST', url: '/api/areas', payload: { name, mode: 'owner_self', ruleSet: 'xiamen-new-industrial', boundary } });
  expect(created.statusCode).toBe(201);
  return (created.json() as { id: number }).id;
}

describe('exporting from the browser', { timeout: 300_000 }, () => {
  it('exports 湖里区\'s parcels as a zipped Shapefile from the district panel: every parcel, .prj and .cpg in the zip, the Chinese file name', async () => {
    await logIn(session, 'planner-huli');
    await page.locator('[data-testid="district-option-350206"]').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="district-stats"] h2')?.textContent?.includes('湖里区') && document.querySelector('[data-testid="stat-parcel-count"]') !== null,
      undefined,
      { timeout: 30_000 },
    );
    const parcelCount = Number((await text('stat-parcel-count')).replace(/[^0-9]/g, ''));
    expect(parcelCount).toBeGreaterThan(0);

    await page.click('[data-testid="district-export"]');
    await page.click('[data-testid="district-export-parcels"]');
    await page.waitForSelector('[data-testid="export-what"]');
    const what = await text('export-what');
    expect(what).toContain('地块');
    expect(what).toContain('湖里区');
    expect(what).toContain(`约 ${parcelCount.toLocaleString('zh-CN')} 宗`);
    // The defaults: the layer's first format, Gauss-Kruger chosen from the extent, GBK; each choice explained.
    expect(await checked('export-format-shapefile')).toBe(true);
    expect(await checked('export-crs-gauss-kruger')).toBe(true);
    expect(await checked('export-encoding-GBK')).toBe(true);
    expect(await text('export-format-shapefile')).toContain('.prj');
    // GeoJSON has no coordinate system to choose, nor an encoding; back to Shapefile brings both back.
    await page.click('[data-testid="export-format-geojson"]');
    expect(await text('export-crs-fixed')).toContain('WGS84');
    expect(await page.locator('[data-testid="export-encoding-GBK"]').count()).toBe(0);
    await page.click('[data-testid="export-format-shapefile"]');
    expect(await checked('export-encoding-GBK')).toBe(true);
    await shot('export-dialog');
    if (SHOTS) await page.locator('.export-dialog').screenshot({ path: `${SHOTS}/export-dialog-form.png` });

    const { download, file, fileName } = await exportAndDownload();
    // Chromium takes the name from the server's Content-Disposition (RFC 5987): the Chinese name that says what is inside.
    expect(download.suggestedFilename()).toBe(fileName);
    expect(fileName).toMatch(CHINESE);
    expect(fileName).toContain('湖里区');
    expect(fileName).toMatch(/\.zip$/);
    const facts = await text('export-facts');
    expect(facts).toContain(`${parcelCount.toLocaleString('zh-CN')} 宗`);
    expect(facts).toMatch(/3度带 第 \d+ 带 \(EPSG:45\d\d\)/);
    await page.mouse.move(5, 5);
    await shot('export-dialog-done');
    if (SHOTS) await page.locator('.export-dialog').screenshot({ path: `${SHOTS}/export-dialog-only.png` });

    const entries = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const extension of ['.shp', '.shx', '.dbf', '.prj', '.cpg']) expect(entries.some((entry) => entry.toLowerCase().endsWith(extension)), extension).toBe(true);
    const cpg = execFileSync('unzip', ['-p', file, entries.find((entry) => entry.toLowerCase().endsWith('.cpg'))!], { encoding: 'utf8' }).trim();
    // The encoding the dialog reports is the one the .cpg declares (GBK by default; UTF-8 if the data needed it, with a note).
    if (facts.includes('GBK 编码')) expect(cpg).toMatch(/^(GBK|936|CP936)$/i);
    else expect(cpg).toMatch(/^UTF-?8$/i);
    const prj = execFileSync('unzip', ['-p', file, entries.find((entry) => entry.toLowerCase().endsWith('.prj'))!], { encoding: 'utf8' });
    expect(prj).toMatch(/CGCS.?2000|China_Geodetic_Coordinate_System_2000/i);
    expect(prj).toMatch(/Gauss_Kruger|Transverse_Mercator/i);

    const info = execFileSync('ogrinfo', ['-ro', '-so', '-al', `/vsizip/${file}`], { encoding: 'utf8' });
    const features = Number(/Feature Count: (\d+)/.exec(info)?.[1]);
    expect(features).toBe(parcelCount);
    await closeDialog();
  });

  it('exports a 成片改造区域\'s 校验报告 as PDF from the areas page: its name on the first page, page numbers, the Chinese file name', async () => {
    // A saved area of 湖里区, through the API: around one parcel, under the shipped rule set.
    const name = `导出测试片区${process.pid % 1000}`;
    const areaId = await createArea(name, 90);

    await openAreaPage(session, areaId, name);

    await page.click('[data-testid="area-export"]');
    await page.click('[data-testid="area-export-report"]');
    await page.waitForSelector('[data-testid="export-what"]');
    expect(await text('export-what')).toContain(name);
    // A report has one format and nothing to choose about coordinates or encodings.
    expect(await checked('export-format-pdf')).toBe(true);
    expect(await page.locator('[data-testid^="export-crs-"]').count()).toBe(0);
    expect(await page.locator('[data-testid^="export-encoding-"]').count()).toBe(0);

    const { download, file, fileName } = await exportAndDownload();
    expect(download.suggestedFilename()).toBe(fileName);
    expect(fileName).toMatch(CHINESE);
    expect(fileName).toMatch(/\.pdf$/);
    const pdf = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(pdf).toContain(name);
    expect(pdf).toMatch(/第\s*1\s*页/);
    await closeDialog();

    // 我的导出 lists both, done, with 下载.
    await page.click('[data-testid="open-exports"]');
    const done = page.locator('[data-testid="export-item"][data-status="done"]');
    await done.first().waitFor({ state: 'visible', timeout: 30_000 });
    const titles = await done.allInnerTexts();
    expect(titles.some((entry) => entry.includes(fileName))).toBe(true);
    expect(titles.some((entry) => entry.includes('湖里区') && entry.includes('.zip'))).toBe(true);
    expect(await page.locator('[data-testid="export-item"][data-status="done"] [data-testid="export-item-download"]').count()).toBeGreaterThanOrEqual(2);
    await shot('export-list');
    expect(session.errors).toEqual([]);
  });

  it('reaches a file from every other 导出 button: the figures table, the parcels in view, the parcel card (PDF and geodata) and an area\'s layers', async () => {
    await page.context().clearCookies();
    await logIn(session, 'planner-huli');
    await page.locator('[data-testid="district-option-350206"]').click();
    await page.waitForSelector('[data-testid="district-export"]:not(.is-disabled)', { timeout: 30_000 });

    await page.click('[data-testid="district-export"]');
    await page.click('[data-testid="district-export-figures"]');
    expect(await checked('export-format-xlsx')).toBe(true);
    expect(await exportUntilDone()).toMatch(/\.xlsx$/);
    await closeDialog();

    await page.click('[data-testid="district-export"]');
    await page.click('[data-testid="district-export-view"]');
    expect(await text('export-what')).toContain('经度');
    await page.click('[data-testid="export-format-gpkg"]');
    expect(await exportUntilDone()).toMatch(/\.gpkg$/);
    await closeDialog();

    // A parcel's card: 一宗一卡 as PDF, and the parcel alone as GeoJSON (one feature).
    const parcel = await page.evaluate(async () => {
      const list = await fetch('/api/parcels?district=350206&pageSize=1').then((response) => response.json()) as { items: { id: number; code: string }[] };
      return list.items[0];
    });
    await page.evaluate((id) => { window.location.hash = `#/map?d=350206&p=${id}`; }, parcel.id);
    await page.reload();
    await page.waitForSelector('[data-testid="parcel-export"]', { timeout: 60_000 });
    await page.click('[data-testid="parcel-export"]');
    await page.click('[data-testid="parcel-export-card"]');
    expect(await text('export-what')).toContain(parcel.code);
    expect(await exportUntilDone()).toMatch(new RegExp(`${parcel.code}.*\\.pdf$`));
    await closeDialog();
    await page.click('[data-testid="parcel-export"]');
    await page.click('[data-testid="parcel-export-geodata"]');
    await page.click('[data-testid="export-format-geojson"]');
    expect(await exportUntilDone()).toMatch(/\.geojson$/);
    expect(await text('export-facts')).toContain('1 宗');
    await closeDialog();

    // An area's boundary, 零星 and 配套 layers.
    const name = `导出图层测试${process.pid % 1000}`;
    await openAreaPage(session, await createArea(name, 110), name);
    await page.click('[data-testid="area-export"]');
    await page.click('[data-testid="area-export-geodata"]');
    expect(await exportUntilDone()).toMatch(/\.zip$/);
    await closeDialog();
    expect(session.errors).toEqual([]);
  });
});
