import { lineLengthM, ringAreaM2, type Position } from '@domain/ellipsoidal-area.js';
import { formatNumber, squareMetresToHectares, squareMetresToMu } from '@domain/units.js';

/** 测距 (a line) or 测面 (a polygon). */
export type MeasureMode = 'distance' | 'area';

export interface Measurement {
  mode: MeasureMode;
  /** Geodesic length on CGCS2000, m: the line, or the polygon's perimeter (closed). */
  lengthM: number;
  /** Ellipsoidal area on CGCS2000, m² (0 for a line or fewer than three points). */
  areaM2: number;
}

/** The figures of the points clicked so far (plus the pointer's position while drawing). */
export function measure(mode: MeasureMode, points: readonly Position[]): Measurement {
  if (mode === 'distance') return { mode, lengthM: lineLengthM(points), areaM2: 0 };
  const ring = points.length >= 3 ? [...points, points[0]] : [...points];
  return { mode, lengthM: lineLengthM(ring), areaM2: points.length >= 3 ? ringAreaM2(ring) : 0 };
}

/** '1,234.56 米', or '12.35 千米' from 10 km on. */
export function formatLength(metres: number): string {
  return metres >= 10000 ? `${formatNumber(metres / 1000, 2)} 千米` : `${formatNumber(metres, 2)} 米`;
}

/** The lines the measurement panel shows: for an area m², 公顷 and 亩 (2 decimals), then the perimeter. */
export function describeMeasurement(measurement: Measurement): string[] {
  if (measurement.mode === 'distance') return [`长度 ${formatLength(measurement.lengthM)}`];
  const { areaM2 } = measurement;
  return [
    `面积 ${formatNumber(areaM2, 2)} m²`,
    `${formatNumber(squareMetresToHectares(areaM2), 2)} 公顷 · ${formatNumber(squareMetresToMu(areaM2), 2)} 亩`,
    `周长 ${formatLength(measurement.lengthM)}`,
  ];
}
