import { Map as MapLibreMap, Popup, ScaleControl, type GeoJSONSource, type LngLatLike } from 'maplibre-gl';
import type { ImportFeature } from '../imports/imports.api.js';
import { buildImportPreviewStyle, featureBounds, PREVIEW_LAYER, PREVIEW_SOURCE } from './import-preview-style.js';
import { createNorthUpMap, XIAMEN_CENTRE } from './base-map.js';
import { exposeImportMapForTests } from './test-hooks.js';

export interface ImportPreviewMapOptions {
  container: HTMLElement;
  /** A feature was clicked (null: the map beside any feature), with where. */
  onSelect: (feature: ImportFeature | null, at: LngLatLike | null) => void;
  /** Style loaded and the first features drawn. */
  onReady?: () => void;
}

/**
 * MapLibre for the import preview: draws the staged features of one layer coloured by status,
 * fits them, and reports clicks. The popup's content is the page's (a Vue teleport target), so
 * labels and formatting stay in the component.
 */
export class ImportPreviewMap {
  readonly map: MapLibreMap;
  readonly #options: ImportPreviewMapOptions;
  readonly #resizeObserver: ResizeObserver;
  readonly #features = new Map<number, ImportFeature>();
  #pending: ImportFeature[] | null = null;
  #loaded = false;
  #hovered: number | null = null;
  #selected: number | null = null;
  #popup: Popup | null = null;

  constructor(options: ImportPreviewMapOptions) {
    this.#options = options;
    this.map = createNorthUpMap({
      container: options.container,
      style: buildImportPreviewStyle(window.location.origin),
      center: XIAMEN_CENTRE, // until the features arrive
      zoom: 10,
      minZoom: 5,
      maxZoom: 20,
    });
    this.map.addControl(new ScaleControl({ maxWidth: 100, unit: 'metric' }), 'bottom-right');
    exposeImportMapForTests(this.map);
    this.#bindEvents();
    this.#resizeObserver = new ResizeObserver(() => this.map.resize());
    this.#resizeObserver.observe(options.container);
  }

  /** Shows these features (replacing any before) and moves to them. */
  setFeatures(features: readonly ImportFeature[]): void {
    this.#features.clear();
    for (const feature of features) this.#features.set(feature.id, feature);
    this.closePopup();
    if (!this.#loaded) {
      this.#pending = [...features];
      return;
    }
    this.#draw(features);
  }

  fitFeatures(): void {
    const bounds = featureBounds([...this.#features.values()]);
    if (!bounds) return;
    this.map.fitBounds(bounds, { padding: { top: 56, right: 64, bottom: 64, left: 56 }, maxZoom: 18, duration: 0 });
  }

  /** Opens the popup at a point and returns the element its content goes into. */
  openPopup(at: LngLatLike): HTMLElement {
    const previous = this.#popup;
    this.#popup = null;
    previous?.remove();
    const content = document.createElement('div');
    content.className = 'import-popup-target';
    const popup = new Popup({ closeButton: true, maxWidth: '340px', focusAfterOpen: false, className: 'import-popup' })
      .setLngLat(at)
      .setDOMContent(content)
      .addTo(this.map);
    popup.on('close', () => {
      if (this.#popup !== popup) return;
      this.#popup = null;
      this.#select(null);
      this.#options.onSelect(null, null);
    });
    this.#popup = popup;
    return content;
  }

  closePopup(): void {
    const popup = this.#popup;
    this.#popup = null;
    popup?.remove();
    this.#select(null);
  }

  destroy(): void {
    this.#resizeObserver.disconnect();
    this.#popup?.remove();
    exposeImportMapForTests(undefined);
    this.map.remove();
  }

  #draw(features: readonly ImportFeature[]): void {
    const source = this.map.getSource<GeoJSONSource>(PREVIEW_SOURCE);
    // Rejected features may have no geometry at all; they are listed, not drawn.
    const drawable = features.filter((feature) => feature.geometry !== null);
    source?.setData({ type: 'FeatureCollection', features: drawable } as unknown as Parameters<GeoJSONSource['setData']>[0]);
    this.#hovered = null;
    this.fitFeatures();
  }

  #select(id: number | null): void {
    if (this.#selected !== null && this.#loaded) this.map.setFeatureState({ source: PREVIEW_SOURCE, id: this.#selected }, { selected: false });
    this.#selected = id;
    if (id !== null && this.#loaded) this.map.setFeatureState({ source: PREVIEW_SOURCE, id }, { selected: true });
  }

  #setHovered(id: number | null): void {
    if (id === this.#hovered) return;
    if (this.#hovered !== null) this.map.setFeatureState({ source: PREVIEW_SOURCE, id: this.#hovered }, { hover: false });
    this.#hovered = id;
    if (id !== null) this.map.setFeatureState({ source: PREVIEW_SOURCE, id }, { hover: true });
  }

  #bindEvents(): void {
    const map = this.map;
    map.once('load', () => {
      this.#loaded = true;
      if (this.#pending) this.#draw(this.#pending);
      this.#pending = null;
      map.once('idle', () => {
        map.getContainer().dataset.previewReady = 'true';
        this.#options.onReady?.();
      });
    });

    map.on('error', (event) => console.warn('[import preview]', event.error?.message ?? ''));

    map.on('click', (event) => {
      const hit = map.queryRenderedFeatures(event.point, { layers: [PREVIEW_LAYER.fill] })[0];
      const feature = hit?.id === undefined ? undefined : this.#features.get(Number(hit.id));
      if (!feature) {
        this.closePopup();
        this.#options.onSelect(null, null);
        return;
      }
      this.#select(feature.id);
      this.#options.onSelect(feature, event.lngLat);
    });

    map.on('mousemove', (event) => {
      if (!this.#loaded) return;
      const hit = map.queryRenderedFeatures(event.point, { layers: [PREVIEW_LAYER.fill] })[0];
      const id = hit?.id === undefined ? null : Number(hit.id);
      this.#setHovered(id);
      map.getCanvas().style.cursor = id === null ? '' : 'pointer';
    });

    map.getCanvasContainer().addEventListener('mouseleave', () => this.#setHovered(null));
  }
}
