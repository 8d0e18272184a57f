import fp from 'fastify-plugin';
import type pg from 'pg';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import { TileCache, type Bounds, type CachedTile } from './tile-cache.js';
import { TileStore } from './tile-store.js';
import { createTilesRepository, TILE_LAYERS, type TileLayer } from './tiles.repository.js';

export type TileSource = 'hit' | 'store' | 'miss';

export interface ServedTile {
  tile: CachedTile;
  /** Where it came from: memory (`hit`), the persistent cache (`store`) or the database (`miss`). */
  source: TileSource;
  /** When the size cap thinned the tile: features kept and features there were. */
  thinning: { kept: number; of: number } | null;
}

/** Attempts at thinning before giving up on a tile. */
const THINNING_ATTEMPTS = 6;

/**
 * Serves a tile from the memory LRU, else the persistent cache, else the database. Tiles are
 * never larger than `maxTileBytes` compressed: an oversized tile is cut again keeping only its
 * largest features, as many as the measured size says fit (with a 10 % margin), until it fits;
 * should that fail, an empty tile is served and logged (it never happened on the measured data).
 */
export function createTileService(options: {
  pool: pg.Pool;
  cache: TileCache;
  store: TileStore;
  maxTileBytes: number;
  /** Tiles that render faster than this are not worth a row in the persistent cache. */
  storeMinMs: number;
  /** zlib level for new tiles (1 = fastest … 9 = smallest). */
  gzipLevel: number;
  log: (message: string, details: Record<string, unknown>) => void;
}) {
  const repository = createTilesRepository(options.pool);
  return {
    repository,

    async get(layer: TileLayer, z: number, x: number, y: number, readerScope: Scope): Promise<ServedTile> {
      const address = { layer: layer.id, z, x, y };
      // Tiles differ by the reader's districts, so the scope is part of the key.
      const districts = readerScope.districts;
      const scope = layer.scoped && districts ? districts.join(',') : 'all';
      const key = TileCache.key(address, scope);
      const cached = options.cache.get(key);
      if (cached) return { tile: cached, source: 'hit', thinning: null };

      const generation = options.cache.generation(layer.id);
      if (layer.family) {
        const stored = await options.store.get(address, scope);
        // A tile stored under a larger cap (another process, an earlier setting) is cut again.
        if (stored && stored.gzipped.length <= options.maxTileBytes) {
          options.cache.set(key, address, stored, generation);
          return { tile: stored, source: 'store', thinning: null };
        }
      }

      const started = performance.now();
      const rendered = await repository.tile(layer, z, x, y, readerScope);
      let epoch = rendered.epoch;
      let tile: CachedTile | null = await TileCache.encode(rendered.body, options.gzipLevel);
      let thinning: ServedTile['thinning'] = null;
      if (tile.gzipped.length > options.maxTileBytes) {
        let limit = rendered.features;
        let size = tile.gzipped.length;
        tile = null;
        for (let attempt = 0; attempt < THINNING_ATTEMPTS && layer.thinned && limit > 0; attempt++) {
          limit = Math.floor((limit * options.maxTileBytes * 0.9) / size);
          const thinned = await repository.tile(layer, z, x, y, readerScope, limit);
          const encoded = await TileCache.encode(thinned.body, options.gzipLevel);
          epoch = thinned.epoch;
          size = encoded.gzipped.length;
          if (size <= options.maxTileBytes) {
            tile = encoded;
            thinning = { kept: thinned.features, of: rendered.features };
            break;
          }
        }
      }
      if (!tile) {
        options.log('tile over the size cap even when thinned: served empty', { layer: layer.id, z, x, y, maxTileBytes: options.maxTileBytes });
        tile = await TileCache.encode(Buffer.alloc(0));
        thinning = { kept: 0, of: rendered.features };
      }
      options.cache.set(key, address, tile, generation);
      const costly = performance.now() - started >= options.storeMinMs;
      if (layer.family && epoch !== null && costly) options.store.put(address, scope, layer.family, epoch, tile);
      return { tile, source: 'miss', thinning };
    },

    /** Empties the persistent cache and the memory of every server process; answers the tiles deleted from the store. */
    async clear(): Promise<number> {
      const stored = await options.store.clear();
      options.cache.clear();
      await repository.announceCleared();
      return stored;
    },
  };
}

export type TileService = ReturnType<typeof createTileService>;

declare module 'fastify' {
  interface FastifyInstance {
    tileCache: TileCache;
    tileStore: TileStore;
    tiles: TileService;
  }
}

/** Per layer, the layers whose tiles change with it (`TileLayer.follows`). */
const FOLLOWERS: Record<string, string[]> = {};
for (const layer of TILE_LAYERS) if (layer.follows) (FOLLOWERS[layer.follows] ??= []).push(layer.id);

/**
 * The tile service with its two caches, as a plugin: every change to tiled data, from any process,
 * reaches the memory cache through `tile_changes` (migration 0009); the persistent store is flushed
 * on close.
 */
export const tileServicePlugin = fp(async (app: AppInstance) => {
  const { settings } = app;
  const cache = new TileCache(settings.tileCacheBytes, FOLLOWERS);
  const store = new TileStore(app.pools.light.pool, (message, error) => app.log.error({ err: error }, message));
  void store.loadKeys().catch((error: unknown) => app.log.error({ err: error }, 'could not read the persistent tile cache keys'));
  app.decorate('tileCache', cache);
  app.decorate('tileStore', store);
  app.decorate('tiles', createTileService({
    pool: app.pools.light.pool, cache, store, maxTileBytes: settings.tileMaxBytes, storeMinMs: settings.tileStoreMinMs, gzipLevel: settings.tileGzipLevel,
    log: (message, details) => app.log.error(details, message),
  }));
  app.notifications.on('tile_changes', (payload: string) => {
    const change = JSON.parse(payload) as { layer: string; all?: boolean; bounds?: Bounds };
    if (change.layer === '*') cache.clear();
    else if (change.all || !change.bounds) cache.invalidateLayer(change.layer);
    else cache.invalidate(change.layer, [change.bounds]);
  });
  app.addHook('onClose', async () => {
    await store.flush();
  });
}, { name: 'tile-service', dependencies: ['database', 'notifications', 'settings'] });
