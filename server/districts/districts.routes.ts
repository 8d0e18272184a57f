import { Type } from 'typebox';
import { DISTRICT_CODE_PATTERN } from '../../domain/districts.js';
import type { AppInstance } from '../app-instance.js';
import { scopeOf } from '../auth/auth.plugin.js';
import { NotFoundError } from '../errors.js';

const BoundingBox = Type.Array(Type.Number(), { minItems: 4, maxItems: 4, description: '[minLon, minLat, maxLon, maxLat], EPSG:4490' });

const District = Type.Object({
  code: Type.String({ description: '行政区划代码' }),
  name: Type.String(),
  level: Type.String({ description: 'city 市 / district 区县' }),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  bbox: BoundingBox,
  areaM2: Type.Number({ description: '椭球面积, m²' }),
  inScope: Type.Boolean({ description: 'inside the user\'s 管辖范围 (a city is in scope when any of its districts is)' }),
});

const figure = { label: Type.String(), count: Type.Integer(), areaM2: Type.Number({ description: 'm², ellipsoidal' }) };
const StatusFigure = Type.Object({ status: Type.String({ description: '效率状态代码' }), ...figure });
const TypeFigure = Type.Object({ type: Type.String({ description: '低效类型代码' }), ...figure });

const DistrictStats = Type.Object({
  code: Type.String(),
  name: Type.String(),
  parcelCount: Type.Integer(),
  areaM2: Type.Number({ description: 'total parcel area, m², ellipsoidal (CGCS2000)' }),
  byStatus: Type.Array(StatusFigure),
  byType: Type.Array(TypeFigure),
});

const ErrorBody = Type.Object({ error: Type.String(), message: Type.String() }, { additionalProperties: true });

export async function districtsRoutes(app: AppInstance): Promise<void> {
  const districts = app.districtsRepository;

  app.get('/api/districts', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['districts'],
      summary: '行政区列表 (市 and its 区县) with extents and areas',
      response: { 200: Type.Object({ items: Type.Array(District) }) },
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
      params: Type.Object({ code: Type.String({ pattern: DISTRICT_CODE_PATTERN, description: '6-digit 行政区划代码, e.g. 350206' }) }),
      response: { 200: DistrictStats, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const district = await districts.find(request.params.code);
    if (!district) throw new NotFoundError(`没有行政区 ${request.params.code}；请从 GET /api/districts 中选择一个代码。`, { parameter: 'code' });
    const scope = scopeOf(request);
    if (district.level !== 'city') scope.assertReadable(district, '该行政区');
    return districts.stats(district.code, district.name, scope.districts);
  });
}
