import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CriteriaRun, CriteriaRunList, CriteriaRunParcel, CriteriaRunParcelPage, CriteriaSet, CriteriaSetList, CriteriaSetVersionList, type Criterion,
} from '../../domain/api/criteria.schemas.js';
import { measureOf } from '../../domain/identification/measures.js';
import { recentYearsSummary } from '../../domain/parcel-yearly.js';
import { measureInputsSql } from '../../server/criteria/measure-inputs.sql.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * 认定标准 as data (issue 16 item 1) and 初筛 (item 2) against the real database: the example set of
 * the demo city, a set's life 草案 → 已批准 → 已发布 → 已废止 with its refusals, a run over 湖里区 and
 * the reviewer's decisions. Sets are made in 集美区 (350211) so the example sets of the other
 * districts stay published for the runs.
 */
let testApp: TestApp;
let admin: Session;
let official: Session;
const HULI = '350206';
const JIMEI = '350211';

const criterion = (overrides: Partial<Criterion> = {}): Criterion => ({
  id: 'tax', name: '亩均税收过低', measure: 'tax_per_mu', comparison: 'lt', threshold: 2, landUses: ['0601'], industries: [],
  suggestedTypes: ['low_output'], source: { document: '测试文件', text: '亩均税收低于 2 万元' }, local: true, ...overrides,
});

beforeAll(async () => {
  testApp = await createTestApp();
  admin = await login(testApp.app, 'admin');
  official = await login(testApp.app, 'official');
}, 120_000);
afterAll(async () => {
  await testApp.close();
});

