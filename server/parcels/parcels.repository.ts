import fp from 'fastify-plugin';
import { sql, type Transaction } from 'kysely';
import { BOUNDARY_SEARCH_METRES, BOUNDARY_SIDES, type BoundariesProposal, type YearlyFigure } from '../../domain/api/parcel-card.schemas.js';
import type { ParcelDetail, ParcelFeatureCollection, ParcelHistoryEntry, ParcelListQuery, ParcelPage, VersionConflict } from '../../domain/api/parcels.schemas.js';
import { columnName } from '../../domain/parcel-fields.js';
import { yearlySeriesRevision } from '../../domain/parcel-yearly.js';
import type { EditableParcelKey } from '../../domain/permissions.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import type { Database } from '../db/schema.js';
import type { DatabaseClient } from '../db/database.js';
import { DETAIL_COLUMNS, boundariesProposalSql, checkGeometrySql, featurePropertiesSql, geometryFromGeoJson, otherDistrictsSql } from './parcels.sql.js';

/** A yearly series changed since the revision an edit was made on: what is stored now. */
export interface YearlySeriesConflict {
  currentRevision: string;
  current: YearlyFigure[];
}

/**
 * Land of another district an edited geometry may add, m² (ellipsoidal): the district boundaries are
 * generalised, so a vertex moved along a boundary may cross it by a sliver, but never by a parcel.
 */
export const DISTRICT_SLIVER_M2 = 50;

export type ParcelChanges = Partial<Record<EditableParcelKey, unknown>> & { geometry?: unknown };
export type UpdateOutcome = 'updated' | { conflicts: VersionConflict[] } | { reason: string };

function formatArea(areaM2: number): string {
  return areaM2 >= 1e6 ? `${(areaM2 / 1e6).toFixed(2)} km²` : `${Math.round(areaM2)} m²`;
}

