import { Type, type Static } from 'typebox';
import { STOCK_LIST_KIND_CODES } from '../legacy-land.js';
import { Nullable, StringEnum } from './common.schemas.js';

/** 两库一清单's configurable lists (历史遗留用地发生时期, 问题类别): each version kept with its source. */
export const StockListItem = Type.Object({
  code: Type.String({ pattern: '^[a-z0-9_]{1,40}$', description: 'stable code (lower-case letters, digits, _)' }),
  label: Type.String({ minLength: 1, maxLength: 60 }),
  note: Type.Optional(Type.String({ maxLength: 300 })),
}, { additionalProperties: false });

export const StockListKindParams = Type.Object({ kind: StringEnum(STOCK_LIST_KIND_CODES, { description: 'legacy_period 发生时期 / problem_category 问题类别' }) });
export type StockListKindParams = Static<typeof StockListKindParams>;

export const StockList = Type.Object({
  kind: Type.String(),
  version: Type.Integer(),
  items: Type.Array(StockListItem),
  source: Type.String({ description: 'where the list comes from (document and passage)' }),
  localRule: Type.Boolean({ description: 'true where the seed documents are silent and the list is a local rule' }),
  note: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type StockList = Static<typeof StockList>;

export const StockListVersions = Type.Object({ current: StockList, versions: Type.Array(StockList) });
export type StockListVersions = Static<typeof StockListVersions>;

/** A new version of a list: codes used by records must stay (a record keeps the version it chose from, too). */
export const StockListRevision = Type.Object({
  items: Type.Array(StockListItem, { minItems: 1, maxItems: 50 }),
  source: Type.String({ minLength: 1, maxLength: 1000 }),
  localRule: Type.Boolean(),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false });
export type StockListRevision = Static<typeof StockListRevision>;
