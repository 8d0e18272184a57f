import { Type, type Static } from 'typebox';
import { Nullable } from './common.schemas.js';

/** `GET /api/settings`: what the client needs before login (basemap, city). */
export const ClientSettings = Type.Object({
  basemapUrl: Nullable(Type.String()),
  cityCode: Type.String(),
  cityName: Type.String(),
});
export type ClientSettings = Static<typeof ClientSettings>;
