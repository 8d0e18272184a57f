import { sql } from 'kysely';
import type { TSchema } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Inquiry, InquiryPage, InquiryReceipt, Listing, ListingCandidateList, ListingList, ListingVersionList, PublicDistrictCollection, PublicPlotCollection,
  PublicPlotDetail,
} from '../../domain/api/zhaoshang.schemas.js';
import { PUBLIC_ZHAOSHANG_PREFIX } from '../../domain/zhaoshang.js';
import { DEMO_TITLES, demoSitePhoto, ensureDemoZhaoshang } from '../../server/demo/demo-zhaoshang.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { makeDocumentFiles, withExif } from '../helpers/document-files.js';
import { multipartBody } from '../helpers/multipart.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * 招商地图 (issue 18 item 6): officials list, edit, publish and withdraw idle plots (versioned, on the
 * audit log); the public routes answer anyone, without a session, only the published set; they
 * are rate-limited per address; the 意向 form names the field it refuses.
 */
let testApp: TestApp;
let official: Session;
let viewer: Session;
const tag = `${process.pid}`;
/** Distinctive values planted on the parcels: none may ever reach a public answer. */
const OWNER_PUBLISHED = `泄露测试业主甲-${tag}`;
const OWNER_UNPUBLISHED = `泄露测试业主乙-${tag}`;
const TAX_FIGURE = 987.6543;
const plots = { published: 0, draft: 0, withdrawn: 0, unlisted: 0 };
const listings = { published: 0, draft: 0, withdrawn: 0 };
const parcelCodes: string[] = [];
let publicPhotoId = 0;
let privatePhotoId = 0;
let exifJpeg: Buffer;

const content = (title: string, photoDocumentIds: number[] = []) => ({
  title, location: '湖里区 测试片区', plannedUse: '工业用地（M1）', floorAreaRatioMin: 1.5, floorAreaRatioMax: 3, buildingDensityMax: 45, heightLimitM: 50,
  planningNotes: '绿地率不低于 15%', targetIndustries: ['集成电路', '生物医药'], conditions: '投资强度不低于 500 万元/亩', supplyMode: 'transfer',
  contactOrg: '湖里区投资促进中心', contactName: '测试联系人', contactPhone: '0592-5550000', contactEmail: 'test@example.com', photoDocumentIds,
});

async function fileDocument(parcelId: number, category: string, name: string, bytes: Buffer): Promise<number> {
  const admin = await login(testApp.app, 'admin');
  const { payload, headers } = multipartBody({ category }, { name, content: bytes });
  const response = await admin.request({ method: 'POST', url: `/api/parcels/${parcelId}/documents`, payload, headers });
  expect([201, 409], response.body).toContain(response.statusCode);
  return response.statusCode === 201 ? response.json().id : response.json().duplicateOf.id;
}

async function createListing(parcelId: number, title: string, photos: number[] = []): Promise<{ id: number; version: number }> {
  const response = await official.request({ method: 'POST', url: '/api/zhaoshang/listings', payload: { parcelId, ...content(title, photos) } });
  expect(response.statusCode, response.body).toBe(201);
  assertMatchesContract(Listing, response.json());
  return response.json();
}

const step = (id: number, action: 'publish' | 'withdraw', body: Record<string, unknown>) =>
  official.request({ method: 'POST', url: `/api/zhaoshang/listings/${id}/${action}`, payload: body });

