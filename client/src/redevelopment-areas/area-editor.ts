import type { MultiPolygon, Polygon } from 'geojson';
import { DEFAULT_AREA_KIND, type AreaKind, type AreaStatus, type RedevelopmentMode } from '@domain/redevelopment-areas.js';
import type { GeoJsonPolygon } from '@domain/api/checks.schemas.js';
import type { AreaBody, AreaDetail, CheckBody, FloorAreaFigures, PolygonFeatures } from './areas.api.js';
import { polygonsOf, type Areal } from './area-geometry.js';

/** A 零星用地 or 配套用房 piece drawn by hand (already cut to the boundary). */
export interface MarkedLand {
  readonly id: string;
  readonly geometry: Areal;
}

export type FloorAreaKey = keyof FloorAreaFigures;

export const FLOOR_AREA_FIELDS: readonly { key: FloorAreaKey; label: string; hint?: string }[] = [
  { key: 'totalFloorArea', label: '总计容建筑面积' },
  { key: 'grossFloorArea', label: '项目总建筑面积', hint: '含不计容部分；工业厂房占比的分母（厦门新型产业用地办法第九条）' },
  { key: 'supportingFloorArea', label: '配套计容建筑面积' },
  { key: 'factoryFloorArea', label: '工业厂房建筑面积' },
];

/**
 * What the drawing tools change, and what undo puts back: an immutable value, so an undo restores
 * the very object saved before and "unsaved changes" is a reference comparison.
 */
export interface AreaContent {
  readonly boundary: Areal | null;
  readonly fragments: readonly MarkedLand[];
  readonly supportingLand: readonly MarkedLand[];
  /** Parcels meeting the boundary that are left out (every other one is taken in). */
  readonly excludedParcelIds: readonly number[];
  /** Taken parcels counted as 零星用地. */
  readonly fragmentParcelIds: readonly number[];
  readonly uncoveredIsFragment: boolean;
  readonly figures: FloorAreaFigures;
}

/** The area's descriptive fields, edited in the form (not in the undo log). */
export interface AreaMeta {
  readonly name: string;
  readonly mode: RedevelopmentMode;
  readonly modeOther: string;
  readonly targetLandUse: string;
  readonly ruleSetId: string;
  /** 区域类型: which rules bind the area. */
  readonly kind: AreaKind;
  /** Rule sets applied beside the city's (ids; the current version is used when checking). */
  readonly additionalRuleSetIds: readonly string[];
  /** 项目数 as entered; null: counted by the server from the parcels' 土地使用权人. */
  readonly projectCount: number | null;
}

export interface LogEntry {
  readonly id: number;
  /** What the change did, in Chinese, for the 操作记录 list. */
  readonly description: string;
  readonly at: number;
  readonly before: AreaContent;
  readonly after: AreaContent;
}

export interface AreaEditorSnapshot {
  /** null while the area is not saved yet. */
  readonly areaId: number | null;
  readonly version: number | null;
  /** null while the area is not saved yet (a new area is a draft). */
  readonly status: AreaStatus | null;
  readonly districtName: string | null;
  readonly content: AreaContent;
  readonly meta: AreaMeta;
  readonly log: readonly LogEntry[];
  /** How many entries of the log are applied; the ones after it can be redone. */
  readonly position: number;
  readonly dirty: boolean;
  /**
   * The saved list of taken parcels, until the parcels around the area are loaded and it can be
   * turned into the parcels left out (the editor keeps exclusions so new parcels come in by themselves).
   */
  readonly pendingTakenIds: readonly number[] | null;
}

export type AreaEditorListener = (snapshot: AreaEditorSnapshot, previous: AreaEditorSnapshot) => void;

/** The undo log keeps this many steps; older ones fall off. */
export const LOG_LIMIT = 200;

export const DEFAULT_RULE_SET = 'xiamen-new-industrial';

export const EMPTY_FIGURES: FloorAreaFigures = { totalFloorArea: null, grossFloorArea: null, supportingFloorArea: null, factoryFloorArea: null };

export function emptyContent(): AreaContent {
  return { boundary: null, fragments: [], supportingLand: [], excludedParcelIds: [], fragmentParcelIds: [], uncoveredIsFragment: true, figures: EMPTY_FIGURES };
}

export function defaultMeta(ruleSetId = DEFAULT_RULE_SET): AreaMeta {
  return { name: '', mode: 'government_entrusted', modeOther: '', targetLandUse: '', ruleSetId, kind: DEFAULT_AREA_KIND, additionalRuleSetIds: [], projectCount: null };
}

