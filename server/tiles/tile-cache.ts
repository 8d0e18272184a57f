import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface CachedTile {
  /** Uncompressed MVT. */
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

export interface TileAddress {
  layer: string;
  z: number;
  x: number;
  y: number;
}

/** [minLon, minLat, maxLon, maxLat] */
export type Bounds = [number, number, number, number];

function tileBounds(z: number, x: number, y: number): Bounds {
  const n = 2 ** z;
  const lon = (column: number) => (column / n) * 360 - 180;
  const lat = (row: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * row) / n))) * 180) / Math.PI;
  return [lon(x), lat(y + 1), lon(x + 1), lat(y)];
}

/**
 * Encoded tiles kept in memory, least recently used first out, within a byte budget. It knows
 * about edits: a change to parcels drops exactly the cached tiles whose bounds (with the 64/4096
 * buffer the tiles are cut with) touch the changed geometry, old and new, at every zoom.
 */
export class TileCache {
  readonly #entries = new Map<string, CachedTile & { address: TileAddress }>();
  #bytes = 0;

  constructor(readonly maxBytes: number) {}

  static key(address: TileAddress, scope: string): string {
    return `${address.layer}/${address.z}/${address.x}/${address.y}/${scope}`;
  }

  static encode(body: Buffer): CachedTile {
    return { body, gzipped: gzipSync(body, { level: 6 }), etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): CachedTile | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  set(key: string, address: TileAddress, tile: CachedTile): void {
    const cost = tile.body.length + tile.gzipped.length;
    if (cost > this.maxBytes) return;
    this.#delete(key);
    this.#entries.set(key, { ...tile, address });
    this.#bytes += cost;
    for (const [oldest] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#delete(oldest);
    }
  }

  /** Drops the cached tiles of `layer` that touch any of the bounds; answers how many. */
  invalidate(layer: string, bounds: readonly Bounds[]): number {
    let dropped = 0;
    for (const [key, entry] of this.#entries) {
      if (entry.address.layer !== layer) continue;
      const [west, south, east, north] = tileBounds(entry.address.z, entry.address.x, entry.address.y);
      const marginX = ((east - west) * 64) / 4096;
      const marginY = ((north - south) * 64) / 4096;
      const touches = bounds.some(([minLon, minLat, maxLon, maxLat]) =>
        minLon <= east + marginX && maxLon >= west - marginX && minLat <= north + marginY && maxLat >= south - marginY);
      if (touches) {
        this.#delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  /** Drops every cached tile of a layer (a survey year replaced as a whole). */
  invalidateLayer(layer: string): void {
    for (const [key, entry] of this.#entries) if (entry.address.layer === layer) this.#delete(key);
  }

  #delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#bytes -= entry.body.length + entry.gzipped.length;
    this.#entries.delete(key);
  }
}
