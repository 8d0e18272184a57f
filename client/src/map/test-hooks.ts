import type { Map as MapLibreMap } from 'maplibre-gl';

declare global {
  interface Window {
    /** The map instance, for the browser tests only (they read camera and rendered features). */
    __biaotuMap?: MapLibreMap;
    /** The preview map of the 数据导入 page, for the browser tests only. */
    __biaotuImportMap?: MapLibreMap;
  }
}

/** Lets the Playwright test reach the map without a UI path to it. */
export function exposeMapForTests(map: MapLibreMap): void {
  window.__biaotuMap = map;
}

/**
 * Set once the style is loaded and the first parcels are drawn (first `idle`), so the browser
 * test waits for a real signal instead of a timeout.
 */
export function markMapReady(): void {
  document.body.dataset.mapReady = 'true';
}

/** Lets the Playwright test reach the import preview map (drawn features, camera). */
export function exposeImportMapForTests(map: MapLibreMap | undefined): void {
  window.__biaotuImportMap = map;
}
