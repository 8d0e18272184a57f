import { VectorTile } from '@mapbox/vector-tile';
import { sql } from 'kysely';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';
import { tileOf } from '../helpers/tiles.js';

/**
 * Split (土地分割) and merge (并宗, seed 002 case 3) of parcels: areas that add up, codes, copied and
 * shared attributes, the old parcels retired into the archive with their history and lineage, tiles
 * refreshed, every refusal naming its reason, stale versions and other districts refused, and
 * nothing written by a refused operation. The parcels are made here, in empty corners of 湖里区
 * (350206), with codes of this run.
 */
let testApp: TestApp;
let admin: Session;
let surveyor: Session;
let origin: { lon: number; lat: number };
let serial = 0;
let slots = 0;
const run = `SM${process.pid}`;

interface Made {
  id: number;
  code: string;
  version: number;
  areaM2: number;
}

/** A rectangle [lon0, lat0] + (width, height) in degrees. */
function rectangle(lon0: number, lat0: number, width: number, height: number): string {
  return `POLYGON((${lon0} ${lat0}, ${lon0 + width} ${lat0}, ${lon0 + width} ${lat0 + height}, ${lon0} ${lat0 + height}, ${lon0} ${lat0}))`;
}

/** A slot of its own for each scenario, 0.02° apart (about 2 km), away from one another. */
function slot(): { lon: number; lat: number } {
  slots += 1;
  return { lon: origin.lon + (slots % 5) * 0.02, lat: origin.lat + Math.floor(slots / 5) * 0.02 };
}

async function makeParcel(wkt: string, columns: Partial<{ owner: string | null; ownership_nature: string | null; land_use_code: string | null; district_code: string; registered_area_m2: number | null; floor_area_m2: number | null; floor_area_ratio: number | null; tax_per_mu: number | null; contract_no: string | null }> = {}): Promise<Made> {
  const code = `${run}-${(serial += 1)}-${Math.random().toString(36).slice(2, 6)}`;
  const values = {
    owner: '厦门并宗测试机械有限公司', ownership_nature: '国有',
    // 采矿用地: no grading scheme or criteria set covers it, so other test files' grading runs over 湖里区 leave these parcels' versions alone.
    land_use_code: '0602', district_code: '350206',
    registered_area_m2: 40000, floor_area_m2: 30000, floor_area_ratio: 1.2, tax_per_mu: 12.5, contract_no: 'HT-2010-001', ...columns,
  };
  const { rows: [row] } = await sql<{ id: string; version: number; area_m2: number }>`
    INSERT INTO parcels (code, district_code, owner, ownership_nature, land_use_code, registered_area_m2, floor_area_m2, floor_area_ratio,
                         tax_per_mu, contract_no, status, geom, updated_by)
    VALUES (${code}, ${values.district_code}, ${values.owner}, ${values.ownership_nature}, ${values.land_use_code}, ${values.registered_area_m2},
            ${values.floor_area_m2}, ${values.floor_area_ratio}, ${values.tax_per_mu}, ${values.contract_no}, 'suspected',
            ST_Multi(ST_GeomFromText(${wkt}, 4490)), 'test')
    RETURNING id, version, area_m2`.execute(testApp.database.db);
  return { id: Number(row.id), code, version: row.version, areaM2: row.area_m2 };
}

const line = (...points: [number, number][]) => ({ type: 'LineString' as const, coordinates: points });

async function live(id: number): Promise<{ version: number } | undefined> {
  const { rows: [row] } = await sql<{ version: number }>`SELECT version FROM parcels WHERE id = ${id}`.execute(testApp.database.db);
  return row;
}

async function parcelsWithCodePrefix(prefix: string): Promise<string[]> {
  const { rows } = await sql<{ code: string }>`
    SELECT code FROM parcels WHERE code LIKE ${`${prefix}-%`} UNION ALL SELECT code FROM retired_parcels WHERE code LIKE ${`${prefix}-%`}`.execute(testApp.database.db);
  return rows.map((row) => row.code);
}

