import { Type, type Static } from 'typebox';
import { NullFirst, Nullable, StringEnum } from './common.schemas.js';

/**
 * The parts of the 一宗一卡 that are not columns of the parcel: the yearly 产值/税收 series with the
 * figures derived from it (seed 003 附件4), and the 四至 proposed from the neighbouring land.
 */

const Wan = (description: string) => NullFirst(Type.Number({ minimum: 0, maximum: 1e8, description: `${description}, 万元 (0 – 100 000 000)` }));

export const YearlyFigure = Type.Object({
  year: Type.Integer({ minimum: 1949, maximum: 2100, description: '年度' }),
  outputWan: Wan('年度产值'),
  taxWan: Wan('年度税收'),
}, { additionalProperties: false });
export type YearlyFigure = Static<typeof YearlyFigure>;

export const RecentYearsSummary = Type.Object({
  years: Type.Array(Type.Integer(), { description: 'the years summed, newest first (the three latest recorded)' }),
  complete: Type.Boolean({ description: 'three consecutive years, each with both figures' }),
  outputTotalWan: Nullable(Type.Number({ description: '近三年总产值, 万元' })),
  taxTotalWan: Nullable(Type.Number({ description: '近三年税收总额, 万元' })),
  outputPerMuAverage: Nullable(Type.Number({ description: '近三年平均产值, 万元/亩' })),
  taxPerMuAverage: Nullable(Type.Number({ description: '近三年平均税收, 万元/亩' })),
  areaMu: Nullable(Type.Number({ description: 'the area the averages divide by, 亩' })),
  areaSource: Nullable(StringEnum(['registeredAreaM2', 'areaM2'] as const, { description: '登记面积, else the drawn ellipsoidal area' })),
});
export type RecentYearsSummary = Static<typeof RecentYearsSummary>;

/** GET /api/parcels/:id/yearly: the series, oldest year first, and the derived figures. */
export const ParcelYearlyFigures = Type.Object({
  items: Type.Array(YearlyFigure),
  summary: RecentYearsSummary,
  revision: Type.String({ description: 'the stored series\' revision: send it back as expectedRevision when changing the series' }),
});
export type ParcelYearlyFigures = Static<typeof ParcelYearlyFigures>;

/** PUT /api/parcels/:id/yearly: the whole series as it should be (a year left out is removed). */
export const ParcelYearlyFiguresPut = Type.Object({
  items: Type.Array(YearlyFigure, { maxItems: 100 }),
  expectedRevision: Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9a-z-]+$', description: 'the revision the edit was made on (from GET); another one stored meanwhile → 409 stale_version' }),
}, { additionalProperties: false });
export type ParcelYearlyFiguresPut = Static<typeof ParcelYearlyFiguresPut>;

export const BOUNDARY_SIDES = [
  { side: 'east', key: 'boundaryEast', label: '东至' },
  { side: 'south', key: 'boundarySouth', label: '南至' },
  { side: 'west', key: 'boundaryWest', label: '西至' },
  { side: 'north', key: 'boundaryNorth', label: '北至' },
] as const;

/** How far the 四至 proposal looks for a neighbour, m. */
export const BOUNDARY_SEARCH_METRES = 100;

export const BoundaryNeighbour = Type.Object({
  side: StringEnum(BOUNDARY_SIDES.map((side) => side.side)),
  kind: StringEnum(['parcel', 'road', 'none'] as const, { description: 'a neighbouring parcel, a road or railway of the current survey layer, or nothing within the distance' }),
  text: Type.String({ description: 'what the field gets: the owner (or 宗地编号) of the parcel, 道路/铁路, or 空地 when nothing is near' }),
  parcelId: Nullable(Type.Integer()),
  parcelCode: Nullable(Type.String()),
  distanceM: Nullable(Type.Number({ description: 'm, on the ellipsoid' })),
});
export type BoundaryNeighbour = Static<typeof BoundaryNeighbour>;

export const BoundariesProposal = Type.Object({
  searchMetres: Type.Number(),
  sides: Type.Array(BoundaryNeighbour, { description: 'east, south, west, north' }),
});
export type BoundariesProposal = Static<typeof BoundariesProposal>;
