import { MAX_INPUT_VERTICES } from '../../domain/geometry-input.validation.js';

/**
 * Why a check body is refused, as values (terra-draw's validations): the checks service returns
 * them, server/errors.ts turns them into the 400 that names the problem and where it is.
 */
export const CHECK_TOO_MANY_VERTICES = 'too_many_vertices';
export const CHECK_UNKNOWN_RULE_SET = 'unknown_rule_set';
export const CHECK_GEOMETRY_UNREADABLE = 'geometry_unreadable';
export const CHECK_GEOMETRY_INVALID = 'geometry_invalid';
export const CHECK_BOUNDARY_TOO_LARGE = 'boundary_too_large';
export const CHECK_BOUNDARY_EMPTY = 'boundary_empty';

/** Vertices accepted in one check body, all its geometries together (a 成片改造区域 drawn by hand has hundreds): the same cap as one geometry. */
export const MAX_VERTICES = MAX_INPUT_VERTICES;
/** Largest boundary accepted: 100 km² (a 成片改造区域 is a few km² at most). */
export const MAX_AREA_M2 = 100_000_000;

/** `where` is the body's field at fault: `boundary`, `fragments.features[i]`, `ruleSet`… */
export type CheckInputProblem =
  | { ok: false; reason: typeof CHECK_TOO_MANY_VERTICES; where: string; vertices: number }
  | { ok: false; reason: typeof CHECK_UNKNOWN_RULE_SET; where: string; ruleSet: string; ruleSetVersion: number | null; known: string[] }
  | { ok: false; reason: typeof CHECK_GEOMETRY_UNREADABLE; where: string; detail: string }
  | { ok: false; reason: typeof CHECK_GEOMETRY_INVALID; where: string; geosReason: string }
  | { ok: false; reason: typeof CHECK_BOUNDARY_TOO_LARGE; where: 'boundary'; areaM2: number }
  | { ok: false; reason: typeof CHECK_BOUNDARY_EMPTY; where: 'boundary' };

/** A check step's answer: its value, or the problem that stops the check. */
export type CheckStep<T> = ({ ok: true } & T) | CheckInputProblem;

/**
 * GEOS validity reasons (`ST_IsValidReason`) in Chinese, with what to do. The most specific
 * pattern first: "Ring Self-intersection" also matches /Self-intersection/.
 */
export function geosReasonInChinese(reason: string): string {
  if (/Ring Self-intersection/i.test(reason)) return '环自相交：环在一个折点处与自身相接，请移开该折点或把它拆成两个多边形';
  if (/Self-intersection/i.test(reason)) return '边界自相交：请移动交叉处的折点，使边线不相交';
  if (/Too few points/i.test(reason)) return '环的点数不足（至少 4 个点且首尾相同）';
  if (/Hole lies outside shell/i.test(reason)) return '洞在外环之外';
  if (/Nested shells/i.test(reason)) return '多边形互相嵌套';
  if (/Interior is disconnected/i.test(reason)) return '洞把多边形切成了不相连的部分';
  if (/Duplicate Rings/i.test(reason)) return '有重复的环';
  return '图形无效';
}
