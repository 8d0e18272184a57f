import { Type, type Static, type TSchema } from 'typebox';
import { PARCEL_FIELDS, parcelFieldDescription, type ParcelField, type ParcelKey } from '../parcel-fields.js';
import { EDITABLE_PARCEL_KEYS } from '../permissions.js';
import { BoundingBox, Id, LonLat, Nullable, StringEnum, VersionNumber } from './common.schemas.js';
import { ExportFilters } from './exports.schemas.js';

/**
 * The attribute table (属性表, issue 15 item 2): the reader's parcels as rows of every field,
 * filtered, sorted, searched and summed over the filter, read in windows by offset for a virtualised
 * table; and the bulk edit of one field over a selection. Only the reader's districts are rows.
 */

/** Fields a range filter and the footer's sums and averages apply to: figures and dates. */
export const TABLE_NUMBER_KEYS = PARCEL_FIELDS.filter((field) => field.kind === 'number' || field.kind === 'fraction').map((field) => field.key);
export const TABLE_DATE_KEYS = PARCEL_FIELDS.filter((field) => field.kind === 'date').map((field) => field.key);
export const TABLE_RANGE_KEYS: readonly ParcelKey[] = [...TABLE_NUMBER_KEYS, ...TABLE_DATE_KEYS];
/** Every field sorts; the parcel id breaks ties so windows never overlap. */
export const TABLE_SORT_KEYS: readonly ParcelKey[] = PARCEL_FIELDS.map((field) => field.key);

/** Most rows one window returns (the table asks for a few hundred around what is on screen). */
export const MAX_TABLE_WINDOW = 1000;
/** Most parcels one bulk edit changes: above it the request is refused, asking to narrow the selection. */
export const MAX_BULK_EDIT = 5000;
/** Longest search text. */
export const MAX_SEARCH_LENGTH = 100;

const RangeBound = Type.Union([Type.Number(), Type.String({ pattern: '^(19|2[0-9])[0-9]{2}-[01][0-9]-[0-3][0-9]$' })]);

export const TableRange = Type.Object({
  key: StringEnum(TABLE_RANGE_KEYS, { description: 'a figure or date field (TABLE_RANGE_KEYS)' }),
  min: Type.Optional(RangeBound),
  max: Type.Optional(RangeBound),
}, { additionalProperties: false, description: 'min ≤ value ≤ max (either may be left out); figures as numbers (fractions 0–1), dates as YYYY-MM-DD' });
export type TableRange = Static<typeof TableRange>;

export const TablePolygon = Type.Object({
  type: Type.Literal('Polygon'),
  coordinates: Type.Array(Type.Array(LonLat, { minItems: 4, maxItems: 2000 }), { minItems: 1, maxItems: 1 }),
}, { description: 'a box or lasso drawn on the map, GeoJSON in EPSG:4490: parcels it meets' });
export type TablePolygon = Static<typeof TablePolygon>;

/** Which parcels: the exports' filter keys (district, 街道/园区, status, type, 低效用地类别, land use) and the table's own. */
export const ParcelTableFilter = Type.Object({
  // The exports' keys, as the exports define them (one filter for both: server/exports/parcel-filter.sql.ts).
  district: ExportFilters.properties.district,
  townOrPark: ExportFilters.properties.townOrPark,
  status: ExportFilters.properties.status,
  type: ExportFilters.properties.type,
  category: ExportFilters.properties.category,
  landUse: ExportFilters.properties.landUse,
  industry: Type.Optional(Type.String({ pattern: '^[A-T][0-9]{0,4}$', description: '国民经济行业分类 code or its prefix (C, C34)' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_SEARCH_LENGTH, description: 'text in 宗地编号, 土地使用权人, 坐落, 出让合同号 or 不动产权证号 (case-insensitive, any part)' })),
  ranges: Type.Optional(Type.Array(TableRange, { maxItems: 20 })),
  polygon: Type.Optional(TablePolygon),
  bbox: ExportFilters.properties.bbox,
}, { additionalProperties: false });
export type ParcelTableFilter = Static<typeof ParcelTableFilter>;

export const TableSort = Type.Object({
  key: StringEnum(TABLE_SORT_KEYS, { description: 'any field' }),
  direction: StringEnum(['asc', 'desc'] as const),
}, { additionalProperties: false });
export type TableSort = Static<typeof TableSort>;

/** Most ids one list returns: the rows a table lists at once (beyond it the user narrows the filter). */
export const MAX_TABLE_IDS = 200_000;

