import { Popup, type GeoJSONSource, type Map as MapLibreMap, type MapMouseEvent } from 'maplibre-gl';
import type { BrowseState } from '../browse/browse-state.js';
import { documentPreviewUrl, fetchPhotoPoints, type PhotoPointCollection } from '../documents/documents.api.js';
import { onDocumentsChanged } from '../documents/documents-events.js';

/** Attribute a photo popup carries, for the browser tests. */
export const PHOTO_POPUP_TEST_ID = 'photo-popup';

const SOURCE = 'parcel-photos';
const LAYER_CIRCLE = 'parcel-photos-circle';
const LAYER_ICON = 'parcel-photos-icon';
const ICON = 'biaotu-camera';
const EMPTY: PhotoPointCollection = { type: 'FeatureCollection', truncated: false, features: [] };

/** A white camera on transparency, drawn once (the map's glyphs hold Latin and digits only). */
function cameraIcon(size = 32): ImageData | null {
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext('2d');
  if (!context) return null;
  const unit = size / 16;
  context.fillStyle = '#fff';
  context.beginPath();
  context.roundRect(2 * unit, 5 * unit, 12 * unit, 8 * unit, 1.5 * unit);
  context.fill();
  context.fillRect(5.5 * unit, 3.5 * unit, 5 * unit, 2 * unit);
  context.globalCompositeOperation = 'destination-out';
  context.beginPath();
  context.arc(8 * unit, 9 * unit, 2.6 * unit, 0, Math.PI * 2);
  context.fill();
  context.globalCompositeOperation = 'source-over';
  context.beginPath();
  context.arc(8 * unit, 9 * unit, 1.4 * unit, 0, Math.PI * 2);
  context.fill();
  return context.getImageData(0, 0, size, size);
}

function formatTakenAt(iso: string | null): string {
  if (!iso) return '拍摄时间未知';
  const time = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `拍摄于 ${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())} ${pad(time.getHours())}:${pad(time.getMinutes())}`;
}

/**
 * Where the open parcel's photos were taken (EXIF GPS, 一地一档): orange camera markers above the
 * parcels; a click shows the photo in a popup, with a link to the full picture. Follows the browse
 * state's open parcel and the documents' changes. Constructed before the map's own click handler so
 * that a click on a photo is not also a click on the parcel under it (its event is marked handled).
 */
export class PhotoPointsLayer {
  #parcelId: number | null = null;
  #request: AbortController | null = null;
  #popup: Popup | null = null;
  #points: PhotoPointCollection = EMPTY;
  readonly #stop: (() => void)[] = [];

  constructor(private readonly map: MapLibreMap, state: BrowseState) {
    map.once('load', () => {
      this.#install();
      this.#show(state.snapshot.parcelId);
    });
    this.#stop.push(state.subscribe((next, previous) => {
      if (next.parcelId !== previous.parcelId) this.#show(next.parcelId);
    }));
    this.#stop.push(onDocumentsChanged((parcelId) => {
      if (parcelId === this.#parcelId) this.#show(parcelId, true);
    }));
    map.on('click', (event) => this.#click(event));
    map.on('mouseenter', LAYER_CIRCLE, () => {
      map.getCanvas().style.cursor = 'pointer';
    });
    map.on('mouseleave', LAYER_CIRCLE, () => {
      map.getCanvas().style.cursor = '';
    });
  }

  destroy(): void {
    for (const stop of this.#stop) stop();
    this.#request?.abort();
    this.#popup?.remove();
  }

  #install(): void {
    const icon = cameraIcon();
    if (icon && !this.map.hasImage(ICON)) this.map.addImage(ICON, icon, { pixelRatio: 2 });
    this.map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
    this.map.addLayer({
      id: LAYER_CIRCLE, type: 'circle', source: SOURCE,
      paint: { 'circle-radius': 11, 'circle-color': '#e8710a', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2, 'circle-opacity': 0.95 },
    });
    this.map.addLayer({
      id: LAYER_ICON, type: 'symbol', source: SOURCE,
      layout: { 'icon-image': ICON, 'icon-allow-overlap': true, 'icon-ignore-placement': true },
    });
  }

  #show(parcelId: number | null, reload = false): void {
    if (parcelId === this.#parcelId && !reload) return;
    this.#parcelId = parcelId;
    this.#request?.abort();
    this.#popup?.remove();
    if (parcelId === null) {
      this.#draw(EMPTY);
      return;
    }
    const request = new AbortController();
    this.#request = request;
    // A parcel outside the reader's districts answers 403: it simply has no photos to show.
    fetchPhotoPoints(parcelId, { quiet: true, signal: request.signal })
      .then((points) => {
        if (this.#request === request) this.#draw(points);
      })
      .catch(() => {
        if (this.#request === request) this.#draw(EMPTY);
      });
  }

  #draw(points: PhotoPointCollection): void {
    this.#points = points;
    this.map.getSource<GeoJSONSource>(SOURCE)?.setData(points as GeoJSON.FeatureCollection);
  }

  #click(event: MapMouseEvent): void {
    if (!this.map.getLayer(LAYER_CIRCLE) || this.#points.features.length === 0) return;
    const [feature] = this.map.queryRenderedFeatures(event.point, { layers: [LAYER_CIRCLE] });
    if (!feature) return;
    event.preventDefault();
    const properties = feature.properties as { documentId: number; parcelId: number; fileName: string; takenAt: string | null; note: string | null };
    const coordinates = (feature.geometry as GeoJSON.Point).coordinates as [number, number];
    this.#popup?.remove();
    this.#popup = new Popup({ closeButton: true, maxWidth: '300px', className: 'biaotu-photo-popup', offset: 14 })
      .setLngLat(coordinates).setDOMContent(this.#popupContent(properties)).addTo(this.map);
  }

  #popupContent(photo: { documentId: number; parcelId: number; fileName: string; takenAt: string | null; note: string | null }): HTMLElement {
    const url = documentPreviewUrl(photo.parcelId, photo.documentId);
    const body = document.createElement('div');
    body.className = 'photo-popup';
    body.dataset.testid = PHOTO_POPUP_TEST_ID;
    const link = document.createElement('a');
    link.href = url;
    link.target = '_blank';
    link.rel = 'noopener';
    link.title = '在新窗口查看原图';
    const image = document.createElement('img');
    image.src = url;
    image.alt = photo.fileName;
    image.className = 'photo-popup__image';
    link.append(image);
    const name = document.createElement('div');
    name.className = 'photo-popup__name';
    name.textContent = photo.fileName;
    const meta = document.createElement('div');
    meta.className = 'photo-popup__meta';
    meta.textContent = photo.note ? `${formatTakenAt(photo.takenAt)} · ${photo.note}` : formatTakenAt(photo.takenAt);
    body.append(link, name, meta);
    return body;
  }
}
