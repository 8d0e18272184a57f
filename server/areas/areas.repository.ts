import type pg from 'pg';
import type { CheckAnswer } from '../checks/checks.service.js';

export interface AreaRow {
  id: string;
  name: string;
  district_code: string;
  district_name: string;
  status: string;
  version: number;
  mode: string;
  mode_other: string | null;
  target_land_use: string | null;
  rule_set_id: string;
  rule_set_version: number;
  area_m2: number;
  pass: boolean | null;
  updated_at: Date;
  updated_by: string;
  deleted_at: Date | null;
}

export interface VersionRow {
  version: number;
  name: string;
  status: string;
  mode: string;
  mode_other: string | null;
  target_land_use: string | null;
  input: Record<string, unknown>;
  result: CheckAnswer;
  rule_set_id: string;
  rule_set_version: number;
  area_m2: number;
  pass: boolean | null;
  note: string | null;
  saved_by: string;
  saved_at: Date;
}

export interface AreaContent {
  name: string;
  mode: string;
  modeOther: string | null;
  targetLandUse: string | null;
  note: string | null;
  /** The POST /api/checks body as saved (with the rule-set version used). */
  input: Record<string, unknown>;
  result: CheckAnswer;
  districtCode: string;
}

/** Every check passes: true; one fails: false; a figure missing and none failing: null. */
export function overallPass(result: CheckAnswer): boolean | null {
  if (result.checks.some((check) => check.pass === false)) return false;
  return result.checks.every((check) => check.pass === true) ? true : null;
}

const AREA_COLUMNS = `a.id, a.name, a.district_code, d.name AS district_name, a.status, a.version, a.mode, a.mode_other, a.target_land_use,
  a.rule_set_id, a.rule_set_version, a.area_m2, a.pass, a.updated_at, a.updated_by, a.deleted_at`;

