import { Type, type Static } from 'typebox';
import { DISTRICT_CODE_PATTERN } from '../districts.js';
import { SUBDISTRICT_CODE_PATTERN, SUBDISTRICT_KIND_CODES, TREE_KINDS } from '../subdistricts.js';
import { BoundingBox, Nullable, StringEnum } from './common.schemas.js';

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

export const CategoryFigure = Type.Object({ category: Type.String({ description: '低效用地类别代码 (none: 未分类)' }), ...figure });
export type CategoryFigure = Static<typeof CategoryFigure>;

const levelFigures = {
  parcelCount: Type.Integer(),
  areaM2: Type.Number({ description: 'total parcel area, m², ellipsoidal (CGCS2000)' }),
  inefficientCount: Type.Integer({ description: '低效 parcels (疑似低效 and 已认定低效)' }),
  inefficientAreaM2: Type.Number({ description: '低效 parcel area, m², ellipsoidal (CGCS2000)' }),
  inefficientShare: Nullable(Type.Number({ minimum: 0, maximum: 1, description: '低效 area / parcel area, 0–1; null without parcels' })),
  byStatus: Type.Array(StatusFigure),
  byType: Type.Array(TypeFigure),
  byCategory: Type.Array(CategoryFigure, { description: '每个低效用地类别（及未分类）的宗数和面积，合计等于 parcelCount / areaM2' }),
};

/**
 * One child of a level in the district tree: a 区县 of a city, or a 园区 (园区内 parcels), 街道/镇
 * (园区外 parcels) or the 未划入街道 bucket of a 区县. The children of a level add up to it.
 */
export const ChildFigures = Type.Object({
  code: Nullable(Type.String({ description: '行政区划代码 or 9-digit 街道/园区 code; null for 未划入街道' })),
  name: Type.String(),
  kind: StringEnum(TREE_KINDS, { description: 'district 区县 / street 街道 / town 镇 / park 园区 / unassigned 未划入街道' }),
  bbox: Nullable(BoundingBox),
  ...levelFigures,
});
export type ChildFigures = Static<typeof ChildFigures>;

/**
 * The figures of a level of the district tree (市 → 区 → 街道/园区) within the reader's scope, with
 * those of its children: a city's 区县 in scope, a 区县's 园区, 街道/镇 and 未划入街道.
 */
export const DistrictStats = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: StringEnum(['city', 'district', ...SUBDISTRICT_KIND_CODES] as const, { description: 'city 市 / district 区县 / street 街道 / town 镇 / park 园区' }),
  ...levelFigures,
  children: Type.Array(ChildFigures),
});
export type DistrictStats = Static<typeof DistrictStats>;

export const SubdistrictCodeParams = Type.Object({ code: Type.String({ pattern: SUBDISTRICT_CODE_PATTERN, description: '9-digit 街道/镇/园区 code, e.g. 350206001' }) });
export type SubdistrictCodeParams = Static<typeof SubdistrictCodeParams>;

/** A 街道/镇/园区's figures: a 街道/镇 counts its 园区外 parcels, a 园区 its own (seed 003 二.1). */
export const SubdistrictStats = Type.Object({
  ...DistrictStats.properties,
  districtCode: Type.String(),
  districtName: Type.String(),
  bbox: BoundingBox,
  source: Type.String({ description: '来源与规则说明 of the boundary (e.g. 演示数据, local rule)' }),
});
export type SubdistrictStats = Static<typeof SubdistrictStats>;

/** GeoJSON of a district's (or a city's districts in scope) 街道/镇/园区 with their 低效 share: the choropleth. */
export const SubdistrictFeatureCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    id: Type.String(),
    geometry: Type.Object({
      type: Type.Literal('MultiPolygon'),
      coordinates: Type.Array(Type.Array(Type.Array(Type.Array(Type.Number())))),
    }, { description: 'GeoJSON, EPSG:4490, simplified for display' }),
    properties: Type.Object({
      code: Type.String(),
      name: Type.String(),
      kind: StringEnum(SUBDISTRICT_KIND_CODES),
      districtCode: Type.String(),
      parcelCount: Type.Integer({ description: '园区: its parcels; 街道/镇: its 园区外 parcels' }),
      areaM2: Type.Number(),
      inefficientAreaM2: Type.Number(),
      inefficientShare: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
    }),
  })),
});
export type SubdistrictFeatureCollection = Static<typeof SubdistrictFeatureCollection>;

/** Every 街道/镇/园区 by name (no figures, no shape): the choices of a 园区/街道 scope and of filters. */
export const SubdistrictList = Type.Object({
  items: Type.Array(Type.Object({
    code: Type.String(),
    name: Type.String(),
    kind: StringEnum(SUBDISTRICT_KIND_CODES),
    districtCode: Type.String(),
  })),
});
export type SubdistrictList = Static<typeof SubdistrictList>;
