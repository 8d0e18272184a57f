import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { ApiError } from '../errors.js';

// TEMPORARY until item 6 (parcels.version, lockVersions, StaleVersionError) lands on main: then
// this file goes and its users take p.version, parcelsRepository.lockVersions and StaleVersionError.

export const VERSION_SQL = sql<number>`1`;

export interface VersionConflict { id: number; code: string | null; yourVersion: number; currentVersion: number | null; fields: { key: string; yours: unknown; theirs: unknown }[] }

export async function lockVersions(transaction: Transaction<Database>, expected: readonly { id: number; version: number }[]): Promise<VersionConflict[]> {
  const ids = expected.map((entry) => entry.id);
  const { rows } = await sql<{ id: number }>`SELECT id FROM parcels WHERE id = ANY(${ids}::bigint[]) ORDER BY id FOR UPDATE`.execute(transaction);
  const found = new Set(rows.map((row) => Number(row.id)));
  return expected.filter((entry) => !found.has(entry.id) || entry.version !== 1)
    .map((entry) => ({ id: entry.id, code: null, yourVersion: entry.version, currentVersion: found.has(entry.id) ? 1 : null, fields: [] }));
}

export class StaleVersionError extends ApiError {
  constructor(conflicts: VersionConflict[]) {
    super(409, 'stale_version', '地块在您读取之后已被他人修改，请刷新后重试。', { conflicts });
  }
}
