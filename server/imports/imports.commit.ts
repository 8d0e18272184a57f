import { sql, type Transaction } from 'kysely';
import { convertValue } from '../../domain/import/field-mapping.js';
import { columnName } from '../../domain/parcel-fields.js';
import type { Principal } from '../auth/principal.js';
import { Scope } from '../auth/scope.js';
import { writeAs } from '../db/actor.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { ApiError } from '../errors.js';
import type { ImportLayerState, ImportRow } from './imports.repository.js';

function sourceFor(layer: ImportLayerState, target: string): string | null {
  const entry = Object.entries(layer.mapping ?? {}).find(([, mapped]) => mapped === target);
  return entry ? entry[0] : null;
}

/**
 * The source attributes as jsonb, built from the field list: `to_jsonb(row)` would first turn the
 * row's geometries into GeoJSON text, the most expensive part of a million-row commit.
 */
function attributesExpression(layer: ImportLayerState) {
  const fields = layer.fields.map((field) => field.name);
  if (fields.length === 0) return sql`'{}'::jsonb`;
  const chunks: ReturnType<typeof sql>[] = [];
  for (let start = 0; start < fields.length; start += 40) {
    const pairs = fields.slice(start, start + 40).flatMap((field) => [sql`${field}::text`, sql`${sql.id('s', field)}`]);
    chunks.push(sql`jsonb_build_object(${sql.join(pairs)})`);
  }
  return sql.join(chunks, sql` || `);
}

const SURVEY_COLUMNS: [column: string, target: string, numeric: boolean][] = [
  ['bsm', 'bsm', false],
  ['land_use_code', 'landUseCode', false],
  ['land_use_name', 'landUseName', false],
  ['owner_unit_name', 'ownerUnitName', false],
  ['located_unit_name', 'locatedUnitName', false],
  ['patch_area_m2', 'patchArea', true],
  ['deduction_area_m2', 'deductionArea', true],
  ['patch_land_area_m2', 'patchLandArea', true],
  ['urban_rural_code', 'urbanRuralCode', false],
];

/** The survey year: the user's, else the most common SJNF of the data. */
async function surveyYear(transaction: Transaction<Database> | DatabaseClient, row: ImportRow, layers: ImportLayerState[]): Promise<number> {
  const given = row.options.year ?? row.year;
  if (given) return given;
  for (const layer of layers) {
    const field = sourceFor(layer, 'dataYear');
    if (!field) continue;
    const { rows } = await sql<{ year: number | null }>`
      SELECT mode() WITHIN GROUP (ORDER BY import_to_numeric(${sql.id(field)}::text))::int AS year
      FROM ${sql.id('staging', layer.stagingTable!)}`.execute(transaction);
    if (rows[0]?.year && rows[0].year >= 1990 && rows[0].year <= 2100) return rows[0].year;
  }
  throw new ApiError(400, 'year_required', '请提供调查年份 (year)：数据中没有可用的 SJNF 字段。', { parameter: 'year' });
}

/** Connections writing one survey layer at once (disjoint fid ranges). */
const COMMIT_WORKERS = 2;

/**
 * A survey layer is written while pending (invisible to tiles and lists) by two connections at
 * once into a table of its own, then attached and made current, superseding the previous layer of
 * its year, in one short transaction: readers see the old layer or the new one, never a part. A
 * failure drops the pending table.
 */
async function commitSurvey(db: DatabaseClient, row: ImportRow, layers: ImportLayerState[], principal: Principal, requestId: string) {
  const year = await surveyYear(db, row, layers);
  const { id: layerId } = await db.insertInto('survey_layers').values({
    year, layer_name: 'DLTB', import_id: row.id, feature_count: 0, source_srid: (row.detected.srid as number | null) ?? null,
    imported_by: principal.username, committed: false,
  }).returning('id').executeTakeFirstOrThrow();
  const partition = sql.id('survey_data', `l${layerId}`);
  try {
    // The layer is built as a plain table (no index maintained row by row), indexed once, then
    // attached to survey_patches in the short transaction that makes it current.
    await sql`CREATE TABLE ${partition} (LIKE survey_patches INCLUDING DEFAULTS)`.execute(db);
    await sql`ALTER TABLE ${partition} ADD CONSTRAINT ${sql.id(`l${layerId}_layer`)} CHECK (layer_id = ${sql.lit(layerId)})`.execute(db);
    let inserted = 0;
    for (const layer of layers) {
      const table = sql.id('staging', layer.stagingTable!);
      const columns = SURVEY_COLUMNS.map(([, target, numeric]) => {
        const field = sourceFor(layer, target);
        if (!field) return sql`NULL`;
        return numeric ? sql`import_to_numeric(${sql.id('s', field)}::text)` : sql`nullif(trim(${sql.id('s', field)}::text), '')`;
      });
      const { rows: [range] } = await sql<{ min: number | null; max: number | null }>`SELECT min(_fid)::float8 AS min, max(_fid)::float8 AS max FROM ${table}`.execute(db);
      if (range.min === null || range.max === null) continue;
      const step = Math.ceil((range.max - range.min + 1) / COMMIT_WORKERS);
      const counts = await Promise.all(Array.from({ length: COMMIT_WORKERS }, async (_, worker) => {
        const from = range.min! + worker * step;
        const result = await sql`
          INSERT INTO ${partition} (layer_id, year, ${sql.raw(SURVEY_COLUMNS.map(([column]) => column).join(', '))}, attributes, geom, geom_3857, area_m2)
          SELECT ${layerId}, ${year}, ${sql.join(columns)}, ${attributesExpression(layer)}, s._fixed, ST_Transform(s._fixed, 3857), s._area_m2
          FROM ${table} s WHERE s._status IN ('valid', 'repaired') AND s._fid >= ${from} AND s._fid < ${from + step}`.execute(db);
        return Number(result.numAffectedRows ?? 0);
      }));
      inserted += counts.reduce((sum, count) => sum + count, 0);
    }
    await Promise.all([
      sql`CREATE INDEX ON ${partition} USING gist (geom_3857)`.execute(db),
      sql`CREATE INDEX ON ${partition} (layer_id)`.execute(db),
      // The low-zoom grid of the layer (tiles below z13), built once: layers never change in place.
      sql`SELECT build_survey_cells(${layerId}::bigint, ${`survey_data.l${layerId}`}::regclass)`.execute(db),
    ]);
    return await writeAs(db, { name: principal.username, requestId }, async (transaction) => {
      const previous = await transaction.selectFrom('survey_layers').select(['id', 'feature_count'])
        .where('year', '=', year).where('layer_name', '=', 'DLTB').where('superseded_at', 'is', null).where('committed', '=', true)
        .forUpdate().executeTakeFirst();
      await sql`SELECT attach_survey_layer(${layerId}::bigint)`.execute(transaction);
      if (previous) await transaction.updateTable('survey_layers').set({ superseded_at: new Date(), superseded_by: layerId }).where('id', '=', previous.id).execute();
      await transaction.updateTable('survey_layers').set({ committed: true, feature_count: inserted }).where('id', '=', layerId).execute();
      await sql`INSERT INTO history (entity, entity_id, action, actor, before, after, request_id)
        VALUES ('survey_layers', ${String(layerId)}, 'import_commit', ${principal.username},
          ${previous ? JSON.stringify({ layerId: previous.id, year, features: previous.feature_count }) : null}::jsonb,
          ${JSON.stringify({ layerId, year, features: inserted, importId: row.id, file: row.file_name })}::jsonb, ${requestId})`.execute(transaction);
      return { kind: 'survey', year, layerId, features: inserted, supersededLayerId: previous?.id ?? null };
    });
  } catch (error) {
    await sql`DROP TABLE IF EXISTS ${partition}`.execute(db).catch(() => undefined);
    await db.deleteFrom('survey_layers').where('id', '=', layerId).where('committed', '=', false).execute().catch(() => undefined);
    throw error;
  }
}

