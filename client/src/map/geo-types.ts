/** Geometry shapes the API answers carry (districts' and parcels' extents and boundaries). */

/** [minLon, minLat, maxLon, maxLat] in degrees (CGCS2000 ≈ WGS84). */
export type BoundingBox = [number, number, number, number];

export interface MultiPolygon {
  type: 'MultiPolygon';
  coordinates: number[][][][];
}
