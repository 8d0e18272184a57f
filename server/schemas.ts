import { Type } from 'typebox';

/** A string restricted to a list of codes (statuses, roles…), typed as the union of those codes. */
export function StringEnum<T extends string>(values: readonly T[], options: { description?: string } = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}
