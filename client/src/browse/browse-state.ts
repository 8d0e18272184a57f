/**
 * How parcels are coloured on the map, in the legend and in the district charts: by efficiency
 * status (where the parcel is along 调查摸底 → 认定 → 再开发) or by 低效类型. One mode drives all three
 * so a colour always means the same thing on screen.
 */
export type ColourMode = 'status' | 'type' | 'grade' | 'category';

export const COLOUR_MODES: readonly { mode: ColourMode; label: string }[] = [
  { mode: 'status', label: '按效率状态' },
  { mode: 'type', label: '按低效类型' },
  { mode: 'grade', label: '按综合评价等级' },
  // 低效用地类别 (issue 18 item 1): 低效工业, 低效商业服务业, 低效居住, 低效设施, 空闲地.
  { mode: 'category', label: '按低效用地类别' },
];

/**
 * What the map is narrowed to, from a click on a legend entry or a figure-table row: parcels of
 * one 效率状态 or 低效类型 (`code`; 'none' = 非低效), or grid cells of one 低效用地占比 class
 * (`share`: the class's lower bound). Null = everything.
 */
export type MapFilter = { kind: ColourMode; code: string } | { kind: 'share'; min: number };

export function sameFilter(left: MapFilter | null, right: MapFilter | null): boolean {
  if (left === null || right === null) return left === right;
  if (left.kind === 'share' || right.kind === 'share') return left.kind === right.kind && (left as { min: number }).min === (right as { min: number }).min;
  return left.kind === right.kind && left.code === right.code;
}

export interface BrowseSnapshot {
  /** 行政区划代码 of the district whose figures are shown (the city code for the whole city). */
  readonly districtCode: string;
  /** Parcel whose card (一宗一卡) is open, or null. */
  readonly parcelId: number | null;
  readonly colourMode: ColourMode;
  /** The legend or figure-table entry the map is narrowed to; null = everything. */
  readonly filter?: MapFilter | null;
  /**
   * Goes up whenever the user saved a change to the data: the map redraws the parcels, the
   * figures and the open card reload. A counter, not a flag, so two saves are two redraws.
   */
  readonly dataRevision: number;
}

export type BrowseListener = (snapshot: BrowseSnapshot, previous: BrowseSnapshot) => void;

/**
 * What the official is looking at, as plain data. The map adapter and the Vue panels both follow
 * it, and tests drive it without a browser; nothing here knows about MapLibre or Vue.
 */
export class BrowseState {
  #snapshot: BrowseSnapshot;
  readonly #listeners = new Set<BrowseListener>();

  constructor(initial: BrowseSnapshot) {
    this.#snapshot = initial;
  }

  get snapshot(): BrowseSnapshot {
    return this.#snapshot;
  }

  selectDistrict(code: string): void {
    this.#update({ districtCode: code });
  }

  selectParcel(id: number): void {
    this.#update({ parcelId: id });
  }

  clearParcel(): void {
    this.#update({ parcelId: null });
  }

  /** Another colour mode drops the filter: its legend entries are gone. */
  setColourMode(mode: ColourMode): void {
    this.#update(mode === this.#snapshot.colourMode ? {} : { colourMode: mode, filter: null });
  }

  /** Narrows the map to one entry; the same entry again shows everything (a toggle). */
  toggleFilter(filter: MapFilter): void {
    const current = this.#snapshot.filter ?? null;
    if (sameFilter(current, filter)) {
      this.#update({ filter: null });
      return;
    }
    this.#update(filter.kind === 'share' ? { filter } : { filter, colourMode: filter.kind });
  }

  clearFilter(): void {
    this.#update({ filter: null });
  }

  /** The data on the server changed (a saved edit): whatever shows it must fetch it again. */
  noteDataChanged(): void {
    this.#update({ dataRevision: this.#snapshot.dataRevision + 1 });
  }

  /** Calls `listener` after every change; returns the function that stops it. */
  subscribe(listener: BrowseListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #update(change: Partial<BrowseSnapshot>): void {
    const previous = this.#snapshot;
    const next = { ...previous, ...change };
    const changed = (Object.keys(change) as (keyof BrowseSnapshot)[]).some((key) => next[key] !== previous[key]);
    if (!changed) return;
    this.#snapshot = next;
    for (const listener of this.#listeners) listener(next, previous);
  }
}
