import { Type, type Static } from 'typebox';
import { DISTRICT_CODE_PATTERN } from '../districts.js';
import { BoundingBox, Nullable } from './common.schemas.js';

export const District = Type.Object({
  code: Type.String({ description: '行政区划代码' }),
  name: Type.String(),
  level: Type.String({ description: 'city 市 / district 区县' }),
  parentCode: Nullable(Type.String()),
  bbox: BoundingBox,
  areaM2: Type.Number({ description: '椭球面积, m²' }),
  inScope: Type.Boolean({ description: 'inside the user\'s 管辖范围 (a city is in scope when any of its districts is)' }),
});
export type District = Static<typeof District>;

export const DistrictList = Type.Object({ items: Type.Array(District) });
export type DistrictList = Static<typeof DistrictList>;

export const DistrictCodeParams = Type.Object({ code: Type.String({ pattern: DISTRICT_CODE_PATTERN, description: '6-digit 行政区划代码, e.g. 350206' }) });
export type DistrictCodeParams = Static<typeof DistrictCodeParams>;

const figure = { label: Type.String(), count: Type.Integer(), areaM2: Type.Number({ description: 'm², ellipsoidal (CGCS2000)' }) };

export const StatusFigure = Type.Object({ status: Type.String({ description: '效率状态代码' }), ...figure });
export type StatusFigure = Static<typeof StatusFigure>;

export const TypeFigure = Type.Object({ type: Type.String({ description: '低效类型代码' }), ...figure });
export type TypeFigure = Static<typeof TypeFigure>;

/** The figures of a district, or of a city over its districts within the reader's scope. */
export const DistrictStats = Type.Object({
  code: Type.String(),
  name: Type.String(),
  parcelCount: Type.Integer(),
  areaM2: Type.Number({ description: 'total parcel area, m², ellipsoidal (CGCS2000)' }),
  byStatus: Type.Array(StatusFigure),
  byType: Type.Array(TypeFigure),
});
export type DistrictStats = Static<typeof DistrictStats>;
