import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GradeExplanation, GradingRun, GradingRunList, GradingScheme, GradingSchemeList, type GradingSchemeRevision } from '../../domain/api/grading.schemas.js';
import { gradeFor } from '../../domain/identification/grading.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * 综合评价分级 (issue 16 item 7): a district's scheme as versioned data, one run grading every parcel
 * of the district in one statement, history per changed parcel and one audit entry, and each
 * grade explained. 海沧区 (350205) is graded here; the other districts keep their grades.
 */
let testApp: TestApp;
let admin: Session;
let official: Session;
const HAICANG = '350205';

beforeAll(async () => {
  testApp = await createTestApp();
  admin = await login(testApp.app, 'admin');
  official = await login(testApp.app, 'official');
}, 120_000);
afterAll(async () => {
  await testApp.close();
});

describe('grading schemes', () => {
  it('ships the demo city an example scheme marked local, sourced to seed 001 第十三条', async () => {
    const response = await official.get(`/api/grading-schemes?district=${HAICANG}`);
    expect(response.statusCode).toBe(200);
    assertMatchesContract(GradingSchemeList, response.json());
    const [scheme] = (response.json() as GradingSchemeList).items;
    expect(scheme).toMatchObject({ districtCode: HAICANG, version: 1, local: true, cutoffs: { mode: 'rank', a: 0.25, b: 0.7, c: 0.95 } });
    expect(scheme.source.text).toContain('土地税收');
  });

  it('stores a revision as the next version and refuses cut-offs out of order naming the field', async () => {
    const [current] = ((await admin.get(`/api/grading-schemes?district=${HAICANG}`)).json() as GradingSchemeList).items;
    const revision: GradingSchemeRevision = {
      name: current.name, measures: current.measures, landUses: current.landUses, source: current.source, local: true,
      cutoffs: { mode: 'rank', a: 0.7, b: 0.25, c: 0.95 },
    };
    const bad = await admin.request({ method: 'PUT', url: `/api/grading-schemes/${HAICANG}`, payload: revision });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ parameter: 'cutoffs' });
    const saved = await admin.request({ method: 'PUT', url: `/api/grading-schemes/${HAICANG}`, payload: { ...revision, cutoffs: { mode: 'rank', a: 0.2, b: 0.6, c: 0.9 }, note: '测试修订' } });
    expect(saved.statusCode).toBe(200);
    assertMatchesContract(GradingScheme, saved.json());
    expect(saved.json()).toMatchObject({ version: 2, createdBy: 'admin', note: '测试修订' });
    const versions = (await official.get(`/api/grading-schemes/${HAICANG}/versions`)).json() as GradingSchemeList;
    expect(versions.items.map((item) => item.version)).toEqual([2, 1]);
    expect((await official.request({ method: 'PUT', url: `/api/grading-schemes/${HAICANG}`, payload: revision })).statusCode).toBe(403);
  });
});

