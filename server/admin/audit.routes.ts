import { sql } from 'kysely';
import { Type } from 'typebox';
import type { AppInstance } from '../app-instance.js';

const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  action: Type.String(),
  entity: Type.String(),
  entityId: Type.String(),
  requestId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  after: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});

export async function auditRoutes(app: AppInstance): Promise<void> {
  app.get('/api/admin/audit', {
    config: { permission: 'audit:read' },
    schema: {
      tags: ['admin'],
      summary: '审计日志: every write and login, newest first, filtered',
      querystring: Type.Object({
        actor: Type.Optional(Type.String({ maxLength: 64 })),
        entity: Type.Optional(Type.String({ maxLength: 32 })),
        action: Type.Optional(Type.String({ maxLength: 32 })),
        entityId: Type.Optional(Type.String({ maxLength: 64 })),
        from: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD, inclusive' })),
        to: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD, inclusive' })),
        page: Type.Integer({ minimum: 1, default: 1 }),
        pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(AuditEntry), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }) },
    },
  }, async (request) => {
    const filter = request.query;
    let query = app.db.selectFrom('history');
    if (filter.actor) query = query.where('actor', '=', filter.actor);
    if (filter.entity) query = query.where('entity', '=', filter.entity);
    if (filter.action) query = query.where('action', '=', filter.action as never);
    if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
    if (filter.from) query = query.where('at', '>=', sql<Date>`${filter.from}::date`);
    if (filter.to) query = query.where('at', '<', sql<Date>`${filter.to}::date + 1`);
    const { total } = await query.select((select) => select.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await query
      .select(['id', 'at', 'actor', 'action', 'entity', 'entity_id as entityId', 'request_id as requestId', 'before', 'after'])
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
  });
}
