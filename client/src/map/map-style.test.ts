import { describe, expect, it } from 'vitest';
import { EFFICIENCY_STATUSES, INEFFICIENCY_TYPES, NO_INEFFICIENCY_TYPE } from '@domain/efficiency.js';
import { LAND_USE_CLASSES, UNKNOWN_LAND_USE_CLASS } from '@domain/land-use.js';
import { RESTRICTED_PARCEL } from '../format/colour-scheme.js';
import {
  buildMapStyle,
  LAYER,
  parcelColourExpression,
  parcelFillExpression,
  PARCEL_OUTLINE_MINZOOM,
  RESTRICTED_PARCEL_FILTER,
  SURVEY_OUTLINE_MINZOOM,
  surveyColourExpression,
  surveyFillLayerId,
  surveyLayers,
  surveyOutlineLayerId,
  surveySource,
  surveySourceId,
} from './map-style.js';

describe('map style', () => {
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

  it('gives each year its own source, fill and outline, the outline only from z14', () => {
    const [fill, outline] = surveyLayers(2023, 0.75);
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
