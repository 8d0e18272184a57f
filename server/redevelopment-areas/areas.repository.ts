import fp from 'fastify-plugin';
import { sql, type Kysely } from 'kysely';
import type { SavedCheckInput } from '../../domain/api/areas.schemas.js';
import type { MultiPolygon } from '../../domain/api/parcels.schemas.js';
import type { CheckAnswer } from '../../domain/api/checks.schemas.js';
import { AREA_REVISE, AREA_REVOKE, areaEditable, type AreaKind, type AreaReviewAction, type AreaStatus } from '../../domain/redevelopment-areas.js';
import { overallPass as checksPass } from '../../domain/rules/rules.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';

export interface AreaContent {
  name: string;
  mode: string;
  modeOther: string | null;
  targetLandUse: string | null;
  /** 区域类型: which rules bind the area. */
  kind: AreaKind;
  note: string | null;
  /** The POST /api/checks body as saved (with the rule-set version used). */
  input: SavedCheckInput;
  result: CheckAnswer;
  districtCode: string;
}

/** Why a revision was not saved: the area was deleted, is no longer editable, or was saved since. */
export type RevisionRefusal =
  | { refused: 'deleted' }
  | { refused: 'status'; status: string }
  | { refused: 'version'; currentVersion: number };

export interface Actor {
  name: string;
  /** The display name shown in the 审批记录. */
  displayName: string;
  requestId: string;
}

/** The check pinned with a 报审 (run when submitted) or a 批准 (the submission's, as reviewed). */
export interface PinnedCheck {
  result: CheckAnswer;
}

/** Every binding check passes: true; one fails: false; a figure missing and none failing: null (rules not binding the area's kind do not count). */
export function overallPass(result: CheckAnswer): boolean | null {
  return checksPass(result.checks);
}

const AREA_COLUMNS = [
  'a.id', 'a.name', 'a.district_code', 'd.name as district_name', 'a.status', 'a.kind', 'a.version', 'a.mode', 'a.mode_other', 'a.target_land_use',
  'a.rule_set_id', 'a.rule_set_version', 'a.area_m2', 'a.pass', 'a.updated_at', 'a.updated_by', 'a.deleted_at', 'a.approved_version', 'a.pinned_review_id',
  'r.action as pinned_action', 'r.area_version as pinned_version', 'r.rule_set_id as pinned_rule_set_id', 'r.rule_set_version as pinned_rule_set_version',
  'r.pass as pinned_pass', 'r.at as pinned_at',
] as const;

const REVIEW_COLUMNS = ['id', 'area_version', 'action', 'from_status', 'to_status', 'note', 'actor', 'actor_name', 'at', 'rule_set_id', 'rule_set_version', 'pass'] as const;

const VERSION_SUMMARY_COLUMNS = [
  'version', 'name', 'status', 'kind', 'mode', 'mode_other', 'target_land_use', 'rule_set_id', 'rule_set_version', 'area_m2', 'pass', 'note', 'saved_by', 'saved_at',
] as const;

/** A GeoJSON boundary as the MultiPolygon (CGCS2000) the tables store. */
const storedGeometry = (boundary: object) => sql<string>`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(boundary)}), 4490))`;

/** Areas with the name of their district and their pinned verdict (the query every read starts from). */
const areasWithDistrict = (db: Kysely<Database>) => db.selectFrom('areas as a').innerJoin('districts as d', 'd.code', 'a.district_code')
  .leftJoin('area_reviews as r', 'r.id', 'a.pinned_review_id');

type Summary = { version: number; status: string; name: string; kind: string; area_m2: number; pass: boolean | null; rule_set_id: string; rule_set_version: number };
const summary = (row: Summary) =>
  ({ version: row.version, status: row.status, name: row.name, kind: row.kind, areaM2: row.area_m2, pass: row.pass, ruleSet: `${row.rule_set_id} v${row.rule_set_version}` });

async function history(db: Kysely<Database>, entry: { id: number; action: 'insert' | 'update' | 'restore' | 'status' | 'delete'; actor: Actor; before: unknown; after: unknown }) {
  await db.insertInto('history').values({
    entity: 'areas', entity_id: String(entry.id), action: entry.action, actor: entry.actor.name, request_id: entry.actor.requestId,
    before: entry.before === null ? null : JSON.stringify(entry.before), after: JSON.stringify(entry.after),
  }).execute();
}

interface ReviewEntry {
  id: number;
  version: number;
  action: AreaReviewAction;
  from: string;
  to: string;
  note: string | null;
  actor: Actor;
  pinned: PinnedCheck | null;
}

