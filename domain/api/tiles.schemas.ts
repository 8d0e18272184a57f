import { Type, type Static } from 'typebox';
import { BoundingBox } from './common.schemas.js';

export const TileLayerParams = Type.Object({ layer: Type.String({ description: 'districts | parcels | areas | survey-<year>' }) });
export type TileLayerParams = Static<typeof TileLayerParams>;

export const TileParams = Type.Object({
  layer: Type.String({ description: 'districts | parcels | areas | survey-<year>' }),
  z: Type.Integer({ minimum: 0, maximum: 22 }),
  // At most 2^22 − 1, the last column and row of zoom 22; the route checks them against z.
  x: Type.Integer({ minimum: 0, maximum: 4_194_303 }),
  y: Type.Integer({ minimum: 0, maximum: 4_194_303 }),
});
export type TileParams = Static<typeof TileParams>;

/** TileJSON 3.0 of a vector tile layer (what MapLibre reads). */
export const TileJson = Type.Object({
  tilejson: Type.Literal('3.0.0'),
  name: Type.String(),
  description: Type.String(),
  scheme: Type.Literal('xyz'),
  tiles: Type.Array(Type.String()),
  minzoom: Type.Integer(),
  maxzoom: Type.Integer(),
  bounds: BoundingBox,
  vector_layers: Type.Array(Type.Object({
    id: Type.String(),
    description: Type.String(),
    fields: Type.Record(Type.String(), Type.String()),
    minzoom: Type.Integer(),
    maxzoom: Type.Integer(),
  })),
});
export type TileJson = Static<typeof TileJson>;

/** A Mapbox Vector Tile (binary; gzip when accepted), or no content for an empty tile. */
export const VectorTileBody = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description: 'application/vnd.mapbox-vector-tile' });

export const TileCacheCleared = Type.Object({ stored: Type.Integer({ description: 'tiles deleted from the persistent cache' }) });
export type TileCacheCleared = Static<typeof TileCacheCleared>;

export const GlyphParams = Type.Object({
  fontstack: Type.String({ description: 'e.g. Noto Sans Regular' }),
  range: Type.String({ pattern: '^[0-9]+-[0-9]+$', description: 'e.g. 0-255' }),
});
export type GlyphParams = Static<typeof GlyphParams>;

/** Glyph PBF (signed distance fields), empty for a range that is not generated. */
export const GlyphsBody = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description: 'application/x-protobuf' });
