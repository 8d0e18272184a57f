import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BULK_EDIT, type ParcelTableFilter, type ParcelTableRow, type ParcelTableSummary } from '../../domain/api/parcel-table.schemas.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * The attribute table (issue 15 item 2) over parcels of its own: each test filters to this run's
 * tag, so parcels other files write at the same time never change what is asserted.
 */
let testApp: TestApp;
let admin: Session;
let surveyor: Session;
let viewer: Session;
let plannerHuli: Session;
const TAG = `表格${process.pid}x${Date.now() % 100000}`;

interface Seeded {
  id: number;
  code: string;
  district: string;
  owner: string;
  taxPerMu: number | null;
  floorAreaRatio: number;
  floorAreaM2: number;
  status: string;
  industry: string;
  identifiedAt: string | null;
}

const SEEDS: Omit<Seeded, 'id' | 'code'>[] = [
  { district: '350206', owner: `厦门${TAG}精密机械有限公司`, taxPerMu: 12.5, floorAreaRatio: 1.2, floorAreaM2: 5000, status: 'identified', industry: 'C34', identifiedAt: '2024-03-01' },
  { district: '350206', owner: `厦门${TAG}电子科技有限公司`, taxPerMu: 3.25, floorAreaRatio: 0.6, floorAreaM2: 2100.5, status: 'suspected', industry: 'C39', identifiedAt: null },
  { district: '350203', owner: `思明${TAG}机械制造有限公司`, taxPerMu: 40, floorAreaRatio: 2.4, floorAreaM2: 12000, status: 'efficient', industry: 'C34', identifiedAt: null },
  { district: '350203', owner: `思明${TAG}食品有限公司`, taxPerMu: null, floorAreaRatio: 0.3, floorAreaM2: 800, status: 'identified', industry: 'C14', identifiedAt: '2023-07-15' },
];
const seeded: Seeded[] = [];

