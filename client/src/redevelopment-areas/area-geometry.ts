import { difference, feature, featureCollection, intersect, pointOnFeature, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';

/**
 * Plane geometry of 成片改造区域 in longitude/latitude degrees: the operations the drawing tools
 * and the live figures share. Overlay (union, difference, intersection) is turf's; the cheap tests
 * a vertex drag runs hundreds of times (boxes, point in polygon, segments) are written out here so
 * they allocate nothing. Areas are never measured here: see `geometryAreaM2` (ellipsoidal).
 */
export type Areal = Polygon | MultiPolygon;

/** [minLon, minLat, maxLon, maxLat]. */
export type Box = [number, number, number, number];

/** One edge of a ring: [x1, y1, x2, y2]. */
export type Segment = [number, number, number, number];

/** The polygons of a Polygon or MultiPolygon, each as [outer, ...holes]. */
export function polygonsOf(geometry: Areal): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** A Polygon when there is one part, a MultiPolygon otherwise; null when nothing is left. */
export function arealFromPolygons(polygons: Position[][][]): Areal | null {
  const kept = polygons.filter((rings) => rings.length > 0 && rings[0].length >= 4);
  if (kept.length === 0) return null;
  if (kept.length === 1) return { type: 'Polygon', coordinates: kept[0] };
  return { type: 'MultiPolygon', coordinates: kept };
}

export function emptyBox(): Box {
  return [Infinity, Infinity, -Infinity, -Infinity];
}

export function extendBox(box: Box, x: number, y: number): void {
  if (x < box[0]) box[0] = x;
  if (y < box[1]) box[1] = y;
  if (x > box[2]) box[2] = x;
  if (y > box[3]) box[3] = y;
}

export function boxOf(geometry: Areal): Box {
  const box = emptyBox();
  for (const rings of polygonsOf(geometry)) {
    for (const position of rings[0] ?? []) extendBox(box, position[0], position[1]);
  }
  return box;
}

export function boxesMeet(a: Box, b: Box): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

export function segmentBox(segment: Segment): Box {
  return [
    Math.min(segment[0], segment[2]), Math.min(segment[1], segment[3]),
    Math.max(segment[0], segment[2]), Math.max(segment[1], segment[3]),
  ];
}

/** Whether a segment passes through a box (Liang–Barsky clipping), not merely its own box meeting it. */
export function segmentMeetsBox(segment: Segment, box: Box): boolean {
  const [x1, y1, x2, y2] = segment;
  const dx = x2 - x1;
  const dy = y2 - y1;
  let low = 0;
  let high = 1;
  const edges: [number, number][] = [[-dx, x1 - box[0]], [dx, box[2] - x1], [-dy, y1 - box[1]], [dy, box[3] - y1]];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) {
      if (t > high) return false;
      if (t > low) low = t;
    } else {
      if (t < low) return false;
      if (t < high) high = t;
    }
  }
  return true;
}

/** Every edge of every ring (outer rings and holes). */
export function segmentsOf(geometry: Areal): Segment[] {
  const segments: Segment[] = [];
  for (const rings of polygonsOf(geometry)) {
    for (const ring of rings) {
      for (let index = 1; index < ring.length; index++) {
        const from = ring[index - 1];
        const to = ring[index];
        if (from[0] === to[0] && from[1] === to[1]) continue;
        segments.push([from[0], from[1], to[0], to[1]]);
      }
    }
  }
  return segments;
}

/** The same key for an edge in either direction, so a ring drawn the other way round changes nothing. */
export function segmentKey(segment: Segment): string {
  const [x1, y1, x2, y2] = segment;
  return x1 < x2 || (x1 === x2 && y1 <= y2) ? `${x1},${y1},${x2},${y2}` : `${x2},${y2},${x1},${y1}`;
}

