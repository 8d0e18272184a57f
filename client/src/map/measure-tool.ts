import type { GeoJSONSource, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import type { Position } from '@domain/ellipsoidal-area.js';
import { measure, type MeasureMode, type Measurement } from './measurement.js';
import { PointSketch } from './point-sketch.js';

export const MEASURE_SOURCE = 'measure';
export const MEASURE_LAYER = { fill: 'measure-fill', line: 'measure-line', points: 'measure-points' } as const;

/** What the measurement panel shows. */
export interface MeasureSnapshot {
  /** The tool in use, or null when the map is not measuring. */
  mode: MeasureMode | null;
  /** Points are still being added (Esc or a double click ends). */
  drawing: boolean;
  points: number;
  measurement: Measurement | null;
}

const IDLE: MeasureSnapshot = { mode: null, drawing: false, points: 0, measurement: null };
const INK = '#c2410c';

/**
 * The map's 测距 / 测面 tool: clicks add points, the pointer shows the next one, a double click or
 * Esc ends, 清除 removes it. Figures are geodesic on CGCS2000 (GeographicLib), never Web Mercator.
 */
export class MeasureTool {
  readonly #map: MapLibreMap;
  readonly #onChange: (snapshot: MeasureSnapshot) => void;
  readonly #sketch: PointSketch;
  #mode: MeasureMode | null = null;

  constructor(map: MapLibreMap, onChange: (snapshot: MeasureSnapshot) => void) {
    this.#map = map;
    this.#onChange = onChange;
    this.#sketch = new PointSketch(map, { onChange: () => this.#render(), onDoubleClick: () => this.finish() });
    map.on('click', this.#onClick);
    window.addEventListener('keydown', this.#onKeydown, true);
  }

  /** Adds the source and layers (after the style has loaded), on top of everything. */
  install(): void {
    const map = this.#map;
    if (map.getSource(MEASURE_SOURCE)) return;
    map.addSource(MEASURE_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({ id: MEASURE_LAYER.fill, type: 'fill', source: MEASURE_SOURCE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': INK, 'fill-opacity': 0.15 } });
    map.addLayer({ id: MEASURE_LAYER.line, type: 'line', source: MEASURE_SOURCE, filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': INK, 'line-width': 2.5, 'line-dasharray': [2, 1] } });
    map.addLayer({ id: MEASURE_LAYER.points, type: 'circle', source: MEASURE_SOURCE, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 4, 'circle-color': '#fff', 'circle-stroke-color': INK, 'circle-stroke-width': 2 } });
  }

  /** While points are being added, map clicks belong to the tool (no parcel card opens). */
  get drawing(): boolean {
    return this.#sketch.drawing;
  }

  start(mode: MeasureMode): void {
    this.#mode = mode;
    this.#sketch.start();
    this.#render();
  }

  /** Ends adding points; the drawing and its figures stay until cleared. */
  finish(): void {
    if (!this.#sketch.drawing) return;
    this.#sketch.stop();
    this.#render();
  }

  clear(): void {
    this.#sketch.reset();
    this.#mode = null;
    this.#render();
  }

  /** Adds a point as a click would (tests and keyboard users). */
  addPoint(position: Position): void {
    if (this.#sketch.add(position)) this.#render();
  }

  destroy(): void {
    window.removeEventListener('keydown', this.#onKeydown, true);
    this.#map.off('click', this.#onClick);
    this.#sketch.destroy();
  }

  get snapshot(): MeasureSnapshot {
    if (this.#mode === null) return IDLE;
    return { mode: this.#mode, drawing: this.#sketch.drawing, points: this.#sketch.count, measurement: measure(this.#mode, this.#sketch.trace) };
  }

  readonly #onClick = (event: MapMouseEvent): void => {
    this.addPoint([event.lngLat.lng, event.lngLat.lat]);
  };

  /** Esc ends the drawing (or removes a finished one); nothing else on the page sees that Esc. */
  readonly #onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || this.#mode === null) return;
    event.preventDefault();
    if (this.#sketch.drawing) this.finish();
    else this.clear();
  };

  #render(): void {
    const source = this.#map.getSource<GeoJSONSource>(MEASURE_SOURCE);
    const points = this.#sketch.trace;
    const features: GeoJSON.Feature[] = this.#sketch.points.map((point) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [...point] } }));
    if (this.#mode === 'area' && points.length >= 3) {
      features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...points, points[0]].map((point) => [...point])] } });
    } else if (points.length >= 2) {
      features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: points.map((point) => [...point]) } });
    }
    source?.setData({ type: 'FeatureCollection', features });
    this.#onChange(this.snapshot);
  }
}
