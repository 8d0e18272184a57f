import { createHash, randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import { sql, type Transaction } from 'kysely';
import type { AdminUser } from '../../domain/api/users.schemas.js';
import type { DepartmentCode } from '../../domain/departments.js';
import type { Role } from '../../domain/permissions.js';
import { authEvent, recordEvent } from '../admin/audit.repository.js';
import type { AppInstance } from '../app-instance.js';
import { writeAs, type Actor } from '../db/actor.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { Principal } from './principal.js';
import type { CachedSession } from './session-cache.js';

export const SESSION_COOKIE = 'biaotu_session';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export type UserSummary = AdminUser;

/**
 * The codes a user was given, with their names: districts and cities (user_scopes), then 园区 and
 * 街道/镇 (user_units) named with their district, e.g. 火炬园区（湖里区）. `u` is the user.
 */
const SCOPES_OF_USER = sql`coalesce((SELECT json_agg(json_build_object('code', g.code, 'name', g.name) ORDER BY g.code) FROM (
    SELECT d.code, d.name FROM user_scopes us JOIN districts d ON d.code = us.district_code WHERE us.user_id = u.id
    UNION ALL
    SELECT s.code, s.name || '（' || d.name || '）' FROM user_units uu JOIN subdistricts s ON s.code = uu.subdistrict_code
      JOIN districts d ON d.code = s.district_code WHERE uu.user_id = u.id) g), '[]')`;

/** A new account: its password already hashed, its scope as district or city codes. */
export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  mustChangePassword: boolean;
  /** District or city codes (6 digits), 园区 or 街道/镇 codes (9 digits). */
  scopes: readonly string[];
  /** For a 会审部门 account. */
  department?: DepartmentCode | null;
  /** For a 用地单位 account: its own parcels. */
  parcelIds?: readonly number[];
}

/** A login attempt as lockouts count it: the name as typed (lower-case) and the client address. */
export interface LoginAttempt {
  username: string;
  address: string;
}

export interface LoginFailure {
  /** Failures of the name from the address, this one included. */
  failures: number;
  /** Set while logins of the name from the address are refused. */
  lockedUntil: Date | null;
  /** This failure set the lock. */
  lockedNow: boolean;
}

/** What an administrator changes on an account; `unlock` clears failed logins and lockouts from every address. */
export interface AccountChange {
  displayName?: string;
  role?: Role;
  disabled?: boolean;
  /** A new password set by an administrator: it must be changed at the next login. */
  passwordHash?: string;
  unlock?: boolean;
  scopes?: readonly string[];
  department?: DepartmentCode | null;
  parcelIds?: readonly number[];
}

interface PrincipalRow {
  id: number;
  username: string;
  display_name: string;
  role: string;
  must_change_password: boolean;
  scopes: { code: string; name: string }[];
  allowed_districts: string[];
  district_count: number;
  units: string[];
  department: string | null;
  enterprise_parcel_ids: string[];
}

/**
 * A user with its scope resolved to districts (a city code covers its districts; a 园区 or 街道/镇
 * gives its district and narrows writes to itself), its department and its own parcels, as columns of `u`.
 */
const PRINCIPAL_COLUMNS = sql`
  u.id, u.username, u.display_name, u.role, u.must_change_password, u.department,
  ${SCOPES_OF_USER} AS scopes,
  coalesce((SELECT array_agg(d.code ORDER BY d.code) FROM districts d
            WHERE d.level = 'district' AND (EXISTS (
              SELECT 1 FROM user_scopes us WHERE us.user_id = u.id AND us.district_code IN (d.code, d.parent_code))
              OR EXISTS (SELECT 1 FROM user_units uu JOIN subdistricts s ON s.code = uu.subdistrict_code
                         WHERE uu.user_id = u.id AND s.district_code = d.code))), '{}') AS allowed_districts,
  (SELECT count(*)::int FROM districts WHERE level = 'district') AS district_count,
  coalesce((SELECT array_agg(uu.subdistrict_code ORDER BY uu.subdistrict_code) FROM user_units uu WHERE uu.user_id = u.id), '{}') AS units,
  coalesce((SELECT array_agg(ep.parcel_id ORDER BY ep.parcel_id) FROM enterprise_parcels ep WHERE ep.user_id = u.id), '{}') AS enterprise_parcel_ids`;

