import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { LEGACY_STATUSES } from '@domain/legacy-land.js';
import { fetchLegacyFeatures } from '../legacy-land/legacy-land.api.js';

const SOURCE = 'legacy-lands';
export const LEGACY_FILL_LAYER = 'legacy-lands-fill';
const LINE_LAYER = 'legacy-lands-line';
const EMPTY = { type: 'FeatureCollection', features: [] } as GeoJSON.FeatureCollection;
/** Below this zoom the layer asks for nothing (a whole city of small records is no map). */
const MIN_ZOOM = 11;

/** The fill colour of a record's state (domain/legacy-land.ts: the list page uses the same). */
function statusColour(): unknown[] {
  return ['match', ['get', 'status'], ...LEGACY_STATUSES.flatMap((status) => [status.code, status.color]), '#888888'];
}

/**
 * 历史遗留用地 on the main map (图层 → 历史遗留用地): the records of the reader's districts in the
 * view, as GeoJSON by box (`GET /api/legacy-lands/features`), hatched-looking outlines coloured by
 * state, read again when the view settles.
 */
export class LegacyLandLayer {
  #shown = false;
  #request: AbortController | null = null;
  readonly #onMove = () => void this.#refresh();

  constructor(private readonly map: MapLibreMap) {}

  setShown(shown: boolean): void {
    this.#shown = shown;
    const map = this.map;
    if (shown && !map.getSource(SOURCE)) {
      map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
      map.addLayer({ id: LEGACY_FILL_LAYER, type: 'fill', source: SOURCE, paint: { 'fill-color': statusColour() as never, 'fill-opacity': 0.35 } });
      map.addLayer({ id: LINE_LAYER, type: 'line', source: SOURCE, paint: { 'line-color': statusColour() as never, 'line-width': 2, 'line-dasharray': [2, 1] } });
    }
    for (const id of [LEGACY_FILL_LAYER, LINE_LAYER]) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', shown ? 'visible' : 'none');
    if (shown) {
      map.on('moveend', this.#onMove);
      void this.#refresh();
    } else {
      map.off('moveend', this.#onMove);
      this.#request?.abort();
    }
  }

  async #refresh(): Promise<void> {
    if (!this.#shown) return;
    this.#request?.abort();
    const source = this.map.getSource<GeoJSONSource>(SOURCE);
    if (this.map.getZoom() < MIN_ZOOM) {
      source?.setData(EMPTY);
      return;
    }
    const request = new AbortController();
    this.#request = request;
    const bounds = this.map.getBounds();
    try {
      const features = await fetchLegacyFeatures([bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()], { quiet: true, signal: request.signal });
      if (this.#request === request) source?.setData(features as unknown as GeoJSON.FeatureCollection);
    } catch {
      // Aborted by a newer view, or the reader lost the session: the layer stays as it was.
    }
  }

  destroy(): void {
    this.map.off('moveend', this.#onMove);
    this.#request?.abort();
  }
}