async function rows(session: Session, filter: ParcelTableFilter, extra: Record<string, unknown> = {}): Promise<ParcelTableRow[]> {
  const response = await session.request({ method: 'POST', url: '/api/parcels/table/rows', payload: { filter, limit: 1000, ...extra } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items as ParcelTableRow[];
}

async function summary(session: Session, filter: ParcelTableFilter): Promise<ParcelTableSummary> {
  const response = await session.request({ method: 'POST', url: '/api/parcels/table/summary', payload: { filter } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as ParcelTableSummary;
}

const codesOf = (items: readonly { code: unknown }[]) => items.map((item) => String(item.code)).sort();

beforeAll(async () => {
  testApp = await createTestApp();
  [admin, surveyor, viewer, plannerHuli] = await Promise.all([login(testApp.app, 'admin'), login(testApp.app, 'surveyor'), login(testApp.app, 'viewer'), login(testApp.app, 'planner-huli')]);
  // Copies of a demo parcel's shape in each district (geometry is not what is tested), with figures of our own.
  for (const [index, seed] of SEEDS.entries()) {
    const code = `${seed.district}-T${process.pid}-${index}`;
    const { rows: [row] } = await sql<{ id: number }>`
      INSERT INTO parcels (code, district_code, owner, town_or_park, tax_per_mu, floor_area_ratio, floor_area_m2, status, industry_code, identified_at, geom, updated_by)
      SELECT ${code}, ${seed.district}, ${seed.owner}, ${`${TAG}园区`}, ${seed.taxPerMu}, ${seed.floorAreaRatio}, ${seed.floorAreaM2}, ${seed.status}, ${seed.industry}, ${seed.identifiedAt}::date, p.geom, 'test'
      FROM parcels p WHERE p.district_code = ${seed.district} ORDER BY p.id OFFSET ${index} LIMIT 1
      RETURNING id`.execute(testApp.database.db);
    seeded.push({ ...seed, id: Number(row.id), code });
  }
}, 120_000);

afterAll(async () => {
  await testApp.close();
});

describe('POST /api/parcels/table/rows: filters, search, sort', () => {
  it('finds an owner by a Chinese substring (trigram search) and only the parcels that carry it', async () => {
    const found = await rows(admin, { q: `${TAG}精密机械` });
    expect(codesOf(found)).toEqual([seeded[0].code]);
    // '机械' alone: every parcel whose owner says 机械, so ours are among them and all of them say it.
    const machines = await rows(admin, { q: '机械', townOrPark: `${TAG}园区` });
    expect(codesOf(machines)).toEqual(codesOf(seeded.filter((seed) => seed.owner.includes('机械'))));
    expect(machines.every((row) => String(row.owner).includes('机械'))).toBe(true);
    // By 宗地编号, in any case of the letters typed.
    expect(codesOf(await rows(admin, { q: seeded[2].code.toLowerCase() }))).toEqual([seeded[2].code]);
  });

  it('filters by district, status, industry, ranges of figures and dates', async () => {
    const base = { townOrPark: `${TAG}园区` };
    expect(codesOf(await rows(admin, { ...base, district: '350206' }))).toEqual(codesOf(seeded.filter((seed) => seed.district === '350206')));
    expect(codesOf(await rows(admin, { ...base, district: '350200' }))).toEqual(codesOf(seeded));
    expect(codesOf(await rows(admin, { ...base, status: 'identified' }))).toEqual(codesOf(seeded.filter((seed) => seed.status === 'identified')));
    expect(codesOf(await rows(admin, { ...base, industry: 'C34' }))).toEqual(codesOf(seeded.filter((seed) => seed.industry === 'C34')));
    const ranged = await rows(admin, { ...base, ranges: [{ key: 'floorAreaRatio', min: 0.5, max: 1.5 }, { key: 'taxPerMu', min: 3 }] });
    expect(codesOf(ranged)).toEqual(codesOf(seeded.filter((seed) => seed.floorAreaRatio >= 0.5 && seed.floorAreaRatio <= 1.5 && seed.taxPerMu !== null && seed.taxPerMu >= 3)));
    const dated = await rows(admin, { ...base, ranges: [{ key: 'identifiedAt', min: '2024-01-01', max: '2024-12-31' }] });
    expect(codesOf(dated)).toEqual([seeded[0].code]);
  });

  it('filters by a polygon drawn on the map (box or lasso): the parcels it meets', async () => {
    const { rows: [box] } = await sql<{ polygon: { type: 'Polygon'; coordinates: [number, number][][] } }>`
      SELECT ST_AsGeoJSON(ST_Envelope(ST_Buffer(ST_PointOnSurface(geom), 0.00001)))::json AS polygon FROM parcels WHERE id = ${seeded[0].id}`.execute(testApp.database.db);
    const inside = await rows(admin, { polygon: box.polygon });
    expect(inside.map((row) => row.id)).toContain(seeded[0].id);
    const { rows: expected } = await sql<{ id: number }>`
      SELECT id FROM parcels WHERE ST_Intersects(geom, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(box.polygon)}), 4490)) ORDER BY id`.execute(testApp.database.db);
    expect(inside.map((row) => row.id).sort((a, b) => a - b)).toEqual(expected.map((row) => Number(row.id)));
    // A lasso that crosses itself is read as drawn (made valid), not refused.
    const [[x0, y0], , [x2, y2]] = box.polygon.coordinates[0];
    const bowtie = { type: 'Polygon' as const, coordinates: [[[x0, y0], [x2, y2], [x2, y0], [x0, y2], [x0, y0]]] };
    const response = await admin.request({ method: 'POST', url: '/api/parcels/table/rows', payload: { filter: { polygon: bowtie } } });
    expect(response.statusCode, response.body).toBe(200);
    // Degrees out of their range (swapped or projected coordinates) are a 400 naming the position.
    for (const wrong of [[[x0, 1e300], [x2, y0], [x2, y2], [x0, 1e300]], [[y0, x0], [y0, x2], [y2, x2], [y0, x0]], [[3.9e6, 2.7e6], [3.9e6, 2.8e6], [4e6, 2.8e6], [3.9e6, 2.7e6]]]) {
      const refused = await admin.request({ method: 'POST', url: '/api/parcels/table/rows', payload: { filter: { polygon: { type: 'Polygon', coordinates: [wrong] } } } });
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().message).toMatch(/polygon\/coordinates\/0\/0\/[01]|polygon.coordinates.0.0.[01]/);
    }
  });

  it('sorts on any column, empty values last, and reads windows by offset without overlap', async () => {
    const filter = { townOrPark: `${TAG}园区` };
    const byTax = await rows(admin, filter, { sort: { key: 'taxPerMu', direction: 'desc' } });
    expect(byTax.map((row) => row.taxPerMu)).toEqual([40, 12.5, 3.25, null]);
    const byOwner = await rows(admin, filter, { sort: { key: 'owner', direction: 'asc' } });
    expect(byOwner.map((row) => row.owner)).toEqual([...seeded.map((seed) => seed.owner)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const first = await rows(admin, filter, { sort: { key: 'floorAreaM2', direction: 'asc' }, offset: 0, limit: 2 });
    const second = await rows(admin, filter, { sort: { key: 'floorAreaM2', direction: 'asc' }, offset: 2, limit: 2 });
    expect([...first, ...second].map((row) => row.floorAreaM2)).toEqual([800, 2100.5, 5000, 12000]);
  });

  it('lists the filtered ids in table order once, then rows by id (only in the reader\'s districts)', async () => {
    const filter = { townOrPark: `${TAG}园区` };
    const list = await admin.request({ method: 'POST', url: '/api/parcels/table/ids', payload: { filter, sort: { key: 'taxPerMu', direction: 'asc' } } });
    expect(list.statusCode, list.body).toBe(200);
    const { ids, truncated } = list.json() as { ids: number[]; truncated: boolean };
    expect(truncated).toBe(false);
    expect(ids).toEqual([seeded[1].id, seeded[0].id, seeded[2].id, seeded[3].id]);
    const cut = await admin.request({ method: 'POST', url: '/api/parcels/table/ids', payload: { filter, limit: 3 } });
    expect(cut.json()).toMatchObject({ truncated: true });
    expect(cut.json().ids).toHaveLength(3);
    const window = await rows(admin, {}, { ids: [ids[2], ids[0]] });
    expect(window.map((row) => row.id)).toEqual([ids[2], ids[0]]);
    // A reader of 湖里区 asking for a 思明区 parcel by id gets nothing of it.
    const scoped = await rows(plannerHuli, {}, { ids: [seeded[2].id, seeded[0].id] });
    expect(scoped.map((row) => row.id)).toEqual([seeded[0].id]);
  });

  it('gives every field of the parcel list as a column, with its version and box', async () => {
    const [row] = await rows(admin, { q: seeded[1].code });
    expect(row).toMatchObject({ id: seeded[1].id, code: seeded[1].code, owner: seeded[1].owner, districtCode: '350206', districtName: '湖里区', floorAreaRatio: 0.6, status: 'suspected' });
    expect(row.version).toBeGreaterThanOrEqual(1);
    expect(row.bbox).toHaveLength(4);
  });

  it('shows only the reader\'s districts', async () => {
    const filter = { townOrPark: `${TAG}园区` };
    expect(codesOf(await rows(plannerHuli, filter))).toEqual(codesOf(seeded.filter((seed) => seed.district === '350206')));
    expect((await summary(plannerHuli, filter)).count).toBe(2);
    // Asking for another district does not widen the scope.
    expect(await rows(plannerHuli, { ...filter, district: '350203' })).toEqual([]);
  });

  it('answers a hostile polygon with a 4xx or rows, never a 5xx', async () => {
    const polygons = [
      { type: 'Polygon', coordinates: [[[118, 24], [118.1, 24], [118.1, 24.1], [118, 24.2]]] },
      { type: 'Polygon', coordinates: [[[1e300, 1e300], [-1e300, 1e300], [0, -1e300], [1e300, 1e300]]] },
      { type: 'Polygon', coordinates: [[[118, 24], [118, 24], [118, 24], [118, 24]]] },
    ];
    for (const polygon of polygons) {
      const response = await admin.request({ method: 'POST', url: '/api/parcels/table/summary', payload: { filter: { polygon } } });
      expect(response.statusCode, response.body).toBeLessThan(500);
    }
  });

  it('refuses a bad filter with a 400 naming it', async () => {
    const response = await admin.request({ method: 'POST', url: '/api/parcels/table/rows', payload: { filter: { ranges: [{ key: 'owner', min: 1 }] } } });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('ranges');
  });
});

describe('POST /api/parcels/table/summary: aggregates of the filtered rows', () => {
  it('counts and sums the rows as a sum over the rows does', async () => {
    const result = await summary(admin, { townOrPark: `${TAG}园区` });
    expect(result.count).toBe(SEEDS.length);
    const field = (key: string) => result.fields.find((entry) => entry.key === key)!;
    const taxes = SEEDS.map((seed) => seed.taxPerMu).filter((value): value is number => value !== null);
    expect(field('taxPerMu').count).toBe(taxes.length);
    expect(field('taxPerMu').sum).toBeCloseTo(taxes.reduce((sum, value) => sum + value, 0), 6);
    expect(field('taxPerMu').avg).toBeCloseTo(taxes.reduce((sum, value) => sum + value, 0) / taxes.length, 6);
    expect(field('floorAreaM2').sum).toBeCloseTo(SEEDS.reduce((sum, seed) => sum + seed.floorAreaM2, 0), 2);
    expect(field('floorAreaRatio').max).toBe(2.4);
    expect(field('floorAreaRatio').min).toBe(0.3);
    // The ellipsoidal areas as the database holds them, summed independently.
    const { rows: [area] } = await sql<{ total: number }>`SELECT sum(area_m2) AS total FROM parcels WHERE id = ANY(${seeded.map((seed) => seed.id)}::bigint[])`.execute(testApp.database.db);
    expect(field('areaM2').sum).toBeCloseTo(Number(area.total), 1);
    expect(result.extent).toHaveLength(4);
  });

  it('is empty, not an error, when nothing matches', async () => {
    const result = await summary(admin, { q: `${TAG}没有这家公司` });
    expect(result).toMatchObject({ count: 0, extent: null });
    expect(result.fields.find((entry) => entry.key === 'taxPerMu')).toMatchObject({ count: 0, sum: null, avg: null });
  });
});

describe('POST /api/parcels/bulk-edit', () => {
  async function versions(ids: readonly number[]) {
    const items = await rows(admin, { townOrPark: `${TAG}园区` });
    return ids.map((id) => ({ id, version: items.find((row) => row.id === id)!.version }));
  }

  it('sets one field of every selected parcel: one history row per parcel, one audit entry for the batch', async () => {
    const ids = [seeded[0].id, seeded[1].id, seeded[2].id];
    const response = await surveyor.request({ method: 'POST', url: '/api/parcels/bulk-edit', payload: { field: 'floorAreaRatio', value: 1.75, parcels: await versions(ids), reason: `${TAG} 复核容积率` } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ field: 'floorAreaRatio', updated: 3 });
    const { rows: history } = await sql<{ entity_id: string; actor: string; request_id: string; before: { floor_area_ratio: number }; after: { floor_area_ratio: number } }>`
      SELECT entity_id, actor, request_id, before, after FROM history
      WHERE entity = 'parcels' AND action = 'update' AND entity_id = ANY(${ids.map(String)}::text[]) AND (after->>'floor_area_ratio')::numeric = 1.75`.execute(testApp.database.db);
    expect(history.map((entry) => Number(entry.entity_id)).sort()).toEqual([...ids].sort());
    expect(history.every((entry) => entry.actor === 'surveyor')).toBe(true);
    const { rows: audit } = await sql<{ id: number; after: { field: string; value: number; count: number; ids: number[]; reason: string }; request_id: string }>`
      SELECT id, after, request_id FROM history WHERE action = 'bulk_edit' AND after->>'reason' = ${`${TAG} 复核容积率`}`.execute(testApp.database.db);
    expect(audit).toHaveLength(1);
    expect(Number(audit[0].id)).toBe(response.json().auditId);
    expect(audit[0].after).toMatchObject({ field: 'floorAreaRatio', value: 1.75, count: 3 });
    expect([...audit[0].after.ids].sort()).toEqual([...ids].sort());
    expect(history.every((entry) => entry.request_id === audit[0].request_id)).toBe(true);
    // The parcels' own history, as the card shows it.
    const card = await admin.get(`/api/parcels/${ids[0]}/history`);
    expect(card.json().items[0].changes).toContainEqual({ key: 'floorAreaRatio', before: 1.2, after: 1.75 });
  });

  it('refuses a stale version with 409 and changes nothing', async () => {
    const [current] = await versions([seeded[3].id]);
    const response = await surveyor.request({ method: 'POST', url: '/api/parcels/bulk-edit', payload: { field: 'taxPerMu', value: 99, parcels: [{ id: seeded[3].id, version: current.version + 1 }] } });
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().error).toBe('stale_version');
    const { rows: [row] } = await sql<{ tax_per_mu: number | null }>`SELECT tax_per_mu FROM parcels WHERE id = ${seeded[3].id}`.execute(testApp.database.db);
    expect(row.tax_per_mu).toBeNull();
  });

  it('refuses a field the role may not set, naming it', async () => {
    const parcels = await versions([seeded[0].id]);
    const planner = await viewer.request({ method: 'POST', url: '/api/parcels/bulk-edit', payload: { field: 'floorAreaRatio', value: 2, parcels } });
    expect(planner.statusCode).toBe(403);
    expect(planner.json().error).toBe('forbidden_fields');
    expect(planner.json().message).toContain('容积率');
  });

  it('checks the scope for every parcel of the selection', async () => {
    const parcels = await versions([seeded[1].id, seeded[2].id]);
    const response = await plannerHuli.request({ method: 'POST', url: '/api/parcels/bulk-edit', payload: { field: 'plannedFunction', value: '工业', parcels } });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toBe('out_of_scope');
    expect(response.json().message).toContain(seeded[2].code);
    const { rows: [row] } = await sql<{ planned_function: string | null }>`SELECT planned_function FROM parcels WHERE id = ${seeded[1].id}`.execute(testApp.database.db);
    expect(row.planned_function).toBeNull();
  });

  it('refuses a value the field does not take, and a batch over the limit, with a clear 400', async () => {
    const parcels = await versions([seeded[0].id]);
    const negative = await surveyor.request({ method: 'POST', url: '/api/parcels/bulk-edit', payload: { field: 'floorAreaRatio', value: -1, parcels } });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().message).toContain('容积率');
    const status = await admin.request({ method: 'POST', url: '/api/parcels/bulk-edit', payload: { field: 'status', value: 'nonsense', parcels } });
    expect(status.statusCode).toBe(400);
    const tooMany = Array.from({ length: MAX_BULK_EDIT + 1 }, (_, index) => ({ id: index + 1, version: 1 }));
    const big = await surveyor.request({ method: 'POST', url: '/api/parcels/bulk-edit', payload: { field: 'floorAreaRatio', value: 1, parcels: tooMany } });
    expect(big.statusCode).toBe(400);
    expect(big.json()).toMatchObject({ error: 'too_many_parcels', parameter: 'parcels' });
    expect(big.json().message).toContain(String(MAX_BULK_EDIT));
  });
});