function toPrincipal(row: PrincipalRow): Principal {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    mustChangePassword: row.must_change_password,
    scopes: row.scopes,
    allowedDistricts: row.allowed_districts,
    // A user narrowed to 园区/街道 is never unrestricted: its writes are filtered by unit.
    unrestricted: row.units.length === 0 && row.district_count > 0 && row.allowed_districts.length === row.district_count,
    units: row.units,
    department: row.department as DepartmentCode | null,
    enterpriseParcelIds: row.enterprise_parcel_ids.map(Number),
  };
}

/** Writes a user's scope (districts and cities, 园区 and 街道/镇) and parcels as the difference to what it has, so history holds each real change. */
async function writeAccountLinks(transaction: Transaction<Database>, userId: number, links: { scopes?: readonly string[]; parcelIds?: readonly number[] }): Promise<void> {
  if (links.scopes) {
    const codes = [...new Set(links.scopes)];
    const districts = codes.filter((code) => code.length !== 9);
    const units = codes.filter((code) => code.length === 9);
    const haveDistricts = (await transaction.selectFrom('user_scopes').select('district_code').where('user_id', '=', userId).execute()).map((row) => row.district_code);
    const haveUnits = (await transaction.selectFrom('user_units').select('subdistrict_code').where('user_id', '=', userId).execute()).map((row) => row.subdistrict_code);
    const goneDistricts = haveDistricts.filter((code) => !districts.includes(code));
    const goneUnits = haveUnits.filter((code) => !units.includes(code));
    if (goneDistricts.length > 0) await transaction.deleteFrom('user_scopes').where('user_id', '=', userId).where('district_code', 'in', goneDistricts).execute();
    if (goneUnits.length > 0) await transaction.deleteFrom('user_units').where('user_id', '=', userId).where('subdistrict_code', 'in', goneUnits).execute();
    const newDistricts = districts.filter((code) => !haveDistricts.includes(code));
    const newUnits = units.filter((code) => !haveUnits.includes(code));
    if (newDistricts.length > 0) await transaction.insertInto('user_scopes').values(newDistricts.map((code) => ({ user_id: userId, district_code: code }))).execute();
    if (newUnits.length > 0) await transaction.insertInto('user_units').values(newUnits.map((code) => ({ user_id: userId, subdistrict_code: code }))).execute();
  }
  if (links.parcelIds) {
    const ids = [...new Set(links.parcelIds.map(Number))];
    const have = (await transaction.selectFrom('enterprise_parcels').select('parcel_id').where('user_id', '=', userId).execute()).map((row) => Number(row.parcel_id));
    const gone = have.filter((id) => !ids.includes(id));
    const added = ids.filter((id) => !have.includes(id));
    if (gone.length > 0) await transaction.deleteFrom('enterprise_parcels').where('user_id', '=', userId).where('parcel_id', 'in', gone).execute();
    if (added.length > 0) await transaction.insertInto('enterprise_parcels').values(added.map((id) => ({ user_id: userId, parcel_id: id }))).execute();
  }
}

