import { sql, type Transaction } from 'kysely';
import { columnName } from '../../domain/parcel-fields.js';
import type { EditableParcelKey } from '../../domain/permissions.js';
import type { Database } from '../db/schema.js';
import type { DatabaseClient } from '../db/database.js';
import type { ParcelDetailBody } from './parcels.routes.js';

export interface ParcelListFilter {
  /** Districts the reader may see; null = all. */
  allowedDistricts: string[] | null;
  district?: string;
  status?: string;
  type?: string;
  page: number;
  pageSize: number;
}

const DETAIL_COLUMNS = sql`
  p.id, p.code, p.district_code AS "districtCode", d.name AS "districtName", p.owner,
  p.town_or_park AS "townOrPark", p.location, p.registered_area_m2 AS "registeredAreaM2",
  p.area_m2 AS "areaM2", p.contract_no AS "contractNo", p.certificate_no AS "certificateNo",
  p.land_use_code AS "landUseCode", p.planned_function AS "plannedFunction",
  p.industry_code AS "industryCode", p.floor_area_m2 AS "floorAreaM2",
  p.floor_area_ratio AS "floorAreaRatio", p.building_coverage AS "buildingCoverage",
  p.investment_intensity AS "investmentIntensity", p.output_per_mu AS "outputPerMu",
  p.tax_per_mu AS "taxPerMu", p.production_start AS "productionStart",
  p.production_stop AS "productionStop", p.admin_facility_share AS "adminFacilityShare",
  p.undeveloped_area_m2 AS "undevelopedAreaM2", p.meets_safety AS "meetsSafety",
  p.meets_environment AS "meetsEnvironment", p.meets_energy AS "meetsEnergy", p.status,
  p.inefficiency_type AS "inefficiencyType", p.identified_at AS "identifiedAt",
  p.redevelopment_intent AS "redevelopmentIntent", p.evaluation_grade AS "evaluationGrade",
  json_build_array(ST_XMin(p.geom), ST_YMin(p.geom), ST_XMax(p.geom), ST_YMax(p.geom)) AS bbox,
  ST_AsGeoJSON(p.geom, 8)::json AS geometry, p.updated_at AS "updatedAt", p.updated_by AS "updatedBy",
  false AS restricted`;

export type ParcelChanges = Partial<Record<EditableParcelKey, unknown>> & { geometry?: unknown };
export type UpdateOutcome = 'updated' | 'conflict' | { reason: string };

