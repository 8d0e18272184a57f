import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';

/**
 * JSON bodies nested deeper than this are refused before they are parsed. No body of the API needs
 * more than a dozen levels (a MultiPolygon inside a FeatureCollection is 8); a body nested 5 000
 * deep costs every later walk of it (validation, PostgreSQL's jsonb) a stack frame per level.
 */
export const MAX_JSON_DEPTH = 64;

export const JSON_TOO_DEEP = 'too_deep';
export const JSON_NUL_CHARACTER = 'nul_character';

/**
 * What makes a JSON text unfit before it is parsed, in one pass outside and inside strings: nesting
 * deeper than `limit`, or the escape \u0000 (PostgreSQL text cannot hold the NUL character, so a
 * value carrying it would fail at the database instead of here).
 */
export function jsonBodyProblem(text: string, limit = MAX_JSON_DEPTH): typeof JSON_TOO_DEEP | typeof JSON_NUL_CHARACTER | null {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) {
        if (text.startsWith('u0000', index + 1)) return JSON_NUL_CHARACTER;
        index++; // the escaped character
      } else if (code === 0x22) {
        inString = false;
      }
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > limit) return JSON_TOO_DEEP;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return null;
}

const MESSAGES = {
  [JSON_TOO_DEEP]: `请求体的 JSON 嵌套超过 ${MAX_JSON_DEPTH} 层：请检查生成请求的程序 / JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
  [JSON_NUL_CHARACTER]: '请求体的文本中含有 NUL 字符（\\u0000），无法保存：请删除该字符后重试 / text must not contain \\u0000',
};

/**
 * The first value of a request that is a number but not a finite one, by its path (`id`,
 * `figures.totalFloorArea`, `parcels.3`). JSON cannot carry Infinity, but Fastify's validation
 * coerces the text "Infinity" or "1e309" in a path, a query or a body string to Infinity and then
 * skips the number's minimum and maximum (an Ajv quirk), so the value would reach PostgreSQL.
 */
export function nonFiniteNumberAt(value: unknown, path = ''): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path || '(body)';
  if (value === null || typeof value !== 'object' || !containsNonFinite(value)) return null;
  // Found: walk again, this time building the path (only down the branch that holds it).
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = nonFiniteNumberAt(value[index], path ? `${path}.${index}` : String(index));
      if (found) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const found = nonFiniteNumberAt((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}

/**
 * Whether a parsed value holds a non-finite number anywhere: an explicit stack and plain loops, no
 * path strings and no arrays of entries, because a 2 MB geometry body holds hundreds of thousands of
 * numbers and this runs on the event loop every request shares (the first version, building a path
 * for every number, stalled the whole server for ~0.3 s per such body).
 */
function containsNonFinite(root: object): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        const item: unknown = value[index];
        if (typeof item === 'number') {
          if (item - item !== 0) return true; // Infinity - Infinity and NaN - NaN are NaN
        } else if (item !== null && typeof item === 'object') {
          stack.push(item);
        }
      }
    } else if (value !== null && typeof value === 'object') {
      for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        const item: unknown = (value as Record<string, unknown>)[key];
        if (typeof item === 'number') {
          if (item - item !== 0) return true;
        } else if (item !== null && typeof item === 'object') {
          stack.push(item);
        }
      }
    }
  }
  return false;
}

/**
 * Limits on every request, before any route sees it: the JSON body checks above in Fastify's own
 * JSON parser (prototype-poisoning checks kept), and no non-finite number in the validated params,
 * query or body.
 */
export function registerRequestLimits(app: FastifyInstance): void {
  const largeBodies = new WeakSet<object>();
  app.addHook('preHandler', async (request) => {
    if (largeBodies.has(request)) await turn();
    for (const part of [request.params, request.query, request.body]) {
      const parameter = nonFiniteNumberAt(part);
      if (parameter) {
        throw new ApiError(400, 'invalid_parameter', `参数 ${parameter} 无效：数值超出范围（如 Infinity、1e309），请给出普通大小的数 / not a finite number`, { parameter });
      }
    }
  });
  const parse = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    const problem = jsonBodyProblem(text);
    if (problem) {
      done(new ApiError(400, 'invalid_parameter', MESSAGES[problem], { parameter: '(body)', reason: problem }), undefined);
      return;
    }
    if (text.length < LARGE_BODY_CHARS) {
      parse(request, text, done);
      return;
    }
    // A large body: the scan, the parse and the walk each in a turn of the event loop of its own, so
    // that eight geometry bodies arriving together do not hold health and tiles for the sum of all.
    largeBodies.add(request);
    void turn().then(() => parse(request, text, done));
  });
}

/** Bodies from this size on are handled in separate turns of the event loop (a 100 000-vertex polygon is ~2.5 MB). */
const LARGE_BODY_CHARS = 256 * 1024;

/** Lets the event loop answer what is waiting (I/O of other requests) before going on. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
