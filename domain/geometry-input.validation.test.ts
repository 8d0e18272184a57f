import { describe, expect, it } from 'vitest';
import {
  GEOMETRY_AXES_SWAPPED, GEOMETRY_NOT_2D, GEOMETRY_NOT_NUMBERS, GEOMETRY_OUT_OF_RANGE, GEOMETRY_RING_INVALID, GEOMETRY_TOO_MANY_PARTS, GEOMETRY_TOO_MANY_VERTICES,
  MAX_INPUT_PARTS, MAX_INPUT_VERTICES, checkPolygonInput,
} from './geometry-input.validation.js';

const square = (lon: number, lat: number, size = 0.001) => [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]];

describe('checkPolygonInput', () => {
  it('accepts a parcel in Xiamen, as a Polygon and as a MultiPolygon', () => {
    expect(checkPolygonInput({ type: 'Polygon', coordinates: square(118.1, 24.5) })).toEqual({ ok: true, vertices: 5 });
    expect(checkPolygonInput({ type: 'MultiPolygon', coordinates: [square(118.1, 24.5), square(118.2, 24.5)] })).toEqual({ ok: true, vertices: 10 });
  });

  it('refuses coordinates of ±1e300 (PostGIS would clamp their area to 0 and overlay every parcel)', () => {
    const check = checkPolygonInput({ type: 'Polygon', coordinates: [[[-1e300, -1e300], [1e300, -1e300], [1e300, 1e300], [-1e300, -1e300]]] });
    expect(check).toMatchObject({ ok: false, reason: GEOMETRY_OUT_OF_RANGE });
  });

  it('names swapped axes: [纬度, 经度] instead of [经度, 纬度]', () => {
    expect(checkPolygonInput({ type: 'Polygon', coordinates: [[[24.5, 118.1], [24.5, 118.2], [24.6, 118.2], [24.5, 118.1]]] }))
      .toMatchObject({ ok: false, reason: GEOMETRY_AXES_SWAPPED });
  });

  it('refuses projected metres sent as degrees', () => {
    expect(checkPolygonInput({ type: 'Polygon', coordinates: [[[39_500_000, 2_700_000], [39_500_100, 2_700_000], [39_500_100, 2_700_100], [39_500_000, 2_700_000]]] }))
      .toMatchObject({ ok: false, reason: GEOMETRY_OUT_OF_RANGE });
  });

  it('refuses non-numbers', () => {
    expect(checkPolygonInput({ type: 'Polygon', coordinates: [[[118.1, null], [118.2, 24.5], [118.2, 24.6], [118.1, null]]] }))
      .toMatchObject({ ok: false, reason: GEOMETRY_NOT_NUMBERS });
  });

  it('caps vertices and parts', () => {
    const ring = Array.from({ length: MAX_INPUT_VERTICES + 1 }, (_, index) => [118.1 + index * 1e-7, 24.5]);
    expect(checkPolygonInput({ type: 'Polygon', coordinates: [ring] })).toMatchObject({ ok: false, reason: GEOMETRY_TOO_MANY_VERTICES });
    const parts = Array.from({ length: MAX_INPUT_PARTS + 1 }, (_, index) => square(118 + index * 0.002, 24.5));
    expect(checkPolygonInput({ type: 'MultiPolygon', coordinates: parts })).toMatchObject({ ok: false, reason: GEOMETRY_TOO_MANY_PARTS });
    expect(checkPolygonInput({ type: 'MultiPolygon', coordinates: parts.slice(0, MAX_INPUT_PARTS) })).toEqual({ ok: true, vertices: MAX_INPUT_PARTS * 5 });
  });

  it('refuses empty shapes, short and unclosed rings (issue 12: [[]] gave a 500)', () => {
    for (const coordinates of [[[]], [], [[[118.1, 24.5], [118.2, 24.5], [118.1, 24.5]]]]) {
      expect(checkPolygonInput({ type: 'Polygon', coordinates })).toMatchObject({ ok: false, reason: GEOMETRY_RING_INVALID });
    }
    expect(checkPolygonInput({ type: 'MultiPolygon', coordinates: [] })).toMatchObject({ ok: false, reason: GEOMETRY_RING_INVALID });
    expect(checkPolygonInput({ type: 'MultiPolygon', coordinates: [[[]]] })).toMatchObject({ ok: false, reason: GEOMETRY_RING_INVALID });
    const open = square(118.1, 24.5)[0].slice(0, 4).concat([[118.1, 24.5005]]);
    expect(checkPolygonInput({ type: 'Polygon', coordinates: [open] })).toMatchObject({ ok: false, reason: GEOMETRY_RING_INVALID, message: expect.stringContaining('未闭合') });
  });

  it('refuses a Z value (3-element positions) with a message saying to drop it', () => {
    const withZ = square(118.1, 24.5)[0].map(([lon, lat]) => [lon, lat, 12]);
    expect(checkPolygonInput({ type: 'Polygon', coordinates: [withZ] })).toMatchObject({ ok: false, reason: GEOMETRY_NOT_2D, message: expect.stringContaining('高程') });
  });
});
