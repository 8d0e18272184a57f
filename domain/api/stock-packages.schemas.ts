import { Type, type Static } from 'typebox';
import { DISTRICT_CODE_PATTERN } from '../districts.js';
import { PACKAGE_ITEM_KIND_CODES, PACKAGE_STATUS_CODES } from '../stock-packages.js';
import { Id, Nullable, PageNumber, StringEnum } from './common.schemas.js';

/** 底数上图入库成果包 (issue 18 item 4): a district's 两库一清单 as a dated, frozen package. */

/** An area as official figures give it: ellipsoidal m² (2 decimals), 公顷 and 亩 (4 decimals). */
export const AreaFigures = Type.Object({
  areaM2: Type.Number({ description: '椭球面积 (CGCS2000), m²' }),
  areaHa: Type.Number({ description: '公顷' }),
  areaMu: Type.Number({ description: '亩' }),
});
export type AreaFigures = Static<typeof AreaFigures>;

export const PackageGroup = Type.Intersect([
  Type.Object({ code: Type.String(), label: Type.String(), count: Type.Integer() }),
  AreaFigures,
]);
export type PackageGroup = Static<typeof PackageGroup>;

export const PackageSummary = Type.Object({
  parcels: Type.Intersect([Type.Object({ count: Type.Integer(), byCategory: Type.Array(PackageGroup), byStatus: Type.Array(PackageGroup) }), AreaFigures]),
  legacy: Type.Intersect([Type.Object({ count: Type.Integer(), byStatus: Type.Array(PackageGroup), byPeriod: Type.Array(PackageGroup) }), AreaFigures]),
  problems: Type.Object({
    count: Type.Integer(),
    overdue: Type.Integer({ description: '逾期 as of the package date (办结时限 before it, not 办结)' }),
    byStatus: Type.Array(Type.Object({ code: Type.String(), label: Type.String(), count: Type.Integer() })),
    byDepartment: Type.Array(Type.Object({ code: Type.String(), label: Type.String(), count: Type.Integer() })),
  }),
});
export type PackageSummary = Static<typeof PackageSummary>;

export const PackageStep = Type.Object({
  from: Nullable(Type.String()),
  to: Type.String(),
  toLabel: Type.String(),
  reason: Nullable(Type.String()),
  actor: Type.String(),
  actorName: Type.String(),
  at: Type.String({ format: 'date-time' }),
});

export const StockPackage = Type.Object({
  id: Type.Integer(),
  districtCode: Type.String(),
  districtName: Type.String(),
  version: Type.Integer({ description: '第几版 (per district)' }),
  asOf: Type.String({ format: 'date', description: '数据截至日期' }),
  title: Type.String(),
  status: StringEnum(PACKAGE_STATUS_CODES),
  statusLabel: Type.String(),
  statusAt: Type.String({ format: 'date-time' }),
  previousId: Nullable(Type.Integer()),
  assembledAt: Type.String({ format: 'date-time' }),
  assembledBy: Type.String(),
  consent: Nullable(Type.Object({
    documentNo: Type.String({ description: '文号' }),
    date: Type.String({ format: 'date' }),
    note: Nullable(Type.String()),
    fileName: Type.String(),
    mediaType: Type.String(),
    byteSize: Type.Integer(),
    url: Type.String({ description: 'GET it for the document' }),
  })),
  reviewRemarks: Nullable(Type.String()),
  parcelCount: Type.Integer(),
  legacyCount: Type.Integer(),
  problemCount: Type.Integer(),
  parcelAreaM2: Type.Number(),
  legacyAreaM2: Type.Number(),
  nextStatuses: Type.Array(StringEnum(PACKAGE_STATUS_CODES), { description: 'the steps the state machine allows from here (whoever may take them)' }),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type StockPackage = Static<typeof StockPackage>;

export const StockPackageDetail = Type.Intersect([StockPackage, Type.Object({
  summary: PackageSummary,
  steps: Type.Array(PackageStep),
})]);
export type StockPackageDetail = Static<typeof StockPackageDetail>;

export const StockPackageList = Type.Object({ items: Type.Array(StockPackage) });
export type StockPackageList = Static<typeof StockPackageList>;

export const StockPackageListQuery = Type.Object({
  district: Type.Optional(Type.String({ pattern: DISTRICT_CODE_PATTERN, description: '区县 or city code' })),
  status: Type.Optional(StringEnum(PACKAGE_STATUS_CODES)),
}, { additionalProperties: false });
export type StockPackageListQuery = Static<typeof StockPackageListQuery>;

export const StockPackageParams = Type.Object({ id: Id() });
export type StockPackageParams = Static<typeof StockPackageParams>;

export const StockPackageCreate = Type.Object({
  districtCode: Type.String({ pattern: '^[0-9]{6}$', description: '区县 code' }),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
}, { additionalProperties: false });
export type StockPackageCreate = Static<typeof StockPackageCreate>;

/** A step with its reason (报区政府, 区政府未同意, 提交市局). */
export const StockPackageStepBody = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: 4000 })),
}, { additionalProperties: false });
export type StockPackageStepBody = Static<typeof StockPackageStepBody>;

