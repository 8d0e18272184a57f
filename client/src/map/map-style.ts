import type {
  DataDrivenPropertyValueSpecification,
  ExpressionSpecification,
  FilterSpecification,
  LayerSpecification,
  RasterSourceSpecification,
  VectorSourceSpecification,
  StyleSpecification,
} from '@maplibre/maplibre-gl-style-spec';
import { UNKNOWN_LAND_USE_CLASS } from '@domain/land-use.js';
import type { ColourMode, MapFilter } from '../browse/browse-state.js';
import { colourEntries, INEFFICIENT_SHARE_CLASSES, RESTRICTED_PARCEL, UNKNOWN_COLOUR } from '../ui/colour-scheme.js';
import { landUseClassEntries } from '../survey/survey-patch.js';

export const SOURCE = {
  basemap: 'basemap',
  basemapAnnotation: 'basemap-annotation',
  districts: 'districts',
  parcels: 'parcels',
  /** 宗地注记 (`/tiles/parcel-labels/…`), a source of its own from zoom 16 so parcel tiles stay lean. */
  parcelLabels: 'parcel-labels',
} as const;

export const SOURCE_LAYER = {
  districts: 'districts',
  districtLabels: 'district_labels',
  parcels: 'parcels',
  /** One label point per parcel (宗地编号, 权利人) in the `parcel-labels` tiles from zoom 16. */
  parcelLabels: 'parcel_labels',
  /** The aggregate grid the parcel tiles carry up to tile zoom {@link CELL_MAX_TILE_ZOOM}. */
  cells: 'cells',
} as const;

export const LAYER = {
  background: 'background',
  basemap: 'basemap',
  basemapAnnotation: 'basemap-annotation',
  districtFill: 'district-fill',
  parcelCells: 'parcel-cells',
  parcelFill: 'parcel-fill',
  parcelOutline: 'parcel-outline',
  parcelHover: 'parcel-hover',
  parcelLabel: 'parcel-label',
  parcelSelectedCasing: 'parcel-selected-casing',
  parcelSelected: 'parcel-selected',
  districtCasing: 'district-casing',
  districtOutline: 'district-outline',
  cityOutline: 'city-outline',
  districtSelected: 'district-selected',
  districtLabel: 'district-label',
} as const;

import { LOCAL_IDEOGRAPH_FONT_FAMILY, TEXT_FONT } from './map-fonts.js';

export { LOCAL_IDEOGRAPH_FONT_FAMILY, TEXT_FONT };

/**
 * Zoom from which the tiles carry single parcels and 图斑 (source layers `parcels`, `survey`); the
 * tiles below it carry an aggregate grid instead (`cells`, `survey_cells`: squares of 1/32 of the
 * tile side). This is the tile contract's value; the server's TileJSON has the last word (the
 * `parcels` vector layer's minzoom, see {@link detailMinZoomOf}), and the legend follows that.
 *
 * The style gives neither the grid a maxzoom nor the parcels a minzoom: the tiles decide, so while
 * the first tiles with parcels load, the overzoomed grid of their parent stays on screen and no
 * blank gap opens at the switch. Nothing in the style depends on this number.
 */
export const DETAIL_MIN_ZOOM = 13;

/** Parcel outlines only from this zoom: below it they would merge into a grey smear. */
export const PARCEL_OUTLINE_MINZOOM = 13;

/**
 * Where a TileJSON says its features start: the minzoom of its vector layer `layerId` (TileJSON 3
 * `vector_layers`), or null when the document does not say.
 */
export function detailMinZoomOf(tileJson: unknown, layerId: string = SOURCE_LAYER.parcels): number | null {
  if (typeof tileJson !== 'object' || tileJson === null || !('vector_layers' in tileJson)) return null;
  const layers: unknown = tileJson.vector_layers;
  if (!Array.isArray(layers)) return null;
  for (const layer of layers as unknown[]) {
    if (typeof layer !== 'object' || layer === null || !('id' in layer) || layer.id !== layerId) continue;
    const minzoom = 'minzoom' in layer ? layer.minzoom : undefined;
    return typeof minzoom === 'number' && Number.isInteger(minzoom) && minzoom >= 0 ? minzoom : null;
  }
  return null;
}

