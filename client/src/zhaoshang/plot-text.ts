import { supplyModeLabel } from '@domain/zhaoshang.js';
import { formatNumber } from '@domain/units.js';

/** How the public page words a plot's figures (亩 with 2 decimals, ranges, limits, 供地方式). */
export function muText(areaMu: number): string {
  return `${formatNumber(areaMu, 2)} 亩`;
}

export function floorAreaRatioText(min: number | null, max: number | null): string {
  if (min === null && max === null) return '—';
  if (min !== null && max !== null) return min === max ? formatNumber(min, 1) : `${formatNumber(min, 1)}–${formatNumber(max, 1)}`;
  return min !== null ? `≥ ${formatNumber(min, 1)}` : `≤ ${formatNumber(max!, 1)}`;
}

export function limitText(value: number | null, unit: string, prefix = '≤ '): string {
  return value === null ? '—' : `${prefix}${formatNumber(value, value % 1 === 0 ? 0 : 1)}${unit}`;
}

export { supplyModeLabel };

/** The title of the page: the district when all plots lie in one, else the city. */
export function mapTitle(cityName: string, districts: readonly { name: string }[]): string {
  return districts.length === 1 ? `${cityName}${districts[0].name}` : cityName;
}
