import { LAND_CATEGORIES, NO_LAND_CATEGORY } from '@domain/land-categories.js';
import { EFFICIENCY_STATUSES, EVALUATION_GRADE_STYLES, INEFFICIENCY_TYPES, NO_EVALUATION_GRADE, NO_INEFFICIENCY_TYPE } from '@domain/efficiency.js';
import type { ColourMode } from '../browse/browse-state.js';

export interface ColourEntry {
  code: string;
  label: string;
  color: string;
}

/** Drawn for a code the domain lists do not know (e.g. a status added on the server first). */
export const UNKNOWN_COLOUR = '#b8b8b8';

/**
 * The colours of one mode, in legend order. They come straight from the domain lists so the map,
 * the legend and the charts cannot drift apart. By 低效类型, parcels without a type come last as
 * 非低效.
 */
export function colourEntries(mode: ColourMode): ColourEntry[] {
  if (mode === 'status') return EFFICIENCY_STATUSES.map(({ code, label, color }) => ({ code, label, color }));
  if (mode === 'category') return [...LAND_CATEGORIES, NO_LAND_CATEGORY].map(({ code, label, color }) => ({ code, label, color }));
  if (mode === 'grade') return [...EVALUATION_GRADE_STYLES, NO_EVALUATION_GRADE].map(({ code, label, color }) => ({ code, label, color }));
  return [
    ...INEFFICIENCY_TYPES.map(({ code, label, color }) => ({ code, label, color })),
    { code: NO_INEFFICIENCY_TYPE.code, label: NO_INEFFICIENCY_TYPE.label, color: NO_INEFFICIENCY_TYPE.color },
  ];
}

export function colourOf(mode: ColourMode, code: string | null | undefined): string {
  const key = code ?? (mode === 'type' ? NO_INEFFICIENCY_TYPE.code : mode === 'grade' ? NO_EVALUATION_GRADE.code : mode === 'category' ? NO_LAND_CATEGORY.code : '');
  return colourEntries(mode).find((entry) => entry.code === key)?.color ?? UNKNOWN_COLOUR;
}

/** A parcel outside the reader's districts (domain/scope-visibility.ts: the printed reports use it too). */
export { RESTRICTED_PARCEL } from '@domain/scope-visibility.js';

/** 零星用地 and 配套用房用地 inside a 成片改造区域 (domain/redevelopment-areas.ts: the printed reports use them too). */
export { MARKED_LAND_COLOURS } from '@domain/redevelopment-areas.js';

/** One class of the 低效用地占比 ramp of the aggregate grid: shares from `min` (inclusive) up to the next class. */
export interface ShareClass {
  /** Lower bound, a share 0–1 (inclusive). */
  min: number;
  label: string;
  color: string;
}

/**
 * The grid below zoom 13 (`cells` in the parcel tiles) is coloured by the share of its parcel land
 * that is 疑似低效 or 已认定低效: a sequential ramp from a pale neutral (little inefficient land) to
 * the red of 已认定低效. Map, legend and tooltip take the classes from here.
 */
export const INEFFICIENT_SHARE_CLASSES: readonly ShareClass[] = [
  { min: 0, label: '0–10%', color: '#ebe4d6' },
  { min: 0.1, label: '10–25%', color: '#eec59e' },
  { min: 0.25, label: '25–50%', color: '#e99a6e' },
  { min: 0.5, label: '50–75%', color: '#e17052' },
  { min: 0.75, label: '≥ 75%', color: '#d94841' },
];

/** The ramp class of a share (0–1); shares outside 0–1 fall into the first or last class. */
export function shareClassOf(share: number): ShareClass {
  let found = INEFFICIENT_SHARE_CLASSES[0];
  for (const entry of INEFFICIENT_SHARE_CLASSES) if (share >= entry.min) found = entry;
  return found;
}