beforeAll(async () => {
  testApp = await createTestApp({ ZHAOSHANG_READS_PER_MINUTE: '100000', ZHAOSHANG_INQUIRIES_PER_HOUR: '100000' });
  official = await login(testApp.app, 'official');
  viewer = await login(testApp.app, 'viewer');
  // Identified idle plots of 湖里区 nobody else listed; the last is idle but never listed.
  const { rows } = await sql<{ id: number; code: string }>`
    SELECT p.id::float8 AS id, p.code FROM parcels p
    WHERE p.district_code = '350206' AND p.status = 'identified' AND p.inefficiency_type = 'idle'
      AND NOT EXISTS (SELECT FROM zhaoshang_listings l WHERE l.parcel_id = p.id)
      AND NOT EXISTS (SELECT FROM identification_cases c WHERE c.parcel_id = p.id)
    ORDER BY p.id DESC LIMIT 4`.execute(testApp.database.db);
  expect(rows).toHaveLength(4);
  [plots.published, plots.draft, plots.withdrawn, plots.unlisted] = rows.map((row) => row.id);
  parcelCodes.push(...rows.map((row) => row.code));
  await sql`UPDATE parcels SET owner = CASE WHEN id = ${plots.published} THEN ${OWNER_PUBLISHED} ELSE ${OWNER_UNPUBLISHED} END, tax_per_mu = ${TAX_FIGURE}
    WHERE id = ANY(${rows.map((row) => row.id)}::bigint[])`.execute(testApp.database.db);
  const files = await makeDocumentFiles();
  exifJpeg = withExif(files.jpeg, { takenAt: '2026:05:01 10:00:00', longitude: 118.1234, latitude: 24.5123 });
  publicPhotoId = await fileDocument(plots.published, 'photo', '现场.jpg', exifJpeg);
  privatePhotoId = await fileDocument(plots.published, 'photo', '内部.png', demoSitePhoto(64, 40));
  const published = await createListing(plots.published, `已发布地块-${tag}`, [publicPhotoId]);
  listings.published = published.id;
  expect((await step(published.id, 'publish', { version: 1 })).statusCode).toBe(200);
  // Edited after publishing: the public keeps seeing the published version.
  const edited = await official.request({ method: 'PUT', url: `/api/zhaoshang/listings/${published.id}`, payload: { version: 2, ...content(`未发布的修改-${tag}`, [publicPhotoId]) } });
  expect(edited.statusCode, edited.body).toBe(200);
  expect(edited.json()).toMatchObject({ version: 3, state: 'published', publishedVersion: 2, unpublishedChanges: true });
  listings.draft = (await createListing(plots.draft, `草稿地块-${tag}`)).id;
  const withdrawn = await createListing(plots.withdrawn, `已撤回地块-${tag}`);
  listings.withdrawn = withdrawn.id;
  expect((await step(withdrawn.id, 'publish', { version: 1 })).statusCode).toBe(200);
  const pulled = await step(withdrawn.id, 'withdraw', { version: 2, reason: '已签约' });
  expect(pulled.statusCode, pulled.body).toBe(200);
  expect(pulled.json()).toMatchObject({ state: 'withdrawn', publishedVersion: null, withdrawalReason: '已签约' });
}, 180_000);
afterAll(async () => {
  await testApp.close();
});

/** Every property name a schema allows, at any depth. */
function schemaKeys(schema: TSchema, into = new Set<string>()): Set<string> {
  const node = schema as { properties?: Record<string, TSchema>; items?: TSchema | TSchema[]; anyOf?: TSchema[]; prefixItems?: TSchema[] };
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    into.add(key);
    schemaKeys(child, into);
  }
  for (const child of [node.items ?? [], node.anyOf ?? [], node.prefixItems ?? []].flat()) schemaKeys(child, into);
  return into;
}

function jsonKeys(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) jsonKeys(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      into.add(key);
      jsonKeys(child, into);
    }
  }
  return into;
}

