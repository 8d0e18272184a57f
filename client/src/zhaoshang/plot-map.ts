import type { GeoJSONSource, Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';
import { createNorthUpMap, XIAMEN_CENTRE } from '../map/base-map.js';
import { TEXT_FONT } from '../map/map-fonts.js';
import type { PublicDistrictCollection, PublicPlotCollection } from './public.api.js';

declare global {
  interface Window {
    /** The public page's map, for browser tests. */
    __zhaoshangMap?: MapLibreMap;
  }
}

const PLOT_COLOUR = '#d9682b';
const SELECTED_COLOUR = '#1f4e8c';

function styleOf(basemapUrl: string | null): StyleSpecification {
  return {
    version: 8,
    glyphs: `${window.location.origin}/glyphs/{fontstack}/{range}.pbf`,
    sources: {
      ...(basemapUrl ? { basemap: { type: 'raster', tiles: [basemapUrl], tileSize: 256 } } : {}),
      districts: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      plots: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      centres: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } },
      ...(basemapUrl ? [{ id: 'basemap', type: 'raster' as const, source: 'basemap' }] : []),
      { id: 'district-fill', type: 'fill', source: 'districts', paint: { 'fill-color': ['case', ['get', 'hasPlots'], '#fbfaf6', '#f4f5f2'], 'fill-opacity': basemapUrl ? 0.35 : 1 } },
      { id: 'district-line', type: 'line', source: 'districts', paint: { 'line-color': '#8a97a8', 'line-width': 1.2, 'line-dasharray': [3, 2] } },
      {
        id: 'district-label', type: 'symbol', source: 'districts', maxzoom: 13,
        layout: { 'text-field': ['get', 'name'], 'text-font': TEXT_FONT, 'text-size': 14 },
        paint: { 'text-color': '#5b6675', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
      },
      { id: 'plot-fill', type: 'fill', source: 'plots', paint: { 'fill-color': ['case', ['boolean', ['feature-state', 'selected'], false], SELECTED_COLOUR, PLOT_COLOUR], 'fill-opacity': 0.45 } },
      { id: 'plot-line', type: 'line', source: 'plots', paint: { 'line-color': ['case', ['boolean', ['feature-state', 'selected'], false], SELECTED_COLOUR, PLOT_COLOUR], 'line-width': 2 } },
      {
        id: 'plot-point', type: 'circle', source: 'centres', maxzoom: 16,
        paint: {
          'circle-radius': 11, 'circle-color': ['case', ['boolean', ['feature-state', 'selected'], false], SELECTED_COLOUR, PLOT_COLOUR],
          'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2,
        },
      },
      {
        id: 'plot-number', type: 'symbol', source: 'centres', maxzoom: 16,
        layout: { 'text-field': ['to-string', ['get', 'number']], 'text-font': TEXT_FONT, 'text-size': 12, 'text-allow-overlap': true },
        paint: { 'text-color': '#ffffff' },
      },
    ],
  };
}

/**
 * The public page's map: district outlines, the published plots as shapes and numbered points
 * (the numbers of the list's cards), a click selects a plot.
 */
export class PlotMap {
  private readonly map: MapLibreMap;
  private readonly ready: Promise<void>;
  private selected: number | null = null;

  constructor(container: HTMLElement, basemapUrl: string | null, onSelect: (id: number) => void) {
    this.map = createNorthUpMap({ container, style: styleOf(basemapUrl), center: XIAMEN_CENTRE, zoom: 10 });
    window.__zhaoshangMap = this.map;
    this.ready = new Promise((resolve) => this.map.once('load', () => resolve()));
    for (const layer of ['plot-fill', 'plot-point']) {
      this.map.on('click', layer, (event) => {
        const id = Number(event.features?.[0]?.id);
        if (Number.isFinite(id)) onSelect(id);
      });
      this.map.on('mouseenter', layer, () => { this.map.getCanvas().style.cursor = 'pointer'; });
      this.map.on('mouseleave', layer, () => { this.map.getCanvas().style.cursor = ''; });
    }
  }

  async show(plots: PublicPlotCollection, districts: PublicDistrictCollection | null): Promise<void> {
    await this.ready;
    if (districts) (this.map.getSource('districts') as GeoJSONSource).setData(districts as GeoJSON.FeatureCollection);
    (this.map.getSource('plots') as GeoJSONSource).setData(plots as unknown as GeoJSON.FeatureCollection);
    (this.map.getSource('centres') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: plots.features.map((feature, index) => ({
        type: 'Feature', id: feature.id, properties: { number: index + 1 }, geometry: { type: 'Point', coordinates: feature.properties.centre },
      })),
    });
    const points = plots.features.map((feature) => feature.properties.centre);
    if (points.length > 0) {
      const lons = points.map(([lon]) => lon);
      const lats = points.map(([, lat]) => lat);
      this.map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]], { padding: 80, maxZoom: 15, duration: 0 });
    }
    document.body.dataset.zhaoshangMapReady = 'true';
  }

  select(id: number | null, bbox: [number, number, number, number] | null = null): void {
    for (const source of ['plots', 'centres']) {
      if (this.selected !== null) this.map.setFeatureState({ source, id: this.selected }, { selected: false });
      if (id !== null) this.map.setFeatureState({ source, id }, { selected: true });
    }
    this.selected = id;
    // The plot's card lies over the map's left side: the plot is framed in the rest.
    if (bbox) this.map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding: { top: 120, bottom: 120, left: 560, right: 120 }, maxZoom: 16, duration: 600 });
  }

  resize(): void {
    this.map.resize();
  }

  remove(): void {
    this.map.remove();
  }
}
