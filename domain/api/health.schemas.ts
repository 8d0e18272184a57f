import { Type, type Static } from 'typebox';

/** `GET /api/health`: the database and PostGIS versions the server runs on. */
export const Health = Type.Object({ status: Type.Literal('ok'), database: Type.String(), postgis: Type.String() });
export type Health = Static<typeof Health>;
