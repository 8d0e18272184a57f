import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportJob } from '../../domain/api/exports.schemas.js';
import { StockPackageComparison, StockPackageDetail, StockPackageItems, StockPackageList } from '../../domain/api/stock-packages.schemas.js';
import { PACKAGE_PARCEL_STATUSES } from '../../domain/stock-packages.js';
import { DEMO_CONSENT_NUMBER, ensureDemoPackages } from '../../server/demo/demo-packages.js';
import { squareMetresToMu } from '../../domain/units.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { multipartBody } from '../helpers/multipart.js';
import { createTestApp, login, patchParcel, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * 底数上图入库 and its submission (issue 18 item 4; seed 004 五(二)): a 翔安区 package assembled,
 * reported, sent back by the 区政府, consented with its document, submitted, returned by the city,
 * frozen against later edits, followed by a second version compared with it and passed; exported as
 * GeoPackage and Excel from the frozen snapshot. Every illegal step is refused with 409 naming the
 * allowed ones. Own parcel (采矿用地 0602, owner of its own) and own 历史遗留用地 record.
 */
let testApp: TestApp;
let assembler: Session;
let districtAdmin: Session;
let districtOfficial: Session;
let cityOfficial: Session;
let huliSurveyor: Session;
const XIANGAN = '350213';
const OWNER = `成果包测试公司 ${process.pid}`;
let parcelId: number;
let firstId: number;
let secondId: number;
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'stock-packages-'));
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

async function account(admin: Session, name: string, role: string, scopes: string[]): Promise<Session> {
  const username = `pkg-${name}-${process.pid}`;
  const created = await admin.request({ method: 'POST', url: '/api/admin/users', payload: { username, displayName: `成果包${name}`, role, scopes, password: 'Package-initial-2026' } });
  expect(created.statusCode, created.body).toBe(201);
  const first = await login(testApp.app, username, 'Package-initial-2026');
  await first.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'Package-initial-2026', newPassword: 'Package-final-2026' } });
  return login(testApp.app, username, 'Package-final-2026');
}

/** A square (about 60 m) of the district that no parcel or legacy record covers. */
async function freeSquare(district: string, seed: number): Promise<{ type: 'Polygon'; coordinates: number[][][] }> {
  const { rows: [point] } = await sql<{ lon: number; lat: number }>`
    WITH c AS (SELECT (ST_Dump(ST_GeneratePoints(d.geom, 200, ${seed}))).geom AS p FROM districts d WHERE d.code = ${district})
    SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM c
    WHERE NOT EXISTS (SELECT 1 FROM parcels x WHERE x.geom && ST_Expand(c.p, 0.001) AND ST_DWithin(x.geom::geography, c.p::geography, 80))
      AND NOT EXISTS (SELECT 1 FROM legacy_lands l WHERE l.geom && ST_Expand(c.p, 0.001) AND ST_DWithin(l.geom::geography, c.p::geography, 80))
      AND ST_Within(ST_Expand(c.p, 0.001), (SELECT geom FROM districts WHERE code = ${district}))
    ORDER BY ST_X(p) LIMIT 1`.execute(testApp.database.db);
  const d = 0.0003;
  return { type: 'Polygon', coordinates: [[[point.lon - d, point.lat - d], [point.lon + d, point.lat - d], [point.lon + d, point.lat + d], [point.lon - d, point.lat + d], [point.lon - d, point.lat - d]]] };
}

const consentBody = (fields: Record<string, string>, content = PDF) => multipartBody(fields, { name: '区政府同意的函.pdf', content });

async function exported(session: Session, payload: object): Promise<{ job: ExportJob; body: Buffer }> {
  const response = await session.request({ method: 'POST', url: '/api/exports', payload });
  expect(response.statusCode, response.body).toBe(202);
  const id = response.json().id as string;
  await testApp.app.exportService.settled(id);
  const job = (await session.get(`/api/exports/${id}`)).json() as ExportJob;
  expect(job.status, JSON.stringify(job.error)).toBe('done');
  return { job, body: (await session.get(job.downloadUrl!)).rawPayload };
}