async function lineageCount(ids: number[]): Promise<number> {
  const { rows: [row] } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM parcel_lineage WHERE parent_ids && ${ids}::bigint[]`.execute(testApp.database.db);
  return row.n;
}

function tileFeatureIds(payload: Buffer): number[] {
  const layer = new VectorTile(new PbfReader(payload)).layers.parcels;
  return layer ? Array.from({ length: layer.length }, (_, index) => Number(layer.feature(index).id)) : [];
}

beforeAll(async () => {
  testApp = await createTestApp({ TILE_STORE_MIN_MS: '0' });
  admin = await login(testApp.app, 'admin');
  surveyor = await login(testApp.app, 'surveyor');
  // An inner corner of 湖里区: scenario slots go north-east from there, 0.02° apart.
  const { rows: [point] } = await sql<{ lon: number; lat: number }>`
    SELECT ST_XMin(geom) + (ST_XMax(geom) - ST_XMin(geom)) * 0.3 AS lon, ST_YMin(geom) + (ST_YMax(geom) - ST_YMin(geom)) * 0.3 AS lat
    FROM districts WHERE code = '350206'`.execute(testApp.database.db);
  origin = point;
});
afterAll(async () => {
  await testApp.close();
});

describe('split', () => {
  it('cuts a parcel into parts whose ellipsoidal areas add up to the whole within 0.01 m², with their own codes, shared and copied attributes; the old one is retired with its history and lineage, and the tiles show the parts', async () => {
    const { lon, lat } = slot();
    // About 410 m × 330 m: long edges, where a cut in degrees would miss the geodesic by centimetres.
    const parcel = await makeParcel(rectangle(lon, lat, 0.004, 0.003), { registered_area_m2: 135000.01 });
    await sql`UPDATE parcels SET boundary_east = '规划路', invested_amount = 5000 WHERE id = ${parcel.id}`.execute(testApp.database.db);
    await sql`INSERT INTO parcel_yearly_figures (parcel_id, year, output_wan, tax_wan) VALUES (${parcel.id}, 2023, 1000.01, 55), (${parcel.id}, 2024, 1200, NULL)`.execute(testApp.database.db);
    parcel.version = (await live(parcel.id))!.version;
    const tile = tileOf(lon + 0.002, lat + 0.0015, 16);
    const tileUrl = `/tiles/parcels/${tile.z}/${tile.x}/${tile.y}.pbf`;
    expect(tileFeatureIds((await surveyor.get(tileUrl)).rawPayload)).toContain(parcel.id);
    // The insert's own change notice arrives through the database a moment later: wait until the tile stays cached.
    let cached = '';
    for (let attempt = 0; attempt < 20 && cached !== 'hit'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      cached = String((await surveyor.get(tileUrl)).headers['x-tile-cache']);
    }
    expect(cached).toBe('hit');

    // A skewed line, north to south across the whole parcel.
    const cut = line([lon + 0.0015, lat + 0.0035], [lon + 0.0019, lat + 0.0015], [lon + 0.0016, lat - 0.0005]);
    const preview = await surveyor.request({ method: 'POST', url: `/api/parcels/${parcel.id}/split/preview`, payload: { line: cut } });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().parts.map((part: { code: string }) => part.code)).toEqual([`${parcel.code}-1`, `${parcel.code}-2`]);
    expect(await live(parcel.id)).toEqual({ version: parcel.version });

    const response = await surveyor.request({ method: 'POST', url: `/api/parcels/${parcel.id}/split`, payload: { version: parcel.version, line: cut, note: '依控规界限分割' } });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body.parcels).toHaveLength(2);
    const [west, east] = body.parcels;
    expect([west.code, east.code]).toEqual([`${parcel.code}-1`, `${parcel.code}-2`]);
    expect(Math.abs(west.areaM2 + east.areaM2 - parcel.areaM2)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(body.sumM2 - parcel.areaM2)).toBeLessThanOrEqual(0.01);
    expect(west.areaM2).toBeGreaterThan(parcel.areaM2 * 0.35);
    expect(west.areaM2).toBeLessThan(parcel.areaM2 * 0.5);
    // 登记面积 and 建筑面积 are shared in proportion to the ellipsoidal areas, to the cent; ratios and the rest are copied.
    expect(Math.round((west.registeredAreaM2 + east.registeredAreaM2) * 100)).toBe(13500001);
    expect(west.registeredAreaM2 / 135000.01).toBeCloseTo(west.areaM2 / parcel.areaM2, 4);
    expect(Math.round((west.floorAreaM2 + east.floorAreaM2) * 100)).toBe(3000000);
    expect(Math.round((west.investedAmount + east.investedAmount) * 100)).toBe(500000);
    // 四至 named the old shape's neighbours: cleared. The yearly 产值/税收 are shared per year, adding up to the cent.
    const { rows: yearly } = await sql<{ year: number; output: string; tax: string | null; parts: number }>`
      SELECT year, sum(output_wan)::text AS output, sum(tax_wan)::text AS tax, count(*)::int AS parts
      FROM parcel_yearly_figures WHERE parcel_id IN (${west.id}, ${east.id}) GROUP BY year ORDER BY year`.execute(testApp.database.db);
    expect(yearly).toEqual([{ year: 2023, output: '1000.01', tax: '55.00', parts: 2 }, { year: 2024, output: '1200.00', tax: null, parts: 2 }]);
    for (const part of body.parcels) {
      expect(part.boundaryEast).toBeNull();
      expect(part).toMatchObject({ owner: '厦门并宗测试机械有限公司', ownershipNature: '国有', landUseCode: '0602', floorAreaRatio: 1.2, taxPerMu: 12.5, contractNo: 'HT-2010-001', status: 'suspected', districtCode: '350206', version: 1 });
    }

    // The old parcel: out of parcels, in the archive, 410 naming its successors.
    const gone = await surveyor.get(`/api/parcels/${parcel.id}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({ error: 'parcel_retired', kind: 'split', successors: [{ id: west.id, code: west.code }, { id: east.id, code: east.code }] });
    expect(gone.json().message).toContain('分割为');
    const { rows: [archived] } = await sql<{ retired_reason: string; successor_ids: string[]; area_m2: number; attributes: { owner: string } }>`
      SELECT retired_reason, successor_ids, area_m2, attributes FROM retired_parcels WHERE id = ${parcel.id}`.execute(testApp.database.db);
    expect(archived).toMatchObject({ retired_reason: 'split', successor_ids: [String(west.id), String(east.id)], attributes: { owner: '厦门并宗测试机械有限公司', boundary_east: '规划路' } });
    expect((archived.attributes as unknown as { yearly_figures: unknown[] }).yearly_figures).toEqual([
      { year: 2023, output_wan: 1000.01, tax_wan: 55 }, { year: 2024, output_wan: 1200, tax_wan: null }]);
    expect(archived.area_m2).toBe(parcel.areaM2);
    expect(await live(parcel.id)).toBeUndefined();

    // History of the old parcel ends with its retirement; lineage both ways.
    const history = (await surveyor.get(`/api/parcels/${parcel.id}/history`)).json();
    expect(history.items[0]).toMatchObject({ action: 'retired', actor: 'surveyor' });
    const old = (await surveyor.get(`/api/parcels/${parcel.id}/lineage`)).json();
    expect(old).toMatchObject({ retired: true, origin: null, end: { kind: 'split', note: '依控规界限分割', actor: 'surveyor', parents: [{ id: parcel.id, retired: true }] } });
    expect(old.end.children.map((child: { code: string }) => child.code)).toEqual([west.code, east.code]);
    expect(old.successors.map((successor: { id: number }) => successor.id)).toEqual([west.id, east.id]);
    const child = (await surveyor.get(`/api/parcels/${east.id}/lineage`)).json();
    expect(child).toMatchObject({ retired: false, end: null, successors: [], origin: { kind: 'split', parents: [{ id: parcel.id, code: parcel.code, retired: true }] } });
    expect((await surveyor.get(`/api/parcels/${east.id}/history`)).json().items[0]).toMatchObject({ action: 'insert', actor: 'surveyor' });

    // One audit entry for the operation.
    const audit = (await admin.get(`/api/admin/audit?entity=parcel_lineage&entityId=${body.operation.operationId}`)).json();
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ action: 'split', actor: 'surveyor' });
    expect(audit.items[0].subject).toContain(parcel.code);
    const byCode = (await admin.get(`/api/admin/audit?parcelCode=${encodeURIComponent(east.code)}&action=split`)).json();
    expect(byCode.items.map((item: { entityId: string }) => item.entityId)).toEqual([String(body.operation.operationId)]);

    // The tile shows the parts, not the old parcel, at once.
    const after = await surveyor.get(tileUrl);
    expect(after.headers['x-tile-cache']).not.toBe('hit');
    const ids = tileFeatureIds(after.rawPayload);
    expect(ids).not.toContain(parcel.id);
    expect(ids).toEqual(expect.arrayContaining([west.id, east.id]));

    // A second split from the same version: the parcel is gone (410), nothing written.
    const again = await surveyor.request({ method: 'POST', url: `/api/parcels/${parcel.id}/split`, payload: { version: parcel.version, line: cut } });
    expect(again.statusCode).toBe(410);
    const edit = await surveyor.request({ method: 'PATCH', url: `/api/parcels/${parcel.id}`, payload: { owner: '迟到的修改', expectedVersion: parcel.version } });
    expect(edit.statusCode).toBe(410);
  });

  it('refuses a line that does not cross the parcel fully, or cuts a sliver, naming the reason, and writes nothing', async () => {
    const { lon, lat } = slot();
    const parcel = await makeParcel(rectangle(lon, lat, 0.002, 0.002));
    const cases: [string, ReturnType<typeof line>][] = [
      ['split_line_misses_parcel', line([lon - 0.001, lat - 0.001], [lon - 0.001, lat + 0.003])],
      ['split_line_ends_inside', line([lon + 0.001, lat - 0.001], [lon + 0.001, lat + 0.001])],
      ['split_line_ends_inside', line([lon + 0.0005, lat + 0.0005], [lon + 0.0015, lat + 0.0015])],
      ['split_line_does_not_divide', line([lon, lat - 0.001], [lon, lat + 0.003])],
      // 0.5 mm from the west edge: a part of ~0.1 m².
      ['split_sliver', line([lon + 0.000000005, lat - 0.001], [lon + 0.000000005, lat + 0.003])],
    ];
    for (const [reason, cut] of cases) {
      const response = await surveyor.request({ method: 'POST', url: `/api/parcels/${parcel.id}/split`, payload: { version: parcel.version, line: cut } });
      expect(response.statusCode, `${reason}: ${response.body}`).toBe(422);
      expect(response.json()).toMatchObject({ error: reason, parameter: 'line' });
      expect(response.json().message).toMatch(/分割线|碎片/);
    }
    const across = line([lon + 0.001, lat - 0.001], [lon + 0.001, lat + 0.003]);
    const codes = await surveyor.request({ method: 'POST', url: `/api/parcels/${parcel.id}/split`, payload: { version: parcel.version, line: across, codes: ['A', 'B', 'C'] } });
    expect(codes.statusCode).toBe(422);
    expect(codes.json()).toMatchObject({ error: 'split_codes_count', parameter: 'codes' });
    const other = await makeParcel(rectangle(lon + 0.01, lat, 0.001, 0.001));
    const taken = await surveyor.request({ method: 'POST', url: `/api/parcels/${parcel.id}/split`, payload: { version: parcel.version, line: across, codes: [`${parcel.code}-W`, other.code] } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ error: 'parcel_code_taken', codes: [other.code] });
    expect(await live(parcel.id)).toEqual({ version: parcel.version });
    expect(await parcelsWithCodePrefix(parcel.code)).toEqual([]);
    expect(await lineageCount([parcel.id])).toBe(0);

    // Codes given by the surveyor are used as given.
    const given = await surveyor.request({ method: 'POST', url: `/api/parcels/${parcel.id}/split`, payload: { version: parcel.version, line: across, codes: [`${parcel.code}-W`, `${parcel.code}-E`] } });
    expect(given.statusCode, given.body).toBe(201);
    expect(given.json().parcels.map((part: { code: string }) => part.code)).toEqual([`${parcel.code}-W`, `${parcel.code}-E`]);
  });

  it('refuses a stale version with 409 and both versions, another district\'s parcel with 403, and roles that may not edit shapes', async () => {
    const { lon, lat } = slot();
    const parcel = await makeParcel(rectangle(lon, lat, 0.002, 0.002));
    const across = line([lon + 0.001, lat - 0.001], [lon + 0.001, lat + 0.003]);
    await sql`UPDATE parcels SET owner = '别人刚改过的权利人' WHERE id = ${parcel.id}`.execute(testApp.database.db);
    const stale = await surveyor.request({ method: 'POST', url: `/api/parcels/${parcel.id}/split`, payload: { version: parcel.version, line: across } });
    expect(stale.statusCode, stale.body).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'stale_version' });
    expect(stale.json().conflicts[0]).toMatchObject({ id: parcel.id, yourVersion: parcel.version, currentVersion: parcel.version + 1 });
    expect(await live(parcel.id)).toEqual({ version: parcel.version + 1 });
    expect(await parcelsWithCodePrefix(parcel.code)).toEqual([]);

    // A surveyor of 湖里区 only, on a parcel of 海沧区.
    const username = `split-huli-${process.pid}`;
    const created = await admin.request({ method: 'POST', url: '/api/admin/users', payload: { username, displayName: '湖里区调查员（分割测试）', role: 'surveyor', scopes: ['350206'], password: 'Split-initial-2026' } });
    expect(created.statusCode).toBe(201);
    const first = await login(testApp.app, username, 'Split-initial-2026');
    await first.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'Split-initial-2026', newPassword: 'Split-final-2026' } });
    const huli = await login(testApp.app, username, 'Split-final-2026');
    const haicang = await makeParcel(rectangle(lon + 0.01, lat, 0.002, 0.002), { district_code: '350205' });
    const foreign = await huli.request({ method: 'POST', url: `/api/parcels/${haicang.id}/split`, payload: { version: haicang.version, line: line([lon + 0.011, lat - 0.001], [lon + 0.011, lat + 0.003]) } });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error).toBe('out_of_scope');
    expect(await live(haicang.id)).toEqual({ version: haicang.version });
    for (const role of ['planner', 'official', 'viewer']) {
      const session = await login(testApp.app, role);
      const refused = await session.request({ method: 'POST', url: `/api/parcels/${parcel.id}/split`, payload: { version: parcel.version + 1, line: across } });
      expect(refused.statusCode, role).toBe(403);
    }
    expect(await live(parcel.id)).toEqual({ version: parcel.version + 1 });

    // Two surveyors split the same parcel at once: exactly one wins, the other is told it is gone.
    const twice = await Promise.all([across, line([lon + 0.0012, lat - 0.001], [lon + 0.0012, lat + 0.003])].map((cut) =>
      surveyor.request({ method: 'POST', url: `/api/parcels/${parcel.id}/split`, payload: { version: parcel.version + 1, line: cut } })));
    expect(twice.map((response) => response.statusCode).sort()).toEqual([201, expect.any(Number)]);
    const loser = twice.find((response) => response.statusCode !== 201)!;
    expect([409, 410]).toContain(loser.statusCode);
    expect(await lineageCount([parcel.id])).toBe(1);
    expect((await parcelsWithCodePrefix(parcel.code)).sort()).toEqual([`${parcel.code}-1`, `${parcel.code}-2`]);
  });
});