function camelCase(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

const HISTORY_IGNORED = new Set(['updated_at', 'updated_by', 'area_m2', 'geom_3857', 'created_at']);

export function createParcelsRepository(db: DatabaseClient) {
  return {
    async find(id: number): Promise<ParcelDetailBody | undefined> {
      const { rows } = await sql<ParcelDetailBody>`
        SELECT ${DETAIL_COLUMNS}
        FROM parcels p JOIN districts d ON d.code = p.district_code
        WHERE p.id = ${id}`.execute(db);
      return rows[0];
    },

    /**
     * Applies an edit inside the caller's transaction (which names the actor for the history
     * trigger). A new geometry must be valid and lie in the parcel's district; it is not repaired
     * silently, because a surveyor must see and fix what is wrong.
     */
    async update(transaction: Transaction<Database>, id: number, changes: ParcelChanges, options: { expectedUpdatedAt?: string; actor: string }): Promise<UpdateOutcome> {
      const { rows: [current] } = await sql<{ updated_at: Date; district_code: string }>`
        SELECT updated_at, district_code FROM parcels WHERE id = ${id} FOR UPDATE`.execute(transaction);
      if (options.expectedUpdatedAt && Math.abs(current.updated_at.getTime() - new Date(options.expectedUpdatedAt).getTime()) >= 1) return 'conflict';
      const set: Record<string, unknown> = { updated_by: options.actor };
      for (const [key, value] of Object.entries(changes)) {
        if (key !== 'geometry') set[columnName(key)] = value;
      }
      if (changes.geometry) {
        const { rows: [check] } = await sql<{ valid: boolean; reason: string; inside: boolean; empty: boolean }>`
          WITH candidate AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(changes.geometry)}), 4490) AS geom)
          SELECT ST_IsValid(c.geom) AS valid, ST_IsValidReason(c.geom) AS reason, ST_IsEmpty(c.geom) AS empty,
                 ST_Intersects(d.geom, c.geom) AS inside
          FROM candidate c, districts d WHERE d.code = ${current.district_code}`.execute(transaction);
        if (check.empty) return { reason: '图形为空' };
        if (!check.valid) return { reason: `自相交或环无效 (${check.reason})` };
        if (!check.inside) return { reason: `图形不在所属行政区 (${current.district_code}) 内` };
        set.geom = sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(changes.geometry)}), 4490))`;
      }
      await transaction.updateTable('parcels').set(set).where('id', '=', id).execute();
      return 'updated';
    },

    /** Changes of one parcel, newest first, as field-level differences (API keys). */
    async history(id: number) {
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
          changes: keys.map((key) => key === 'geom'
            ? { key: 'geometry', before: '(图形)', after: '(新图形)' }
            : { key: camelCase(key), before: before[key] ?? null, after: after[key] ?? null }),
        };
      });
    },

    /** One page of parcels; a city code matches the parcels of all its districts. */
    /**
     * Parcels whose box meets [minLon, minLat, maxLon, maxLat], as a FeatureCollection with full
     * precision geometry (8 decimals ≈ 1 mm). `truncated` says the limit cut the list.
     */
    async geojsonInBox(box: [number, number, number, number], limit: number, allowedDistricts: string[] | null) {
      const { rows } = await sql<{ feature: Record<string, unknown> }>`
        SELECT json_build_object(
          'type', 'Feature', 'id', p.id,
          'properties', json_build_object(
            'id', p.id, 'code', p.code, 'districtCode', p.district_code, 'areaM2', round(p.area_m2::numeric, 2),
            'status', CASE WHEN ${allowedDistricts}::text[] IS NULL OR p.district_code = ANY(${allowedDistricts}::text[]) THEN p.status END,
            'type', CASE WHEN ${allowedDistricts}::text[] IS NULL OR p.district_code = ANY(${allowedDistricts}::text[]) THEN p.inefficiency_type END,
            'restricted', NOT (${allowedDistricts}::text[] IS NULL OR p.district_code = ANY(${allowedDistricts}::text[]))),
          'geometry', ST_AsGeoJSON(p.geom, 8)::json) AS feature
        FROM parcels p
        WHERE p.geom && ST_MakeEnvelope(${box[0]}, ${box[1]}, ${box[2]}, ${box[3]}, 4490)
        ORDER BY p.id
        LIMIT ${limit + 1}`.execute(db);
      return { type: 'FeatureCollection' as const, truncated: rows.length > limit, features: rows.slice(0, limit).map((row) => row.feature) };
    },

    async list(filter: ParcelListFilter) {
      let query = db.selectFrom('parcels as p');
      if (filter.district) {
        const district = filter.district;
        query = query.where('p.district_code', 'in', db.selectFrom('districts as d').select('d.code')
          .where((where) => where.or([where('d.code', '=', district), where('d.parent_code', '=', district)])));
      }
      if (filter.allowedDistricts) {
        query = filter.allowedDistricts.length > 0 ? query.where('p.district_code', 'in', filter.allowedDistricts) : query.where(sql<boolean>`false`);
      }
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

    /** Parcels with these 宗地编号 and their district, locked until the transaction ends (an import matches by code). */
    async findByCodes(transaction: Transaction<Database>, codes: readonly string[]): Promise<Map<string, { id: number; districtCode: string }>> {
      if (codes.length === 0) return new Map();
      const rows = await transaction.selectFrom('parcels').select(['id', 'code', 'district_code']).where('code', 'in', [...codes]).forUpdate().execute();
      return new Map(rows.map((row) => [row.code, { id: Number(row.id), districtCode: row.district_code }]));
    },

    /**
     * Writes imported parcels inside the caller's transaction (which names the actor for the
     * history trigger): a row with an `id` updates that parcel, a row without inserts a 疑似
     * parcel, or updates the one an earlier row of the same import inserted with that code.
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
          status: 'suspected', ...row.columns, code: row.code, district_code: row.districtCode, geom: geometry, updated_by: actor,
        } as never).onConflict((conflict) => conflict.column('code').doUpdateSet({ ...row.columns, geom: geometry, updated_by: actor } as never))
          .returning(sql<boolean>`xmax = 0`.as('wasInserted')).executeTakeFirstOrThrow();
        if (wasInserted) inserted++;
        else updated++;
      }
      return { inserted, updated };
    },
  };
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
