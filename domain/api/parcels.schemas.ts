import { Type, type Static, type TBoolean, type TNull, type TNumber, type TOptional, type TSchema, type TString, type TUnion, type TUnsafe } from 'typebox';
import { DISTRICT_CODE_PATTERN } from '../districts.js';
import { EFFICIENCY_STATUS_CODES, INEFFICIENCY_TYPE_CODES } from '../efficiency.js';
import { PARCEL_FIELD_DEFINITIONS, PARCEL_FIELDS, parcelFieldDescription, type ParcelField } from '../parcel-fields.js';
import { visibleOutOfScope, type OutOfScopeParcelKey } from '../scope-visibility.js';

import { BoundingBox, DateString, Id, NullFirst, Nullable, PageNumber, StringEnum } from './common.schemas.js';

/**
 * The parcels contract. The detail and patch shapes are built from the field list
 * (`PARCEL_FIELD_DEFINITIONS`): kind → JSON type, label and unit → description, `required` and the
 * out-of-scope list → nullability, `patch` → what an edit may send. A new attribute is a line in the
 * field list (and a column in a migration), not an edit here.
 */

type Definition = (typeof PARCEL_FIELD_DEFINITIONS)[number];

type ValueSchema<Field> = Field extends { kind: 'boolean' } ? TBoolean : Field extends { kind: 'number' | 'fraction' } ? TNumber : TString;

/** Null in a detail unless the column is NOT NULL and an out-of-scope reader sees it too. */
type DetailSchema<Field> = Field extends { required: true; key: OutOfScopeParcelKey } ? ValueSchema<Field> : TUnion<[ValueSchema<Field>, TNull]>;

type PatchValueSchema<Field> = Field extends { patch: { codes: readonly (infer Code extends string)[] } } ? TUnsafe<Code> : ValueSchema<Field>;
type PatchSchema<Field> = TOptional<Field extends { patch: { nullable: false } } ? PatchValueSchema<Field> : TUnion<[TNull, PatchValueSchema<Field>]>>;

type DetailProperties = { [Field in Definition as Field['key']]: DetailSchema<Field> };
type PatchProperties = { [Field in Definition as Field extends { patch: object } ? Field['key'] : never]: PatchSchema<Field> };

function valueSchema(field: ParcelField): TSchema {
  const description = parcelFieldDescription(field);
  if (field.kind === 'boolean') return Type.Boolean({ description });
  if (field.kind === 'number' || field.kind === 'fraction') return Type.Number({ description });
  return Type.String({ description });
}

function detailSchema(field: ParcelField): TSchema {
  const value = valueSchema(field);
  return field.required && visibleOutOfScope(field.key) ? value : Nullable(value);
}

function patchSchema(field: ParcelField): TSchema {
  const limits = field.patch ?? {};
  const description = parcelFieldDescription(field);
  const { codes, nullable: _nullable, ...bounds } = limits;
  let value: TSchema;
  if (codes) value = StringEnum(codes, { description });
  else if (field.kind === 'boolean') value = Type.Boolean({ description });
  else if (field.kind === 'number' || field.kind === 'fraction') value = Type.Number({ description, ...bounds });
  else if (field.kind === 'date') value = DateString({ description });
  else value = Type.String({ description, ...bounds });
  return Type.Optional(limits.nullable === false ? value : NullFirst(value));
}

const detailProperties = Object.fromEntries(PARCEL_FIELDS.map((field) => [field.key, detailSchema(field)])) as unknown as DetailProperties;
const patchProperties = Object.fromEntries(PARCEL_FIELDS.filter((field) => field.patch).map((field) => [field.key, patchSchema(field)])) as unknown as PatchProperties;

export const MultiPolygon = Type.Object({
  type: Type.Literal('MultiPolygon'),
  coordinates: Type.Array(Type.Array(Type.Array(Type.Array(Type.Number())))),
}, { description: 'GeoJSON, EPSG:4490' });
export type MultiPolygon = Static<typeof MultiPolygon>;

