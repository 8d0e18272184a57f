import { describe, expect, it } from 'vitest';
import { checkPolygonInput } from '../../domain/geometry-input.validation.js';
import { geosReasonInChinese } from './check-input.validation.js';

describe('geosReasonInChinese', () => {
  it('tells a ring touching itself from edges crossing', () => {
    expect(geosReasonInChinese('Ring Self-intersection[117.6 24.2]')).toMatch(/^环自相交/);
    expect(geosReasonInChinese('Self-intersection[117.6 24.2]')).toMatch(/^边界自相交/);
  });

  it('names the other GEOS reasons, and falls back to 图形无效', () => {
    expect(geosReasonInChinese('Too few points in geometry component[117.6 24.2]')).toContain('点数不足');
    expect(geosReasonInChinese('Hole lies outside shell[117.6 24.2]')).toBe('洞在外环之外');
    expect(geosReasonInChinese('Something new')).toBe('图形无效');
  });
});

describe('the vertex count a check body is capped by', () => {
  it('counts the positions of a polygon', () => {
    expect(checkPolygonInput({ type: 'Polygon', coordinates: [[[118, 24], [118.1, 24], [118.1, 24.1], [118, 24]]] })).toEqual({ ok: true, vertices: 4 });
  });
});
