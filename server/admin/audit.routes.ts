import { AuditPage, AuditQuery } from '../../domain/api/audit.schemas.js';
import type { AppInstance } from '../app-instance.js';

export async function auditRoutes(app: AppInstance): Promise<void> {
  app.get('/api/admin/audit', {
    config: { permission: 'audit:read' },
    schema: {
      tags: ['admin'],
      summary: '审计日志: every write and login, newest first, filtered',
      querystring: AuditQuery,
      response: { 200: AuditPage },
    },
  }, async (request) => app.auditRepository.page(request.query));
}
