/**
 * CGCS2000 ellipsoid (GB/T 18522 / 国家大地坐标系). Official 椭球面积 figures are computed on it, so
 * every area in the product is geodesic on this ellipsoid, never planar and never spherical.
 * PostGIS computes `ST_Area(geom::geography)` on the same ellipsoid when geometries are stored in
 * EPSG:4490, so browser and server figures agree.
 */
export const CGCS2000 = {
  semiMajorAxis: 6378137,
  flattening: 1 / 298.257222101,
  srid: 4490,
} as const;
