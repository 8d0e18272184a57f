import {
  EFFICIENCY_STATUSES,
  EVALUATION_GRADES,
  INEFFICIENCY_TYPES,
  REDEVELOPMENT_INTENTS,
} from '@domain/efficiency.js';
import { INDUSTRY_CODES } from '@domain/industry-codes.js';
import { LAND_USE_CODES } from '@domain/land-use.js';
import { PARCEL_CODE_LABELS, PARCEL_FIELDS, PARK_SIDES, type ParcelField, type ParcelKey } from '@domain/parcel-fields.js';
import { PAST_DATES } from '@domain/parcel-card-validation.js';
import { editableParcelFields } from '@domain/permissions.js';
import type { ParcelDetail, ParcelPatch } from './parcels.api.js';

/** How one attribute is edited. Fractions are typed as percentages, as officials read them. */
export type EditorInput = 'text' | 'note' | 'number' | 'percent' | 'date' | 'boolean' | 'select';

export interface EditorOption {
  value: string;
  label: string;
}

export interface EditorField {
  key: ParcelKey;
  label: string;
  group: ParcelField['group'];
  input: EditorInput;
  unit?: string;
  decimals: number;
  options?: EditorOption[];
  /** A select that also takes a code not in the list (e.g. an industry class the list lacks). */
  allowCreate?: boolean;
  /** Null is not a value the server accepts (every parcel has a 效率状态). */
  required?: boolean;
  /** The range the server accepts, in the input's units (percent for fractions). */
  min?: number;
  max?: number;
  /** Longest text the server accepts. */
  maxLength?: number;
  /** A date of something that has happened: the picker offers no day after today. */
  past?: boolean;
  /** The range in words, under the input ("0 – 100", "最多 500 字"). */
  hint?: string;
}

/** A value in the form: what the input shows (percent for fractions), null when empty. */
export type EditorValue = string | number | boolean | null;
export type EditorValues = Partial<Record<ParcelKey, EditorValue>>;

function codeOptions(list: Readonly<Record<string, string>>): EditorOption[] {
  return Object.entries(list).map(([value, name]) => ({ value, label: `${value} ${name}` }));
}

/** Choices of the enum attributes, with the Chinese labels the card shows. */
export function optionsOf(key: ParcelKey): EditorOption[] | undefined {
  switch (key) {
    case 'status':
      return EFFICIENCY_STATUSES.map(({ code, label }) => ({ value: code, label }));
    case 'inefficiencyType':
      return INEFFICIENCY_TYPES.map(({ code, label }) => ({ value: code, label }));
    case 'redevelopmentIntent':
      return REDEVELOPMENT_INTENTS.map(({ code, label }) => ({ value: code, label }));
    case 'evaluationGrade':
      return EVALUATION_GRADES.map((grade) => ({ value: grade, label: `${grade} 级` }));
    case 'landUseCode':
      return codeOptions(LAND_USE_CODES);
    case 'industryCode':
      return codeOptions(INDUSTRY_CODES);
    case 'parkSide':
      return PARK_SIDES.map(({ code, label }) => ({ value: code, label }));
    default:
      // 低效用地类别, 填报单位, 低效居住类型: the field list's labelled codes.
      return PARCEL_CODE_LABELS[key]?.map(({ code, label }) => ({ value: code, label }));
  }
}

function inputOf(field: ParcelField): EditorInput {
  if (optionsOf(field.key)) return 'select';
  switch (field.kind) {
    case 'number':
      return 'number';
    case 'fraction':
      return 'percent';
    case 'date':
      return 'date';
    case 'boolean':
      return 'boolean';
    default:
      return (field.patch?.maxLength ?? 0) >= 500 ? 'note' : 'text';
  }
}

/** The range of a figure as the form shows it: percent for fractions, grouped digits. */
function rangeOf(field: ParcelField): Pick<EditorField, 'min' | 'max' | 'maxLength' | 'hint'> {
  const limits = field.patch ?? {};
  if (field.kind === 'fraction') return { min: 0, max: 100, hint: '0 – 100%' };
  if (field.kind === 'number') {
    const min = limits.minimum;
    const max = limits.maximum;
    const unit = field.unit ? ` ${field.unit}` : '';
    return { min, max, hint: min !== undefined && max !== undefined ? `${min.toLocaleString('zh-CN')} – ${max.toLocaleString('zh-CN')}${unit}` : undefined };
  }
  if (field.kind === 'text' && limits.maxLength) return { maxLength: limits.maxLength };
  return {};
}

/**
 * The attributes the role may change, in card order (geometry is drawn on the map, not typed, so
 * it is not among them). The server checks the same table and answers 403 for anything else.
 */
