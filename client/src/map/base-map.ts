import { Map as MapLibreMap, NavigationControl, setWorkerUrl, type MapOptions } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { LOCAL_IDEOGRAPH_FONT_FAMILY } from './map-fonts.js';

// The worker is bundled by Vite (`?url`), so the map works offline.
setWorkerUrl(workerUrl);

/** MapLibre's control texts, in Chinese (the product shows no English). */
export const MAP_LOCALE: Record<string, string> = {
  'NavigationControl.ZoomIn': '放大',
  'NavigationControl.ZoomOut': '缩小',
  'NavigationControl.ResetBearing': '恢复正北',
  'FullscreenControl.Enter': '全屏显示',
  'FullscreenControl.Exit': '退出全屏',
  'ScaleControl.Meters': '米',
  'ScaleControl.Kilometers': '千米',
  'AttributionControl.ToggleAttribution': '数据来源',
  'Popup.Close': '关闭',
};

/** 厦门's centre: where a map opens before it knows the data's extent. */
export const XIAMEN_CENTRE: [number, number] = [118.11, 24.56];

/** A URL as the page resolves it (`/tiles/…` → `https://host/tiles/…`); absolute ones unchanged. */
export function absoluteUrl(url: string, base: string = window.location.href): string {
  return new URL(url, base).href;
}

/** The system's 减少动态效果 (reduce motion) setting: MapLibre then jumps instead of flying by itself. */
export function prefersReducedMotion(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * A MapLibre map as every page of the product has it: north-up (cadastral maps are read that way;
 * rotation only ever happens by accident), Chinese controls, CJK labels from local fonts, no
 * attribution or logo, zoom buttons top right, and no fading labels for those who asked their
 * system to reduce motion. `options` adds the container, style and view.
 */
export function createNorthUpMap(options: MapOptions): MapLibreMap {
  const map = new MapLibreMap({
    fadeDuration: prefersReducedMotion() ? 0 : 300,
    localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
    locale: MAP_LOCALE,
    attributionControl: false,
    maplibreLogo: false,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    // The server's TileJSON names its tiles root-relative (`/tiles/…`) unless PUBLIC_URL is set:
    // resolved here against the page, since tiles are fetched by the worker, not by the page.
    transformRequest: (url) => ({ url: absoluteUrl(url) }),
    ...options,
  });
  map.touchZoomRotate.disableRotation();
  map.keyboard.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  return map;
}
