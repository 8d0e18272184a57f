import type { Position } from 'geojson';
import {
  arealFromPolygons,
  boxesMeet,
  boxOf,
  differenceAreal,
  intersectAreal,
  polygonsOf,
  unionAreal,
  type Areal,
} from './area-geometry.js';

/**
 * What terra-draw cannot do (holes, several parts) done on our own copy of the boundary: every
 * edit draws a simple polygon, and the boundary is rebuilt from it with turf's overlay. Expected
 * failures are values with a Chinese message shown beside the shape.
 */
export type BoundaryEdit = { ok: true; geometry: Areal } | { ok: false; reason: BoundaryEditFailure; message: string };

export type BoundaryEditFailure = 'no_boundary' | 'disjoint' | 'nothing_left' | 'outside' | 'overlay_failed';

export const BOUNDARY_EDIT_FAILURES = {
  noBoundary: 'no_boundary',
  disjoint: 'disjoint',
  nothingLeft: 'nothing_left',
  outside: 'outside',
  overlayFailed: 'overlay_failed',
} as const satisfies Record<string, BoundaryEditFailure>;

function overlay(operation: () => Areal | null, empty: BoundaryEdit): BoundaryEdit {
  try {
    const geometry = operation();
    return geometry ? { ok: true, geometry } : empty;
  } catch (error) {
    return { ok: false, reason: 'overlay_failed', message: `图形运算失败（${(error as Error).message}）：请调整折点后重试` };
  }
}

/** 添加地块范围: the drawn polygon joins the boundary (the result may have several parts). */
export function addToBoundary(boundary: Areal | null, drawn: Areal): BoundaryEdit {
  if (!boundary) return { ok: true, geometry: drawn };
  return overlay(() => unionAreal([boundary, drawn]), { ok: false, reason: 'nothing_left', message: '合并后边界为空' });
}

/** 挖洞: the drawn polygon is taken out of the boundary. */
export function cutHole(boundary: Areal | null, drawn: Areal): BoundaryEdit {
  if (!boundary) return { ok: false, reason: 'no_boundary', message: '请先绘制边界，再挖洞' };
  if (!boxesMeet(boxOf(boundary), boxOf(drawn))) return { ok: false, reason: 'disjoint', message: '挖洞范围与边界不相交' };
  return overlay(() => differenceAreal(boundary, drawn), { ok: false, reason: 'nothing_left', message: '挖去后边界为空：如需删除边界请用“清除边界”' });
}

/** A 零星用地 or 配套用房 piece, cut to the boundary. */
export function clipToBoundary(boundary: Areal | null, drawn: Areal): BoundaryEdit {
  if (!boundary) return { ok: false, reason: 'no_boundary', message: '请先绘制边界' };
  if (!boxesMeet(boxOf(boundary), boxOf(drawn))) return { ok: false, reason: 'outside', message: '所画范围在边界之外' };
  return overlay(() => intersectAreal(drawn, boundary), { ok: false, reason: 'outside', message: '所画范围在边界之外' });
}

/** 选地块 → 合并为边界: the union of the picked parcels. */
export function unionOfParcels(geometries: readonly Areal[]): BoundaryEdit {
  if (geometries.length === 0) return { ok: false, reason: 'nothing_left', message: '请先在地图上点选地块' };
  return overlay(() => unionAreal(geometries), { ok: false, reason: 'nothing_left', message: '所选地块合并后为空' });
}

/**
 * The boundary with the outer ring of one part as edited in terra-draw, without rebuilding: what
 * the gauges measure while a vertex is dragged (holes stay; they are put right at the end).
 */
export function previewOuterRing(boundary: Areal, part: number, ring: Position[]): Areal {
  const polygons = polygonsOf(boundary).map((rings, index) => (index === part ? [ring, ...rings.slice(1)] : rings));
  return arealFromPolygons(polygons) ?? boundary;
}

/**
 * The boundary after an edit of one part's outer ring: the part's holes are cut from the new ring
 * (a hole the ring no longer covers disappears) and the parts are joined again (parts dragged over
 * each other merge).
 */
export function rebuildWithOuterRing(boundary: Areal, part: number, ring: Position[]): BoundaryEdit {
  const polygons = polygonsOf(boundary);
  const edited = polygons[part];
  if (!edited) return { ok: false, reason: 'no_boundary', message: '要编辑的部分已不存在' };
  return overlay(() => {
    let shape: Areal | null = { type: 'Polygon', coordinates: [ring] };
    const holes = edited.slice(1).map((hole): Areal => ({ type: 'Polygon', coordinates: [hole] }));
    const holeUnion = unionAreal(holes);
    if (holeUnion) shape = differenceAreal(shape, holeUnion);
    const others = polygons.filter((_, index) => index !== part).map((rings): Areal => ({ type: 'Polygon', coordinates: rings }));
    return unionAreal(shape ? [shape, ...others] : others);
  }, { ok: false, reason: 'nothing_left', message: '编辑后边界为空' });
}

/** Which part of the boundary a point lies in (outer ring only), or -1. */
export function partAt(boundary: Areal, position: Position, inside: (position: Position, geometry: Areal) => boolean): number {
  return polygonsOf(boundary).findIndex((rings) => inside(position, { type: 'Polygon', coordinates: [rings[0]] }));
}
