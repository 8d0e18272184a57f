import { Type, type Static, type TNull, type TSchema, type TUnion } from 'typebox';

/**
 * Schemas shared by every capability's contract (`domain/api/<capability>.schemas.ts`). The server
 * validates requests and serialises responses with them and generates the OpenAPI document from
 * them; the client takes its types from the same schemas with `Static<>`, so both sides cannot
 * disagree on a shape.
 */

/** A string restricted to a list of codes (statuses, roles…), typed as the union of those codes. */
export function StringEnum<T extends string>(values: readonly T[], options: { description?: string } = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

/** A value or null, for response fields the survey may not have. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * A value or null in a request body, as one schema with `type: [type, 'null']` (and null among an
 * `enum`): with type coercion on, Ajv coerces only a value that matches none of the types, so null
 * stays null and 0, "" and false stay themselves. (A union would coerce in whichever branch comes
 * first: a number branch turns null into 0, a null branch turns 0 and false into null.) A schema
 * without a single `type` falls back to such a union, null first.
 */
export const NullFirst = <T extends TSchema>(schema: T): TUnion<[TNull, T]> => {
  const { type, enum: values } = schema as { type?: unknown; enum?: unknown[] };
  if (typeof type !== 'string') return Type.Union([Type.Null(), schema]);
  return Type.Unsafe({ ...schema, type: [type, 'null'], ...(values ? { enum: [...values, null] } : {}) }) as unknown as TUnion<[TNull, T]>;
};

/** Every 4xx/5xx body: a reason code, a message in Chinese that says what to do, and details. */
export const ErrorBody = Type.Object({
  error: Type.String({ description: 'reason code, e.g. invalid_parameter, out_of_scope, conflict' }),
  message: Type.String({ description: 'what was wrong and how to fix it' }),
  parameter: Type.Optional(Type.String({ description: 'the request field at fault' })),
}, { additionalProperties: true });

/**
 * [minLon, minLat, maxLon, maxLat] in degrees, EPSG:4490 (CGCS2000 ≈ WGS84). Typed as a 4-tuple
 * (the JSON schema says minItems/maxItems 4) so the browser hands it to MapLibre's `fitBounds` as is.
 */
export const BoundingBox = Type.Unsafe<[number, number, number, number]>(
  Type.Array(Type.Number(), { minItems: 4, maxItems: 4, description: '[minLon, minLat, maxLon, maxLat], EPSG:4490' }),
);
export type BoundingBox = Static<typeof BoundingBox>;

/**
 * Limits every request number and date carries, so that a value the database cannot hold is a 400
 * naming the field (Fastify's validation), never a PostgreSQL overflow answered with a 500.
 * Row ids are bigint, but a JavaScript number is exact only up to 2^53 − 1; versions are integer.
 */
export const MAX_ID = Number.MAX_SAFE_INTEGER;
export const MAX_INT4 = 2_147_483_647;
/** Far beyond any list (20 000 parcels at 500 a page is page 40); keeps page × pageSize exact. */
export const MAX_PAGE = 1_000_000;

/** A row id (bigint) in a path, a query or a body. */
export const Id = (options: { description?: string } = {}) => Type.Integer({ minimum: 1, maximum: MAX_ID, ...options });
/** A version number (integer column). */
export const VersionNumber = (options: { description?: string } = {}) => Type.Integer({ minimum: 1, maximum: MAX_INT4, ...options });
/** Page number of a list. */
export const PageNumber = Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1, description: `1–${MAX_PAGE}` });

/**
 * A calendar date (YYYY-MM-DD, a real day: 2024-02-30 is refused by the format) of the years
 * 1900–2999: 0000-01-01 does not exist in PostgreSQL and no record of this product is older.
 */
export const DateString = (options: { description?: string } = {}) =>
  Type.String({ format: 'date', pattern: '^(19|2[0-9])[0-9]{2}-', ...options, description: `${options.description ?? 'YYYY-MM-DD'}, 1900–2999` });
/** A timestamp (RFC 3339) of the years 1900–2999. */
export const DateTimeString = (options: { description?: string } = {}) =>
  Type.String({ format: 'date-time', pattern: '^(19|2[0-9])[0-9]{2}-', ...options });

/** A GeoJSON position [经度, 纬度] in degrees, EPSG:4490, within the ranges degrees can take. */
export const LonLat = Type.Tuple([
  Type.Number({ minimum: -180, maximum: 180, description: '经度' }),
  Type.Number({ minimum: -90, maximum: 90, description: '纬度' }),
]);
