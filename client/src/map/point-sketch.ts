import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import type { Position } from '@domain/ellipsoidal-area.js';

/**
 * Points placed one click at a time on the map, the pointer showing the next one: the drawing core
 * shared by the 测距/测面 tool and the 分割 line. While drawing, the map's double-click zoom is off
 * and the cursor is a crosshair; a double click ends (its two clicks count as one point). The tool
 * that owns the sketch decides what ending means and draws the result.
 */
export class PointSketch {
  readonly #map: MapLibreMap;
  readonly #onChange: () => void;
  readonly #onDoubleClick: () => void;
  #drawing = false;
  #points: Position[] = [];
  #cursor: Position | null = null;

  constructor(map: MapLibreMap, handlers: { onChange: () => void; onDoubleClick: () => void }) {
    this.#map = map;
    this.#onChange = handlers.onChange;
    this.#onDoubleClick = handlers.onDoubleClick;
    map.on('mousemove', this.#move);
    map.on('dblclick', this.#doubleClick);
  }

  get drawing(): boolean {
    return this.#drawing;
  }

  /** The points placed, as copies. */
  get points(): Position[] {
    return this.#points.map((point) => [point[0], point[1]]);
  }

  get count(): number {
    return this.#points.length;
  }

  /** The points placed and, while drawing, the pointer as the next one. */
  get trace(): Position[] {
    return this.#drawing && this.#cursor ? [...this.#points, this.#cursor] : [...this.#points];
  }

  /** Starts anew: no points, double-click zoom off, crosshair. */
  start(): void {
    this.#drawing = true;
    this.#points = [];
    this.#cursor = null;
    this.#map.doubleClickZoom.disable();
    this.#map.getCanvas().style.cursor = 'crosshair';
  }

  /** Adds a point while drawing; the second click of a double click, on the same point, counts once. */
  add(position: Position): boolean {
    if (!this.#drawing) return false;
    const last = this.#points.at(-1);
    if (last && last[0] === position[0] && last[1] === position[1]) return false;
    this.#points.push([position[0], position[1]]);
    return true;
  }

  /** Stops drawing; the points stay. */
  stop(): void {
    if (!this.#drawing) return;
    this.#drawing = false;
    this.#cursor = null;
    this.#map.getCanvas().style.cursor = '';
    // Re-enabled after this event's double click has been handled, so it does not zoom.
    setTimeout(() => this.#map.doubleClickZoom.enable(), 0);
  }

  /** Stops drawing and forgets the points. */
  reset(): void {
    this.stop();
    this.#points = [];
  }

  destroy(): void {
    this.#map.off('mousemove', this.#move);
    this.#map.off('dblclick', this.#doubleClick);
  }

  readonly #move = (event: MapMouseEvent): void => {
    if (!this.#drawing || this.#points.length === 0) return;
    this.#cursor = [event.lngLat.lng, event.lngLat.lat];
    this.#onChange();
  };

  readonly #doubleClick = (event: MapMouseEvent): void => {
    if (!this.#drawing) return;
    event.preventDefault();
    this.#onDoubleClick();
  };
}