export function createUsersRepository(db: DatabaseClient) {
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
      const { rows } = await sql<PrincipalRow>`SELECT ${PRINCIPAL_COLUMNS} FROM users u WHERE u.id = ${userId}`.execute(db);
      return rows[0] && toPrincipal(rows[0]);
    },

    /**
     * The session of a cookie token and its user, in one round trip: this runs before every API
     * call and every tile, so it must not cost four.
     */
    async sessionPrincipal(tokenHash: string): Promise<(CachedSession & { expiresAt: Date }) | undefined> {
      const { rows } = await sql<PrincipalRow & { token_hash: string; csrf_token: string; last_seen_at: Date; expires_at: Date; disabled: boolean }>`
        SELECT s.token_hash, s.csrf_token, s.last_seen_at, s.expires_at, u.disabled, ${PRINCIPAL_COLUMNS}
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ${tokenHash} AND s.expires_at > now()`.execute(db);
      const row = rows[0];
      if (!row) return undefined;
      return {
        tokenHash: row.token_hash, csrfToken: row.csrf_token, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at,
        disabled: row.disabled, principal: toPrincipal(row),
      };
    },

    async list(onlyId?: number): Promise<UserSummary[]> {
      // Locked: the latest lock of the name from any client address that has not expired yet.
      let query = db.selectFrom('users as u').selectAll('u').select((select) => [
        select.selectFrom('login_failures as f')
          .select((inner) => inner.fn.max('f.locked_until').as('locked'))
          .whereRef('f.username', '=', 'u.username').where('f.locked_until', '>', sql<Date>`now()`).as('locked_until'),
        sql<{ code: string; name: string }[]>`${SCOPES_OF_USER}`.as('scopes'),
        sql<{ id: number; code: string; owner: string | null }[]>`coalesce((SELECT json_agg(json_build_object('id', p.id, 'code', p.code, 'owner', p.owner) ORDER BY p.code)
          FROM enterprise_parcels ep JOIN parcels p ON p.id = ep.parcel_id WHERE ep.user_id = u.id), '[]')`.as('parcels'),
      ]).orderBy('u.id');
      if (onlyId !== undefined) query = query.where('u.id', '=', onlyId);
      const users = await query.execute();
      return users.map((user) => ({
        id: user.id,
        username: user.username,
        displayName: user.display_name,
        role: user.role as Role,
        scopes: user.scopes,
        department: user.department as DepartmentCode | null,
        parcels: user.parcels.map((parcel) => ({ ...parcel, id: Number(parcel.id) })),
        disabled: user.disabled,
        mustChangePassword: user.must_change_password,
        lockedUntil: user.locked_until ? new Date(user.locked_until).toISOString() : null,
        lastLoginAt: user.last_login_at?.toISOString() ?? null,
        createdAt: user.created_at.toISOString(),
      }));
    },

    /** Parcels an administrator links to a 用地单位 account, as the check of the link needs them. */
    async parcelsForLinking(ids: readonly number[]): Promise<{ id: number; code: string; districtCode: string; owner: string | null }[]> {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('parcels').select(['id', 'code', 'district_code as districtCode', 'owner']).where('id', 'in', [...ids]).orderBy('id').execute();
      return rows.map((row) => ({ ...row, id: Number(row.id) }));
    },

    async summary(id: number): Promise<UserSummary | undefined> {
      return (await this.list(id))[0];
    },

    /**
     * Creates accounts with their scopes in one transaction that names the actor, so the audit log
     * holds who created each (the first start creates several at once, or none).
     */
    async create(actor: Actor, accounts: readonly NewAccount[]): Promise<number[]> {
      return writeAs(db, actor, async (transaction) => {
        const ids: number[] = [];
        for (const account of accounts) {
          const { id } = await transaction.insertInto('users').values({
            username: account.username, display_name: account.displayName, role: account.role, department: account.department ?? null,
            password_hash: account.passwordHash, must_change_password: account.mustChangePassword,
          }).returning('id').executeTakeFirstOrThrow();
          await writeAccountLinks(transaction, id, { scopes: account.scopes, parcelIds: account.parcelIds });
          ids.push(id);
        }
        return ids;
      });
    },

    async update(actor: Actor, id: number, change: AccountChange): Promise<void> {
      await writeAs(db, actor, async (transaction) => {
        const columns: Record<string, unknown> = {};
        if (change.displayName !== undefined) columns.display_name = change.displayName;
        if (change.role !== undefined) columns.role = change.role;
        // Only a 会审部门 account has a department (the table checks it): a new role clears it.
        if (change.department !== undefined) columns.department = change.department;
        else if (change.role !== undefined && change.role !== 'department') columns.department = null;
        if (change.disabled !== undefined) columns.disabled = change.disabled;
        if (change.passwordHash) Object.assign(columns, { password_hash: change.passwordHash, must_change_password: true });
        if (Object.keys(columns).length > 0) await transaction.updateTable('users').set(columns).where('id', '=', id).execute();
        if (change.unlock || change.passwordHash) {
          await transaction.deleteFrom('login_failures')
            .where('username', '=', (select) => select.selectFrom('users').select('username').where('id', '=', id)).execute();
        }
        await writeAccountLinks(transaction, id, { scopes: change.scopes, parcelIds: change.parcelIds });
      });
    },

    /** A user's own password change, with its audit event in the same transaction. */
    async changePassword(actor: Actor, userId: number, passwordHash: string): Promise<void> {
      await writeAs(db, actor, async (transaction) => {
        await transaction.updateTable('users').set({ password_hash: passwordHash, must_change_password: false }).where('id', '=', userId).execute();
        await recordEvent(transaction, authEvent({ actor: actor.name, action: 'password_change', entityId: String(userId), requestId: actor.requestId }));
      });
    },

    /** The lock on logins of this name from this address, when there is one that has not expired. */
    async loginLock(attempt: LoginAttempt): Promise<Date | null> {
      const row = await db.selectFrom('login_failures').select('locked_until')
        .where('username', '=', attempt.username).where('address', '=', attempt.address).where('locked_until', '>', sql<Date>`now()`).executeTakeFirst();
      return row?.locked_until ?? null;
    },

    /**
     * Counts a failed login of a name (an account or not) from an address, and decides the lock in
     * the same statement: concurrent failures are counted exactly and only the one that reaches
     * `maxFailures` within `lockSeconds` sets the lock (`lockedNow`); later ones leave it as it is.
     * Failures older than the lock period, or from before an expired lock, start the count again.
     */
    async recordLoginFailure(attempt: LoginAttempt, maxFailures: number, lockSeconds: number): Promise<LoginFailure> {
      const lock = sql`make_interval(secs => ${lockSeconds})`;
      const restart = sql`(f.locked_until IS NOT NULL OR f.last_failure_at < now() - ${lock})`;
      const { rows: [row] } = await sql<{ failures: number; locked_until: Date | null }>`
        INSERT INTO login_failures AS f (username, address, failures, locked_until)
        VALUES (${attempt.username}, ${attempt.address}, 1, CASE WHEN 1 >= ${maxFailures}::int THEN now() + ${lock} END)
        ON CONFLICT (username, address) DO UPDATE SET
          failures = CASE WHEN f.locked_until > now() THEN f.failures + 1 WHEN ${restart} THEN 1 ELSE f.failures + 1 END,
          locked_until = CASE WHEN f.locked_until > now() THEN f.locked_until
                              WHEN (CASE WHEN ${restart} THEN 1 ELSE f.failures + 1 END) >= ${maxFailures}::int THEN now() + ${lock} END,
          last_failure_at = now()
        RETURNING failures, CASE WHEN locked_until > now() THEN locked_until END AS locked_until`.execute(db);
      // Names nobody tried for a day are forgotten (unknown names would otherwise pile up).
      await db.deleteFrom('login_failures').where('last_failure_at', '<', sql<Date>`now() - interval '1 day'`)
        .where((where) => where.or([where('locked_until', 'is', null), where('locked_until', '<', sql<Date>`now()`)])).execute();
      return { failures: row.failures, lockedUntil: row.locked_until, lockedNow: row.failures === maxFailures && row.locked_until !== null };
    },

    /**
     * A right password: clears the failures of the name from this address unless a lock holds,
     * decided under the row's lock so that a burst of failures cannot be lost to it. Answers the
     * lock when there is one (the login must then be refused), null when the login may proceed.
     */
    async clearLoginFailures(attempt: LoginAttempt): Promise<Date | null> {
      return db.transaction().execute(async (transaction) => {
        const row = await transaction.selectFrom('login_failures')
          .select(['locked_until', sql<boolean>`coalesce(locked_until > now(), false)`.as('locked')])
          .where('username', '=', attempt.username).where('address', '=', attempt.address).forUpdate().executeTakeFirst();
        if (!row) return null;
        if (row.locked) return row.locked_until;
        await transaction.deleteFrom('login_failures').where('username', '=', attempt.username).where('address', '=', attempt.address).execute();
        return null;
      });
    },

    async recordSuccess(userId: number): Promise<void> {
      await db.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', userId).execute();
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

    /** Sliding expiry; the caller writes it at most once a minute per session. */
    async touchSession(tokenHash: string, hours: number): Promise<void> {
      await db.updateTable('sessions').set({ last_seen_at: new Date(), expires_at: new Date(Date.now() + hours * 3600_000) })
        .where('token_hash', '=', tokenHash).execute();
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

declare module 'fastify' {
  interface FastifyInstance {
    usersRepository: UsersRepository;
  }
}

/** The one writer of `users`, `user_scopes` and `sessions`, built once per app. */
export const usersRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('usersRepository', createUsersRepository(app.pools.light.db));
}, { name: 'users-repository', dependencies: ['database'] });
