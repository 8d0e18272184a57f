import { sql, type RawBuilder, type Transaction } from 'kysely';
import pg from 'pg';
import type { ImportLayer, ImportOutsideDecision, ImportPhase, ImportStatus } from '../../domain/api/imports.schemas.js';
import { coordinatesGcj02ToWgs84, type Coordinates } from '../../domain/gcj02.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { areaMismatchNote, attributesExpression, attributesLateral, EXTENT_OF, extentScopeCtes, IMPORT_CHECK_FAST_PATH, preparedBatchSql, scopeShare, SOME_OUTSIDE, stagedNumber, type StagedTypes, STAGED_AREA, STAGED_GEOMETRY, STAGED_KEPT, STAGED_STATUS, SURVEY_COLUMNS, surveyColumnValues } from './imports.sql.js';

export type { ImportStatus, ImportPhase };

export interface ImportRow {
  id: string;
  kind: 'survey' | 'parcels';
  year: number | null;
  file_name: string;
  file_size: number;
  status: ImportStatus;
  phase: ImportPhase;
  progress: number;
  detected: Record<string, unknown>;
  layers: ImportLayerState[];
  options: ImportOptions;
  report: Record<string, unknown>;
  needs: Record<string, unknown> | null;
  error: { reason: string; message: string } | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  committed_at: Date | null;
  /** The history mark when the importer reviewed the parcels (validation): later changes make the commit stale. */
  parcels_read_up_to: string | null;
}

export interface ImportOptions {
  /** The importer's districts when the upload was made (null: every district), for the preview's extent check. */
  scope?: string[] | null;
  srid?: number;
  encoding?: string;
  layers?: string[];
  year?: number;
  mapping?: Record<string, string | null>;
}

/** One layer of an import: the public `ImportLayer` plus where its file and its staging table are. */
export type ImportLayerState = ImportLayer & { source: string; stagingTable: string | null };

type Executor = DatabaseClient | Transaction<Database>;

/** A staged feature as the parcel commit reads it: source attributes as jsonb, district by point on surface. */
export interface StagedParcelFeature {
  fid: number;
  attributes: Record<string, unknown>;
  district_code: string | null;
  geometry: Uint8Array;
}

/**
 * The advisory lock a commit holds for its whole duration (session level, two-key form so it
 * never meets the one-key locks of migrations and rule sets): first key this namespace, second
 * `hashtext(import id)`. A process that dies mid-commit loses its connection and with it the lock,
 * so "committing without a holder" means a dead commit.
 */
export const IMPORT_COMMIT_LOCK = 0x494d5054;

const stagingTable = (table: string) => sql.id('staging', table);
/**
 * The prepared survey layer of a staging table: the survey_patches-shaped table validation fills
 * with the layer's kept features (area, EPSG:3857, mapped columns, attributes), which the commit
 * moves into `survey_data` as the layer's partition instead of copying a million rows again.
 */
const preparedTable = (table: string) => sql.id('staging', `${table}_l`);
/**
 * The finest grid cells (level 18) of a prepared survey layer, one row per batch and cell: summed
 * into the layer's survey_cells once validation has filled it, instead of reading a million
 * geometries again. Dropped when the commit's decision on the extent changed the layer (the commit
 * then builds the grid from the layer).
 */
const preparedCellsTable = (table: string) => sql.id('staging', `${table}_c`);

/** What a prepared survey layer was built for: the layer id it is allocated and the year written into it. */
export interface PreparedSurveyLayer {
  layerId: number;
  year: number | null;
}
const surveyPartition = (layerId: number) => sql.id('survey_data', `l${layerId}`);

/** Staged column types (format_type) of integers of at most 32 bits. */
const SMALL_INTEGER_TYPES: ReadonlySet<string> = new Set(['smallint', 'integer']);

/**
 * What each batch of a staged layer converts before its check: the EPSG code of the coordinates
 * GDAL wrote as they were (null: GDAL converted them), and the text fields it read byte for
 * character with the encoding to decode them from (null: GDAL decoded them).
 */
export interface BatchConversion {
  srid: number | null;
  decode: { encoding: string; fields: readonly string[] } | null;
}

/**
 * PROJ refusing a coordinate, as PostGIS reports it: an internal error (XX000) or a data exception
 * (22…); or a byte an encoding cannot decode (22021, 22P05).
 */
function isDataRefusal(error: unknown): boolean {
  return error instanceof pg.DatabaseError && (error.code === 'XX000' || (error.code?.startsWith('22') ?? false));
}

/**
 * The `imports` rows, the `staging` tables GDAL loads, and the survey layers an import writes: the
 * only code of the pipeline that talks SQL. Staging tables are named by the pipeline, never by a
 * user, and reach SQL as identifiers.
 */
