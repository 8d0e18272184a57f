/**
 * Limits on every polygon a user sends (a parcel's new shape, a 成片改造区域 boundary, its 零星 and
 * 配套 pieces), checked before PostGIS sees it: a hostile body with coordinates of ±1e300 or tens of
 * thousands of parts must be refused at once, not overlaid on every parcel for minutes.
 * The limits are a local rule (no seed gives them): China's extent in CGCS2000 degrees, and caps far
 * above any real parcel or redevelopment area (the densest 变更调查 图斑 have a few thousand vertices).
 */
export const GEOMETRY_NOT_NUMBERS = 'coordinates_not_numbers';
export const GEOMETRY_OUT_OF_RANGE = 'coordinates_out_of_range';
export const GEOMETRY_AXES_SWAPPED = 'axes_swapped';
export const GEOMETRY_TOO_MANY_VERTICES = 'too_many_vertices';
export const GEOMETRY_TOO_MANY_PARTS = 'too_many_parts';
export const GEOMETRY_RING_INVALID = 'ring_invalid';
export const GEOMETRY_NOT_2D = 'not_2d';

export type GeometryInputReason =
  | typeof GEOMETRY_NOT_NUMBERS | typeof GEOMETRY_OUT_OF_RANGE | typeof GEOMETRY_AXES_SWAPPED
  | typeof GEOMETRY_TOO_MANY_VERTICES | typeof GEOMETRY_TOO_MANY_PARTS | typeof GEOMETRY_RING_INVALID | typeof GEOMETRY_NOT_2D;

/** China's extent in degrees (CGCS2000 ≈ WGS84), with a margin: longitude 73–136 E, latitude 3–54 N. */
export const CHINA_EXTENT = { minLon: 73, maxLon: 136, minLat: 3, maxLat: 54 } as const;
/** Vertices of one polygon input, all rings and parts together. */
export const MAX_INPUT_VERTICES = 100_000;
/** Parts of one MultiPolygon input. */
export const MAX_INPUT_PARTS = 500;

/** On success, the number of positions (all rings and parts), so callers need not walk them again. */
export type GeometryInputCheck = { ok: true; vertices: number } | { ok: false; reason: GeometryInputReason; message: string };

const inChina = (lon: number, lat: number) =>
  lon >= CHINA_EXTENT.minLon && lon <= CHINA_EXTENT.maxLon && lat >= CHINA_EXTENT.minLat && lat <= CHINA_EXTENT.maxLat;

/**
 * Checks the positions of a Polygon's or MultiPolygon's coordinates: at least one part, each with an
 * outer ring, each ring closed with at least 4 positions; every position two numbers (a Z value is
 * refused, not dropped silently: the product stores plane shapes, and the sender should know),
 * inside China as [经度, 纬度] (naming a swapped pair); and within the vertex and part caps. Walks
 * the arrays once and stops at the first problem, so a huge body costs no more than reading it.
 */
export function checkPolygonInput(geometry: { type: string; coordinates: unknown }): GeometryInputCheck {
  const polygons = (geometry.type === 'MultiPolygon' ? geometry.coordinates : [geometry.coordinates]) as unknown[];
  if (!Array.isArray(polygons)) return { ok: false, reason: GEOMETRY_NOT_NUMBERS, message: 'coordinates 应为数组' };
  if (polygons.length > MAX_INPUT_PARTS) {
    return { ok: false, reason: GEOMETRY_TOO_MANY_PARTS, message: `图形有 ${polygons.length} 个部分，上限 ${MAX_INPUT_PARTS}：请合并或分批提交` };
  }
  if (polygons.length === 0) return { ok: false, reason: GEOMETRY_RING_INVALID, message: '图形没有任何多边形：请至少画一个多边形' };
  let vertices = 0;
  for (const polygon of polygons) {
    if (!Array.isArray(polygon)) return { ok: false, reason: GEOMETRY_NOT_NUMBERS, message: '多边形应为环的数组' };
    if (polygon.length === 0) return { ok: false, reason: GEOMETRY_RING_INVALID, message: '多边形没有环：每个多边形至少要有一个外环' };
    for (const ring of polygon) {
      if (!Array.isArray(ring)) return { ok: false, reason: GEOMETRY_NOT_NUMBERS, message: '环应为坐标的数组' };
      if (ring.length < 4) {
        return { ok: false, reason: GEOMETRY_RING_INVALID, message: `环只有 ${ring.length} 个坐标：每个环至少 4 个坐标，且首尾相同` };
      }
      vertices += ring.length;
      if (vertices > MAX_INPUT_VERTICES) {
        return { ok: false, reason: GEOMETRY_TOO_MANY_VERTICES, message: `折点超过 ${MAX_INPUT_VERTICES} 个：请简化图形后再提交` };
      }
      for (const position of ring) {
        const [lon, lat] = Array.isArray(position) ? position : [];
        if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
          return { ok: false, reason: GEOMETRY_NOT_NUMBERS, message: '坐标中有空值或非数字：每个坐标应为 [经度, 纬度] 两个数' };
        }
        if (position.length !== 2) {
          return { ok: false, reason: GEOMETRY_NOT_2D, message: `坐标 ${JSON.stringify(position).slice(0, 80)} 有 ${position.length} 个数：只接受 [经度, 纬度] 两个数，请去掉高程（Z）等其他值后再提交` };
        }
        if (inChina(lon, lat)) continue;
        if (inChina(lat, lon)) {
          return { ok: false, reason: GEOMETRY_AXES_SWAPPED, message: `坐标 [${lon}, ${lat}] 的经纬度顺序颠倒：GeoJSON 的顺序是 [经度, 纬度]` };
        }
        return {
          ok: false, reason: GEOMETRY_OUT_OF_RANGE,
          message: `坐标 [${lon}, ${lat}] 不在中国范围内（经度 ${CHINA_EXTENT.minLon}–${CHINA_EXTENT.maxLon}，纬度 ${CHINA_EXTENT.minLat}–${CHINA_EXTENT.maxLat}）：请确认是 CGCS2000 经纬度（度），而不是投影坐标（米）`,
        };
      }
      const [first, last] = [ring[0] as number[], ring[ring.length - 1] as number[]];
      if (first[0] !== last[0] || first[1] !== last[1]) {
        return { ok: false, reason: GEOMETRY_RING_INVALID, message: `环未闭合：最后一个坐标 [${last.join(', ')}] 应与第一个 [${first.join(', ')}] 相同` };
      }
    }
  }
  return { ok: true, vertices };
}