/** What of the fields the check depends on: a server answer is current while this stays the same. */
export function checkKeyOf(meta: AreaMeta): string {
  return JSON.stringify([meta.ruleSetId, meta.kind, meta.additionalRuleSetIds, meta.projectCount]);
}

function sameMeta(a: AreaMeta, b: AreaMeta): boolean {
  return a.name === b.name && a.mode === b.mode && a.modeOther === b.modeOther && a.targetLandUse === b.targetLandUse && checkKeyOf(a) === checkKeyOf(b);
}

/**
 * A saved geometry as GeoJSON. The contract leaves `coordinates` untyped (the server checks their
 * structure itself, to say in its own words what is wrong); a saved area's geometries passed that check.
 */
function arealOf(geometry: GeoJsonPolygon): Areal {
  return geometry as Areal;
}

function markedLandFrom(collection: PolygonFeatures, prefix: string, next: () => number): MarkedLand[] {
  return collection.features.map((feature) => ({ id: `${prefix}${next()}`, geometry: arealOf(feature.geometry) }));
}

function featureCollection(markedLand: readonly MarkedLand[]): PolygonFeatures {
  return { type: 'FeatureCollection', features: markedLand.map((piece) => ({ type: 'Feature', geometry: piece.geometry, properties: { id: piece.id } })) };
}

function formatM2(value: number | null): string {
  return value === null ? '空' : `${value.toLocaleString('zh-CN')} m²`;
}

/**
 * The area being drawn, as plain data: the map adapter (terra-draw, MapLibre) and the Vue panels
 * follow it, tests drive it without a browser. Every change of the boundary, a piece or the parcels
 * taken in is an entry of an undo log with a Chinese description.
 */
export class AreaEditor {
  #snapshot: AreaEditorSnapshot;
  #saved: { content: AreaContent; meta: AreaMeta };
  readonly #listeners = new Set<AreaEditorListener>();
  #nextEntryId = 1;
  #nextMarkedLandId = 1;

  constructor(ruleSetId = DEFAULT_RULE_SET) {
    const content = emptyContent();
    const meta = defaultMeta(ruleSetId);
    this.#saved = { content, meta };
    this.#snapshot = { areaId: null, version: null, status: null, districtName: null, content, meta, log: [], position: 0, dirty: false, pendingTakenIds: null };
  }

  get snapshot(): AreaEditorSnapshot {
    return this.#snapshot;
  }

  subscribe(listener: AreaEditorListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The revision may change the boundary and composition only while the planner holds it. */
  get editable(): boolean {
    const status = this.#snapshot.status;
    return status === null || status === 'draft' || status === 'returned';
  }

  get canUndo(): boolean {
    return this.#snapshot.position > 0;
  }

  get canRedo(): boolean {
    return this.#snapshot.position < this.#snapshot.log.length;
  }

  /** A new, empty area. */
  startNew(ruleSetId = DEFAULT_RULE_SET): void {
    const content = emptyContent();
    const meta = defaultMeta(ruleSetId);
    this.#saved = { content, meta };
    this.#replace({ areaId: null, version: null, status: null, districtName: null, content, meta, log: [], position: 0, dirty: false, pendingTakenIds: null });
  }

  /** A saved area (or one of its versions) as it was saved; the log starts empty. */
  load(area: AreaDetail): void {
    const { content, meta } = contentOfSaved(area, () => this.#nextMarkedLandId++);
    this.#saved = { content, meta };
    this.#replace({
      areaId: area.id, version: area.version, status: area.status, districtName: area.districtName,
      content, meta, log: [], position: 0, dirty: false, pendingTakenIds: area.input.parcels ?? null,
    });
  }

  /** After a save: the server's version is the new baseline; the log stays for further undo. */
  markSaved(area: Pick<AreaDetail, 'id' | 'version' | 'status' | 'districtName'>): void {
    const current = this.#snapshot;
    this.#saved = { content: current.content, meta: current.meta };
    this.#replace({ ...current, areaId: area.id, version: area.version, status: area.status, districtName: area.districtName, dirty: false });
  }

  /** A status change on the server (no new content). */
  noteStatus(status: AreaStatus, version: number): void {
    this.#replace({ ...this.#snapshot, status, version });
  }

  /**
   * The saved list of taken parcels becomes the parcels left out, once the parcels meeting the
   * boundary are known. Not a change of the user's: neither logged nor "unsaved".
   */
  resolvePendingTaken(intersectingIds: readonly number[]): void {
    const pending = this.#snapshot.pendingTakenIds;
    if (pending === null) return;
    const taken = new Set(pending);
    const excludedParcelIds = intersectingIds.filter((id) => !taken.has(id));
    const current = this.#snapshot;
    const wasSaved = current.content === this.#saved.content;
    const content = { ...current.content, excludedParcelIds };
    if (wasSaved) this.#saved = { ...this.#saved, content };
    this.#replace({ ...current, content, pendingTakenIds: null, log: [], position: 0, dirty: !wasSaved });
  }

