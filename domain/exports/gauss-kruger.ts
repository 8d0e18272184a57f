/**
 * CGCS2000 3-degree Gauss-Kruger zones as the national survey delivers them: zone n has its central
 * meridian at 3n°E and covers 3n ± 1.5°; EPSG:4513–4533 are zones 25–45 with the zone number
 * prefixed to x (厦门 ≈ 118.1°E → zone 39 → EPSG:4527).
 */
export const FIRST_GK_ZONE = 25;
export const LAST_GK_ZONE = 45;
const FIRST_GK_EPSG = 4513;

/** The zone whose strip holds a longitude. */
export function gaussKrugerZoneOf(longitude: number): number {
  return Math.round(longitude / 3);
}

/** EPSG code of a zone (zone number prefixed to x), or null outside 25–45 (75°E–136.5°E). */
export function gaussKrugerEpsg(zone: number): number | null {
  return zone >= FIRST_GK_ZONE && zone <= LAST_GK_ZONE ? FIRST_GK_EPSG + zone - FIRST_GK_ZONE : null;
}

export interface ZoneChoice {
  /** The EPSG code written: a GK zone, or 4490 when no zone fits. */
  epsg: number;
  zone: number | null;
  /** Every zone the data's extent touches (two or more: the export straddles a zone boundary). */
  zonesTouched: number[];
  /** What the user is told (Chinese), or null when nothing needs saying. */
  note: string | null;
}

/** The zone for data spanning [minLon, maxLon]: the zone of its centre; a straddle is named, offering EPSG:4490. */
export function chooseGaussKrugerZone(minLon: number, maxLon: number): ZoneChoice {
  const centre = gaussKrugerZoneOf((minLon + maxLon) / 2);
  const zonesTouched: number[] = [];
  for (let zone = gaussKrugerZoneOf(minLon); zone <= gaussKrugerZoneOf(maxLon); zone++) zonesTouched.push(zone);
  const epsg = gaussKrugerEpsg(centre);
  if (epsg === null) {
    return {
      epsg: 4490, zone: null, zonesTouched,
      note: `数据中心经度 ${((minLon + maxLon) / 2).toFixed(2)}° 不在我国 3 度带（25–45 带）范围内，已改用 CGCS2000 经纬度 (EPSG:4490)。`,
    };
  }
  const note = zonesTouched.length > 1
    ? `数据横跨 ${zonesTouched.join('、')} 共 ${zonesTouched.length} 个 3 度带（经度 ${minLon.toFixed(2)}°–${maxLon.toFixed(2)}°），`
      + `已按数据中心经度统一投影到第 ${centre} 带 (EPSG:${epsg}，中央经线 ${centre * 3}°E)；带外部分面积变形略大。`
      + '如需各处都不变形，请改选 CGCS2000 经纬度 (EPSG:4490) 重新导出。'
    : null;
  return { epsg, zone: centre, zonesTouched, note };
}