/** The paper colour under the data when there is no basemap; the import preview map uses it too. */
export const BACKGROUND_COLOUR = '#eeebe4';
export const INK = '#2c3e55';

/** Source layer of the 变更调查 tiles (`/tiles/survey-{year}/…`) from tile zoom 13 up. */
export const SURVEY_SOURCE_LAYER = 'survey';

/** Source layer of the 变更调查 tiles up to tile zoom 12: a grid coloured by the dominant 一级类. */
export const SURVEY_CELLS_SOURCE_LAYER = 'survey_cells';

/** 图斑 outlines only from this zoom: below it the dense patchwork would turn into hatching. */
export const SURVEY_OUTLINE_MINZOOM = 14;

/** One source and two layers per year, so several years can be on at once and stacked by year. */
export function surveySourceId(year: number): string {
  return `survey-${year}`;
}

export function surveyCellLayerId(year: number): string {
  return `survey-cells-${year}`;
}

export function surveyFillLayerId(year: number): string {
  return `survey-${year}-fill`;
}

export function surveyOutlineLayerId(year: number): string {
  return `survey-${year}-outline`;
}

/** The 图斑 `fill-color`: a `match` on the tile's 一级类 (`class`), with exactly the domain colours. */
export function surveyColourExpression(): ExpressionSpecification {
  const pairs = landUseClassEntries()
    .filter((entry) => entry.code !== UNKNOWN_LAND_USE_CLASS.code)
    .flatMap((entry) => [entry.code, entry.color]);
  return ['match', ['coalesce', ['get', 'class'], UNKNOWN_LAND_USE_CLASS.code], ...pairs, UNKNOWN_LAND_USE_CLASS.color] as unknown as ExpressionSpecification;
}

/** The year's tiles, from the TileJSON path the survey-layers API gives (`/tiles/survey-2023.json`). */
export function surveySource(origin: string, tileJson: string): VectorSourceSpecification {
  return { type: 'vector', url: new URL(tileJson, origin).href };
}

/** The outline is drawn a little stronger than the fill so patch borders stay legible when faint. */
export function surveyOutlineOpacity(opacity: number): number {
  return Math.min(1, opacity + 0.15);
}

/**
 * The grid, fill and outline of one year's 图斑, bottom to top. They go under the parcels (the
 * parcels are what the product is about; the survey is context) and above the district tint. The
 * grid cells carry the dominant 一级类 in `class` like the 图斑 do, so both share one colour
 * expression and one opacity; as with the parcels, the tiles decide which of the two is drawn.
 */
export function surveyLayers(year: number, opacity: number): [LayerSpecification, LayerSpecification, LayerSpecification] {
  const source = surveySourceId(year);
  return [
    {
      id: surveyCellLayerId(year),
      type: 'fill',
      source,
      'source-layer': SURVEY_CELLS_SOURCE_LAYER,
      paint: { 'fill-color': surveyColourExpression(), 'fill-opacity': opacity, 'fill-antialias': false },
    },
    {
      id: surveyFillLayerId(year),
      type: 'fill',
      source,
      'source-layer': SURVEY_SOURCE_LAYER,
      paint: { 'fill-color': surveyColourExpression(), 'fill-opacity': opacity },
    },
    {
      id: surveyOutlineLayerId(year),
      type: 'line',
      source,
      'source-layer': SURVEY_SOURCE_LAYER,
      minzoom: SURVEY_OUTLINE_MINZOOM,
      paint: {
        'line-color': '#4a4336',
        'line-width': ['interpolate', ['linear'], ['zoom'], 14, 0.6, 16, 0.9, 18, 1.3],
        'line-opacity': surveyOutlineOpacity(opacity),
      },
    },
  ];
}

export interface MapStyleOptions {
  /** Origin the tile and glyph URLs hang off (location.origin in the browser). */
  origin: string;
  basemapUrl: string | null;
  colourMode: ColourMode;
}

