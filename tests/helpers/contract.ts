import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Fails when a real response body does not match the shared contract schema (domain/api/*.schemas.ts)
 * that the client takes its types from: the test that keeps client and server in agreement.
 * The error lists every mismatch with its path, so a drifted field is named.
 */
export function assertMatchesContract(schema: TSchema, body: unknown, what = 'response'): void {
  if (Value.Check(schema, body)) return;
  const problems = [...Value.Errors(schema, body)].slice(0, 10).map((error) => `${error.instancePath || '(root)'}: ${error.message}`);
  throw new Error(`${what} does not match its contract schema:\n  ${problems.join('\n  ')}`);
}
