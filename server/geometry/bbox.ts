import { InvalidParameterError } from '../errors.js';

/**
 * A `bbox` query parameter (minLon,minLat,maxLon,maxLat in degrees, its form checked by the route's
 * schema) as numbers, refused with a 400 naming `bbox` when it is inverted, off the globe, or
 * wider than `maxDegrees` a side (`what` says what was to be fetched: 地块, 照片位置).
 */
export function boxParameter(text: string, maxDegrees: number, what: string): [number, number, number, number] {
  const [minLon, minLat, maxLon, maxLat] = text.split(',').map(Number);
  if (!(minLon < maxLon && minLat < maxLat) || minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
    throw new InvalidParameterError('bbox', '参数 bbox 应为 最小经度,最小纬度,最大经度,最大纬度，且最小值小于最大值');
  }
  if (maxLon - minLon > maxDegrees || maxLat - minLat > maxDegrees) {
    throw new InvalidParameterError('bbox', `范围过大：bbox 最多 ${maxDegrees}° × ${maxDegrees}°（约 ${Math.round(maxDegrees * 100)} 千米），请放大地图后再取${what}`);
  }
  return [minLon, minLat, maxLon, maxLat];
}
