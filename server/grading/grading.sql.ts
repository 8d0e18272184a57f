import { sql, type RawBuilder } from 'kysely';
import type { GradingCutoffs } from '../../domain/api/grading.schemas.js';

/** One parcel's measure values as the grading statement takes them (null = not recorded). */
export interface GradingInput {
  id: number;
  values: Record<string, number | null>;
}

/** A weighed measure with its direction (measures.ts higherIsBetter). */
export interface GradingWeight {
  measure: string;
  weight: number;
  higher: boolean;
}

/**
 * The whole grading of a district in one statement: each measure's percentile among the graded
 * parcels that have it (100 = best, by the measure's direction; ties share one), the score as the
 * weighted mean of the percentiles a parcel has (weights of missing measures left out — local rule),
 * the rank by score, the grade by the cut-offs (by rank: the cumulative share from the top; by
 * score: the least score), then in the same statement the run, one result row per parcel with its
 * figures, and the parcels whose grade changes updated (the history trigger writes one row each).
 * Answers the run's id, counts and the box of the changed parcels.
 */
export function gradingStatement(run: {
  districtCode: string; schemeVersion: number; cutoffs: GradingCutoffs; weights: readonly GradingWeight[]; inputs: readonly GradingInput[]; actor: string;
}): RawBuilder<{ id: number; graded: number; ungraded: number; changed: number; counts: Record<string, number>; bbox: [number, number, number, number] | null }> {
  const { a, b, c, mode } = run.cutoffs;
  return sql`
    WITH input AS (
      SELECT x.id, x.values FROM jsonb_to_recordset(${JSON.stringify(run.inputs)}::jsonb) AS x(id bigint, values jsonb)
    ), weights AS (
      SELECT w.measure, w.weight, w.higher FROM jsonb_to_recordset(${JSON.stringify(run.weights)}::jsonb) AS w(measure text, weight float8, higher boolean)
    ), per_measure AS (
      SELECT i.id, w.measure, w.weight, w.higher, (i.values ->> w.measure)::float8 AS value FROM input i CROSS JOIN weights w
    ), ranked AS (
      SELECT pm.*,
        CASE WHEN pm.value IS NULL THEN NULL
             WHEN count(*) OVER (PARTITION BY pm.measure, pm.value IS NULL) = 1 THEN 100.0
             WHEN pm.higher THEN 100 * percent_rank() OVER (PARTITION BY pm.measure, pm.value IS NULL ORDER BY pm.value)
             ELSE 100 * percent_rank() OVER (PARTITION BY pm.measure, pm.value IS NULL ORDER BY pm.value DESC) END AS percentile
      FROM per_measure pm
    ), scored AS (
      SELECT r.id,
        round((sum(r.weight * r.percentile) / nullif(sum(r.weight) FILTER (WHERE r.percentile IS NOT NULL), 0))::numeric, 2)::float8 AS score,
        jsonb_agg(jsonb_build_object('measure', r.measure, 'value', r.value, 'percentile', round(r.percentile::numeric, 2), 'weight', r.weight) ORDER BY r.weight DESC, r.measure) AS figures
      FROM ranked r GROUP BY r.id
    ), ordered AS (
      SELECT s.*, count(s.score) OVER () AS of_total,
        CASE WHEN s.score IS NULL THEN NULL ELSE rank() OVER (ORDER BY s.score DESC NULLS LAST) END AS rank
      FROM scored s
    ), graded AS (
      SELECT o.*, p.evaluation_grade AS previous_grade,
        CASE WHEN o.score IS NULL THEN NULL
             WHEN ${mode} = 'rank' THEN CASE WHEN o.rank::float8 / o.of_total <= ${a}::float8 THEN 'A' WHEN o.rank::float8 / o.of_total <= ${b}::float8 THEN 'B'
                                             WHEN o.rank::float8 / o.of_total <= ${c}::float8 THEN 'C' ELSE 'D' END
             ELSE CASE WHEN o.score >= ${a}::float8 THEN 'A' WHEN o.score >= ${b}::float8 THEN 'B' WHEN o.score >= ${c}::float8 THEN 'C' ELSE 'D' END END AS grade
      FROM ordered o JOIN parcels p ON p.id = o.id
    ), run AS (
      INSERT INTO grading_runs (district_code, scheme_version, graded, ungraded, changed, counts, run_by)
      SELECT ${run.districtCode}, ${run.schemeVersion},
        count(grade)::int, (count(*) - count(grade))::int, count(*) FILTER (WHERE grade IS DISTINCT FROM previous_grade)::int,
        jsonb_build_object('A', count(*) FILTER (WHERE grade = 'A'), 'B', count(*) FILTER (WHERE grade = 'B'),
                           'C', count(*) FILTER (WHERE grade = 'C'), 'D', count(*) FILTER (WHERE grade = 'D')),
        ${run.actor}
      FROM graded
      RETURNING id, graded, ungraded, changed, counts
    ), results AS (
      INSERT INTO grading_results (run_id, parcel_id, grade, previous_grade, score, rank, of_total, figures)
      SELECT run.id, g.id, g.grade, g.previous_grade, g.score, g.rank, g.of_total, g.figures FROM graded g CROSS JOIN run
    ), changed AS (
      UPDATE parcels p SET evaluation_grade = g.grade, updated_by = ${run.actor}
      FROM graded g WHERE p.id = g.id AND p.evaluation_grade IS DISTINCT FROM g.grade
      RETURNING p.geom
    )
    SELECT run.id::int AS id, run.graded, run.ungraded, run.changed, run.counts,
      (SELECT CASE WHEN count(*) > 0 THEN json_build_array(ST_XMin(ST_Extent(geom)), ST_YMin(ST_Extent(geom)), ST_XMax(ST_Extent(geom)), ST_YMax(ST_Extent(geom))) END FROM changed) AS bbox
    FROM run`;
}
