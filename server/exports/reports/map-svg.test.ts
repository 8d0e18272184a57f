import { describe, expect, it } from 'vitest';
import { Geodesic } from 'geographiclib-geodesic';
import { boxOf, labelPoint, metresPerDegree, niceLength, renderMapSvg } from './map-svg.js';

describe('report maps', () => {
  it('measures the ground as the ellipsoid does: metres per degree within 0.01 % of a geodesic', () => {
    const geodesic = Geodesic.WGS84;
    const lat = 24.48;
    const perDegree = metresPerDegree(lat);
    expect(perDegree.lon / geodesic.Inverse(lat, 118.0, lat, 118.01).s12! / 100).toBeCloseTo(1, 4);
    expect(perDegree.lat / geodesic.Inverse(lat - 0.005, 118.0, lat + 0.005, 118.0).s12! / 100).toBeCloseTo(1, 4);
  });

  it('states a scale that holds on paper, and a scale bar as long as it says', () => {
    const lat = 24.48;
    const { lon: metresPerLon } = metresPerDegree(lat);
    // 1 km of ground east–west, square enough to be limited by the width: 180 mm of frame.
    const widthDegrees = 1000 / metresPerLon;
    const square = { type: 'Polygon' as const, coordinates: [[[118, lat], [118 + widthDegrees, lat], [118 + widthDegrees, lat + 0.001], [118, lat + 0.001], [118, lat]]] };
    const map = renderMapSvg({ focus: boxOf([square])!, layers: [{ features: [{ geometry: square }], style: { fill: '#ccc', stroke: '#000', strokeWidth: 1 } }], widthMm: 180, heightMm: 120 });
    // 1000 m plus an 8 % margin each side over 180 mm.
    expect(map.scale).toBe(Math.round((1000 * 1.16 * 1000) / 180 / 10) * 10);
    const bar = [...map.svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="6"/g)].map((match) => Number(match[2]));
    const barMm = bar.reduce((sum, width) => sum + width, 0) / 4;
    const label = /class="bar-text" text-anchor="middle">(\d+) (米|千米)</.exec(map.svg)!;
    const barMetres = Number(label[1]) * (label[2] === '千米' ? 1000 : 1);
    expect((barMm / 1000) * map.scale).toBeCloseTo(barMetres, -1);
    expect(map.svg).toContain('北');
  });

  it('escapes labels and puts them inside concave parcels', () => {
    const ell = [[0, 0], [10, 0], [10, 2], [2, 2], [2, 10], [0, 10], [0, 0]] as [number, number][];
    const [x, y] = labelPoint(ell);
    expect(x).toBeGreaterThan(0);
    expect(x).toBeLessThan(2);
    expect(y).toBe(5);
    const geometry = { type: 'Polygon' as const, coordinates: [[[118, 24.5], [118.01, 24.5], [118.01, 24.51], [118, 24.51], [118, 24.5]]] };
    const map = renderMapSvg({ focus: [118, 24.5, 118.01, 24.51], layers: [{ features: [{ geometry, label: '<script>x</script>&' }], style: { fill: '#ccc', stroke: '#000', strokeWidth: 1 } }], widthMm: 100, heightMm: 100 });
    expect(map.svg).toContain('&lt;script&gt;x&lt;/script&gt;&amp;');
    expect(map.svg).not.toContain('<script>');
  });

  it('picks scale-bar lengths of 1, 2 or 5 × 10ⁿ', () => {
    expect([niceLength(0.9), niceLength(7), niceLength(180), niceLength(1999), niceLength(4500)]).toEqual([0.5, 5, 100, 1000, 2000]);
  });
});
