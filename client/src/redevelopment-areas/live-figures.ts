import type { MultiPolygon, Polygon, Position } from 'geojson';
import { geometryAreaM2 } from '@domain/ellipsoidal-area.js';
import {
  boxesMeet,
  boxOf,
  clipByConvex,
  convexRing,
  countPieces,
  interiorPoint,
  intersectAreal,
  pointInAreal,
  polygonsOf,
  segmentBox,
  segmentMeetsBox,
  segmentKey,
  segmentsOf,
  unionAreal,
  type Areal,
  type Box,
  type Segment,
} from './area-geometry.js';

/**
 * The figures of a 成片改造区域 while it is drawn, by the server's definitions (see
 * server/checks/checks.service.ts) but in the browser, so the gauges follow a vertex drag:
 * - project land = the boundary's ellipsoidal area, holes excluded;
 * - 零星用地 = (drawn fragments ∪ parcels marked so ∪ land no taken parcel covers, when asked) ∩ boundary;
 * - uncovered = boundary − taken parcels (parcels do not overlap, so project − Σ inside);
 * - 配套用房 land = markedLand ∩ boundary;
 * - pieces = parts of the boundary, joined when no farther apart than the gap tolerance.
 * Areas are CGCS2000 ellipsoidal (GeographicLib, as PostGIS `geography`), never planar.
 */

export interface LiveParcel {
  id: number;
  /** The parcel's recorded area, m² (the share's denominator, as on the server). */
  areaM2: number;
  status: string | null;
  geometry: Polygon | MultiPolygon;
}

export interface LiveFiguresInput {
  boundary: Polygon | MultiPolygon;
  parcels: LiveParcel[];
  /** Parcels taken in; null = every parcel meeting the boundary. */
  takenIds: Set<number> | null;
  /** Parcels counted as 零星用地 (only while taken in, as on the server). */
  fragmentParcelIds: Set<number>;
  /** 零星用地 drawn by hand. */
  fragments: (Polygon | MultiPolygon)[];
  /** 配套用房 land drawn by hand. */
  supportingLand: (Polygon | MultiPolygon)[];
  uncoveredIsFragment: boolean;
  /** The contiguity rule's tolerance: parts this close (m) count as one piece. */
  gapToleranceM: number;
}

export interface LiveParcelFigure {
  id: number;
  /** Area of the parcel inside the boundary, m². */
  insideM2: number;
  /** insideM2 ÷ the parcel's recorded area (1 = whole). */
  share: number;
  /** The whole parcel lies inside the boundary. */
  whole: boolean;
}

export interface LiveFigures {
  projectLandM2: number;
  fragmentLandM2: number;
  uncoveredLandM2: number;
  supportingLandM2: number;
  parcelLandM2: number;
  /** Taken parcels whose status is suspected or identified, inside the boundary. */
  inefficientLandM2: number;
  pieces: number;
  /** Every parcel with land inside the boundary (taken in or not), in input order. */
  parcels: LiveParcelFigure[];
}

/** Statuses whose land counts as 低效用地 in the informational share. */
const INEFFICIENT_STATUSES = new Set(['suspected', 'identified']);

/** Below this (m²) a parcel only touches the boundary: snapping leaves slivers of floating-point dust. */
const TOUCH_M2 = 0.01;

type Relation = { kind: 'outside'; insideM2: 0 } | { kind: 'inside'; insideM2: number } | { kind: 'cut'; insideM2: number; inside: Areal };

interface ParcelEntry {
  geometry: Areal;
  box: Box;
  /** Ellipsoidal area of the geometry: what a whole parcel contributes. */
  geometryM2: number;
  /** A point inside the parcel, decided once; whole parcels are placed by testing it alone. */
  probe: Position | null;
  /** The parcel's ring when it is convex (most are): then it clips the boundary directly. */
  convex: Position[] | null;
}

interface BoundaryState {
  geometry: Areal;
  /** Whether any part has a hole. */
  holes: boolean;
  box: Box;
  segments: Segment[];
  segmentBoxes: Box[];
  keys: Set<string>;
}

/**
 * What a vertex drag does not change, kept between calls: each parcel's box, area and inner point,
 * and how it lies against the boundary. When the boundary changes, only the edges that differ are
 * looked at: a parcel outside their box keeps its figure; inside it, a parcel no edge comes near is
 * placed by one point test (a dragged edge can sweep over a whole parcel), and only parcels an edge
 * comes near are intersected again.
 */
export class LiveFiguresCache {
  readonly #parcels = new Map<number, ParcelEntry>();
  /** How each parcel lay against the boundary of call `generation`. */
  readonly #relations = new Map<number, { relation: Relation; generation: number }>();
  #boundary: BoundaryState | null = null;
  #generation = 0;
  /** Overlay operations run by the last call (parcels intersected again); for tests and tuning. */
  lastIntersections = 0;

  /** Forgets every figure (e.g. after the parcels were edited on the server). */
  clear(): void {
    this.#parcels.clear();
    this.#relations.clear();
    this.#boundary = null;
  }