function pointInRing(x: number, y: number, ring: Position[]): boolean {
  let inside = false;
  for (let index = 0, previous = ring.length - 1; index < ring.length; previous = index++) {
    const xi = ring[index][0];
    const yi = ring[index][1];
    const xj = ring[previous][0];
    const yj = ring[previous][1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Even-odd test against outer rings and holes. Points exactly on an edge may go either way. */
export function pointInAreal(position: Position, geometry: Areal): boolean {
  const [x, y] = position;
  for (const rings of polygonsOf(geometry)) {
    if (rings.length === 0 || !pointInRing(x, y, rings[0])) continue;
    let inHole = false;
    for (let index = 1; index < rings.length; index++) {
      if (pointInRing(x, y, rings[index])) {
        inHole = true;
        break;
      }
    }
    if (!inHole) return true;
  }
  return false;
}

/** A point surely inside the shape (not on its edge), for deciding whole parcels by one test. */
export function interiorPoint(geometry: Areal): Position {
  return pointOnFeature(feature(geometry)).geometry.coordinates;
}

function asAreal(result: Feature<Polygon | MultiPolygon> | null): Areal | null {
  if (!result) return null;
  return arealFromPolygons(polygonsOf(result.geometry));
}

export function intersectAreal(a: Areal, b: Areal): Areal | null {
  return asAreal(intersect(featureCollection([feature(a), feature(b)])));
}

/**
 * The single outer ring of a convex polygon without holes, open and counter-clockwise; null for
 * anything else. Most parcels are such (rectangles, trapezia), and clipping by them needs no
 * general overlay.
 */
export function convexRing(geometry: Areal): Position[] | null {
  const polygons = polygonsOf(geometry);
  if (polygons.length !== 1 || polygons[0].length !== 1) return null;
  const ring = polygons[0][0];
  const closed = ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1];
  const points = closed ? ring.slice(0, -1) : ring.slice();
  if (points.length < 3) return null;
  let sign = 0;
  for (let index = 0; index < points.length; index++) {
    const [ax, ay] = points[index];
    const [bx, by] = points[(index + 1) % points.length];
    const [cx, cy] = points[(index + 2) % points.length];
    const cross = (bx - ax) * (cy - by) - (by - ay) * (cx - bx);
    if (Math.abs(cross) < 1e-18) continue;
    const turn = cross > 0 ? 1 : -1;
    if (sign === 0) sign = turn;
    else if (turn !== sign) return null;
  }
  if (sign === 0) return null;
  return sign > 0 ? points : points.reverse();
}

/** Sutherland–Hodgman: an open ring clipped by an open counter-clockwise convex ring. */
function clipRing(subject: Position[], clip: Position[]): Position[] {
  let output = subject;
  for (let edge = 0; edge < clip.length && output.length > 0; edge++) {
    const [ax, ay] = clip[edge];
    const [bx, by] = clip[(edge + 1) % clip.length];
    const side = (point: Position) => (bx - ax) * (point[1] - ay) - (by - ay) * (point[0] - ax);
    const input = output;
    output = [];
    for (let index = 0; index < input.length; index++) {
      const current = input[index];
      const previous = input[(index + input.length - 1) % input.length];
      const currentSide = side(current);
      const previousSide = side(previous);
      if ((currentSide >= 0) !== (previousSide >= 0)) {
        const t = previousSide / (previousSide - currentSide);
        output.push([previous[0] + (current[0] - previous[0]) * t, previous[1] + (current[1] - previous[1]) * t]);
      }
      if (currentSide >= 0) output.push(current);
    }
  }
  return output;
}

/**
 * `subject` ∩ a convex ring (from `convexRing`), ring by ring: exact in area, a few microseconds
 * instead of a general overlay. Where a concave subject leaves the clip region and comes back, the
 * result keeps zero-width bridges along the clip's edges: they have no area and draw as nothing.
 */
export function clipByConvex(subject: Areal, clip: Position[]): Areal | null {
  const polygons: Position[][][] = [];
  for (const rings of polygonsOf(subject)) {
    const clippedRings: Position[][] = [];
    for (const [index, ring] of rings.entries()) {
      const closed = ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1];
      const clipped = clipRing(closed ? ring.slice(0, -1) : ring, clip);
      if (clipped.length < 3) {
        if (index === 0) break; // the outer ring is gone: so is the polygon
        continue;
      }
      clippedRings.push([...clipped, clipped[0]]);
    }
    if (clippedRings.length > 0) polygons.push(clippedRings);
  }
  return arealFromPolygons(polygons);
}

export function unionAreal(shapes: readonly Areal[]): Areal | null {
  if (shapes.length === 0) return null;
  if (shapes.length === 1) return arealFromPolygons(polygonsOf(shapes[0]));
  return asAreal(union(featureCollection(shapes.map((shape) => feature(shape)))));
}

export function differenceAreal(a: Areal, b: Areal): Areal | null {
  return asAreal(difference(featureCollection([feature(a), feature(b)])));
}

/** The geometry with its part `index` taken out (null when it was the only part). */
export function withoutPart(geometry: Areal, index: number): Areal | null {
  return arealFromPolygons(polygonsOf(geometry).filter((_, candidate) => candidate !== index));
}

/** The geometry with the outer ring of part `index` replaced; the part's holes stay. */
export function withOuterRing(geometry: Areal, index: number, ring: Position[]): Areal | null {
  const polygons = polygonsOf(geometry).map((rings, candidate) => (candidate === index ? [ring, ...rings.slice(1)] : rings));
  return arealFromPolygons(polygons);
}

/** Number of vertices (closing positions not counted twice). */
export function vertexCount(geometry: Areal): number {
  return polygonsOf(geometry).reduce((sum, rings) => sum + rings.reduce((ringSum, ring) => ringSum + Math.max(ring.length - 1, 0), 0), 0);
}

// ---------------------------------------------------------------------------------------------
// Distances in metres, for contiguity

/** GRS80 / CGCS2000 (the two differ by 0.1 mm in the semi-minor axis). */
const SEMI_MAJOR_AXIS = 6378137;
const FLATTENING = 1 / 298.257222101;
const ECCENTRICITY_SQUARED = FLATTENING * (2 - FLATTENING);

/**
 * Metres per degree of longitude and of latitude at a latitude, on the ellipsoid. Over the few
 * hundred metres a 成片改造区域 spans this local plane is within millimetres of the server's
 * transverse Mercator, which is all a gap tolerance of a few metres needs.
 */
export function metresPerDegree(latitude: number): { x: number; y: number } {
  const phi = (latitude * Math.PI) / 180;
  const sin = Math.sin(phi);
  const w = Math.sqrt(1 - ECCENTRICITY_SQUARED * sin * sin);
  const radians = Math.PI / 180;
  return {
    x: (radians * SEMI_MAJOR_AXIS * Math.cos(phi)) / w,
    y: (radians * SEMI_MAJOR_AXIS * (1 - ECCENTRICITY_SQUARED)) / (w * w * w),
  };
}

function pointSegmentDistanceSquared(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length = dx * dx + dy * dy;
  let t = length === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / length;
  t = Math.max(0, Math.min(1, t));
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
}

function segmentsCross(a: Segment, b: Segment): boolean {
  const o1 = orientation(a[0], a[1], a[2], a[3], b[0], b[1]);
  const o2 = orientation(a[0], a[1], a[2], a[3], b[2], b[3]);
  const o3 = orientation(b[0], b[1], b[2], b[3], a[0], a[1]);
  const o4 = orientation(b[0], b[1], b[2], b[3], a[2], a[3]);
  return o1 !== o2 && o3 !== o4 && o1 !== 0 && o2 !== 0 && o3 !== 0 && o4 !== 0;
}

/** Shortest distance between two segments in a plane (0 when they cross or touch). */
export function segmentDistance(a: Segment, b: Segment): number {
  if (segmentsCross(a, b)) return 0;
  return Math.sqrt(Math.min(
    pointSegmentDistanceSquared(a[0], a[1], b[0], b[1], b[2], b[3]),
    pointSegmentDistanceSquared(a[2], a[3], b[0], b[1], b[2], b[3]),
    pointSegmentDistanceSquared(b[0], b[1], a[0], a[1], a[2], a[3]),
    pointSegmentDistanceSquared(b[2], b[3], a[0], a[1], a[2], a[3]),
  ));
}

/**
 * Parts of an area, joined when they are no farther apart than `toleranceM` metres (roads and
 * ditches between parcels do not break 集中连片), as PostGIS ST_ClusterDBSCAN(eps => tolerance,
 * minpoints => 1) does on the server.
 */
export function countPieces(geometry: Areal, toleranceM: number): number {
  const polygons = polygonsOf(geometry).filter((rings) => rings.length > 0 && rings[0].length >= 4);
  if (polygons.length <= 1) return polygons.length;
  const box = boxOf(geometry);
  const scale = metresPerDegree((box[1] + box[3]) / 2);
  const originX = box[0];
  const originY = box[1];
  const parts = polygons.map((rings) => {
    const segments: Segment[] = [];
    const partBox = emptyBox();
    for (const ring of rings) {
      for (let index = 1; index < ring.length; index++) {
        const segment: Segment = [
          (ring[index - 1][0] - originX) * scale.x, (ring[index - 1][1] - originY) * scale.y,
          (ring[index][0] - originX) * scale.x, (ring[index][1] - originY) * scale.y,
        ];
        segments.push(segment);
        extendBox(partBox, segment[0], segment[1]);
        extendBox(partBox, segment[2], segment[3]);
      }
    }
    return { segments, box: partBox };
  });

  const parent = parts.map((_, index) => index);
  const find = (index: number): number => {
    while (parent[index] !== index) {
      parent[index] = parent[parent[index]];
      index = parent[index];
    }
    return index;
  };
  const tolerance = Math.max(0, toleranceM);
  for (let first = 0; first < parts.length; first++) {
    for (let second = first + 1; second < parts.length; second++) {
      if (find(first) === find(second)) continue;
      const a = parts[first];
      const b = parts[second];
      const grown: Box = [a.box[0] - tolerance, a.box[1] - tolerance, a.box[2] + tolerance, a.box[3] + tolerance];
      if (!boxesMeet(grown, b.box)) continue;
      if (partsWithin(a.segments, b.segments, tolerance)) parent[find(first)] = find(second);
    }
  }
  return new Set(parts.map((_, index) => find(index))).size;
}

function partsWithin(a: Segment[], b: Segment[], tolerance: number): boolean {
  for (const first of a) {
    const firstBox = segmentBox(first);
    const grown: Box = [firstBox[0] - tolerance, firstBox[1] - tolerance, firstBox[2] + tolerance, firstBox[3] + tolerance];
    for (const second of b) {
      if (!boxesMeet(grown, segmentBox(second))) continue;
      if (segmentDistance(first, second) <= tolerance) return true;
    }
  }
  return false;
}
