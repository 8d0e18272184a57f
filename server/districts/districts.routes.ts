import { ErrorBody } from '../../domain/api/common.schemas.js';
import { DistrictCodeParams, DistrictList, DistrictStats } from '../../domain/api/districts.schemas.js';
import type { AppInstance } from '../app-instance.js';
import { scopeOf } from '../auth/auth.plugin.js';
import { NotFoundError } from '../errors.js';

export async function districtsRoutes(app: AppInstance): Promise<void> {
  const districts = app.districtsRepository;

  app.get('/api/districts', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['districts'],
      summary: '行政区列表 (市 and its 区县) with extents and areas',
      response: { 200: DistrictList },
    },
  }, async (request) => {
    const scope = scopeOf(request);
    const items = await districts.list();
    return {
      items: items.map((item) => ({
        ...item,
        inScope: item.level === 'city' ? scope.coversAny : scope.covers(item.code),
      })),
    };
  });

  app.get('/api/districts/:code/stats', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['districts'],
      summary: '行政区统计: parcel count, area, by 效率状态 and 低效类型',
      params: DistrictCodeParams,
      response: { 200: DistrictStats, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const district = await districts.find(request.params.code);
    if (!district) throw new NotFoundError(`没有行政区 ${request.params.code}；请从 GET /api/districts 中选择一个代码。`, { parameter: 'code' });
    const scope = scopeOf(request);
    if (district.level !== 'city') scope.assertReadable(district, '该行政区');
    return districts.stats(district.code, district.name, scope);
  });
}
