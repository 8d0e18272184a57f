import { Popup, type LngLatLike, type Map as MapLibreMap, type PointLike, type VectorTileSource } from 'maplibre-gl';
import { summariseSurveyPatch, type SurveyPatchProperties } from '../survey/survey-patch.js';
import type { SurveyLayerOption } from '../survey/survey-layer-selection.js';
import {
  LAYER,
  surveyCellLayerId,
  surveyFillLayerId,
  surveyLayers,
  surveyOutlineLayerId,
  surveyOutlineOpacity,
  surveySource,
  surveySourceId,
} from './map-style.js';

/** Attribute a 图斑 popup carries, for the browser tests. */
export const SURVEY_POPUP_TEST_ID = 'survey-popup';

/**
 * The 变更调查 years on a MapLibre map: adds and removes one source and three layers (grid, 图斑,
 * outline) per year so the map shows exactly the years the selection draws, stacked by year under
 * the parcels (and under their grid), and answers what 图斑 lies under a click.
 */
export class SurveyLayerAdapter {
  /** Years on the map, with the TileJSON they were added from. */
  readonly #onMap = new Map<number, string>();
  #popup: Popup | null = null;
  #popupYear: number | null = null;

  constructor(
    private readonly map: MapLibreMap,
    private readonly origin: string,
  ) {}

  /** The year of a survey source id (`survey-2023`), or null for any other source. */
  yearOfSource(sourceId: string | undefined): number | null {
    if (!sourceId) return null;
    for (const year of this.#onMap.keys()) if (surveySourceId(year) === sourceId) return year;
    return null;
  }

  get fillLayerIds(): string[] {
    return [...this.#onMap.keys()].map(surveyFillLayerId);
  }

  /** Brings the map to `layers` (oldest first) at `opacity`; call only once the style has loaded. */
  sync(layers: readonly SurveyLayerOption[], opacity: number): void {
    const wanted = new Map(layers.map((layer) => [layer.year, layer.tileJson]));
    for (const [year, tileJson] of this.#onMap) {
      if (wanted.get(year) !== tileJson) this.#remove(year);
    }
    // Newest first: each year goes under the next newer one already on the map, or under the parcels' grid.
    let above: string = LAYER.parcelCells;
    for (const layer of [...layers].sort((left, right) => right.year - left.year)) {
      if (!this.#onMap.has(layer.year)) this.#add(layer, opacity, above);
      above = surveyCellLayerId(layer.year);
    }
    for (const year of this.#onMap.keys()) {
      this.map.setPaintProperty(surveyCellLayerId(year), 'fill-opacity', opacity);
      this.map.setPaintProperty(surveyFillLayerId(year), 'fill-opacity', opacity);
      this.map.setPaintProperty(surveyOutlineLayerId(year), 'line-opacity', surveyOutlineOpacity(opacity));
    }
  }

  /** Fetches every year's tiles again (a re-import of a year replaced its 图斑 under the same URL). */
  reload(): void {
    for (const year of this.#onMap.keys()) {
      const source = this.map.getSource<VectorTileSource>(surveySourceId(year));
      if (source?.url) source.setUrl(source.url);
    }
  }

  /** The topmost 图斑 at a point (the newest year when several are on), or null. */
  patchAt(point: PointLike): SurveyPatchProperties | null {
    const layers = this.fillLayerIds;
    if (layers.length === 0) return null;
    const [feature] = this.map.queryRenderedFeatures(point, { layers });
    const year = this.yearOfSource(feature?.source);
    if (!feature || year === null) return null;
    const { dlbm, class: classCode } = feature.properties as { dlbm?: unknown; class?: unknown };
    return {
      year,
      landUseCode: typeof dlbm === 'string' ? dlbm : null,
      classCode: typeof classCode === 'string' ? classCode : null,
    };
  }

  /** A small popup with the 图斑's year and 地类; text only (attribute values never become markup). */
  showPopup(at: LngLatLike, patch: SurveyPatchProperties): void {
    this.closePopup();
    const summary = summariseSurveyPatch(patch);
    const content = document.createElement('div');
    content.className = 'biaotu-survey-popup__content';
    content.dataset.testid = SURVEY_POPUP_TEST_ID;

    const title = document.createElement('div');
    title.className = 'biaotu-survey-popup__title';
    const swatch = document.createElement('span');
    swatch.className = 'biaotu-survey-popup__swatch';
    swatch.style.background = summary.colour;
    title.append(swatch, summary.title);

    const rows = document.createElement('dl');
    rows.className = 'biaotu-survey-popup__rows';
    for (const [term, value] of [
      ['地类', summary.landUse],
      ['一级类', summary.landUseClass],
    ]) {
      const termElement = document.createElement('dt');
      termElement.textContent = term;
      const valueElement = document.createElement('dd');
      valueElement.textContent = value;
      rows.append(termElement, valueElement);
    }
    content.append(title, rows);

    this.#popup = new Popup({ className: 'biaotu-survey-popup', closeOnClick: false, maxWidth: '280px', offset: 6 })
      .setLngLat(at)
      .setDOMContent(content)
      .addTo(this.map);
    this.#popupYear = patch.year;
    this.#popup.on('close', () => {
      this.#popup = null;
      this.#popupYear = null;
    });
  }

  closePopup(): void {
    const popup = this.#popup;
    this.#popup = null;
    this.#popupYear = null;
    popup?.remove();
  }

  #add(layer: SurveyLayerOption, opacity: number, beforeId: string): void {
    const sourceId = surveySourceId(layer.year);
    if (!this.map.getSource(sourceId)) this.map.addSource(sourceId, surveySource(this.origin, layer.tileJson));
    for (const specification of surveyLayers(layer.year, opacity)) this.map.addLayer(specification, beforeId);
    this.#onMap.set(layer.year, layer.tileJson);
  }

  #remove(year: number): void {
    if (this.#popupYear === year) this.closePopup();
    for (const id of [surveyOutlineLayerId(year), surveyFillLayerId(year), surveyCellLayerId(year)]) {
      if (this.map.getLayer(id)) this.map.removeLayer(id);
    }
    if (this.map.getSource(surveySourceId(year))) this.map.removeSource(surveySourceId(year));
    this.#onMap.delete(year);
  }
}
