import { getJson, queryString, type RequestOptions } from '../http/request.js';

export type AuditEntity = 'parcels' | 'districts' | 'users' | 'auth';
export type AuditAction =
  | 'insert'
  | 'update'
  | 'delete'
  | 'bulk_load'
  | 'login'
  | 'login_failed'
  | 'logout'
  | 'password_change'
  | 'locked';

/** One row of the audit log: who did what to which record, with the record before and after. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  requestId: string | null;
  /** Database row (snake_case keys) before the change; null for an insert or a login. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface AuditPage {
  items: AuditEntry[];
  total: number;
  page: number;
  pageSize: number;
}

export interface AuditQuery {
  actor?: string;
  entity?: string;
  action?: string;
  entityId?: string;
  /** 'YYYY-MM-DD' */
  from?: string;
  /** 'YYYY-MM-DD' */
  to?: string;
  page?: number;
  pageSize?: number;
}

export function fetchAudit(query: AuditQuery, options?: RequestOptions): Promise<AuditPage> {
  return getJson(`/api/admin/audit?${queryString(query)}`, options);
}
