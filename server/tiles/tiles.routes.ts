import { Type } from 'typebox';
import type { AppInstance } from '../app.js';
import { principalOf } from '../auth/auth.plugin.js';
import { readFilter } from '../auth/principal.js';
import { ApiError, InvalidParameterError } from '../errors.js';
import { TileCache } from './tile-cache.js';
import { TILE_LAYERS, createTilesRepository, surveyTileLayer, type TileLayer } from './tiles.repository.js';

const LAYER_IDS = [...TILE_LAYERS.map((layer) => layer.id), 'survey-<year>'];

function findLayer(id: string): TileLayer {
  const survey = /^survey-(\d{4})$/.exec(id);
  if (survey) return surveyTileLayer(Number(survey[1]));
  const layer = TILE_LAYERS.find((candidate) => candidate.id === id);
  if (!layer) throw new ApiError(404, 'unknown_layer', `没有图层 ${id}；可用图层: ${LAYER_IDS.join(', ')}`, { parameter: 'layer' });
  return layer;
}

function originOf(request: { protocol: string; host: string }): string {
  return `${request.protocol}://${request.host}`;
}

export async function tilesRoutes(app: AppInstance): Promise<void> {
  const tiles = createTilesRepository(app.pool);

  app.get('/tiles/:layer.json', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['tiles'],
      summary: 'TileJSON 3.0 of a vector tile layer',
      params: Type.Object({ layer: Type.String({ description: LAYER_IDS.join(' | ') }) }),
    },
  }, async (request) => {
    const layer = findLayer(request.params.layer);
    return {
      tilejson: '3.0.0',
      name: layer.name,
      description: layer.description,
      scheme: 'xyz',
      tiles: [`${originOf(request)}/tiles/${layer.id}/{z}/{x}/{y}.pbf`],
      minzoom: layer.minzoom,
      maxzoom: layer.maxzoom,
      bounds: await tiles.bounds(layer),
      vector_layers: layer.vectorLayers.map((vectorLayer) => ({ ...vectorLayer, minzoom: layer.minzoom, maxzoom: layer.maxzoom })),
    };
  });

  app.get('/tiles/:layer/:z/:x/:y.pbf', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['tiles'],
      summary: 'Mapbox Vector Tile (ST_AsMVT), gzip when accepted',
      params: Type.Object({
        layer: Type.String({ description: LAYER_IDS.join(' | ') }),
        z: Type.Integer({ minimum: 0, maximum: 22 }),
        x: Type.Integer({ minimum: 0 }),
        y: Type.Integer({ minimum: 0 }),
      }),
    },
  }, async (request, reply) => {
    const { z, x, y } = request.params;
    const layer = findLayer(request.params.layer);
    const size = 2 ** z;
    if (x >= size) throw new InvalidParameterError('x', `参数 x 超出范围：第 ${z} 级的 x 应在 0–${size - 1} 之间`);
    if (y >= size) throw new InvalidParameterError('y', `参数 y 超出范围：第 ${z} 级的 y 应在 0–${size - 1} 之间`);
    if (z < layer.minzoom) return reply.code(204).send();

    const filter = readFilter(principalOf(request));
    const address = { layer: layer.id, z, x, y };
    // Tiles differ by the reader's districts, so the scope is part of the key.
    const key = TileCache.key(address, layer.scoped && filter ? filter.join(',') : 'all');
    let cached = app.tileCache.get(key);
    reply.header('X-Tile-Cache', cached ? 'hit' : 'miss');
    if (!cached) {
      cached = TileCache.encode(await tiles.tile(layer, z, x, y, filter));
      app.tileCache.set(key, address, cached);
    }
    if (cached.body.length === 0) return reply.code(204).send();
    // Tiles depend on the reader's scope: private, and revalidated (ETag) rather than trusted.
    reply.header('ETag', cached.etag).header('Cache-Control', 'private, no-cache').header('Vary', 'Accept-Encoding, Cookie');
    if (request.headers['if-none-match'] === cached.etag) return reply.code(304).send();
    reply.type('application/vnd.mapbox-vector-tile');
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      return reply.header('Content-Encoding', 'gzip').send(cached.gzipped);
    }
    return reply.send(cached.body);
  });
}
