import { Type, type Static } from 'typebox';
import { DateString, Nullable, PageNumber } from './common.schemas.js';

/** One row of the audit log (history): who did what to which record, with the row before and after. */
export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  actorName: Nullable(Type.String({ description: "the actor's 姓名; null for system actors and removed accounts" })),
  action: Type.String(),
  entity: Type.String(),
  entityId: Type.String(),
  subject: Nullable(Type.String({ description: 'what the entry is about in words: 宗地编号, district, area or rule set name, 姓名 of an account' })),
  requestId: Nullable(Type.String()),
  before: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'database row (snake_case keys) before the change' })),
  after: Nullable(Type.Record(Type.String(), Type.Unknown())),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditQuery = Type.Object({
  actor: Type.Optional(Type.String({ maxLength: 64 })),
  entity: Type.Optional(Type.String({ maxLength: 32 })),
  action: Type.Optional(Type.String({ maxLength: 32 })),
  entityId: Type.Optional(Type.String({ maxLength: 64 })),
  parcelCode: Type.Optional(Type.String({
    minLength: 1, maxLength: 64, pattern: '^[^\\x00-\\x1f]+$', description: '宗地编号: the changes of that parcel (also deleted or renumbered); no control characters',
  })),
  from: Type.Optional(DateString({ description: 'YYYY-MM-DD, inclusive' })),
  to: Type.Optional(DateString({ description: 'YYYY-MM-DD, inclusive' })),
  page: PageNumber,
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
}, { additionalProperties: false });
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditPage = Type.Object({ items: Type.Array(AuditEntry), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });
export type AuditPage = Static<typeof AuditPage>;
