import { sql } from 'kysely';

/**
 * SQL of the audit log's reader: the names an entry is shown with (the actor's 姓名, what the entry
 * is about) and the search by 宗地编号. Everything reads the `history` row in scope as `history`.
 */

/** Numeric entity ids only: `bulk_load` entries carry '*', failed logins of unknown names the name typed. */
const numericEntityId = sql<boolean>`history.entity_id ~ '^[0-9]{1,18}$'`;

/** The actor's 姓名; null for system actors (seed, system) and for accounts that no longer exist. */
export const actorNameSql = sql<string | null>`(SELECT u.display_name FROM users u WHERE u.username = history.actor)`;

/**
 * What an entry is about, as its readers name it: the 宗地编号 of a parcel (also of a deleted one, from
 * the row the log kept), the name of a district, 成片改造区域 or rule set, the 姓名 of an account (its
 * scopes and logins too). Null when there is no such name (tile cache, imports, survey layers: the
 * client words those from the entry itself).
 */
export const subjectSql = sql<string | null>`CASE history.entity
  WHEN 'parcels' THEN coalesce(history.after->>'code', history.before->>'code',
    CASE WHEN ${numericEntityId} THEN (SELECT p.code FROM parcels p WHERE p.id = history.entity_id::bigint) END)
  WHEN 'districts' THEN coalesce(history.after->>'name', history.before->>'name')
  WHEN 'subdistricts' THEN coalesce(history.after->>'name', history.before->>'name')
  WHEN 'users' THEN coalesce(history.after->>'display_name', history.before->>'display_name')
  WHEN 'user_scopes' THEN (SELECT u.display_name FROM users u WHERE u.id::text = history.entity_id)
  WHEN 'auth' THEN (SELECT u.display_name FROM users u WHERE u.id::text = history.entity_id)
  WHEN 'areas' THEN coalesce(history.after->>'name', history.before->>'name',
    CASE WHEN ${numericEntityId} THEN (SELECT a.name FROM areas a WHERE a.id = history.entity_id::bigint) END)
  WHEN 'rule_sets' THEN coalesce(history.after->>'name', history.before->>'name')
  WHEN 'exports' THEN history.after->>'fileName'
  WHEN 'parcel_documents' THEN concat_ws(' · ',
    (SELECT p.code FROM parcels p WHERE p.id = (coalesce(history.after, history.before)->>'parcel_id')::bigint),
    coalesce(history.after, history.before)->>'file_name')
  WHEN 'parcel_lineage' THEN history.after->>'summary'
  WHEN 'report_submissions' THEN concat_ws(' · ', history.after->>'file_name', history.after->>'period')
END`;

/**
 * Entries of the parcel with this 宗地编号: the parcel's own rows (found through the current code) and
 * rows that carried the code before or after a change, so a deleted or renumbered parcel is found too;
 * and the splits and merges (entity parcel_lineage) it took part in.
 */
export function parcelCodeSql(code: string) {
  return sql<boolean>`((history.entity = 'parcels' AND (
    history.entity_id IN (SELECT p.id::text FROM parcels p WHERE p.code = ${code})
    OR history.after->>'code' = ${code} OR history.before->>'code' = ${code}))
    OR (history.entity = 'parcel_lineage' AND history.entity_id IN (
      SELECT o.id::text FROM parcel_lineage o WHERE ${code} = ANY(o.parent_codes) OR ${code} = ANY(o.child_codes))))`;
}
