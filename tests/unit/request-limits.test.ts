import { describe, expect, it } from 'vitest';
import { JSON_NUL_CHARACTER, JSON_TOO_DEEP, MAX_JSON_DEPTH, jsonBodyProblem } from '../../server/request-limits.js';

describe('jsonBodyProblem (issue 12, item 6: JSON nested 5 000 deep)', () => {
  it('accepts ordinary bodies, brackets inside strings and escaped quotes', () => {
    expect(jsonBodyProblem(JSON.stringify({ boundary: { type: 'Polygon', coordinates: [[[118.1, 24.5], [118.2, 24.5], [118.2, 24.6], [118.1, 24.5]]] } }))).toBeNull();
    expect(jsonBodyProblem(JSON.stringify({ name: '['.repeat(1000) + '"\\' }))).toBeNull();
    expect(jsonBodyProblem('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBeNull();
  });

  it('refuses nesting past the limit, of arrays and of objects', () => {
    expect(jsonBodyProblem('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1))).toBe(JSON_TOO_DEEP);
    expect(jsonBodyProblem('{"a":'.repeat(5000) + '1' + '}'.repeat(5000))).toBe(JSON_TOO_DEEP);
  });

  it('refuses the NUL escape PostgreSQL text cannot hold, but not an escaped backslash before u0000', () => {
    expect(jsonBodyProblem(JSON.stringify({ owner: 'a\u0000b' }))).toBe(JSON_NUL_CHARACTER);
    expect(jsonBodyProblem(JSON.stringify({ owner: '\\u0000' }))).toBeNull();
  });
});