describe('the public 招商地图 shows the published set only', () => {
  const anonymous = (url: string) => testApp.app.inject({ method: 'GET', url });

  it('every public route is declared public, lies under the public prefix, and reads no session', () => {
    const publicRoutes = [...testApp.app.routePermissions].filter(([, permission]) => permission === 'public').map(([route]) => route);
    const zhaoshang = publicRoutes.filter((route) => route.split(' ')[1].startsWith(PUBLIC_ZHAOSHANG_PREFIX));
    expect(zhaoshang.length).toBeGreaterThanOrEqual(5);
    // Everything else public is the short list of the login page and the probes.
    expect(publicRoutes.filter((route) => !zhaoshang.includes(route)).sort()).toEqual(
      ['GET /api/auth/session', 'GET /api/health', 'GET /api/settings', 'POST /api/auth/login'].sort());
    for (const [route, permission] of testApp.app.routePermissions) {
      if (route.split(' ')[1].startsWith(PUBLIC_ZHAOSHANG_PREFIX)) expect(permission, route).toBe('public');
    }
  });

  it('fetches every public route (from the app\'s route list) with every listing and photo: no owner, figure, code, unpublished title or field outside the contract', async () => {
    const routes = [...testApp.app.routePermissions.keys()].filter((route) => route.split(' ')[1].startsWith(PUBLIC_ZHAOSHANG_PREFIX));
    const allowedKeys = new Set([PublicPlotCollection, PublicPlotDetail, PublicDistrictCollection, InquiryReceipt].flatMap((schema) => [...schemaKeys(schema)]));
    const ids = [listings.published, listings.draft, listings.withdrawn, 999_999_999];
    const photos = [publicPhotoId, privatePhotoId];
    const bodies: string[] = [];
    let requests = 0;
    for (const route of routes) {
      const [method, pattern] = route.split(' ');
      const urls = ids.flatMap((id) => photos.map((photo) => pattern.replace(':id', String(id)).replace(':photoId', String(photo))));
      for (const url of [...new Set(urls)].flatMap((base) => (base.endsWith('/plots') ? [base, `${base}?district=350206`, `${base}?district=350203`] : [base]))) {
        const response = method === 'GET'
          ? await anonymous(url)
          : await testApp.app.inject({ method: method as 'POST', url, payload: { listingId: listings.published, name: '泄露检查', phone: '13900000000', industry: '测试' } });
        requests++;
        expect(response.statusCode, `${route} ${url}`).toBeLessThan(500);
        const type = String(response.headers['content-type'] ?? '');
        if (type.startsWith('application/json')) {
          for (const key of jsonKeys(response.json())) expect(allowedKeys.has(key) || key === 'error' || key === 'message' || key === 'parameter', `${url}: key ${key}`).toBe(true);
        }
        bodies.push(type.startsWith('image/') ? response.rawPayload.toString('latin1') : response.body);
      }
    }
    expect(requests).toBeGreaterThan(10);
    const everything = bodies.join('\n');
    for (const secret of [OWNER_PUBLISHED, OWNER_UNPUBLISHED, String(TAX_FIGURE), ...parcelCodes, `草稿地块-${tag}`, `已撤回地块-${tag}`, `未发布的修改-${tag}`, 'Biaotu Test Camera']) {
      expect(everything.includes(secret), secret).toBe(false);
    }
    expect(everything).toContain(`已发布地块-${tag}`);
  });

  it('lists the published plot with its area in 亩 from the ellipsoidal area, its 规划条件 and photo; not the draft, the withdrawn or the unlisted', async () => {
    const collection = (await anonymous(`${PUBLIC_ZHAOSHANG_PREFIX}plots`)).json();
    assertMatchesContract(PublicPlotCollection, collection);
    const ids = collection.features.map((feature: { id: number }) => feature.id);
    expect(ids).toContain(listings.published);
    expect(ids).not.toContain(listings.draft);
    expect(ids).not.toContain(listings.withdrawn);
    const { rows: [parcel] } = await sql<{ area: number }>`SELECT ST_Area(geom::geography) AS area FROM parcels WHERE id = ${plots.published}`.execute(testApp.database.db);
    const plot = collection.features.find((feature: { id: number }) => feature.id === listings.published).properties;
    expect(plot.areaM2).toBeCloseTo(parcel.area, 1);
    expect(plot.areaMu).toBeCloseTo(parcel.area / (10000 / 15), 2);
    expect(plot).toMatchObject({ title: `已发布地块-${tag}`, plannedUse: '工业用地（M1）', floorAreaRatioMin: 1.5, floorAreaRatioMax: 3, buildingDensityMax: 45, heightLimitM: 50, photoCount: 1 });
    expect(collection.districts.find((district: { code: string }) => district.code === '350206')).toMatchObject({ name: '湖里区' });

    const detail = await anonymous(`${PUBLIC_ZHAOSHANG_PREFIX}plots/${listings.published}`);
    assertMatchesContract(PublicPlotDetail, detail.json());
    expect(detail.json()).toMatchObject({ contact: { org: '湖里区投资促进中心', phone: '0592-5550000' }, conditions: '投资强度不低于 500 万元/亩' });
    expect(detail.json().photos).toEqual([{ id: publicPhotoId, url: `${PUBLIC_ZHAOSHANG_PREFIX}plots/${listings.published}/photos/${publicPhotoId}` }]);
    for (const id of [listings.draft, listings.withdrawn]) expect((await anonymous(`${PUBLIC_ZHAOSHANG_PREFIX}plots/${id}`)).statusCode).toBe(404);
    assertMatchesContract(PublicDistrictCollection, (await anonymous(`${PUBLIC_ZHAOSHANG_PREFIX}districts`)).json());
  });

  it('serves a chosen photo without its EXIF (camera, GPS), and no photo that was not chosen', async () => {
    expect(exifJpeg.includes(Buffer.from('Exif\0\0'))).toBe(true);
    const photo = await anonymous(`${PUBLIC_ZHAOSHANG_PREFIX}plots/${listings.published}/photos/${publicPhotoId}`);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.rawPayload.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect(photo.rawPayload.includes(Buffer.from('Exif\0\0'))).toBe(false);
    expect(photo.rawPayload.length).toBeGreaterThan(exifJpeg.length / 2);
    expect((await anonymous(`${PUBLIC_ZHAOSHANG_PREFIX}plots/${listings.published}/photos/${privatePhotoId}`)).statusCode).toBe(404);
    expect((await anonymous(`${PUBLIC_ZHAOSHANG_PREFIX}plots/${listings.draft}/photos/${publicPhotoId}`)).statusCode).toBe(404);
  });

  it('answers alike with or without a session, and sets no cookie', async () => {
    const signedIn = await official.get(`${PUBLIC_ZHAOSHANG_PREFIX}plots/${listings.published}`);
    const bogus = await testApp.app.inject({ method: 'GET', url: `${PUBLIC_ZHAOSHANG_PREFIX}plots/${listings.published}`, headers: { cookie: 'biaotu_session=forged' } });
    const plain = await anonymous(`${PUBLIC_ZHAOSHANG_PREFIX}plots/${listings.published}`);
    expect(signedIn.body).toBe(plain.body);
    expect(bogus.body).toBe(plain.body);
    expect(bogus.headers['set-cookie']).toBeUndefined();
  });

  it('a withdrawn plot disappears at once, and comes back when published again', async () => {
    const listing = await createListing(plots.unlisted, `撤回即消失-${tag}`);
    expect((await step(listing.id, 'publish', { version: 1 })).statusCode).toBe(200);
    const listed = async () => (await anonymous(`${PUBLIC_ZHAOSHANG_PREFIX}plots`)).json().features.some((feature: { id: number }) => feature.id === listing.id);
    expect(await listed()).toBe(true);
    expect((await step(listing.id, 'withdraw', { version: 2, reason: '规划调整' })).statusCode).toBe(200);
    expect(await listed()).toBe(false);
    expect((await anonymous(`${PUBLIC_ZHAOSHANG_PREFIX}plots/${listing.id}`)).statusCode).toBe(404);
    const inquiry = await testApp.app.inject({ method: 'POST', url: `${PUBLIC_ZHAOSHANG_PREFIX}inquiries`, payload: { listingId: listing.id, name: '张三', phone: '13800000001', industry: '物流' } });
    expect(inquiry.statusCode).toBe(400);
    expect(inquiry.json()).toMatchObject({ error: 'inquiry_listing_unknown', parameter: 'listingId' });
    expect((await step(listing.id, 'publish', { version: 3 })).statusCode).toBe(200);
    expect(await listed()).toBe(true);
  });

  it('anonymous visitors reach nothing else: official routes and tiles answer 401', async () => {
    for (const url of ['/api/zhaoshang/listings', '/api/zhaoshang/inquiries', '/tiles/parcels/14/13500/7000.pbf', `/api/parcels/${plots.published}`]) {
      expect((await anonymous(url)).statusCode, url).toBe(401);
    }
  });
});

