import type { FilterSpecification, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Position } from '@domain/ellipsoidal-area.js';
import { PointSketch } from './point-sketch.js';

export const LINEAGE_SOURCE = 'lineage-sketch';
export const LINEAGE_LAYER = { parts: 'lineage-parts', outline: 'lineage-outline', line: 'lineage-line', points: 'lineage-points' } as const;

/** Colours of the parts of a split preview and of the parcels picked for a merge, in order. */
export const PART_COLOURS = ['#2563eb', '#db2777', '#16a34a', '#ca8a04', '#7c3aed', '#0891b2', '#ea580c', '#4b5563'] as const;
const INK = '#b91c1c';

export interface SketchShape {
  geometry: GeoJSON.Geometry;
  colour: string;
}

/**
 * The map side of 分割 and 合并: a line drawn by clicks (the pointer shows the next point, a double
 * click or Enter ends, Esc cancels), and shapes shown under it (the parts of a split preview, the
 * parcels picked for a merge). The panel (parcel-lineage-panel.vue) holds the state; this draws.
 */
export class LineageSketch {
  readonly #map: MapLibreMap;
  readonly #onLine: (line: Position[]) => void;
  readonly #onCancel: () => void;
  readonly #sketch: PointSketch;
  #shapes: SketchShape[] = [];

  constructor(map: MapLibreMap, handlers: { onLine: (line: Position[]) => void; onCancel: () => void }) {
    this.#map = map;
    this.#onLine = handlers.onLine;
    this.#onCancel = handlers.onCancel;
    this.#sketch = new PointSketch(map, { onChange: () => this.#render(), onDoubleClick: () => this.finishLine() });
    window.addEventListener('keydown', this.#onKeydown, true);
    if (map.isStyleLoaded()) this.#install();
    else map.once('load', () => this.#install());
  }

  #install(): void {
    const map = this.#map;
    if (map.getSource(LINEAGE_SOURCE)) return;
    map.addSource(LINEAGE_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    const polygons: FilterSpecification = ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]];
    map.addLayer({ id: LINEAGE_LAYER.parts, type: 'fill', source: LINEAGE_SOURCE, filter: polygons, paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.35 } });
    map.addLayer({ id: LINEAGE_LAYER.outline, type: 'line', source: LINEAGE_SOURCE, filter: polygons, paint: { 'line-color': ['get', 'colour'], 'line-width': 2.5 } });
    map.addLayer({ id: LINEAGE_LAYER.line, type: 'line', source: LINEAGE_SOURCE, filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': INK, 'line-width': 3, 'line-dasharray': [2, 1] } });
    map.addLayer({ id: LINEAGE_LAYER.points, type: 'circle', source: LINEAGE_SOURCE, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 4.5, 'circle-color': '#fff', 'circle-stroke-color': INK, 'circle-stroke-width': 2 } });
    this.#render();
  }

  get drawing(): boolean {
    return this.#sketch.drawing;
  }

  get points(): Position[] {
    return this.#sketch.points;
  }

  /** Starts a new line (any shapes stay until replaced). */
  startLine(): void {
    this.#sketch.start();
    this.#render();
  }

  /** Adds a point as a click does (the panel routes map clicks here while drawing; tests call it). */
  addPoint(position: Position): void {
    if (this.#sketch.add(position)) this.#render();
  }

  /** Ends the line: with two points or more it goes to the panel. */
  finishLine(): void {
    if (!this.#sketch.drawing) return;
    this.#sketch.stop();
    if (this.#sketch.count >= 2) this.#onLine(this.points);
    this.#render();
  }

  setShapes(shapes: SketchShape[]): void {
    this.#shapes = shapes;
    this.#render();
  }

  clear(): void {
    this.#sketch.reset();
    this.#shapes = [];
    this.#render();
  }

  destroy(): void {
    this.clear();
    window.removeEventListener('keydown', this.#onKeydown, true);
    this.#sketch.destroy();
  }

  /** Enter ends the line, Esc cancels the tool; nothing else on the page sees those keys meanwhile. */
  readonly #onKeydown = (event: KeyboardEvent): void => {
    if (!this.#sketch.drawing) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      this.finishLine();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.clear();
      this.#onCancel();
    }
  };

  #render(): void {
    const source = this.#map.getSource<GeoJSONSource>(LINEAGE_SOURCE);
    if (!source) return;
    const features: GeoJSON.Feature[] = this.#shapes.map((shape) => ({ type: 'Feature', properties: { colour: shape.colour }, geometry: shape.geometry }));
    const line = this.#sketch.trace;
    for (const point of this.#sketch.points) features.push({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [...point] } });
    if (line.length >= 2) features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: line.map((point) => [...point]) } });
    source.setData({ type: 'FeatureCollection', features });
  }
}
