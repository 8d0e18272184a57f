import { Type, type Static } from 'typebox';
import { MERGE_CONDITION_KEYS, MERGE_MAX_PARCELS, SPLIT_MAX_PARTS } from '../parcel-lineage.js';
import { Id, LonLat, Nullable, StringEnum } from './common.schemas.js';
import { ExpectedVersion, MultiPolygon, ParcelDetail, ParcelVersionRef } from './parcels.schemas.js';

/**
 * The contract of split (土地分割) and merge (并宗) of parcels. The parcels a split or merge retires
 * leave `parcels` for the archive (retired_parcels); GET /api/parcels/:id answers 410 for them,
 * naming their successors, and GET /api/parcels/:id/lineage tells both ways.
 */

const ParcelCode = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\x00-\\x1f]+$', description: '宗地编号 (no control characters)' });
const Note = Type.String({ maxLength: 500, description: '说明, e.g. the approval (批准文号) the operation follows' });

export const LineString = Type.Object({
  type: Type.Literal('LineString'),
  coordinates: Type.Array(LonLat, { minItems: 2, maxItems: 1000 }),
}, { additionalProperties: false, description: 'GeoJSON LineString, EPSG:4490 [经度, 纬度]; starts and ends outside the parcel' });
export type LineString = Static<typeof LineString>;

export const SplitPreviewBody = Type.Object({
  line: LineString,
  codes: Type.Optional(Type.Array(ParcelCode, { minItems: 2, maxItems: SPLIT_MAX_PARTS, description: '各块的宗地编号 (default <原编号>-1, -2 …, west to east)' })),
}, { additionalProperties: false });
export type SplitPreviewBody = Static<typeof SplitPreviewBody>;

export const SplitBody = Type.Object({
  version: ExpectedVersion,
  line: LineString,
  codes: Type.Optional(Type.Array(ParcelCode, { minItems: 2, maxItems: SPLIT_MAX_PARTS, description: '各块的宗地编号 (default <原编号>-1, -2 …, west to east)' })),
  note: Type.Optional(Note),
}, { additionalProperties: false });
export type SplitBody = Static<typeof SplitBody>;

export const SplitPart = Type.Object({
  code: Type.String({ description: '宗地编号 of the part' }),
  areaM2: Type.Number({ description: '椭球面积, m² (CGCS2000)' }),
  registeredAreaM2: Nullable(Type.Number({ description: '土地面积(登记) share, m²: in proportion to the ellipsoidal areas' })),
  geometry: MultiPolygon,
});
export type SplitPart = Static<typeof SplitPart>;

export const SplitPreview = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  wholeM2: Type.Number({ description: '椭球面积 of the parcel, m²' }),
  sumM2: Type.Number({ description: 'sum of the parts\' 椭球面积, m² (equals wholeM2 within 0.01)' }),
  parts: Type.Array(SplitPart),
});
export type SplitPreview = Static<typeof SplitPreview>;

export const LineageParcel = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  retired: Type.Boolean({ description: 'retired since by a split or merge' }),
});
export type LineageParcel = Static<typeof LineageParcel>;

/** One split or merge: what it retired, what it made, who, when, why. */
export const LineageOperation = Type.Object({
  operationId: Type.Integer(),
  kind: StringEnum(['split', 'merge'] as const, { description: 'split 分割 / merge 合并 (并宗)' }),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  note: Nullable(Type.String()),
  parents: Type.Array(LineageParcel),
  children: Type.Array(LineageParcel),
});
export type LineageOperation = Static<typeof LineageOperation>;

export const SplitResult = Type.Object({
  operation: LineageOperation,
  wholeM2: Type.Number(),
  sumM2: Type.Number(),
  parcels: Type.Array(ParcelDetail, { description: 'the parts, as new parcels' }),
});
export type SplitResult = Static<typeof SplitResult>;

export const MergeCheckBody = Type.Object({
  ids: Type.Array(Id(), { minItems: 2, maxItems: MERGE_MAX_PARCELS, uniqueItems: true, description: 'the parcels to merge (2 or more)' }),
}, { additionalProperties: false });
export type MergeCheckBody = Static<typeof MergeCheckBody>;

export const MergeConditionSchema = Type.Object({
  key: StringEnum(MERGE_CONDITION_KEYS),
  label: Type.String(),
  pass: Type.Boolean(),
  message: Type.String({ description: 'what was found: why it fails, or what the parcels share' }),
  parcels: Type.Array(Type.String(), { description: '宗地编号 of the parcels at fault' }),
});

export const MergeCandidateSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  version: Type.Integer(),
  owner: Nullable(Type.String()),
  ownershipNature: Nullable(Type.String()),
  landUseCode: Nullable(Type.String()),
  districtCode: Type.String(),
  districtName: Type.String(),
  areaM2: Type.Number(),
});

export const MergeCheck = Type.Object({
  pass: Type.Boolean({ description: 'every 并宗 condition holds' }),
  conditions: Type.Array(MergeConditionSchema),
  source: Type.String({ description: 'the text the conditions come from' }),
  parcels: Type.Array(MergeCandidateSchema),
  sumM2: Type.Number({ description: 'sum of the parcels\' 椭球面积, m²' }),
});
export type MergeCheck = Static<typeof MergeCheck>;

export const MergeBody = Type.Object({
  parcels: Type.Array(ParcelVersionRef, { minItems: 2, maxItems: MERGE_MAX_PARCELS, description: 'the parcels and the versions the merge started from' }),
  code: Type.Optional(ParcelCode),
  note: Type.Optional(Note),
}, { additionalProperties: false });
export type MergeBody = Static<typeof MergeBody>;

export const MergeResult = Type.Object({
  operation: LineageOperation,
  sumM2: Type.Number({ description: 'sum of the merged parcels\' 椭球面积, m²' }),
  parcel: ParcelDetail,
  differences: Type.Array(Type.Object({
    key: Type.String(),
    taken: Type.Unknown(),
    values: Type.Array(Type.Object({ code: Type.String(), value: Type.Unknown() })),
  }), { description: 'attributes that differed among the merged parcels: the merged one took the largest parcel\'s value' }),
});
export type MergeResult = Static<typeof MergeResult>;

/** Where a parcel came from and what it became. */
export const ParcelLineage = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  retired: Type.Boolean(),
  successors: Type.Array(LineageParcel, { description: 'live parcels it became (transitively); empty while live' }),
  origin: Nullable(LineageOperation),
  end: Nullable(LineageOperation),
});
export type ParcelLineage = Static<typeof ParcelLineage>;
