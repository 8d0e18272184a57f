import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchSuggestion } from '../../domain/api/search.schemas.js';
import { Scope } from '../../server/auth/scope.js';
import { TEXT_BUDGET_MS } from '../../server/search/search.repository.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/** Search everywhere (issue 15 item 3): the map's search box over parcels of this run's own. */
let testApp: TestApp;
let admin: Session;
let plannerHuli: Session;
const TAG = `搜${process.pid}q${Date.now() % 100000}`;
const parcels: { id: number; code: string; district: string; owner: string; contract: string; certificate: string; location: string }[] = [];

/** What the search box shows in the end: the quick answer, or (as the box does) the complete one when it was partial. */
async function search(session: Session, q: string, limit?: number): Promise<SearchSuggestion[]> {
  const url = `/api/search?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`;
  let response = await session.get(url);
  expect(response.statusCode, response.body).toBe(200);
  if (response.json().partial === true) response = await session.get(`${url}&complete=true`);
  expect(response.json().partial, 'the complete search answers within its budget').toBe(false);
  return response.json().items as SearchSuggestion[];
}

beforeAll(async () => {
  testApp = await createTestApp();
  [admin, plannerHuli] = await Promise.all([login(testApp.app, 'admin'), login(testApp.app, 'planner-huli')]);
  const seeds = [
    { district: '350206', owner: `厦门${TAG}重型机械有限公司`, location: `厦门市湖里区${TAG}路8号` },
    { district: '350203', owner: `思明爨龘${TAG}纺织有限公司`, location: `厦门市思明区${TAG}街1号` },
  ];
  // The copies take the shape of a parcel far down the district's list: other test files check
  // compositions around its first parcels, which an overlapping copy would change.
  for (const [index, seed] of seeds.entries()) {
    const code = `${seed.district}-S${process.pid}-${index}`;
    const contract = `HT-${TAG}-${index}`;
    const certificate = `闽(2024)厦门市不动产权第${TAG}${index}号`;
    const { rows: [row] } = await sql<{ id: number }>`
      INSERT INTO parcels (code, district_code, owner, location, contract_no, certificate_no, town_or_park, geom, updated_by)
      SELECT ${code}, ${seed.district}, ${seed.owner}, ${seed.location}, ${contract}, ${certificate}, ${`${TAG}产业园`}, p.geom, 'test'
      FROM parcels p WHERE p.district_code = ${seed.district} ORDER BY p.id OFFSET 300 LIMIT 1
      RETURNING id`.execute(testApp.database.db);
    parcels.push({ id: Number(row.id), code, district: seed.district, owner: seed.owner, contract, certificate, location: seed.location });
  }
}, 120_000);

afterAll(async () => {
  await testApp.close();
});

