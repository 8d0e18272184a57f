import { ErrorBody } from '../../domain/api/common.schemas.js';
import { Health } from '../../domain/api/health.schemas.js';
import type { AppInstance } from '../app-instance.js';

export async function healthRoutes(app: AppInstance): Promise<void> {
  app.get('/api/health', {
    config: { permission: 'public' },
    schema: {
      tags: ['system'],
      summary: '健康检查: status for anyone; database and PostGIS versions for administrators',
      // A database query: 503 database_unavailable (with Retry-After) while the database is away, so it serves as the readiness probe.
      response: { 200: Health, 503: ErrorBody },
    },
  }, async (request, reply) => {
    // The answer depends on who asks: never kept by a cache for the next one.
    reply.header('Cache-Control', 'no-store');
    const versions = await app.healthRepository.versions();
    return { status: 'ok' as const, ...(request.principal?.role === 'admin' ? versions : {}) };
  });
}