  /** @internal Starts a call: relations of the previous call are the ones that can be reused. */
  beginCall(): void {
    this.#generation++;
  }

  /**
   * The part of a parcel inside the boundary of the last call (the parcel itself when whole), for
   * drawing what is taken in; null when it lies outside or was not in that call.
   */
  insideGeometry(id: number): Polygon | MultiPolygon | null {
    const known = this.#relations.get(id);
    if (!known || known.generation !== this.#generation) return null;
    const { relation } = known;
    if (relation.kind === 'cut') return relation.inside;
    return relation.kind === 'inside' ? this.#parcels.get(id)?.geometry ?? null : null;
  }

  /** @internal */
  entryOf(parcel: LiveParcel): { entry: ParcelEntry; fresh: boolean } {
    const known = this.#parcels.get(parcel.id);
    if (known && known.geometry === parcel.geometry) return { entry: known, fresh: false };
    const entry: ParcelEntry = {
      geometry: parcel.geometry, box: boxOf(parcel.geometry), geometryM2: geometryAreaM2(parcel.geometry), probe: null, convex: convexRing(parcel.geometry),
    };
    this.#parcels.set(parcel.id, entry);
    this.#relations.delete(parcel.id);
    return { entry, fresh: true };
  }

  /** @internal */
  relationOf(id: number): Relation | undefined {
    const known = this.#relations.get(id);
    // A parcel left out of the last call was not followed through that boundary change.
    return known && known.generation === this.#generation - 1 ? known.relation : undefined;
  }

  /** @internal */
  setRelation(id: number, relation: Relation): void {
    this.#relations.set(id, { relation, generation: this.#generation });
  }

  /** @internal */
  swapBoundary(next: BoundaryState): BoundaryState | null {
    const previous = this.#boundary;
    this.#boundary = next;
    return previous;
  }
}

function boundaryState(geometry: Areal): BoundaryState {
  const segments = segmentsOf(geometry);
  const holes = polygonsOf(geometry).some((rings) => rings.length > 1);
  return { geometry, holes, box: boxOf(geometry), segments, segmentBoxes: segments.map(segmentBox), keys: new Set(segments.map(segmentKey)) };
}

/** What changed between two boundaries: the boxes of the edges either one has and the other lacks. */
function changedEdges(previous: BoundaryState, next: BoundaryState): { hull: Box } | null {
  let changed = 0;
  const hull: Box = [Infinity, Infinity, -Infinity, -Infinity];
  const note = (box: Box) => {
    changed++;
    hull[0] = Math.min(hull[0], box[0]);
    hull[1] = Math.min(hull[1], box[1]);
    hull[2] = Math.max(hull[2], box[2]);
    hull[3] = Math.max(hull[3], box[3]);
  };
  next.segments.forEach((segment, index) => {
    if (!previous.keys.has(segmentKey(segment))) note(next.segmentBoxes[index]);
  });
  previous.segments.forEach((segment, index) => {
    if (!next.keys.has(segmentKey(segment))) note(previous.segmentBoxes[index]);
  });
  return changed === 0 ? null : { hull };
}

function probeOf(entry: ParcelEntry): Position {
  entry.probe ??= interiorPoint(entry.geometry);
  return entry.probe;
}

/** Whole inside or whole outside, by one point; only for parcels no boundary edge comes near. */
function placeByPoint(entry: ParcelEntry, boundary: BoundaryState): Relation {
  if (!boxesMeet(entry.box, boundary.box)) return { kind: 'outside', insideM2: 0 };
  return pointInAreal(probeOf(entry), boundary.geometry) ? { kind: 'inside', insideM2: entry.geometryM2 } : { kind: 'outside', insideM2: 0 };
}

/** Whether a boundary edge passes through the parcel's box (then the overlay decides). */
function nearAnEdge(box: Box, boundary: BoundaryState): boolean {
  const { segments, segmentBoxes } = boundary;
  for (let index = 0; index < segments.length; index++) {
    if (boxesMeet(box, segmentBoxes[index]) && segmentMeetsBox(segments[index], box)) return true;
  }
  return false;
}

/** The full decision for one parcel: boxes first, the overlay only when an edge comes near. */
function classify(entry: ParcelEntry, boundary: BoundaryState, cache: LiveFiguresCache): Relation {
  if (!boxesMeet(entry.box, boundary.box)) return { kind: 'outside', insideM2: 0 };
  if (!nearAnEdge(entry.box, boundary)) return placeByPoint(entry, boundary);
  cache.lastIntersections++;
  // A convex parcel (most are) clips a boundary without holes directly; anything else goes through
  // the general overlay (a hole ring clipped on its own would split edges differently from the
  // server's overlay, which changes geodesic areas by square millimetres).
  const inside = entry.convex && !boundary.holes ? clipByConvex(boundary.geometry, entry.convex) : intersectAreal(entry.geometry, boundary.geometry);
  const insideM2 = inside ? geometryAreaM2(inside) : 0;
  if (insideM2 < TOUCH_M2) return { kind: 'outside', insideM2: 0 };
  // Snapped exactly onto the parcel's edges: the overlay gives the whole parcel back, to rounding.
  if (Math.abs(insideM2 - entry.geometryM2) <= Math.max(TOUCH_M2, entry.geometryM2 * 1e-9)) return { kind: 'inside', insideM2: entry.geometryM2 };
  return { kind: 'cut', insideM2, inside: inside! };
}

/**
 * The live figures of an area. Pass the same `cache` on every call while the user edits: then a
 * vertex drag costs a few overlays instead of one per parcel. Without a cache every parcel near an
 * edge is intersected.
 */
export function computeLiveFigures(input: LiveFiguresInput, cache: LiveFiguresCache = new LiveFiguresCache()): LiveFigures {
  cache.lastIntersections = 0;
  cache.beginCall();
  const boundary = boundaryState(input.boundary);
  const previous = cache.swapBoundary(boundary);
  const change = previous ? changedEdges(previous, boundary) : null;
  const unchanged = previous !== null && change === null;

  const projectLandM2 = geometryAreaM2(input.boundary);
  const parcels: LiveParcelFigure[] = [];
  const taken: { id: number; entry: ParcelEntry; insideM2: number; status: string | null }[] = [];
  for (const parcel of input.parcels) {
    const { entry, fresh } = cache.entryOf(parcel);
    const known = fresh || previous === null ? undefined : cache.relationOf(parcel.id);
    let relation: Relation;
    // Outside the box of the changed edges no point changes sides (even-odd: the edges both
    // boundaries share cancel out, whichever way they run); inside it, decide again.
    if (known && (unchanged || !change || !boxesMeet(entry.box, change.hull))) relation = known;
    else relation = classify(entry, boundary, cache);
    cache.setRelation(parcel.id, relation);
    if (relation.kind === 'outside') continue;

    const share = parcel.areaM2 > 0 ? Math.min(relation.insideM2 / parcel.areaM2, 1) : 0;
    parcels.push({ id: parcel.id, insideM2: relation.insideM2, share: relation.kind === 'inside' ? 1 : share, whole: relation.kind === 'inside' });
    if (input.takenIds === null || input.takenIds.has(parcel.id)) taken.push({ id: parcel.id, entry, insideM2: relation.insideM2, status: parcel.status });
  }

  let parcelLandM2 = 0;
  let inefficientLandM2 = 0;
  let markedM2 = 0;
  for (const parcel of taken) {
    parcelLandM2 += parcel.insideM2;
    if (parcel.status !== null && INEFFICIENT_STATUSES.has(parcel.status)) inefficientLandM2 += parcel.insideM2;
    if (input.fragmentParcelIds.has(parcel.id)) markedM2 += parcel.insideM2;
  }
  const uncoveredLandM2 = Math.max(projectLandM2 - parcelLandM2, 0);

  // 零星用地 = M ∪ U ∪ D within the boundary, M (marked parcels) and U (uncovered) being disjoint:
  // |M| + (U counted ? |U| : |D ∩ U|) + |D ∩ taken parcels not marked|, with |D ∩ U| = |D| − |D ∩ taken|.
  let fragmentLandM2 = markedM2 + (input.uncoveredIsFragment ? uncoveredLandM2 : 0);
  const drawn = input.fragments.length > 0 ? clipped(input.fragments, input.boundary) : null;
  if (drawn) {
    const drawnBox = boxOf(drawn);
    const drawnM2 = geometryAreaM2(drawn);
    let overTaken = 0;
    let overUnmarked = 0;
    for (const parcel of taken) {
      if (!boxesMeet(parcel.entry.box, drawnBox)) continue;
      const overlap = intersectAreal(drawn, parcel.entry.geometry);
      const overlapM2 = overlap ? geometryAreaM2(overlap) : 0;
      overTaken += overlapM2;
      if (!input.fragmentParcelIds.has(parcel.id)) overUnmarked += overlapM2;
    }
    fragmentLandM2 += overUnmarked + (input.uncoveredIsFragment ? 0 : Math.max(drawnM2 - overTaken, 0));
  }

  const supporting = input.supportingLand.length > 0 ? clipped(input.supportingLand, input.boundary) : null;
  return {
    projectLandM2,
    fragmentLandM2: Math.min(fragmentLandM2, projectLandM2),
    uncoveredLandM2,
    supportingLandM2: supporting ? geometryAreaM2(supporting) : 0,
    parcelLandM2,
    inefficientLandM2,
    pieces: countPieces(input.boundary, input.gapToleranceM),
    parcels,
  };
}

/** The union of drawn shapes, cut to the boundary. */
function clipped(shapes: Areal[], boundary: Areal): Areal | null {
  const merged = unionAreal(shapes);
  return merged ? intersectAreal(merged, boundary) : null;
}
