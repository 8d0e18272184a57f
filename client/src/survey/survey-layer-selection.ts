import type { SurveyLayer } from './survey.api.js';
import type { TextStorage } from '../app/basemap-setting.js';

/** localStorage key of the 变更调查 years and opacity chosen on this browser. */
export const SURVEY_LAYERS_STORAGE_KEY = 'biaotu.surveyLayers';

/**
 * Opacity of the 图斑 fill when nothing is stored: enough to read the 地类 colours, light enough to
 * see a basemap (or the district tint) through them.
 */
export const DEFAULT_SURVEY_OPACITY = 0.75;

/** A year switched on but drawn invisible would only puzzle: the opacity never goes below this. */
export const MIN_SURVEY_OPACITY = 0.1;

/** A year whose current layer is served as tiles. */
export interface SurveyLayerOption {
  year: number;
  /** TileJSON path, e.g. `/tiles/survey-2023.json`. */
  tileJson: string;
  featureCount: number;
}

export interface SurveyLayerSnapshot {
  /** Years with a current layer, newest first (as the layers panel lists them). */
  readonly available: readonly SurveyLayerOption[];
  /**
   * Years switched on, ascending. May name years that are not (or no longer) available: the choice
   * is remembered, and such a year simply draws nothing until it has a layer again.
   */
  readonly selectedYears: readonly number[];
  /** Fill opacity of the 图斑, {@link MIN_SURVEY_OPACITY}–1. */
  readonly opacity: number;
}

export type SurveyLayerListener = (snapshot: SurveyLayerSnapshot, previous: SurveyLayerSnapshot) => void;

interface StoredChoice {
  years: number[];
  opacity: number;
}

function isYear(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1900 && value <= 2999;
}

function clampOpacity(value: number): number {
  if (!Number.isFinite(value)) return DEFAULT_SURVEY_OPACITY;
  return Math.round(Math.min(1, Math.max(MIN_SURVEY_OPACITY, value)) * 100) / 100;
}

function ascendingYears(years: Iterable<number>): number[] {
  return [...new Set(years)].sort((left, right) => left - right);
}

/** The stored choice; a missing or hand-edited value gives "nothing on, default opacity". */
export function readStoredSurveyLayers(storage: TextStorage): StoredChoice {
  const fallback = { years: [], opacity: DEFAULT_SURVEY_OPACITY };
  const raw = storage.getItem(SURVEY_LAYERS_STORAGE_KEY);
  if (raw === null) return fallback;
  try {
    const value = JSON.parse(raw) as { years?: unknown; opacity?: unknown } | null;
    if (!value || typeof value !== 'object') return fallback;
    const years = Array.isArray(value.years) ? ascendingYears(value.years.filter(isYear)) : [];
    const opacity = typeof value.opacity === 'number' ? clampOpacity(value.opacity) : DEFAULT_SURVEY_OPACITY;
    return { years, opacity };
  } catch {
    return fallback;
  }
}

export function writeStoredSurveyLayers(storage: TextStorage, choice: StoredChoice): void {
  storage.setItem(SURVEY_LAYERS_STORAGE_KEY, JSON.stringify({ years: ascendingYears(choice.years), opacity: clampOpacity(choice.opacity) }));
}

/** The years that can be drawn: current layers only (a superseded one is kept on record, without tiles). */
export function currentSurveyLayers(items: readonly SurveyLayer[]): SurveyLayerOption[] {
  return items.flatMap((item) =>
    item.current && item.tileJson ? [{ year: item.year, tileJson: item.tileJson, featureCount: item.featureCount }] : [],
  );
}

/**
 * The layers to draw: selected years that have a current layer, oldest first, because later years
 * are drawn above earlier ones (the newer survey is what an official compares against).
 */
export function drawnSurveyLayers(snapshot: SurveyLayerSnapshot): SurveyLayerOption[] {
  const selected = new Set(snapshot.selectedYears);
  return snapshot.available.filter((layer) => selected.has(layer.year)).sort((left, right) => left.year - right.year);
}

/**
 * Which 变更调查 years are switched on under the parcels, and how opaque they are, as plain data:
 * the map adapter draws it, the layers panel and the legend follow it, tests drive it without a
 * browser. With a storage, the choice survives a reload.
 */
export class SurveyLayerSelection {
  #snapshot: SurveyLayerSnapshot;
  readonly #storage: TextStorage | null;
  readonly #listeners = new Set<SurveyLayerListener>();

  constructor(options: { storage?: TextStorage | null } = {}) {
    this.#storage = options.storage ?? null;
    const stored = this.#storage ? readStoredSurveyLayers(this.#storage) : { years: [], opacity: DEFAULT_SURVEY_OPACITY };
    this.#snapshot = { available: [], selectedYears: stored.years, opacity: stored.opacity };
  }

  get snapshot(): SurveyLayerSnapshot {
    return this.#snapshot;
  }

  get drawn(): SurveyLayerOption[] {
    return drawnSurveyLayers(this.#snapshot);
  }

  /** The years the server has current layers for (from `GET /api/survey-layers`). */
  setAvailable(layers: readonly SurveyLayerOption[]): void {
    const available = [...layers].sort((left, right) => right.year - left.year);
    const unchanged =
      available.length === this.#snapshot.available.length &&
      available.every((layer, index) => {
        const known = this.#snapshot.available[index];
        return layer.year === known.year && layer.tileJson === known.tileJson && layer.featureCount === known.featureCount;
      });
    if (unchanged) return;
    this.#update({ available });
  }

  isSelected(year: number): boolean {
    return this.#snapshot.selectedYears.includes(year);
  }

  setYear(year: number, on: boolean): void {
    if (this.isSelected(year) === on) return;
    const others = this.#snapshot.selectedYears.filter((selected) => selected !== year);
    this.#update({ selectedYears: on ? ascendingYears([...others, year]) : others });
  }

  setOpacity(opacity: number): void {
    const value = clampOpacity(opacity);
    if (value === this.#snapshot.opacity) return;
    this.#update({ opacity: value });
  }

  /** Calls `listener` after every change; returns the function that stops it. */
  subscribe(listener: SurveyLayerListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #update(change: Partial<SurveyLayerSnapshot>): void {
    const previous = this.#snapshot;
    const next = { ...previous, ...change };
    this.#snapshot = next;
    if (this.#storage && (next.selectedYears !== previous.selectedYears || next.opacity !== previous.opacity)) {
      try {
        writeStoredSurveyLayers(this.#storage, { years: [...next.selectedYears], opacity: next.opacity });
      } catch {
        // Storage full or switched off: the choice still holds for this page, it is just not remembered.
      }
    }
    for (const listener of this.#listeners) listener(next, previous);
  }
}
