import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { login as apiLogin, patchParcel, type TestApp } from '../helpers/test-app.js';

/**
 * Issue 15 item 6 in the browser: someone saves a parcel while the editor is open; the save is
 * refused with the two versions side by side, the user keeps their value, and nothing is lost.
 */
let session: BrowserSession;
let testApp: TestApp;
let page: Page;

beforeAll(async () => {
  session = await openBrowser();
  ({ testApp, page } = session);
});

afterAll(async () => {
  await session?.close();
});

describe('the parcel editor after someone else saved', () => {
  it('shows their value and mine side by side, and saves the one the user keeps on top of the newest version', async () => {
    // A 集美区 parcel no other file edits (offset 320: parcel-versions.test.ts takes 300–305).
    const { rows: [parcel] } = await sql<{ id: string; code: string; version: number }>`
      SELECT id::text, code, version FROM parcels WHERE district_code = '350211' ORDER BY id OFFSET 320 LIMIT 1`.execute(testApp.database.db);
    await logIn(session, 'admin');
    await page.evaluate((id) => { window.location.hash = `#/map?d=350211&p=${id}`; }, parcel.id);
    await page.reload();
    await page.waitForFunction((code) => document.querySelector('[data-testid="parcel-card"]')?.textContent?.includes(code), parcel.code, { timeout: 60_000 });

    await page.locator('[data-testid="parcel-edit"]').click();
    const dialog = page.locator('[data-testid="parcel-edit-dialog"]');
    await dialog.waitFor({ state: 'visible' });
    await dialog.locator('[data-field="owner"] input').fill('我填写的使用权人');
    await dialog.locator('[data-field="plannedFunction"] input').fill('我填写的规划功能');

    // Meanwhile a surveyor saves the same parcel.
    const surveyor = await apiLogin(testApp.app, 'surveyor');
    const theirs = await patchParcel(surveyor, parcel.id, { owner: '他人保存的使用权人', floorAreaRatio: 2.25 });
    expect(theirs.statusCode, theirs.body.slice(0, 300)).toBe(200);

    await page.locator('[data-testid="parcel-edit-save"]').click();
    const table = page.locator('[data-testid="parcel-edit-conflict"]');
    await table.waitFor({ state: 'visible', timeout: 30_000 });
    const ownerRow = table.locator('tr[data-field="owner"]');
    expect(await ownerRow.innerText()).toContain('他人保存的使用权人');
    expect(await ownerRow.innerText()).toContain('我填写的使用权人');
    expect(await table.locator('tr[data-field="floorAreaRatio"]').innerText()).toContain('2.25');
    expect(await page.locator('[data-testid="parcel-edit-error"]').innerText()).toContain('surveyor');
    await page.screenshot({ path: '.data/screenshots/parcel-conflict.png' });

    // Keep mine for the owner (the default where both changed), reload, save.
    await page.locator('.parcel-edit__reload').click();
    await table.waitFor({ state: 'detached', timeout: 30_000 });
    expect(await dialog.locator('[data-field="owner"] input').inputValue()).toBe('我填写的使用权人');
    await page.locator('[data-testid="parcel-edit-save"]').click();
    await dialog.waitFor({ state: 'hidden', timeout: 30_000 });

    const { rows: [stored] } = await sql<{ owner: string; planned_function: string; floor_area_ratio: string; version: number }>`
      SELECT owner, planned_function, floor_area_ratio::text, version FROM parcels WHERE id = ${parcel.id}`.execute(testApp.database.db);
    expect(stored).toEqual({ owner: '我填写的使用权人', planned_function: '我填写的规划功能', floor_area_ratio: '2.25', version: parcel.version + 2 });
    const { rows: history } = await sql<{ actor: string; owner: string }>`
      SELECT actor, after ->> 'owner' AS owner FROM history
      WHERE entity = 'parcels' AND entity_id = ${parcel.id} AND action = 'update' AND (after ->> 'version')::int > ${parcel.version} ORDER BY id`.execute(testApp.database.db);
    expect(history).toEqual([{ actor: 'surveyor', owner: '他人保存的使用权人' }, { actor: 'admin', owner: '我填写的使用权人' }]);
    expect(session.errors.filter((error) => !error.includes('409'))).toEqual([]);
  }, 240_000);
});