/** 一宗一卡: every attribute of one parcel; outside the reader's districts only OUT_OF_SCOPE_PARCEL_KEYS are filled. */
export const ParcelDetail = Type.Object({
  id: Type.Integer(),
  ...detailProperties,
  districtName: Type.String(),
  bbox: BoundingBox,
  geometry: MultiPolygon,
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Nullable(Type.String()),
  version: Type.Integer({ minimum: 1, description: '版本: raised by one on every change; an edit states the version it started from (expectedVersion or If-Match)' }),
  restricted: Type.Boolean({ description: 'outside the reader\'s 管辖范围: only identity, land use, area and geometry are given' }),
});
export type ParcelDetail = Static<typeof ParcelDetail>;

/** The version a write started from (`ParcelDetail.version`); required, in the body or as `If-Match: "<version>"`. */
export const ExpectedVersion = Type.Integer({
  minimum: 1, maximum: 2_147_483_647,
  description: 'the parcel version the edit started from (ParcelDetail.version); a stale one is refused with 409 stale_version',
});

/** `If-Match: "<version>"`, the alternative to `expectedVersion` in the body (RFC 9110 entity tag). */
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ pattern: '^\\s*(W/)?"?[0-9]{1,10}"?\\s*$', description: 'the parcel version the edit started from, as the ETag of GET /api/parcels/{id} gave it' })),
});

/** The version an `If-Match` header names, or undefined without one. */
export function versionOfIfMatch(header: string | undefined): number | undefined {
  const digits = header?.match(/[0-9]+/)?.[0];
  const version = digits === undefined ? NaN : Number(digits);
  return Number.isSafeInteger(version) && version >= 1 && version <= 2_147_483_647 ? version : undefined;
}

/** A parcel and the version a write of it started from (bulk edit, split, merge). */
export const ParcelVersionRef = Type.Object({ id: Id({ description: 'parcel id' }), version: ExpectedVersion }, { additionalProperties: false });
export type ParcelVersionRef = Static<typeof ParcelVersionRef>;

/**
 * One parcel a write found changed since the version it started from: both versions, and each
 * field changed in between with its value at `yourVersion` (`base`), now (`theirs`) and in the
 * refused write (`yours`, when the write set it), so that the editor can show them side by side.
 */
export const VersionConflict = Type.Object({
  id: Type.Integer(),
  code: Nullable(Type.String({ description: '宗地编号, null when the parcel no longer exists' })),
  yourVersion: Type.Integer(),
  currentVersion: Nullable(Type.Integer({ description: 'null: the parcel no longer exists (retired by a split or merge)' })),
  updatedBy: Nullable(Type.String()),
  updatedAt: Nullable(Type.String({ format: 'date-time' })),
  fields: Type.Array(Type.Object({
    key: Type.String({ description: 'API key of the field, or geometry' }),
    base: Type.Unknown({ description: 'value at yourVersion' }),
    theirs: Type.Unknown({ description: 'value now' }),
    yours: Type.Optional(Type.Unknown({ description: 'value the refused write would have set' })),
  })),
});
export type VersionConflict = Static<typeof VersionConflict>;

/** The 409 of a stale write (error `stale_version`). */
export const StaleVersionBody = Type.Object({
  error: Type.Literal('stale_version'),
  message: Type.String(),
  parameter: Type.String(),
  conflicts: Type.Array(VersionConflict),
});
export type StaleVersionBody = Static<typeof StaleVersionBody>;

/** The 409 of a parcel edit: a stale version, or (issue 16) `case_open` — a 认定案卷 is open, its 认定 fields follow the case; or (issue 17) `reuse_open` — a 再利用项目 is open. */
export const ParcelEditConflictBody = Type.Union([StaleVersionBody, Type.Object({
  error: Type.Literal('case_open'),
  message: Type.String(),
  parameter: Type.Optional(Type.String()),
  caseNumber: Type.String({ description: '案卷编号 of the open case' }),
}), Type.Object({
  error: Type.Literal('reuse_open'),
  message: Type.String(),
  parameter: Type.Optional(Type.String()),
  projectNumber: Type.String({ description: '项目编号 of the open 再利用项目 (issue 17): 效率状态 follows it' }),
})]);

