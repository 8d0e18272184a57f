import { EFFICIENCY_STATUSES, INEFFICIENCY_TYPES, NO_INEFFICIENCY_TYPE } from '@domain/efficiency.js';
import type { ColourMode } from '../state/browse-state.js';

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
