import fp from 'fastify-plugin';
import { sql, type Transaction } from 'kysely';
import type { LegacyLandListQuery } from '../../domain/api/legacy-land.schemas.js';
import { LEGACY_STATUSES } from '../../domain/legacy-land.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import { writeAs, type Actor } from '../db/actor.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { createStockListsRepository, stockNumber } from '../stock-lists/stock-lists.repository.js';
import { LEGACY_COLUMNS, districtOfGeometrySql, legacyFeaturesSql, storedGeometry } from './legacy-land.sql.js';

export interface LegacyLandRow {
  id: number; number: string; districtCode: string; districtName: string; name: string | null; location: string | null; userName: string | null;
  currentUse: string; landUseCode: string | null; floorAreaM2: number | null; period: string; periodVersion: number; surveyYear: number | null;
  surveyBsm: string | null; standard: string | null; disposalPolicy: string | null; status: string; statusAt: Date; note: string | null; source: string;
  areaM2: number; bbox: [number, number, number, number]; version: number; createdBy: string; createdAt: Date; updatedBy: string; updatedAt: Date;
}

/** What a record holds besides its numbers (snake_case columns are written from it). */
export interface LegacyFacts {
  name?: string | null; location?: string | null; userName?: string | null; currentUse?: string; landUseCode?: string | null; floorAreaM2?: number | null;
  period?: string; periodVersion?: number; surveyYear?: number | null; surveyBsm?: string | null; standard?: string | null; disposalPolicy?: string | null;
  note?: string | null; geometry?: object;
}

const COLUMN_OF: Readonly<Record<Exclude<keyof LegacyFacts, 'geometry'>, keyof Database['legacy_lands']>> = {
  name: 'name', location: 'location', userName: 'user_name', currentUse: 'current_use', landUseCode: 'land_use_code', floorAreaM2: 'floor_area_m2',
  period: 'period', periodVersion: 'period_version', surveyYear: 'survey_year', surveyBsm: 'survey_bsm', standard: 'standard',
  disposalPolicy: 'disposal_policy', note: 'note',
};

function columnsOf(facts: LegacyFacts): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(COLUMN_OF)) {
    const value = facts[key as keyof typeof COLUMN_OF];
    if (value !== undefined) values[column] = typeof value === 'string' ? (value.trim() || null) : value;
  }
  if (facts.geometry) values.geom = storedGeometry(facts.geometry);
  return values;
}

/** The year a record is numbered in: China's calendar year now. */
const chinaYear = () => new Date(Date.now() + 8 * 3600_000).getUTCFullYear();

