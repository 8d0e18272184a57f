import type { ParcelFeatureCollection, ParcelFeatureProperties } from './areas.api.js';
import { boxesMeet, boxOf, type Areal, type Box } from './area-geometry.js';
import type { LiveParcel } from './live-figures.js';
import type { SnapTarget } from './snapping.js';

/** The server gives parcels for boxes of at most this many degrees a side. */
export const MAX_BOX_DEGREES = 0.1;

/** From this zoom the page loads the parcels of the view (snapping needs them on screen). */
export const PARCELS_MIN_ZOOM = 14;

export interface StoredParcel extends LiveParcel {
  code: string | null;
  districtCode: string | null;
  restricted: boolean;
  box: Box;
}

function contains(outer: Box, inner: Box): boolean {
  return outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];
}

/** A box cut into pieces the server accepts (at most 0.1° × 0.1°), west to east, south to north. */
export function splitBox(box: Box, size = MAX_BOX_DEGREES): Box[] {
  const pieces: Box[] = [];
  const columns = Math.max(1, Math.ceil((box[2] - box[0]) / size - 1e-9));
  const rows = Math.max(1, Math.ceil((box[3] - box[1]) / size - 1e-9));
  const width = (box[2] - box[0]) / columns;
  const height = (box[3] - box[1]) / rows;
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      pieces.push([box[0] + column * width, box[1] + row * height, box[0] + (column + 1) * width, box[1] + (row + 1) * height]);
    }
  }
  return pieces;
}

/**
 * The parcels the page has fetched at full precision, by id, and the boxes they were fetched for.
 * Objects stay the same between loads (the live figures' cache keys on them), so a parcel fetched
 * twice keeps its figures.
 */
export class ParcelStore {
  readonly #parcels = new Map<number, StoredParcel>();
  #covered: Box[] = [];
  /** Goes up whenever parcels were added. */
  revision = 0;

  get size(): number {
    return this.#parcels.size;
  }

  get(id: number): StoredParcel | undefined {
    return this.#parcels.get(id);
  }

  /** Whether a box was fetched already (inside one fetched box). */
  covers(box: Box): boolean {
    return this.#covered.some((covered) => contains(covered, box));
  }

  /** Adds a fetched collection; a truncated answer does not count as covering its box. */
  add(box: Box, collection: ParcelFeatureCollection): void {
    for (const feature of collection.features) {
      const properties: ParcelFeatureProperties = feature.properties;
      const id = Number(feature.id ?? properties.id);
      const known = this.#parcels.get(id);
      if (known && JSON.stringify(known.geometry) === JSON.stringify(feature.geometry) && known.status === properties.status) continue;
      this.#parcels.set(id, {
        id,
        areaM2: Number(properties.areaM2),
        status: properties.status,
        geometry: feature.geometry,
        code: properties.code,
        districtCode: properties.districtCode,
        restricted: Boolean(properties.restricted),
        box: boxOf(feature.geometry),
      });
    }
    if (!collection.truncated) this.#covered = [...this.#covered.filter((covered) => !contains(box, covered)), box];
    this.revision++;
  }

  /** A box fetched in pieces counts as fetched once every piece is (see {@link splitBox}). */
  markCovered(box: Box, pieces: readonly Box[]): void {
    if (pieces.every((piece) => this.covers(piece))) this.#covered = [...this.#covered.filter((covered) => !contains(box, covered)), box];
  }

  /** Forgets everything (the parcels changed on the server). */
  clear(): void {
    this.#parcels.clear();
    this.#covered = [];
    this.revision++;
  }

  /** Parcels whose box meets a box. */
  within(box: Box): StoredParcel[] {
    const found: StoredParcel[] = [];
    for (const parcel of this.#parcels.values()) if (boxesMeet(parcel.box, box)) found.push(parcel);
    return found;
  }

  /** Snap targets near a box. */
  snapTargets(box: Box): SnapTarget[] {
    return this.within(box).map((parcel) => ({ geometry: parcel.geometry as Areal, box: parcel.box }));
  }
}
