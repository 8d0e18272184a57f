import type { Map as MapLibreMap } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { LAYER } from './map-style.js';
import { SurveyLayerAdapter } from './survey-layers.js';

/** Just enough of a MapLibre map to watch sources and the layer stack: ids bottom to top. */
class FakeMap {
  readonly sources = new Map<string, { url: string; reloads: number }>();
  layers: string[] = [LAYER.background, LAYER.districtFill, LAYER.parcelCells, LAYER.parcelFill, LAYER.parcelOutline];
  readonly paint = new Map<string, unknown>();
  rendered: { source: string; properties: Record<string, unknown> }[] = [];

  getSource(id: string) {
    const source = this.sources.get(id);
    return source ? { url: source.url, setUrl: () => void source.reloads++ } : undefined;
  }

  addSource(id: string, specification: { url: string }): void {
    this.sources.set(id, { url: specification.url, reloads: 0 });
  }

  removeSource(id: string): void {
    this.sources.delete(id);
  }

  getLayer(id: string) {
    return this.layers.includes(id) ? { id } : undefined;
  }

  addLayer(specification: { id: string; paint?: Record<string, unknown> }, beforeId?: string): void {
    const index = beforeId ? this.layers.indexOf(beforeId) : this.layers.length;
    this.layers.splice(index, 0, specification.id);
    for (const [key, value] of Object.entries(specification.paint ?? {})) this.paint.set(`${specification.id}/${key}`, value);
  }

  removeLayer(id: string): void {
    this.layers = this.layers.filter((layer) => layer !== id);
  }

  setPaintProperty(id: string, key: string, value: unknown): void {
    this.paint.set(`${id}/${key}`, value);
  }

  queryRenderedFeatures(_point: unknown, options: { layers: string[] }) {
    return this.rendered.filter((feature) => options.layers.includes(`${feature.source}-fill`));
  }
}

function adapterOn(fake: FakeMap): SurveyLayerAdapter {
  return new SurveyLayerAdapter(fake as unknown as MapLibreMap, 'http://127.0.0.1:8080');
}

const layer2022 = { year: 2022, tileJson: '/tiles/survey-2022.json', featureCount: 9 };
const layer2023 = { year: 2023, tileJson: '/tiles/survey-2023.json', featureCount: 12 };

describe('SurveyLayerAdapter', () => {
  it('puts a year under the parcels and their grid and above the district tint', () => {
    const fake = new FakeMap();
    adapterOn(fake).sync([layer2023], 0.75);

    expect(fake.layers).toEqual([
      LAYER.background,
      LAYER.districtFill,
      'survey-cells-2023',
      'survey-2023-fill',
      'survey-2023-outline',
      LAYER.parcelCells,
      LAYER.parcelFill,
      LAYER.parcelOutline,
    ]);
    expect(fake.sources.get('survey-2023')?.url).toBe('http://127.0.0.1:8080/tiles/survey-2023.json');
    expect(fake.paint.get('survey-2023-fill/fill-opacity')).toBe(0.75);
    expect(fake.paint.get('survey-cells-2023/fill-opacity')).toBe(0.75);
  });

  it('draws a later year above an earlier one, whichever was switched on first', () => {
    const fake = new FakeMap();
    const adapter = adapterOn(fake);
    adapter.sync([layer2023], 0.75);
    adapter.sync([layer2022, layer2023], 0.75);

    expect(fake.layers.slice(2, 8)).toEqual([
      'survey-cells-2022',
      'survey-2022-fill',
      'survey-2022-outline',
      'survey-cells-2023',
      'survey-2023-fill',
      'survey-2023-outline',
    ]);
    expect(fake.layers[8]).toBe(LAYER.parcelCells);
  });

  it('removes a year switched off, source and all', () => {
    const fake = new FakeMap();
    const adapter = adapterOn(fake);
    adapter.sync([layer2022, layer2023], 0.75);
    adapter.sync([layer2022], 0.75);

    expect(fake.layers.some((id) => id.startsWith('survey-2023'))).toBe(false);
    expect(fake.sources.has('survey-2023')).toBe(false);
    expect(adapter.fillLayerIds).toEqual(['survey-2022-fill']);
  });

  it('changes the opacity of every year on the map, grid and 图斑 alike', () => {
    const fake = new FakeMap();
    const adapter = adapterOn(fake);
    adapter.sync([layer2022, layer2023], 0.75);
    adapter.sync([layer2022, layer2023], 0.4);

    expect(fake.paint.get('survey-2022-fill/fill-opacity')).toBe(0.4);
    expect(fake.paint.get('survey-2023-fill/fill-opacity')).toBe(0.4);
    expect(fake.paint.get('survey-cells-2022/fill-opacity')).toBe(0.4);
    expect(fake.paint.get('survey-cells-2023/fill-opacity')).toBe(0.4);
  });

  it('reloads the tiles of the years on the map', () => {
    const fake = new FakeMap();
    const adapter = adapterOn(fake);
    adapter.sync([layer2023], 0.75);
    adapter.reload();
    expect(fake.sources.get('survey-2023')?.reloads).toBe(1);
  });

  it('names the topmost 图斑 under a point with its year, 地类编码 and class', () => {
    const fake = new FakeMap();
    const adapter = adapterOn(fake);
    expect(adapter.patchAt([10, 10])).toBeNull();

    adapter.sync([layer2022, layer2023], 0.75);
    fake.rendered = [
      { source: 'survey-2023', properties: { dlbm: '0601', class: '06' } },
      { source: 'survey-2022', properties: { dlbm: '0101', class: '01' } },
    ];
    expect(adapter.patchAt([10, 10])).toEqual({ year: 2023, landUseCode: '0601', classCode: '06' });
    expect(adapter.yearOfSource('parcels')).toBeNull();
  });
});