/** 历史遗留用地 (legacy_lands, legacy_land_steps): the only code that reads or writes them. */
export function createLegacyLandRepository(db: DatabaseClient) {
  const counters = createStockListsRepository(db);
  const base = (executor: DatabaseClient | Transaction<Database>) => executor.selectFrom('legacy_lands as l').innerJoin('districts as d', 'd.code', 'l.district_code');

  return {
    async districtOf(geometry: object): Promise<{ code: string; name: string } | undefined> {
      return (await districtOfGeometrySql(geometry).execute(db)).rows[0];
    },

    /** Whether a shape is a polygon PostGIS can read and that keeps area once made valid. */
    async geometryArea(geometry: object): Promise<number> {
      const { rows: [row] } = await sql<{ area: number | null }>`SELECT ST_Area(${storedGeometry(geometry)}::geography) AS area`.execute(db);
      return row?.area ?? 0;
    },

    async list(query: LegacyLandListQuery, scope: Scope) {
      let filtered = base(db).where(scope.sqlCovers('l.district_code'));
      if (query.district) filtered = filtered.where((eb) => eb.or([eb('l.district_code', '=', query.district!), eb('d.parent_code', '=', query.district!)]));
      if (query.period) filtered = filtered.where('l.period', '=', query.period);
      if (query.q) {
        const like = `%${query.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
        filtered = filtered.where(sql<boolean>`concat_ws(' ', l.number, l.name, l.location, l.user_name, l.survey_bsm, l.current_use) ILIKE ${like}`);
      }
      const byStatus = await filtered.select(['l.status as code', sql<number>`count(*)::int`.as('count'), sql<number>`coalesce(sum(l.area_m2), 0)::float8`.as('areaM2')]).groupBy('l.status').execute();
      const byPeriod = await (query.status ? filtered.where('l.status', '=', query.status) : filtered)
        .select(['l.period as code', sql<number>`count(*)::int`.as('count'), sql<number>`coalesce(sum(l.area_m2), 0)::float8`.as('areaM2')]).groupBy('l.period').execute();
      const matching = query.status ? filtered.where('l.status', '=', query.status) : filtered;
      const rows = await matching.select(LEGACY_COLUMNS as never).orderBy('l.id', 'desc')
        .limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute() as unknown as LegacyLandRow[];
      const total = byPeriod.reduce((sum, entry) => sum + entry.count, 0);
      const totalAreaM2 = byPeriod.reduce((sum, entry) => sum + entry.areaM2, 0);
      const statuses = LEGACY_STATUSES.map((status) => {
        const found = byStatus.find((entry) => entry.code === status.code);
        return { code: status.code, label: status.label, count: found?.count ?? 0, areaM2: found?.areaM2 ?? 0 };
      });
      return { rows, total, totalAreaM2, byStatus: statuses, byPeriod };
    },

    async find(id: number): Promise<(LegacyLandRow & { geometry: { type: 'MultiPolygon'; coordinates: unknown[] } }) | undefined> {
      const row = await base(db).select([LEGACY_COLUMNS as never, sql`ST_AsGeoJSON(l.geom, 9)::json`.as('geometry')]).where('l.id', '=', id).executeTakeFirst();
      return row as never;
    },

    async steps(id: number) {
      return db.selectFrom('legacy_land_steps').select(['from_status as from', 'to_status as to', 'reason', 'actor', 'actor_name as actorName', 'at'])
        .where('legacy_id', '=', id).orderBy('id').execute();
    },

    /** New records in one transaction (an import's all or none), each numbered in its district. */
    async create(records: (LegacyFacts & { districtCode: string; currentUse: string; period: string; periodVersion: number; geometry: object; source: 'drawn' | 'imported' | 'demo' })[], actor: Actor & { displayName: string }): Promise<number[]> {
      return writeAs(db, actor, async (transaction) => {
        const ids: number[] = [];
        const year = chinaYear();
        for (const record of records) {
          const sequence = await counters.nextSequence(transaction, record.districtCode, year, 'legacy');
          const { id } = await transaction.insertInto('legacy_lands').values({
            ...columnsOf(record), number: stockNumber(record.districtCode, 'legacy', year, sequence), district_code: record.districtCode, year, sequence,
            source: record.source, created_by: actor.name, updated_by: actor.name,
            // geom_3857 and area_m2 are derived by the trigger.
            geom_3857: sql`NULL`, area_m2: sql`0`,
          } as never).returning('id').executeTakeFirstOrThrow();
          ids.push(Number(id));
        }
        return ids;
      });
    },

    /** Changes facts if the record is still at `expectedVersion`; answers the stored version otherwise. */
    async update(id: number, facts: LegacyFacts, expectedVersion: number, actor: Actor): Promise<{ ok: true } | { ok: false; currentVersion: number }> {
      return writeAs(db, actor, async (transaction) => {
        const updated = await transaction.updateTable('legacy_lands').set({ ...columnsOf(facts), updated_by: actor.name } as never)
          .where('id', '=', id).where('version', '=', expectedVersion).returning('id').executeTakeFirst();
        if (updated) return { ok: true as const };
        const { version } = await transaction.selectFrom('legacy_lands').select('version').where('id', '=', id).executeTakeFirstOrThrow();
        return { ok: false as const, currentVersion: version };
      });
    },

    /** Moves a record from `from` to `to` with its reason, if it is still at `expectedVersion` and `from`. */
    async transition(id: number, from: string, to: string, reason: string, expectedVersion: number, actor: Actor & { displayName: string }): Promise<{ ok: true } | { ok: false; currentVersion: number; status: string }> {
      return writeAs(db, actor, async (transaction) => {
        const updated = await transaction.updateTable('legacy_lands').set({ status: to, status_at: sql`now()`, updated_by: actor.name } as never)
          .where('id', '=', id).where('version', '=', expectedVersion).where('status', '=', from).returning('id').executeTakeFirst();
        if (!updated) {
          const current = await transaction.selectFrom('legacy_lands').select(['version', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
          return { ok: false as const, currentVersion: current.version, status: current.status };
        }
        await transaction.insertInto('legacy_land_steps').values({ legacy_id: id, from_status: from, to_status: to, reason, actor: actor.name, actor_name: actor.displayName }).execute();
        return { ok: true as const };
      });
    },

    async features(box: [number, number, number, number], scope: Scope, limit: number) {
      const { rows } = await legacyFeaturesSql(box, scope.sqlCovers('l.district_code'), limit).execute(db);
      return { type: 'FeatureCollection' as const, truncated: rows.length > limit, features: rows.slice(0, limit).map((row) => row.feature) };
    },
  };
}

export type LegacyLandRepository = ReturnType<typeof createLegacyLandRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    legacyLandRepository: LegacyLandRepository;
  }
}

export const legacyLandRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('legacyLandRepository', createLegacyLandRepository(app.db));
}, { name: 'legacy-land-repository', dependencies: ['database'] });
