import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { withExif } from '../helpers/document-files.js';

/**
 * 一地一档 in the parcel card, in Debian's Chromium: a surveyor drops a PDF and a phone photo on the
 * card's 档案 tab, sees them listed (thumbnail, category, the photo's time), previews the PDF, finds
 * the photo's point on the map and opens it there, and removes the PDF with a reason.
 */
let session: BrowserSession;
let parcel: { id: number; code: string; lon: number; lat: number };
const shots = process.env.BIAOTU_SCREENSHOTS ?? null;

beforeAll(async () => {
  session = await openBrowser();
  const { rows: [row] } = await sql<{ id: number; code: string; lon: number; lat: number }>`
    SELECT id, code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
    FROM parcels WHERE district_code = '350206' AND area_m2 > 20000 ORDER BY id OFFSET 7 LIMIT 1`.execute(session.testApp.database.db);
  parcel = row;
}, 180_000);

afterAll(async () => {
  await session?.close();
});

describe('一地一档 in the parcel card', () => {
  it('attaches a PDF and a photo, previews, shows the photo on the map, removes with a reason', async () => {
    const { page, browser } = session;
    // Real files from Chromium: a PDF print and a JPEG screenshot, the photo given a camera's EXIF.
    const maker = await browser.newPage({ viewport: { width: 640, height: 420 } });
    await maker.setContent('<body style="margin:0;background:linear-gradient(160deg,#8ab 0%,#465 70%);font:32px sans-serif;color:#fff"><p style="padding:30px">厂区东侧现状 · 浏览器测试</p></body>');
    const pdf = await maker.pdf({ format: 'A4' });
    const photo = withExif(await maker.screenshot({ type: 'jpeg', quality: 85 }), { takenAt: '2026:03:15 09:41:00', longitude: parcel.lon, latitude: parcel.lat });
    await maker.close();

    await logIn(session, 'surveyor');
    await page.evaluate((id) => { window.location.hash = `#/map?d=350206&p=${id}`; }, parcel.id);
    await page.reload();
    await page.waitForSelector('[data-testid="parcel-card"] #tab-documents', { timeout: 60_000 });
    await page.click('#tab-documents');
    await page.waitForSelector('[data-testid="documents-empty"], [data-testid="documents-list"]');

    await page.setInputFiles('[data-testid="documents-file-input"]', [
      { name: '国有建设用地使用权出让合同.pdf', mimeType: 'application/pdf', buffer: pdf },
      { name: 'IMG_0315.jpg', mimeType: 'image/jpeg', buffer: photo },
    ]);
    await page.waitForSelector('[data-testid="documents-queue"]');
    await page.fill('input[data-testid="documents-note"], [data-testid="documents-note"] input', '浏览器测试上传');
    if (shots) await page.locator('[data-testid="parcel-card"]').screenshot({ path: `${shots}/documents-queue.png` });
    await page.click('[data-testid="documents-upload"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="documents-list"] .document').length >= 2, undefined, { timeout: 30_000 });
    const listText = await page.locator('[data-testid="documents-list"]').innerText();
    expect(listText).toContain('国有建设用地使用权出让合同.pdf');
    expect(listText).toContain('合同协议');
    expect(listText).toContain('IMG_0315.jpg');
    expect(listText).toContain('现场照片');
    // 09:41 in China (EXIF without an offset is read as UTC+8), shown in the browser's time zone.
    expect(listText).toMatch(/拍摄于 2026-03-15 \d\d:41/);
    expect(listText).toContain('位于地块内');
    // The photo's thumbnail is the picture itself, loaded.
    await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLImageElement>('[data-testid="documents-list"] img')).some((image) => image.complete && image.naturalWidth > 0));
    if (shots) await page.locator('[data-testid="parcel-card"]').screenshot({ path: `${shots}/documents-list.png` });

    // The PDF previews in a sandboxed frame of the app.
    const pdfRow = page.locator('[data-testid="documents-list"] .document', { hasText: '出让合同' });
    await pdfRow.locator('[data-testid="document-preview"]').click();
    const frame = page.locator('[data-testid="document-preview-frame"]');
    await frame.waitFor();
    expect(await frame.getAttribute('src')).toMatch(new RegExp(`/api/parcels/${parcel.id}/documents/\\d+/preview$`));
    if (shots) {
      await page.waitForTimeout(2000); // Chromium's PDF viewer draws the page
      await page.screenshot({ path: `${shots}/documents-pdf-preview.png` });
    }
    await page.keyboard.press('Escape');
    await frame.waitFor({ state: 'detached' });

    // The photo's point on the map: fly to the parcel, click the marker, the popup shows the photo.
    await page.click('[aria-label="定位到地块"]');
    const point = await page.waitForFunction(() => {
      const map = window.__biaotuMap;
      if (!map || !map.getLayer('parcel-photos-circle') || map.isMoving()) return null;
      const [feature] = map.queryRenderedFeatures({ layers: ['parcel-photos-circle'] });
      if (!feature) return null;
      const position = map.project((feature.geometry as unknown as { coordinates: [number, number] }).coordinates);
      const box = map.getCanvas().getBoundingClientRect();
      return { x: box.left + position.x, y: box.top + position.y };
    }, undefined, { timeout: 30_000 }).then((handle) => handle.jsonValue() as Promise<{ x: number; y: number }>);
    await page.mouse.click(point.x, point.y);
    const popup = page.locator('[data-testid="photo-popup"]');
    await popup.waitFor();
    expect(await popup.innerText()).toContain('IMG_0315.jpg');
    expect(await popup.innerText()).toMatch(/拍摄于 2026-03-15 \d\d:41/);
    await page.waitForFunction(() => {
      const image = document.querySelector<HTMLImageElement>('[data-testid="photo-popup"] img');
      return image !== null && image.complete && image.naturalWidth > 0;
    });
    // The click opened the photo, not another parcel: the card still shows this parcel.
    expect(await page.locator('[data-testid="parcel-card-title"]').innerText()).toContain(parcel.code);
    if (shots) await page.screenshot({ path: `${shots}/documents-photo-on-map.png` });

    // Removal asks for a reason and keeps the file on record.
    await pdfRow.locator('[data-testid="document-remove"]').click();
    await page.fill('.el-message-box input', '测试移除：上传错了地块');
    await page.click('.el-message-box .el-button--danger');
    await page.waitForFunction(() => !document.querySelector('[data-testid="documents-list"]')?.textContent?.includes('出让合同'), undefined, { timeout: 15_000 });
    expect(await page.locator('[data-testid="parcel-documents"]').innerText()).toContain('另有 1 份已移除，记录在案');
    // The history tab beside it still loads (the two share one way of loading).
    await page.click('#tab-history');
    await page.waitForSelector('[data-testid="parcel-history-empty"], [data-testid="parcel-history-entry"]');
    expect(session.errors).toEqual([]);
  });
});
