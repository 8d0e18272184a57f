import { Type, type Static } from 'typebox';

/**
 * `GET /api/health`: whether the server and its database answer, for anyone (load balancers,
 * monitoring); the exact PostgreSQL and PostGIS (GEOS, PROJ) versions only for administrators,
 * since they tell an attacker which known flaws to try.
 */
export const Health = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Optional(Type.String({ description: 'version() of PostgreSQL (administrators only)' })),
  postgis: Type.Optional(Type.String({ description: 'postgis_full_version(): PostGIS, GEOS, PROJ… (administrators only)' })),
});
export type Health = Static<typeof Health>;
