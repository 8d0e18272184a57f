/** Geometry shapes the API answers carry (districts' and parcels' extents and boundaries). */
export type { BoundingBox } from '@domain/api/common.schemas.js';
export type { MultiPolygon } from '@domain/api/parcels.schemas.js';
