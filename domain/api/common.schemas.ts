import { Type, type Static, type TSchema } from 'typebox';

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
 * A value or null in a request body. Null comes first: with type coercion on, a string, number or
 * boolean schema tried first turns null into "", 0 or false, and a cleared field would be stored so.
 */
export const NullFirst = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);

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