export const StockPackageReview = Type.Object({
  decision: StringEnum(['approved', 'returned'] as const, { description: 'approved 通过 / returned 退回' }),
  remarks: Type.Optional(Type.String({ maxLength: 4000, description: '审核意见 (required when 退回)' })),
}, { additionalProperties: false });
export type StockPackageReview = Static<typeof StockPackageReview>;

export const StockPackageItemsQuery = Type.Object({
  kind: StringEnum(PACKAGE_ITEM_KIND_CODES),
  page: Type.Optional(PageNumber),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
}, { additionalProperties: false });
export type StockPackageItemsQuery = Static<typeof StockPackageItemsQuery>;

export const StockPackageItem = Type.Object({
  kind: StringEnum(PACKAGE_ITEM_KIND_CODES),
  itemId: Type.Integer(),
  key: Type.String({ description: '宗地编号 / 遗留用地编号 / 问题编号' }),
  label: Nullable(Type.String({ description: '权利人 / 名称 / 问题' })),
  areaM2: Nullable(Type.Number()),
  fields: Type.Record(Type.String(), Type.Unknown(), { description: 'the record as it stood (column names)' }),
});
export type StockPackageItem = Static<typeof StockPackageItem>;

export const StockPackageItems = Type.Object({ items: Type.Array(StockPackageItem), total: Type.Integer() });
export type StockPackageItems = Static<typeof StockPackageItems>;

export const StockPackageCompareQuery = Type.Object({
  with: Type.Optional(Id({ description: 'the earlier package; default the one this one follows' })),
}, { additionalProperties: false });
export type StockPackageCompareQuery = Static<typeof StockPackageCompareQuery>;

export const FieldChange = Type.Object({
  field: Type.String({ description: 'column name, or geometry' }),
  label: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
});
export type FieldChange = Static<typeof FieldChange>;

export const PackageDifference = Type.Object({
  kind: StringEnum(PACKAGE_ITEM_KIND_CODES),
  change: StringEnum(['added', 'removed', 'changed'] as const),
  itemId: Type.Integer(),
  key: Type.String(),
  label: Nullable(Type.String()),
  areaBeforeM2: Nullable(Type.Number()),
  areaAfterM2: Nullable(Type.Number()),
  fields: Type.Array(FieldChange),
});
export type PackageDifference = Static<typeof PackageDifference>;

export const StockPackageComparison = Type.Object({
  from: Type.Object({ id: Type.Integer(), version: Type.Integer(), asOf: Type.String(), status: Type.String() }),
  to: Type.Object({ id: Type.Integer(), version: Type.Integer(), asOf: Type.String(), status: Type.String() }),
  counts: Type.Array(Type.Object({ kind: Type.String(), kindLabel: Type.String(), added: Type.Integer(), removed: Type.Integer(), changed: Type.Integer() })),
  differences: Type.Array(PackageDifference),
  truncated: Type.Boolean({ description: 'more differences than listed (the counts are complete)' }),
});
export type StockPackageComparison = Static<typeof StockPackageComparison>;
