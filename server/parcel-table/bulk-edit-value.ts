import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { ParcelPatch } from '../../domain/api/parcels.schemas.js';
import { PARCEL_FIELDS } from '../../domain/parcel-fields.js';
import { parcelFieldLabel } from '../../domain/permissions.js';
import { InvalidParameterError } from '../errors.js';

type Validator = ReturnType<typeof Compile<TSchema>>;
const validators = new Map<string, Validator>();

/** What a field takes, in words (from its PATCH limits), for the refusal of a bad value. */
function limitsText(key: string): string {
  const field = PARCEL_FIELDS.find((candidate) => candidate.key === key);
  const limits = field?.patch ?? {};
  const parts: string[] = [];
  if (limits.codes) parts.push(`取值之一：${limits.codes.join('、')}`);
  else if (field?.kind === 'number' || field?.kind === 'fraction') parts.push('数字');
  else if (field?.kind === 'date') parts.push('日期 YYYY-MM-DD');
  else if (field?.kind === 'boolean') parts.push('是/否 (true/false)');
  if (limits.minimum !== undefined && limits.maximum !== undefined) parts.push(`${limits.minimum}–${limits.maximum}${field?.kind === 'fraction' ? '（比例 0–1）' : ''}`);
  if (limits.maxLength !== undefined) parts.push(`最多 ${limits.maxLength} 个字`);
  if (limits.pattern) parts.push(`格式 ${limits.pattern}`);
  if (limits.nullable === false) parts.push('不能清空');
  return parts.join('，');
}

/**
 * Refuses a bulk edit's value that an edit of the field (PATCH) would refuse: the same schema, the
 * field's own limits; the message names the field and what it takes.
 */
export function assertBulkEditValue(key: string, value: unknown): void {
  let validator = validators.get(key);
  if (!validator) {
    const schema = (ParcelPatch.properties as unknown as Record<string, TSchema>)[key];
    validator = Compile(schema);
    validators.set(key, validator);
  }
  if (!validator.Check(value)) {
    throw new InvalidParameterError('value', `“${parcelFieldLabel(key)}”的值 ${JSON.stringify(value)} 不合要求：应为${limitsText(key)}。请改正后再批量修改。`);
  }
}
