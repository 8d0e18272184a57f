import { Type } from 'typebox';
import { XIAMEN } from '../../domain/districts.js';
import type { AppInstance } from '../app-instance.js';

export async function settingsRoutes(app: AppInstance): Promise<void> {
  app.get('/api/settings', {
    config: { permission: 'public' },
    schema: {
      tags: ['system'],
      summary: '客户端设置: optional basemap URL and the city',
      response: {
        200: Type.Object({
          basemapUrl: Type.Union([Type.String(), Type.Null()]),
          cityCode: Type.String(),
          cityName: Type.String(),
        }),
      },
    },
  }, async () => ({ basemapUrl: app.settings.basemapUrl, cityCode: XIAMEN.code, cityName: XIAMEN.name }));
}