/** Appends one entry of the 审批记录; answers its id. */
async function review(db: Kysely<Database>, entry: ReviewEntry): Promise<number> {
  const { result } = entry.pinned ?? { result: null };
  const { id } = await db.insertInto('area_reviews').values({
    area_id: entry.id, area_version: entry.version, action: entry.action, from_status: entry.from, to_status: entry.to, note: entry.note,
    actor: entry.actor.name, actor_name: entry.actor.displayName,
    rule_set_id: result?.ruleSet.id ?? null, rule_set_version: result?.ruleSet.version ?? null, pass: result ? overallPass(result) : null,
    result: result ? JSON.stringify(result) : null,
  }).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** The row of a saved version: what was saved, with the check body and answer. */
function versionValues(id: number, version: number, status: string, content: AreaContent, pass: boolean | null, actor: Actor) {
  const ruleSet = content.result.ruleSet;
  return {
    area_id: id, version, name: content.name, status, kind: content.kind, mode: content.mode, mode_other: content.modeOther, target_land_use: content.targetLandUse,
    input: JSON.stringify(content.input), result: JSON.stringify(content.result), rule_set_id: ruleSet.id, rule_set_version: ruleSet.version,
    area_m2: content.result.area.m2, pass, geom: storedGeometry(content.input.boundary), note: content.note, saved_by: actor.name,
  };
}

export function createAreasRepository(db: DatabaseClient) {
  return {
    /** The district an area belongs to: the one holding most of its land. */
    /**
     * The union of the polygons of a boundary file as one valid MultiPolygon (GeoJSON, 9 decimals),
     * or null when nothing is left: each polygon made valid first, so a surveyor's slightly broken
     * ring does not refuse the whole file.
     */
    async unionOf(polygons: readonly object[]): Promise<MultiPolygon | null> {
      const { rows: [row] } = await sql<{ boundary: MultiPolygon | null }>`
        SELECT ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(ST_CollectionExtract(ST_MakeValid(ST_GeomFromGeoJSON(g)), 3))), 3)), 9)::json AS boundary
        FROM unnest(${polygons.map((geometry) => JSON.stringify(geometry))}::text[]) g`.execute(db);
      return row.boundary;
    },

    async districtOf(boundary: object): Promise<{ code: string; name: string } | undefined> {
      const { rows: [district] } = await sql<{ code: string; name: string }>`
        WITH b AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(boundary)}), 4490) AS g)
        SELECT d.code, d.name FROM districts d, b
        WHERE d.level = 'district' AND d.geom && b.g AND ST_Intersects(d.geom, b.g)
        ORDER BY ST_Area(ST_Intersection(d.geom, b.g)) DESC LIMIT 1`.execute(db);
      return district;
    },

    async find(id: number) {
      return await areasWithDistrict(db).select(AREA_COLUMNS).where('a.id', '=', id).executeTakeFirst();
    },

    async version(id: number, version: number) {
      return await db.selectFrom('area_versions').selectAll().where('area_id', '=', id).where('version', '=', version).executeTakeFirst();
    },

    /** Every version of an area, newest first, without its check body and answer. */
    async versions(id: number) {
      return await db.selectFrom('area_versions').select(VERSION_SUMMARY_COLUMNS).where('area_id', '=', id).orderBy('version', 'desc').execute();
    },

    /** The 审批记录 of an area, oldest first, without the pinned answers. */
    async reviews(id: number) {
      return await db.selectFrom('area_reviews').select(REVIEW_COLUMNS).where('area_id', '=', id).orderBy('id').execute();
    },

    /** The verdict pinned for a version: its latest 批准, else its latest 报审 (undefined: never submitted). */
    async pinnedOf(id: number, version: number) {
      return await db.selectFrom('area_reviews').select([...REVIEW_COLUMNS, 'result']).where('area_id', '=', id).where('area_version', '=', version)
        .where('action', 'in', ['submit', 'approve']).orderBy(sql`action = 'approve'`, 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    },

    /** One review with its pinned answer. */
    async review(reviewId: number) {
      return await db.selectFrom('area_reviews').select([...REVIEW_COLUMNS, 'result']).where('id', '=', reviewId).executeTakeFirst();
    },

    /** Areas in the reader's scope, newest change first; `district` may be a city (its districts). */
    async list(filter: { district?: string; status?: string; page: number; pageSize: number }, scope: Scope) {
      let query = areasWithDistrict(db).where('a.deleted_at', 'is', null).where(scope.sqlCovers('a.district_code'));
      const district = filter.district;
      if (district) query = query.where((where) => where.or([where('a.district_code', '=', district), where('d.parent_code', '=', district)]));
      if (filter.status) query = query.where('a.status', '=', filter.status);
      const [rows, { total }] = await Promise.all([
        query.select(AREA_COLUMNS).orderBy('a.updated_at', 'desc').orderBy('a.id', 'desc').limit(filter.pageSize).offset((filter.page - 1) * filter.pageSize).execute(),
        query.select((select) => select.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(total) };
    },

    async create(content: AreaContent, actor: Actor): Promise<number> {
      return await db.transaction().execute(async (transaction) => {
        const pass = overallPass(content.result);
        const ruleSet = content.result.ruleSet;
        const { id } = await transaction.insertInto('areas').values({
          name: content.name, district_code: content.districtCode, kind: content.kind, mode: content.mode, mode_other: content.modeOther, target_land_use: content.targetLandUse,
          rule_set_id: ruleSet.id, rule_set_version: ruleSet.version, area_m2: content.result.area.m2, pass,
          geom: storedGeometry(content.input.boundary), created_by: actor.name, updated_by: actor.name,
        }).returning('id').executeTakeFirstOrThrow();
        await transaction.insertInto('area_versions').values(versionValues(id, 1, 'draft', content, pass, actor)).execute();
        await history(transaction, { id, action: 'insert', actor, before: null,
          after: summary({ version: 1, status: 'draft', name: content.name, kind: content.kind, area_m2: content.result.area.m2, pass, rule_set_id: ruleSet.id, rule_set_version: ruleSet.version }) });
        return id;
      });
    },

    /**
     * A new version, decided under the row's lock: refused when the area was deleted, left 草案 or
     * 退回 (报审 meanwhile: the edit loses), or someone saved since `baseVersion`.
     */
    async revise(id: number, baseVersion: number, content: AreaContent, actor: Actor, action: 'update' | 'restore' = 'update'): Promise<{ version: number } | RevisionRefusal> {
      return await db.transaction().execute(async (transaction) => {
        const current = await areasWithDistrict(transaction).select(AREA_COLUMNS).where('a.id', '=', id).forUpdate('a').executeTakeFirst();
        if (!current || current.deleted_at) return { refused: 'deleted' as const };
        if (!areaEditable(current.status as AreaStatus)) return { refused: 'status' as const, status: current.status };
        if (current.version !== baseVersion) return { refused: 'version' as const, currentVersion: current.version };
        const version = current.version + 1;
        const pass = overallPass(content.result);
        const ruleSet = content.result.ruleSet;
        await transaction.updateTable('areas').set({
          name: content.name, district_code: content.districtCode, kind: content.kind, mode: content.mode, mode_other: content.modeOther, target_land_use: content.targetLandUse,
          rule_set_id: ruleSet.id, rule_set_version: ruleSet.version, area_m2: content.result.area.m2, pass,
          geom: storedGeometry(content.input.boundary), version, updated_by: actor.name, updated_at: sql`now()`,
        }).where('id', '=', id).execute();
        await transaction.insertInto('area_versions').values(versionValues(id, version, current.status, content, pass, actor)).execute();
        await history(transaction, { id, action, actor, before: summary(current),
          after: summary({ version, status: current.status, name: content.name, kind: content.kind, area_m2: content.result.area.m2, pass, rule_set_id: ruleSet.id, rule_set_version: ruleSet.version }) });
        return { version };
      });
    },

    /**
     * Moves version `version` of an area from `from` to `to` and records it in the 审批记录; false
     * when its status changed or a new version was saved meanwhile (what is submitted or decided is
     * the version the caller saw). A 报审 pins `pinned` (the check run for it); a 批准 pins the
     * submission's check as the official reviewed it (the version's saved answer for an area
     * submitted before reviews were kept).
     */
    async setStatus(id: number, version: number, from: string, to: AreaStatus, action: AreaReviewAction, note: string | null, pinned: PinnedCheck | null, actor: Actor): Promise<boolean> {
      return await db.transaction().execute(async (transaction) => {
        const current = await transaction.selectFrom('areas').select(['pinned_review_id', 'approved_version']).where('id', '=', id)
          .where('version', '=', version).where('status', '=', from).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
        if (!current) return false;
        let check = pinned;
        if (action === 'approve') {
          const submission = current.pinned_review_id === null ? undefined
            : await transaction.selectFrom('area_reviews').select('result').where('id', '=', current.pinned_review_id).executeTakeFirst();
          const saved = await transaction.selectFrom('area_versions').select('result').where('area_id', '=', id).where('version', '=', version).executeTakeFirstOrThrow();
          check = { result: submission?.result ?? saved.result };
        }
        const reviewId = await review(transaction, { id, version, action, from, to, note, actor, pinned: check });
        const keepsPin = action === 'submit' || action === 'approve';
        await transaction.updateTable('areas').set({
          status: to, updated_by: actor.name, updated_at: sql`now()`, pinned_review_id: keepsPin ? reviewId : null,
          approved_version: action === 'approve' ? version : current.approved_version,
        }).where('id', '=', id).execute();
        await history(transaction, { id, action: 'status', actor, before: { status: from }, after: { status: to, note, review: action } });
        return true;
      });
    },

    /** 撤销批准: back to 退回 with the reason, the approval and its pinned verdict kept in the 审批记录. */
    async revoke(id: number, version: number, reason: string, actor: Actor): Promise<boolean> {
      return await db.transaction().execute(async (transaction) => {
        const result = await transaction.updateTable('areas')
          .set({ status: AREA_REVOKE.to, pinned_review_id: null, approved_version: null, updated_by: actor.name, updated_at: sql`now()` })
          .where('id', '=', id).where('version', '=', version).where('status', '=', AREA_REVOKE.from).where('deleted_at', 'is', null).executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) return false;
        await review(transaction, { id, version, action: 'revoke', from: AREA_REVOKE.from, to: AREA_REVOKE.to, note: reason, actor, pinned: null });
        await history(transaction, { id, action: 'status', actor, before: { status: AREA_REVOKE.from }, after: { status: AREA_REVOKE.to, note: reason, review: 'revoke' } });
        return true;
      });
    },

    /**
     * 开始修订: the approved version copied as a new 草案 version (its saved check with it); the
     * approved version and its pinned verdict stay, and the area keeps it as `approved_version`
     * until a newer version is approved. False when the area changed meanwhile.
     */
    async reviseApproved(id: number, baseVersion: number, note: string | null, actor: Actor): Promise<boolean> {
      return await db.transaction().execute(async (transaction) => {
        const current = await areasWithDistrict(transaction).select(AREA_COLUMNS).where('a.id', '=', id).forUpdate('a').executeTakeFirst();
        if (!current || current.deleted_at || current.status !== AREA_REVISE.from || current.version !== baseVersion) return false;
        const version = baseVersion + 1;
        await sql`
          INSERT INTO area_versions (area_id, version, name, status, kind, mode, mode_other, target_land_use, input, result, rule_set_id, rule_set_version, area_m2, pass, geom, note, saved_by)
          SELECT area_id, ${version}, name, ${AREA_REVISE.to}, kind, mode, mode_other, target_land_use, input, result, rule_set_id, rule_set_version, area_m2, pass, geom,
            ${note ?? `修订已批准的第 ${baseVersion} 版`}, ${actor.name}
          FROM area_versions WHERE area_id = ${id} AND version = ${baseVersion}`.execute(transaction);
        await transaction.updateTable('areas').set({ status: AREA_REVISE.to, version, pinned_review_id: null, updated_by: actor.name, updated_at: sql`now()` })
          .where('id', '=', id).execute();
        await review(transaction, { id, version: baseVersion, action: 'revise', from: AREA_REVISE.from, to: AREA_REVISE.to, note, actor, pinned: null });
        await history(transaction, { id, action: 'update', actor, before: summary(current), after: { ...summary(current), version, status: AREA_REVISE.to } });
        return true;
      });
    },

    /** Deletes softly (the row stays, with its versions and history); false when submitted, approved or deleted meanwhile. */
    async softDelete(id: number, actor: Actor): Promise<boolean> {
      return await db.transaction().execute(async (transaction) => {
        const deleted = await transaction.updateTable('areas').set({ deleted_at: sql`now()`, deleted_by: actor.name })
          .where('id', '=', id).where('deleted_at', 'is', null).where('status', 'in', ['draft', 'returned']).where('approved_version', 'is', null).returning(['status', 'version', 'name']).executeTakeFirst();
        if (!deleted) return false;
        await history(transaction, { id, action: 'delete', actor, before: deleted, after: { deleted: true } });
        return true;
      });
    },
  };
}

export type AreasRepository = ReturnType<typeof createAreasRepository>;
export type AreaRow = NonNullable<Awaited<ReturnType<AreasRepository['find']>>>;
export type AreaVersionRow = NonNullable<Awaited<ReturnType<AreasRepository['version']>>>;
export type AreaReviewRow = Awaited<ReturnType<AreasRepository['reviews']>>[number];
export type PinnedReviewRow = NonNullable<Awaited<ReturnType<AreasRepository['pinnedOf']>>>;

declare module 'fastify' {
  interface FastifyInstance {
    areasRepository: AreasRepository;
  }
}

/** The areas repository, built once per app. */
export const areasRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('areasRepository', createAreasRepository(app.db));
}, { name: 'areas-repository', dependencies: ['database'] });