  setMeta(change: Partial<AreaMeta>): void {
    const current = this.#snapshot;
    const meta = { ...current.meta, ...change };
    if (sameMeta(meta, current.meta)) return;
    this.#replace({ ...current, meta, dirty: this.#isDirty(current.content, meta) });
  }

  /** Applies a change as one log entry (later entries, if any were undone, are dropped). */
  change(description: string, update: (content: AreaContent) => AreaContent): void {
    const current = this.#snapshot;
    const before = current.content;
    const after = update(before);
    if (after === before) return;
    const entry: LogEntry = { id: this.#nextEntryId++, description, at: Date.now(), before, after };
    const log = [...current.log.slice(0, current.position), entry].slice(-LOG_LIMIT);
    this.#replace({ ...current, content: after, log, position: log.length, dirty: this.#isDirty(after, current.meta) });
  }

  undo(): LogEntry | null {
    const current = this.#snapshot;
    if (current.position === 0) return null;
    const entry = current.log[current.position - 1];
    this.#replace({ ...current, content: entry.before, position: current.position - 1, dirty: this.#isDirty(entry.before, current.meta) });
    return entry;
  }

  redo(): LogEntry | null {
    const current = this.#snapshot;
    if (current.position >= current.log.length) return null;
    const entry = current.log[current.position];
    this.#replace({ ...current, content: entry.after, position: current.position + 1, dirty: this.#isDirty(entry.after, current.meta) });
    return entry;
  }

  setBoundary(boundary: Areal | null, description: string): void {
    this.change(description, (content) => {
      if (content.boundary === boundary) return content;
      return boundary === null ? { ...emptyContent(), uncoveredIsFragment: content.uncoveredIsFragment, figures: content.figures } : { ...content, boundary };
    });
  }

  addMarkedLand(kind: 'fragment' | 'supporting', geometry: Areal, description: string): MarkedLand {
    const piece: MarkedLand = { id: `${kind === 'fragment' ? 'f' : 's'}${this.#nextMarkedLandId++}`, geometry };
    this.change(description, (content) => (kind === 'fragment'
      ? { ...content, fragments: [...content.fragments, piece] }
      : { ...content, supportingLand: [...content.supportingLand, piece] }));
    return piece;
  }

  removeMarkedLand(id: string, description: string): void {
    this.change(description, (content) => {
      const fragments = content.fragments.filter((piece) => piece.id !== id);
      const supportingLand = content.supportingLand.filter((piece) => piece.id !== id);
      if (fragments.length === content.fragments.length && supportingLand.length === content.supportingLand.length) return content;
      return { ...content, fragments, supportingLand };
    });
  }

  /** Takes a parcel in, or leaves it out (a parcel left out is no longer 零星用地 either). */
  toggleParcel(id: number, label: string): void {
    const excluded = this.#snapshot.content.excludedParcelIds.includes(id);
    this.change(excluded ? `纳入地块 ${label}` : `剔除地块 ${label}`, (content) => (excluded
      ? { ...content, excludedParcelIds: content.excludedParcelIds.filter((candidate) => candidate !== id) }
      : {
          ...content,
          excludedParcelIds: [...content.excludedParcelIds, id],
          fragmentParcelIds: content.fragmentParcelIds.filter((candidate) => candidate !== id),
        }));
  }

  /** Marks a parcel as 零星用地 (taking it in if it was left out), or unmarks it. */
  toggleFragmentParcel(id: number, label: string): void {
    const marked = this.#snapshot.content.fragmentParcelIds.includes(id);
    this.change(marked ? `取消地块 ${label} 的零星用地标记` : `地块 ${label} 标为零星用地`, (content) => (marked
      ? { ...content, fragmentParcelIds: content.fragmentParcelIds.filter((candidate) => candidate !== id) }
      : {
          ...content,
          fragmentParcelIds: [...content.fragmentParcelIds, id],
          excludedParcelIds: content.excludedParcelIds.filter((candidate) => candidate !== id),
        }));
  }

  setUncoveredIsFragment(value: boolean): void {
    this.change(value ? '边界内未登记土地计为零星用地' : '边界内未登记土地不计为零星用地', (content) => (content.uncoveredIsFragment === value ? content : { ...content, uncoveredIsFragment: value }));
  }

  setFloorArea(key: FloorAreaKey, value: number | null): void {
    const label = FLOOR_AREA_FIELDS.find((field) => field.key === key)?.label ?? key;
    this.change(`${label} 改为 ${formatM2(value)}`, (content) => (content.figures[key] === value ? content : { ...content, figures: { ...content.figures, [key]: value } }));
  }

  /** The `POST /api/checks` body of the area as it stands; null without a boundary. */
  checkBody(intersectingIds: readonly number[]): CheckBody | null {
    const { content, meta, areaId, pendingTakenIds } = this.#snapshot;
    if (!content.boundary) return null;
    const excluded = new Set(content.excludedParcelIds);
    const body: CheckBody = { ruleSet: meta.ruleSetId, kind: meta.kind, boundary: content.boundary, uncoveredIsFragment: content.uncoveredIsFragment };
    const additional = meta.additionalRuleSetIds.filter((id) => id !== meta.ruleSetId);
    if (additional.length > 0) body.additionalRuleSets = additional.map((id) => ({ id }));
    if (meta.projectCount !== null) body.projectCount = meta.projectCount;
    // Figures not entered are left out rather than sent as null: a number schema may coerce null to 0.
    const figures: Partial<FloorAreaFigures> = Object.fromEntries(Object.entries(content.figures).filter(([, value]) => value !== null));
    if (Object.keys(figures).length > 0) body.figures = figures;
    if (content.fragments.length > 0) body.fragments = featureCollection(content.fragments);
    if (content.supportingLand.length > 0) body.supportingLand = featureCollection(content.supportingLand);
    if (pendingTakenIds !== null) body.parcels = [...pendingTakenIds];
    else if (excluded.size > 0) body.parcels = intersectingIds.filter((id) => !excluded.has(id));
    const fragmentParcels = content.fragmentParcelIds.filter((id) => !excluded.has(id));
    if (fragmentParcels.length > 0) body.fragmentParcels = fragmentParcels;
    if (areaId !== null) body.excludeArea = areaId;
    return body;
  }

  /** The body of `POST /api/areas` / `PUT /api/areas/{id}`. */
  saveBody(intersectingIds: readonly number[], note?: string): AreaBody | null {
    const check = this.checkBody(intersectingIds);
    if (!check) return null;
    const { meta } = this.#snapshot;
    const { excludeArea: _excluded, ...rest } = check;
    void _excluded;
    const body: AreaBody = { ...rest, name: meta.name.trim(), mode: meta.mode };
    if (meta.mode === 'other') body.modeOther = meta.modeOther.trim();
    if (meta.targetLandUse.trim()) body.targetLandUse = meta.targetLandUse.trim();
    if (note?.trim()) body.note = note.trim();
    return body;
  }

  #isDirty(content: AreaContent, meta: AreaMeta): boolean {
    return content !== this.#saved.content || !sameMeta(meta, this.#saved.meta);
  }

