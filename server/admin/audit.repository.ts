import fp from 'fastify-plugin';
import { sql, type Transaction } from 'kysely';
import type { AuditPage, AuditQuery } from '../../domain/api/audit.schemas.js';
import type { AppInstance } from '../app-instance.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database, HistoryTable } from '../db/schema.js';
import { actorNameSql, parcelCodeSql, subjectSql } from './audit.sql.js';

/** An event of the audit log that is not a row change (the triggers record those). */
export interface AuditEvent {
  entity: string;
  entityId: string;
  action: HistoryTable['action'];
  actor: string;
  requestId?: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export type AuthEventAction = 'login' | 'login_failed' | 'logout' | 'password_change' | 'locked';

/**
 * Appends an event to the audit log (`history`), in the caller's transaction when given one, so an
 * event and the change it explains commit together.
 */
export async function recordEvent(executor: DatabaseClient | Transaction<Database>, event: AuditEvent): Promise<number> {
  const { id } = await executor.insertInto('history').values({
    entity: event.entity,
    entity_id: event.entityId,
    action: event.action,
    actor: event.actor,
    before: event.before === undefined || event.before === null ? null : JSON.stringify(event.before),
    after: event.after === undefined || event.after === null ? null : JSON.stringify(event.after),
    request_id: event.requestId ?? null,
  }).returning('id').executeTakeFirstOrThrow();
  return Number(id);
}

/** A login, failed login, lockout, logout or password change, as the entity `auth`. */
export function authEvent(event: { actor: string; action: AuthEventAction; entityId: string; requestId?: string; details?: Record<string, unknown> }): AuditEvent {
  return { entity: 'auth', entityId: event.entityId, action: event.action, actor: event.actor, requestId: event.requestId, before: null, after: event.details ?? {} };
}

export function createAuditRepository(db: DatabaseClient) {
  return {
    /** One page of the audit log, newest first. */
    async page(filter: AuditQuery): Promise<AuditPage> {
      let query = db.selectFrom('history');
      if (filter.actor) query = query.where('actor', '=', filter.actor);
      if (filter.entity) query = query.where('entity', '=', filter.entity);
      if (filter.action) query = query.where('action', '=', filter.action as HistoryTable['action']);
      if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
      if (filter.parcelCode) query = query.where(parcelCodeSql(filter.parcelCode.trim()));
      if (filter.from) query = query.where('at', '>=', sql<Date>`${filter.from}::date`);
      if (filter.to) query = query.where('at', '<', sql<Date>`${filter.to}::date + 1`);
      const { total } = await query.select((select) => select.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
      const rows = await query
        .select(['id', 'at', 'actor', 'action', 'entity', 'entity_id as entityId', 'request_id as requestId', 'before', 'after'])
        .select([actorNameSql.as('actorName'), subjectSql.as('subject')])
        .orderBy('id', 'desc')
        .limit(filter.pageSize)
        .offset((filter.page - 1) * filter.pageSize)
        .execute();
      const items = rows.map((row) => ({
        ...row,
        at: row.at.toISOString(),
        before: row.before as Record<string, unknown> | null,
        after: row.after as Record<string, unknown> | null,
      }));
      return { items, total: Number(total), page: filter.page, pageSize: filter.pageSize };
    },

    async record(event: AuditEvent): Promise<void> {
      await recordEvent(db, event);
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    auditRepository: AuditRepository;
  }
}

/** The audit log's reader and the writer of events that are not row changes, built once per app. */
export const auditRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('auditRepository', createAuditRepository(app.db));
}, { name: 'audit-repository', dependencies: ['database'] });
