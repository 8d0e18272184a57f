/** 1 亩 = 10000/15 m² exactly (市制), the unit in which Chinese land figures per 亩 are quoted. */
export const SQUARE_METRES_PER_MU = 10000 / 15;
/** 1 公顷 = 10 000 m². */
export const SQUARE_METRES_PER_HECTARE = 10000;

export interface AreaInUnits { m2: number; ha: number; mu: number }

export function squareMetresToHectares(m2: number): number {
  return m2 / SQUARE_METRES_PER_HECTARE;
}

export function squareMetresToMu(m2: number): number {
  return m2 / SQUARE_METRES_PER_MU;
}

export function muToSquareMetres(mu: number): number {
  return mu * SQUARE_METRES_PER_MU;
}

/** One area in the three units reports show: m² (2 decimals), 公顷 and 亩 (4 decimals). */
export function areaInUnits(m2: number): AreaInUnits {
  return {
    m2: roundTo(m2, 2),
    ha: roundTo(squareMetresToHectares(m2), 4),
    mu: roundTo(squareMetresToMu(m2), 4),
  };
}

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** One formatter per number of decimals: `toLocaleString` builds a new one per call (tens of µs, seen in the table's scroll profile). */
const NUMBER_FORMATS = new Map<number, Intl.NumberFormat>();

/** Formats a number with Chinese digit grouping, e.g. 1234567.8 → "1,234,567.80". */
export function formatNumber(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  let format = NUMBER_FORMATS.get(decimals);
  if (!format) {
    format = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    NUMBER_FORMATS.set(decimals, format);
  }
  return format.format(value);
}