describe('officials keep the listings: versions, steps, refusals, audit', () => {
  it('lists listings and candidates in scope; every version is kept with who and what', async () => {
    const list = (await official.get('/api/zhaoshang/listings?district=350206')).json();
    assertMatchesContract(ListingList, list);
    expect(list.items.find((item: { id: number }) => item.id === listings.published)).toMatchObject({ title: `未发布的修改-${tag}`, unpublishedChanges: true });
    const candidates = (await official.get('/api/zhaoshang/candidates?district=350206')).json();
    assertMatchesContract(ListingCandidateList, candidates);
    expect(candidates.items.map((item: { id: number }) => item.id)).not.toContain(plots.published);
    const versions = (await viewer.get(`/api/zhaoshang/listings/${listings.published}/versions`)).json();
    assertMatchesContract(ListingVersionList, versions);
    expect(versions.items.map((item: { version: number; change: string; createdBy: string }) => [item.version, item.change, item.createdBy]))
      .toEqual([[3, 'edit', 'official'], [2, 'publish', 'official'], [1, 'create', 'official']]);
    const { rows } = await sql<{ entity: string; actor: string }>`
      SELECT entity, actor FROM history WHERE entity IN ('zhaoshang_listings', 'zhaoshang_listing_versions') AND entity_id = ${String(listings.published)}`.execute(testApp.database.db);
    expect(rows.filter((row) => row.entity === 'zhaoshang_listing_versions')).toHaveLength(3);
    expect(rows.every((row) => row.actor === 'official')).toBe(true);
  });

  it('refuses a plot that is not identified idle land, a second listing, a stale version, a photo of another kind, and nothing to publish', async () => {
    const { rows: [busy] } = await sql<{ id: number }>`SELECT id::float8 AS id FROM parcels WHERE district_code = '350206' AND status = 'efficient' ORDER BY id LIMIT 1`.execute(testApp.database.db);
    const notIdle = await official.request({ method: 'POST', url: '/api/zhaoshang/listings', payload: { parcelId: busy.id, ...content('不是闲置') } });
    expect(notIdle.statusCode).toBe(409);
    expect(notIdle.json()).toMatchObject({ error: 'listing_not_idle', parameter: 'parcelId' });
    expect(notIdle.json().message).toContain('闲置低效');
    const twice = await official.request({ method: 'POST', url: '/api/zhaoshang/listings', payload: { parcelId: plots.draft, ...content('再来一次') } });
    expect(twice.json()).toMatchObject({ error: 'listing_exists' });
    const stale = await official.request({ method: 'PUT', url: `/api/zhaoshang/listings/${listings.draft}`, payload: { version: 9, ...content('旧版本') } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'listing_stale', parameter: 'version', current: 1 });
    const contract = await fileDocument(plots.draft, 'contract', '合同.png', demoSitePhoto(32, 20));
    const wrongPhoto = await official.request({ method: 'PUT', url: `/api/zhaoshang/listings/${listings.draft}`, payload: { version: 1, ...content('照片', [contract]) } });
    expect(wrongPhoto.statusCode).toBe(400);
    expect(wrongPhoto.json()).toMatchObject({ error: 'listing_photo_refused', parameter: 'photoDocumentIds' });
    const otherParcels = await official.request({ method: 'PUT', url: `/api/zhaoshang/listings/${listings.draft}`, payload: { version: 1, ...content('照片', [publicPhotoId]) } });
    expect(otherParcels.json()).toMatchObject({ error: 'listing_photo_refused' });
    const far = await official.request({ method: 'PUT', url: `/api/zhaoshang/listings/${listings.draft}`, payload: { version: 1, ...content('容积率'), floorAreaRatioMin: 4, floorAreaRatioMax: 2 } });
    expect(far.json()).toMatchObject({ error: 'invalid_parameter', parameter: 'floorAreaRatioMin' });
    const spaces = await official.request({ method: 'PUT', url: `/api/zhaoshang/listings/${listings.draft}`, payload: { version: 1, ...content('   ') } });
    expect(spaces.statusCode).toBe(400);
    expect(spaces.json()).toMatchObject({ error: 'invalid_parameter', parameter: 'title' });
    const current = (await official.get(`/api/zhaoshang/listings/${listings.withdrawn}`)).json();
    const again = await step(listings.withdrawn, 'withdraw', { version: current.version, reason: '再撤' });
    expect(again.json()).toMatchObject({ error: 'listing_step_not_allowed' });
    const published = (await official.get(`/api/zhaoshang/listings/${listings.withdrawn}`)).json();
    expect((await step(listings.withdrawn, 'publish', { version: published.version })).statusCode).toBe(200);
    const nothing = await step(listings.withdrawn, 'publish', { version: published.version + 1 });
    expect(nothing.json()).toMatchObject({ error: 'listing_nothing_to_publish' });
    expect((await step(listings.withdrawn, 'withdraw', { version: published.version + 1, reason: '恢复测试状态' })).statusCode).toBe(200);
  });

  it('viewers read listings but may not write them or see 意向 (403 naming the action)', async () => {
    expect((await viewer.get('/api/zhaoshang/listings')).statusCode).toBe(200);
    const write = await viewer.request({ method: 'POST', url: '/api/zhaoshang/listings', payload: { parcelId: plots.unlisted, ...content('x') } });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ error: 'forbidden', action: 'zhaoshang:manage' });
    const read = await viewer.get('/api/zhaoshang/inquiries');
    expect(read.json()).toMatchObject({ error: 'forbidden', action: 'zhaoshang:inquiries' });
  });
});

