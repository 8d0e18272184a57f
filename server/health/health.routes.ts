import { Health } from '../../domain/api/health.schemas.js';
import type { AppInstance } from '../app-instance.js';

export async function healthRoutes(app: AppInstance): Promise<void> {
  app.get('/api/health', {
    config: { permission: 'public' },
    schema: {
      tags: ['system'],
      summary: '健康检查: database and PostGIS versions',
      response: { 200: Health },
    },
  }, async () => ({ status: 'ok' as const, ...(await app.healthRepository.versions()) }));
}
