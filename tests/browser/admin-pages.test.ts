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

describe('the admin pages', () => {
  it('lists the users with roles and scopes, and shows who changed what in the audit log', async () => {
    const { page, testApp } = session;
    // A change to look for, made straight in the database: the log still records it.
    const { rows: [parcel] } = await sql<{ id: number; code: string }>`SELECT id, code FROM parcels WHERE district_code = '350212' ORDER BY id LIMIT 1`.execute(testApp.database.db);
    await sql`UPDATE parcels SET evaluation_grade = 'D' WHERE id = ${parcel.id}`.execute(testApp.database.db);

    await logIn(session, 'admin', '#/admin/users');
    await page.click('[data-testid="nav-users"]');
    const users = page.locator('[data-testid="users-table"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="users-table"]')?.textContent?.includes('planner-huli'), undefined, { timeout: 30_000 });
    const usersText = await users.innerText();
    expect(usersText).toContain('湖里区');
    expect(usersText).toContain('规划人员');

    await page.click('[data-testid="nav-audit"]');
    // Searched by 宗地编号, as the official knows the parcel (issue 13, item 5).
    await page.fill('[data-testid="audit-filter-parcel-code"] input, input[data-testid="audit-filter-parcel-code"]', parcel.code);
    await page.click('[data-testid="audit-search"]');
    const table = page.locator('[data-testid="audit-table"]');
    await page.waitForFunction(() => (document.querySelector('[data-testid="audit-table"] .el-table__body')?.textContent ?? '').includes('修改'), undefined, { timeout: 30_000 });
    await table.locator('.el-table__expand-icon').first().click();
    const diff = page.locator('[data-testid="audit-diff"]').first();
    await diff.waitFor({ state: 'visible', timeout: 10_000 });
    const diffText = await diff.innerText();
    expect(diffText).toContain('综合评价等级');
    expect(diffText).toContain('D');
    expect(diffText).not.toContain('evaluation_grade');
    const rowsText = await table.locator('.el-table__body').innerText();
    expect(rowsText).toContain(parcel.code);
    expect(rowsText).toContain('地块');

    // A scope change reads as Chinese: the account's name, the district's name, no column names.
    await page.click('[data-testid="nav-users"]');
    await page.click('[data-testid="nav-audit"]');
    await page.click('[data-testid="audit-filter-entity"]');
    await page.locator('.el-select-dropdown__item', { hasText: '用户管辖范围' }).click();
    await page.click('[data-testid="audit-search"]');
    await page.waitForFunction(() => (document.querySelector('[data-testid="audit-table"] .el-table__body')?.textContent ?? '').includes('用户管辖范围'), undefined, { timeout: 30_000 });
    await table.locator('.el-table__expand-icon').first().click();
    const scopeDiff = await page.locator('[data-testid="audit-diff"]').first().innerText();
    expect(scopeDiff).toContain('管辖范围（行政区）');
    expect(scopeDiff).toMatch(/[区市]（35\d{4}）/);
    const pageText = await page.locator('[data-testid="audit-page"]').innerText();
    for (const code of ['user_scopes', 'district_code', 'user_id', 'note', 'undefined']) expect(pageText).not.toContain(code);
    // The actor column shows names, not account names.
    expect(await page.locator('[data-testid="audit-actor"]').allInnerTexts()).not.toContain('admin');
    await page.screenshot({ path: process.env.BIAOTU_SCREENSHOTS ? `${process.env.BIAOTU_SCREENSHOTS}/audit-log.png` : undefined });
    expect(session.errors).toEqual([]);
  });
});
