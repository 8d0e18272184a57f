import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TileCache } from './tile-cache.js';

/** Random bytes: gzip cannot shrink them, so a tile of `size` costs about `size`. */
const tile = (size: number) => TileCache.encode(randomBytes(size));

describe('TileCache', () => {
  it('evicts the least recently used tiles beyond its byte budget', async () => {
    const cache = new TileCache(2500);
    const a = { layer: 'parcels', z: 15, x: 1, y: 1 };
    const b = { layer: 'parcels', z: 15, x: 2, y: 1 };
    const c = { layer: 'parcels', z: 15, x: 3, y: 1 };
    cache.set('a', a, await tile(1000));
    cache.set('b', b, await tile(1000));
    expect(cache.get('a')).toBeDefined(); // a is now the most recently used
    cache.set('c', c, await tile(1000));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('drops only the tiles of the layer whose bounds (with the tile buffer) touch a change', async () => {
    const cache = new TileCache(1e6);
    // z15 tiles around Xiamen: x 27129 spans 118.0480°–118.0591°E.
    const touched = { layer: 'parcels', z: 15, x: 27129, y: 14082 };
    const far = { layer: 'parcels', z: 15, x: 27200, y: 14082 };
    const otherLayer = { layer: 'districts', z: 15, x: 27129, y: 14082 };
    const low = { layer: 'parcels', z: 10, x: 847, y: 440 };
    for (const address of [touched, far, otherLayer, low]) cache.set(TileCache.key(address, 'all'), address, await tile(10));
    const dropped = cache.invalidate('parcels', [[118.05, 24.50, 118.0502, 24.5002]]);
    expect(dropped).toBe(2);
    expect(cache.get(TileCache.key(touched, 'all'))).toBeUndefined();
    expect(cache.get(TileCache.key(low, 'all'))).toBeUndefined();
    expect(cache.get(TileCache.key(far, 'all'))).toBeDefined();
    expect(cache.get(TileCache.key(otherLayer, 'all'))).toBeDefined();
  });

  it('drops the tiles of the layers that follow a changed layer with it (the parcel labels)', async () => {
    const cache = new TileCache(1e6, { parcels: ['parcel-labels'] });
    const labels = { layer: 'parcel-labels', z: 16, x: 54258, y: 28165 }; // spans 118.0481°–118.0536°E
    const generation = cache.generation('parcel-labels');
    cache.set('labels', labels, await tile(10));
    expect(cache.invalidate('parcels', [[118.05, 24.50, 118.0502, 24.5002]])).toBe(1);
    expect(cache.get('labels')).toBeUndefined();
    cache.set('late', labels, await tile(10), generation); // read before the change: refused
    expect(cache.get('late')).toBeUndefined();
    cache.set('again', labels, await tile(10));
    cache.invalidateLayer('parcels');
    expect(cache.get('again')).toBeUndefined();
  });

  it('refuses a tile read before an invalidation of its layer (it may predate the change)', async () => {
    const cache = new TileCache(1e6);
    const address = { layer: 'parcels', z: 16, x: 54235, y: 28150 };
    const before = cache.generation('parcels');
    cache.invalidate('parcels', [[0, 0, 0.001, 0.001]]); // a change anywhere in the layer arrives meanwhile
    cache.set('stale', address, await tile(10), before);
    expect(cache.get('stale')).toBeUndefined();
    cache.set('fresh', address, await tile(10), cache.generation('parcels'));
    expect(cache.get('fresh')).toBeDefined();
    // Another layer's invalidations do not matter.
    const other = cache.generation('parcels');
    cache.invalidateLayer('survey-2023');
    cache.set('still', address, await tile(10), other);
    expect(cache.get('still')).toBeDefined();
  });

  it('tags tiles by content and keeps them gzipped', async () => {
    const body = Buffer.from('a'.repeat(5000));
    const [first, second] = await Promise.all([TileCache.encode(body), TileCache.encode(Buffer.from(body))]);
    expect(first.etag).toBe(second.etag);
    expect(first.rawBytes).toBe(5000);
    expect(first.gzipped.length).toBeLessThan(100);
    expect(first.gzipped.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });
});
