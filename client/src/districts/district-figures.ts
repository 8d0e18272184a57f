import { areaInUnits, formatNumber, squareMetresToHectares } from '@domain/units.js';
import type { DistrictStats } from './districts.api.js';
import type { ColourMode } from '../browse/browse-state.js';
import { colourEntries, colourOf } from '../ui/colour-scheme.js';

export interface FigureRow {
  code: string;
  label: string;
  color: string;
  count: number;
  areaM2: number;
  /** Area in 公顷, the unit the district tables use (4 decimals, as in reports). */
  areaHectares: number;
  /** Share of the district's parcel area, 0–1. */
  areaShare: number;
}

export interface AreaFigures {
  m2: string;
  hectares: string;
  mu: string;
}

/** Parcel count with Chinese digit grouping (12,345). */
export function formatCount(count: number | null | undefined): string {
  return formatNumber(count, 0);
}

export function formatShare(share: number): string {
  return `${formatNumber(share * 100, 1)}%`;
}

/** The district's total parcel area in m², 公顷 (two decimals, as every figure of the page) and 亩. */
export function areaFigures(areaM2: number): AreaFigures {
  const area = areaInUnits(areaM2);
  return {
    m2: formatNumber(area.m2, 2),
    hectares: formatNumber(area.ha, 2),
    mu: formatNumber(area.mu, 4),
  };
}

/**
 * Rows of the by-status or by-type table, in legend order. Codes the server sends that the domain
 * lists do not know are kept (after the known ones) so no parcel silently drops out of a total.
 */
export function figureRows(stats: DistrictStats, mode: ColourMode): FigureRow[] {
  const figures =
    mode === 'status'
      ? stats.byStatus.map((figure) => ({ code: figure.status, label: figure.label, count: figure.count, areaM2: figure.areaM2 }))
      : mode === 'category'
        // 低效用地类别 (and 未分类): they add up to the level's parcels.
        ? (stats.byCategory ?? []).map((figure) => ({ code: figure.category, label: figure.label, count: figure.count, areaM2: figure.areaM2 }))
        : stats.byType.map((figure) => ({ code: figure.type ?? 'none', label: figure.label, count: figure.count, areaM2: figure.areaM2 }));
  const order = colourEntries(mode).map((entry) => entry.code);
  const rank = (code: string) => {
    const index = order.indexOf(code);
    return index === -1 ? order.length : index;
  };
  const total = stats.areaM2 > 0 ? stats.areaM2 : figures.reduce((sum, figure) => sum + figure.areaM2, 0);
  return figures
    .slice()
    .sort((left, right) => rank(left.code) - rank(right.code))
    .map((figure) => ({
      code: figure.code,
      label: figure.label || (colourEntries(mode).find((entry) => entry.code === figure.code)?.label ?? figure.code),
      color: colourOf(mode, figure.code),
      count: figure.count,
      areaM2: figure.areaM2,
      areaHectares: squareMetresToHectares(figure.areaM2),
      areaShare: total > 0 ? figure.areaM2 / total : 0,
    }));
}

/** The 合计 row of a figure table: counts and areas summed over its rows. */
export interface FigureTotal {
  count: number;
  areaM2: number;
  areaHectares: number;
  areaShare: number;
}

export function figureTotal(rows: readonly FigureRow[]): FigureTotal {
  const count = rows.reduce((sum, row) => sum + row.count, 0);
  const areaM2 = rows.reduce((sum, row) => sum + row.areaM2, 0);
  return { count, areaM2, areaHectares: squareMetresToHectares(areaM2), areaShare: rows.reduce((sum, row) => sum + row.areaShare, 0) };
}
