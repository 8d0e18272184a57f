import { describe, expect, it } from 'vitest';
import { buildImportPreviewStyle, featureBounds, featureStatusExpression, PREVIEW_LAYER, PREVIEW_SOURCE } from './import-preview-style.js';

describe('import preview style', () => {
  it('colours features by the status of their check', () => {
    const expression = featureStatusExpression() as unknown[];
    expect(expression[1]).toEqual(['coalesce', ['get', 'status'], 'rejected']);
    expect(expression[expression.indexOf('valid') + 1]).toBe('#4caf50');
    expect(expression[expression.indexOf('repaired') + 1]).toBe('#f2b134');
    expect(expression[expression.indexOf('rejected') + 1]).toBe('#d94841');
  });

  it('draws the staged features over the districts, without a basemap', () => {
    const style = buildImportPreviewStyle('http://127.0.0.1:8080');
    expect(Object.keys(style.sources)).toEqual(['districts', 'parcels', PREVIEW_SOURCE]);
    const ids = style.layers.map((layer) => layer.id);
    expect(ids.indexOf(PREVIEW_LAYER.fill)).toBeGreaterThan(ids.indexOf('district-outline'));
    expect(style.layers.some((layer) => layer.type === 'raster')).toBe(false);
  });

  it('finds the extent of the features, skipping those without geometry', () => {
    const square = (x: number, y: number) => ({
      geometry: { type: 'MultiPolygon' as const, coordinates: [[[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]]] },
    });

    expect(featureBounds([square(118.08, 24.5), { geometry: null }, square(118.1, 24.49)])).toEqual([118.08, 24.49, 118.11, 24.51]);
    expect(featureBounds([{ geometry: null }])).toBeNull();
  });
});
