import { EFFICIENCY_STATUSES, INEFFICIENCY_TYPES, NO_INEFFICIENCY_TYPE } from '@domain/efficiency.js';
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
  return [
    ...INEFFICIENCY_TYPES.map(({ code, label, color }) => ({ code, label, color })),
    { code: NO_INEFFICIENCY_TYPE.code, label: NO_INEFFICIENCY_TYPE.label, color: NO_INEFFICIENCY_TYPE.color },
  ];
}

export function colourOf(mode: ColourMode, code: string | null | undefined): string {
  const key = code ?? (mode === 'type' ? NO_INEFFICIENCY_TYPE.code : '');
  return colourEntries(mode).find((entry) => entry.code === key)?.color ?? UNKNOWN_COLOUR;
}

/**
 * Parcels outside the user's scope: drawn as neutral context (a planner must see the neighbouring
 * land to judge contiguity) in a grey no status colour uses, so nobody reads a status into them.
 */
export const RESTRICTED_PARCEL = { code: 'restricted', label: '管辖范围外', fill: '#d5d9de', outline: '#9aa3ad' } as const;

/**
 * The pieces a planner marks inside a 成片改造区域: 零星用地 and 配套用房用地. Hues no 效率状态, 成片改造区域
 * status or drawing colour uses (magenta, brown), so a marked piece is never read as a parcel's
 * status. Map layers, legend and panel swatches take them from here (CSS repeats the hex values).
 */
export const MARKED_LAND_COLOURS = {
  fragment: { label: '零星用地', fill: '#d63384', outline: '#8f1d55' },
  supporting: { label: '配套用房用地', fill: '#8d5b2e', outline: '#5a3718' },
} as const;

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
