import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, openBrowser, type BrowserSession } from '../helpers/browser.js';

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
});
afterAll(async () => {
  await session?.close();
});

/** 用户管理 creates the accounts of the 认定 procedure (issue 16 item 4). */
describe('用户管理: accounts of the procedure', () => {
  it('creates a 园区办 scoped to a 园区 picked in the tree, and a 用地单位 linked to a parcel found by 宗地编号', async () => {
    const { page, testApp } = session;
    const db = testApp.database.db;
    const { rows: [park] } = await sql<{ code: string; name: string }>`
      SELECT code, name FROM subdistricts WHERE district_code = '350206' AND kind = 'park' ORDER BY code LIMIT 1`.execute(db);
    const { rows: [parcel] } = await sql<{ id: string; code: string }>`SELECT id, code FROM parcels WHERE district_code = '350206' ORDER BY id OFFSET 40 LIMIT 1`.execute(db);
    await logIn(session, 'admin', '#/admin/users');
    await page.click('[data-testid="nav-users"]');
    const dialog = page.locator('[data-testid="user-form-dialog"]');
    const dialogSays = (text: string) => page.waitForFunction((wanted) => document.querySelector('[data-testid="user-form-dialog"]')?.textContent?.includes(wanted), text, { timeout: 10_000 });

    const fill = async (username: string, role: string) => {
      await page.click('[data-testid="user-create"]');
      await dialog.waitFor({ state: 'visible' });
      await page.fill('[data-testid="user-username"] input, input[data-testid="user-username"]', username);
      await page.fill('[data-testid="user-display-name"] input, input[data-testid="user-display-name"]', `${role}（浏览器测试）`);
      await page.click('[data-testid="user-role-select"]');
      await page.locator('.role-options .el-select-dropdown__item', { hasText: role }).first().click();
      await page.click('[data-testid="user-password-generate"]');
    };

    // A 园区办: districts are greyed, the 园区 under 湖里区 is picked.
    const parkUser = `yuanqu-b-${process.pid}`;
    await fill(parkUser, '园区办');
    await page.click('[data-testid="user-save"]');
    await dialogSays('请至少选择一个管辖范围');
    await page.click('[data-testid="user-scopes-select"]:not(.el-tree)');
    const huli = page.locator('.el-tree-node__content', { hasText: '湖里区' }).first();
    await huli.waitFor({ state: 'visible' });
    await huli.locator('.el-tree-node__expand-icon').click();
    const parkNode = page.locator('.el-tree-node__content', { hasText: park.name }).first();
    await parkNode.waitFor({ state: 'visible' });
    await parkNode.locator('.el-checkbox').click();
    await page.keyboard.press('Escape');
    await expect(page.locator('[data-testid="user-scopes-select"]:not(.el-tree)').innerText()).resolves.toContain(park.name);
    await page.click('[data-testid="user-save"]');
    await page.locator('[data-testid="user-handover"]').waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('[data-testid="user-form-dialog"] .el-dialog__footer button', { hasText: '完成' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // A 用地单位: without a parcel it is refused before saving; with one found by 宗地编号 it is created.
    const enterpriseUser = `qiye-b-${process.pid}`;
    await fill(enterpriseUser, '用地单位');
    await page.click('[data-testid="user-scopes-select"]:not(.el-tree)');
    await page.locator('.el-tree-node__content', { hasText: '湖里区' }).first().locator('.el-checkbox').click();
    await page.keyboard.press('Escape');
    await page.click('[data-testid="user-save"]');
    await dialogSays('请至少关联一宗本单位的宗地');
    await page.fill('[data-testid="user-parcel-search"] input', parcel.code);
    const found = page.locator('.el-select-dropdown__item', { hasText: parcel.code }).first();
    await found.waitFor({ state: 'visible', timeout: 15_000 });
    await found.click();
    await expect(page.locator('[data-testid="user-parcels"]').innerText()).resolves.toContain(parcel.code);
    await page.click('[data-testid="user-save"]');
    await page.locator('[data-testid="user-handover"]').waitFor({ state: 'visible', timeout: 15_000 });

    const { rows } = await sql<{ username: string; role: string; unit: string | null; parcel_id: string | null }>`
      SELECT u.username, u.role, uu.subdistrict_code AS unit, ep.parcel_id FROM users u
      LEFT JOIN user_units uu ON uu.user_id = u.id LEFT JOIN enterprise_parcels ep ON ep.user_id = u.id
      WHERE u.username IN (${parkUser}, ${enterpriseUser}) ORDER BY u.username DESC`.execute(db);
    expect(rows).toEqual([
      { username: parkUser, role: 'park_office', unit: park.code, parcel_id: null },
      { username: enterpriseUser, role: 'enterprise', unit: null, parcel_id: parcel.id },
    ]);
    expect(session.errors).toEqual([]);
  }, 180_000);
});
