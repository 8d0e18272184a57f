import { Type } from 'typebox';
import { sql } from 'kysely';
import type { AppInstance } from '../app-instance.js';

export async function healthRoutes(app: AppInstance): Promise<void> {
  app.get('/api/health', {
    config: { permission: 'public' },
    schema: {
      tags: ['system'],
      summary: '健康检查: database and PostGIS versions',
      response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.String(), postgis: Type.String() }) },
    },
  }, async () => {
    const { rows } = await sql<{ database: string; postgis: string }>`
      SELECT version() AS database, postgis_full_version() AS postgis`.execute(app.db);
    return { status: 'ok' as const, database: rows[0].database, postgis: rows[0].postgis };
  });
}