export function editorFields(role: string): EditorField[] {
  const editable = new Set<string>(editableParcelFields(role));
  return PARCEL_FIELDS.filter((field) => editable.has(field.key)).map((field) => ({
    key: field.key,
    label: field.label,
    group: field.group,
    input: inputOf(field),
    unit: field.kind === 'fraction' ? '%' : field.unit,
    decimals: field.decimals ?? 2,
    options: optionsOf(field.key),
    allowCreate: field.key === 'industryCode' || undefined,
    required: field.key === 'status' || undefined,
    past: (PAST_DATES as readonly string[]).includes(field.key) || undefined,
    ...rangeOf(field),
  }));
}

/** Rounds away binary noise (0.452 × 100 = 45.2, not 45.199999999999996). */
function rounded(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}

function formValue(field: EditorField, value: unknown): EditorValue {
  if (value === null || value === undefined) return null;
  switch (field.input) {
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    case 'percent':
      return rounded(Number(value) * 100, field.decimals + 2);
    case 'boolean':
      return Boolean(value);
    case 'date':
      return String(value).slice(0, 10);
    default:
      return String(value);
  }
}

/** The form as it opens: the card's values (nothing for a restricted parcel, whose values are hidden). */
export function initialValues(fields: readonly EditorField[], parcel: ParcelDetail | null): EditorValues {
  const values: EditorValues = {};
  for (const field of fields) {
    values[field.key] = parcel && !parcel.restricted ? formValue(field, parcel[field.key]) : null;
  }
  return values;
}

/** A form value as the API takes it (percent → fraction, empty text → null). */
export function apiValue(field: EditorField, value: EditorValue): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? null : text;
  }
  if (field.input === 'percent' && typeof value === 'number') return rounded(value / 100, field.decimals + 4);
  return value;
}

function sameValue(left: EditorValue | undefined, right: EditorValue | undefined): boolean {
  const normalise = (value: EditorValue | undefined) => (typeof value === 'string' ? value.trim() || null : value ?? null);
  return normalise(left) === normalise(right);
}

/** Keys whose value differs from what the form opened with. */
export function changedKeys(fields: readonly EditorField[], initial: EditorValues, current: EditorValues): ParcelKey[] {
  return fields.filter((field) => !sameValue(initial[field.key], current[field.key])).map((field) => field.key);
}

/**
 * The PATCH body: only what the user changed, in API units (percent back to 0–1), plus the
 * version the form started from so a save made in between is not silently overwritten.
 * The fields are the editable ones of the field list the patch schema is built from, so the keys
 * are the schema's; values typed by the user are checked by the server (400 names the field).
 */
export function parcelChange(
  fields: readonly EditorField[],
  initial: EditorValues,
  current: EditorValues,
  expectedVersion: number,
): ParcelPatch {
  const change: Record<string, string | number | boolean | null> = {};
  for (const key of changedKeys(fields, initial, current)) {
    const field = fields.find((candidate) => candidate.key === key)!;
    change[key] = apiValue(field, current[key] ?? null);
  }
  change.expectedVersion = expectedVersion;
  return change as ParcelPatch;
}

/** One field of a 409 stale_version, as the editor shows it side by side. */
export interface ConflictRow {
  key: string;
  label: string;
  /** When the form opened. */
  base: string;
  /** Saved by someone else meanwhile. */
  theirs: string;
  /** What this user typed, or null when the user left the field alone. */
  yours: string | null;
  /** Both changed it: the user must choose. */
  clash: boolean;
}

function shownValue(field: EditorField | undefined, value: unknown): string {
  if (value === null || value === undefined || value === '') return '（空）';
  if (!field) return String(value);
  const shown = formValue(field, value);
  if (shown === null) return '（空）';
  if (typeof shown === 'boolean') return shown ? '是' : '否';
  const option = field.options?.find((candidate) => candidate.value === shown);
  if (option) return option.label;
  const unit = field.input === 'percent' ? '%' : field.unit ? ` ${field.unit}` : '';
  return `${shown}${unit}`;
}

/**
 * The rows of a stale-version conflict: each field someone else changed since the form opened,
 * with its value then, theirs now, and this user's where the user changed it too (`clash`).
 */
export function conflictRows(
  fields: readonly EditorField[],
  conflict: { fields: readonly { key: string; base?: unknown; theirs?: unknown; yours?: unknown }[] },
): ConflictRow[] {
  return conflict.fields.map((entry) => {
    const field = fields.find((candidate) => candidate.key === entry.key) ?? editorFields('admin').find((candidate) => candidate.key === entry.key);
    const label = field?.label ?? PARCEL_FIELDS.find((candidate) => candidate.key === entry.key)?.label ?? (entry.key === 'geometry' ? '图形' : entry.key);
    const mine = 'yours' in entry;
    return {
      key: entry.key,
      label,
      base: shownValue(field, entry.base),
      theirs: shownValue(field, entry.theirs),
      yours: mine ? shownValue(field, entry.yours) : null,
      clash: mine,
    };
  });
}
