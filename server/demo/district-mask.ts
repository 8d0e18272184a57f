import type { MultiPolygonGeometry } from '../../domain/ellipsoidal-area.js';

/**
 * A raster of which district covers each cell of a local metric grid. Generating a large demo city
 * tests hundreds of thousands of points; a scanline-filled raster answers each in O(1) where a
 * point-in-polygon test against coastlines of thousands of vertices would take minutes.
 */
export interface LocalFrame {
  originLon: number;
  originLat: number;
  metresPerDegreeLon: number;
  metresPerDegreeLat: number;
}

export function createLocalFrame(originLon: number, originLat: number): LocalFrame {
  // Lengths of one degree on the ellipsoid at the origin's latitude (series expansion).
  const phi = (originLat * Math.PI) / 180;
  return {
    originLon,
    originLat,
    metresPerDegreeLon: 111412.84 * Math.cos(phi) - 93.5 * Math.cos(3 * phi) + 0.118 * Math.cos(5 * phi),
    metresPerDegreeLat: 111132.954 - 559.822 * Math.cos(2 * phi) + 1.175 * Math.cos(4 * phi),
  };
}

export function toLocal(frame: LocalFrame, lon: number, lat: number): [number, number] {
  return [(lon - frame.originLon) * frame.metresPerDegreeLon, (lat - frame.originLat) * frame.metresPerDegreeLat];
}

export function toLonLat(frame: LocalFrame, x: number, y: number): [number, number] {
  return [frame.originLon + x / frame.metresPerDegreeLon, frame.originLat + y / frame.metresPerDegreeLat];
}

export interface DistrictMask {
  frame: LocalFrame;
  cellSize: number;
  columns: number;
  rows: number;
  minX: number;
  minY: number;
  /** District index + 1 per cell; 0 = outside every district. */
  cells: Uint8Array;
  districtAt(x: number, y: number): number;
  cellIndex(x: number, y: number): number;
}

export function rasterizeDistricts(geometries: readonly MultiPolygonGeometry[], cellSize: number): DistrictMask {
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (const geometry of geometries) {
    for (const polygon of geometry.coordinates) {
      for (const position of polygon[0]) {
        minLon = Math.min(minLon, position[0]); maxLon = Math.max(maxLon, position[0]);
        minLat = Math.min(minLat, position[1]); maxLat = Math.max(maxLat, position[1]);
      }
    }
  }
  const frame = createLocalFrame((minLon + maxLon) / 2, (minLat + maxLat) / 2);
  const [minX, minY] = toLocal(frame, minLon, minLat);
  const [maxX, maxY] = toLocal(frame, maxLon, maxLat);
  const columns = Math.ceil((maxX - minX) / cellSize) + 1;
  const rows = Math.ceil((maxY - minY) / cellSize) + 1;
  const cells = new Uint8Array(columns * rows);

  geometries.forEach((geometry, districtIndex) => {
    // Even-odd scanline fill over all rings of the district (holes included).
    const edges: [number, number, number, number][] = [];
    for (const polygon of geometry.coordinates) {
      for (const ring of polygon) {
        for (let index = 0; index + 1 < ring.length; index++) {
          const [x1, y1] = toLocal(frame, ring[index][0], ring[index][1]);
          const [x2, y2] = toLocal(frame, ring[index + 1][0], ring[index + 1][1]);
          if (y1 !== y2) edges.push([x1, y1, x2, y2]);
        }
      }
    }
    const rowEdges: number[][] = Array.from({ length: rows }, () => []);
    for (const [x1, y1, x2, y2] of edges) {
      const low = Math.max(0, Math.ceil((Math.min(y1, y2) - minY) / cellSize - 0.5));
      const high = Math.min(rows - 1, Math.floor((Math.max(y1, y2) - minY) / cellSize - 0.5));
      for (let row = low; row <= high; row++) {
        const y = minY + (row + 0.5) * cellSize;
        if ((y1 <= y && y2 > y) || (y2 <= y && y1 > y)) rowEdges[row].push(x1 + ((y - y1) / (y2 - y1)) * (x2 - x1));
      }
    }
    for (let row = 0; row < rows; row++) {
      const crossings = rowEdges[row].sort((a, b) => a - b);
      for (let index = 0; index + 1 < crossings.length; index += 2) {
        const start = Math.max(0, Math.ceil((crossings[index] - minX) / cellSize - 0.5));
        const end = Math.min(columns - 1, Math.floor((crossings[index + 1] - minX) / cellSize - 0.5));
        for (let column = start; column <= end; column++) cells[row * columns + column] = districtIndex + 1;
      }
    }
  });

  const cellIndex = (x: number, y: number): number => {
    const column = Math.floor((x - minX) / cellSize);
    const row = Math.floor((y - minY) / cellSize);
    if (column < 0 || row < 0 || column >= columns || row >= rows) return -1;
    return row * columns + column;
  };
  return {
    frame, cellSize, columns, rows, minX, minY, cells, cellIndex,
    districtAt(x: number, y: number): number {
      const index = cellIndex(x, y);
      return index < 0 ? 0 : cells[index];
    },
  };
}
