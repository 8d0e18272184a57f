/**
 * GCJ-02 (国测局坐标, "Mars coordinates") ⇄ WGS84 conversion.
 *
 * Why this exists: maps and datasets published in mainland China (AMap/高德, Tencent, most
 * scraped administrative boundary sets, including the ChinaAdminDivisonSHP polygons used as a
 * fixture here) carry GCJ-02 coordinates, an obfuscated datum that shifts positions by a few
 * hundred metres (≈ 500–600 m around Xiamen) in a smooth but non-linear way. The product stores
 * CGCS2000 / WGS84 (which agree to centimetres for display), like the national 变更调查 data, so
 * GCJ-02 input must be converted before it is overlaid on survey parcels or used for areas.
 *
 * The forward transform is the widely published reverse-engineered formula (Krasovsky 1940
 * ellipsoid constants a = 6378245 m, e² = 0.00669342162296594323). It has no closed-form
 * inverse; {@link gcj02ToWgs84} iterates the forward transform to a fixed point, accurate to far
 * below 1e-7° (≈ 1 cm), instead of the common one-step approximation that is off by metres.
 *
 * Coordinates are [longitude, latitude] in degrees. Points outside China's rough bounding box
 * are returned unchanged (GCJ-02 is only applied inside China).
 */

const KRASOVSKY_A = 6378245.0;
const KRASOVSKY_EE = 0.00669342162296594323;

export type LonLat = [number, number];

/**
 * True when the point lies outside the rough rectangle in which GCJ-02 is applied. This is the
 * conventional bounding box used by every published implementation; it is deliberately coarse
 * (it includes parts of neighbouring countries) so that results match other tools.
 */
export function isOutsideChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function transformLat(x: number, y: number): number {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return ret;
}

function transformLon(x: number, y: number): number {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return ret;
}

/** The GCJ-02 offset (gcj − wgs) in degrees at a WGS84 point inside China. */
function offset(lon: number, lat: number): LonLat {
  let dLat = transformLat(lon - 105.0, lat - 35.0);
  let dLon = transformLon(lon - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - KRASOVSKY_EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180.0) / ((KRASOVSKY_A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [dLon, dLat];
}

/** WGS84 → GCJ-02, [lon, lat] in degrees. Unchanged outside China. */
export function wgs84ToGcj02(lon: number, lat: number): LonLat {
  if (isOutsideChina(lon, lat)) return [lon, lat];
  const [dLon, dLat] = offset(lon, lat);
  return [lon + dLon, lat + dLat];
}

/**
 * GCJ-02 → WGS84, [lon, lat] in degrees. Unchanged outside China.
 *
 * Solves wgs84ToGcj02(w) = g by fixed-point iteration w ← w − (wgs84ToGcj02(w) − g), starting
 * from the one-step approximation. The offset varies by ~1e-5 per degree, so each iteration
 * gains ~5 digits: two or three iterations reach 1e-12°; the loop stops at 1e-12° or after
 * 20 iterations.
 */
export function gcj02ToWgs84(lon: number, lat: number): LonLat {
  if (isOutsideChina(lon, lat)) return [lon, lat];
  let [dLon, dLat] = offset(lon, lat);
  let wLon = lon - dLon;
  let wLat = lat - dLat;
  for (let iteration = 0; iteration < 20; iteration++) {
    const [gLon, gLat] = wgs84ToGcj02(wLon, wLat);
    dLon = gLon - lon;
    dLat = gLat - lat;
    wLon -= dLon;
    wLat -= dLat;
    if (Math.abs(dLon) < 1e-12 && Math.abs(dLat) < 1e-12) break;
  }
  return [wLon, wLat];
}

/** Nested GeoJSON coordinates (a position, or arrays of them at any depth). */
export type Coordinates = number[] | Coordinates[];

/**
 * Every position of nested GeoJSON coordinates converted GCJ-02 → WGS84 (a new array; Z or
 * other members after [lon, lat] are kept). Used on import of data from Chinese web maps.
 */
export function coordinatesGcj02ToWgs84(coordinates: Coordinates): Coordinates {
  if (coordinates.length > 0 && typeof coordinates[0] === 'number') {
    const position = coordinates as number[];
    const [lon, lat] = gcj02ToWgs84(position[0], position[1]);
    return [lon, lat, ...position.slice(2)];
  }
  return (coordinates as Coordinates[]).map(coordinatesGcj02ToWgs84);
}

/** Metres per degree at a latitude (spherical; enough to compare offsets of a few hundred metres). */
function metresPerDegree(lat: number): [number, number] {
  const metres = 6371008.8 * Math.PI / 180;
  return [metres * Math.cos((lat * Math.PI) / 180), metres];
}

/**
 * Whether data read as WGS84 is in fact GCJ-02: pairs of a feature's centroid and the centroid of
 * the same thing already known (a district, a parcel), [lon, lat]. Data from a web map sits off
 * the known shapes by the GCJ-02 offset at that place (≈ 500–600 m around Xiamen, in a set
 * direction). Answers the median offset in metres when at least 3 pairs, and most of them, are
 * off by that offset within 30 %; else null.
 */
export function gcj02Offset(pairs: readonly { feature: LonLat; reference: LonLat }[]): number | null {
  const matching: number[] = [];
  for (const { feature, reference } of pairs) {
    const [kx, ky] = metresPerDegree(reference[1]);
    const shifted = wgs84ToGcj02(reference[0], reference[1]);
    const expected = [(shifted[0] - reference[0]) * kx, (shifted[1] - reference[1]) * ky];
    const observed = [(feature[0] - reference[0]) * kx, (feature[1] - reference[1]) * ky];
    const size = Math.hypot(expected[0], expected[1]);
    if (size < 100) continue;
    if (Math.hypot(observed[0] - expected[0], observed[1] - expected[1]) < 0.3 * size) matching.push(Math.hypot(observed[0], observed[1]));
  }
  if (matching.length < 3 || matching.length * 2 <= pairs.length) return null;
  matching.sort((left, right) => left - right);
  return matching[Math.floor(matching.length / 2)];
}
