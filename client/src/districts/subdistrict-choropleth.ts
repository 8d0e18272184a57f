import type { ExpressionSpecification, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { SHARE_CLASSES } from '@domain/district-figures.js';
import type { SubdistrictFeatureCollection } from '@domain/api/districts.schemas.js';
import { LAYER, TEXT_FONT } from '../map/map-style.js';

/**
 * The choropleth of 低效 share per 街道/镇/园区: a GeoJSON source of the selected district's (or the
 * city's) places from GET /api/districts/{code}/subdistricts, filled by share class (SHARE_CLASSES,
 * the legend's), outlined and named; 园区 drawn over their 街道 with a darker outline. Below the
 * parcels, so a parcel stays visible and clickable over its 街道.
 */
export const CHOROPLETH = {
  source: 'subdistricts',
  fill: 'subdistrict-share-fill',
  line: 'subdistrict-outline',
  label: 'subdistrict-label',
} as const;

const NO_PARCELS = '#e9ecef';

/** The fill colour of a feature by its inefficientShare property (grey without parcels). */
export function shareColourExpression(): ExpressionSpecification {
  const steps: (string | number)[] = [SHARE_CLASSES[0].color];
  for (let index = 1; index < SHARE_CLASSES.length; index++) steps.push(SHARE_CLASSES[index - 1].upTo, SHARE_CLASSES[index].color);
  return ['case', ['==', ['get', 'inefficientShare'], null], NO_PARCELS,
    ['step', ['to-number', ['get', 'inefficientShare']], ...steps]] as unknown as ExpressionSpecification;
}

/** Shows (or, with null, hides) the places; repeated calls replace the data. */
export function showSubdistrictChoropleth(map: MapLibreMap, collection: SubdistrictFeatureCollection | null): void {
  const data = collection ?? { type: 'FeatureCollection', features: [] };
  const source = map.getSource(CHOROPLETH.source) as GeoJSONSource | undefined;
  if (source) {
    source.setData(data as GeoJSON.FeatureCollection);
    return;
  }
  map.addSource(CHOROPLETH.source, { type: 'geojson', data: data as GeoJSON.FeatureCollection });
  const below = map.getLayer(LAYER.parcelCells) ? LAYER.parcelCells : undefined;
  map.addLayer({
    id: CHOROPLETH.fill,
    type: 'fill',
    source: CHOROPLETH.source,
    paint: { 'fill-color': shareColourExpression(), 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 10, 0.6, 14, 0.3] },
  }, below);
  map.addLayer({
    id: CHOROPLETH.line,
    type: 'line',
    source: CHOROPLETH.source,
    paint: {
      'line-color': ['case', ['==', ['get', 'kind'], 'park'], '#3f1d6e', '#6b5b95'],
      'line-width': ['case', ['==', ['get', 'kind'], 'park'], 1.6, 0.9],
    },
  }, below);
  map.addLayer({
    id: CHOROPLETH.label,
    type: 'symbol',
    source: CHOROPLETH.source,
    minzoom: 10.5,
    layout: {
      'text-field': ['get', 'name'],
      'text-font': TEXT_FONT,
      'text-size': ['case', ['==', ['get', 'kind'], 'park'], 11, 12],
      'text-allow-overlap': false,
    },
    paint: { 'text-color': '#3b4252', 'text-halo-color': 'rgba(255, 255, 255, 0.9)', 'text-halo-width': 1.5 },
  }, map.getLayer(LAYER.districtLabel) ? LAYER.districtLabel : undefined);
}
