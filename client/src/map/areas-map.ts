import {
  Map as MapLibreMap,
  Popup,
  ScaleControl,
  type GeoJSONSource,
  type MapMouseEvent,
  type VectorTileSource,
} from 'maplibre-gl';
import {
  TerraDraw,
  TerraDrawPolygonMode,
  TerraDrawRectangleMode,
  TerraDrawSelectMode,
  ValidateNotSelfIntersecting,
  type GeoJSONStoreFeatures,
  type HexColor,
  type TerraDrawMouseEvent,
  type SnappableContext,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import type { Feature, Polygon, Position } from 'geojson';
import type { BoundingBox } from './geo-types.js';
import { polygonsOf, type Areal } from '../redevelopment-areas/area-geometry.js';
import type { MarkedLand } from '../redevelopment-areas/area-editor.js';
import { snapPosition, type SnapTarget } from '../redevelopment-areas/snapping.js';
import { AREA_COLOURS, AREAS_LAYER, AREAS_SOURCE, areasLayers, areasSources, savedAreasFilter } from './areas-style.js';
import { createNorthUpMap, XIAMEN_CENTRE } from './base-map.js';
import { buildMapStyle, LAYER } from './map-style.js';


declare global {
  interface Window {
    /** The map of the 成片改造区域 page, for the browser tests only. */
    __biaotuAreasMap?: MapLibreMap;
  }
}

/** What a click or drag on the map does. */
export type AreaTool = 'browse' | 'polygon' | 'rectangle' | 'edit' | 'hole' | 'add' | 'fragment' | 'supporting' | 'pick';

/** Tools that draw a polygon and hand it over when it is closed. */
export type DrawTool = 'polygon' | 'rectangle' | 'hole' | 'add' | 'fragment' | 'supporting';

export const DRAW_TOOLS: readonly DrawTool[] = ['polygon', 'rectangle', 'hole', 'add', 'fragment', 'supporting'];

const TOOL_COLOURS: Readonly<Record<DrawTool, HexColor>> = {
  polygon: AREA_COLOURS.boundary,
  rectangle: AREA_COLOURS.boundary,
  hole: AREA_COLOURS.hole,
  add: AREA_COLOURS.add,
  fragment: AREA_COLOURS.fragment,
  supporting: AREA_COLOURS.supporting,
};

/** A parcel drawn on the composition layer. */
export interface CompositionFeature {
  id: number;
  geometry: Areal;
  role: 'taken' | 'excluded' | 'fragment';
  partial: boolean;
}

export interface AreasMapOptions {
  container: HTMLElement;
  basemapUrl: string | null;
  initialBounds: BoundingBox | null;
  onReady?: () => void;
  /** The camera settled: load the parcels of the view. */
  onMoveEnd?: (bounds: BoundingBox, zoom: number) => void;
  /**
   * A click while browsing or picking: the parcel and the saved area under it (either may be null);
   * `shift` asks for the second action on a parcel (零星用地).
   */
  onMapClick?: (hit: { parcelId: number | null; savedAreaId: number | null; shift: boolean }) => void;
  /** A drawing tool closed its polygon. */
  onDrawn?: (tool: DrawTool, geometry: Polygon) => void;
  /** The boundary being drawn, as it follows the pointer (null once it is closed or cancelled). */
  onDrawing?: (tool: DrawTool, ring: Position[] | null) => void;
  /** The edited ring while a vertex or the shape is dragged. */
  onRingEditing?: (ring: Position[]) => void;
  /** An edit of the ring ended (drag released, vertex inserted or deleted). */
  onRingEdited?: (ring: Position[], action: string) => void;
  onUnauthenticated?: () => void;
  onSourceError?: (message: string) => void;
}

const EDIT_FEATURE_MODE = 'polygon';

const SAVED_LAYERS = [AREAS_LAYER.savedFill, AREAS_LAYER.savedOutline, AREAS_LAYER.savedLabel];

/** Decimal places terra-draw keeps (about 0.1 mm). */
const COORDINATE_PRECISION = 9;

function roundRing(ring: Position[]): Position[] {
  const factor = 10 ** COORDINATE_PRECISION;
  const rounded = ring.map((position) => [Math.round(position[0] * factor) / factor, Math.round(position[1] * factor) / factor]);
  return rounded.filter((position, index) => index === 0 || position[0] !== rounded[index - 1][0] || position[1] !== rounded[index - 1][1]);
}

function ringOf(feature: GeoJSONStoreFeatures | undefined): Position[] | null {
  if (!feature || feature.geometry.type !== 'Polygon') return null;
  const ring = feature.geometry.coordinates[0];
  return ring && ring.length >= 4 ? ring.map((position) => [position[0], position[1]]) : null;
}

/**
 * MapLibre and terra-draw for the 成片改造区域 page. The area itself lives in the page's state
 * (AreaEditor); this class draws it from GeoJSON sources and turns pointer work into callbacks:
 * terra-draw draws simple polygons and edits one outer ring at a time, since it knows neither
 * holes nor several parts.
 */
export class AreasMapView {
  readonly map: MapLibreMap;
  readonly #options: AreasMapOptions;
  #draw: TerraDraw | null = null;
  #tool: AreaTool = 'browse';
  #snapping = true;
  #snapTargets: SnapTarget[] = [];
  #editFeatureId: string | null = null;
  #editFrame = 0;
  #drawFrame = 0;
  #loaded = false;
  #problem: Popup | null = null;
  readonly #pendingSources = new Map<string, GeoJSON.FeatureCollection>();
  #savedFilterId: number | null = null;
  readonly #resizeObserver: ResizeObserver;
  #reportedSourceError = false;

  constructor(options: AreasMapOptions) {
    this.#options = options;
    const origin = window.location.origin;
    const base = buildMapStyle({ origin, basemapUrl: options.basemapUrl, colourMode: 'status' });
    this.map = createNorthUpMap({
      container: options.container,
      style: { ...base, sources: { ...base.sources, ...areasSources(origin) }, layers: [...base.layers, ...areasLayers()] } as ConstructorParameters<typeof MapLibreMap>[0]['style'],
      ...(options.initialBounds ? { bounds: options.initialBounds, fitBoundsOptions: { padding: 24 } } : { center: XIAMEN_CENTRE, zoom: 11 }),
      minZoom: 6,
      maxZoom: 21,
    });
    window.__biaotuAreasMap = this.map;
    this.map.addControl(new ScaleControl({ maxWidth: 120, unit: 'metric' }), 'bottom-right');
    this.#resizeObserver = new ResizeObserver(() => this.map.resize());
    this.#resizeObserver.observe(options.container);
    this.#bindEvents();
  }

  get tool(): AreaTool {
    return this.#tool;
  }

  destroy(): void {
    cancelAnimationFrame(this.#editFrame);
    cancelAnimationFrame(this.#drawFrame);
    this.#resizeObserver.disconnect();
    window.removeEventListener('pointerup', this.#onWindowPointerUp);
    this.#problem?.remove();
    try {
      this.#draw?.stop();
    } catch {
      // The map may already be gone.
    }
    this.map.remove();
    if (window.__biaotuAreasMap === this.map) window.__biaotuAreasMap = undefined;
    delete document.body.dataset.areasMapReady;
  }

  #bindEvents(): void {
    const map = this.map;
    map.once('load', () => {
      this.#loaded = true;
      // Parcels are context here: lighter, so the boundary and the composition read on top.
      map.setPaintProperty(LAYER.parcelFill, 'fill-opacity', 0.55);
      for (const layer of SAVED_LAYERS) map.setFilter(layer, savedAreasFilter(this.#savedFilterId));
      for (const [id, data] of this.#pendingSources) this.#setData(id, data);
      this.#pendingSources.clear();
      this.#startDraw();
      map.once('idle', () => {
        document.body.dataset.areasMapReady = 'true';
        this.#options.onReady?.();
      });
      this.#reportMove();
    });
    map.on('moveend', () => this.#reportMove());
    map.on('error', (event) => {
      const message = event.error?.message ?? '';
      if ((event.error as { status?: number } | undefined)?.status === 401) {
        this.#options.onUnauthenticated?.();
        return;
      }
      const sourceId = (event as { sourceId?: string }).sourceId;
      if (sourceId === 'basemap') return;
      if (!this.#reportedSourceError && /\/tiles\/|\/glyphs\//.test(message)) {
        this.#reportedSourceError = true;
        this.#options.onSourceError?.(message);
      }
    });
    map.on('click', (event) => this.#onClick(event));
    // terra-draw listens for the release on the canvas only: a drag let go over a panel would never
    // end (no finish, the vertex stuck to the pointer). Hand such a release to the canvas.
    const canvas = map.getCanvas();
    canvas.addEventListener('pointerdown', this.#onCanvasPointerDown);
    window.addEventListener('pointerup', this.#onWindowPointerUp);
    map.on('mousemove', (event) => {
      if (this.#tool !== 'browse' && this.#tool !== 'pick') return;
      const hit = map.queryRenderedFeatures(event.point, { layers: [LAYER.parcelFill, AREAS_LAYER.savedFill] });
      map.getCanvas().style.cursor = hit.length > 0 ? 'pointer' : '';
    });
  }

  #pointerDownOnCanvas = false;

  #onCanvasPointerDown = (): void => {
    this.#pointerDownOnCanvas = true;
  };

  #onWindowPointerUp = (event: PointerEvent): void => {
    const canvas = this.map.getCanvas();
    const wasDown = this.#pointerDownOnCanvas;
    this.#pointerDownOnCanvas = false;
    if (!wasDown || event.target === canvas) return;
    canvas.dispatchEvent(new PointerEvent('pointerup', event));
  };

  #reportMove(): void {
    const bounds = this.map.getBounds();
    this.#options.onMoveEnd?.([bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()], this.map.getZoom());
  }

  #onClick(event: MapMouseEvent): void {
    if (this.#tool !== 'browse' && this.#tool !== 'pick') return;
    const box: [[number, number], [number, number]] = [[event.point.x - 2, event.point.y - 2], [event.point.x + 2, event.point.y + 2]];
    const idOf = (layer: string): number | null => {
      const id = this.map.queryRenderedFeatures(box, { layers: [layer] })[0]?.id;
      return id === undefined || id === null ? null : Number(id);
    };
    this.#options.onMapClick?.({
      parcelId: idOf(LAYER.parcelFill),
      savedAreaId: this.#tool === 'browse' ? idOf(AREAS_LAYER.savedFill) : null,
      shift: Boolean((event.originalEvent as MouseEvent | undefined)?.shiftKey),
    });
  }

  #snap = (event: TerraDrawMouseEvent, context: SnappableContext): Position | undefined => {
    if (!this.#snapping) return undefined;
    return snapPosition({ x: event.containerX, y: event.containerY }, this.#snapTargets, context);
  };

  #startDraw(): void {
    const polygonMode = (modeName: DrawTool) => new TerraDrawPolygonMode({
      modeName,
      snapping: { toCustom: this.#snap },
      pointerDistance: 12,
      // A boundary that crosses itself cannot be closed (the server would refuse it anyway).
      validation: (feature, context) => (String(context.updateType) === 'finish' ? ValidateNotSelfIntersecting(feature) : { valid: true }),
      styles: {
        fillColor: TOOL_COLOURS[modeName],
        fillOpacity: 0.2,
        outlineColor: TOOL_COLOURS[modeName],
        outlineWidth: 2,
        closingPointColor: '#ffffff',
        closingPointOutlineColor: TOOL_COLOURS[modeName],
        closingPointWidth: 6,
        closingPointOutlineWidth: 2,
        snappingPointColor: '#ffd400',
        snappingPointOutlineColor: '#1d2b3e',
        snappingPointWidth: 5,
        snappingPointOutlineWidth: 2,
      },
    });
    const draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map: this.map, coordinatePrecision: COORDINATE_PRECISION }),
      modes: [
        polygonMode('polygon'),
        new TerraDrawRectangleMode({ styles: { fillColor: AREA_COLOURS.boundary, fillOpacity: 0.2, outlineColor: AREA_COLOURS.boundary, outlineWidth: 2 } }),
        polygonMode('hole'),
        polygonMode('add'),
        polygonMode('fragment'),
        polygonMode('supporting'),
        new TerraDrawSelectMode({
          allowManualDeselection: false,
          flags: {
            [EDIT_FEATURE_MODE]: {
              feature: {
                draggable: true,
                selfIntersectable: false,
                coordinates: { draggable: true, midpoints: true, deletable: true, snappable: { toCustom: this.#snap } },
              },
            },
          },
          styles: {
            selectedPolygonColor: AREA_COLOURS.boundary,
            selectedPolygonFillOpacity: 0.08,
            selectedPolygonOutlineColor: AREA_COLOURS.boundary,
            selectedPolygonOutlineWidth: 2.5,
            selectionPointColor: '#ffffff',
            selectionPointOutlineColor: AREA_COLOURS.boundary,
            selectionPointWidth: 5,
            selectionPointOutlineWidth: 2,
            midPointColor: AREA_COLOURS.boundary,
            midPointOutlineColor: '#ffffff',
            midPointWidth: 3.5,
            midPointOutlineWidth: 1,
          },
        }),
      ],
    });
    draw.start();
    // Changes made through the API (the state putting a rebuilt ring back) are not the user's edits.
    draw.on('change', (ids, type, context) => {
      if (context && 'origin' in context && context.origin === 'api') return;
      this.#onDrawChange(ids, type);
    });
    draw.on('finish', (id, context) => this.#onDrawFinish(id, context.mode, context.action));
    this.#draw = draw;
    this.#applyTool();
  }

  #onDrawChange(ids: (string | number)[], type: string): void {
    if (type !== 'update' && type !== 'create') return;
    const draw = this.#draw;
    if (!draw) return;
    if (this.#tool === 'edit' && this.#editFeatureId !== null && ids.includes(this.#editFeatureId)) {
      // Only a drag is an edit in progress; inserting or deleting a vertex ends in a finish at once.
      if (type !== 'update' || !this.#pointerDownOnCanvas || this.#editFrame) return;
      this.#editFrame = requestAnimationFrame(() => {
        this.#editFrame = 0;
        const ring = this.#editFeatureId ? ringOf(draw.getSnapshotFeature(this.#editFeatureId)) : null;
        if (ring) this.#options.onRingEditing?.(ring);
      });
      return;
    }
    const tool = this.#tool;
    if (!(DRAW_TOOLS as readonly string[]).includes(tool)) return;
    const id = ids[0];
    if (this.#drawFrame) return;
    this.#drawFrame = requestAnimationFrame(() => {
      this.#drawFrame = 0;
      const feature = id === undefined ? undefined : draw.getSnapshotFeature(id);
      if (feature && feature.properties.currentlyDrawing) this.#options.onDrawing?.(tool as DrawTool, ringOf(feature));
    });
  }

  #onDrawFinish(id: string | number, mode: string, action: string): void {
    const draw = this.#draw;
    if (!draw) return;
    if (id === this.#editFeatureId) {
      const ring = ringOf(draw.getSnapshotFeature(id));
      if (ring) this.#options.onRingEdited?.(ring, action);
      return;
    }
    if (action !== 'draw') return;
    const feature = draw.getSnapshotFeature(id);
    const ring = ringOf(feature);
    // Our own layers draw the result; the sketch goes.
    draw.removeFeatures([id]);
    this.#options.onDrawing?.(mode as DrawTool, null);
    if (ring && (DRAW_TOOLS as readonly string[]).includes(mode)) this.#options.onDrawn?.(mode as DrawTool, { type: 'Polygon', coordinates: [ring] });
  }

  /** A polygon is being drawn and not closed yet (Esc then cancels it rather than the tool). */
  isSketching(): boolean {
    return this.#draw !== null && (DRAW_TOOLS as readonly string[]).includes(this.#tool) && this.#draw.getModeState() === 'drawing';
  }

  /** Switches what the pointer does; an unfinished sketch is dropped. */
  setTool(tool: AreaTool): void {
    this.#tool = tool;
    this.#applyTool();
  }

  #applyTool(): void {
    const draw = this.#draw;
    if (!draw) return;
    if (this.#tool !== 'edit') this.#clearEditFeature();
    const mode = (DRAW_TOOLS as readonly string[]).includes(this.#tool) ? this.#tool : this.#tool === 'edit' ? 'select' : 'static';
    if (draw.getMode() !== mode) draw.setMode(mode);
    this.#options.onDrawing?.('polygon', null);
    this.map.getCanvas().style.cursor = mode === 'static' ? '' : 'crosshair';
  }

  #clearEditFeature(): void {
    const draw = this.#draw;
    if (!draw || this.#editFeatureId === null) return;
    if (draw.hasFeature(this.#editFeatureId)) {
      try {
        draw.deselectFeature(this.#editFeatureId);
      } catch {
        // Not selected.
      }
      draw.removeFeatures([this.#editFeatureId]);
    }
    this.#editFeatureId = null;
  }

  /**
   * Puts the outer ring of one part of the boundary into terra-draw and selects it, so its vertices
   * can be dragged, inserted (midpoints) and deleted; the shape can be dragged whole. Called again
   * after every rebuild or undo, with the ring as the state has it.
   */
  editRing(ring: Position[] | null): void {
    const draw = this.#draw;
    if (!draw || this.#tool !== 'edit') return;
    if (!ring) {
      this.#clearEditFeature();
      return;
    }
    // terra-draw refuses coordinates finer than its precision; overlay results carry more digits.
    const geometry: Polygon = { type: 'Polygon', coordinates: [roundRing(ring)] };
    if (this.#editFeatureId !== null && draw.hasFeature(this.#editFeatureId)) {
      const current = ringOf(draw.getSnapshotFeature(this.#editFeatureId));
      if (current && JSON.stringify(current) === JSON.stringify(geometry.coordinates[0])) return;
      draw.updateFeatureGeometry(this.#editFeatureId, geometry);
      return;
    }
    const id = String(draw.getFeatureId());
    const [result] = draw.addFeatures([{ type: 'Feature', id, geometry, properties: { mode: EDIT_FEATURE_MODE } }]);
    if (!result?.valid) {
      console.warn('[areas] terra-draw refused the ring:', result?.reason);
      return;
    }
    this.#editFeatureId = id;
    if (draw.getMode() !== 'select') draw.setMode('select');
    draw.selectFeature(id);
  }

  setSnapping(enabled: boolean): void {
    this.#snapping = enabled;
  }

  /** What vertices and edges snap to: parcels near the view, and the boundary for markedLand and holes. */
  setSnapTargets(targets: SnapTarget[]): void {
    this.#snapTargets = targets;
  }

  #setData(sourceId: string, data: GeoJSON.FeatureCollection): void {
    if (!this.#loaded) {
      this.#pendingSources.set(sourceId, data);
      return;
    }
    this.map.getSource<GeoJSONSource>(sourceId)?.setData(data);
  }

  showBoundary(boundary: Areal | null): void {
    const features: Feature[] = boundary ? [{ type: 'Feature', properties: {}, geometry: boundary }] : [];
    this.#setData(AREAS_SOURCE.boundary, { type: 'FeatureCollection', features });
  }

  showMarkedLand(fragments: readonly MarkedLand[], supporting: readonly MarkedLand[]): void {
    const features: Feature[] = [
      ...fragments.map((piece): Feature => ({ type: 'Feature', properties: { id: piece.id, kind: 'fragment' }, geometry: piece.geometry })),
      ...supporting.map((piece): Feature => ({ type: 'Feature', properties: { id: piece.id, kind: 'supporting' }, geometry: piece.geometry })),
    ];
    this.#setData(AREAS_SOURCE.markedLand, { type: 'FeatureCollection', features });
  }

  showComposition(parcels: readonly CompositionFeature[]): void {
    const features = parcels.map((parcel): Feature => ({ type: 'Feature', id: parcel.id, properties: { role: parcel.role, partial: parcel.partial }, geometry: parcel.geometry }));
    this.#setData(AREAS_SOURCE.composition, { type: 'FeatureCollection', features });
  }

  showPicked(geometries: readonly Areal[]): void {
    const features = geometries.map((geometry): Feature => ({ type: 'Feature', properties: {}, geometry }));
    this.#setData(AREAS_SOURCE.picked, { type: 'FeatureCollection', features });
  }

  /** Leaves the open area out of the saved-areas layer (the editor draws it). */
  setCurrentArea(id: number | null): void {
    this.#savedFilterId = id;
    if (!this.#loaded) return;
    for (const layer of SAVED_LAYERS) this.map.setFilter(layer, savedAreasFilter(id));
  }

  /** Fetches the saved-areas tiles again after a save, a status change or a deletion. */
  reloadSavedAreas(): void {
    const source = this.map.getSource<VectorTileSource>(AREAS_SOURCE.saved);
    if (source?.url) source.setUrl(source.url);
  }

  /** A message beside a shape (a refused geometry, a failed edit); null removes it. */
  showProblem(position: Position | null, message: string | null): void {
    this.#problem?.remove();
    this.#problem = null;
    if (!position || !message) return;
    const element = document.createElement('div');
    element.className = 'areas-map__problem';
    element.dataset.testid = 'area-map-problem';
    element.textContent = message;
    this.#problem = new Popup({ closeButton: true, closeOnClick: false, className: 'biaotu-area-problem', maxWidth: '320px' })
      .setLngLat([position[0], position[1]])
      .setDOMContent(element)
      .addTo(this.map);
  }

  fitBounds(bbox: BoundingBox, options: { maxZoom?: number; padding?: number } = {}): void {
    const camera = this.map.cameraForBounds(bbox, { padding: options.padding ?? 60, maxZoom: options.maxZoom ?? 18 });
    if (!camera) return;
    this.map.jumpTo({ center: camera.center, zoom: camera.zoom ?? this.map.getZoom() });
  }
}

/** The outer ring of one part of a boundary. */
export function outerRing(boundary: Areal | null, part: number): Position[] | null {
  if (!boundary) return null;
  const polygons = polygonsOf(boundary);
  return polygons[part]?.[0] ?? null;
}
