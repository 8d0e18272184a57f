import { PARCEL_FIELDS, parcelFieldDescription, type ParcelField } from './parcel-fields.js';

/**
 * What an edit of the 一宗一卡 may hold beyond each field's own limits (PARCEL_FIELD_DEFINITIONS
 * `patch`): dates in the order things happen, nothing that has happened dated in the future,
 * parts no larger than the whole. The server checks an edit against the parcel as it will be (the
 * stored values of the fields the edit leaves alone included); a rule is enforced only when the
 * edit touches one of its fields, so an old inconsistency never blocks an unrelated correction.
 */

export interface ParcelValueProblem {
  /** API key of the field to fix (one the edit changed). */
  field: string;
  /** What is wrong and how to fix it, Chinese first. */
  message: string;
}

type Values = Readonly<Record<string, unknown>>;

function fieldOf(key: string): ParcelField | undefined {
  return PARCEL_FIELDS.find((field) => field.key === key);
}

function labelOf(key: string): string {
  return fieldOf(key)?.label ?? key;
}

function trim(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}

/**
 * What a field accepts, in words (for the 400 of a value the contract refuses): "容积率 应为 0 到 100
 * 之间的数", "约定建筑密度 应为 0% 到 100%（接口中为 0–1 的小数）"…
 */
export function parcelFieldRule(key: string): string | undefined {
  const field = fieldOf(key);
  if (!field?.patch) return undefined;
  const { minimum, maximum, maxLength, codes, pattern } = field.patch;
  const name = parcelFieldDescription(field);
  const clear = field.patch.nullable === false ? '' : '；留空请传 null';
  switch (field.kind) {
    case 'fraction':
      return `${name} 应为 0% 到 100% 之间的比例，接口中写作 0 到 1 的小数（如 45% 写 0.45）${clear}`;
    case 'number':
      return `${name} 应为 ${trim(minimum ?? 0)} 到 ${trim(maximum ?? Number.MAX_SAFE_INTEGER)} 之间的有限数字（不能为负数、NaN 或无穷大）${clear}`;
    case 'date':
      return `${name} 应为 YYYY-MM-DD 格式的有效日期（1900–2999 年，如 2021-06-30）${clear}`;
    case 'boolean':
      return `${name} 应为 true（是）或 false（否）${clear}`;
    default:
      if (codes) return `${name} 应为以下之一：${codes.join('、')}${clear}`;
      if (key === 'industryCode') return `${name} 应为 GB/T 4754 行业代码：门类字母 A–T 加最多 4 位数字（如 C34、C3411）${clear}`;
      if (pattern) return `${name} 的格式应符合 ${pattern}${clear}`;
      return `${name} 应为文字${maxLength ? `，最多 ${maxLength} 个字` : ''}${clear}`;
  }
}

/** The message of a refused field value: which field, what it takes, what to do. */
export function parcelFieldRefusal(key: string): string | undefined {
  const rule = parcelFieldRule(key);
  return rule ? `字段 ${key}（${labelOf(key)}）的值无效：${rule}。请改正后重试。` : undefined;
}

/** Dates in the order a parcel's life runs: 土地取得 → 竣工 → 投产 → 停产 (each where present). */
const LIFE_ORDER = ['landAcquiredAt', 'completionDate', 'productionStart', 'productionStop'] as const;
/** Further pairs [earlier, later] that must hold. */
const DATE_PAIRS: readonly (readonly [string, string])[] = [
  ['landAcquiredAt', 'agreedCompletionDate'],
];
/** Dates of what has happened: not after today. (约定竣工时间 is a promise and may lie ahead.) */
export const PAST_DATES = ['landAcquiredAt', 'completionDate', 'productionStart', 'productionStop'] as const;

function dateOf(values: Values, key: string): string | null {
  const value = values[key];
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
}

function numberOf(values: Values, key: string): number | null {
  const value = values[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Today as YYYY-MM-DD in China Standard Time (UTC+8), the calendar the forms are dated in. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Problems of a parcel's values as the edit would leave them (`values`: the stored parcel with the
 * edit applied), reported only for rules that involve a field of `changed`.
 */
export function parcelValueProblems(values: Values, changed: readonly string[], today: string = todayInChina()): ParcelValueProblem[] {
  const touched = new Set(changed);
  const problems: ParcelValueProblem[] = [];
  const blame = (keys: readonly string[]) => keys.find((key) => touched.has(key));

  const pairs: (readonly [string, string])[] = [...DATE_PAIRS];
  for (let i = 0; i < LIFE_ORDER.length; i++) {
    for (let j = i + 1; j < LIFE_ORDER.length; j++) pairs.push([LIFE_ORDER[i], LIFE_ORDER[j]]);
  }
  for (const [earlierKey, laterKey] of pairs) {
    const field = blame([laterKey, earlierKey]);
    if (!field) continue;
    const earlier = dateOf(values, earlierKey);
    const later = dateOf(values, laterKey);
    if (earlier && later && later < earlier) {
      problems.push({
        field,
        message: `${labelOf(laterKey)}（${later}）早于${labelOf(earlierKey)}（${earlier}）：${labelOf(laterKey)}应不早于${labelOf(earlierKey)}，请核对这两个日期后重试。`
          + ` / ${laterKey} must not be before ${earlierKey}.`,
      });
    }
  }
  for (const key of PAST_DATES) {
    const date = dateOf(values, key);
    if (touched.has(key) && date && date > today) {
      problems.push({ field: key, message: `${labelOf(key)}（${date}）晚于今天（${today}）：已发生的事项不能填写将来的日期，请改为实际日期或留空。 / ${key} must not be in the future.` });
    }
  }
  const undeveloped = numberOf(values, 'undevelopedAreaM2');
  const [wholeKey, whole] = numberOf(values, 'registeredAreaM2') !== null
    ? ['registeredAreaM2', numberOf(values, 'registeredAreaM2')!] as const
    : ['areaM2', numberOf(values, 'areaM2')] as const;
  const areaField = blame(['undevelopedAreaM2', 'registeredAreaM2']);
  // 1 % above the whole is tolerated: a registered area and the drawn one differ by survey precision.
  if (areaField && undeveloped !== null && whole !== null && undeveloped > whole * 1.01) {
    problems.push({
      field: areaField,
      message: `未开发建设土地面积（${trim(undeveloped)} m²）大于${labelOf(wholeKey)}（${trim(whole)} m²）：未开发部分不能超过宗地面积，请核对面积后重试。 / undevelopedAreaM2 exceeds ${wholeKey}.`,
    });
  }
  return problems;
}
