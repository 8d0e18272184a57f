import { describe, expect, it } from 'vitest';
import { EFFICIENCY_STATUSES } from '@domain/efficiency.js';
import { AREA_STATUSES } from '@domain/redevelopment-areas.js';
import { AREA_COLOURS } from '../map/areas-style.js';
import { MARKED_LAND_COLOURS, RESTRICTED_PARCEL } from './colour-scheme.js';

/** CIELAB of an sRGB hex colour (D65). */
function lab(hex: string): [number, number, number] {
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = [channel(1), channel(3), channel(5)];
  const xyz = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883];
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const [fx, fy, fz] = xyz.map(f);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

function distance(left: string, right: string): number {
  const [a, b] = [lab(left), lab(right)];
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

describe('marked-land colours (issue 13, item 5)', () => {
  it('零星 and 配套 are far from every parcel status, area status and drawing colour, and from each other', () => {
    const others = [
      ...EFFICIENCY_STATUSES.map((status) => [status.label, status.color]),
      ...AREA_STATUSES.map((status) => [`区域${status.label}`, status.color]),
      ...Object.entries(AREA_COLOURS).filter(([key]) => key !== 'fragment' && key !== 'supporting'),
      ['管辖范围外', RESTRICTED_PARCEL.fill],
    ] as [string, string][];
    for (const piece of Object.values(MARKED_LAND_COLOURS)) {
      for (const [label, colour] of others) expect(distance(piece.fill, colour), `${piece.label} vs ${label}`).toBeGreaterThan(30);
    }
    expect(distance(MARKED_LAND_COLOURS.fragment.fill, MARKED_LAND_COLOURS.supporting.fill)).toBeGreaterThan(30);
    expect(AREA_COLOURS.fragment).toBe(MARKED_LAND_COLOURS.fragment.fill);
    expect(AREA_COLOURS.supporting).toBe(MARKED_LAND_COLOURS.supporting.fill);
  });
});
