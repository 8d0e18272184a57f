import { gunzipSync } from 'node:zlib';
import { ErrorBody } from '../../domain/api/common.schemas.js';
import { NoContent } from '../../domain/api/auth.schemas.js';
import { TileCacheCleared, TileJson, TileLayerParams, TileParams, VectorTileBody } from '../../domain/api/tiles.schemas.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import { ApiError, InvalidParameterError } from '../errors.js';
import { TILE_LAYERS, surveyTileLayer, type TileLayer } from './tiles.repository.js';
import { POLYGON_MINZOOM } from './tiles.sql.js';

const LAYER_IDS = [...TILE_LAYERS.map((layer) => layer.id), 'survey-<year>'];

function findLayer(id: string): TileLayer {
  const survey = /^survey-(\d{4})$/.exec(id);
  if (survey) return surveyTileLayer(Number(survey[1]));
  const layer = TILE_LAYERS.find((candidate) => candidate.id === id);
  if (!layer) throw new ApiError(404, 'unknown_layer', `没有图层 ${id}；可用图层: ${LAYER_IDS.join(', ')}`, { parameter: 'layer' });
  return layer;
}

export async function tilesRoutes(app: AppInstance): Promise<void> {
  const tiles = app.tiles;
  // PUBLIC_URL when configured, else root-relative: a request's Host header is never echoed (it
  // could point a reader's browser, or a cache in between, at a host of an attacker's choosing).
  const tileBase = `${app.settings.publicUrl ?? ''}/tiles`;

  app.get('/tiles/:layer.json', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['tiles'],
      summary: 'TileJSON 3.0 of a vector tile layer',
      description: `Parcels and 图斑 are polygons from z${POLYGON_MINZOOM}; below, the same tiles carry an aggregate grid (source layers \`cells\`, \`survey_cells\`).`,
      params: TileLayerParams,
      response: { 200: TileJson, 404: ErrorBody },
    },
  }, async (request) => {
    const layer = findLayer(request.params.layer);
    return {
      tilejson: '3.0.0' as const,
      name: layer.name,
      description: layer.description,
      scheme: 'xyz' as const,
      tiles: [`${tileBase}/${layer.id}/{z}/{x}/{y}.pbf`],
      minzoom: layer.minzoom,
      maxzoom: layer.maxzoom,
      bounds: await tiles.repository.bounds(layer),
      vector_layers: layer.vectorLayers,
    };
  });

  app.get('/tiles/:layer/:z/:x/:y.pbf', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['tiles'],
      summary: 'Mapbox Vector Tile (ST_AsMVT), gzip when accepted; never over the size cap (TILE_MAX_BYTES compressed)',
      params: TileParams,
      response: { 200: VectorTileBody, 204: NoContent, 304: NoContent, 400: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const { z, x, y } = request.params;
    const layer = findLayer(request.params.layer);
    const size = 2 ** z;
    if (x >= size) throw new InvalidParameterError('x', `参数 x 超出范围：第 ${z} 级的 x 应在 0–${size - 1} 之间`);
    if (y >= size) throw new InvalidParameterError('y', `参数 y 超出范围：第 ${z} 级的 y 应在 0–${size - 1} 之间`);
    if (z < layer.minzoom) return reply.code(204).send();

    const served = await tiles.get(layer, z, x, y, scopeOf(request));
    reply.header('X-Tile-Cache', served.source);
    // Thinned to fit the size cap: features kept / features in the tile.
    if (served.thinning) reply.header('X-Tile-Thinning', `${served.thinning.kept}/${served.thinning.of}`);
    const { tile } = served;
    if (tile.rawBytes === 0) return reply.code(204).send();
    // Tiles depend on the reader's scope: private, and revalidated (ETag) rather than trusted.
    reply.header('ETag', tile.etag).header('Cache-Control', 'private, no-cache').header('Vary', 'Accept-Encoding, Cookie');
    if (request.headers['if-none-match'] === tile.etag) return reply.code(304).send();
    reply.type('application/vnd.mapbox-vector-tile');
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      return reply.header('Content-Encoding', 'gzip').send(tile.gzipped);
    }
    return reply.send(gunzipSync(tile.gzipped));
  });

  app.delete('/api/admin/tile-cache', {
    config: { permission: 'tiles:manage' },
    schema: {
      tags: ['tiles'],
      summary: 'Empties the tile caches (memory of every server and the persistent cache)',
      response: { 200: TileCacheCleared },
    },
  }, async (request) => {
    const stored = await tiles.clear();
    await app.auditRepository.record({
      entity: 'tile_cache', entityId: '*', action: 'clear', actor: principalOf(request).username, requestId: request.id, before: { stored }, after: { stored: 0 },
    });
    return { stored };
  });
}
