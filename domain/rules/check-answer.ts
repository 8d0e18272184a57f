/**
 * The answer of `POST /api/checks` (server/checks/checks.service.ts), shared with the browser that
 * shows it and stores it with saved areas (client/src/api/areas.ts).
 */
import type { AreaInUnits } from '../units.js';
import type { CheckResult } from './rules.js';

/** Areas in m² (2 decimals), shares as fractions. */
export interface CheckFigures {
  projectLandM2: number;
  fragmentLandM2: number;
  uncoveredLandM2: number;
  supportingLandM2: number;
  parcelLandM2: number;
  inefficientLandM2: number;
  inefficientShare: number | null;
  gapToleranceM: number;
  /** Land of this boundary already inside other saved areas. */
  overlapM2: number;
  totalFloorAreaM2: number | null;
  supportingFloorAreaM2: number | null;
  factoryFloorAreaM2: number | null;
  /** Figures are also read by name (comparisons, tables). */
  [key: string]: number | null;
}

export interface CheckedParcel {
  id: number;
  code: string;
  districtCode: string;
  /** null outside the reader's districts. */
  status: string | null;
  areaM2: number;
  insideM2: number;
  /** Share of the parcel inside the boundary (1 = whole). */
  share: number;
}

export interface CheckOverlap {
  id: number;
  name: string;
  status: string;
  overlapM2: number;
}

export interface CheckAnswer {
  area: AreaInUnits;
  checks: CheckResult[];
  pieces: number;
  ruleSetVersion: number;
  ruleSet: { id: string; version: number; name: string; city: string };
  figures: CheckFigures;
  parcels: CheckedParcel[];
  overlaps: CheckOverlap[];
}