/**
 * The `fill-color` of parcels: a `match` on the tile property of the mode (`status`, `type`
 * for 低效类型 or `grade` for 综合评价等级, 'none' when a parcel has none), with exactly the domain colours.
 */
export function parcelColourExpression(mode: ColourMode): ExpressionSpecification {
  const property = mode;
  const pairs = colourEntries(mode).flatMap((entry) => [entry.code, entry.color]);
  return ['match', ['coalesce', ['get', property], 'none'], ...pairs, UNKNOWN_COLOUR] as unknown as ExpressionSpecification;
}

/** Tiles mark out-of-scope parcels with `restricted` = 1 (their status and type then say 'restricted'). */
export const RESTRICTED_PARCEL_FILTER: ExpressionSpecification = ['to-boolean', ['coalesce', ['get', 'restricted'], 0]];

/** The parcels' `fill-color`: grey for parcels outside the user's scope, the mode's colours otherwise. */
export function parcelFillExpression(mode: ColourMode): ExpressionSpecification {
  return ['case', RESTRICTED_PARCEL_FILTER, RESTRICTED_PARCEL.fill, parcelColourExpression(mode)];
}

/**
 * The grid's `fill-color`: grey like out-of-scope parcels for cells that only hold land outside the
 * user's districts; by 效率状态 a `step` over `ineff_share` through {@link INEFFICIENT_SHARE_CLASSES},
 * by 低效类型 the colour of the cell's dominant type (`type`, 'none' when it has no typed land),
 * the same colours as the parcels.
 */
export function cellFillExpression(mode: ColourMode = 'status'): ExpressionSpecification {
  if (mode === 'type') return ['case', RESTRICTED_PARCEL_FILTER, RESTRICTED_PARCEL.fill, parcelColourExpression('type')];
  const [first, ...rest] = INEFFICIENT_SHARE_CLASSES;
  const steps = rest.flatMap((entry) => [entry.min, entry.color]);
  const ramp = ['step', ['coalesce', ['get', 'ineff_share'], 0], first.color, ...steps] as unknown as ExpressionSpecification;
  return ['case', RESTRICTED_PARCEL_FILTER, RESTRICTED_PARCEL.fill, ramp];
}

/** Everything passes (MapLibre has no "no filter" value that setFilter and the style both take). */
const ALL: ExpressionSpecification = ['boolean', true];

/**
 * The parcels' filter for a legend or figure-table click: only parcels of that status or type
 * (out-of-scope parcels say 'restricted', so they drop out too). A share filter is the grid's.
 */
export function parcelFilterOf(filter: MapFilter | null | undefined): ExpressionSpecification {
  if (!filter || filter.kind === 'share') return ALL;
  const property = filter.kind;
  return ['==', ['coalesce', ['get', property], 'none'], filter.code];
}

/**
 * The grid's filter: by 低效类型, cells whose dominant type it is; by 低效用地占比 class, cells whose
 * share falls in the class; by 效率状态, cells holding such land at all when the status is an
 * inefficient one (the grid knows no other status), else every cell.
 */
export function cellFilterOf(filter: MapFilter | null | undefined): ExpressionSpecification {
  if (!filter) return ALL;
  if (filter.kind === 'type') return ['==', ['coalesce', ['get', 'type'], 'none'], filter.code];
  // The grid carries no grades: by 综合评价等级 every cell stays (grades show from the polygon zooms on).
  if (filter.kind === 'grade' || filter.kind === 'category') return ALL;
  if (filter.kind === 'share') {
    const index = INEFFICIENT_SHARE_CLASSES.findIndex((entry) => entry.min === filter.min);
    const next = INEFFICIENT_SHARE_CLASSES[index + 1];
    const share: ExpressionSpecification = ['coalesce', ['get', 'ineff_share'], 0];
    const restricted: ExpressionSpecification = ['!', RESTRICTED_PARCEL_FILTER];
    return next ? ['all', restricted, ['>=', share, filter.min], ['<', share, next.min]] : ['all', restricted, ['>=', share, filter.min]];
  }
  if (filter.code === 'suspected' || filter.code === 'identified') return ['>', ['coalesce', ['get', 'ineff_share'], 0], 0];
  return ALL;
}