/**
 * Commits a ready import. A survey year becomes a new layer that supersedes the
 * previous layer of that year (kept, never deleted); parcels are inserted or updated by 宗地编号
 * in one transaction,
 * each change recorded by the history trigger, and only inside the importer's districts.
 */
export async function commitImport(db: DatabaseClient, row: ImportRow, principal: Principal, requestId: string): Promise<Record<string, unknown>> {
  const layers = row.layers.filter((layer) => layer.stagingTable && layer.selected);
  if (row.kind === 'survey') return commitSurvey(db, row, layers, principal, requestId);
  const scope = Scope.of(principal);
  return writeAs(db, { name: principal.username, requestId }, async (transaction) => {
    let inserted = 0;
    let updated = 0;
    let outside = 0;
    const problems: { fid: number; message: string }[] = [];
    for (const layer of layers) {
      const table = sql.id('staging', layer.stagingTable!);
      const { rows } = await sql<{ fid: number; attributes: Record<string, unknown>; district_code: string | null; geometry: string }>`
        SELECT s._fid::int AS fid, ${attributesExpression(layer)} AS attributes, d.code AS district_code, ST_AsEWKB(s._fixed) AS geometry
        FROM ${table} s
        LEFT JOIN LATERAL (SELECT code FROM districts WHERE level = 'district' AND ST_Covers(geom, ST_PointOnSurface(s._fixed)) LIMIT 1) d ON true
        WHERE s._status IN ('valid', 'repaired') ORDER BY s._fid`.execute(transaction);
      for (const feature of rows) {
        if (!feature.district_code || !scope.covers(feature.district_code)) {
          outside++;
          problems.push({ fid: feature.fid, message: feature.district_code ? `位于 ${feature.district_code}，不在您的管辖范围内` : '不在任何行政区内' });
          continue;
        }
        const values: Record<string, unknown> = {};
        for (const [source, target] of Object.entries(layer.mapping ?? {})) {
          if (!target) continue;
          const converted = convertValue('parcels', target, feature.attributes[source], layer.units?.[source]);
          if (converted.ok) values[target] = converted.value;
          else problems.push({ fid: feature.fid, message: `${source}: ${converted.message}` });
        }
        const code = typeof values.code === 'string' && values.code.trim() !== '' ? values.code.trim() : `${feature.district_code}-I${row.id.slice(0, 8)}-${feature.fid}`;
        delete values.code;
        const columns: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(values)) columns[columnName(key)] = value;
        const existing = await transaction.selectFrom('parcels').select('id').where('code', '=', code).executeTakeFirst();
        const geometry = sql`ST_Multi(ST_SetSRID(${feature.geometry}::geometry, 4490))`;
        if (existing) {
          await transaction.updateTable('parcels').set({ ...columns, geom: geometry, updated_by: principal.username } as never).where('id', '=', existing.id).execute();
          updated++;
        } else {
          await transaction.insertInto('parcels').values({
            status: 'suspected', ...columns, code, district_code: feature.district_code, geom: geometry, updated_by: principal.username,
          } as never).execute();
          inserted++;
        }
      }
    }
    await sql`INSERT INTO history (entity, entity_id, action, actor, before, after, request_id)
      VALUES ('imports', ${row.id}, 'import_commit', ${principal.username}, NULL,
        ${JSON.stringify({ kind: 'parcels', inserted, updated, skipped: outside, file: row.file_name })}::jsonb, ${requestId})`.execute(transaction);
    return { kind: 'parcels', inserted, updated, skipped: outside, problems: problems.slice(0, 200) };
  });
}
