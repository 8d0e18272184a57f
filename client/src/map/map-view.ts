import { LegacyLandLayer } from './legacy-land-layer.js';
import {
  FullscreenControl,
  Map as MapLibreMap,
  Popup,
  ScaleControl,
  type IControl,
  type MapGeoJSONFeature,
  type MapMouseEvent,
  type PaddingOptions,
  type VectorTileSource,
} from 'maplibre-gl';
import type { BoundingBox } from './geo-types.js';
import { parcelCellFromTile, type ParcelCellProperties } from './parcel-cell.js';
import type { BrowseSnapshot, BrowseState } from '../browse/browse-state.js';
import type { SurveyLayerSelection } from '../survey/survey-layer-selection.js';
import {
  basemapAnnotationLayer,
  basemapLayer,
  basemapSource,
  basemapTemplates,
  buildMapStyle,
  cellFillExpression,
  cellFilterOf,
  detailMinZoomOf,
  districtFillOpacity,
  LAYER,
  parcelFillExpression,
  parcelFilterOf,
  parcelLabelFilterOf,
  selectedDistrictFilter,
  SOURCE,
  SOURCE_LAYER,
} from './map-style.js';
import { AREAS_LAYER, AREAS_SOURCE, savedAreaLayers } from './areas-style.js';
import { PhotoPointsLayer } from './photo-points.js';
import { MeasureTool, type MeasureSnapshot } from './measure-tool.js';
import { AreaSelectTool } from './area-select-tool.js';
import { areaStatusLabel } from '@domain/redevelopment-areas.js';
import { OUT_OF_SCOPE_AREA } from '@domain/scope-visibility.js';
import { createNorthUpMap, XIAMEN_CENTRE } from './base-map.js';
import { SurveyLayerAdapter } from './survey-layers.js';
import { exposeMapForTests, markMapReady } from './test-hooks.js';

// A production build does not emit MapLibre's worker by itself ("Worker failed to load");
// importing it as an asset URL makes Vite ship it next to the bundle.
/** Fallback view (厦门 centre) when the district list, and so the city's extent, is unavailable. */
const FALLBACK_ZOOM = 10;

/**
 * The legend (212 px, at the map's lower left, 12 px in) and a margin: a fitted district starts
 * right of it, so the legend never covers the district chosen.
 */
export const LEGEND_CLEARANCE = 12 + 212 + 24;

/** Width of the parcel card docked over the map's right edge; camera moves keep clear of it. */
export const PARCEL_CARD_WIDTH = 420;

export interface PointerPosition {
  longitude: number;
  latitude: number;
}

export interface ParcelHover {
  kind: 'parcel';
  /** Pointer position in pixels from the map container's top-left corner. */
  x: number;
  y: number;
  status: string | null;
  type: string | null;
  /** Outside the user's scope: no status or type to show. */
  restricted: boolean;
}

/** A cell of the aggregate grid under the pointer (below the detail band), with its figures. */
export interface CellHover extends ParcelCellProperties {
  kind: 'cell';
  x: number;
  y: number;
}

/** What the hover hint shows: a parcel, or a grid cell at lower zoom. */
export type MapHover = ParcelHover | CellHover;

export interface MapViewOptions {
  container: HTMLElement;
  state: BrowseState;
  /** The 变更调查 years drawn under the parcels; none when absent. */
  surveyLayers?: SurveyLayerSelection;
  cityCode: string;
  basemapUrl: string | null;
  /** Extent to open on (the city's bbox). */
  initialBounds: BoundingBox | null;
  /** A view to open on instead (a shared link's centre and zoom). */
  initialView?: { centre: [number, number]; zoom: number } | null;
  /** The view after every move (to keep the link in the address bar). */
  onViewChange?: (view: { centre: [number, number]; zoom: number }) => void;
  /** The 测距 / 测面 tool's state after every change. */
  onMeasure?: (snapshot: MeasureSnapshot) => void;
  /** The user may open the 成片改造区域 page: the area popup links to it. */
  canOpenAreas?: boolean;
  onPointerMove?: (position: PointerPosition | null) => void;
  /** The parcel or grid cell under the pointer (its tile properties), for a hover hint; null when none. */
  onHover?: (hover: MapHover | null) => void;
  onZoomChange?: (zoom: number) => void;
  /**
   * The zoom from which single parcels are drawn (below it the aggregate grid), as the parcel
   * TileJSON says; reported once it is read. Until then the contract's DETAIL_MIN_ZOOM holds.
   */
  onDetailMinZoom?: (zoom: number) => void;
  /** Style loaded and the first parcels drawn: the map is usable. */
  onReady?: () => void;
  /** The product's own tiles failed (server down, TileJSON missing). Reported once per map. */
  onSourceError?: (message: string) => void;
  /** A tile or TileJSON request was refused with 401: the session is gone. */
  onUnauthenticated?: () => void;
  /** A 变更调查 year's tiles failed (its layer was replaced or removed meanwhile). Reported once per year. */
  onSurveyLayerError?: (year: number) => void;
  /** Basemap tiles failed (wrong template, no network to the provider). Reported once per basemap. */
  onBasemapError?: () => void;
}