/** The labels' filter: parcels whose tile carries a 宗地编号 (z16 on), narrowed like the parcels. */
export function parcelLabelFilterOf(filter: MapFilter | null | undefined): ExpressionSpecification {
  return ['all', ['has', 'code'], parcelFilterOf(filter)];
}

/** Parcel labels from this zoom: the `parcel-labels` tiles start there (server LABEL_MINZOOM). */
export const PARCEL_LABEL_MINZOOM = 16;

/**
 * The label of a parcel: 宗地编号, and the 权利人 under it in smaller type when the tile carries it
 * (not for parcels outside the reader's districts).
 */
export function parcelLabelText(): ExpressionSpecification {
  return [
    'format',
    ['coalesce', ['get', 'code'], ''], { 'font-scale': 1 },
    ['case', ['has', 'owner'], ['concat', '\n', ['get', 'owner']], ''], { 'font-scale': 0.85 },
  ] as unknown as ExpressionSpecification;
}

/** 天地图 (tianditu.gov.cn) Web Mercator services: the base map and its annotation, by preset. */
export const TIANDITU_PRESETS = {
  vec: { label: '天地图矢量', base: 'vec', annotation: 'cva' },
  img: { label: '天地图影像', base: 'img', annotation: 'cia' },
} as const;
export type TiandituPreset = keyof typeof TIANDITU_PRESETS;

/** A basemap given as a 天地图 preset: `tianditu:vec:<密钥>` or `tianditu:img:<密钥>`. */
export function tiandituSpec(preset: TiandituPreset, key: string): string {
  return `tianditu:${preset}:${key.trim()}`;
}

export function parseTiandituSpec(spec: string): { preset: TiandituPreset; key: string } | null {
  const match = /^tianditu:(vec|img):([0-9A-Za-z]+)$/.exec(spec.trim());
  return match ? { preset: match[1] as TiandituPreset, key: match[2] } : null;
}

/** The XYZ template of one 天地图 WMTS layer (`_w`: Web Mercator), over the subdomains t0–t7. */
export function tiandituTemplate(layer: string, key: string): string {
  return `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`;
}

/**
 * The raster templates of a basemap setting, bottom first: a 天地图 preset gives its base map and
 * its annotation (place names), an XYZ template itself.
 */
export function basemapTemplates(spec: string): { base: string; annotation: string | null } {
  const preset = parseTiandituSpec(spec);
  if (!preset) return { base: spec, annotation: null };
  const { base, annotation } = TIANDITU_PRESETS[preset.preset];
  return { base: tiandituTemplate(base, preset.key), annotation: tiandituTemplate(annotation, preset.key) };
}

export function basemapSource(url: string): RasterSourceSpecification {
  const subdomains = /\{s\}/.test(url) ? ['0', '1', '2', '3', '4', '5', '6', '7'] : null;
  const tiles = subdomains ? subdomains.map((subdomain) => url.replace('{s}', subdomain)) : [url];
  return { type: 'raster', tiles, tileSize: 256, maxzoom: 18 };
}

export function basemapLayer(): LayerSpecification {
  return { id: LAYER.basemap, type: 'raster', source: SOURCE.basemap, paint: { 'raster-opacity': 0.9 } };
}

/** The annotation (place names) of a 天地图 preset: over the parcels, under the district lines. */
export function basemapAnnotationLayer(): LayerSpecification {
  return { id: LAYER.basemapAnnotation, type: 'raster', source: SOURCE.basemapAnnotation };
}

const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];
const districtLevel: ExpressionSpecification = ['==', ['get', 'level'], 'district'];
const cityLevel: ExpressionSpecification = ['==', ['get', 'level'], 'city'];

/** Filter of the selected-district outline; matches nothing when the whole city is selected. */
export function selectedDistrictFilter(code: string | null): FilterSpecification {
  return ['all', districtLevel, ['==', ['get', 'code'], code ?? '']];
}

