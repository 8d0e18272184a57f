import { describe, expect, it } from 'vitest';
import { TileCache } from './tile-cache.js';

const tile = (size: number) => TileCache.encode(Buffer.alloc(size, 7));

describe('TileCache', () => {
  it('evicts the least recently used tiles beyond its byte budget', () => {
    const cache = new TileCache(3000);
    const a = { layer: 'parcels', z: 15, x: 1, y: 1 };
    const b = { layer: 'parcels', z: 15, x: 2, y: 1 };
    const c = { layer: 'parcels', z: 15, x: 3, y: 1 };
    cache.set('a', a, tile(1000));
    cache.set('b', b, tile(1000));
    expect(cache.get('a')).toBeDefined(); // a is now the most recently used
    cache.set('c', c, tile(1000));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('drops only the tiles of the layer whose bounds (with the tile buffer) touch a change', () => {
    const cache = new TileCache(1e6);
    // z15 tiles around Xiamen: x 27129 spans 118.0480°–118.0591°E.
    const touched = { layer: 'parcels', z: 15, x: 27129, y: 14082 };
    const far = { layer: 'parcels', z: 15, x: 27200, y: 14082 };
    const otherLayer = { layer: 'districts', z: 15, x: 27129, y: 14082 };
    const low = { layer: 'parcels', z: 10, x: 847, y: 440 };
    cache.set(TileCache.key(touched, 'all'), touched, tile(10));
    cache.set(TileCache.key(far, 'all'), far, tile(10));
    cache.set(TileCache.key(otherLayer, 'all'), otherLayer, tile(10));
    cache.set(TileCache.key(low, 'all'), low, tile(10));
    const dropped = cache.invalidate('parcels', [[118.05, 24.50, 118.0502, 24.5002]]);
    expect(dropped).toBe(2);
    expect(cache.get(TileCache.key(touched, 'all'))).toBeUndefined();
    expect(cache.get(TileCache.key(low, 'all'))).toBeUndefined();
    expect(cache.get(TileCache.key(far, 'all'))).toBeDefined();
    expect(cache.get(TileCache.key(otherLayer, 'all'))).toBeDefined();
  });
});
