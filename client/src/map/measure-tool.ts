import type { GeoJSONSource, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import type { Position } from '@domain/ellipsoidal-area.js';
import { measure, type MeasureMode, type Measurement } from './measurement.js';

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
  #mode: MeasureMode | null = null;
  #drawing = false;
  #points: Position[] = [];
  #cursor: Position | null = null;

  constructor(map: MapLibreMap, onChange: (snapshot: MeasureSnapshot) => void) {
    this.#map = map;
    this.#onChange = onChange;
    map.on('click', this.#onClick);
    map.on('mousemove', this.#onMove);
    map.on('dblclick', this.#onDoubleClick);
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
    return this.#drawing;
  }

  start(mode: MeasureMode): void {
    this.#mode = mode;
    this.#drawing = true;
    this.#points = [];
    this.#cursor = null;
    this.#map.doubleClickZoom.disable();
    this.#map.getCanvas().style.cursor = 'crosshair';
    this.#render();
  }

  /** Ends adding points; the drawing and its figures stay until cleared. */
  finish(): void {
    if (!this.#drawing) return;
    this.#drawing = false;
    this.#cursor = null;
    this.#map.getCanvas().style.cursor = '';
    // Re-enabled after this event's double click has been handled, so it does not zoom.
    setTimeout(() => this.#map.doubleClickZoom.enable(), 0);
    this.#render();
  }

  clear(): void {
    this.finish();
    this.#mode = null;
    this.#points = [];
    this.#render();
  }

  /** Adds a point as a click would (tests and keyboard users). */
  addPoint(position: Position): void {
    if (!this.#drawing) return;
    this.#points.push([position[0], position[1]]);
    this.#render();
  }

  destroy(): void {
    window.removeEventListener('keydown', this.#onKeydown, true);
    this.#map.off('click', this.#onClick);
    this.#map.off('mousemove', this.#onMove);
    this.#map.off('dblclick', this.#onDoubleClick);
  }

  get snapshot(): MeasureSnapshot {
    if (this.#mode === null) return IDLE;
    const points = this.#drawing && this.#cursor ? [...this.#points, this.#cursor] : this.#points;
    return { mode: this.#mode, drawing: this.#drawing, points: this.#points.length, measurement: measure(this.#mode, points) };
  }

  readonly #onClick = (event: MapMouseEvent): void => {
    if (!this.#drawing) return;
    const last = this.#points.at(-1);
    // The two clicks of a double click land on the same point: count it once.
    if (last && last[0] === event.lngLat.lng && last[1] === event.lngLat.lat) return;
    this.addPoint([event.lngLat.lng, event.lngLat.lat]);
  };

  readonly #onMove = (event: MapMouseEvent): void => {
    if (!this.#drawing || this.#points.length === 0) return;
    this.#cursor = [event.lngLat.lng, event.lngLat.lat];
    this.#render();
  };

  readonly #onDoubleClick = (event: MapMouseEvent): void => {
    if (!this.#drawing) return;
    event.preventDefault();
    this.finish();
  };

  /** Esc ends the drawing (or removes a finished one); nothing else on the page sees that Esc. */
  readonly #onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || this.#mode === null) return;
    event.preventDefault();
    if (this.#drawing) this.finish();
    else this.clear();
  };

  #render(): void {
    const source = this.#map.getSource<GeoJSONSource>(MEASURE_SOURCE);
    const points = this.#drawing && this.#cursor ? [...this.#points, this.#cursor] : this.#points;
    const features: GeoJSON.Feature[] = this.#points.map((point) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [...point] } }));
    if (this.#mode === 'area' && points.length >= 3) {
      features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...points, points[0]].map((point) => [...point])] } });
    } else if (points.length >= 2) {
      features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: points.map((point) => [...point]) } });
    }
    source?.setData({ type: 'FeatureCollection', features });
    this.#onChange(this.snapshot);
  }
}
