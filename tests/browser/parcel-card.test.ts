import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { logIn, openBrowser, type BrowserSession } from '../helpers/browser.js';

/**
 * The whole 一宗一卡 in Chromium (issue 15 item 1): the card shows the groups of seed 003 附件1/附件4
 * with units; 按相邻地块建议 fills the 四至 from the neighbouring parcels, which the surveyor saves;
 * the yearly 产值/税收 are edited in the card and the 近三年 figures follow. Screenshots of the card
 * and the editor are written to BIAOTU_SCREENSHOTS (default: the system's temporary folder).
 */

let session: BrowserSession;
const SHOTS = process.env.BIAOTU_SCREENSHOTS ?? fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-card-'));
let parcel: { id: number; code: string };

beforeAll(async () => {
  session = await openBrowser();
  const db = session.testApp.database.db;
  // A 湖里区 parcel with a neighbour within 100 m on each of at least two sides.
  const { rows: [chosen] } = await sql<{ id: number; code: string }>`
    SELECT p.id, p.code FROM parcels p
    WHERE p.district_code = '350206' AND p.owner IS NOT NULL
      AND (SELECT count(*) FROM parcels n WHERE n.id <> p.id AND n.geom && ST_Expand(p.geom, 0.0004)
             AND ST_DWithin(n.geom::geography, p.geom::geography, 30)) >= 3
    ORDER BY p.id LIMIT 1`.execute(db);
  parcel = chosen;
  await sql`
    UPDATE parcels SET park_side = 'inside', land_acquired_at = '2012-03-01', agreed_floor_area_ratio = 1.5,
      agreed_building_density = 0.4, agreed_completion_date = '2014-12-31', investment_agreement_no = 'HL-TZ-2012-031',
      agreed_investment_intensity = 300, completion_date = '2014-10-20', production_start = '2015-01-01', production_stop = NULL,
      invested_amount = 6800, fixed_asset_investment = 9200, meets_environment = false, environment_note = '2023 年环保督查整改中',
      boundary_east = NULL, boundary_south = NULL, boundary_west = NULL, boundary_north = NULL, industry_code = 'C34',
      updated_by = 'test'
    WHERE id = ${parcel.id}`.execute(db);
  await db.insertInto('parcel_yearly_figures').values([
    { parcel_id: parcel.id, year: 2021, output_wan: 4200, tax_wan: 160 },
    { parcel_id: parcel.id, year: 2022, output_wan: 3900, tax_wan: 150 },
    { parcel_id: parcel.id, year: 2023, output_wan: 3500, tax_wan: 120 },
  ]).onConflict((conflict) => conflict.columns(['parcel_id', 'year']).doNothing()).execute();
});

afterAll(async () => {
  await session.close();
});