export const ParcelTableRowsRequest = Type.Object({
  filter: Type.Optional(ParcelTableFilter),
  sort: Type.Optional(TableSort),
  offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0, description: 'rows to skip in the sorted, filtered list' }),
  limit: Type.Integer({ minimum: 1, maximum: MAX_TABLE_WINDOW, default: 200 }),
  ids: Type.Optional(Type.Array(Id(), {
    maxItems: MAX_TABLE_WINDOW,
    description: 'these parcels, in this order (a window of the id list of /table/ids); filter, sort and offset are then not used, the scope is',
  })),
}, { additionalProperties: false });

/** The filtered parcels' ids in table order, read once per filter and sort: the table then reads windows of rows by id. */
export const ParcelTableIdsRequest = Type.Object({
  filter: Type.Optional(ParcelTableFilter),
  sort: Type.Optional(TableSort),
  limit: Type.Integer({ minimum: 1, maximum: MAX_TABLE_IDS, default: MAX_TABLE_IDS }),
}, { additionalProperties: false });
export type ParcelTableIdsRequest = Static<typeof ParcelTableIdsRequest>;

export const ParcelTableIds = Type.Object({
  ids: Type.Array(Type.Integer()),
  truncated: Type.Boolean({ description: 'more parcels match than the limit: narrow the filter' }),
});
export type ParcelTableIds = Static<typeof ParcelTableIds>;
export type ParcelTableRowsRequest = Static<typeof ParcelTableRowsRequest>;

function valueSchema(field: ParcelField): TSchema {
  const description = parcelFieldDescription(field);
  if (field.kind === 'boolean') return Nullable(Type.Boolean({ description }));
  if (field.kind === 'number' || field.kind === 'fraction') return Nullable(Type.Number({ description }));
  return Nullable(Type.String({ description }));
}

/** One row: every field (null where not recorded), the parcel's version for edits and its box to fly to. */
export const ParcelTableRow = Type.Object({
  id: Type.Integer(),
  version: VersionNumber({ description: 'the version a bulk edit states it started from' }),
  bbox: BoundingBox,
  districtName: Type.String(),
  ...Object.fromEntries(PARCEL_FIELDS.map((field) => [field.key, valueSchema(field)])),
});
export type ParcelTableRow = { id: number; version: number; bbox: [number, number, number, number]; districtName: string } & Record<ParcelKey, string | number | boolean | null>;

export const ParcelTableRows = Type.Object({
  offset: Type.Integer(),
  items: Type.Array(ParcelTableRow),
});
export type ParcelTableRows = { offset: number; items: ParcelTableRow[] };

export const ParcelTableSummaryRequest = Type.Object({ filter: Type.Optional(ParcelTableFilter) }, { additionalProperties: false });
export type ParcelTableSummaryRequest = Static<typeof ParcelTableSummaryRequest>;

export const FieldAggregate = Type.Object({
  key: Type.String(),
  count: Type.Integer({ description: 'rows with a value' }),
  sum: Nullable(Type.Number()),
  avg: Nullable(Type.Number()),
  min: Nullable(Type.Number()),
  max: Nullable(Type.Number()),
});
export type FieldAggregate = Static<typeof FieldAggregate>;

/** The filtered rows as a whole: how many, their extent, and each figure's count, sum, average, min and max. */
export const ParcelTableSummary = Type.Object({
  count: Type.Integer(),
  extent: Nullable(BoundingBox),
  fields: Type.Array(FieldAggregate),
});
export type ParcelTableSummary = Static<typeof ParcelTableSummary>;

export const BULK_EDIT_KEYS = EDITABLE_PARCEL_KEYS.filter((key) => key !== 'geometry');

export const BulkEditRequest = Type.Object({
  field: StringEnum(BULK_EDIT_KEYS, { description: 'the one field to set (PARCEL_FIELD_ACTIONS says which role may)' }),
  // Any JSON value here (no coercion: 1.75 must stay a number, '2024' a text), checked against the field's PATCH schema.
  value: Type.Unknown({ description: 'the new value (string, number, boolean or null), checked as an edit (PATCH) of the field checks it; null clears it' }),
  parcels: Type.Array(Type.Object({ id: Id(), version: VersionNumber() }, { additionalProperties: false }), {
    minItems: 1, description: `the selection, each with the version it was read at; at most ${MAX_BULK_EDIT}`,
  }),
  reason: Type.Optional(Type.String({ maxLength: 500, description: 'why, kept on the audit entry' })),
}, { additionalProperties: false });
export type BulkEditRequest = Static<typeof BulkEditRequest>;

export const BulkEditResult = Type.Object({
  field: Type.String(),
  updated: Type.Integer(),
  auditId: Type.Integer({ description: 'the audit entry of the batch' }),
});
export type BulkEditResult = Static<typeof BulkEditResult>;