export function createImportsRepository(db: DatabaseClient) {
  /** The column types of staging tables, read once per table (a table GDAL writes again has the same source, so the same types). */
  const types = new Map<string, StagedTypes>();
  async function stagedTypes(table: string): Promise<StagedTypes> {
    let known = types.get(table);
    if (!known) {
      const { rows } = await sql<{ name: string; type: string }>`
        SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = ${`staging.${table}`}::regclass AND attnum > 0 AND NOT attisdropped`.execute(db);
      known = new Map(rows.map((row) => [row.name, row.type]));
      types.set(table, known);
    }
    return known;
  }

  /** A survey layer's GiST index, in a transaction of its own with more maintenance_work_mem: GiST sorts a million boxes in memory. */
  async function buildGist(statement: RawBuilder<unknown>): Promise<void> {
    await db.transaction().execute(async (transaction) => {
      await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(transaction);
      await statement.execute(transaction);
    });
  }

  return {
    async insert(row: { id: string; kind: string; year: number | null; fileName: string; createdBy: string; options: ImportOptions }): Promise<void> {
      await sql`INSERT INTO imports (id, kind, year, file_name, status, phase, options, created_by)
        VALUES (${row.id}, ${row.kind}, ${row.year}, ${row.fileName}, 'processing', 'upload', ${JSON.stringify(row.options)}::jsonb, ${row.createdBy})`.execute(db);
    },

    /** Whether a live commit of this import holds its lock (taken and at once released when free). */
    async commitLockHeld(id: string): Promise<boolean> {
      const { rows: [row] } = await sql<{ held: boolean }>`
        SELECT CASE WHEN pg_try_advisory_lock(${IMPORT_COMMIT_LOCK}, hashtext(${id})) THEN NOT pg_advisory_unlock(${IMPORT_COMMIT_LOCK}, hashtext(${id})) ELSE true END AS held`.execute(db);
      return row.held;
    },

    /** Marks a `committing` import failed, only if it still is (the caller holds its commit lock). */
    async failIfCommitting(id: string, error: { reason: string; message: string }): Promise<boolean> {
      const result = await db.updateTable('imports').set({ status: 'failed', error: JSON.stringify(error), updated_at: new Date() } as never)
        .where('id', '=', id).where('status', '=', 'committing').executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async find(id: string): Promise<ImportRow | undefined> {
      const { rows } = await sql<ImportRow>`SELECT * FROM imports WHERE id = ${id}`.execute(db);
      return rows[0];
    },

    /** The 50 newest imports, of one user (null: of everyone). */
    async list(createdBy: string | null): Promise<ImportRow[]> {
      const { rows } = await sql<ImportRow>`SELECT * FROM imports
        WHERE ${createdBy === null ? sql`true` : sql`created_by = ${createdBy}`}
        ORDER BY created_at DESC LIMIT 50`.execute(db);
      return rows;
    },

    async update(id: string, changes: Partial<Pick<ImportRow, 'status' | 'phase' | 'progress' | 'detected' | 'layers' | 'options' | 'report' | 'needs' | 'error' | 'file_size' | 'year' | 'committed_at' | 'parcels_read_up_to'>>): Promise<void> {
      const set: Record<string, unknown> = { updated_at: new Date() };
      for (const [key, value] of Object.entries(changes)) {
        set[key] = ['detected', 'layers', 'options', 'report', 'needs', 'error'].includes(key) && value !== null ? JSON.stringify(value) : value;
      }
      await db.updateTable('imports').set(set).where('id', '=', id).execute();
    },

    /** Imports of these statuses silent since `before` (cut off by a restart, or left waiting). */
    async idleSince(statuses: ImportStatus[], before: Date): Promise<string[]> {
      const rows = await db.selectFrom('imports').select('id').where('status', 'in', statuses).where('updated_at', '<', before).execute();
      return rows.map((row) => row.id);
    },

    /** Which of these names are ids of imports (folder names of the import directory). */
    async idsAmong(names: readonly string[]): Promise<string[]> {
      const ids = names.filter((name) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(name));
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('imports').select('id').where('id', 'in', ids).execute();
      return rows.map((row) => row.id);
    },

    async dropStaging(tables: readonly string[]): Promise<void> {
      for (const table of tables) {
        await this.dropPreparedSurveyLayer(table);
        await sql`DROP TABLE IF EXISTS ${stagingTable(table)}`.execute(db);
        types.delete(table);
      }
    },

    /**
     * Drops the prepared survey layer of a staging table (the commit then copies from staging), with
     * its grid sums and the grid validation built for its layer id (never a grid of a layer that
     * exists: once moved into place the prepared layer is no longer in staging).
     */
    async dropPreparedSurveyLayer(table: string): Promise<void> {
      const prepared = await this.preparedSurveyLayer(table);
      if (prepared) await sql`DELETE FROM survey_cells WHERE layer_id = ${prepared.layerId} AND NOT EXISTS (SELECT FROM survey_layers WHERE id = ${prepared.layerId})`.execute(db);
      await sql`DROP TABLE IF EXISTS ${preparedCellsTable(table)}, ${preparedTable(table)}`.execute(db);
    },

    /**
     * A prepared survey layer for a staging table: survey_patches' shape, its layer id allocated
     * now (so rows carry it and the partition's CHECK needs no scan at commit) and the year when
     * known (the commit rewrites it in the rare case it differs). Logged: it becomes the layer.
     */
    async createPreparedSurveyLayer(table: string, year: number | null): Promise<PreparedSurveyLayer> {
      const { rows: [{ id }] } = await sql<{ id: string }>`SELECT nextval('survey_layers_id_seq') AS id`.execute(db);
      const layerId = Number(id);
      const prepared = preparedTable(table);
      await sql`DROP TABLE IF EXISTS ${preparedCellsTable(table)}, ${prepared}`.execute(db);
      await sql`CREATE UNLOGGED TABLE ${preparedCellsTable(table)} (cx integer NOT NULL, cy integer NOT NULL, class text NOT NULL, patches integer NOT NULL, area_m2 double precision NOT NULL)`.execute(db);
      await sql`CREATE TABLE ${prepared} (LIKE survey_patches INCLUDING DEFAULTS)`.execute(db);
      await sql`ALTER TABLE ${prepared} ADD CONSTRAINT ${sql.id(`l${layerId}_layer`)} CHECK (layer_id = ${sql.lit(layerId)})`.execute(db);
      await sql`COMMENT ON TABLE ${prepared} IS ${sql.lit(JSON.stringify({ layerId, year }))}`.execute(db);
      return { layerId, year };
    },

    /** The prepared survey layer of a staging table, when validation built one (see createPreparedSurveyLayer). */
    async preparedSurveyLayer(table: string): Promise<PreparedSurveyLayer | null> {
      const { rows: [row] } = await sql<{ note: string | null }>`SELECT obj_description(to_regclass(${`staging.${table}_l`}), 'pg_class') AS note`.execute(db);
      return row?.note ? JSON.parse(row.note) as PreparedSurveyLayer : null;
    },

    /**
     * Validates the features \`from\` ≤ fid < \`to\` of a staged survey layer and writes its kept
     * ones into the prepared layer, in one statement (PREPARED_BATCH_SQL): the geometry check (as
     * validateBatch), the extent against the importer's scope (as checkExtent), each kept feature's
     * ellipsoidal area computed once for the extent, the layer row and the TBMJ comparison (as
     * flagAreaMismatch), and the batch's share of the layer's finest grid cells. A feature wholly
     * outside the scope is not written (a commit always leaves it out: 跳过 and 裁剪 alike); one
     * partly outside keeps the id of its layer row (\`_patch_id\`), so the commit can cut it there,
     * or leave it out. Answers how many differ from TBMJ.
     */
    async validateIntoPrepared(table: string, layer: ImportLayerState, prepared: PreparedSurveyLayer, options: { districts: readonly string[] | null; areaField: string | null }, from: number, to: number): Promise<number> {
      const { rows: [result] } = await preparedBatchSql({
        staged: stagingTable(table), prepared: preparedTable(table), cells: preparedCellsTable(table), layerId: prepared.layerId, year: prepared.year ?? 0,
        mapping: layer.mapping ?? {}, fields: layer.fields.map((field) => field.name), types: await stagedTypes(table), districts: options.districts, areaField: options.areaField, from, to,
      }).execute(db);
      return result.mismatches;
    },

    /**
     * Brings a prepared survey layer in line with the importer's decision on the features outside
     * their scope (applyOutsideDecision): those left out are deleted from it, those cut get the cut
     * geometry, its area and EPSG:3857; and the year when the commit's differs from the one written.
     */
    async settlePreparedSurveyLayer(table: string, year: number, prepared: PreparedSurveyLayer): Promise<void> {
      const staged = stagingTable(table);
      const target = preparedTable(table);
      const { rows: [changed] } = await sql<{ excluded: number; clipped: number }>`
        SELECT count(*) FILTER (WHERE _excluded)::int AS excluded, count(*) FILTER (WHERE _clipped IS NOT NULL AND _excluded IS NOT TRUE)::int AS clipped
        FROM ${staged} WHERE _patch_id IS NOT NULL`.execute(db);
      if (changed.excluded > 0) await sql`DELETE FROM ${target} WHERE id IN (SELECT _patch_id FROM ${staged} WHERE _patch_id IS NOT NULL AND _excluded)`.execute(db);
      if (changed.clipped > 0) {
        await sql`UPDATE ${target} p SET geom = s._clipped, geom_3857 = ST_Transform(s._clipped, 3857), area_m2 = ST_Area(s._clipped::geography)
          FROM ${staged} s WHERE s._patch_id = p.id AND s._clipped IS NOT NULL AND s._excluded IS NOT TRUE`.execute(db);
      }
      // The level-18 sums no longer match a layer the decision changed: the commit builds the grid from the layer.
      if (changed.excluded > 0 || changed.clipped > 0) await sql`DROP TABLE IF EXISTS ${preparedCellsTable(table)}`.execute(db);
      if (prepared.year !== year) {
        // Every row rewritten: cheaper without the index, built again at commit.
        await sql`DROP INDEX IF EXISTS ${sql.id('staging', `${table}_l_gist`)}`.execute(db);
        await sql`UPDATE ${target} SET year = ${year}`.execute(db);
      }
    },

    /** The validation columns of a staged layer and its fid range (null when it is empty). */
    async prepareValidation(table: string): Promise<{ min: number; max: number } | null> {
      await sql`ALTER TABLE ${stagingTable(table)} ADD COLUMN IF NOT EXISTS _status text, ADD COLUMN IF NOT EXISTS _messages text[], ADD COLUMN IF NOT EXISTS _area_m2 double precision, ADD COLUMN IF NOT EXISTS _fixed geometry(MultiPolygon, 4490),
        ADD COLUMN IF NOT EXISTS _extent text, ADD COLUMN IF NOT EXISTS _outside_city boolean, ADD COLUMN IF NOT EXISTS _excluded boolean, ADD COLUMN IF NOT EXISTS _clipped geometry(MultiPolygon, 4490), ADD COLUMN IF NOT EXISTS _patch_id bigint`.execute(db);
      return this.fidRange(table);
    },

    /**
     * The fids of a staged table that GDAL has committed so far (null while the table is not there
     * or holds none): read through its primary key while GDAL is still loading.
     */
    async committedFidRange(table: string): Promise<{ min: number; max: number } | null> {
      try {
        return await this.fidRange(table);
      } catch (error) {
        // GDAL has not created the table yet (undefined_table): nothing committed.
        if (error instanceof pg.DatabaseError && error.code === '42P01') return null;
        throw error;
      }
    },

    async fidRange(table: string): Promise<{ min: number; max: number } | null> {
      const { rows: [range] } = await sql<{ min: number | null; max: number | null }>`SELECT min(_fid)::float8 AS min, max(_fid)::float8 AS max FROM ${stagingTable(table)}`.execute(db);
      return range.min === null || range.max === null ? null : { min: range.min, max: range.max };
    },

    /**
     * Converts the features \`from\` ≤ fid < \`to\` of a staged layer as GDAL left them, in one
     * statement: coordinates written in CGCS2000 Gauss-Kruger (\`srid\`, see databaseReprojection)
     * to EPSG:4490, text read byte for character (\`decode\`, see databaseDecoding) decoded from its
     * encoding. When PROJ or the decoding refuses one of them, value by value: a feature PROJ cannot
     * convert is left as it was (the check then rejects it: its coordinates are no degrees), a byte
     * the encoding cannot decode is left out, as GDAL does (import_decode_lenient).
     */
    async convertBatch(table: string, conversion: BatchConversion, from: number, to: number): Promise<void> {
      if (conversion.srid === null && !conversion.decode?.fields.length) return;
      const staged = stagingTable(table);
      const inRange = sql`_fid >= ${from} AND _fid < ${to}`;
      const assignments = (lenient: boolean) => sql.join([
        ...(conversion.srid === null ? [] : [lenient
          ? sql`_geom = import_transform_or_keep(_geom, ${conversion.srid}::integer)`
          : sql`_geom = ST_Transform(ST_SetSRID(_geom, ${conversion.srid}::integer), 4490)`]),
        ...(conversion.decode === null ? [] : conversion.decode.fields.map((field) => lenient
          ? sql`${sql.id(field)} = import_decode_lenient(${sql.id(field)}::text, ${conversion.decode!.encoding})`
          : sql`${sql.id(field)} = convert_from(convert_to(${sql.id(field)}::text, 'LATIN1'), ${conversion.decode!.encoding})`)),
      ]);
      try {
        await sql`UPDATE ${staged} SET ${assignments(false)} WHERE ${inRange}`.execute(db);
      } catch (error) {
        if (!isDataRefusal(error)) throw error;
        await sql`UPDATE ${staged} SET ${assignments(true)} WHERE ${inRange}`.execute(db);
      }
    },

    /**
     * Checks the features `from` ≤ fid < `to`: the great majority pass a set-based fast path (in
     * range, valid, no repeated vertices) and are left as they are (`_status` NULL: valid, see
     * STAGED_STATUS); only the others go through import_check_geometry(), which repairs them with
     * ST_MakeValid or rejects them, with the reasons in `_messages`.
     */
    async validateBatch(table: string, from: number, to: number): Promise<void> {
      const staged = stagingTable(table);
      await sql`UPDATE ${staged} s SET _status = c.status, _messages = c.messages, _fixed = c.fixed,
          _area_m2 = CASE WHEN c.fixed IS NULL THEN NULL ELSE ST_Area(c.fixed::geography) END
        FROM (SELECT _fid, (import_check_geometry(_geom)).* FROM ${staged}
              WHERE _fid >= ${from} AND _fid < ${to} AND NOT coalesce(${IMPORT_CHECK_FAST_PATH}, false)) c
        WHERE s._fid = c._fid`.execute(db);
    },

    /** Notes every feature whose ellipsoidal area differs from its TBMJ by more than 0.5 %; answers how many. */
    async flagAreaMismatch(table: string, areaField: string): Promise<number> {
      const declared = stagedNumber(areaField, await stagedTypes(table));
      const { rows: [mismatch] } = await sql<{ count: number }>`
        WITH flagged AS (
          UPDATE ${stagingTable(table)} s SET _messages = coalesce(s._messages, ARRAY[]::text[]) || ${areaMismatchNote(sql`a.area`, declared)}
          FROM (SELECT _fid, ${STAGED_AREA} AS area FROM ${stagingTable(table)} s WHERE ${declared} > 0 AND ${declared} < 1e15) a
          WHERE s._fid = a._fid AND a.area IS NOT NULL AND abs(a.area - ${declared}::float8) / ${declared}::float8 > 0.005
          RETURNING 1)
        SELECT count(*)::int AS count FROM flagged`.execute(db);
      return mismatch.count;
    },

    /**
     * Notes every feature with a number past its maximum in one of these fields (its value is left
     * out on commit), in one pass over the layer; answers how many features.
     */
    async flagTooLarge(table: string, checks: readonly { field: string; label: string; maximum: number }[]): Promise<number> {
      const staged = await stagedTypes(table);
      // A 16- or 32-bit integer column holds no value past a maximum of 2³¹ or more (TBMJ as the
      // DBF's N(9), say): the table is not read for it (0.8 s on a million 图斑).
      const possible = checks.filter((check) => !(SMALL_INTEGER_TYPES.has(staged.get(check.field) ?? '') && check.maximum >= 2 ** 31));
      if (possible.length === 0) return 0;
      const over = (check: { field: string; maximum: number }) => sql<boolean>`abs(${stagedNumber(check.field, staged)}) > ${check.maximum}`;
      const notes = sql.join(possible.map((check) => sql`CASE WHEN ${over(check)} THEN format('%s「%s」超过上限 %s，无法存储，提交时该值留空：请核对数值和单位', ${check.label}::text, trim(${sql.id('s', check.field)}::text), ${check.maximum}::numeric) END`));
      const { rows: [flagged] } = await sql<{ count: number }>`
        WITH flagged AS (
          UPDATE ${stagingTable(table)} s SET _messages = coalesce(s._messages, ARRAY[]::text[]) || array_remove(ARRAY[${notes}], NULL)
          WHERE ${sql.join(possible.map(over), sql` OR `)}
          RETURNING 1)
        SELECT count(*)::int AS count FROM flagged`.execute(db);
      return flagged.count;
    },

    /** The source attributes of every staged feature, in fid order (parcel layers: their values are checked before commit). */
    async stagedAttributes(layer: ImportLayerState): Promise<{ fid: number; attributes: Record<string, unknown> }[]> {
      const { rows } = await sql<{ fid: number; attributes: Record<string, unknown> }>`
        SELECT s._fid::int AS fid, ${attributesExpression(layer.fields.map((field) => field.name))} AS attributes
        FROM ${stagingTable(layer.stagingTable!)} s ORDER BY s._fid`.execute(db);
      return rows;
    },

    /** Adds a note to features (one message per fid), as validation notes them. */
    async noteFeatures(table: string, notes: readonly { fid: number; message: string }[]): Promise<void> {
      if (notes.length === 0) return;
      await sql`UPDATE ${stagingTable(table)} s SET _messages = coalesce(s._messages, ARRAY[]::text[]) || n.message
        FROM unnest(${notes.map((note) => note.fid)}::int[], ${notes.map((note) => note.message)}::text[]) AS n(fid, message)
        WHERE s._fid = n.fid`.execute(db);
    },

    async statusCounts(table: string): Promise<{ status: string; count: number }[]> {
      const { rows } = await sql<{ status: string; count: number }>`SELECT ${STAGED_STATUS} AS status, count(*)::int AS count FROM ${stagingTable(table)} s GROUP BY 1`.execute(db);
      return rows;
    },

    /** The first 200 features repaired, rejected or carrying a note, with their BSM when the layer has one. */
    async samples(table: string, bsmField: string | null) {
      const { rows } = await sql<{ fid: number; status: 'valid' | 'repaired' | 'rejected' | null; messages: string[] | null; bsm: string | null }>`
        SELECT _fid::int AS fid, ${STAGED_STATUS} AS status, coalesce(_messages, ARRAY[]::text[]) AS messages, ${bsmField ? sql`${sql.id('s', bsmField)}::text` : sql`NULL::text`} AS bsm
        FROM ${stagingTable(table)} s WHERE ${STAGED_STATUS} <> 'valid' OR coalesce(cardinality(_messages), 0) > 0
        -- \`_fid + 0\`: one pass over the table and a top-200 sort, not the whole table read in fid
        -- order through its index when (as usual) few rows qualify: 1.4 s → 0.2 s on a million.
        ORDER BY _fid + 0 LIMIT 200`.execute(db);
      return rows;
    },

    /** A page of staged features as GeoJSON (EPSG:4326) with decoded attributes, area, status and messages. */
    async features(table: string, query: { status?: string; page: number; pageSize: number }) {
      const staged = stagingTable(table);
      const where = query.status ? sql`${STAGED_STATUS} = ${query.status}` : sql`true`;
      const { rows } = await sql<{ feature: Record<string, unknown> }>`
        SELECT json_build_object(
          'type', 'Feature', 'id', s._fid,
          'geometry', ST_AsGeoJSON(coalesce(s._fixed, CASE WHEN ST_IsValid(s._geom) IS NOT NULL THEN s._geom END), 8)::json,
          'properties', (to_jsonb(s) - '_geom' - '_fid' - '_fixed' - '_status' - '_messages' - '_area_m2' - '_extent' - '_outside_city' - '_excluded' - '_clipped' - '_patch_id') || jsonb_build_object(
            'area_m2', round((${STAGED_AREA})::numeric, 2), 'status', ${STAGED_STATUS}, 'messages', coalesce(s._messages, ARRAY[]::text[]), 'extent', to_jsonb(s)->'_extent')
        ) AS feature
        FROM ${staged} s WHERE ${where}
        ORDER BY s._fid LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`.execute(db);
      const { rows: [{ total }] } = await sql<{ total: number }>`SELECT count(*)::int AS total FROM ${staged} s WHERE ${where}`.execute(db);
      return { total, features: rows.map((row) => row.feature) };
    },

    /**
     * Converts every vertex of a staged layer GCJ-02 → WGS84 (`domain/gcj02.ts`), in batches of
     * 5 000 features: GDAL read the file as WGS84 degrees, GCJ-02 being no CRS it knows.
     */
    async convertGcj02(table: string): Promise<void> {
      const staged = stagingTable(table);
      for (let after = -1; ;) {
        const { rows } = await sql<{ fid: number; geometry: string | null }>`
          SELECT _fid::int AS fid, ST_AsGeoJSON(_geom, 12) AS geometry FROM ${staged} WHERE _fid > ${after} ORDER BY _fid LIMIT 5000`.execute(db);
        if (rows.length === 0) return;
        after = rows[rows.length - 1].fid;
        const converted = rows.filter((row) => row.geometry !== null).map((row) => {
          const geometry = JSON.parse(row.geometry!) as { type: string; coordinates: Coordinates };
          return { fid: row.fid, geometry: JSON.stringify({ ...geometry, coordinates: coordinatesGcj02ToWgs84(geometry.coordinates) }) };
        });
        if (converted.length === 0) continue;
        await sql`UPDATE ${staged} s SET _geom = ST_SetSRID(ST_GeomFromGeoJSON(c.geometry), 4490)
          FROM unnest(${converted.map((row) => row.fid)}::int[], ${converted.map((row) => row.geometry)}::text[]) AS c(fid, geometry)
          WHERE s._fid = c.fid`.execute(db);
      }
    },

    /**
     * Where the kept features of a staged layer lie against the importer's 管辖范围 (`districts`;
     * null: the whole city) and the city: `_extent` set to 'partly' (more than 0.5 % of its area
     * outside the scope, and more than 1 m²) or 'outside' (less than 0.5 % inside), NULL inside;
     * `_outside_city` when it does not meet the city at all. Only the exceptions are written.
     */
    async checkExtent(table: string, districts: readonly string[] | null): Promise<void> {
      const staged = stagingTable(table);
      // Checked again (a committer of another scope): what an earlier check found is undone first.
      await sql`UPDATE ${staged} SET _extent = NULL, _outside_city = NULL WHERE _extent IS NOT NULL`.execute(db);
      await sql`
        WITH ${extentScopeCtes(districts)},
        candidates AS MATERIALIZED (
          SELECT s._fid, ${STAGED_GEOMETRY} AS geom, ST_Area(${STAGED_GEOMETRY}::geography) AS area
          FROM ${staged} s, scope WHERE ${STAGED_KEPT} AND (scope.g IS NULL OR NOT ST_Covers(scope.g, ${STAGED_GEOMETRY}))),
        shares AS MATERIALIZED (SELECT c._fid, c.geom, c.area, ${scopeShare(sql`c.geom`)} AS inside FROM candidates c, scope)
        UPDATE ${staged} s SET
          _extent = ${EXTENT_OF(sql`shares.area`, sql`shares.inside`)},
          _outside_city = city.g IS NULL OR NOT ST_Intersects(city.g, shares.geom)
        FROM shares, city
        WHERE s._fid = shares._fid AND ${SOME_OUTSIDE(sql`shares.area`, sql`shares.inside`)}`.execute(db);
    },

    /** Counts of a staged layer's features by extent (see checkExtent), and its first 20 outside, named. */
    async extentSummary(table: string, nameField: string | null): Promise<{ partly: number; outside: number; outsideCity: number; features: { fid: number; name: string; extent: 'partly' | 'outside'; district: string | null }[] }> {
      const staged = stagingTable(table);
      const { rows: [counts] } = await sql<{ partly: number; outside: number; outside_city: number }>`
        SELECT count(*) FILTER (WHERE _extent = 'partly')::int AS partly, count(*) FILTER (WHERE _extent = 'outside')::int AS outside,
          count(*) FILTER (WHERE _outside_city)::int AS outside_city
        FROM ${staged} s WHERE _extent IS NOT NULL`.execute(db);
      const name = nameField ? sql`coalesce(nullif(trim(${sql.id('s', nameField)}::text), ''), '要素 #' || s._fid)` : sql`'要素 #' || s._fid`;
      const { rows } = await sql<{ fid: number; name: string; extent: 'partly' | 'outside'; district: string | null }>`
        SELECT s._fid::int AS fid, ${name} AS name, s._extent AS extent, d.name AS district
        FROM ${staged} s
        LEFT JOIN LATERAL (SELECT name FROM districts WHERE level = 'district' AND ST_Covers(geom, ST_PointOnSurface(${STAGED_GEOMETRY})) LIMIT 1) d ON true
        WHERE s._extent IS NOT NULL ORDER BY (s._extent = 'outside'), s._fid LIMIT 20`.execute(db);
      return { partly: counts.partly, outside: counts.outside, outsideCity: counts.outside_city, features: rows };
    },

    /**
     * Applies the importer's decision on the features outside their scope before a commit: those
     * entirely outside are left out (as every commit leaves them out, STAGED_KEPT does: the report
     * counted them, they are not rewritten), and with 'clip' those partly outside are cut to the
     * scope (`_clipped`; a cut that leaves nothing is left out, `_excluded`). An earlier clip is
     * undone first, so a commit retried with another decision starts clean: a clip marks the
     * table's `_clipped` column (its comment), and only a marked table is read to undo it.
     * Answers how many partly-outside features were left out and how many cut.
     */
    async applyOutsideDecision(table: string, decision: ImportOutsideDecision | null, districts: readonly string[] | null): Promise<{ left: number; clipped: number }> {
      const staged = stagingTable(table);
      const { rows: [mark] } = await sql<{ note: string | null }>`
        SELECT col_description(attrelid, attnum) AS note FROM pg_attribute WHERE attrelid = ${`staging.${table}`}::regclass AND attname = '_clipped'`.execute(db);
      if (mark?.note) {
        await sql`UPDATE ${staged} SET _excluded = NULL, _clipped = NULL WHERE _excluded IS NOT NULL OR _clipped IS NOT NULL`.execute(db);
        await sql`COMMENT ON COLUMN ${sql.id('staging', table, '_clipped')} IS NULL`.execute(db);
      }
      if (decision !== 'clip') return { left: 0, clipped: 0 };
      await sql`COMMENT ON COLUMN ${sql.id('staging', table, '_clipped')} IS 'set by a clip decision (applyOutsideDecision)'`.execute(db);
      const inScope = districts === null ? sql`true` : sql`code = ANY(${[...districts]}::text[])`;
      const clipped = await sql`
        WITH scope AS MATERIALIZED (SELECT ST_Union(geom) AS g FROM districts WHERE level = 'district' AND ${inScope})
        UPDATE ${staged} s SET _clipped = ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(scope.g, coalesce(s._fixed, s._geom))), 3))
        FROM scope WHERE s._extent = 'partly'`.execute(db);
      // A cut that leaves no area (a sliver) is left out.
      const empty = await sql`UPDATE ${staged} SET _excluded = true WHERE _clipped IS NOT NULL AND (ST_IsEmpty(_clipped) OR ST_Area(_clipped) = 0)`.execute(db);
      return { left: Number(empty.numAffectedRows ?? 0), clipped: Number(clipped.numAffectedRows ?? 0) - Number(empty.numAffectedRows ?? 0) };
    },

    /**
     * Staged features that look like a district or a parcel already in the database (of about the
     * same area, centroids within 1.5 km): both centroids, [lon, lat], for up to 200 of the first
     * 2 000 kept features. A steady offset between them tells data in another datum (GCJ-02).
     */
    async referencePairs(table: string): Promise<{ fx: number; fy: number; rx: number; ry: number }[]> {
      const { rows } = await sql<{ fx: number; fy: number; rx: number; ry: number }>`
        WITH f AS (SELECT ${STAGED_GEOMETRY} AS g, ST_Area(${STAGED_GEOMETRY}) AS a FROM ${stagingTable(table)} s WHERE ${STAGED_KEPT} ORDER BY s._fid LIMIT 2000)
        SELECT ST_X(ST_Centroid(f.g)) AS fx, ST_Y(ST_Centroid(f.g)) AS fy, ST_X(r.c) AS rx, ST_Y(r.c) AS ry
        FROM f CROSS JOIN LATERAL (
          SELECT ST_Centroid(ref.geom) AS c FROM (
            SELECT geom FROM districts WHERE level = 'district' AND geom && ST_Expand(f.g, 0.02)
            UNION ALL SELECT geom FROM parcels WHERE geom && ST_Expand(f.g, 0.02)) ref
          WHERE ST_Area(ref.geom) BETWEEN 0.8 * f.a AND 1.25 * f.a AND ST_DWithin(ST_Centroid(ref.geom)::geography, ST_Centroid(f.g)::geography, 1500)
          ORDER BY ST_Centroid(ref.geom) <-> ST_Centroid(f.g) LIMIT 1) r
        WHERE f.a > 0 LIMIT 200`.execute(db);
      return rows;
    },

    /** The names of a 管辖范围 (null: the whole city) and of the city, for messages. */
    async scopeLabels(districts: readonly string[] | null): Promise<{ scope: string; city: string }> {
      const { rows: [city] } = await sql<{ name: string | null }>`SELECT name FROM districts WHERE level = 'city' ORDER BY code LIMIT 1`.execute(db);
      const cityName = city?.name ?? '本市';
      if (districts === null) return { scope: cityName, city: cityName };
      const names = await this.districtNames(districts);
      return { scope: districts.map((code) => names.get(code) ?? code).join('、') || '（无）', city: cityName };
    },

    /** The most common value of a year field (SJNF) of a staged layer. */
    async commonYear(table: string, field: string): Promise<number | null> {
      const { rows } = await sql<{ year: number | null }>`
        SELECT mode() WITHIN GROUP (ORDER BY import_to_numeric(${sql.id(field)}::text))::int AS year
        FROM ${stagingTable(table)}`.execute(db);
      return rows[0]?.year ?? null;
    },

    /** The districts (区县) the valid features of staged layers lie in, by point on surface; null code = in none. */
    async stagedDistricts(tables: readonly string[]): Promise<{ code: string | null; name: string | null }[]> {
      if (tables.length === 0) return [];
      const staged = sql.join(tables.map((table) => sql`SELECT ${STAGED_GEOMETRY} AS geom FROM ${stagingTable(table)} s WHERE ${STAGED_KEPT}`), sql` UNION ALL `);
      const { rows } = await sql<{ code: string | null; name: string | null }>`
        SELECT DISTINCT d.code, d.name FROM (${staged}) s
        LEFT JOIN LATERAL (SELECT code, name FROM districts WHERE level = 'district' AND ST_Covers(geom, ST_PointOnSurface(s.geom)) LIMIT 1) d ON true
        ORDER BY d.code`.execute(db);
      return rows;
    },

    /**
     * What a commit of staged layers would write (valid or repaired, not left out), in one pass:
     * how many features, and their bounding box ([west, south, east, north], null when none).
     */
    async kept(tables: readonly string[]): Promise<{ count: number; bbox: [number, number, number, number] | null }> {
      if (tables.length === 0) return { count: 0, bbox: null };
      const staged = sql.join(tables.map((table) => sql`SELECT ${STAGED_GEOMETRY} AS geom FROM ${stagingTable(table)} s WHERE ${STAGED_KEPT}`), sql` UNION ALL `);
      const { rows: [box] } = await sql<{ count: number; xmin: number | null; ymin: number; xmax: number; ymax: number }>`
        SELECT count, ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax
        FROM (SELECT count(*)::int AS count, ST_Extent(geom) AS e FROM (${staged}) k) x`.execute(db);
      return { count: box.count, bbox: box.xmin === null ? null : [box.xmin, box.ymin, box.xmax, box.ymax] };
    },

    /** The valid features of a staged parcel layer, in fid order, with their district. */
    async stagedParcelFeatures(executor: Executor, layer: ImportLayerState): Promise<StagedParcelFeature[]> {
      const { rows } = await sql<StagedParcelFeature>`
        SELECT s._fid::int AS fid, ${attributesExpression(layer.fields.map((field) => field.name))} AS attributes, d.code AS district_code, ST_AsEWKB(${STAGED_GEOMETRY}) AS geometry
        FROM ${stagingTable(layer.stagingTable!)} s
        LEFT JOIN LATERAL (SELECT code FROM districts WHERE level = 'district' AND ST_Covers(geom, ST_PointOnSurface(${STAGED_GEOMETRY})) LIMIT 1) d ON true
        WHERE ${STAGED_KEPT} ORDER BY s._fid`.execute(executor);
      return rows;
    },

    /** Names of districts by code (for messages). */
    async districtNames(codes: readonly string[]): Promise<Map<string, string>> {
      if (codes.length === 0) return new Map();
      const rows = await db.selectFrom('districts').select(['code', 'name']).where('code', 'in', [...codes]).execute();
      return new Map(rows.map((row) => [row.code, row.name]));
    },

    async recordImportCommit(transaction: Transaction<Database>, entry: { entity: string; entityId: string; actor: string; before: unknown; after: unknown; requestId: string }): Promise<void> {
      await sql`INSERT INTO history (entity, entity_id, action, actor, before, after, request_id)
        VALUES (${entry.entity}, ${entry.entityId}, 'import_commit', ${entry.actor},
          ${entry.before === null ? null : JSON.stringify(entry.before)}::jsonb, ${JSON.stringify(entry.after)}::jsonb, ${entry.requestId})`.execute(transaction);
    },

    /**
     * A pending survey layer (invisible to tiles and lists) and its own table, not yet attached:
     * a new empty table, or the prepared layer of \`prepared.table\`, moved into survey_data under
     * the id it was allocated.
     */
    async createPendingSurveyLayer(layer: { year: number; importId: string; sourceSrid: number | null; importedBy: string }, prepared?: { table: string; layerId: number }): Promise<number> {
      const { id } = await db.insertInto('survey_layers').values({
        ...(prepared ? { id: prepared.layerId } : {}),
        year: layer.year, layer_name: 'DLTB', import_id: layer.importId, feature_count: 0, source_srid: layer.sourceSrid,
        imported_by: layer.importedBy, committed: false,
      } as never).returning('id').executeTakeFirstOrThrow();
      if (prepared) {
        await sql`ALTER TABLE ${preparedTable(prepared.table)} SET SCHEMA survey_data`.execute(db);
        await sql`ALTER TABLE ${sql.id('survey_data', `${prepared.table}_l`)} RENAME TO ${sql.id(`l${id}`)}`.execute(db);
        await sql`COMMENT ON TABLE ${surveyPartition(id)} IS NULL`.execute(db);
        return id;
      }
      // A plain table (no index maintained row by row), indexed once, attached when made current.
      await sql`CREATE TABLE ${surveyPartition(id)} (LIKE survey_patches INCLUDING DEFAULTS)`.execute(db);
      await sql`ALTER TABLE ${surveyPartition(id)} ADD CONSTRAINT ${sql.id(`l${id}_layer`)} CHECK (layer_id = ${sql.lit(id)})`.execute(db);
      return id;
    },

    /** Copies the valid features `from` ≤ fid < `to` of a staged layer into a pending survey layer. */
    async copyIntoSurveyLayer(layerId: number, year: number, layer: ImportLayerState, from: number, to: number): Promise<number> {
      const result = await sql`
        INSERT INTO ${surveyPartition(layerId)} (layer_id, year, ${sql.raw(SURVEY_COLUMNS.map(([column]) => column).join(', '))}, attributes, geom, geom_3857, area_m2)
        SELECT ${layerId}, ${year}, ${surveyColumnValues(layer.mapping ?? {}, { types: await stagedTypes(layer.stagingTable!) })}, ${attributesExpression(layer.fields.map((field) => field.name))}, ${STAGED_GEOMETRY}, ST_Transform(${STAGED_GEOMETRY}, 3857), ${STAGED_AREA}
        FROM ${stagingTable(layer.stagingTable!)} s WHERE ${STAGED_KEPT} AND s._fid >= ${from} AND s._fid < ${to}`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },

    /**
     * What a prepared survey layer needs once validation has filled it, built beside the report's
     * scans so that the commit only attaches it: its GiST index, and its survey grid, from the
     * level-18 sums of its batches, under the layer id it is allocated (invisible until a layer of
     * that id is current). A commit that changes the layer (the outside decision, another year)
     * builds them again (indexSurveyLayer).
     */
    async finishPreparedSurveyLayer(table: string, prepared: PreparedSurveyLayer): Promise<void> {
      await Promise.all([
        buildGist(sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${table}_l_gist`)} ON ${preparedTable(table)} USING gist (geom_3857)`),
        sql`SELECT build_survey_cells_from(${prepared.layerId}::bigint, ${`staging.${table}_c`}::regclass)`.execute(db),
      ]);
    },

    /**
     * The GiST index of a filled pending layer and its low-zoom grid (tiles below z13), unless
     * validation built them for its prepared layer (finishPreparedSurveyLayer; \`prepared\`: the
     * staging table it came from, whose grid sums are dropped when the commit changed the layer),
     * built once (layers never change in place) and before the layer is attached: the index matches
     * survey_patches' own, so attaching builds nothing inside its transaction.
     */
    async indexSurveyLayer(layerId: number, options: { prepared?: string } = {}): Promise<void> {
      const partition = surveyPartition(layerId);
      const { rows: [state] } = await sql<{ gist: boolean; grid: boolean }>`
        SELECT EXISTS (SELECT FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
                       WHERE i.indrelid = ${`survey_data.l${layerId}`}::regclass AND a.amname = 'gist') AS gist,
          to_regclass(${options.prepared ? `staging.${options.prepared}_c` : null}) IS NOT NULL AS grid`.execute(db);
      await Promise.all([
        state.gist ? Promise.resolve() : buildGist(sql`CREATE INDEX ON ${partition} USING gist (geom_3857)`),
        state.grid ? Promise.resolve() : sql`SELECT build_survey_cells(${layerId}::bigint, ${`survey_data.l${layerId}`}::regclass)`.execute(db),
      ]);
    },

    /** The current committed layer of a year, locked until the transaction ends. */
    async currentSurveyLayer(transaction: Transaction<Database>, year: number) {
      return transaction.selectFrom('survey_layers').select(['id', 'feature_count'])
        .where('year', '=', year).where('layer_name', '=', 'DLTB').where('superseded_at', 'is', null).where('committed', '=', true)
        .forUpdate().executeTakeFirst();
    },

    /** The current committed layer of a year (outside a transaction, to check before writing). */
    async currentSurveyLayerId(year: number): Promise<number | null> {
      const row = await db.selectFrom('survey_layers').select('id')
        .where('year', '=', year).where('layer_name', '=', 'DLTB').where('superseded_at', 'is', null).where('committed', '=', true)
        .executeTakeFirst();
      return row?.id ?? null;
    },

    /** Attaches a filled layer to survey_patches and makes it current, superseding `previous`. */
    async makeSurveyLayerCurrent(transaction: Transaction<Database>, layerId: number, features: number, previous: number | null): Promise<void> {
      await sql`SELECT attach_survey_layer(${layerId}::bigint)`.execute(transaction);
      if (previous !== null) await transaction.updateTable('survey_layers').set({ superseded_at: new Date(), superseded_by: layerId }).where('id', '=', previous).execute();
      await transaction.updateTable('survey_layers').set({ committed: true, feature_count: features }).where('id', '=', layerId).execute();
    },

    /** Removes a pending layer (its table and its row); never a committed one. */
    async dropPendingSurveyLayer(layerId: number): Promise<void> {
      await sql`DROP TABLE IF EXISTS ${surveyPartition(layerId)}`.execute(db);
      await db.deleteFrom('survey_layers').where('id', '=', layerId).where('committed', '=', false).execute();
    },

    /** Pending layers an import left behind (its commit died before attaching them). */
    async pendingSurveyLayersOf(importId: string): Promise<number[]> {
      const rows = await db.selectFrom('survey_layers').select('id').where('committed', '=', false).where('import_id', '=', importId).execute();
      return rows.map((row) => row.id);
    },

    /** Pending layers silent since `before` (their import was cut off). */
    async pendingSurveyLayers(before: Date): Promise<number[]> {
      const rows = await db.selectFrom('survey_layers').select('id').where('committed', '=', false).where('imported_at', '<', before).execute();
      return rows.map((row) => row.id);
    },
  };
}

export type ImportsRepository = ReturnType<typeof createImportsRepository>;

/**
 * Runs `work` holding the commit lock of an import on a connection of its own (not the pool's:
 * the lock must outlive every transaction of the commit, and an idle pooled connection has no
 * error listener). Answers `{ held: false }` at once when another session holds the lock.
 */
export async function withCommitLock<T>(databaseUrl: string, id: string, work: () => Promise<T>): Promise<{ held: false } | { held: true; value: T }> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'biaotu-import-commit' });
  // A connection lost while the commit runs: the commit's own queries fail; this one must not crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows: [lock] } = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS got', [IMPORT_COMMIT_LOCK, id]);
    if (!lock.got) return { held: false };
    return { held: true, value: await work() };
  } finally {
    await client.end().catch(() => undefined);
  }
}