describe('意向: the public form and its handling', () => {
  const submit = (payload: Record<string, unknown>, remoteAddress = '203.0.113.7') =>
    testApp.app.inject({ method: 'POST', url: `${PUBLIC_ZHAOSHANG_PREFIX}inquiries`, payload, remoteAddress });
  const valid = () => ({ listingId: listings.published, name: '李女士', company: '某某医疗器械有限公司', phone: '13912345678', email: 'li@example.com', industry: '医疗器械', message: '希望实地看地。' });

  it.each([
    ['phone', { phone: '12345' }, '联系电话'],
    ['phone', { phone: '1391234567x' }, '手机号'],
    ['email', { email: 'not-an-email' }, '电子邮箱'],
    ['name', { name: '' }, '姓名'],
    ['name', { name: '   ' }, '姓名'],
    ['industry', { industry: 'a'.repeat(51) }, '意向产业'],
    ['message', { message: '长'.repeat(1001) }, '留言'],
    ['name', { name: '控制\u0007字符' }, '姓名'],
  ])('refuses a bad %s (400 naming it, saying how to fix it)', async (parameter, change, words) => {
    const response = await submit({ ...valid(), ...change });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_parameter', parameter });
    expect(response.json().message).toContain(words);
  });

  it('refuses a missing required field, naming it', async () => {
    const { phone: _phone, ...rest } = valid();
    const response = await submit(rest);
    expect(response.json()).toMatchObject({ parameter: 'phone' });
  });

  it('keeps hostile strings as text; officials see them, handle the 意向 and match it to plots', async () => {
    const hostile = `<script>alert('x')</script>"; DROP TABLE zhaoshang_inquiries; -- ${tag}`;
    const response = await submit({ ...valid(), name: '<img src=x onerror=alert(1)>', message: hostile, email: '' });
    expect(response.statusCode, response.body).toBe(201);
    assertMatchesContract(InquiryReceipt, response.json());
    expect(response.json().reference).toMatch(/^YX\d{4}-\d{5}$/);
    const page = (await official.get('/api/zhaoshang/inquiries?state=new&pageSize=200')).json();
    assertMatchesContract(InquiryPage, page);
    const mine = page.items.find((item: { message: string | null }) => item.message === hostile);
    expect(mine).toMatchObject({ name: '<img src=x onerror=alert(1)>', email: null, listingId: listings.published, listingTitle: `未发布的修改-${tag}`, state: 'new', reference: response.json().reference });
    const handled = await official.request({ method: 'PUT', url: `/api/zhaoshang/inquiries/${mine.id}/handling`, payload: { state: 'handled', note: '已电话联系，约定看地', matchedListingIds: [listings.published, listings.draft] } });
    expect(handled.statusCode, handled.body).toBe(200);
    assertMatchesContract(Inquiry, handled.json());
    expect(handled.json()).toMatchObject({ state: 'handled', handledBy: 'official', handlingNote: '已电话联系，约定看地' });
    expect(handled.json().matchedListings.map((item: { id: number }) => item.id)).toEqual([listings.published, listings.draft].sort((a, b) => a - b));
    const unknown = await official.request({ method: 'PUT', url: `/api/zhaoshang/inquiries/${mine.id}/handling`, payload: { state: 'handled', matchedListingIds: [999_999_999] } });
    expect(unknown.json()).toMatchObject({ parameter: 'matchedListingIds' });
    const { rows } = await sql<{ actor: string; action: string }>`SELECT actor, action FROM history WHERE entity = 'zhaoshang_inquiries' AND entity_id = ${String(mine.id)} ORDER BY id`.execute(testApp.database.db);
    expect(rows).toEqual([{ actor: 'public', action: 'insert' }, { actor: 'official', action: 'update' }]);
    expect((await sql<{ count: number }>`SELECT count(*)::int AS count FROM zhaoshang_inquiries`.execute(testApp.database.db)).rows[0].count).toBeGreaterThan(0);
  });

  it('a form with the hidden trap field filled is answered as accepted and not kept', async () => {
    const before = (await sql<{ count: number }>`SELECT count(*)::int AS count FROM zhaoshang_inquiries`.execute(testApp.database.db)).rows[0].count;
    const response = await submit({ ...valid(), website: 'http://spam.example' });
    expect(response.statusCode).toBe(201);
    const after = (await sql<{ count: number }>`SELECT count(*)::int AS count FROM zhaoshang_inquiries`.execute(testApp.database.db)).rows[0].count;
    expect(after).toBe(before);
  });
});

