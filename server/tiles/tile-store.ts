import type pg from 'pg';
import { TileCache, type CachedTile, type TileAddress } from './tile-cache.js';
import { TILE_BUFFER, TILE_EXTENT } from './tiles.sql.js';

interface PendingTile {
  address: TileAddress;
  scope: string;
  family: string;
  epoch: string;
  tile: CachedTile;
}

/**
 * The persistent tile cache (`tile_cache`, migration 0010): gzipped tiles shared by every server
 * process and kept across restarts. Reads are one primary-key lookup. Writes are batched off the
 * request path and guarded: a tile is stored only if its data family's epoch, read in the same
 * snapshot as the tile, still holds, and the writer takes FOR SHARE on the epoch row, so it waits
 * for a change that is being committed and then sees it. The changes themselves delete the rows
 * they make stale (in their own transaction), whoever makes them.
 */
export class TileStore {
  /**
   * Keys this process knows to be stored (loaded at start, added on write): a cold tile is not
   * looked up when it cannot be there. Keys stored by another process since are not known here;
   * such a tile is rendered again, which is correct, only slower.
   */
  readonly #known = new Set<string>();
  #loaded = false;
  #queue: PendingTile[] = [];
  #queuedBytes = 0;
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: (message: string, error: unknown) => void,
    private readonly options = { flushMs: 200, maxBatch: 64, maxQueuedBytes: 32 * 1024 * 1024 },
  ) {}

  /** Reads the keys already stored (at start; until then every tile is looked up). */
  async loadKeys(limit = 2_000_000): Promise<number> {
    const result = await this.pool.query<{ layer: string; z: number; x: number; y: number; scope: string }>(
      'SELECT layer, z, x, y, scope FROM tile_cache LIMIT $1', [limit]);
    for (const row of result.rows) this.#known.add(TileCache.key(row, row.scope));
    this.#loaded = true;
    return result.rows.length;
  }

  async get(address: TileAddress, scope: string): Promise<CachedTile | null> {
    const key = TileCache.key(address, scope);
    if (this.#loaded && !this.#known.has(key)) return null;
    const result = await this.pool.query<{ etag: string; body: Buffer; raw_bytes: number }>({
      name: 'tile_cache_get',
      text: 'SELECT etag, body, raw_bytes FROM tile_cache WHERE layer = $1 AND z = $2 AND x = $3 AND y = $4 AND scope = $5',
      values: [address.layer, address.z, address.x, address.y, scope],
    });
    const row = result.rows[0];
    if (!row) {
      this.#known.delete(key); // deleted by a change since
      return null;
    }
    return { etag: row.etag, gzipped: row.body, rawBytes: row.raw_bytes };
  }

  /** Queues a rendered tile for storage (dropped when the queue is full: it is only a cache). */
  put(address: TileAddress, scope: string, family: string, epoch: string, tile: CachedTile): void {
    if (this.#queuedBytes + tile.gzipped.length > this.options.maxQueuedBytes) return;
    this.#queue.push({ address, scope, family, epoch, tile });
    this.#known.add(TileCache.key(address, scope));
    this.#queuedBytes += tile.gzipped.length;
    if (this.#queue.length >= this.options.maxBatch) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.options.flushMs);
  }

  /** Writes what is queued; resolves when it is written (tests and shutdown wait on it). */
  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    while (this.#flushing) await this.#flushing;
    if (this.#queue.length === 0) return;
    const batch = this.#queue.splice(0, this.#queue.length);
    this.#queuedBytes = 0;
    this.#flushing = this.#write(batch).catch((error: unknown) => this.log('tile cache write failed (tiles stay uncached)', error))
      .finally(() => { this.#flushing = null; });
    await this.#flushing;
  }

  async #write(batch: PendingTile[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // A long change (an import) holds the epoch row: give up rather than queue behind it.
      await client.query("SET LOCAL lock_timeout = '2s'");
      await client.query({
        name: 'tile_cache_put',
        text: `INSERT INTO tile_cache (layer, z, x, y, scope, etag, body, raw_bytes, envelope)
          SELECT t.layer, t.z, t.x, t.y, t.scope, t.etag, t.body, t.raw_bytes,
                 ST_TileEnvelope(t.z, t.x, t.y, margin => ${TILE_BUFFER}.0 / ${TILE_EXTENT})
          FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::text[], $6::text[], $7::bytea[], $8::int[], $9::text[], $10::bigint[])
               AS t(layer, z, x, y, scope, etag, body, raw_bytes, family, epoch)
          JOIN tile_epochs e ON e.family = t.family AND e.epoch = t.epoch
          FOR SHARE OF e
          ON CONFLICT (layer, z, x, y, scope) DO NOTHING`,
        values: [
          batch.map((item) => item.address.layer), batch.map((item) => item.address.z), batch.map((item) => item.address.x),
          batch.map((item) => item.address.y), batch.map((item) => item.scope), batch.map((item) => item.tile.etag),
          batch.map((item) => item.tile.gzipped), batch.map((item) => item.tile.rawBytes), batch.map((item) => item.family),
          batch.map((item) => item.epoch),
        ],
      });
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Empties the persistent cache (an administrator's request; every server is told to drop its memory). */
  async clear(): Promise<number> {
    await this.flush();
    const result = await this.pool.query('DELETE FROM tile_cache');
    this.#known.clear();
    return result.rowCount ?? 0;
  }
}
