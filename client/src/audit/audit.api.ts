import type { AuditPage, AuditQuery } from '@domain/api/audit.schemas.js';
import { getJson, queryString, type RequestOptions } from '../http/request.js';

export type { AuditEntry, AuditPage, AuditQuery } from '@domain/api/audit.schemas.js';

export function fetchAudit(query: AuditQuery, options?: RequestOptions): Promise<AuditPage> {
  return getJson(`/api/admin/audit?${queryString(query)}`, options);
}
