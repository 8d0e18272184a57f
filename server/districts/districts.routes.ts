import { ErrorBody } from '../../domain/api/common.schemas.js';
import { DistrictCodeParams, DistrictList, DistrictStats, SubdistrictCodeParams, SubdistrictFeatureCollection, SubdistrictList, SubdistrictStats } from '../../domain/api/districts.schemas.js';
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

  /** The district named by the path, readable by the reader (a city always: it is filtered to the scope). */
  async function readableDistrict(code: string, scope: ReturnType<typeof scopeOf>) {
    const district = await districts.find(code);
    if (!district) throw new NotFoundError(`没有行政区 ${code}；请从 GET /api/districts 中选择一个代码。`, { parameter: 'code' });
    if (district.level !== 'city') scope.assertReadable(district, '该行政区');
    return district;
  }

  app.get('/api/districts/:code/stats', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['districts'],
      summary: '行政区统计 (市 → 区 → 街道/园区): count, area, 低效 area and share, by 效率状态 and 低效类型, with the children\'s figures',
      params: DistrictCodeParams,
      response: { 200: DistrictStats, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const scope = scopeOf(request);
    const district = await readableDistrict(request.params.code, scope);
    return districts.stats(district.code, district.name, scope);
  });

  app.get('/api/districts/:code/subdistricts', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['districts'],
      summary: '街道/镇/园区 of a district (or of a city\'s districts in scope) as GeoJSON with their 低效 share: the choropleth',
      params: DistrictCodeParams,
      response: { 200: SubdistrictFeatureCollection, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const scope = scopeOf(request);
    const district = await readableDistrict(request.params.code, scope);
    return districts.subdistrictFeatures(district.code, scope);
  });

  app.get('/api/subdistricts', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['districts'],
      summary: '街道/镇/园区 of every district, by name: the choices of a 园区/街道 scope (names only, as the district list)',
      response: { 200: SubdistrictList },
    },
  }, async () => ({ items: await districts.subdistrictList() }));

  app.get('/api/subdistricts/:code/stats', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['districts'],
      summary: '街道/镇 (园区外 parcels) or 园区 figures: count, area, 低效 area and share, by 效率状态 and 低效类型',
      params: SubdistrictCodeParams,
      response: { 200: SubdistrictStats, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const scope = scopeOf(request);
    const place = await districts.findSubdistrict(request.params.code);
    if (!place) throw new NotFoundError(`没有街道/园区 ${request.params.code}；请从 GET /api/districts/{区县代码}/stats 的 children 中选择一个代码。`, { parameter: 'code' });
    scope.assertReadable({ code: place.districtCode, name: place.districtName }, `${place.name}`);
    const stats = await districts.subdistrictStats(place.code, scope);
    if (!stats) throw new NotFoundError(`街道/园区 ${request.params.code} 已被删除；请刷新后重新选择。`, { parameter: 'code' });
    return stats;
  });
}