describe('一宗一卡 in the browser', () => {
  it('shows every group with units, fills the 四至 from the neighbours, and edits the yearly series', async () => {
    const { page, origin } = session;
    await logIn(session, 'surveyor');
    await page.goto(`${origin}/#/map?d=350206&p=${parcel.id}`);
    await page.reload();
    const card = page.locator('[data-testid="parcel-card"]');
    await card.waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForSelector('[data-testid="parcel-yearly-summary"]', { timeout: 30_000 });
    const text = await card.innerText();
    for (const words of ['四至', '土地使用要求（约定）', '约定容积率', '约定投资强度', '300.00 万元/亩', '投资发展协议号', 'HL-TZ-2012-031',
      '土地使用情况', '竣工时间', '2014年10月20日', '投资强度(已投资额)', '6,800.00 万元', '折合', '建筑系数', '园区内', 'C34 通用设备制造业',
      '环保说明', '2023 年环保督查整改中', '固定资产投资总额', '近三年总产值', '11,600.00', '近三年平均税收']) {
      expect(text, words).toContain(words);
    }
    await card.screenshot({ path: path.join(SHOTS, 'parcel-card.png') });
    await card.locator('.parcel-card__body').evaluate((body) => body.scrollTo(0, body.scrollHeight * 0.45));
    await card.screenshot({ path: path.join(SHOTS, 'parcel-card-middle.png') });
    await card.locator('.parcel-card__body').evaluate((body) => body.scrollTo(0, body.scrollHeight));
    await card.screenshot({ path: path.join(SHOTS, 'parcel-card-bottom.png') });

    // 按相邻地块建议: the editor opens with the 四至 filled from the neighbouring parcels.
    await card.locator('.parcel-card__body').evaluate((body) => body.scrollTo(0, 0));
    await page.locator('[data-testid="parcel-card-propose-boundaries"]').click();
    const dialog = page.locator('[data-testid="parcel-edit-dialog"]');
    await dialog.waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.querySelectorAll('.parcel-edit__proposal').length === 4, undefined, { timeout: 30_000 });
    const proposal = await page.evaluate(async (id) => (await fetch(`/api/parcels/${id}/boundaries-proposal`)).json(), parcel.id) as { sides: { side: string; kind: string; text: string }[] };
    const found = proposal.sides.filter((side) => side.kind !== 'none');
    expect(found.length).toBeGreaterThanOrEqual(2);
    const east = dialog.locator('[data-field="boundaryEast"] input');
    const eastProposal = proposal.sides.find((side) => side.side === 'east')!;
    if (eastProposal.kind !== 'none') expect(await east.inputValue()).toBe(eastProposal.text);
    await dialog.locator('[data-field="boundarySouth"] input').fill('规划道路（测试手改）');
    await dialog.screenshot({ path: path.join(SHOTS, 'parcel-edit-dialog.png') });
    await dialog.locator('.parcel-edit').evaluate((body) => body.scrollTo(0, body.scrollHeight / 2));
    await dialog.screenshot({ path: path.join(SHOTS, 'parcel-edit-dialog-middle.png') });
    await dialog.locator('.parcel-edit').evaluate((body) => body.scrollTo(0, body.scrollHeight));
    await dialog.screenshot({ path: path.join(SHOTS, 'parcel-edit-dialog-bottom.png') });
    await page.locator('[data-testid="parcel-edit-save"]').click();
    await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
    const { rows: [stored] } = await sql<{ boundary_east: string | null; boundary_south: string | null }>`
      SELECT boundary_east, boundary_south FROM parcels WHERE id = ${parcel.id}`.execute(session.testApp.database.db);
    expect(stored.boundary_south).toBe('规划道路（测试手改）');
    expect(stored.boundary_east).toBe(eastProposal.kind === 'none' ? null : eastProposal.text);
    await page.waitForFunction(() => document.querySelector('[data-testid="parcel-card"]')?.textContent?.includes('规划道路（测试手改）'), undefined, { timeout: 30_000 });

    // The yearly series: a new year typed in the card; 近三年 now runs 2022–2024.
    await page.locator('[data-testid="parcel-yearly-edit"]').click();
    await page.getByRole('button', { name: '增加年度' }).click();
    const first = page.locator('.yearly__table--editing tbody tr').first();
    await first.locator('input').nth(1).fill('5000');
    await first.locator('input').nth(2).fill('210');
    await first.locator('input').nth(2).press('Tab');
    await page.locator('[data-testid="parcel-yearly"]').screenshot({ path: path.join(SHOTS, 'parcel-yearly-editing.png') });
    expect(await page.locator('[data-testid="parcel-yearly-summary"]').innerText()).toContain('12,400.00');
    await page.locator('[data-testid="parcel-yearly-save"]').click();
    // Saved: the table is read-only again and the figures are the server's.
    await page.locator('[data-testid="parcel-yearly-edit"]').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.locator('[data-testid="parcel-yearly-summary"]').innerText()).toContain('12,400.00');
    const { rows: years } = await sql<{ year: number; output_wan: number }>`
      SELECT year, output_wan FROM parcel_yearly_figures WHERE parcel_id = ${parcel.id} ORDER BY year`.execute(session.testApp.database.db);
    expect(years).toEqual([{ year: 2021, output_wan: 4200 }, { year: 2022, output_wan: 3900 }, { year: 2023, output_wan: 3500 }, { year: 2024, output_wan: 5000 }]);
    expect(session.errors).toEqual([]);
  });
});
