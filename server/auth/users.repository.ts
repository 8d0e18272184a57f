import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Role } from '../../domain/permissions.js';
import type { DatabaseClient } from '../db/database.js';
import type { Principal } from './principal.js';

export const SESSION_COOKIE = 'biaotu_session';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface UserSummary {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  scopes: { code: string; name: string }[];
  disabled: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export function createUsersRepository(db: DatabaseClient) {
  async function scopesOf(userIds: number[]): Promise<Map<number, { code: string; name: string }[]>> {
    const map = new Map<number, { code: string; name: string }[]>();
    if (userIds.length === 0) return map;
    const rows = await db.selectFrom('user_scopes as s').innerJoin('districts as d', 'd.code', 's.district_code')
      .select(['s.user_id', 'd.code', 'd.name']).where('s.user_id', 'in', userIds).orderBy('d.code').execute();
    for (const row of rows) map.set(row.user_id, [...(map.get(row.user_id) ?? []), { code: row.code, name: row.name }]);
    return map;
  }

  return {
    async findByUsername(username: string) {
      return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    },

    async findById(id: number) {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async count(): Promise<number> {
      const row = await db.selectFrom('users').select((select) => select.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async principal(userId: number): Promise<Principal | undefined> {
      const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
      if (!user) return undefined;
      const scopes = (await scopesOf([userId])).get(userId) ?? [];
      const codes = scopes.map((scope) => scope.code);
      const { rows } = await sql<{ code: string; in_scope: boolean }>`
        SELECT code, (code = ANY(${codes}::text[]) OR parent_code = ANY(${codes}::text[])) AS in_scope
        FROM districts WHERE level = 'district'`.execute(db);
      const allowedDistricts = rows.filter((row) => row.in_scope).map((row) => row.code);
      return {
        id: user.id,
        username: user.username,
        displayName: user.display_name,
        role: user.role as Role,
        mustChangePassword: user.must_change_password,
        scopes,
        allowedDistricts,
        unrestricted: rows.length > 0 && allowedDistricts.length === rows.length,
      };
    },

    async list(): Promise<UserSummary[]> {
      const users = await db.selectFrom('users').selectAll().orderBy('id').execute();
      const scopes = await scopesOf(users.map((user) => user.id));
      return users.map((user) => ({
        id: user.id,
        username: user.username,
        displayName: user.display_name,
        role: user.role as Role,
        scopes: scopes.get(user.id) ?? [],
        disabled: user.disabled,
        mustChangePassword: user.must_change_password,
        lockedUntil: user.locked_until && user.locked_until > new Date() ? user.locked_until.toISOString() : null,
        lastLoginAt: user.last_login_at?.toISOString() ?? null,
        createdAt: user.created_at.toISOString(),
      }));
    },

    async summary(id: number): Promise<UserSummary | undefined> {
      return (await this.list()).find((user) => user.id === id);
    },

    /** Counts a failed login; locks the account for `lockMinutes` after `maxFailures` in a row. */
    async recordFailure(userId: number, maxFailures: number, lockMinutes: number): Promise<{ locked: boolean; lockedUntil: Date | null }> {
      const { rows: [row] } = await sql<{ failed_attempts: number; locked_until: Date | null }>`
        UPDATE users SET failed_attempts = failed_attempts + 1,
          locked_until = CASE WHEN failed_attempts + 1 >= ${maxFailures} THEN now() + make_interval(mins => ${lockMinutes}) ELSE locked_until END
        WHERE id = ${userId} RETURNING failed_attempts, locked_until`.execute(db);
      return { locked: row.failed_attempts >= maxFailures, lockedUntil: row.locked_until };
    },

    async recordSuccess(userId: number): Promise<void> {
      await db.updateTable('users').set({ failed_attempts: 0, locked_until: null, last_login_at: new Date() }).where('id', '=', userId).execute();
    },

    async createSession(userId: number, hours: number, ip: string | null, userAgent: string | null): Promise<{ token: string; csrfToken: string }> {
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      await db.insertInto('sessions').values({
        token_hash: hashToken(token),
        user_id: userId,
        csrf_token: csrfToken,
        expires_at: new Date(Date.now() + hours * 3600_000),
        ip,
        user_agent: userAgent?.slice(0, 300) ?? null,
      }).execute();
      return { token, csrfToken };
    },

    async findSession(token: string) {
      return db.selectFrom('sessions as s').innerJoin('users as u', 'u.id', 's.user_id')
        .select(['s.token_hash', 's.user_id', 's.csrf_token', 's.last_seen_at', 's.expires_at', 'u.disabled'])
        .where('s.token_hash', '=', hashToken(token)).where('s.expires_at', '>', new Date())
        .executeTakeFirst();
    },

    /** Sliding expiry, written at most once a minute per session. */
    async touchSession(tokenHash: string, hours: number): Promise<void> {
      await db.updateTable('sessions').set({ last_seen_at: new Date(), expires_at: new Date(Date.now() + hours * 3600_000) })
        .where('token_hash', '=', tokenHash).where('last_seen_at', '<', new Date(Date.now() - 60_000)).execute();
    },

    async deleteSession(tokenHash: string): Promise<void> {
      await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    },

    async deleteSessionsOf(userId: number, exceptTokenHash?: string): Promise<void> {
      let query = db.deleteFrom('sessions').where('user_id', '=', userId);
      if (exceptTokenHash) query = query.where('token_hash', '<>', exceptTokenHash);
      await query.execute();
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
