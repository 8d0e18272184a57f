import type { Position } from 'geojson';
import { boxesMeet, polygonsOf, type Areal, type Box } from './area-geometry.js';

/** Screen position in pixels from the map container's top-left corner. */
export interface ScreenPoint {
  x: number;
  y: number;
}

export interface SnapTarget {
  geometry: Areal;
  box: Box;
}

export interface SnapContext {
  project: (lng: number, lat: number) => ScreenPoint;
  unproject: (x: number, y: number) => { lng: number; lat: number };
}

/** How close (px) the pointer must come to a vertex or an edge to snap to it. */
export const SNAP_DISTANCE_PX = 10;

/**
 * Where the pointer snaps: the nearest parcel vertex within `tolerancePx`, else the nearest point
 * on a parcel edge within it, else nowhere. Vertices win over edges so a corner is easy to hit.
 * Distances are measured on screen, so snapping feels the same at every zoom.
 */
export function snapPosition(pointer: ScreenPoint, targets: readonly SnapTarget[], context: SnapContext, tolerancePx = SNAP_DISTANCE_PX): Position | undefined {
  const corners = [
    context.unproject(pointer.x - tolerancePx, pointer.y - tolerancePx),
    context.unproject(pointer.x + tolerancePx, pointer.y + tolerancePx),
  ];
  const search: Box = [
    Math.min(corners[0].lng, corners[1].lng), Math.min(corners[0].lat, corners[1].lat),
    Math.max(corners[0].lng, corners[1].lng), Math.max(corners[0].lat, corners[1].lat),
  ];
  const limit = tolerancePx * tolerancePx;
  let vertex: { position: Position; distance: number } | null = null;
  let edge: { position: Position; distance: number } | null = null;
  for (const target of targets) {
    if (!boxesMeet(target.box, search)) continue;
    for (const rings of polygonsOf(target.geometry)) {
      for (const ring of rings) {
        let previous: { position: Position; screen: ScreenPoint } | null = null;
        for (const position of ring) {
          const screen = context.project(position[0], position[1]);
          const dx = screen.x - pointer.x;
          const dy = screen.y - pointer.y;
          const distance = dx * dx + dy * dy;
          if (distance <= limit && (!vertex || distance < vertex.distance)) vertex = { position: [position[0], position[1]], distance };
          if (previous) {
            const onEdge = nearestOnSegment(pointer, previous.screen, screen);
            if (onEdge.distance <= limit && (!edge || onEdge.distance < edge.distance)) {
              edge = {
                position: [previous.position[0] + (position[0] - previous.position[0]) * onEdge.t, previous.position[1] + (position[1] - previous.position[1]) * onEdge.t],
                distance: onEdge.distance,
              };
            }
          }
          previous = { position, screen };
        }
      }
    }
  }
  return vertex?.position ?? edge?.position;
}

function nearestOnSegment(point: ScreenPoint, a: ScreenPoint, b: ScreenPoint): { t: number; distance: number } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = dx * dx + dy * dy;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((point.x - a.x) * dx + (point.y - a.y) * dy) / length));
  const ex = a.x + t * dx - point.x;
  const ey = a.y + t * dy - point.y;
  return { t, distance: ex * ex + ey * ey };
}