describe('the demo city\'s example set (seed 002 case 18)', () => {
  it('is published in every demo district, marked 示例, with case 18\'s thresholds and sentence, the rest marked local', async () => {
    const response = await official.get(`/api/criteria-sets?district=${HULI}`);
    expect(response.statusCode).toBe(200);
    assertMatchesContract(CriteriaSetList, response.json());
    const [set] = (response.json() as CriteriaSetList).items.filter((item) => item.state === 'published');
    expect(set).toMatchObject({ example: true, districtCode: HULI, version: 1 });
    const byMeasure = new Map(set.criteria.map((item) => [item.measure, item]));
    expect(byMeasure.get('floor_area_ratio')).toMatchObject({ comparison: 'lte', threshold: 0.4, local: false });
    expect(byMeasure.get('investment_intensity')).toMatchObject({ comparison: 'lte', threshold: 30, local: false });
    expect(byMeasure.get('tax_per_mu')).toMatchObject({ comparison: 'lte', threshold: 1, local: false });
    for (const measure of ['floor_area_ratio', 'investment_intensity', 'tax_per_mu'] as const) {
      expect(byMeasure.get(measure)!.source.text).toContain('平均容积率仅为0.4，亩均投资30万元以下，亩均税收1万元以下');
    }
    expect(set.criteria.filter((item) => item.local).map((item) => item.measure)).toEqual(expect.arrayContaining(['months_stopped', 'listed_industry', 'safety_nonconforming']));
    const { rows } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM criteria_sets WHERE state = 'published' AND example`.execute(testApp.database.db);
    expect(rows[0].count).toBe(6);
  });
});

describe('a criteria set\'s life: every change a version, illegal steps refused', () => {
  let id: number;

  it('creates a 草案, refusing criteria that do not fit their measure (naming the field)', async () => {
    const bad = await admin.request({ method: 'POST', url: '/api/criteria-sets', payload: { districtCode: JIMEI, name: '集美区标准', criteria: [criterion({ measure: 'safety_nonconforming', comparison: 'lt', threshold: 1 })] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ parameter: 'criteria.0.comparison' });
    expect(bad.json().message).toContain('为是');
    const noTypes = await admin.request({ method: 'POST', url: '/api/criteria-sets', payload: { districtCode: JIMEI, name: '集美区标准', criteria: [criterion({ suggestedTypes: [] })] } });
    expect(noTypes.statusCode).toBe(400);
    expect(noTypes.json().parameter).toContain('suggestedTypes');
    const created = await admin.request({ method: 'POST', url: '/api/criteria-sets', payload: { districtCode: JIMEI, name: '集美区低效产业用地认定标准', criteria: [criterion()], note: '初稿' } });
    expect(created.statusCode).toBe(201);
    assertMatchesContract(CriteriaSet, created.json());
    expect(created.json()).toMatchObject({ state: 'draft', version: 1, example: false, allowedSteps: ['approved', 'retired'], updatedBy: 'admin' });
    id = created.json().id;
  });

  it('edits the draft as version 2; a stale version is 409', async () => {
    const edited = await admin.request({ method: 'PUT', url: `/api/criteria-sets/${id}`, payload: { version: 1, name: '集美区低效产业用地认定标准', criteria: [criterion(), criterion({ id: 'far', name: '容积率过低', measure: 'floor_area_ratio', comparison: 'lte', threshold: 0.5, suggestedTypes: ['idle'] })] } });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ version: 2, state: 'draft' });
    expect(edited.json().criteria).toHaveLength(2);
    const stale = await admin.request({ method: 'PUT', url: `/api/criteria-sets/${id}`, payload: { version: 1, name: 'x', criteria: [criterion()] } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'stale_version', current: 2 });
  });

  it('refuses an illegal step with 409 naming the allowed ones, and approval without 批准机关/文号/日期 naming the field', async () => {
    const skip = await admin.request({ method: 'POST', url: `/api/criteria-sets/${id}/state`, payload: { version: 2, state: 'published' } });
    expect(skip.statusCode).toBe(409);
    expect(skip.json()).toMatchObject({ error: 'illegal_step', from: 'draft', to: 'published', allowed: ['approved', 'retired'] });
    expect(skip.json().message).toContain('已批准、已废止');
    const unsigned = await admin.request({ method: 'POST', url: `/api/criteria-sets/${id}/state`, payload: { version: 2, state: 'approved', documentNo: '厦集政〔2026〕3号' } });
    expect(unsigned.statusCode).toBe(400);
    expect(unsigned.json()).toMatchObject({ parameter: 'approvalAuthority' });
    expect(unsigned.json().message).toContain('批准机关');
  });

  it('approves (version 3), refuses edits once approved, publishes (version 4) retiring the example set, and only one is published', async () => {
    const approved = await admin.request({ method: 'POST', url: `/api/criteria-sets/${id}/state`, payload: { version: 2, state: 'approved', approvalAuthority: '集美区人民政府', documentNo: '厦集政〔2026〕3号', approvedOn: '2026-03-01' } });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ version: 3, state: 'approved', approvalAuthority: '集美区人民政府', documentNo: '厦集政〔2026〕3号', approvedOn: '2026-03-01' });
    const edit = await admin.request({ method: 'PUT', url: `/api/criteria-sets/${id}`, payload: { version: 3, name: 'x', criteria: [criterion()] } });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error).toBe('criteria_set_not_draft');
    const published = await admin.request({ method: 'POST', url: `/api/criteria-sets/${id}/state`, payload: { version: 3, state: 'published', publishedOn: '2026-03-05' } });
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ version: 4, state: 'published', publishedOn: '2026-03-05', allowedSteps: ['retired'] });
    const sets = (await admin.get(`/api/criteria-sets?district=${JIMEI}`)).json() as CriteriaSetList;
    expect(sets.items.filter((item) => item.state === 'published').map((item) => item.id)).toEqual([id]);
    const example = sets.items.find((item) => item.example)!;
    expect(example).toMatchObject({ state: 'retired', version: 2, retiredOn: '2026-03-05' });
    // The database holds the rule too: a second published set of one district cannot be written.
    await expect(sql`UPDATE criteria_sets SET state = 'published' WHERE id = ${example.id}`.execute(testApp.database.db)).rejects.toThrow(/criteria_sets_one_published/);
  });

  it('keeps every version with who and what changed, and the history log', async () => {
    const versions = await official.get(`/api/criteria-sets/${id}/versions`);
    expect(versions.statusCode).toBe(200);
    assertMatchesContract(CriteriaSetVersionList, versions.json());
    expect((versions.json() as CriteriaSetVersionList).items.map((item) => [item.version, item.state, item.change, item.createdBy])).toEqual([
      [4, 'published', 'published', 'admin'], [3, 'approved', 'approved', 'admin'], [2, 'draft', 'edit', 'admin'], [1, 'draft', 'create', 'admin'],
    ]);
    const { rows } = await sql<{ action: string }>`SELECT action FROM history WHERE entity = 'criteria_sets' AND entity_id = ${String(id)} ORDER BY id`.execute(testApp.database.db);
    expect(rows.map((row) => row.action)).toEqual(['insert', 'update', 'status', 'status']);
    const retire = await admin.request({ method: 'POST', url: `/api/criteria-sets/${id}/state`, payload: { version: 4, state: 'retired' } });
    expect(retire.json()).toMatchObject({ state: 'retired', allowedSteps: [] });
    const again = await admin.request({ method: 'POST', url: `/api/criteria-sets/${id}/state`, payload: { version: 5, state: 'published' } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'illegal_step', allowed: [] });
  });

  it('refuses a run where no set is published', async () => {
    const run = await official.request({ method: 'POST', url: '/api/criteria-runs', payload: { districtCode: JIMEI } });
    expect(run.statusCode).toBe(409);
    expect(run.json().error).toBe('no_published_criteria');
    expect(run.json().message).toContain('集美区');
  });
});

describe('a run flags, people decide (湖里区, the example set)', () => {
  let run: CriteriaRun;
  let flaggedId: number;
  let incompleteId: number;

  beforeAll(async () => {
    const db = testApp.database.db;
    // Two 湖里区 industrial parcels set up to be found: one with 容积率 0.3 and tax from yearly figures, one without any 税收.
    const { rows } = await sql<{ id: number }>`
      SELECT id::int AS id FROM parcels WHERE district_code = ${HULI} AND land_use_code = '0601' AND status = 'efficient' ORDER BY id LIMIT 2`.execute(db);
    [flaggedId, incompleteId] = rows.map((row) => row.id);
    await sql`UPDATE parcels SET floor_area_ratio = 0.3, registered_area_m2 = ${20 * 10000 / 15}, tax_per_mu = 50 WHERE id = ${flaggedId}`.execute(db);
    await sql`DELETE FROM parcel_yearly_figures WHERE parcel_id IN (${flaggedId}, ${incompleteId})`.execute(db);
    await sql`INSERT INTO parcel_yearly_figures (parcel_id, year, output_wan, tax_wan) VALUES (${flaggedId}, 2023, 100, 10), (${flaggedId}, 2024, 100, 20), (${flaggedId}, 2025, 100, 30)`.execute(db);
    await sql`UPDATE parcels SET floor_area_ratio = 1.5, tax_per_mu = NULL WHERE id = ${incompleteId}`.execute(db);
  });

  it('reads the same 近三年平均 per 亩 in SQL as the domain code (parcel_yearly_figures)', async () => {
    const { rows } = await measureInputsSql(HULI, sql<boolean>`p.id = ${flaggedId}`).execute(testApp.database.db);
    const summary = recentYearsSummary([{ year: 2023, outputWan: 100, taxWan: 10 }, { year: 2024, outputWan: 100, taxWan: 20 }, { year: 2025, outputWan: 100, taxWan: 30 }], { registeredAreaM2: rows[0].registeredAreaM2 });
    expect(rows[0].recentTaxPerMu).toBe(summary.taxPerMuAverage);
    expect(rows[0].recentTaxPerMu).toBe(1);
    expect(measureOf('tax_per_mu')!.compute(rows[0], { referenceDate: '2026-01-01' })).toEqual({ value: 1 });
  });

  it('lists flagged parcels with the criteria hit and their figures, and 数据不全 ones naming the missing fields; no status changes', async () => {
    const db = testApp.database.db;
    const before = (await sql<{ status: string; count: number }>`SELECT status, count(*)::int AS count FROM parcels GROUP BY status ORDER BY status`.execute(db)).rows;
    const started = Date.now();
    const response = await official.request({ method: 'POST', url: '/api/criteria-runs', payload: { districtCode: HULI, referenceDate: '2026-06-30' } });
    const elapsed = Date.now() - started;
    expect(response.statusCode).toBe(201);
    assertMatchesContract(CriteriaRun, response.json());
    run = response.json();
    expect(run).toMatchObject({ districtCode: HULI, setVersion: 1, referenceDate: '2026-06-30', runBy: 'official', decided: 0 });
    expect(run.evaluated).toBeGreaterThan(1000);
    expect(run.flagged).toBeGreaterThan(0);
    expect(run.incomplete).toBeGreaterThan(0);
    // Set-based: the whole district in one read and one write (generous on a loaded machine).
    expect(elapsed).toBeLessThan(30_000);
    const after = (await sql<{ status: string; count: number }>`SELECT status, count(*)::int AS count FROM parcels GROUP BY status ORDER BY status`.execute(db)).rows;
    expect(after).toEqual(before);

    const page = await official.get(`/api/criteria-runs/${run.id}?filter=flagged&pageSize=500`);
    expect(page.statusCode).toBe(200);
    assertMatchesContract(CriteriaRunParcelPage, page.json());
    expect((page.json() as CriteriaRunParcelPage).total).toBe(run.flagged);
    const all = await official.get(`/api/criteria-runs/${run.id}?filter=all&pageSize=500&page=1`);
    const flagged = ((await Promise.all(Array.from({ length: Math.ceil(all.json().total / 500) }, (_, index) =>
      official.get(`/api/criteria-runs/${run.id}?filter=all&pageSize=500&page=${index + 1}`)))).flatMap((answer) => answer.json().items) as CriteriaRunParcel[]);
    const mine = flagged.find((item) => item.parcelId === flaggedId)!;
    expect(mine.hits.map((hit) => [hit.criterionId, hit.value, hit.threshold, hit.unit])).toEqual(expect.arrayContaining([['far', 0.3, 0.4, ''], ['tax', 1, 1, '万元/亩']]));
    expect(mine.hits.find((hit) => hit.criterionId === 'tax')).toMatchObject({ criterionName: '亩均税收过低', measureLabel: '亩均税收' });
    expect(mine.suggestedTypes).toEqual(expect.arrayContaining(['idle', 'low_output']));
    expect(mine.status).toBe('efficient');
    const gap = flagged.find((item) => item.parcelId === incompleteId)!;
    expect(gap.incomplete.find((item) => item.criterionId === 'tax')).toMatchObject({ missing: ['taxPerMu'], missingLabels: ['亩均税收'], measureLabel: '亩均税收' });
    expect(gap.hits.find((hit) => hit.criterionId === 'tax')).toBeUndefined();
  });

  it('takes the reviewer\'s decisions: exclude needs a reason, include is final, only listed parcels; each decision on the history log', async () => {
    const url = (parcelId: number) => `/api/criteria-runs/${run.id}/parcels/${parcelId}/decision`;
    const noReason = await official.request({ method: 'POST', url: url(flaggedId), payload: { decision: 'exclude', reason: '  ' } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json()).toMatchObject({ parameter: 'reason' });
    const pending = await official.request({ method: 'POST', url: url(incompleteId), payload: { decision: 'pending' } });
    expect(pending.statusCode).toBe(200);
    const excluded = await official.request({ method: 'POST', url: url(incompleteId), payload: { decision: 'exclude', reason: '已核实：税收由总部缴纳，数据有误' } });
    expect(excluded.statusCode).toBe(200);
    assertMatchesContract(CriteriaRunParcel, excluded.json());
    expect(excluded.json()).toMatchObject({ decision: 'exclude', reason: '已核实：税收由总部缴纳，数据有误', decidedBy: 'official' });
    // 纳入认定 opens the parcel's 认定案卷 (列入清单), which is the 区自然资源部门's (seed 003 二.1): an
    // official's include is refused and nothing is recorded; the 自然资源 account's opens the case.
    const refused = await official.request({ method: 'POST', url: url(flaggedId), payload: { decision: 'include', reason: '纳入认定' } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toContain('区自然资源部门');
    const resources = await login(testApp.app, 'ziranziyuan');
    const included = await resources.request({ method: 'POST', url: url(flaggedId), payload: { decision: 'include', reason: '纳入认定' } });
    expect(included.statusCode, included.body).toBe(200);
    expect(included.json()).toMatchObject({ decision: 'include', decidedBy: 'ziranziyuan' });
    const { rows: opened } = await sql<{ state: string; source_run_id: string }>`
      SELECT state, source_run_id::text FROM identification_cases WHERE parcel_id = ${flaggedId}`.execute(testApp.database.db);
    expect(opened).toEqual([{ state: 'open', source_run_id: String(run.id) }]);
    const undo = await official.request({ method: 'POST', url: url(flaggedId), payload: { decision: 'pending' } });
    expect(undo.statusCode).toBe(409);
    const { rows: [unlisted] } = await sql<{ id: number }>`
      SELECT p.id::int AS id FROM parcels p WHERE p.district_code = ${HULI}
        AND NOT EXISTS (SELECT 1 FROM criteria_run_parcels rp WHERE rp.run_id = ${run.id} AND rp.parcel_id = p.id) LIMIT 1`.execute(testApp.database.db);
    expect((await official.request({ method: 'POST', url: url(unlisted.id), payload: { decision: 'include' } })).statusCode).toBe(404);
    const { rows } = await sql<{ entity_id: string; actor: string }>`
      SELECT entity_id, actor FROM history WHERE entity = 'criteria_run_parcels' AND entity_id LIKE ${`${run.id}:%`} ORDER BY id`.execute(testApp.database.db);
    expect(rows.map((row) => row.entity_id)).toEqual([`${run.id}:${incompleteId}`, `${run.id}:${incompleteId}`, `${run.id}:${flaggedId}`]);
    // The decision records; the parcel's status is the procedure's (认定案卷), never the run's.
    const { rows: [parcel] } = await sql<{ status: string }>`SELECT status FROM parcels WHERE id = ${flaggedId}`.execute(testApp.database.db);
    expect(parcel.status).toBe('efficient');
  });

  it('lists runs with who, when, set version and counts', async () => {
    const response = await official.get(`/api/criteria-runs?district=${HULI}`);
    expect(response.statusCode).toBe(200);
    assertMatchesContract(CriteriaRunList, response.json());
    expect((response.json() as CriteriaRunList).items[0]).toMatchObject({ id: run.id, runBy: 'official', setVersion: 1, flagged: run.flagged, decided: 2 });
  });
});