describe('a grading run over 海沧区', () => {
  let run: GradingRun;

  it('grades every parcel the scheme covers in one statement, by rank, writing the changed grades with history and one audit entry', async () => {
    const db = testApp.database.db;
    const covered = (await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM parcels WHERE district_code = ${HAICANG} AND (land_use_code LIKE '0601%' OR land_use_code LIKE '0508%')`.execute(db)).rows[0].count;
    const historyBefore = (await sql<{ id: number }>`SELECT coalesce(max(id), 0)::float8 AS id FROM history`.execute(db)).rows[0].id;
    const otherGrades = (await sql<{ grades: string }>`SELECT string_agg(coalesce(evaluation_grade, '-'), '' ORDER BY id) AS grades FROM parcels WHERE district_code <> ${HAICANG}`.execute(db)).rows[0].grades;
    const started = Date.now();
    const response = await official.request({ method: 'POST', url: '/api/grading-runs', payload: { districtCode: HAICANG } });
    const elapsed = Date.now() - started;
    expect(response.statusCode, response.body).toBe(201);
    assertMatchesContract(GradingRun, response.json());
    run = response.json();
    expect(run).toMatchObject({ districtCode: HAICANG, schemeVersion: 2, runBy: 'official' });
    expect(run.graded + run.ungraded).toBe(covered);
    expect(run.graded).toBeGreaterThan(100);
    expect(elapsed).toBeLessThan(30_000);
    // By rank 0.2 / 0.6 / 0.9: A about the top fifth, D about the last tenth (ties share the better grade).
    expect(run.counts.A + run.counts.B + run.counts.C + run.counts.D).toBe(run.graded);
    expect(run.counts.A / run.graded).toBeGreaterThan(0.15);
    // Ties at the cut-off share the better grade, so A may pass its fifth by the parcels tied there.
    expect(run.counts.A / run.graded).toBeLessThanOrEqual(0.21);
    expect(run.counts.D / run.graded).toBeGreaterThan(0.05);
    expect(run.counts.D / run.graded).toBeLessThan(0.11);

    const { rows: grades } = await sql<{ grade: string | null; count: number }>`
      SELECT p.evaluation_grade AS grade, count(*)::int AS count FROM grading_results r JOIN parcels p ON p.id = r.parcel_id
      WHERE r.run_id = ${run.id} AND p.evaluation_grade IS NOT DISTINCT FROM r.grade GROUP BY 1`.execute(db);
    expect(grades.reduce((sum, row) => sum + row.count, 0)).toBe(covered);
    const history = (await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM history WHERE id > ${historyBefore} AND entity = 'parcels' AND action = 'update'
        AND (before ->> 'evaluation_grade') IS DISTINCT FROM (after ->> 'evaluation_grade')`.execute(db)).rows[0].count;
    expect(history).toBe(run.changed);
    const audit = (await sql<{ actor: string; after: { gradingRunId: number; count: number } }>`
      SELECT actor, after FROM history WHERE id > ${historyBefore} AND entity = 'parcels' AND action = 'bulk_edit'`.execute(db)).rows;
    expect(audit).toEqual([{ actor: 'official', after: expect.objectContaining({ gradingRunId: run.id, count: run.changed, field: 'evaluationGrade' }) }]);
    expect((await sql<{ grades: string }>`SELECT string_agg(coalesce(evaluation_grade, '-'), '' ORDER BY id) AS grades FROM parcels WHERE district_code <> ${HAICANG}`.execute(db)).rows[0].grades).toBe(otherGrades);
  });

  it('explains each grade by its figures: score, rank of how many, each measure\'s value, percentile and weight', async () => {
    const db = testApp.database.db;
    const { rows: [row] } = await sql<{ id: number }>`
      SELECT parcel_id::int AS id FROM grading_results WHERE run_id = ${run.id} AND grade = 'B' ORDER BY parcel_id LIMIT 1`.execute(db);
    const response = await official.get(`/api/parcels/${row.id}/grade`);
    expect(response.statusCode).toBe(200);
    assertMatchesContract(GradeExplanation, response.json());
    const explanation = response.json() as GradeExplanation;
    expect(explanation).toMatchObject({ grade: 'B', runId: run.id, schemeVersion: 2, ofTotal: run.graded, local: true });
    expect(explanation.figures.map((figure) => [figure.measure, figure.label, figure.weight])).toEqual([
      ['tax_per_mu', '亩均税收', 50], ['output_per_mu', '亩均产值', 30], ['floor_area_ratio', '容积率', 20],
    ]);
    // The score is the weighted mean of the percentiles the parcel has; the grade follows from its rank.
    const present = explanation.figures.filter((figure) => figure.percentile !== null);
    const score = present.reduce((sum, figure) => sum + figure.weight * figure.percentile!, 0) / present.reduce((sum, figure) => sum + figure.weight, 0);
    expect(explanation.score).toBeCloseTo(score, 1);
    expect(gradeFor(explanation.cutoffs, { rank: explanation.rank!, ofTotal: explanation.ofTotal, score: explanation.score! })).toBe('B');
    const { rows: [parcel] } = await sql<{ grade: string }>`SELECT evaluation_grade AS grade FROM parcels WHERE id = ${row.id}`.execute(db);
    expect(parcel.grade).toBe('B');
    // A better score never gets a worse grade.
    const { rows: order } = await sql<{ grade: string; low: number; high: number }>`
      SELECT grade, min(score) AS low, max(score) AS high FROM grading_results WHERE run_id = ${run.id} AND grade IS NOT NULL GROUP BY grade ORDER BY grade`.execute(db);
    for (let index = 1; index < order.length; index++) expect(order[index].high).toBeLessThanOrEqual(order[index - 1].low);
  });

  it('a second run changes nothing and writes no parcel history; runs are listed', async () => {
    const again = await official.request({ method: 'POST', url: '/api/grading-runs', payload: { districtCode: HAICANG } });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ changed: 0, graded: run.graded, counts: run.counts });
    const list = await official.get(`/api/grading-runs?district=${HAICANG}`);
    assertMatchesContract(GradingRunList, list.json());
    expect((list.json() as GradingRunList).items.map((item) => item.id).slice(0, 2)).toEqual([again.json().id, run.id]);
  });

  it('grades by score when the scheme says so', async () => {
    const [current] = ((await admin.get(`/api/grading-schemes?district=${HAICANG}`)).json() as GradingSchemeList).items;
    const { districtCode: _d, districtName: _n, version: _v, createdAt: _c, createdBy: _b, ...revision } = current;
    expect((await admin.request({ method: 'PUT', url: `/api/grading-schemes/${HAICANG}`, payload: { ...revision, note: undefined, cutoffs: { mode: 'score', a: 80, b: 50, c: 20 } } })).statusCode).toBe(200);
    const response = await official.request({ method: 'POST', url: '/api/grading-runs', payload: { districtCode: HAICANG } });
    expect(response.statusCode).toBe(201);
    const { rows } = await sql<{ grade: string; low: number; high: number }>`
      SELECT grade, min(score) AS low, max(score) AS high FROM grading_results WHERE run_id = ${response.json().id} AND grade IS NOT NULL GROUP BY grade ORDER BY grade`.execute(testApp.database.db);
    for (const row of rows) {
      const [low, high] = { A: [80, 100], B: [50, 80], C: [20, 50], D: [0, 20] }[row.grade as 'A']!;
      expect(row.low).toBeGreaterThanOrEqual(low);
      expect(row.high).toBeLessThanOrEqual(high);
    }
  });
});
