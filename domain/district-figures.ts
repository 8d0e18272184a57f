import { EFFICIENCY_STATUSES, INEFFICIENCY_TYPES } from './efficiency.js';
import { LAND_CATEGORIES, NO_LAND_CATEGORY } from './land-categories.js';
import type { CategoryFigure, StatusFigure, TypeFigure } from './api/districts.schemas.js';

/**
 * The figures of a district (or of a city over its districts) as `GET /api/districts/{code}/stats`
 * answers them: the server computes them, the client shows them, both take this one shape from the
 * contract schema.
 */
export type { CategoryFigure, DistrictStats, StatusFigure, TypeFigure } from './api/districts.schemas.js';


/** Statuses counted as 低效 in the figures (as the map's cells and the policy checks count them). */
export const INEFFICIENT_STATUS_CODES: readonly string[] = ['suspected', 'identified'];

/** One group of parcels as the figures query returns it (same status, type and 低效用地类别). */
export interface FigureGroup {
  status: string;
  type: string | null;
  /** 低效用地类别; absent or null = 未分类. */
  category?: string | null;
  count: number;
  areaM2: number;
}

/** The figures of one level of the district tree (a 市, 区, 街道/镇 or 园区). */
export interface LevelFigures {
  parcelCount: number;
  areaM2: number;
  inefficientCount: number;
  inefficientAreaM2: number;
  /** 低效 area over parcel area, 0–1; null when the level holds no parcel area. */
  inefficientShare: number | null;
  byStatus: StatusFigure[];
  byType: TypeFigure[];
  /** Every 低效用地类别 and 未分类: they add up to the level's parcels. */
  byCategory: CategoryFigure[];
}

/** Adds up groups of parcels into one level's figures; every status and type is listed, zeros too. */
export function summariseFigures(groups: readonly FigureGroup[]): LevelFigures {
  const totals = (matches: (group: FigureGroup) => boolean) => {
    let count = 0;
    let areaM2 = 0;
    for (const group of groups) if (matches(group)) { count += group.count; areaM2 += group.areaM2; }
    return { count, areaM2 };
  };
  const all = totals(() => true);
  const inefficient = totals((group) => INEFFICIENT_STATUS_CODES.includes(group.status));
  return {
    parcelCount: all.count,
    areaM2: all.areaM2,
    inefficientCount: inefficient.count,
    inefficientAreaM2: inefficient.areaM2,
    inefficientShare: all.areaM2 > 0 ? Math.min(1, Math.max(0, inefficient.areaM2 / all.areaM2)) : null,
    byStatus: EFFICIENCY_STATUSES.map((status) => ({ status: status.code, label: status.label, ...totals((group) => group.status === status.code) })),
    byType: INEFFICIENCY_TYPES.map((type) => ({ type: type.code, label: type.label, ...totals((group) => group.type === type.code) })),
    byCategory: [...LAND_CATEGORIES, NO_LAND_CATEGORY].map((category) => ({
      category: category.code, label: category.label,
      ...totals((group) => (group.category ?? NO_LAND_CATEGORY.code) === category.code),
    })),
  };
}

/**
 * Classes of 低效 share for the 街道/园区 choropleth and its legend (upper bounds, 0–1): a purple
 * scale (ColorBrewer Purples), apart from the orange of the map's parcel grid.
 */
export const SHARE_CLASSES = [
  { upTo: 0.2, label: '< 20%', color: '#f2f0f7' },
  { upTo: 0.3, label: '20–30%', color: '#cbc9e2' },
  { upTo: 0.4, label: '30–40%', color: '#9e9ac8' },
  { upTo: 0.5, label: '40–50%', color: '#756bb1' },
  { upTo: 1, label: '≥ 50%', color: '#54278f' },
] as const;

/** The class of a share (null: no parcels). */
export function shareClass(share: number | null): (typeof SHARE_CLASSES)[number] | null {
  if (share === null) return null;
  return SHARE_CLASSES.find((entry) => share < entry.upTo) ?? SHARE_CLASSES[SHARE_CLASSES.length - 1];
}