beforeAll(async () => {
  testApp = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '600' });
  const admin = await login(testApp.app, 'admin');
  assembler = await account(admin, 'surveyor', 'surveyor', [XIANGAN]);
  districtAdmin = await account(admin, 'admin', 'admin', [XIANGAN]);
  districtOfficial = await account(admin, 'official', 'official', [XIANGAN]);
  huliSurveyor = await account(admin, 'huli', 'surveyor', ['350206']);
  cityOfficial = await login(testApp.app, 'official');
  const geometry = await freeSquare(XIANGAN, 4242);
  const { rows: [parcel] } = await sql<{ id: number }>`
    INSERT INTO parcels (code, district_code, owner, land_use_code, status, inefficiency_type, geom, updated_by)
    VALUES (${`350213-PKG-${process.pid}`}, ${XIANGAN}, ${OWNER}, '0602', 'suspected', 'idle', ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4490)), 'test')
    RETURNING id::int AS id`.execute(testApp.database.db);
  parcelId = parcel.id;
}, 120_000);
afterAll(async () => {
  await testApp?.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

describe('上图入库成果包 (issue 18 item 4)', () => {
  it('assembles the district\'s 两库一清单 as a dated package with counts and ellipsoidal areas per category; one open package per district', async () => {
    const created = await assembler.request({ method: 'POST', url: '/api/stock-packages', payload: { districtCode: XIANGAN } });
    expect(created.statusCode, created.body).toBe(201);
    const detail = created.json();
    assertMatchesContract(StockPackageDetail, detail);
    firstId = detail.id;
    expect(detail).toMatchObject({ status: 'draft', statusLabel: '编制中', version: 1, previousId: null, nextStatuses: ['reported'], consent: null });
    expect(detail.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const { rows: [live] } = await sql<{ parcels: number; legacy: number; problems: number }>`
      SELECT (SELECT count(*)::int FROM stock_package_items WHERE package_id = ${firstId} AND kind = 'parcel') AS parcels,
             (SELECT count(*)::int FROM legacy_lands WHERE district_code = ${XIANGAN}) AS legacy,
             (SELECT count(*)::int FROM stock_problems WHERE district_code = ${XIANGAN}) AS problems`.execute(testApp.database.db);
    expect(detail.parcelCount).toBe(live.parcels);
    expect(detail.parcelCount).toBeGreaterThan(1);
    expect([detail.legacyCount, detail.problemCount]).toEqual([live.legacy, live.problems]);
    expect(detail.legacyCount).toBeGreaterThan(0);
    // Only parcels of the 低效用地 stock, all of the district.
    const { rows: [outside] } = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM stock_package_items WHERE package_id = ${firstId} AND kind = 'parcel'
        AND (fields->>'district_code' <> ${XIANGAN} OR NOT (fields->>'status' = ANY(${[...PACKAGE_PARCEL_STATUSES]}::text[])))`.execute(testApp.database.db);
    expect(outside.count).toBe(0);
    const { parcels, legacy, problems } = detail.summary;
    expect(parcels.byCategory.reduce((sum: number, group: { count: number }) => sum + group.count, 0)).toBe(parcels.count);
    expect(parcels.byCategory.reduce((sum: number, group: { areaM2: number }) => sum + group.areaM2, 0)).toBeCloseTo(parcels.areaM2, 0);
    expect(parcels.areaMu).toBeCloseTo(squareMetresToMu(parcels.areaM2), 3);
    expect(parcels.areaHa).toBeCloseTo(parcels.areaM2 / 10_000, 3);
    const { rows: [geodesic] } = await sql<{ area: number }>`
      SELECT sum(ST_Area(geom::geography))::float8 AS area FROM stock_package_items WHERE package_id = ${firstId} AND kind = 'parcel'`.execute(testApp.database.db);
    expect(parcels.areaM2).toBeCloseTo(geodesic.area, 0);
    expect(parcels.byCategory.map((group: { label: string }) => group.label)).toContain('低效工业');
    expect(legacy.byPeriod.reduce((sum: number, group: { count: number }) => sum + group.count, 0)).toBe(legacy.count);
    expect(problems.byDepartment.reduce((sum: number, group: { count: number }) => sum + group.count, 0)).toBe(problems.count);
    expect(detail.steps).toMatchObject([{ from: null, to: 'draft', actor: `pkg-surveyor-${process.pid}`, reason: '汇集两库一清单' }]);

    const items = (await assembler.get(`/api/stock-packages/${firstId}/items?kind=parcel&pageSize=500`)).json();
    assertMatchesContract(StockPackageItems, items);
    expect(items.total).toBe(detail.parcelCount);

    const again = await assembler.request({ method: 'POST', url: '/api/stock-packages', payload: { districtCode: XIANGAN } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'package_open', openId: firstId });
    expect(again.json().message).toContain('编制中');
    const outsideScope = await huliSurveyor.request({ method: 'POST', url: '/api/stock-packages', payload: { districtCode: XIANGAN } });
    expect(outsideScope.statusCode).toBe(403);
    expect((await huliSurveyor.get(`/api/stock-packages/${firstId}`)).statusCode).toBe(403);
    const list = (await huliSurveyor.get('/api/stock-packages')).json();
    assertMatchesContract(StockPackageList, list);
    expect(list.items.some((item: { id: number }) => item.id === firstId)).toBe(false);
    const city = (await cityOfficial.get(`/api/stock-packages?district=${XIANGAN}`)).json();
    expect(city.items.map((item: { id: number }) => item.id)).toContain(firstId);
  });

  it('takes each step with who, when and why, and refuses the others with 409 naming the allowed steps', async () => {
    const skip = await districtAdmin.request({ method: 'POST', url: `/api/stock-packages/${firstId}/submit`, payload: {} });
    expect(skip.statusCode).toBe(409);
    expect(skip.json()).toMatchObject({ error: 'invalid_transition', status: 'draft', allowed: ['reported'] });
    expect(skip.json().message).toContain('报区政府');
    const earlyReview = await cityOfficial.request({ method: 'POST', url: `/api/stock-packages/${firstId}/review`, payload: { decision: 'approved' } });
    expect(earlyReview.statusCode).toBe(409);

    const reported = await assembler.request({ method: 'POST', url: `/api/stock-packages/${firstId}/report`, payload: { reason: '底数已核实' } });
    expect(reported.statusCode, reported.body).toBe(200);
    expect(reported.json()).toMatchObject({ status: 'reported', nextStatuses: ['consented', 'draft'] });
    const reassemble = await assembler.request({ method: 'POST', url: `/api/stock-packages/${firstId}/reassemble` });
    expect(reassemble.statusCode).toBe(409);
    expect(reassemble.json()).toMatchObject({ error: 'package_frozen', status: 'reported' });
    // A surveyor may not record the consent (permissions matrix: packages:submit).
    const notAllowed = await assembler.request({ method: 'POST', url: `/api/stock-packages/${firstId}/consent`, ...consentBody({ documentNo: '翔政函〔2026〕1号', date: '2026-03-20' }) });
    expect(notAllowed.statusCode).toBe(403);
    expect(notAllowed.json()).toMatchObject({ error: 'forbidden', action: 'packages:submit' });

    const noReason = await districtAdmin.request({ method: 'POST', url: `/api/stock-packages/${firstId}/decline`, payload: {} });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().parameter).toBe('reason');
    const declined = await districtAdmin.request({ method: 'POST', url: `/api/stock-packages/${firstId}/decline`, payload: { reason: '区政府要求补充问题清单' } });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json().status).toBe('draft');
    expect((await assembler.request({ method: 'POST', url: `/api/stock-packages/${firstId}/reassemble` })).statusCode).toBe(200);
    expect((await assembler.request({ method: 'POST', url: `/api/stock-packages/${firstId}/report`, payload: {} })).json().status).toBe('reported');

    const noNumber = await districtAdmin.request({ method: 'POST', url: `/api/stock-packages/${firstId}/consent`, ...consentBody({ date: '2026-03-20' }) });
    expect(noNumber.statusCode).toBe(400);
    expect(noNumber.json().parameter).toBe('documentNo');
    const notPdf = await districtAdmin.request({ method: 'POST', url: `/api/stock-packages/${firstId}/consent`, ...consentBody({ documentNo: '翔政函〔2026〕1号', date: '2026-03-20' }, Buffer.from('<html>no</html>')) });
    expect(notPdf.statusCode).toBe(400);
    expect(notPdf.json().parameter).toBe('file');
    const consented = await districtAdmin.request({ method: 'POST', url: `/api/stock-packages/${firstId}/consent`, ...consentBody({ documentNo: '翔政函〔2026〕1号', date: '2026-03-20', note: '同意上报' }) });
    expect(consented.statusCode, consented.body).toBe(200);
    expect(consented.json()).toMatchObject({ status: 'consented', consent: { documentNo: '翔政函〔2026〕1号', date: '2026-03-20', mediaType: 'application/pdf', byteSize: PDF.length } });
    const document = await cityOfficial.get(consented.json().consent.url);
    expect(document.statusCode).toBe(200);
    expect(document.rawPayload.equals(PDF)).toBe(true);

    const submitted = await districtAdmin.request({ method: 'POST', url: `/api/stock-packages/${firstId}/submit`, payload: {} });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted', nextStatuses: ['approved', 'returned'] });

    // The city reviews: the district's own official may not; 退回 needs remarks.
    const ownDistrict = await districtOfficial.request({ method: 'POST', url: `/api/stock-packages/${firstId}/review`, payload: { decision: 'approved' } });
    expect(ownDistrict.statusCode).toBe(403);
    expect(ownDistrict.json().message).toContain('市');
    const bare = await cityOfficial.request({ method: 'POST', url: `/api/stock-packages/${firstId}/review`, payload: { decision: 'returned' } });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().parameter).toBe('remarks');
  });

  it('freezes a submitted package: a parcel edited and a record added afterwards leave its contents as they were', async () => {
    const card = (await assembler.get(`/api/parcels/${parcelId}`)).json();
    const edited = await patchParcel(assembler, parcelId, { expectedVersion: card.version, owner: `${OWNER}（更名）`, floorAreaRatio: 1.2 });
    expect(edited.statusCode, edited.body).toBe(200);
    const drawn = await assembler.request({ method: 'POST', url: '/api/legacy-lands', payload: { currentUse: '成果包测试堆场', period: 'after_3rd', geometry: await freeSquare(XIANGAN, 4343) } });
    expect(drawn.statusCode, drawn.body).toBe(201);

    const { rows: [frozen] } = await sql<{ owner: string; count: number }>`
      SELECT (SELECT fields->>'owner' FROM stock_package_items WHERE package_id = ${firstId} AND kind = 'parcel' AND item_id = ${parcelId}) AS owner,
             (SELECT count(*)::int FROM stock_package_items WHERE package_id = ${firstId} AND kind = 'legacy' AND item_key = ${drawn.json().number}) AS count`.execute(testApp.database.db);
    expect(frozen).toEqual({ owner: OWNER, count: 0 });
    // The database itself refuses to change a frozen snapshot.
    await expect(sql`UPDATE stock_package_items SET fields = '{}' WHERE package_id = ${firstId}`.execute(testApp.database.db)).rejects.toThrow(/frozen|permission denied/);
    await expect(sql`DELETE FROM stock_package_items WHERE package_id = ${firstId}`.execute(testApp.database.db)).rejects.toThrow(/frozen|permission denied/);
  });

  it('returns with remarks, then the next version is compared with it (added, removed, changed with fields) and passes', async () => {
    const returned = await cityOfficial.request({ method: 'POST', url: `/api/stock-packages/${firstId}/review`, payload: { decision: 'returned', remarks: '历史遗留用地不全，请补充后重新提交' } });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'returned', reviewRemarks: '历史遗留用地不全，请补充后重新提交', nextStatuses: [] });
    expect(returned.json().steps.map((step: { to: string }) => step.to)).toEqual(['draft', 'reported', 'draft', 'draft', 'reported', 'consented', 'submitted', 'returned']);
    expect(returned.json().steps.at(-1)).toMatchObject({ from: 'submitted', actor: 'official', reason: '历史遗留用地不全，请补充后重新提交', at: expect.any(String) });
    const final = await cityOfficial.request({ method: 'POST', url: `/api/stock-packages/${firstId}/review`, payload: { decision: 'approved' } });
    expect(final.statusCode).toBe(409);
    expect(final.json().message).toContain('终态');

    const second = await assembler.request({ method: 'POST', url: '/api/stock-packages', payload: { districtCode: XIANGAN } });
    expect(second.statusCode, second.body).toBe(201);
    secondId = second.json().id;
    expect(second.json()).toMatchObject({ version: 2, previousId: firstId, status: 'draft' });
    const comparison = (await assembler.get(`/api/stock-packages/${secondId}/compare`)).json();
    assertMatchesContract(StockPackageComparison, comparison);
    expect(comparison).toMatchObject({ from: { id: firstId, version: 1 }, to: { id: secondId, version: 2 } });
    const parcel = comparison.differences.find((entry: { kind: string; itemId: number }) => entry.kind === 'parcel' && entry.itemId === parcelId);
    expect(parcel).toMatchObject({ change: 'changed', label: `${OWNER}（更名）` });
    expect(parcel.fields).toEqual(expect.arrayContaining([
      { field: 'owner', label: '土地使用权人', before: OWNER, after: `${OWNER}（更名）` },
      expect.objectContaining({ field: 'floor_area_ratio', before: null, after: 1.2 }),
    ]));
    expect(parcel.fields.map((change: { field: string }) => change.field)).not.toContain('version');
    const added = comparison.differences.find((entry: { kind: string; change: string; label: string }) => entry.kind === 'legacy' && entry.change === 'added' && entry.label === '成果包测试堆场');
    expect(added).toBeDefined();
    expect(comparison.counts.find((entry: { kind: string }) => entry.kind === 'legacy').added).toBeGreaterThanOrEqual(1);

    // A parcel leaving the stock (效率达标) is removed in a re-assembly of the draft.
    await sql`UPDATE parcels SET status = 'efficient', inefficiency_type = NULL WHERE id = ${parcelId}`.execute(testApp.database.db);
    expect((await assembler.request({ method: 'POST', url: `/api/stock-packages/${secondId}/reassemble` })).statusCode).toBe(200);
    const removed = (await assembler.get(`/api/stock-packages/${secondId}/compare?with=${firstId}`)).json();
    expect(removed.differences.find((entry: { kind: string; itemId: number }) => entry.kind === 'parcel' && entry.itemId === parcelId)).toMatchObject({ change: 'removed', key: `350213-PKG-${process.pid}` });

    for (const [session, route, body] of [[assembler, 'report', {}], [districtAdmin, 'submit', {}]] as const) {
      const response = await session.request({ method: 'POST', url: `/api/stock-packages/${secondId}/${route}`, payload: body });
      if (route === 'submit') {
        expect(response.statusCode).toBe(409);
        expect(response.json().allowed).toEqual(['consented', 'draft']);
      } else expect(response.statusCode).toBe(200);
    }
    expect((await districtAdmin.request({ method: 'POST', url: `/api/stock-packages/${secondId}/consent`, ...consentBody({ documentNo: '翔政函〔2026〕2号', date: '2026-03-28' }) })).statusCode).toBe(200);
    expect((await districtAdmin.request({ method: 'POST', url: `/api/stock-packages/${secondId}/submit`, payload: {} })).statusCode).toBe(200);
    const approved = await cityOfficial.request({ method: 'POST', url: `/api/stock-packages/${secondId}/review`, payload: { decision: 'approved', remarks: '同意' } });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('approved');
    const { rows: history } = await sql<{ action: string }>`SELECT action FROM history WHERE entity = 'stock_packages' AND entity_id = ${String(secondId)}`.execute(testApp.database.db);
    expect(history.length).toBeGreaterThanOrEqual(5);
  });

  it('exports a package as a GeoPackage of its frozen layers and an Excel summary, through the export jobs', async () => {
    const detail = (await cityOfficial.get(`/api/stock-packages/${firstId}`)).json();
    const { job, body } = await exported(cityOfficial, { layer: 'stock-package', format: 'gpkg', filters: { packageId: firstId } });
    expect(job.fileName).toMatch(/^翔安区_上图入库成果包_第1版_截至\d{4}-\d{2}-\d{2}_\d{8}\.gpkg$/);
    const file = path.join(directory, 'package.gpkg');
    fs.writeFileSync(file, body);
    const info = spawnSync('ogrinfo', ['-ro', '-so', '-al', file], { encoding: 'utf8' }).stdout;
    expect(info).toContain(`Feature Count: ${detail.parcelCount}`);
    expect(info).toContain(`Feature Count: ${detail.legacyCount}`);
    const owner = spawnSync('ogrinfo', ['-ro', '-q', file, '-sql', `SELECT "土地使用权人" FROM dixiao_parcels WHERE "系统编号" = ${parcelId}`], { encoding: 'utf8' }).stdout;
    expect(owner).toContain(OWNER);
    expect(owner).not.toContain('更名');

    const table = await exported(cityOfficial, { layer: 'stock-package', format: 'xlsx', filters: { packageId: firstId } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(table.body as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['汇总', '低效用地', '历史遗留用地', '问题清单', '办理记录']);
    expect(workbook.getWorksheet('低效用地')!.rowCount).toBe(detail.parcelCount + 1);
    const summary = workbook.getWorksheet('汇总')!;
    const values = summary.getSheetValues().flat().map(String);
    expect(values).toContain('翔政函〔2026〕1号（2026-03-20）');
    const refused = await huliSurveyor.request({ method: 'POST', url: '/api/exports', payload: { layer: 'stock-package', format: 'xlsx', filters: { packageId: firstId } } });
    if (refused.statusCode === 202) {
      await testApp.app.exportService.settled(refused.json().id);
      expect((await huliSurveyor.get(`/api/exports/${refused.json().id}`)).json().status).toBe('failed');
    } else expect(refused.statusCode).toBe(403);
  });

  it('gives the demo a submitted package and a later draft whose comparison shows the changes (同安区 here; 湖里区 at start)', async () => {
    expect(await ensureDemoPackages(testApp.app, () => undefined, '350212')).toBe(2);
    expect(await ensureDemoPackages(testApp.app, () => undefined, '350212')).toBe(0);
    const list = (await cityOfficial.get('/api/stock-packages?district=350212')).json().items;
    expect(list.map((item: { version: number; status: string }) => [item.version, item.status])).toEqual([[2, 'draft'], [1, 'submitted']]);
    expect(list[1].consent.documentNo).toBe(DEMO_CONSENT_NUMBER);
    const letter = await cityOfficial.get(list[1].consent.url);
    expect(letter.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const comparison = (await cityOfficial.get(`/api/stock-packages/${list[0].id}/compare`)).json();
    const parcels = comparison.counts.find((entry: { kind: string }) => entry.kind === 'parcel');
    expect(parcels.added).toBeGreaterThanOrEqual(1);
    expect(parcels.changed).toBeGreaterThanOrEqual(1);
  });
});
