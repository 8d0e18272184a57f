import { expression as styleExpression, latest, validateStyleMin, type LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { EFFICIENCY_STATUSES, INEFFICIENCY_TYPES, NO_INEFFICIENCY_TYPE } from '@domain/efficiency.js';
import { LAND_USE_CLASSES, UNKNOWN_LAND_USE_CLASS } from '@domain/land-use.js';
import { INEFFICIENT_SHARE_CLASSES, RESTRICTED_PARCEL, shareClassOf } from '../ui/colour-scheme.js';
import {
  basemapTemplates,
  buildMapStyle,
  cellFillExpression,
  cellFilterOf,
  parcelFilterOf,
  parcelLabelFilterOf,
  PARCEL_LABEL_MINZOOM,
  tiandituSpec,
  DETAIL_MIN_ZOOM,
  detailMinZoomOf,
  LAYER,
  parcelColourExpression,
  parcelFillExpression,
  PARCEL_OUTLINE_MINZOOM,
  RESTRICTED_PARCEL_FILTER,
  SURVEY_OUTLINE_MINZOOM,
  surveyCellLayerId,
  surveyColourExpression,
  surveyFillLayerId,
  surveyLayers,
  surveyOutlineLayerId,
  surveySource,
  surveySourceId,
} from './map-style.js';

function layerOf(layers: readonly LayerSpecification[], id: string): LayerSpecification {
  const layer = layers.find((candidate) => candidate.id === id);
  if (!layer) throw new Error(`no layer ${id}`);
  return layer;
}

function indexOf(layers: readonly LayerSpecification[], id: string): number {
  return layers.findIndex((candidate) => candidate.id === id);
}

/** A `fill-color` expression evaluated for one feature, as MapLibre would, in 'rgba(…)' form. */
function evaluateFillColour(value: unknown, properties: Record<string, unknown>): string {
  type PropertySpecification = Parameters<typeof styleExpression.createPropertyExpression>[2];
  const specification = latest.paint_fill['fill-color'] as unknown as PropertySpecification;
  const parsed = styleExpression.createPropertyExpression(value, 'fill-color', specification);
  if (parsed.result !== 'success') throw new Error(JSON.stringify(parsed.value));
  return String(parsed.value.evaluate({ zoom: 11 }, { type: 'Polygon', properties }));
}

function rgba(hex: string): string {
  const value = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(value >> 16) & 255},${(value >> 8) & 255},${value & 255},1)`;
}

describe('map style', () => {
  it('is a valid MapLibre style, with and without a basemap', () => {
    for (const basemapUrl of [null, 'https://t{s}.example/{z}/{x}/{y}.png']) {
      const style = buildMapStyle({ origin: 'http://localhost', basemapUrl, colourMode: 'status' });
      expect(validateStyleMin(style)).toEqual([]);
    }
  });

  it('colours parcels by status with exactly the domain colours', () => {
    const expression = parcelColourExpression('status') as unknown[];
    expect(expression[0]).toBe('match');
    expect(expression[1]).toEqual(['coalesce', ['get', 'status'], 'none']);
    for (const status of EFFICIENCY_STATUSES) {
      const index = expression.indexOf(status.code);
      expect(expression[index + 1]).toBe(status.color);
    }
  });

  it('colours parcels by 低效类型, with "none" as 非低效', () => {
    const expression = parcelColourExpression('type') as unknown[];
    expect(expression[1]).toEqual(['coalesce', ['get', 'type'], 'none']);
    for (const type of [...INEFFICIENCY_TYPES, NO_INEFFICIENCY_TYPE]) {
      expect(expression[expression.indexOf(type.code) + 1]).toBe(type.color);
    }
  });

  it('points tiles and glyphs at the page origin', () => {
    const style = buildMapStyle({ origin: 'http://127.0.0.1:8080', basemapUrl: null, colourMode: 'status' });
    expect(style.glyphs).toBe('http://127.0.0.1:8080/glyphs/{fontstack}/{range}.pbf');
    expect(style.sources.parcels).toMatchObject({ type: 'vector', url: 'http://127.0.0.1:8080/tiles/parcels.json' });
    expect(style.sources.districts).toMatchObject({ type: 'vector', url: 'http://127.0.0.1:8080/tiles/districts.json' });
  });

  it('has no basemap layer unless a basemap is set', () => {
    const plain = buildMapStyle({ origin: 'http://localhost', basemapUrl: null, colourMode: 'status' });
    expect(plain.layers.some((layer) => layer.id === LAYER.basemap)).toBe(false);

    const withBasemap = buildMapStyle({ origin: 'http://localhost', basemapUrl: 'https://t{s}.example/{z}/{x}/{y}.png', colourMode: 'status' });
    const basemapIndex = withBasemap.layers.findIndex((layer) => layer.id === LAYER.basemap);
    const parcelIndex = withBasemap.layers.findIndex((layer) => layer.id === LAYER.parcelFill);
    expect(basemapIndex).toBeGreaterThan(0);
    expect(basemapIndex).toBeLessThan(parcelIndex);
    expect(withBasemap.sources.basemap).toMatchObject({ type: 'raster', tiles: expect.arrayContaining(['https://t0.example/{z}/{x}/{y}.png']) });
  });

  it('draws parcels fully opaque and outlines them only from z13', () => {
    const style = buildMapStyle({ origin: 'http://localhost', basemapUrl: null, colourMode: 'status' });
    const fill = style.layers.find((layer) => layer.id === LAYER.parcelFill);
    const outline = style.layers.find((layer) => layer.id === LAYER.parcelOutline);
    expect(fill && 'paint' in fill && fill.paint).toMatchObject({ 'fill-opacity': 1 });
    expect(outline?.minzoom).toBe(PARCEL_OUTLINE_MINZOOM);
    expect(PARCEL_OUTLINE_MINZOOM).toBe(13);
  });

  it('draws parcels outside the user’s scope light grey whatever the colour mode', () => {
    for (const mode of ['status', 'type'] as const) {
      const expression = parcelFillExpression(mode) as unknown[];
      expect(expression).toEqual(['case', RESTRICTED_PARCEL_FILTER, '#d5d9de', parcelColourExpression(mode)]);
    }
    const style = buildMapStyle({ origin: 'http://localhost', basemapUrl: null, colourMode: 'type' });
    const fill = style.layers.find((layer) => layer.id === LAYER.parcelFill);
    const outline = style.layers.find((layer) => layer.id === LAYER.parcelOutline);
    expect(fill?.paint).toMatchObject({ 'fill-color': parcelFillExpression('type') });
    expect(outline?.paint).toMatchObject({ 'line-color': ['case', RESTRICTED_PARCEL_FILTER, RESTRICTED_PARCEL.outline, expect.any(String)] });
  });
});

describe('变更调查 layers', () => {
  it('colours 图斑 by 一级类 with exactly the domain colours, unknown classes grey', () => {
    const expression = surveyColourExpression() as unknown[];
    expect(expression[0]).toBe('match');
    expect(expression[1]).toEqual(['coalesce', ['get', 'class'], UNKNOWN_LAND_USE_CLASS.code]);
    for (const entry of LAND_USE_CLASSES) {
      expect(expression[expression.indexOf(entry.code) + 1]).toBe(entry.color);
    }
    expect(expression.at(-1)).toBe(UNKNOWN_LAND_USE_CLASS.color);
  });

  it('gives each year its own source, grid, fill and outline, the outline only from z14', () => {
    const [cells, fill, outline] = surveyLayers(2023, 0.75);
    expect(cells).toMatchObject({ id: surveyCellLayerId(2023), source: surveySourceId(2023), 'source-layer': 'survey_cells' });
    expect(fill).toMatchObject({
      id: surveyFillLayerId(2023),
      type: 'fill',
      source: surveySourceId(2023),
      'source-layer': 'survey',
      paint: { 'fill-color': surveyColourExpression(), 'fill-opacity': 0.75 },
    });
    expect(outline).toMatchObject({ id: surveyOutlineLayerId(2023), type: 'line', source: 'survey-2023', minzoom: SURVEY_OUTLINE_MINZOOM });
    expect(SURVEY_OUTLINE_MINZOOM).toBe(14);
    expect(surveyFillLayerId(2022)).not.toBe(surveyFillLayerId(2023));
  });

  it('reads the tiles from the TileJSON the API names, on the page origin', () => {
    expect(surveySource('http://127.0.0.1:8080', '/tiles/survey-2023.json')).toEqual({
      type: 'vector',
      url: 'http://127.0.0.1:8080/tiles/survey-2023.json',
    });
  });
});

describe('aggregate grid at low zoom', () => {
  const style = buildMapStyle({ origin: 'http://localhost', basemapUrl: null, colourMode: 'status' });

  it('takes the zoom where parcels start from the TileJSON, the contract’s 13 until it is read', () => {
    expect(DETAIL_MIN_ZOOM).toBe(13);
    const tileJson = {
      tilejson: '3.0.0',
      minzoom: 0,
      maxzoom: 16,
      vector_layers: [
        { id: 'cells', fields: {}, minzoom: 0, maxzoom: 13 },
        { id: 'parcels', fields: {}, minzoom: 14, maxzoom: 16 },
      ],
    };
    expect(detailMinZoomOf(tileJson)).toBe(14);
    expect(detailMinZoomOf({ ...tileJson, vector_layers: [{ id: 'survey', minzoom: 13 }] }, 'survey')).toBe(13);
    for (const unusable of [null, 'x', {}, { vector_layers: {} }, { vector_layers: [{ id: 'parcels' }] }, { vector_layers: [{ id: 'parcels', minzoom: '13' }] }]) {
      expect(detailMinZoomOf(unusable)).toBeNull();
    }
  });

  it('draws the parcels’ grid from the `cells` source layer, between the district tint and the parcels', () => {
    const cells = layerOf(style.layers, LAYER.parcelCells);
    expect(cells).toMatchObject({ id: 'parcel-cells', type: 'fill', source: 'parcels', 'source-layer': 'cells' });
    expect(cells.paint).toMatchObject({ 'fill-color': cellFillExpression(), 'fill-opacity': 1 });
    expect(indexOf(style.layers, LAYER.districtFill)).toBeLessThan(indexOf(style.layers, LAYER.parcelCells));
    expect(indexOf(style.layers, LAYER.parcelCells)).toBeLessThan(indexOf(style.layers, LAYER.parcelFill));
  });

  it('leaves the band switch to the tiles: no maxzoom on the grid, no minzoom on the parcel fill', () => {
    // With a zoom limit, the overzoomed grid could not stand in while the first parcel tiles load.
    expect(layerOf(style.layers, LAYER.parcelCells).maxzoom).toBeUndefined();
    expect(layerOf(style.layers, LAYER.parcelCells).minzoom).toBeUndefined();
    expect(layerOf(style.layers, LAYER.parcelFill).minzoom).toBeUndefined();
    expect(layerOf(style.layers, LAYER.parcelFill)).toMatchObject({ 'source-layer': 'parcels' });
  });

  it('colours cells through the five-class ramp of 低效用地占比, ending in the 已认定低效 red', () => {
    expect(INEFFICIENT_SHARE_CLASSES.map((entry) => entry.label)).toEqual(['0–10%', '10–25%', '25–50%', '50–75%', '≥ 75%']);
    expect(INEFFICIENT_SHARE_CLASSES.at(-1)?.color).toBe(EFFICIENCY_STATUSES.find((status) => status.code === 'identified')?.color);
    expect(new Set(INEFFICIENT_SHARE_CLASSES.map((entry) => entry.color)).size).toBe(5);
    for (const share of [0, 0.05, 0.0999, 0.1, 0.2, 0.25, 0.49, 0.5, 0.74, 0.75, 1]) {
      const drawn = evaluateFillColour(cellFillExpression(), { parcels: 3, area_ha: 2.5, ineff_share: share, restricted: 0 });
      expect(drawn, `share ${share}`).toBe(rgba(shareClassOf(share).color));
    }
    expect(shareClassOf(0.3).label).toBe('25–50%');
    expect(evaluateFillColour(cellFillExpression(), {})).toBe(rgba(INEFFICIENT_SHARE_CLASSES[0].color));
  });

  it('draws cells holding only land outside the user’s districts grey like such parcels', () => {
    const drawn = evaluateFillColour(cellFillExpression(), { parcels: 0, area_ha: 0, ineff_share: 0, restricted: 1 });
    expect(drawn).toBe(rgba(RESTRICTED_PARCEL.fill));
  });

  it('highlights the hovered parcel through feature-state, not a filter on its id', () => {
    const hover = layerOf(style.layers, LAYER.parcelHover);
    expect(hover).toMatchObject({ type: 'line', source: 'parcels', 'source-layer': 'parcels' });
    expect('filter' in hover).toBe(false);
    expect(hover.paint).toMatchObject({ 'line-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 1, 0] });
    expect(indexOf(style.layers, LAYER.parcelHover)).toBeGreaterThan(indexOf(style.layers, LAYER.parcelOutline));
  });

  it('gives each 变更调查 year a grid by dominant 一级类 under its 图斑, with their colours and opacity', () => {
    const [cells, fill] = surveyLayers(2023, 0.6);
    expect(cells).toMatchObject({
      id: surveyCellLayerId(2023),
      type: 'fill',
      source: surveySourceId(2023),
      'source-layer': 'survey_cells',
      paint: { 'fill-color': surveyColourExpression(), 'fill-opacity': 0.6 },
    });
    expect(surveyCellLayerId(2023)).toBe('survey-cells-2023');
    expect(cells.maxzoom).toBeUndefined();
    expect(fill.minzoom).toBeUndefined();
    for (const entry of LAND_USE_CLASSES) {
      expect(evaluateFillColour(surveyColourExpression(), { class: entry.code, patches: 4, area_ha: 1.2 })).toBe(rgba(entry.color));
    }
    expect(evaluateFillColour(surveyColourExpression(), { class: 'xx' })).toBe(rgba(UNKNOWN_LAND_USE_CLASS.color));
  });

  it('colours cells by their dominant 低效类型 in the 低效类型 mode, with the parcels’ colours', () => {
    for (const type of INEFFICIENCY_TYPES) {
      expect(evaluateFillColour(cellFillExpression('type'), { type: type.code, type_share: 0.3, restricted: 0 })).toBe(rgba(type.color));
    }
    expect(evaluateFillColour(cellFillExpression('type'), { type: 'none', restricted: 0 })).toBe(rgba(NO_INEFFICIENCY_TYPE.color));
    expect(evaluateFillColour(cellFillExpression('type'), { type: 'restricted', restricted: 1 })).toBe(rgba(RESTRICTED_PARCEL.fill));
    const style = buildMapStyle({ origin: 'http://localhost', basemapUrl: null, colourMode: 'type' });
    const cells = layerOf(style.layers, LAYER.parcelCells) as { paint: { 'fill-color': unknown } };
    expect(cells.paint['fill-color']).toEqual(cellFillExpression('type'));
  });

  it('narrows parcels, labels and cells to a legend or table entry', () => {
    type FilterSpecification = Parameters<typeof styleExpression.createExpression>[0];
    const passes = (filter: unknown, properties: Record<string, unknown>) => {
      const parsed = styleExpression.createExpression(filter as FilterSpecification, { type: 'boolean', 'property-type': 'data-driven', expression: { interpolated: false, parameters: ['zoom', 'feature'] } } as never);
      if (parsed.result !== 'success') throw new Error(JSON.stringify(parsed.value));
      return parsed.value.evaluate({ zoom: 16 }, { type: 'Polygon', properties });
    };
    expect(passes(parcelFilterOf(null), { status: 'efficient' })).toBe(true);
    expect(passes(parcelFilterOf({ kind: 'status', code: 'identified' }), { status: 'identified' })).toBe(true);
    expect(passes(parcelFilterOf({ kind: 'status', code: 'identified' }), { status: 'efficient' })).toBe(false);
    expect(passes(parcelFilterOf({ kind: 'type', code: 'none' }), { type: 'none' })).toBe(true);
    expect(passes(parcelLabelFilterOf({ kind: 'type', code: 'idle' }), { type: 'idle', code: 'XM-1' })).toBe(true);
    expect(passes(parcelLabelFilterOf(null), { type: 'idle' })).toBe(false);
    expect(passes(cellFilterOf({ kind: 'type', code: 'idle' }), { type: 'idle' })).toBe(true);
    expect(passes(cellFilterOf({ kind: 'type', code: 'idle' }), { type: 'stopped' })).toBe(false);
    expect(passes(cellFilterOf({ kind: 'share', min: 0.25 }), { ineff_share: 0.3, restricted: 0 })).toBe(true);
    expect(passes(cellFilterOf({ kind: 'share', min: 0.25 }), { ineff_share: 0.5, restricted: 0 })).toBe(false);
    expect(passes(cellFilterOf({ kind: 'share', min: 0.75 }), { ineff_share: 1, restricted: 0 })).toBe(true);
    expect(passes(cellFilterOf({ kind: 'status', code: 'identified' }), { ineff_share: 0 })).toBe(false);
  });

  it('labels parcels with 宗地编号 and 权利人 from z16, never on top of each other', () => {
    const style = buildMapStyle({ origin: 'http://localhost', basemapUrl: null, colourMode: 'status' });
    const label = layerOf(style.layers, LAYER.parcelLabel) as { minzoom: number; source: string; layout: Record<string, unknown> };
    expect(PARCEL_LABEL_MINZOOM).toBe(16);
    // A source of their own, so the parcel tiles do not carry them (issue 19).
    expect(label.source).toBe('parcel-labels');
    expect(style.sources['parcel-labels']).toMatchObject({ type: 'vector', url: 'http://localhost/tiles/parcel-labels.json' });
    expect(label.minzoom).toBe(16);
    expect(label.layout['text-allow-overlap']).toBe(false);
    expect(JSON.stringify(label.layout['text-field'])).toContain('"owner"');
    expect(indexOf(style.layers, LAYER.parcelLabel)).toBeGreaterThan(indexOf(style.layers, LAYER.parcelFill));
  });

  it('turns a 天地图 key into the vector or image map with its annotation, over the eight subdomains', () => {
    const vector = basemapTemplates(tiandituSpec('vec', 'abc123'));
    expect(vector.base).toBe('https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=abc123');
    expect(vector.annotation).toContain('/cva_w/wmts?');
    const image = basemapTemplates('tianditu:img:abc123');
    expect(image.base).toContain('/img_w/wmts?');
    expect(image.base).toContain('LAYER=img');
    expect(image.annotation).toContain('LAYER=cia');
    expect(basemapTemplates('https://tiles.example/{z}/{x}/{y}.png')).toEqual({ base: 'https://tiles.example/{z}/{x}/{y}.png', annotation: null });
    const style = buildMapStyle({ origin: 'http://localhost', basemapUrl: 'tianditu:img:abc123', colourMode: 'status' });
    expect(validateStyleMin(style)).toEqual([]);
    const sources = style.sources as Record<string, { tiles?: string[] }>;
    expect(sources.basemap.tiles).toHaveLength(8);
    expect(sources.basemap.tiles?.[7]).toMatch(/^https:\/\/t7\.tianditu\.gov\.cn\/img_w\//);
    expect(sources['basemap-annotation'].tiles?.[0]).toMatch(/^https:\/\/t0\.tianditu\.gov\.cn\/cia_w\//);
    // The annotation goes over the parcels, under the district lines.
    expect(indexOf(style.layers, LAYER.basemapAnnotation)).toBeGreaterThan(indexOf(style.layers, LAYER.parcelFill));
    expect(indexOf(style.layers, LAYER.basemapAnnotation)).toBeLessThan(indexOf(style.layers, LAYER.districtOutline));
    // No basemap: no raster layer at all, the plain background (offline default).
    const offline = buildMapStyle({ origin: 'http://localhost', basemapUrl: null, colourMode: 'status' });
    expect(offline.layers.filter((layer) => layer.type === 'raster')).toEqual([]);
  });
});
