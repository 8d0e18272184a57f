/**
 * The figures of a district (or of a city over its districts) as `GET /api/districts/{code}/stats`
 * answers them: the server computes them, the client shows them, both take this one shape from the
 * contract schema.
 */
export type { DistrictStats, StatusFigure, TypeFigure } from './api/districts.schemas.js';
