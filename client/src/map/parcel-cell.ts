import { formatNumber } from '@domain/units.js';
import { RESTRICTED_PARCEL, shareClassOf } from '../ui/colour-scheme.js';

/** What a cell of the aggregate parcel grid (`cells` in the parcel tiles below the detail band) carries. */
export interface ParcelCellProperties {
  /** Parcels in the cell within the user's scope. */
  parcels: number;
  /** Their land in the cell, 公顷. */
  areaHa: number;
  /** Share 0–1 of that land that is 疑似低效 or 已认定低效. */
  inefficientShare: number;
  /** The cell only holds parcels outside the user's districts (its figures are then 0). */
  restricted: boolean;
}

function finiteNumber(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** A cell's figures from its tile properties (`parcels`, `area_ha`, `ineff_share`, `restricted`). */
export function parcelCellFromTile(properties: Record<string, unknown>): ParcelCellProperties {
  return {
    parcels: Math.round(finiteNumber(properties.parcels)),
    areaHa: finiteNumber(properties.area_ha),
    inefficientShare: Math.min(1, Math.max(0, finiteNumber(properties.ineff_share))),
    restricted: Boolean(properties.restricted),
  };
}

/** Hover text of a cell: '12 宗 · 低效占比 37.5% · 4.2 公顷', or '管辖范围外'. */
export function describeParcelCell(cell: ParcelCellProperties): string {
  if (cell.restricted) return RESTRICTED_PARCEL.label;
  return `${cell.parcels.toLocaleString('zh-CN')} 宗 · 低效占比 ${formatNumber(cell.inefficientShare * 100, 1)}% · ${formatNumber(cell.areaHa, 1)} 公顷`;
}

/** The colour the map gives the cell (the legend's ramp, grey when restricted). */
export function parcelCellColour(cell: ParcelCellProperties): string {
  return cell.restricted ? RESTRICTED_PARCEL.fill : shareClassOf(cell.inefficientShare).color;
}