type FeatureId = string | number;

/** A map button that brings back the whole city, the view officials start every task from. */
class HomeControl implements IControl {
  #container: HTMLElement | null = null;

  constructor(private readonly onHome: () => void) {}

  onAdd(): HTMLElement {
    const container = document.createElement('div');
    container.className = 'maplibregl-ctrl maplibregl-ctrl-group';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'biaotu-home-control';
    button.title = '全市范围';
    button.setAttribute('aria-label', '全市范围');
    button.innerHTML =
      '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="currentColor" d="M12 3 2 11h3v9h5v-6h4v6h5v-9h3z"/></svg>';
    button.addEventListener('click', this.onHome);
    container.append(button);
    this.#container = container;
    return container;
  }

  onRemove(): void {
    this.#container?.remove();
    this.#container = null;
  }
}

/**
 * MapLibre, as an adapter on {@link BrowseState}: it draws what the state says (colour mode,
 * selected district, selected parcel) and turns clicks into state changes. Everything the UI
 * decides lives in the state; this class only knows how to show it on a map.
 */
export class MapView {
  readonly map: MapLibreMap;
  readonly #options: MapViewOptions;
  readonly #unsubscribe: () => void;
  readonly #unsubscribeSurvey: () => void;
  readonly #survey: SurveyLayerAdapter;
  readonly #resizeObserver: ResizeObserver;
  #hoveredParcel: FeatureId | null = null;
  #hoveredDistrict: FeatureId | null = null;
  #selectedParcel: FeatureId | null = null;
  /** The pointer's pixel position over the map, while it is over the map. */
  #pendingPointer: [number, number] | null = null;
  #pointerFrame = 0;
  #cityBounds: BoundingBox | null;
  #loaded = false;
  readonly #reported = new Set<string>();
  readonly #aborter = new AbortController();
  readonly measure: MeasureTool;
  /** 一地一档: where the open parcel's photos were taken; its clicks come before the parcels'. */
  readonly #photos: PhotoPointsLayer;
  /** While set, a map click goes here first with the parcel under it (分割 line, 合并 picking); true = handled. */
  interceptClick: ((event: MapMouseEvent, parcelId: number | null) => boolean) | null = null;
  /** 框选 / 套索 of the attribute table. */
  readonly areaSelect: AreaSelectTool;
  #areasShown = false;
  #legacyShown = false;
  #legacy: LegacyLandLayer;
  #areaPopup: Popup | null = null;

  constructor(options: MapViewOptions) {
    this.#options = options;
    this.#cityBounds = options.initialBounds;
    const snapshot = options.state.snapshot;
    this.map = createNorthUpMap({
      container: options.container,
      style: buildMapStyle({ origin: window.location.origin, basemapUrl: options.basemapUrl, colourMode: snapshot.colourMode }),
      ...(options.initialView
        ? { center: options.initialView.centre, zoom: options.initialView.zoom }
        : options.initialBounds
          ? { bounds: options.initialBounds, fitBoundsOptions: { padding: { top: 24, bottom: 24, left: LEGEND_CLEARANCE, right: 24 } } }
          : { center: XIAMEN_CENTRE, zoom: FALLBACK_ZOOM }),
      minZoom: 6,
      maxZoom: 20,
    });
    exposeMapForTests(this.map);
    this.#survey = new SurveyLayerAdapter(this.map, window.location.origin);
    this.measure = new MeasureTool(this.map, (snapshot) => options.onMeasure?.(snapshot));
    this.#photos = new PhotoPointsLayer(this.map, options.state);
    this.#legacy = new LegacyLandLayer(this.map);
    this.areaSelect = new AreaSelectTool(this.map);

    this.map.addControl(new HomeControl(() => this.fitCity()), 'top-right');
    this.map.addControl(new FullscreenControl(), 'top-right');
    this.map.addControl(new ScaleControl({ maxWidth: 120, unit: 'metric' }), 'bottom-right');

    this.#bindEvents();
    this.#unsubscribe = options.state.subscribe((next, previous) => this.#follow(next, previous));
    this.#unsubscribeSurvey = options.surveyLayers?.subscribe(() => this.#followSurveyLayers()) ?? (() => undefined);
    this.#resizeObserver = new ResizeObserver(() => this.map.resize());
    this.#resizeObserver.observe(options.container);
  }