export const ParcelIdParams = Type.Object({ id: Id({ description: 'parcel id' }) });
export type ParcelIdParams = Static<typeof ParcelIdParams>;

/** Editable attributes; which role may change which is `PARCEL_FIELD_ACTIONS` in domain/permissions.ts. */
export const ParcelPatch = Type.Object({
  ...patchProperties,
  geometry: Type.Optional(Type.Object({
    type: StringEnum(['Polygon', 'MultiPolygon'] as const),
    coordinates: Type.Array(Type.Unknown()),
  }, { description: 'GeoJSON in EPSG:4490/4326; must lie in the parcel\'s district' })),
  expectedVersion: Type.Optional(ExpectedVersion),
}, { additionalProperties: false, minProperties: 1 });
export type ParcelPatch = Static<typeof ParcelPatch>;

export const ParcelListQuery = Type.Object({
  district: Type.Optional(Type.String({ pattern: DISTRICT_CODE_PATTERN, description: '行政区划代码 (city or district)' })),
  status: Type.Optional(StringEnum(EFFICIENCY_STATUS_CODES, { description: '效率状态' })),
  type: Type.Optional(StringEnum(INEFFICIENCY_TYPE_CODES, { description: '低效类型' })),
  page: PageNumber,
  pageSize: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
}, { additionalProperties: false });
export type ParcelListQuery = Static<typeof ParcelListQuery>;

export const ParcelListItem = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  owner: Nullable(Type.String()),
  districtCode: Type.String(),
  status: Type.String(),
  inefficiencyType: Nullable(Type.String()),
  areaM2: Type.Number(),
});
export type ParcelListItem = Static<typeof ParcelListItem>;

export const ParcelPage = Type.Object({ items: Type.Array(ParcelListItem), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });
export type ParcelPage = Static<typeof ParcelPage>;

export const ParcelHistoryEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  action: Type.String(),
  requestId: Nullable(Type.String()),
  changes: Type.Array(Type.Object({ key: Type.String({ description: 'API key of the field, or geometry' }), before: Type.Unknown(), after: Type.Unknown() })),
});
export type ParcelHistoryEntry = Static<typeof ParcelHistoryEntry>;

export const ParcelHistory = Type.Object({ items: Type.Array(ParcelHistoryEntry) });
export type ParcelHistory = Static<typeof ParcelHistory>;

export const ParcelsInBoxQuery = Type.Object({
  bbox: Type.String({ pattern: '^-?\\d+(\\.\\d+)?(,-?\\d+(\\.\\d+)?){3}$', description: 'minLon,minLat,maxLon,maxLat (at most 0.1° × 0.1°)' }),
  limit: Type.Integer({ minimum: 1, maximum: 5000, default: 3000 }),
}, { additionalProperties: false });
export type ParcelsInBoxQuery = Static<typeof ParcelsInBoxQuery>;

/** A parcel in a box; outside the reader's districts `status` and `type` are null (OUT_OF_SCOPE_PARCEL_KEYS). */
export const ParcelFeatureProperties = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  districtCode: Type.String(),
  areaM2: Type.Number({ description: 'm², ellipsoidal, to 0.01' }),
  status: Nullable(Type.String({ description: '效率状态' })),
  type: Nullable(Type.String({ description: '低效类型' })),
  restricted: Type.Boolean(),
});
export type ParcelFeatureProperties = Static<typeof ParcelFeatureProperties>;

export const ParcelFeatureCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  truncated: Type.Boolean({ description: 'the limit cut the list: fetch a smaller box' }),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    id: Type.Integer(),
    properties: ParcelFeatureProperties,
    geometry: MultiPolygon,
  })),
});
export type ParcelFeatureCollection = Static<typeof ParcelFeatureCollection>;