export function createAreasRepository(pool: pg.Pool) {
  async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async function history(client: pg.PoolClient, entry: { id: string | number; action: string; actor: string; requestId: string; before: unknown; after: unknown }) {
    await client.query(
      `INSERT INTO history (entity, entity_id, action, actor, before, after, request_id) VALUES ('areas', $1, $2, $3, $4, $5, $6)`,
      [String(entry.id), entry.action, entry.actor, entry.before === null ? null : JSON.stringify(entry.before), JSON.stringify(entry.after), entry.requestId],
    );
  }

  const summary = (row: { version: number; status: string; name: string; area_m2: number; pass: boolean | null; rule_set_id: string; rule_set_version: number }) =>
    ({ version: row.version, status: row.status, name: row.name, areaM2: row.area_m2, pass: row.pass, ruleSet: `${row.rule_set_id} v${row.rule_set_version}` });

  return {
    /** The district an area belongs to: the one holding most of its land. */
    async districtOf(boundary: object): Promise<{ code: string; name: string } | undefined> {
      const { rows } = await pool.query<{ code: string; name: string }>(
        `WITH b AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4490) AS g)
         SELECT d.code, d.name FROM districts d, b
         WHERE d.level = 'district' AND d.geom && b.g AND ST_Intersects(d.geom, b.g)
         ORDER BY ST_Area(ST_Intersection(d.geom, b.g)) DESC LIMIT 1`, [JSON.stringify(boundary)]);
      return rows[0];
    },

    async find(id: number): Promise<AreaRow | undefined> {
      const { rows } = await pool.query<AreaRow>(`SELECT ${AREA_COLUMNS} FROM areas a JOIN districts d ON d.code = a.district_code WHERE a.id = $1`, [id]);
      return rows[0];
    },

    async version(id: number, version: number): Promise<VersionRow | undefined> {
      const { rows } = await pool.query<VersionRow>('SELECT * FROM area_versions WHERE area_id = $1 AND version = $2', [id, version]);
      return rows[0];
    },

    async versions(id: number): Promise<Omit<VersionRow, 'input' | 'result'>[]> {
      const { rows } = await pool.query<Omit<VersionRow, 'input' | 'result'>>(
        `SELECT version, name, status, mode, mode_other, target_land_use, rule_set_id, rule_set_version, area_m2, pass, note, saved_by, saved_at
         FROM area_versions WHERE area_id = $1 ORDER BY version DESC`, [id]);
      return rows;
    },

    async list(filter: { district?: string; status?: string; page: number; pageSize: number; allowedDistricts: string[] | null }) {
      const where = `a.deleted_at IS NULL
        AND ($1::text IS NULL OR a.district_code = $1 OR d.parent_code = $1)
        AND ($2::text IS NULL OR a.status = $2)
        AND ($3::text[] IS NULL OR a.district_code = ANY($3::text[]))`;
      const values = [filter.district ?? null, filter.status ?? null, filter.allowedDistricts];
      const [{ rows }, { rows: [{ total }] }] = await Promise.all([
        pool.query<AreaRow>(`SELECT ${AREA_COLUMNS} FROM areas a JOIN districts d ON d.code = a.district_code WHERE ${where}
          ORDER BY a.updated_at DESC, a.id DESC LIMIT $4 OFFSET $5`, [...values, filter.pageSize, (filter.page - 1) * filter.pageSize]),
        pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM areas a JOIN districts d ON d.code = a.district_code WHERE ${where}`, values),
      ]);
      return { rows, total };
    },

    async create(content: AreaContent, actor: { name: string; requestId: string }): Promise<number> {
      return await inTransaction(async (client) => {
        const pass = overallPass(content.result);
        const ruleSet = content.result.ruleSet;
        const { rows: [row] } = await client.query<{ id: string }>(
          `INSERT INTO areas (name, district_code, mode, mode_other, target_land_use, rule_set_id, rule_set_version, area_m2, pass, geom, created_by, updated_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($10), 4490)), $11, $11) RETURNING id`,
          [content.name, content.districtCode, content.mode, content.modeOther, content.targetLandUse, ruleSet.id, ruleSet.version,
            content.result.area.m2, pass, JSON.stringify(content.input.boundary), actor.name],
        );
        await client.query(
          `INSERT INTO area_versions (area_id, version, name, status, mode, mode_other, target_land_use, input, result, rule_set_id, rule_set_version, area_m2, pass, geom, note, saved_by)
           VALUES ($1, 1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($12), 4490)), $13, $14)`,
          [row.id, content.name, content.mode, content.modeOther, content.targetLandUse, JSON.stringify(content.input), JSON.stringify(content.result),
            ruleSet.id, ruleSet.version, content.result.area.m2, pass, JSON.stringify(content.input.boundary), content.note, actor.name],
        );
        await history(client, { id: row.id, action: 'insert', actor: actor.name, requestId: actor.requestId, before: null,
          after: summary({ version: 1, status: 'draft', name: content.name, area_m2: content.result.area.m2, pass, rule_set_id: ruleSet.id, rule_set_version: ruleSet.version }) });
        return Number(row.id);
      });
    },

    /** A new version; refused (answers undefined) when someone saved since `baseVersion`. */
    async revise(id: number, baseVersion: number, content: AreaContent, actor: { name: string; requestId: string }, action: 'update' | 'restore' = 'update'): Promise<number | undefined> {
      return await inTransaction(async (client) => {
        const { rows: [current] } = await client.query<AreaRow>(`SELECT ${AREA_COLUMNS} FROM areas a JOIN districts d ON d.code = a.district_code WHERE a.id = $1 FOR UPDATE OF a`, [id]);
        if (!current || current.version !== baseVersion) return undefined;
        const version = current.version + 1;
        const pass = overallPass(content.result);
        const ruleSet = content.result.ruleSet;
        await client.query(
          `UPDATE areas SET name = $2, district_code = $3, mode = $4, mode_other = $5, target_land_use = $6, rule_set_id = $7, rule_set_version = $8,
             area_m2 = $9, pass = $10, geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($11), 4490)), version = $12, updated_by = $13, updated_at = now()
           WHERE id = $1`,
          [id, content.name, content.districtCode, content.mode, content.modeOther, content.targetLandUse, ruleSet.id, ruleSet.version,
            content.result.area.m2, pass, JSON.stringify(content.input.boundary), version, actor.name],
        );
        await client.query(
          `INSERT INTO area_versions (area_id, version, name, status, mode, mode_other, target_land_use, input, result, rule_set_id, rule_set_version, area_m2, pass, geom, note, saved_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($14), 4490)), $15, $16)`,
          [id, version, content.name, current.status, content.mode, content.modeOther, content.targetLandUse, JSON.stringify(content.input), JSON.stringify(content.result),
            ruleSet.id, ruleSet.version, content.result.area.m2, pass, JSON.stringify(content.input.boundary), content.note, actor.name],
        );
        await history(client, { id, action, actor: actor.name, requestId: actor.requestId, before: summary(current),
          after: summary({ version, status: current.status, name: content.name, area_m2: content.result.area.m2, pass, rule_set_id: ruleSet.id, rule_set_version: ruleSet.version }) });
        return version;
      });
    },

    async setStatus(id: number, from: string, to: string, note: string | null, actor: { name: string; requestId: string }): Promise<boolean> {
      return await inTransaction(async (client) => {
        const result = await client.query('UPDATE areas SET status = $3, updated_by = $4, updated_at = now() WHERE id = $1 AND status = $2 AND deleted_at IS NULL', [id, from, to, actor.name]);
        if (result.rowCount !== 1) return false;
        await history(client, { id, action: 'status', actor: actor.name, requestId: actor.requestId, before: { status: from }, after: { status: to, note } });
        return true;
      });
    },

    async softDelete(id: number, actor: { name: string; requestId: string }): Promise<boolean> {
      return await inTransaction(async (client) => {
        const result = await client.query('UPDATE areas SET deleted_at = now(), deleted_by = $2 WHERE id = $1 AND deleted_at IS NULL RETURNING status, version, name', [id, actor.name]);
        if (result.rowCount !== 1) return false;
        await history(client, { id, action: 'delete', actor: actor.name, requestId: actor.requestId, before: result.rows[0], after: { deleted: true } });
        return true;
      });
    },
  };
}