  /** Padding that keeps a fitted extent clear of the docked parcel card when it is open. */
  #padding(): PaddingOptions {
    const cardOpen = this.#options.state.snapshot.parcelId !== null;
    return { top: 56, bottom: 64, left: LEGEND_CLEARANCE, right: cardOpen ? PARCEL_CARD_WIDTH + 40 : 56 };
  }

  /**
   * Moves to an extent, clear of the parcel card when it is open. Parcel data shows at every zoom
   * (the aggregate grid at lower zoom), so any fitted zoom has something to show.
   */
  fitBounds(bbox: BoundingBox, options: { maxZoom?: number } = {}): void {
    const camera = this.map.cameraForBounds(bbox, { padding: this.#padding(), maxZoom: options.maxZoom ?? 17 });
    if (!camera) return;
    this.map.easeTo({ center: camera.center, zoom: camera.zoom ?? this.map.getZoom(), duration: 700 });
  }

  setCityBounds(bbox: BoundingBox | null): void {
    this.#cityBounds = bbox;
  }

  fitCity(): void {
    if (this.#cityBounds) this.fitBounds(this.#cityBounds);
  }

  /**
   * Shows a basemap under the data (an XYZ template, or a 天地图 preset with its annotation over
   * the parcels), or none (the plain paper background) when `spec` is null.
   */
  setBasemap(spec: string | null): void {
    const map = this.map;
    this.#reported.delete('basemap');
    for (const id of [LAYER.basemapAnnotation, LAYER.basemap]) if (map.getLayer(id)) map.removeLayer(id);
    for (const id of [SOURCE.basemapAnnotation, SOURCE.basemap]) if (map.getSource(id)) map.removeSource(id);
    if (spec) {
      const templates = basemapTemplates(spec);
      map.addSource(SOURCE.basemap, basemapSource(templates.base));
      map.addLayer(basemapLayer(), LAYER.districtFill);
      if (templates.annotation) {
        map.addSource(SOURCE.basemapAnnotation, basemapSource(templates.annotation));
        map.addLayer(basemapAnnotationLayer(), LAYER.districtCasing);
      }
    }
    map.setPaintProperty(LAYER.districtFill, 'fill-opacity', districtFillOpacity(Boolean(spec)));
  }

  /** Saved 成片改造区域 on the map (图层), over the parcels and under the district lines. */
  /** 历史遗留用地 on the map (图层), above the parcels. */
  setLegacyShown(shown: boolean): void {
    this.#legacyShown = shown;
    if (this.#loaded) this.#legacy.setShown(shown);
  }

  setAreasShown(shown: boolean): void {
    this.#areasShown = shown;
    if (!this.#loaded) return;
    const map = this.map;
    if (shown && !map.getSource(AREAS_SOURCE.saved)) {
      map.addSource(AREAS_SOURCE.saved, { type: 'vector', url: `${window.location.origin}/tiles/areas.json` });
      for (const layer of savedAreaLayers()) map.addLayer(layer, layer.type === 'symbol' ? LAYER.districtLabel : LAYER.districtCasing);
    }
    for (const layer of savedAreaLayers()) if (map.getLayer(layer.id)) map.setLayoutProperty(layer.id, 'visibility', shown ? 'visible' : 'none');
    if (!shown) this.#areaPopup?.remove();
  }

  /** The saved area under a click, if the layer is on. */
  #areaAt(point: { x: number; y: number }): MapGeoJSONFeature | undefined {
    if (!this.#areasShown || !this.map.getLayer(AREAS_LAYER.savedFill)) return undefined;
    return this.map.queryRenderedFeatures([point.x, point.y], { layers: [AREAS_LAYER.savedFill] })[0];
  }

  /** A small card for a saved area: name and status, and a link to the 成片改造区域 page. */
  #showAreaPopup(area: MapGeoJSONFeature, lngLat: [number, number]): void {
    this.#areaPopup?.remove();
    const status = String(area.properties.status ?? '');
    const restricted = status === OUT_OF_SCOPE_AREA.status;
    const body = document.createElement('div');
    body.className = 'biaotu-area-popup';
    body.dataset.testid = 'area-popup';
    const title = document.createElement('strong');
    title.textContent = restricted ? OUT_OF_SCOPE_AREA.name : String(area.properties.name || '未命名区域');
    const line = document.createElement('div');
    line.textContent = restricted ? '不在您的管辖范围内' : `状态：${areaStatusLabel(status)}`;
    body.append(title, line);
    if (!restricted && this.#options.canOpenAreas && area.id !== undefined) {
      const link = document.createElement('a');
      link.href = `#/areas?area=${area.id}`;
      link.textContent = '在“成片改造区域”中打开';
      body.append(link);
    }
    this.#areaPopup = new Popup({ closeButton: true, maxWidth: '260px', className: 'biaotu-survey-popup' }).setLngLat(lngLat).setDOMContent(body).addTo(this.map);
  }

  #reportOnce(kind: string, report: () => void): void {
    if (this.#reported.has(kind)) return;
    this.#reported.add(kind);
    report();
  }

  destroy(): void {
    this.measure.destroy();
    this.#photos.destroy();
    this.#legacy.destroy();
    this.areaSelect.destroy();
    this.#areaPopup?.remove();
    this.#unsubscribe();
    this.#unsubscribeSurvey();
    this.#resizeObserver.disconnect();
    this.#aborter.abort();
    cancelAnimationFrame(this.#pointerFrame);
    this.map.remove();
  }

  /** Draws a state change; before the style has loaded, the load handler draws the whole state. */
  #follow(next: BrowseSnapshot, previous: BrowseSnapshot | null): void {
    if (!this.#loaded) return;
    if (!previous || next.colourMode !== previous.colourMode) {
      this.map.setPaintProperty(LAYER.parcelFill, 'fill-color', parcelFillExpression(next.colourMode));
      this.map.setPaintProperty(LAYER.parcelCells, 'fill-color', cellFillExpression(next.colourMode));
    }
    if (!previous || next.filter !== previous.filter) {
      const parcels = parcelFilterOf(next.filter);
      this.map.setFilter(LAYER.parcelFill, parcels);
      this.map.setFilter(LAYER.parcelOutline, parcels);
      this.map.setFilter(LAYER.parcelLabel, parcelLabelFilterOf(next.filter));
      this.map.setFilter(LAYER.parcelCells, cellFilterOf(next.filter));
    }
    if (!previous || next.districtCode !== previous.districtCode) {
      const code = next.districtCode === this.#options.cityCode ? null : next.districtCode;
      this.map.setFilter(LAYER.districtSelected, selectedDistrictFilter(code));
    }
    if (!previous || next.parcelId !== previous.parcelId) this.#showSelectedParcel(next.parcelId);
    if (previous && next.dataRevision !== previous.dataRevision) this.reloadParcels();
  }

  /**
   * Reads where the parcel tiles switch from the grid to parcels from their TileJSON (MapLibre keeps
   * only the layer ids of it). Failures are left to the map's own error handling; the contract's
   * value then stays.
   */
  async #readDetailMinZoom(): Promise<void> {
    const url = this.map.getSource<VectorTileSource>(SOURCE.parcels)?.url;
    if (!url) return;
    try {
      const response = await fetch(url, { credentials: 'same-origin', signal: this.#aborter.signal });
      if (!response.ok) return;
      const body: unknown = await response.json();
      const zoom = detailMinZoomOf(body);
      if (zoom !== null) this.#options.onDetailMinZoom?.(zoom);
    } catch {
      // Aborted by destroy(), or offline: MapLibre reports the source error itself.
    }
  }

  #followSurveyLayers(): void {
    const selection = this.#options.surveyLayers;
    if (!this.#loaded || !selection) return;
    this.#survey.sync(selection.drawn, selection.snapshot.opacity);
  }

  /** Fetches the 变更调查 tiles again after a year was imported anew (same URL, new 图斑). */
  /** Closes the map's popups (the 图斑 popup, the 成片改造区域 popup): the user went to another page. */
  closePopups(): void {
    this.#survey.closePopup();
    this.#areaPopup?.remove();
    this.#areaPopup = null;
  }

  reloadSurveyLayers(): void {
    this.#survey.reload();
  }

  /**
   * Fetches the parcel and parcel-label tiles again after a saved edit. Setting the same TileJSON URL makes MapLibre
   * reload every tile while still drawing the old ones (no blank flash); the tiles are served with
   * `no-cache` and an ETag, so only tiles that really changed come back in full.
   */
  reloadParcels(): void {
    for (const id of [SOURCE.parcels, SOURCE.parcelLabels]) {
      const source = this.map.getSource<VectorTileSource>(id);
      if (source?.url) source.setUrl(source.url);
    }
  }

  /** A parcel clicked where the card is about to open would vanish under it: slide the map left. */
  #keepClearOfCard(x: number): void {
    const width = this.map.getContainer().clientWidth;
    const limit = width - PARCEL_CARD_WIDTH - 40;
    if (x <= limit) return;
    this.map.panBy([x - limit + 40, 0], { duration: 400 });
  }

  #showSelectedParcel(id: number | null): void {
    if (this.#selectedParcel !== null) this.#setParcelState(this.#selectedParcel, { selected: false });
    this.#selectedParcel = id;
    if (id !== null) this.#setParcelState(id, { selected: true });
  }

  #setParcelState(id: FeatureId, state: Record<string, boolean>): void {
    this.map.setFeatureState({ source: SOURCE.parcels, sourceLayer: SOURCE_LAYER.parcels, id }, state);
  }

  #setDistrictState(id: FeatureId, state: Record<string, boolean>): void {
    this.map.setFeatureState({ source: SOURCE.districts, sourceLayer: SOURCE_LAYER.districts, id }, state);
  }

  /** The id of the parcel drawn at a point of the map (container pixels), or null. */
  parcelIdAt(point: { x: number; y: number }): number | null {
    return Number(this.#parcelAt(point)?.id ?? NaN) || null;
  }

  /**
   * The parcel under a click. Small parcels are only a few pixels wide at city zoom, so when the
   * exact point hits none, a 3-pixel box around it is tried.
   */
  #parcelAt(point: { x: number; y: number }): MapGeoJSONFeature | undefined {
    const layers = [LAYER.parcelFill];
    const exact = this.map.queryRenderedFeatures([point.x, point.y], { layers });
    if (exact.length > 0) return exact[0];
    const tolerance = 3;
    const nearby = this.map.queryRenderedFeatures(
      [
        [point.x - tolerance, point.y - tolerance],
        [point.x + tolerance, point.y + tolerance],
      ],
      { layers },
    );
    return nearby[0];
  }

  #bindEvents(): void {
    const map = this.map;
    const { state } = this.#options;

    map.once('load', () => {
      this.#loaded = true;
      this.measure.install();
      this.areaSelect.install();
      if (this.#areasShown) this.setAreasShown(true);
      if (this.#legacyShown) this.setLegacyShown(true);
      this.#follow(state.snapshot, null);
      this.#followSurveyLayers();
      void this.#readDetailMinZoom();
      map.once('idle', () => {
        markMapReady();
        this.#options.onReady?.();
      });
    });

    map.on('error', (event) => {
      const message = event.error?.message ?? '';
      const sourceId = (event as { sourceId?: string }).sourceId;
      console.warn('[map]', sourceId ?? '', message);
      if ((event.error as { status?: number } | undefined)?.status === 401) {
        this.#reportOnce('unauthenticated', () => this.#options.onUnauthenticated?.());
        return;
      }
      const surveyYear = this.#survey.yearOfSource(sourceId);
      if (surveyYear !== null) {
        this.#reportOnce(`survey-${surveyYear}`, () => this.#options.onSurveyLayerError?.(surveyYear));
        return;
      }
      if (sourceId === SOURCE.basemap) {
        this.#reportOnce('basemap', () => this.#options.onBasemapError?.());
        return;
      }
      if (sourceId === SOURCE.parcels || sourceId === SOURCE.parcelLabels || sourceId === SOURCE.districts || /\/tiles\/|\/glyphs\//.test(message)) {
        this.#reportOnce('data', () => this.#options.onSourceError?.(message));
      }
    });

    // Parcels win over 图斑: a click shows a 图斑's 地类 only where no parcel is hit.
    map.on('click', (event) => {
      if (this.measure.drawing || this.areaSelect.active || event.defaultPrevented) return;
      const parcel = this.#parcelAt(event.point);
      if (this.interceptClick?.(event, this.parcelIdAt(event.point))) return;
      const area = this.#areaAt(event.point);
      if (area) this.#showAreaPopup(area, [event.lngLat.lng, event.lngLat.lat]);
      const id = parcel?.id;
      this.#survey.closePopup();
      if (id === undefined || id === null) {
        state.clearParcel();
        const patch = this.#survey.patchAt(event.point);
        if (patch) this.#survey.showPopup(event.lngLat, patch);
        return;
      }
      state.selectParcel(Number(id));
      this.#keepClearOfCard(event.point.x);
    });

    map.on('mousemove', (event) => {
      this.#pendingPointer = [event.point.x, event.point.y];
      this.#schedulePointer();
    });
    // A wheel zoom moves the map under a still pointer, across the grid/parcel switch too: once the
    // new tiles are drawn, look again at what is under it.
    map.on('idle', () => {
      if (this.#pendingPointer) this.#schedulePointer();
    });

    map.getCanvasContainer().addEventListener('mouseleave', () => {
      this.#pendingPointer = null;
      this.#setHoveredParcel(null);
      this.#setHoveredDistrict(null);
      this.#options.onPointerMove?.(null);
      this.#options.onHover?.(null);
    });

    map.on('zoom', () => this.#options.onZoomChange?.(map.getZoom()));
    map.on('moveend', () => {
      const { lng, lat } = map.getCenter();
      this.#options.onViewChange?.({ centre: [lng, lat], zoom: map.getZoom() });
    });
    this.#options.onZoomChange?.(map.getZoom());
  }

  #schedulePointer(): void {
    if (this.#pointerFrame) return;
    this.#pointerFrame = requestAnimationFrame(() => {
      this.#pointerFrame = 0;
      this.#handlePointer();
    });
  }

  #handlePointer(): void {
    const pointer = this.#pendingPointer;
    if (!pointer || !this.map.isStyleLoaded() || this.measure.drawing) return;
    // Unprojected now, not at the mouse move: the map may have moved under the pointer since.
    const { lng, lat } = this.map.unproject(pointer);
    this.#options.onPointerMove?.({ longitude: lng, latitude: lat });
    const features = this.map.queryRenderedFeatures(pointer, { layers: [LAYER.parcelFill, LAYER.parcelCells, LAYER.districtFill] });
    const parcel = features.find((feature) => feature.layer.id === LAYER.parcelFill);
    // While the first tiles with parcels load, their overzoomed parent's cells are still drawn; a parcel wins.
    const cell = parcel ? undefined : features.find((feature) => feature.layer.id === LAYER.parcelCells);
    const district = features.find((feature) => feature.layer.id === LAYER.districtFill);
    this.#setHoveredParcel(parcel?.id ?? null);
    this.#setHoveredDistrict(district?.id ?? null);
    const overPatch = !parcel && this.#survey.fillLayerIds.length > 0 && this.#survey.patchAt(pointer) !== null;
    this.map.getCanvas().style.cursor = parcel || overPatch ? 'pointer' : '';
    const [x, y] = pointer;
    let hover: MapHover | null = null;
    if (parcel) {
      hover = {
        kind: 'parcel',
        x,
        y,
        status: typeof parcel.properties.status === 'string' ? parcel.properties.status : null,
        type: typeof parcel.properties.type === 'string' ? parcel.properties.type : null,
        restricted: Boolean(parcel.properties.restricted),
      };
    } else if (cell) {
      hover = { kind: 'cell', x, y, ...parcelCellFromTile(cell.properties) };
    }
    this.#options.onHover?.(hover);
  }

  #setHoveredParcel(id: FeatureId | null): void {
    if (id === this.#hoveredParcel) return;
    if (this.#hoveredParcel !== null) this.#setParcelState(this.#hoveredParcel, { hover: false });
    this.#hoveredParcel = id;
    if (id !== null) this.#setParcelState(id, { hover: true });
  }

  #setHoveredDistrict(id: FeatureId | null): void {
    if (id === this.#hoveredDistrict) return;
    if (this.#hoveredDistrict !== null) this.#setDistrictState(this.#hoveredDistrict, { hover: false });
    this.#hoveredDistrict = id;
    if (id !== null) this.#setDistrictState(id, { hover: true });
  }
}