describe('rate limits per client address', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await createTestApp({ ZHAOSHANG_READS_PER_MINUTE: '4', ZHAOSHANG_INQUIRIES_PER_HOUR: '2' });
  });
  afterAll(async () => {
    await limited.close();
  });

  it('public reads: the fifth read a minute from one address is 429 rate_limited with Retry-After, across routes; another address is served', async () => {
    const read = (url: string, remoteAddress: string) => limited.app.inject({ method: 'GET', url: `${PUBLIC_ZHAOSHANG_PREFIX}${url}`, remoteAddress });
    const statuses = [];
    for (const url of ['plots', 'districts', `plots/${listings.published}`, 'plots']) statuses.push((await read(url, '198.51.100.1')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const refused = await read('districts', '198.51.100.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: 'rate_limited' });
    expect(refused.json().message).toContain('请求过于频繁');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await read('plots', '198.51.100.2')).statusCode).toBe(200);
  });

  it('意向: the third from one address within the hour is 429', async () => {
    const post = () => limited.app.inject({ method: 'POST', url: `${PUBLIC_ZHAOSHANG_PREFIX}inquiries`, remoteAddress: '198.51.100.9', payload: { name: '限流', phone: '13700000000', industry: '测试' } });
    expect([(await post()).statusCode, (await post()).statusCode]).toEqual([201, 201]);
    const third = await post();
    expect(third.statusCode).toBe(429);
    expect(third.json()).toMatchObject({ error: 'rate_limited' });
  });
});

