import fs from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import { sql, type Transaction } from 'kysely';
import type { GradeExplanation, GradingRun, GradingScheme, GradingSchemeRevision } from '../../domain/api/grading.schemas.js';
import { recordEvent } from '../admin/audit.repository.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import { REPOSITORY_ROOT } from '../config.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { measureInputsSql, type ParcelMeasureRow } from '../criteria/measure-inputs.sql.js';
import { gradingStatement } from './grading.sql.js';

const SCHEME_COLUMNS = sql`g.district_code AS "districtCode", d.name AS "districtName", g.version, g.name, g.measures, g.cutoffs,
  g.land_uses AS "landUses", g.source, g.local_rule AS local, g.note, g.created_by AS "createdBy",
  to_char(g.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

const RUN_COLUMNS = sql`r.id::int AS id, r.district_code AS "districtCode", d.name AS "districtName", r.scheme_version AS "schemeVersion",
  r.graded, r.ungraded, r.changed, r.counts, r.run_by AS "runBy", to_char(r.run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "runAt"`;

export type StoredExplanation = Omit<GradeExplanation, 'figures'> & { figures: { measure: string; value: number | null; percentile: number | null; weight: number }[] };

/** Grading schemes, runs and results: the only code of grading that talks SQL. */
export function createGradingRepository(db: DatabaseClient, batch: DatabaseClient = db) {
  return {
    /** The current (highest) version of each district's scheme. */
    async current(scope: Scope, district?: string): Promise<GradingScheme[]> {
      const { rows } = await sql<GradingScheme>`
        SELECT DISTINCT ON (g.district_code) ${SCHEME_COLUMNS}
        FROM grading_schemes g JOIN districts d ON d.code = g.district_code
        WHERE ${scope.sqlCovers('g.district_code')} AND (${district ?? null}::text IS NULL OR g.district_code = ${district ?? null})
        ORDER BY g.district_code, g.version DESC`.execute(db);
      return rows;
    },

    async versions(district: string): Promise<GradingScheme[]> {
      const { rows } = await sql<GradingScheme>`
        SELECT ${SCHEME_COLUMNS} FROM grading_schemes g JOIN districts d ON d.code = g.district_code
        WHERE g.district_code = ${district} ORDER BY g.version DESC`.execute(db);
      return rows;
    },

    /** The next version of a district's scheme, with its history entry. */
    async revise(transaction: Transaction<Database>, district: string, scheme: GradingSchemeRevision, actor: { name: string; requestId: string }): Promise<void> {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`grading_schemes:${district}`}))`.execute(transaction);
      const { rows: [row] } = await sql<{ version: number }>`
        INSERT INTO grading_schemes (district_code, version, name, measures, cutoffs, land_uses, source, local_rule, note, created_by)
        SELECT ${district}, coalesce(max(version), 0) + 1, ${scheme.name}, ${JSON.stringify(scheme.measures)}::jsonb, ${JSON.stringify(scheme.cutoffs)}::jsonb,
          ${scheme.landUses}::text[], ${JSON.stringify(scheme.source)}::jsonb, ${scheme.local}, ${scheme.note ?? null}, ${actor.name}
        FROM grading_schemes WHERE district_code = ${district}
        RETURNING version`.execute(transaction);
      await recordEvent(transaction, {
        entity: 'grading_schemes', entityId: district, action: row.version === 1 ? 'insert' : 'update', actor: actor.name, requestId: actor.requestId,
        before: null, after: { version: row.version, ...scheme },
      });
    },

    /** The measure inputs of the district's parcels the scheme grades (its land uses; one statement). */
    async inputs(district: string, landUses: readonly string[]): Promise<ParcelMeasureRow[]> {
      const where = landUses.length === 0 ? sql<boolean>`true`
        : sql<boolean>`EXISTS (SELECT 1 FROM unnest(${[...landUses]}::text[]) u WHERE p.land_use_code LIKE u || '%')`;
      const { rows } = await measureInputsSql(district, where).execute(batch);
      return rows;
    },

    /** The pool a run's transaction takes (the bulk one). */
    batch,

    /** Runs the grading statement for a district inside the caller's transaction (one run at a time per district). */
    async grade(transaction: Transaction<Database>, run: Parameters<typeof gradingStatement>[0]) {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`grading_runs:${run.districtCode}`}))`.execute(transaction);
      const { rows: [row] } = await gradingStatement(run).execute(transaction);
      return row;
    },

    async runs(scope: Scope, district?: string): Promise<GradingRun[]> {
      const { rows } = await sql<GradingRun>`
        SELECT ${RUN_COLUMNS} FROM grading_runs r JOIN districts d ON d.code = r.district_code
        WHERE ${scope.sqlCovers('r.district_code')} AND (${district ?? null}::text IS NULL OR r.district_code = ${district ?? null})
        ORDER BY r.run_at DESC, r.id DESC LIMIT 200`.execute(db);
      return rows;
    },

    async run(id: number): Promise<GradingRun | undefined> {
      const { rows: [row] } = await sql<GradingRun>`
        SELECT ${RUN_COLUMNS} FROM grading_runs r JOIN districts d ON d.code = r.district_code WHERE r.id = ${id}`.execute(db);
      return row;
    },

    /** The parcel's result in the latest run that graded it, with the scheme version's cut-offs. */
    async explanation(parcelId: number): Promise<StoredExplanation | undefined> {
      const { rows: [row] } = await sql<StoredExplanation>`
        SELECT gr.parcel_id::float8 AS "parcelId", gr.grade, gr.previous_grade AS "previousGrade", gr.score, gr.rank, gr.of_total AS "ofTotal",
          gr.figures, g.cutoffs, r.id::int AS "runId", to_char(r.run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "runAt",
          r.scheme_version AS "schemeVersion", g.name AS "schemeName", g.local_rule AS local
        FROM grading_results gr JOIN grading_runs r ON r.id = gr.run_id
        JOIN grading_schemes g ON g.district_code = r.district_code AND g.version = r.scheme_version
        WHERE gr.parcel_id = ${parcelId} ORDER BY gr.run_id DESC LIMIT 1`.execute(db);
      return row;
    },
  };
}

export type GradingRepository = ReturnType<typeof createGradingRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    gradingRepository: GradingRepository;
  }
}

export const gradingRepositoryPlugin = fp(async (app: AppInstance) => {
  // A run reads and writes a whole district: on the bulk pool (no statement timeout), as imports do.
  app.decorate('gradingRepository', createGradingRepository(app.db, app.pools.bulk.db));
}, { name: 'grading-repository', dependencies: ['database'] });

export const GRADING_EXAMPLE_FIXTURE = path.join(REPOSITORY_ROOT, 'fixtures', 'grading-example.json');

/** The demo city's example scheme (local rule): version 1 for each district of the fixture's city that has none. */
export async function ensureExampleGradingSchemes(db: DatabaseClient, fixture = GRADING_EXAMPLE_FIXTURE): Promise<number> {
  const { city, ...scheme } = JSON.parse(fs.readFileSync(fixture, 'utf8')) as GradingSchemeRevision & { city: string };
  return await db.transaction().execute(async (transaction) => {
    await sql`SELECT set_config('app.actor', 'system', true)`.execute(transaction);
    const { rows } = await sql<{ code: string }>`
      SELECT code FROM districts d WHERE d.level = 'district' AND d.code LIKE ${`${city}%`}
        AND NOT EXISTS (SELECT 1 FROM grading_schemes g WHERE g.district_code = d.code) ORDER BY code`.execute(transaction);
    const repository = createGradingRepository(db);
    for (const { code } of rows) await repository.revise(transaction, code, scheme, { name: 'system', requestId: '' });
    return rows.length;
  });
}