  #replace(next: AreaEditorSnapshot): void {
    const previous = this.#snapshot;
    this.#snapshot = next;
    for (const listener of this.#listeners) listener(next, previous);
  }
}

/** The editable content and fields of a saved area. */
export function contentOfSaved(area: AreaDetail, nextMarkedLandId: () => number): { content: AreaContent; meta: AreaMeta } {
  const input = area.input;
  const content: AreaContent = {
    boundary: normaliseBoundary(arealOf(input.boundary)),
    fragments: markedLandFrom(input.fragments, 'f', nextMarkedLandId),
    supportingLand: markedLandFrom(input.supportingLand, 's', nextMarkedLandId),
    excludedParcelIds: [],
    fragmentParcelIds: input.fragmentParcels,
    uncoveredIsFragment: input.uncoveredIsFragment,
    figures: { ...EMPTY_FIGURES, ...input.figures },
  };
  const meta: AreaMeta = {
    name: area.name,
    mode: area.mode,
    modeOther: area.modeOther ?? '',
    targetLandUse: area.targetLandUse ?? '',
    ruleSetId: input.ruleSet,
    kind: input.kind ?? area.kind ?? DEFAULT_AREA_KIND,
    additionalRuleSetIds: (input.additionalRuleSets ?? []).map((set) => set.id),
    projectCount: input.projectCount ?? null,
  };
  return { content, meta };
}

/** A saved MultiPolygon of one part is edited as a Polygon (terra-draw edits one ring at a time anyway). */
function normaliseBoundary(boundary: Polygon | MultiPolygon): Areal {
  const polygons = polygonsOf(boundary);
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : boundary;
}