describe('the demo city\'s 招商地图', () => {
  it('is made once by the demo official: four published plots of 湖里区, one with a photo, a draft, and one 意向', async () => {
    await ensureDemoZhaoshang(testApp.app, () => undefined);
    expect(await ensureDemoZhaoshang(testApp.app, () => undefined)).toBe(0);
    const { rows } = await sql<{ id: number; title: string; state: string }>`
      SELECT l.id::float8 AS id, v.title, l.state FROM zhaoshang_listings l JOIN zhaoshang_listing_versions v ON v.listing_id = l.id AND v.version = l.version
      WHERE v.title = ANY(${DEMO_TITLES}) ORDER BY l.id`.execute(testApp.database.db);
    expect(rows.map((row) => row.state)).toEqual(['published', 'published', 'published', 'published', 'draft']);
    const collection = (await testApp.app.inject({ url: `${PUBLIC_ZHAOSHANG_PREFIX}plots?district=350206` })).json();
    const demo = collection.features.filter((feature: { id: number }) => rows.some((row) => row.id === feature.id));
    expect(demo).toHaveLength(4);
    expect(demo.map((feature: { properties: { photoCount: number } }) => feature.properties.photoCount).sort()).toEqual([0, 0, 0, 1]);
    const withPhoto = (await testApp.app.inject({ url: `${PUBLIC_ZHAOSHANG_PREFIX}plots/${rows[0].id}` })).json();
    const photo = await testApp.app.inject({ url: withPhoto.photos[0].url });
    expect(photo.headers['content-type']).toBe('image/png');
    expect(photo.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const { rows: [inquiry] } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM zhaoshang_inquiries WHERE listing_id = ${rows[0].id} AND name = '陈先生'`.execute(testApp.database.db);
    expect(inquiry.count).toBe(1);
  });
});
