import type { GeoJSONSource, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';

export type AreaSelectMode = 'box' | 'lasso';
export type SelectPolygon = { type: 'Polygon'; coordinates: [number, number][][] };

export const AREA_SELECT_SOURCE = 'area-select';
const INK = '#1d6fd8';

/** Points of a lasso closer than this on screen (px) are dropped: a drag gives hundreds. */
const LASSO_STEP_PX = 4;

/**
 * 框选 / 套索 on the map for the attribute table: press and drag a box, or draw a free lasso; on
 * release the polygon is handed over (the table filters by it) and stays drawn until cleared.
 * While it is active the map does not pan under the pointer; Esc cancels.
 */
export class AreaSelectTool {
  readonly #map: MapLibreMap;
  #mode: AreaSelectMode | null = null;
  #start: [number, number] | null = null;
  #points: [number, number][] = [];
  #lastPixel: [number, number] | null = null;
  #done: ((polygon: SelectPolygon | null) => void) | null = null;
  #shown: SelectPolygon | null = null;

  constructor(map: MapLibreMap) {
    this.#map = map;
    map.on('mousedown', this.#onDown);
    map.on('mousemove', this.#onMove);
    map.on('mouseup', this.#onUp);
    window.addEventListener('keydown', this.#onKeydown, true);
  }

  install(): void {
    const map = this.#map;
    if (map.getSource(AREA_SELECT_SOURCE)) return;
    map.addSource(AREA_SELECT_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({ id: 'area-select-fill', type: 'fill', source: AREA_SELECT_SOURCE, paint: { 'fill-color': INK, 'fill-opacity': 0.12 } });
    map.addLayer({ id: 'area-select-line', type: 'line', source: AREA_SELECT_SOURCE, paint: { 'line-color': INK, 'line-width': 2, 'line-dasharray': [3, 2] } });
    this.#render(this.#shown);
  }

  /** True while a box or lasso is being drawn or waited for (map clicks are the tool's). */
  get active(): boolean {
    return this.#mode !== null;
  }

  /** Waits for one box or lasso; resolves with its polygon, or null when cancelled. */
  start(mode: AreaSelectMode): Promise<SelectPolygon | null> {
    this.#finish(null);
    this.#mode = mode;
    this.#map.dragPan.disable();
    this.#map.getCanvas().style.cursor = 'crosshair';
    return new Promise((resolve) => {
      this.#done = resolve;
    });
  }

  /** Shows a polygon (the table's current one) or none. */
  show(polygon: SelectPolygon | null): void {
    this.#shown = polygon;
    this.#render(polygon);
  }

  destroy(): void {
    this.#finish(null);
    window.removeEventListener('keydown', this.#onKeydown, true);
    this.#map.off('mousedown', this.#onDown);
    this.#map.off('mousemove', this.#onMove);
    this.#map.off('mouseup', this.#onUp);
  }

  #finish(polygon: SelectPolygon | null): void {
    const done = this.#done;
    this.#done = null;
    this.#mode = null;
    this.#start = null;
    this.#points = [];
    this.#lastPixel = null;
    this.#map.dragPan.enable();
    this.#map.getCanvas().style.cursor = '';
    if (polygon) this.#shown = polygon;
    this.#render(this.#shown);
    done?.(polygon);
  }

  readonly #onDown = (event: MapMouseEvent): void => {
    if (!this.#mode) return;
    event.preventDefault();
    this.#start = [event.lngLat.lng, event.lngLat.lat];
    this.#points = [this.#start];
    this.#lastPixel = [event.point.x, event.point.y];
  };

  readonly #onMove = (event: MapMouseEvent): void => {
    if (!this.#mode || !this.#start) return;
    const here: [number, number] = [event.lngLat.lng, event.lngLat.lat];
    if (this.#mode === 'lasso') {
      const [x, y] = this.#lastPixel!;
      if (Math.hypot(event.point.x - x, event.point.y - y) < LASSO_STEP_PX) return;
      this.#lastPixel = [event.point.x, event.point.y];
      this.#points.push(here);
    } else {
      this.#points = [this.#start, here];
    }
    this.#render(this.#polygon());
  };

  readonly #onUp = (): void => {
    if (!this.#mode || !this.#start) return;
    const polygon = this.#polygon();
    this.#finish(polygon);
  };

  readonly #onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !this.#mode) return;
    event.preventDefault();
    event.stopPropagation();
    this.#finish(null);
  };

  /** The drawn shape as a closed ring, or null when it encloses nothing. */
  #polygon(): SelectPolygon | null {
    const round = (value: number) => Math.round(value * 1e7) / 1e7;
    let ring: [number, number][];
    if (this.#mode === 'box') {
      if (this.#points.length < 2) return null;
      const [[x1, y1], [x2, y2]] = this.#points;
      if (x1 === x2 || y1 === y2) return null;
      ring = [[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]];
    } else {
      if (this.#points.length < 3) return null;
      // The contract takes up to 2 000 positions: a very long lasso keeps every n-th point.
      const step = Math.ceil(this.#points.length / 1500);
      const kept = this.#points.filter((_point, index) => index % step === 0);
      ring = [...kept, kept[0]];
    }
    return { type: 'Polygon', coordinates: [ring.map(([x, y]) => [round(x), round(y)])] };
  }

  #render(polygon: SelectPolygon | null): void {
    this.#map.getSource<GeoJSONSource>(AREA_SELECT_SOURCE)?.setData({
      type: 'FeatureCollection', features: polygon ? [{ type: 'Feature', properties: {}, geometry: polygon }] : [],
    });
  }
}