function districtFillColour(): DataDrivenPropertyValueSpecification<string> {
  return ['case', hovered, '#e9eff7', '#fbfaf7'];
}

/**
 * Districts are tinted lightly so the city reads against the background; over a basemap the tint
 * almost disappears so the basemap stays legible.
 */
export function districtFillOpacity(hasBasemap: boolean): DataDrivenPropertyValueSpecification<number> {
  return hasBasemap ? ['case', hovered, 0.45, 0.12] : ['case', hovered, 0.9, 0.75];
}

/**
 * The whole style, built in code so the colours are the domain's and the tile URLs follow the
 * page's origin (dev proxy or the product server alike).
 *
 * Parcels are drawn at full opacity at every zoom: the exact domain colours must reach the screen
 * (the browser test looks for them), and a half-transparent fill would turn the palette muddy on
 * top of a basemap.
 */
export function buildMapStyle(options: MapStyleOptions): StyleSpecification {
  const { origin, basemapUrl, colourMode } = options;
  const sources: StyleSpecification['sources'] = {
    [SOURCE.districts]: {
      type: 'vector',
      url: `${origin}/tiles/districts.json`,
      // District features carry their 行政区划代码 but no numeric id; hover state needs an id.
      promoteId: { [SOURCE_LAYER.districts]: 'code' },
    },
    [SOURCE.parcels]: { type: 'vector', url: `${origin}/tiles/parcels.json` },
    [SOURCE.parcelLabels]: { type: 'vector', url: `${origin}/tiles/parcel-labels.json` },
  };
  const templates = basemapUrl ? basemapTemplates(basemapUrl) : null;
  if (templates) sources[SOURCE.basemap] = basemapSource(templates.base);
  if (templates?.annotation) sources[SOURCE.basemapAnnotation] = basemapSource(templates.annotation);

  const layers: LayerSpecification[] = [
    { id: LAYER.background, type: 'background', paint: { 'background-color': BACKGROUND_COLOUR } },
    ...(basemapUrl ? [basemapLayer()] : []),
    {
      id: LAYER.districtFill,
      type: 'fill',
      source: SOURCE.districts,
      'source-layer': SOURCE_LAYER.districts,
      filter: districtLevel,
      paint: {
        'fill-color': districtFillColour(),
        'fill-opacity': districtFillOpacity(Boolean(basemapUrl)),
      },
    },
    {
      // No maxzoom: the cells exist only in tiles below the detail band (see DETAIL_MIN_ZOOM).
      id: LAYER.parcelCells,
      type: 'fill',
      source: SOURCE.parcels,
      'source-layer': SOURCE_LAYER.cells,
      paint: {
        'fill-color': cellFillExpression(colourMode),
        'fill-opacity': 1,
        // Neighbouring squares would otherwise show hairline seams: a faint grid over the city.
        'fill-antialias': false,
      },
    },
    {
      // No minzoom: parcels exist only in tiles of the detail band (see DETAIL_MIN_ZOOM).
      id: LAYER.parcelFill,
      type: 'fill',
      source: SOURCE.parcels,
      'source-layer': SOURCE_LAYER.parcels,
      paint: {
        'fill-color': parcelFillExpression(colourMode),
        'fill-opacity': 1,
      },
    },
    {
      id: LAYER.parcelOutline,
      type: 'line',
      source: SOURCE.parcels,
      'source-layer': SOURCE_LAYER.parcels,
      minzoom: PARCEL_OUTLINE_MINZOOM,
      paint: {
        'line-color': ['case', RESTRICTED_PARCEL_FILTER, RESTRICTED_PARCEL.outline, 'rgba(40, 48, 60, 0.55)'],
        'line-width': ['interpolate', ['linear'], ['zoom'], 13, 0.4, 16, 1, 18, 1.4],
      },
    },
    ...(templates?.annotation ? [basemapAnnotationLayer()] : []),
    {
      id: LAYER.districtCasing,
      type: 'line',
      source: SOURCE.districts,
      'source-layer': SOURCE_LAYER.districts,
      filter: districtLevel,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': 'rgba(255, 255, 255, 0.85)',
        'line-width': ['interpolate', ['linear'], ['zoom'], 8, 3, 12, 5, 16, 7],
      },
    },
    {
      id: LAYER.districtOutline,
      type: 'line',
      source: SOURCE.districts,
      'source-layer': SOURCE_LAYER.districts,
      filter: districtLevel,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': '#3d4a5c',
        'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1, 12, 1.6, 16, 2.2],
      },
    },
    {
      id: LAYER.cityOutline,
      type: 'line',
      source: SOURCE.districts,
      'source-layer': SOURCE_LAYER.districts,
      filter: cityLevel,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': INK,
        'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1.6, 12, 2.6],
      },
    },
    {
      id: LAYER.districtSelected,
      type: 'line',
      source: SOURCE.districts,
      'source-layer': SOURCE_LAYER.districts,
      filter: selectedDistrictFilter(null),
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': '#1f6fd1',
        'line-width': ['interpolate', ['linear'], ['zoom'], 8, 2.5, 14, 4],
        'line-opacity': 0.9,
      },
    },
    {
      // The parcel under the pointer: MapView sets its feature-state `hover`; no filter on ids, so
      // the highlight needs no style change per mouse move and survives tile reloads.
      id: LAYER.parcelHover,
      type: 'line',
      source: SOURCE.parcels,
      'source-layer': SOURCE_LAYER.parcels,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': '#10263f',
        'line-width': ['interpolate', ['linear'], ['zoom'], 13, 1.6, 16, 2.4, 18, 3],
        'line-opacity': ['case', hovered, 1, 0],
      },
    },
    {
      id: LAYER.parcelSelectedCasing,
      type: 'line',
      source: SOURCE.parcels,
      'source-layer': SOURCE_LAYER.parcels,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': '#0b2545',
        'line-width': ['interpolate', ['linear'], ['zoom'], 10, 5, 16, 7],
        'line-opacity': ['case', selected, 0.85, 0],
      },
    },
    {
      id: LAYER.parcelSelected,
      type: 'line',
      source: SOURCE.parcels,
      'source-layer': SOURCE_LAYER.parcels,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': '#29d3ff',
        'line-width': ['interpolate', ['linear'], ['zoom'], 10, 2.5, 16, 3.5],
        'line-opacity': ['case', selected, 1, 0],
      },
    },
    {
      // 宗地编号 and 权利人 from z16; MapLibre's collision detection drops labels that would overlap.
      id: LAYER.parcelLabel,
      type: 'symbol',
      source: SOURCE.parcelLabels,
      'source-layer': SOURCE_LAYER.parcelLabels,
      minzoom: PARCEL_LABEL_MINZOOM,
      filter: parcelLabelFilterOf(null),
      layout: {
        'text-field': parcelLabelText(),
        'text-font': TEXT_FONT,
        'text-size': ['interpolate', ['linear'], ['zoom'], 16, 10, 19, 13],
        'text-max-width': 9,
        'text-allow-overlap': false,
        'text-ignore-placement': false,
        'text-padding': 3,
        'symbol-placement': 'point',
      },
      paint: {
        'text-color': '#1d2733',
        'text-halo-color': 'rgba(255, 255, 255, 0.9)',
        'text-halo-width': 1.4,
      },
    },
    {
      id: LAYER.districtLabel,
      type: 'symbol',
      source: SOURCE.districts,
      'source-layer': SOURCE_LAYER.districtLabels,
      maxzoom: 15,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': TEXT_FONT,
        'text-size': ['interpolate', ['linear'], ['zoom'], 8, 13, 12, 17],
        'text-letter-spacing': 0.15,
        'text-allow-overlap': false,
      },
      paint: {
        'text-color': INK,
        'text-halo-color': 'rgba(255, 255, 255, 0.95)',
        'text-halo-width': 2,
        'text-halo-blur': 0.5,
      },
    },
  ];

  return {
    version: 8,
    name: '标图建库',
    glyphs: `${origin}/glyphs/{fontstack}/{range}.pbf`,
    sources,
    layers,
  };
}
