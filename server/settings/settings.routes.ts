import { ClientSettings } from '../../domain/api/settings.schemas.js';
import { XIAMEN } from '../../domain/districts.js';
import type { AppInstance } from '../app-instance.js';

export async function settingsRoutes(app: AppInstance): Promise<void> {
  app.get('/api/settings', {
    config: { permission: 'public' },
    schema: {
      tags: ['system'],
      summary: '客户端设置: optional basemap URL and the city',
      response: { 200: ClientSettings },
    },
  }, async () => ({ basemapUrl: app.settings.basemapUrl, cityCode: XIAMEN.code, cityName: XIAMEN.name }));
}
