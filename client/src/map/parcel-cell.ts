import { formatNumber } from '@domain/units.js';
import { inefficiencyTypeLabel } from '@domain/efficiency.js';
import type { ColourMode } from '../browse/browse-state.js';
import { colourOf, RESTRICTED_PARCEL, shareClassOf } from '../ui/colour-scheme.js';

/** What a cell of the aggregate parcel grid (`cells` in the parcel tiles below the detail band) carries. */
export interface ParcelCellProperties {
  /** Parcels in the cell within the user's scope. */
  parcels: number;
  /** Their land in the cell, 公顷. */
  areaHa: number;
  /** Share 0–1 of that land that is 疑似低效 or 已认定低效. */
  inefficientShare: number;
  /** The 低效类型 with the most land in the cell ('none' when no parcel of it has a type). */
  type: string;
  /** That type's share 0–1 of the cell's parcel land. */
  typeShare: number;
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
    type: typeof properties.type === 'string' ? properties.type : 'none',
    typeShare: Math.min(1, Math.max(0, finiteNumber(properties.type_share))),
    restricted: Boolean(properties.restricted),
  };
}

/**
 * Hover text of a cell: '12 宗 · 低效占比 37.5% · 4.20 公顷', by 低效类型 '12 宗 · 闲置低效 占 20.0% ·
 * 4.20 公顷' (the dominant type), or '管辖范围外'.
 */
export function describeParcelCell(cell: ParcelCellProperties, mode: ColourMode = 'status'): string {
  if (cell.restricted) return RESTRICTED_PARCEL.label;
  const middle = mode === 'type'
    ? (cell.type === 'none' ? '无低效类型' : `${inefficiencyTypeLabel(cell.type)} 占 ${formatNumber(cell.typeShare * 100, 1)}%`)
    : `低效占比 ${formatNumber(cell.inefficientShare * 100, 1)}%`;
  return `${cell.parcels.toLocaleString('zh-CN')} 宗 · ${middle} · ${formatNumber(cell.areaHa, 2)} 公顷`;
}

/** The colour the map gives the cell (the legend's ramp or the type's colour, grey when restricted). */
export function parcelCellColour(cell: ParcelCellProperties, mode: ColourMode = 'status'): string {
  if (cell.restricted) return RESTRICTED_PARCEL.fill;
  return mode === 'type' ? colourOf('type', cell.type) : shareClassOf(cell.inefficientShare).color;
}