describe('merge (并宗)', () => {
  it('merges adjacent parcels of one owner, 权属性质, land use and district: the union\'s area is the sum within 0.01 m², amounts summed, ratios weighted, lineage both ways', async () => {
    const { lon, lat } = slot();
    const north = await makeParcel(rectangle(lon, lat + 0.002, 0.003, 0.002), { registered_area_m2: 60000.5, floor_area_m2: 40000, floor_area_ratio: 1.5 });
    const south = await makeParcel(rectangle(lon, lat, 0.003, 0.002), { registered_area_m2: 59000.25, floor_area_m2: 10000, floor_area_ratio: 0.5, contract_no: 'HT-2012-777' });
    // A 零星用地 beside them (seed 002 case 3: 1688.4 m² merged with the north plot), sharing part of the north one's west edge.
    const fragment = await makeParcel(rectangle(lon - 0.0004, lat + 0.0025, 0.0004, 0.0004), { registered_area_m2: 1688.4, floor_area_m2: 0, floor_area_ratio: 0 });

    const check = await surveyor.request({ method: 'POST', url: '/api/parcels/merge/check', payload: { ids: [north.id, south.id, fragment.id] } });
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json().pass).toBe(true);
    expect(check.json().conditions.map((condition: { key: string; pass: boolean }) => [condition.key, condition.pass])).toEqual([
      ['adjacent', true], ['owner', true], ['ownershipNature', true], ['landUse', true], ['district', true],
    ]);

    await sql`INSERT INTO parcel_yearly_figures (parcel_id, year, output_wan, tax_wan) VALUES (${north.id}, 2024, 800, 40), (${south.id}, 2024, 200.5, 10)`.execute(testApp.database.db);
    const parcels = [north, south, fragment].map(({ id, version }) => ({ id, version }));
    const response = await surveyor.request({ method: 'POST', url: '/api/parcels/merge', payload: { parcels, note: '并宗：零星用地与北侧地块' } });
    expect(response.statusCode, response.body).toBe(201);
    const { parcel: merged, operation, sumM2, differences } = response.json();
    const sum = north.areaM2 + south.areaM2 + fragment.areaM2;
    expect(Math.abs(merged.areaM2 - sum)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(sumM2 - sum)).toBeLessThanOrEqual(1e-6);
    expect(merged.geometry.type).toBe('MultiPolygon');
    expect(merged.geometry.coordinates).toHaveLength(1);
    // The largest parcel (north) gives the code and what is not combined; amounts add up; 容积率 is weighted by area.
    const principal = north.areaM2 >= south.areaM2 ? north : south;
    expect(merged.code).toBe(`${principal.code}-H`);
    expect(merged.registeredAreaM2).toBeCloseTo(60000.5 + 59000.25 + 1688.4, 2);
    expect(merged.floorAreaM2).toBe(50000);
    expect(merged.floorAreaRatio).toBeCloseTo((1.5 * north.areaM2 + 0.5 * south.areaM2) / sum, 2);
    expect(merged).toMatchObject({ owner: '厦门并宗测试机械有限公司', ownershipNature: '国有', landUseCode: '0602', districtCode: '350206', version: 1 });
    expect(differences.map((difference: { key: string }) => difference.key)).toContain('contractNo');
    const { rows: yearly } = await sql<{ year: number; output_wan: string; tax_wan: string }>`
      SELECT year, output_wan::text, tax_wan::text FROM parcel_yearly_figures WHERE parcel_id = ${merged.id}`.execute(testApp.database.db);
    expect(yearly).toEqual([{ year: 2024, output_wan: '1000.50', tax_wan: '50.00' }]);

    for (const parent of [north, south, fragment]) {
      const gone = await surveyor.get(`/api/parcels/${parent.id}`);
      expect(gone.statusCode).toBe(410);
      expect(gone.json()).toMatchObject({ kind: 'merge', successors: [{ id: merged.id, code: merged.code }] });
      expect(gone.json().message).toContain('并入');
      expect((await surveyor.get(`/api/parcels/${parent.id}/lineage`)).json()).toMatchObject({ retired: true, end: { kind: 'merge', children: [{ id: merged.id }] } });
    }
    const lineage = (await surveyor.get(`/api/parcels/${merged.id}/lineage`)).json();
    expect(lineage.origin).toMatchObject({ kind: 'merge', operationId: operation.operationId, note: '并宗：零星用地与北侧地块' });
    expect(lineage.origin.parents.map((parent: { id: number }) => parent.id)).toEqual([north.id, south.id, fragment.id]);
    const audit = (await admin.get(`/api/admin/audit?entity=parcel_lineage&entityId=${operation.operationId}`)).json();
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0].action).toBe('merge');
  });

  it('splits a parcel and merges the parts back to the same area within 0.01 m²', async () => {
    const { lon, lat } = slot();
    // About 1.2 km × 1.1 km: a cut in degrees (without densifying along the geodesic) would lose ~0.06 m².
    const parcel = await makeParcel(rectangle(lon, lat, 0.012, 0.01));
    const split = await surveyor.request({ method: 'POST', url: `/api/parcels/${parcel.id}/split`, payload: { version: parcel.version, line: line([lon + 0.005, lat - 0.001], [lon + 0.0075, lat + 0.011]) } });
    expect(split.statusCode, split.body).toBe(201);
    const parts = split.json().parcels as { id: number; version: number; areaM2: number }[];
    const merged = await surveyor.request({ method: 'POST', url: '/api/parcels/merge', payload: { parcels: parts.map(({ id, version }) => ({ id, version })), code: `${parcel.code}-again` } });
    expect(merged.statusCode, merged.body).toBe(201);
    expect(merged.json().parcel.code).toBe(`${parcel.code}-again`);
    expect(Math.abs(merged.json().parcel.areaM2 - parcel.areaM2)).toBeLessThanOrEqual(0.01);
    // The retired original now stands for the merged parcel (through its parts).
    expect((await surveyor.get(`/api/parcels/${parcel.id}`)).json().successors).toEqual([{ id: merged.json().parcel.id, code: `${parcel.code}-again` }]);
    // A saved 成片改造区域 that listed the original (or a part as 零星用地) reads it as what it became.
    const mergedId = merged.json().parcel.id as number;
    const { rows: [resolved] } = await sql<{ all: string[]; fragments: string[]; split_fragments: string[] }>`
      SELECT parcel_successors(ARRAY[${parcel.id}]::bigint[]) AS all,
             parcel_fragment_successors(ARRAY[${parts[0].id}]::bigint[], ARRAY[${parts[0].id}, ${parts[1].id}]::bigint[]) AS fragments,
             parcel_fragment_successors(ARRAY[${parcel.id}]::bigint[], NULL) AS split_fragments`.execute(testApp.database.db);
    expect(resolved).toEqual({ all: [String(mergedId)], fragments: [], split_fragments: [String(mergedId)] });
  });

  it('keeps the 用地单位\'s links: the parts of a split and the merged parcel are the enterprise\'s as their source was (issue 16)', async () => {
    const { lon, lat } = slot();
    const parcel = await makeParcel(rectangle(lon, lat, 0.004, 0.003));
    const db = testApp.database.db;
    // An enterprise account of its own (others' tests count the demo 用地单位's parcels), linked by an administrator.
    const username = `${run.toLowerCase()}-qiye`;
    const created = await admin.request({
      method: 'POST', url: '/api/admin/users',
      payload: { username, displayName: '并宗测试用地单位', role: 'enterprise', scopes: ['350206'], parcelIds: [parcel.id], password: 'Enterprise-initial-2026' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const first = await login(testApp.app, username, 'Enterprise-initial-2026');
    await first.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'Enterprise-initial-2026', newPassword: 'Enterprise-final-2026' } });
    const enterprise = await login(testApp.app, username, 'Enterprise-final-2026');
    const linked = async () => (await sql<{ parcel_id: string }>`
      SELECT ep.parcel_id FROM enterprise_parcels ep JOIN users u ON u.id = ep.user_id WHERE u.username = ${username}`.execute(db)).rows.map((row) => Number(row.parcel_id));
    const split = await surveyor.request({ method: 'POST', url: `/api/parcels/${parcel.id}/split`, payload: { version: parcel.version, line: line([lon + 0.002, lat - 0.001], [lon + 0.002, lat + 0.004]) } });
    expect(split.statusCode, split.body).toBe(201);
    const parts = split.json().parcels as { id: number; version: number }[];
    expect(parts).toHaveLength(2);
    const afterSplit = await linked();
    for (const part of parts) expect(afterSplit).toContain(part.id);
    expect(afterSplit).not.toContain(parcel.id);
    // The enterprise reads its parts through its own route (its session follows the change).
    const own = (await enterprise.get('/api/enterprise/parcels')).json() as { items: { id: number }[] };
    for (const part of parts) expect(own.items.map((item) => item.id)).toContain(part.id);
    expect((await enterprise.get(`/api/enterprise/parcels/${parts[0].id}`)).statusCode).toBe(200);
    const merged = await surveyor.request({ method: 'POST', url: '/api/parcels/merge', payload: { parcels: parts.map(({ id, version }) => ({ id, version })) } });
    expect(merged.statusCode, merged.body).toBe(201);
    const mergedId = merged.json().parcel.id as number;
    const afterMerge = await linked();
    expect(afterMerge).toContain(mergedId);
    for (const part of parts) expect(afterMerge).not.toContain(part.id);
    const { rows: granted } = await sql<{ actor: string }>`
      SELECT actor FROM history WHERE entity = 'enterprise_parcels' AND action = 'insert' AND after->>'parcel_id' = ${String(mergedId)}`.execute(db);
    expect(granted.map((row) => row.actor)).toEqual(['surveyor']);
  });

  it('refuses each unmet 并宗 condition naming it and the parcels at fault, and writes nothing', async () => {
    const { lon, lat } = slot();
    const base = await makeParcel(rectangle(lon, lat, 0.002, 0.002));
    const east = (columns: Parameters<typeof makeParcel>[1]) => makeParcel(rectangle(lon + 0.002, lat, 0.002, 0.002), columns);
    const cases: [string, Made, string][] = [
      ['adjacent', await makeParcel(rectangle(lon + 0.0021, lat, 0.002, 0.002)), '边界相邻'],
      ['adjacent', await makeParcel(rectangle(lon + 0.002, lat + 0.002, 0.002, 0.002)), '边界相邻'],
      ['owner', await east({ owner: '另一家公司' }), '土地权利人'],
      ['ownershipNature', await east({ ownership_nature: '集体' }), '权属性质'],
      ['ownershipNature', await east({ ownership_nature: null }), '未填写权属性质'],
      ['landUse', await east({ land_use_code: '0508' }), '土地用途'],
      ['district', await east({ district_code: '350205' }), '所在行政区'],
    ];
    for (const [condition, other, words] of cases) {
      const parcels = [base, other].map(({ id, version }) => ({ id, version }));
      const response = await surveyor.request({ method: 'POST', url: '/api/parcels/merge', payload: { parcels } });
      expect(response.statusCode, `${condition}: ${response.body}`).toBe(422);
      const body = response.json();
      expect(body).toMatchObject({ error: 'merge_conditions_unmet', failed: [condition] });
      expect(body.message).toContain(words);
      const failed = body.conditions.find((candidate: { key: string }) => candidate.key === condition);
      expect(failed.pass).toBe(false);
      expect(failed.parcels.length).toBeGreaterThan(0);
      expect([base.code, other.code]).toEqual(expect.arrayContaining(failed.parcels));
      expect(await live(other.id)).toEqual({ version: other.version });
      const check = (await surveyor.request({ method: 'POST', url: '/api/parcels/merge/check', payload: { ids: [base.id, other.id] } })).json();
      expect(check.pass).toBe(false);
      expect(check.conditions.filter((candidate: { pass: boolean }) => !candidate.pass).map((candidate: { key: string }) => candidate.key)).toEqual([condition]);
    }
    expect(await live(base.id)).toEqual({ version: base.version });
    expect(await lineageCount([base.id])).toBe(0);
  });

  it('refuses a stale version (409), another district (403), a retired parcel (410), a repeated parcel (400), and overlapping parcels', async () => {
    const { lon, lat } = slot();
    const west = await makeParcel(rectangle(lon, lat, 0.002, 0.002));
    const east = await makeParcel(rectangle(lon + 0.002, lat, 0.002, 0.002));
    await sql`UPDATE parcels SET tax_per_mu = 99 WHERE id = ${east.id}`.execute(testApp.database.db);
    const stale = await surveyor.request({ method: 'POST', url: '/api/parcels/merge', payload: { parcels: [west, east].map(({ id, version }) => ({ id, version })) } });
    expect(stale.statusCode, stale.body).toBe(409);
    expect(stale.json().conflicts).toEqual([expect.objectContaining({ id: east.id, yourVersion: east.version, currentVersion: east.version + 1 })]);
    expect(await live(west.id)).toEqual({ version: west.version });

    const repeated = await surveyor.request({ method: 'POST', url: '/api/parcels/merge', payload: { parcels: [{ id: west.id, version: west.version }, { id: west.id, version: west.version }] } });
    expect(repeated.statusCode).toBe(400);

    const username = `merge-huli-${process.pid}`;
    expect((await admin.request({ method: 'POST', url: '/api/admin/users', payload: { username, displayName: '湖里区调查员（合并测试）', role: 'surveyor', scopes: ['350206'], password: 'Merge-initial-2026' } })).statusCode).toBe(201);
    const first = await login(testApp.app, username, 'Merge-initial-2026');
    await first.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'Merge-initial-2026', newPassword: 'Merge-final-2026' } });
    const huli = await login(testApp.app, username, 'Merge-final-2026');
    const haicang = await makeParcel(rectangle(lon + 0.004, lat, 0.002, 0.002), { district_code: '350205' });
    const foreign = await huli.request({ method: 'POST', url: '/api/parcels/merge', payload: { parcels: [{ id: east.id, version: east.version + 1 }, { id: haicang.id, version: haicang.version }] } });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error).toBe('out_of_scope');
    expect(foreign.json().message).toContain(haicang.code);

    const overlapping = await makeParcel(rectangle(lon + 0.0019, lat + 0.0005, 0.002, 0.001));
    const overlap = await surveyor.request({ method: 'POST', url: '/api/parcels/merge', payload: { parcels: [{ id: east.id, version: east.version + 1 }, { id: overlapping.id, version: overlapping.version }] } });
    expect(overlap.statusCode, overlap.body).toBe(422);
    expect(overlap.json().error).toBe('merge_overlap');

    const merged = await surveyor.request({ method: 'POST', url: '/api/parcels/merge', payload: { parcels: [{ id: west.id, version: west.version }, { id: east.id, version: east.version + 1 }] } });
    expect(merged.statusCode, merged.body).toBe(201);
    const retired = await surveyor.request({ method: 'POST', url: '/api/parcels/merge', payload: { parcels: [{ id: west.id, version: west.version }, { id: overlapping.id, version: overlapping.version }] } });
    expect(retired.statusCode).toBe(410);
    expect(retired.json().successors[0].id).toBe(merged.json().parcel.id);
    expect(await live(overlapping.id)).toEqual({ version: overlapping.version });
  });
});