describe('GET /api/search', () => {
  it('finds a parcel by the start of its 宗地编号, first', async () => {
    const items = await search(admin, parcels[0].code.slice(0, -1));
    expect(items[0]).toMatchObject({ kind: 'parcel', matched: 'code' });
    expect(items.map((item) => item.title)).toContain(parcels[0].code);
    const exact = await search(admin, parcels[0].code);
    expect(exact[0]).toMatchObject({ kind: 'parcel', parcelId: parcels[0].id, title: parcels[0].code, matched: 'code', restricted: false });
    expect(exact[0].bbox).toHaveLength(4);
  });

  it('finds an owner by a Chinese part of the name (trigrams), and 机械 alone finds machine works', async () => {
    const [first] = await search(admin, `${TAG}重型`);
    expect(first).toMatchObject({ kind: 'parcel', parcelId: parcels[0].id, matched: 'owner', matchedText: parcels[0].owner });
    expect(first.detail).toContain('湖里区');
    const machines = await search(admin, '机械');
    expect(machines.length).toBeGreaterThan(0);
    expect(machines.filter((item) => item.kind === 'parcel').every((item) => item.matchedText.includes('机械'))).toBe(true);
  });

  it('finds an owner by two characters (the character-pair index: trigrams have none), in the reader\'s districts only', async () => {
    const [first] = await search(admin, '爨龘');
    expect(first).toMatchObject({ kind: 'parcel', parcelId: parcels[1].id, matched: 'owner', matchedText: parcels[1].owner });
    // 思明区's parcel is outside 湖里区: its owner is not searched for a 湖里 reader.
    expect((await search(plannerHuli, '爨龘')).filter((item) => item.kind === 'parcel')).toEqual([]);
    const { rows: plan } = await sql<{ 'QUERY PLAN': string }>`
      EXPLAIN SELECT id FROM parcels WHERE parcel_name_bigrams(owner, location) @> ARRAY['爨龘']`.execute(testApp.database.db);
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('parcels_name_bigrams_idx');
  });

  it('finds a parcel by contract number, certificate number and address', async () => {
    expect((await search(admin, parcels[1].contract.toLowerCase()))[0]).toMatchObject({ parcelId: parcels[1].id, matched: 'contractNo' });
    expect((await search(admin, `第${TAG}1`))[0]).toMatchObject({ parcelId: parcels[1].id, matched: 'certificateNo' });
    expect((await search(admin, `${TAG}街1`))[0]).toMatchObject({ parcelId: parcels[1].id, matched: 'location' });
  });

  it('finds districts and 街道/园区 by name', async () => {
    const [district] = await search(admin, '湖里');
    expect(district).toMatchObject({ kind: 'district', title: '湖里区', districtCode: '350206', matched: 'name' });
    expect(district.bbox).toHaveLength(4);
    const towns = await search(admin, `${TAG}产业`);
    expect(towns.filter((item) => item.kind === 'townOrPark').map((item) => [item.title, item.districtCode]).sort()).toEqual([[`${TAG}产业园`, '350203'], [`${TAG}产业园`, '350206']]);
  });

  it('outside the reader\'s districts finds a parcel by its code only, without its owner', async () => {
    const byOwner = await search(plannerHuli, `思明${TAG}纺织`);
    expect(byOwner.filter((item) => item.kind === 'parcel')).toEqual([]);
    expect(await search(plannerHuli, parcels[1].contract)).toEqual([]);
    const [byCode] = await search(plannerHuli, parcels[1].code);
    expect(byCode).toMatchObject({ kind: 'parcel', parcelId: parcels[1].id, restricted: true, matched: 'code' });
    expect(byCode.detail).not.toContain('纺织');
    expect(JSON.stringify(byCode)).not.toContain(TAG);
    // Its own district's parcels as usual; the other district's 街道/园区 not.
    expect((await search(plannerHuli, `${TAG}重型`))[0]).toMatchObject({ parcelId: parcels[0].id, restricted: false });
    expect((await search(plannerHuli, `${TAG}产业`)).filter((item) => item.kind === 'townOrPark').map((item) => item.districtCode)).toEqual(['350206']);
  });

  it('keeps to the limit, takes LIKE characters literally and refuses an empty or long query', async () => {
    expect((await search(admin, '厦门', 5)).length).toBeLessThanOrEqual(5);
    expect(await search(admin, `${TAG}%_`)).toEqual([]);
    expect((await admin.get('/api/search?q=')).statusCode).toBe(400);
    expect((await admin.get(`/api/search?q=${'长'.repeat(101)}`)).statusCode).toBe(400);
  });

  it('says partial when the owner/证号/地址 search runs out of its time, and the complete search then finds every match', async () => {
    // The quick answer is complete when the text statement answers in time.
    const quick = await admin.get(`/api/search?q=${encodeURIComponent(`${TAG}重型`)}`);
    expect(quick.json()).toMatchObject({ partial: false, items: [{ parcelId: parcels[0].id }] });
    const complete = await admin.get(`/api/search?q=${encodeURIComponent(`${TAG}重型`)}&complete=true`);
    expect(complete.json()).toMatchObject({ partial: false, items: [{ parcelId: parcels[0].id }] });
    expect((await admin.get(`/api/search?q=x&complete=maybe`)).statusCode).toBe(400);

    // A busy table (here: held by a lock a little longer than the budget) makes the quick text
    // statement run out of its time: the answer says so instead of silently having no match, and the
    // complete search, with its long budget, waits and finds it.
    const client = await testApp.database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('LOCK TABLE parcels IN ACCESS EXCLUSIVE MODE');
      const search = testApp.app.searchRepository;
      const pendingQuick = search.suggest(`${TAG}重型`, 10, Scope.system());
      const pendingComplete = search.suggest(`${TAG}重型`, 10, Scope.system(), { complete: true });
      await new Promise((resolve) => setTimeout(resolve, TEXT_BUDGET_MS * 6));
      await client.query('COMMIT');
      const [cut, whole] = await Promise.all([pendingQuick, pendingComplete]);
      expect(cut).toEqual({ items: [], partial: true });
      expect(whole.partial).toBe(false);
      expect(whole.items[0]).toMatchObject({ parcelId: parcels[0].id, matched: 'owner' });
    } finally {
      client.release();
    }
  });
});
