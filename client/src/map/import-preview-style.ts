import type { ExpressionSpecification, StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { BoundingBox } from './geo-types.js';
import type { ImportFeature } from '../imports/imports.api.js';
import { FEATURE_STATUSES } from '../imports/import-text.js';
import { BACKGROUND_COLOUR, INK, SOURCE, SOURCE_LAYER, TEXT_FONT } from './map-style.js';

export const PREVIEW_SOURCE = 'import-features';

export const PREVIEW_LAYER = {
  fill: 'import-fill',
  outline: 'import-outline',
  hover: 'import-hover',
  selectedCasing: 'import-selected-casing',
  selected: 'import-selected',
} as const;

const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];
const districtLevel: ExpressionSpecification = ['==', ['get', 'level'], 'district'];

/** Features coloured by the server's check: valid green, repaired orange, rejected (or unknown) red. */
export function featureStatusExpression(): ExpressionSpecification {
  const pairs = FEATURE_STATUSES.flatMap((entry) => [entry.status, entry.color]);
  return ['match', ['coalesce', ['get', 'status'], 'rejected'], ...pairs, FEATURE_STATUSES[2].color] as unknown as ExpressionSpecification;
}

/**
 * The preview map's style: the main map's paper background and district outlines (no basemap, so
 * the preview never waits on a tile provider), the existing parcels as faint outlines for context,
 * and the staged features on top, coloured by status.
 */
export function buildImportPreviewStyle(origin: string): StyleSpecification {
  return {
    version: 8,
    name: '标图建库 导入预览',
    glyphs: `${origin}/glyphs/{fontstack}/{range}.pbf`,
    sources: {
      [SOURCE.districts]: { type: 'vector', url: `${origin}/tiles/districts.json` },
      [SOURCE.parcels]: { type: 'vector', url: `${origin}/tiles/parcels.json` },
      [PREVIEW_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': BACKGROUND_COLOUR } },
      {
        id: 'district-fill',
        type: 'fill',
        source: SOURCE.districts,
        'source-layer': SOURCE_LAYER.districts,
        filter: districtLevel,
        paint: { 'fill-color': '#fbfaf7', 'fill-opacity': 0.75 },
      },
      {
        id: 'parcel-context',
        type: 'line',
        source: SOURCE.parcels,
        'source-layer': SOURCE_LAYER.parcels,
        minzoom: 12,
        paint: { 'line-color': 'rgba(61, 74, 92, 0.22)', 'line-width': 0.7 },
      },
      {
        id: 'district-outline',
        type: 'line',
        source: SOURCE.districts,
        'source-layer': SOURCE_LAYER.districts,
        filter: districtLevel,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': '#3d4a5c', 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1, 12, 1.6, 16, 2.2], 'line-opacity': 0.7 },
      },
      {
        id: PREVIEW_LAYER.fill,
        type: 'fill',
        source: PREVIEW_SOURCE,
        paint: { 'fill-color': featureStatusExpression(), 'fill-opacity': ['case', hovered, 0.75, 0.55] },
      },
      {
        id: PREVIEW_LAYER.outline,
        type: 'line',
        source: PREVIEW_SOURCE,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': featureStatusExpression(), 'line-width': 1.6 },
      },
      {
        id: PREVIEW_LAYER.hover,
        type: 'line',
        source: PREVIEW_SOURCE,
        paint: { 'line-color': '#10263f', 'line-width': 1.6, 'line-opacity': ['case', hovered, 1, 0] },
      },
      {
        id: PREVIEW_LAYER.selectedCasing,
        type: 'line',
        source: PREVIEW_SOURCE,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': '#0b2545', 'line-width': 6, 'line-opacity': ['case', selected, 0.85, 0] },
      },
      {
        id: PREVIEW_LAYER.selected,
        type: 'line',
        source: PREVIEW_SOURCE,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': '#29d3ff', 'line-width': 3, 'line-opacity': ['case', selected, 1, 0] },
      },
      {
        id: 'district-label',
        type: 'symbol',
        source: SOURCE.districts,
        'source-layer': SOURCE_LAYER.districtLabels,
        maxzoom: 13,
        layout: { 'text-field': ['get', 'name'], 'text-font': TEXT_FONT, 'text-size': 14, 'text-letter-spacing': 0.15 },
        paint: { 'text-color': INK, 'text-halo-color': 'rgba(255, 255, 255, 0.95)', 'text-halo-width': 2 },
      },
    ],
  };
}

/** The extent of the features' geometries in degrees, or null when none has one. */
export function featureBounds(features: readonly Pick<ImportFeature, 'geometry'>[]): BoundingBox | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const feature of features) {
    for (const polygon of feature.geometry?.coordinates ?? []) {
      for (const ring of polygon) {
        for (const [x, y] of ring) {
          if (x < minX) minX = x;
          if (y < minY) minY = y;
          if (x > maxX) maxX = x;
          if (y > maxY) maxY = y;
        }
      }
    }
  }
  return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : null;
}

/** Attribute keys the server adds to every feature; the popup shows them apart from the file's own. */
export const COMPUTED_PROPERTIES = new Set(['status', 'messages', 'area_m2']);
