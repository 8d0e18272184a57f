import type { ExpressionSpecification, LayerSpecification, SourceSpecification } from '@maplibre/maplibre-gl-style-spec';
import { AREA_STATUSES } from '@domain/redevelopment-areas.js';
import { MARKED_LAND_COLOURS, RESTRICTED_PARCEL } from '../ui/colour-scheme.js';
import { LOCAL_IDEOGRAPH_FONT_FAMILY, TEXT_FONT } from './map-style.js';

/**
 * The layers of the 成片改造区域 page, over the product's base style: saved areas from their vector
 * tiles, and the area being drawn from GeoJSON sources the page fills (boundary with its holes,
 * markedLand, the parcels taken in). terra-draw draws its own layers above them while a shape is drawn.
 */
export const AREAS_SOURCE = {
  saved: 'saved-areas',
  boundary: 'area-boundary',
  markedLand: 'area-marked-land',
  composition: 'area-composition',
  picked: 'area-picked',
} as const;

export const AREAS_SOURCE_LAYER = 'areas';
/** Label points of saved areas, one per area. */
export const AREAS_LABEL_SOURCE_LAYER = 'area_labels';

export const AREAS_LAYER = {
  savedFill: 'saved-areas-fill',
  savedOutline: 'saved-areas-outline',
  savedLabel: 'saved-areas-label',
  compositionFill: 'area-composition-fill',
  compositionOutline: 'area-composition-outline',
  pickedFill: 'area-picked-fill',
  pickedOutline: 'area-picked-outline',
  boundaryFill: 'area-boundary-fill',
  markedLandFill: 'area-marked-land-fill',
  markedLandOutline: 'area-marked-land-outline',
  boundaryCasing: 'area-boundary-casing',
  boundaryOutline: 'area-boundary-outline',
} as const;

/** Colours of what the planner draws; the legend and the lists use the same. */
export const AREA_COLOURS = {
  boundary: '#0b5cc4',
  taken: '#1f6fd1',
  excluded: '#5c6677',
  fragment: MARKED_LAND_COLOURS.fragment.fill,
  supporting: MARKED_LAND_COLOURS.supporting.fill,
  hole: '#c8453b',
  add: '#2f9a5a',
  picked: '#17a9d6',
} as const;

/** The status colour of saved areas (grey when outside the reader's districts). */
export function savedAreaColour(): ExpressionSpecification {
  const pairs = AREA_STATUSES.flatMap((status) => [status.code, status.color]);
  return ['match', ['coalesce', ['get', 'status'], 'draft'], ...pairs, RESTRICTED_PARCEL.outline] as unknown as ExpressionSpecification;
}

const EMPTY: SourceSpecification = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };

export function areasSources(origin: string): Record<string, SourceSpecification> {
  return {
    [AREAS_SOURCE.saved]: { type: 'vector', url: `${origin}/tiles/areas.json` },
    [AREAS_SOURCE.boundary]: EMPTY,
    [AREAS_SOURCE.markedLand]: EMPTY,
    [AREAS_SOURCE.composition]: EMPTY,
    [AREAS_SOURCE.picked]: EMPTY,
  };
}

/** Filter of saved areas: all but the one open in the editor (drawn from the editor's state). */
export function savedAreasFilter(currentId: number | null): ExpressionSpecification {
  return currentId === null ? ['literal', true] as unknown as ExpressionSpecification : ['!=', ['id'], currentId];
}