function camelCase(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

const HISTORY_IGNORED = new Set(['updated_at', 'updated_by', 'area_m2', 'geom_3857', 'created_at', 'version']);

/** A history value as the API shows it: the geometry as a placeholder, not as EWKB hex. */
function historyValue(column: string, value: unknown, placeholder: string): unknown {
  return column === 'geom' ? placeholder : value ?? null;
}

export function createParcelsRepository(db: DatabaseClient) {
  return {
    /** Every attribute of a parcel, unmasked: the route masks it for readers outside its district. */
    async find(id: number): Promise<ParcelDetail | undefined> {
      const { rows } = await sql<ParcelDetail>`
        SELECT ${DETAIL_COLUMNS}
        FROM parcels p JOIN districts d ON d.code = p.district_code
        WHERE p.id = ${id}`.execute(db);
      return rows[0];
    },

    /**
     * Applies an edit inside the caller's transaction (which names the actor for the history
     * trigger). A new geometry must be valid and lie in the parcel's district; it is not repaired
     * silently, because a surveyor must see and fix what is wrong. Land it would take from another
     * district is refused: outside the writer's scope as `out_of_scope` naming that district, else
     * as an invalid geometry naming it (a parcel belongs to one district).
     */
    async update(transaction: Transaction<Database>, id: number, changes: ParcelChanges, options: { expectedVersion: number; actor: string; scope: Scope }): Promise<UpdateOutcome> {
      const conflicts = await this.lockVersions(transaction, [{ id, version: options.expectedVersion }], [changes]);
      if (conflicts.length > 0) return { conflicts };
      const { rows: [current] } = await sql<{ district_code: string }>`SELECT district_code FROM parcels WHERE id = ${id}`.execute(transaction);
      const set: Record<string, unknown> = { updated_by: options.actor };
      for (const [key, value] of Object.entries(changes)) {
        if (key !== 'geometry') set[columnName(key)] = value;
      }
      if (changes.geometry) {
        const { rows: [check] } = await checkGeometrySql(changes.geometry, current.district_code).execute(transaction);
        if (check.empty) return { reason: '图形为空' };
        if (!check.valid) return { reason: `自相交或环无效 (${check.reason})` };
        if (!check.inside) return { reason: `图形不在所属行政区 (${current.district_code}) 内` };
        const { rows: reached } = await otherDistrictsSql(id, changes.geometry, current.district_code).execute(transaction);
        const taken = reached.filter((district) => district.after_m2 > district.before_m2 + DISTRICT_SLIVER_M2);
        for (const district of taken) options.scope.assertWritable(district, `新图形中 ${formatArea(district.after_m2)} 的土地`);
        if (taken.length > 0) {
          const [first] = taken;
          return { reason: `图形超出所属行政区 (${current.district_code})：有 ${formatArea(first.after_m2)} 位于 ${first.name} (${first.code})；地块只能位于其所属行政区内` };
        }
        set.geom = sql`ST_Multi(${geometryFromGeoJson(changes.geometry)})`;
      }
      await transaction.updateTable('parcels').set(set).where('id', '=', id).execute();
      return 'updated';
    },

    /**
     * Locks these parcels (FOR UPDATE, in id order so that two writers never deadlock) and returns
     * the ones whose version is not the one the write started from, each with the fields changed
     * since (from the history: value then, now, and in the write when `writes` holds what the write
     * for the same index sets). Empty: every parcel is current and stays so until the transaction ends.
     * A parcel that no longer exists is a conflict with `currentVersion` null.
     */
    async lockVersions(transaction: Transaction<Database>, expected: readonly { id: number; version: number }[], writes: readonly Record<string, unknown>[] = []): Promise<VersionConflict[]> {
      if (expected.length === 0) return [];
      const ids = [...new Set(expected.map((entry) => entry.id))].sort((a, b) => a - b);
      const { rows } = await sql<{ id: string; code: string; version: number; updated_by: string; updated_at: Date }>`
        SELECT id, code, version, updated_by, updated_at FROM parcels WHERE id = ANY(${ids}::bigint[]) ORDER BY id FOR UPDATE`.execute(transaction);
      const current = new Map(rows.map((row) => [Number(row.id), row]));
      const conflicts: VersionConflict[] = [];
      for (const [index, { id, version }] of expected.entries()) {
        const row = current.get(id);
        if (row && row.version === version) continue;
        const fields = row ? await changedSince(transaction, id, version, writes[index] ?? {}) : [];
        conflicts.push({
          id, code: row?.code ?? null, yourVersion: version, currentVersion: row?.version ?? null,
          updatedBy: row?.updated_by ?? null, updatedAt: row?.updated_at.toISOString() ?? null, fields,
        });
      }
      return conflicts;
    },

    /** The newest history id: a mark a later write compares with (`changedAfterMark`). */
    async historyMark(): Promise<string> {
      const { rows: [row] } = await sql<{ mark: string | null }>`SELECT max(id)::text AS mark FROM history`.execute(db);
      return row.mark ?? '0';
    },

    /**
     * The parcels among `ids` changed after the history mark, as version conflicts (their version
     * at the mark, now, and the fields changed since): what an import reviewed at validation is
     * stale for them. Called with the rows locked (findByCodes), so nothing changes until commit.
     */
    async changedAfterMark(transaction: Transaction<Database>, ids: readonly number[], mark: string): Promise<VersionConflict[]> {
      if (ids.length === 0) return [];
      const { rows } = await sql<{ id: string; version: number | null }>`
        SELECT DISTINCT ON (entity_id) entity_id AS id, (before ->> 'version')::int AS version
        FROM history
        WHERE entity = 'parcels' AND entity_id = ANY(${ids.map(String)}::text[]) AND action = 'update' AND id > ${mark}::bigint
        ORDER BY entity_id, id`.execute(transaction);
      return this.lockVersions(transaction, rows.map((row) => ({ id: Number(row.id), version: row.version ?? 1 })));
    },

    /** Changes of one parcel, newest first, as field-level differences (API keys). */
    async history(id: number): Promise<ParcelHistoryEntry[]> {
      const rows = await db.selectFrom('history')
        .select(['id', 'at', 'actor', 'action', 'request_id as requestId', 'before', 'after'])
        .where('entity', '=', 'parcels').where('entity_id', '=', String(id))
        .orderBy('id', 'desc').limit(200).execute();
      return rows.map((row) => {
        const before = (row.before ?? {}) as Record<string, unknown>;
        const after = (row.after ?? {}) as Record<string, unknown>;
        const keys = row.action === 'update' ? Object.keys(after).filter((key) => !HISTORY_IGNORED.has(key) && JSON.stringify(before[key]) !== JSON.stringify(after[key])) : [];
        return {
          id: row.id,
          at: row.at.toISOString(),
          actor: row.actor,
          action: row.action,
          requestId: row.requestId,
          changes: keys.map((key) => ({
            key: key === 'geom' ? 'geometry' : camelCase(key),
            before: historyValue(key, before[key], '(图形)'),
            after: historyValue(key, after[key], '(新图形)'),
          })),
        };
      });
    },

    /**
     * Parcels whose box meets [minLon, minLat, maxLon, maxLat], as a FeatureCollection with full
     * precision geometry (8 decimals ≈ 1 mm); outside the scope without what only readers of the
     * district may see. `truncated` says the limit cut the list.
     */
    async geojsonInBox(box: [number, number, number, number], limit: number, scope: Scope): Promise<ParcelFeatureCollection> {
      const { rows } = await sql<{ feature: ParcelFeatureCollection['features'][number] }>`
        SELECT json_build_object(
          'type', 'Feature', 'id', p.id,
          'properties', ${featurePropertiesSql(scope)},
          'geometry', ST_AsGeoJSON(p.geom, 8)::json) AS feature
        FROM parcels p
        WHERE p.geom && ST_MakeEnvelope(${box[0]}, ${box[1]}, ${box[2]}, ${box[3]}, 4490)
        ORDER BY p.id
        LIMIT ${limit + 1}`.execute(db);
      return { type: 'FeatureCollection' as const, truncated: rows.length > limit, features: rows.slice(0, limit).map((row) => row.feature) };
    },

    /** One page of parcels in the reader's districts; a city code matches the parcels of all its districts. */
    async list(filter: ParcelListQuery, scope: Scope): Promise<ParcelPage> {
      let query = db.selectFrom('parcels as p');
      if (filter.district) {
        const district = filter.district;
        query = query.where('p.district_code', 'in', db.selectFrom('districts as d').select('d.code')
          .where((where) => where.or([where('d.code', '=', district), where('d.parent_code', '=', district)])));
      }
      query = query.where(scope.sqlCovers('p.district_code'));
      if (filter.status) query = query.where('p.status', '=', filter.status);
      if (filter.type) query = query.where('p.inefficiency_type', '=', filter.type);
      const [{ total }] = await query.select((select) => select.fn.countAll<number>().as('total')).execute();
      const items = await query
        .select([
          'p.id', 'p.code', 'p.owner', 'p.district_code as districtCode', 'p.status',
          'p.inefficiency_type as inefficiencyType', 'p.area_m2 as areaM2',
        ])
        .orderBy('p.id')
        .limit(filter.pageSize)
        .offset((filter.page - 1) * filter.pageSize)
        .execute();
      return { items, total: Number(total), page: filter.page, pageSize: filter.pageSize };
    },

    /** The yearly 产值/税收 of a parcel, oldest year first (万元). */
    async yearlyFigures(id: number): Promise<YearlyFigure[]> {
      return await db.selectFrom('parcel_yearly_figures')
        .select(['year', 'output_wan as outputWan', 'tax_wan as taxWan'])
        .where('parcel_id', '=', id).orderBy('year').execute();
    },

    /**
     * Makes the yearly series of a parcel the one given, inside the caller's transaction (which
     * names the actor for the history trigger): changed years are updated, new ones inserted, years
     * left out deleted; an unchanged year writes nothing, so history holds only real changes. When the
     * stored series is no longer the revision the edit was made on, nothing is written and the
     * conflict (the stored revision and series) is returned.
     */
    async replaceYearlyFigures(transaction: Transaction<Database>, id: number, items: readonly YearlyFigure[], actor: string, expectedRevision: string): Promise<YearlySeriesConflict | null> {
      // The parcel's row is locked first so that two writers of a series with no rows yet queue too.
      await transaction.selectFrom('parcels').select('id').where('id', '=', id).forUpdate().execute();
      const stored = await transaction.selectFrom('parcel_yearly_figures')
        .select(['year', 'output_wan as outputWan', 'tax_wan as taxWan'])
        .where('parcel_id', '=', id).orderBy('year').forUpdate().execute();
      const currentRevision = yearlySeriesRevision(stored);
      if (currentRevision !== expectedRevision) return { currentRevision, current: stored };
      const byYear = new Map(stored.map((row) => [row.year, row]));
      const kept = new Set(items.map((item) => item.year));
      const gone = stored.filter((row) => !kept.has(row.year)).map((row) => row.year);
      if (gone.length > 0) await transaction.deleteFrom('parcel_yearly_figures').where('parcel_id', '=', id).where('year', 'in', gone).execute();
      for (const item of items) {
        const before = byYear.get(item.year);
        if (before && before.outputWan === item.outputWan && before.taxWan === item.taxWan) continue;
        const values = { output_wan: item.outputWan, tax_wan: item.taxWan, updated_by: actor, updated_at: sql<Date>`now()` };
        await transaction.insertInto('parcel_yearly_figures').values({ parcel_id: id, year: item.year, ...values })
          .onConflict((conflict) => conflict.columns(['parcel_id', 'year']).doUpdateSet(values)).execute();
      }
      return null;
    },

    /** 四至 proposed from the neighbouring parcels and roads (see `boundariesProposalSql`). */
    async boundariesProposal(id: number, scope: Scope): Promise<BoundariesProposal> {
      const { rows } = await boundariesProposalSql(id, BOUNDARY_SEARCH_METRES, scope).execute(db);
      return {
        searchMetres: BOUNDARY_SEARCH_METRES,
        sides: BOUNDARY_SIDES.map(({ side }) => {
          const found = rows.find((row) => row.side === side);
          return found
            ? { side, kind: found.kind, text: found.text, parcelId: found.parcel_id === null ? null : Number(found.parcel_id), parcelCode: found.parcel_code, distanceM: Math.round(found.distance_m * 10) / 10 }
            : { side, kind: 'none' as const, text: '', parcelId: null, parcelCode: null, distanceM: null };
        }),
      };
    },

    /** Parcels with these 宗地编号 and their district, locked until the transaction ends (an import matches by code). */
    async findByCodes(transaction: Transaction<Database>, codes: readonly string[]): Promise<Map<string, { id: number; districtCode: string }>> {
      if (codes.length === 0) return new Map();
      const rows = await transaction.selectFrom('parcels').select(['id', 'code', 'district_code']).where('code', 'in', [...codes]).forUpdate().execute();
      return new Map(rows.map((row) => [row.code, { id: Number(row.id), districtCode: row.district_code }]));
    },

    /**
     * Writes imported parcels inside the caller's transaction (which names the actor for the
     * history trigger): a row with an `id` updates that parcel, a row without inserts a 未认定
     * (unassessed) parcel — its status comes from the 认定 procedure, not from the import — or updates the one an earlier row of the same import inserted with that code.
     * `columns` are table columns; `geometry` is EWKB in EPSG:4490.
     */
    async upsertByCode(transaction: Transaction<Database>, rows: readonly ImportedParcel[], actor: string): Promise<{ inserted: number; updated: number }> {
      let inserted = 0;
      let updated = 0;
      for (const row of rows) {
        const geometry = sql`ST_Multi(ST_SetSRID(${row.geometry}::geometry, 4490))`;
        if (row.id !== null) {
          await transaction.updateTable('parcels').set({ ...row.columns, geom: geometry, updated_by: actor } as never).where('id', '=', row.id).execute();
          updated++;
          continue;
        }
        const { wasInserted } = await transaction.insertInto('parcels').values({
          status: 'unassessed', ...row.columns, code: row.code, district_code: row.districtCode, geom: geometry, updated_by: actor,
        } as never).onConflict((conflict) => conflict.column('code').doUpdateSet({ ...row.columns, geom: geometry, updated_by: actor } as never))
          .returning(sql<boolean>`xmax = 0`.as('wasInserted')).executeTakeFirstOrThrow();
        if (wasInserted) inserted++;
        else updated++;
      }
      return { inserted, updated };
    },
  };
}

/**
 * The fields of a parcel changed after `version`, from its history rows (each stores the row
 * before and after): the value at `version` is the `before` of the first change after it, the value
 * now is the parcel's. `write` holds what the refused write would set, by API key.
 */
async function changedSince(transaction: Transaction<Database>, id: number, version: number, write: Record<string, unknown>): Promise<VersionConflict['fields']> {
  const rows = await transaction.selectFrom('history').select(['before', 'after'])
    .where('entity', '=', 'parcels').where('entity_id', '=', String(id)).where('action', '=', 'update')
    .where(sql<boolean>`(after ->> 'version')::int > ${version}`)
    .orderBy('id').execute();
  const base = new Map<string, unknown>();
  const theirs = new Map<string, unknown>();
  for (const row of rows) {
    const before = (row.before ?? {}) as Record<string, unknown>;
    const after = (row.after ?? {}) as Record<string, unknown>;
    for (const column of Object.keys(after)) {
      if (HISTORY_IGNORED.has(column) || JSON.stringify(before[column]) === JSON.stringify(after[column])) continue;
      if (!base.has(column)) base.set(column, before[column]);
      theirs.set(column, after[column]);
    }
  }
  return [...base.keys()].map((column) => {
    const key = column === 'geom' ? 'geometry' : camelCase(column);
    const field: VersionConflict['fields'][number] = { key, base: historyValue(column, base.get(column), '(原图形)'), theirs: historyValue(column, theirs.get(column), '(他人修改的图形)') };
    if (key in write) field.yours = key === 'geometry' ? '(您的图形)' : write[key];
    return field;
  });
}

/** A parcel as an import writes it (see `upsertByCode`). */
export interface ImportedParcel {
  /** The matched parcel, or null for a new one. */
  id: number | null;
  code: string;
  districtCode: string;
  columns: Record<string, unknown>;
  geometry: Uint8Array;
}

export type ParcelsRepository = ReturnType<typeof createParcelsRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    parcelsRepository: ParcelsRepository;
  }
}

/** The parcels repository, built once per app: the only code that reads or writes `parcels`. */
export const parcelsRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('parcelsRepository', createParcelsRepository(app.db));
}, { name: 'parcels-repository', dependencies: ['database'] });
