import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/db/schema.js';

/**
 * The survey_cells of a committed layer that differ from those build_survey_cells() computes from
 * the layer's own 图斑 now (in a transaction rolled back), and how many cells the layer has: the
 * grid a commit built from validation's batch sums must be the one its 图斑 give.
 */
export async function cellsAgainstLayer(db: Kysely<Database>, layerId: number): Promise<{ cells: number; differing: number }> {
  const rollback = new Error('rollback');
  let result: { cells: number; differing: number } | null = null;
  await db.transaction().execute(async (transaction) => {
    await sql`CREATE TEMPORARY TABLE committed_cells ON COMMIT DROP AS SELECT level, cx, cy, class, patches, area_m2 FROM survey_cells WHERE layer_id = ${layerId}`.execute(transaction);
    await sql`SELECT build_survey_cells(${layerId}::bigint, ${`survey_data.l${layerId}`}::regclass)`.execute(transaction);
    const { rows: [row] } = await sql<{ cells: number; differing: number }>`
      SELECT (SELECT count(*)::int FROM committed_cells) AS cells,
        (SELECT count(*)::int FROM committed_cells c FULL JOIN (SELECT * FROM survey_cells WHERE layer_id = ${layerId}) b USING (level, cx, cy, class)
         WHERE c.patches IS DISTINCT FROM b.patches OR NOT abs(c.area_m2 - b.area_m2) <= 1e-6 * greatest(b.area_m2, 1)) AS differing`.execute(transaction);
    result = row;
    throw rollback;
  }).catch((error: unknown) => { if (error !== rollback) throw error; });
  return result!;
}