export function areasLayers(): LayerSpecification[] {
  return [
    {
      id: AREAS_LAYER.savedFill,
      type: 'fill',
      source: AREAS_SOURCE.saved,
      'source-layer': AREAS_SOURCE_LAYER,
      paint: { 'fill-color': savedAreaColour(), 'fill-opacity': 0.22 },
    },
    {
      id: AREAS_LAYER.savedOutline,
      type: 'line',
      source: AREAS_SOURCE.saved,
      'source-layer': AREAS_SOURCE_LAYER,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': savedAreaColour(), 'line-width': 2, 'line-dasharray': [3, 2] },
    },
    {
      id: AREAS_LAYER.compositionFill,
      type: 'fill',
      source: AREAS_SOURCE.composition,
      paint: {
        'fill-color': ['match', ['get', 'role'], 'fragment', AREA_COLOURS.fragment, 'excluded', AREA_COLOURS.excluded, AREA_COLOURS.taken] as unknown as ExpressionSpecification,
        'fill-opacity': ['match', ['get', 'role'], 'fragment', 0.55, 'excluded', 0.55, 0.18] as unknown as ExpressionSpecification,
      },
    },
    {
      id: AREAS_LAYER.compositionOutline,
      type: 'line',
      source: AREAS_SOURCE.composition,
      paint: {
        'line-color': ['match', ['get', 'role'], 'fragment', MARKED_LAND_COLOURS.fragment.outline, 'excluded', '#3a4556', AREA_COLOURS.taken] as unknown as ExpressionSpecification,
        'line-width': 1.5,
      },
    },
    {
      id: AREAS_LAYER.pickedFill,
      type: 'fill',
      source: AREAS_SOURCE.picked,
      paint: { 'fill-color': AREA_COLOURS.picked, 'fill-opacity': 0.45 },
    },
    {
      id: AREAS_LAYER.pickedOutline,
      type: 'line',
      source: AREAS_SOURCE.picked,
      paint: { 'line-color': '#0b6f8f', 'line-width': 2 },
    },
    {
      id: AREAS_LAYER.boundaryFill,
      type: 'fill',
      source: AREAS_SOURCE.boundary,
      paint: { 'fill-color': AREA_COLOURS.boundary, 'fill-opacity': 0.1 },
    },
    {
      id: AREAS_LAYER.markedLandFill,
      type: 'fill',
      source: AREAS_SOURCE.markedLand,
      paint: {
        'fill-color': ['match', ['get', 'kind'], 'supporting', AREA_COLOURS.supporting, AREA_COLOURS.fragment] as unknown as ExpressionSpecification,
        'fill-opacity': 0.5,
      },
    },
    {
      id: AREAS_LAYER.markedLandOutline,
      type: 'line',
      source: AREAS_SOURCE.markedLand,
      paint: {
        'line-color': ['match', ['get', 'kind'], 'supporting', MARKED_LAND_COLOURS.supporting.outline, MARKED_LAND_COLOURS.fragment.outline] as unknown as ExpressionSpecification,
        'line-width': 1.5,
        'line-dasharray': [2, 1],
      },
    },
    {
      id: AREAS_LAYER.boundaryCasing,
      type: 'line',
      source: AREAS_SOURCE.boundary,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': 'rgba(255, 255, 255, 0.9)', 'line-width': 5 },
    },
    {
      id: AREAS_LAYER.boundaryOutline,
      type: 'line',
      source: AREAS_SOURCE.boundary,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': AREA_COLOURS.boundary, 'line-width': 2.5 },
    },
    {
      id: AREAS_LAYER.savedLabel,
      type: 'symbol',
      source: AREAS_SOURCE.saved,
      // One label point per area (the tiles' `area_labels`), so a name is written once.
      'source-layer': AREAS_LABEL_SOURCE_LAYER,
      minzoom: 11,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': TEXT_FONT,
        'text-size': 13,
        'symbol-placement': 'point',
        'text-allow-overlap': false,
      },
      paint: { 'text-color': '#2c3e55', 'text-halo-color': 'rgba(255, 255, 255, 0.95)', 'text-halo-width': 2 },
    },
  ];
}

/** The saved areas alone (fill, outline, name), as the main map's 图层 shows them. */
export function savedAreaLayers(): LayerSpecification[] {
  const saved = new Set<string>([AREAS_LAYER.savedFill, AREAS_LAYER.savedOutline, AREAS_LAYER.savedLabel]);
  return areasLayers().filter((layer) => saved.has(layer.id));
}

export { LOCAL_IDEOGRAPH_FONT_FAMILY };
