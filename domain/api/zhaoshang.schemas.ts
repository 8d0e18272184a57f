import { Type, type Static } from 'typebox';
import {
  INQUIRY_EMAIL_PATTERN, INQUIRY_PHONE_PATTERN, LISTING_CHANGES, LISTING_STATES, INQUIRY_STATES, MAX_LISTING_PHOTOS, MESSAGE_TEXT_PATTERN,
  PLAIN_TEXT_PATTERN, SUPPLY_MODE_CODES,
} from '../zhaoshang.js';
import { BoundingBox, Id, LonLat, NullFirst, Nullable, PageNumber, StringEnum, VersionNumber } from './common.schemas.js';
import { MultiPolygon } from './parcels.schemas.js';

/**
 * 招商地图: the officials' listings and 意向 (/api/zhaoshang/…) and the public page's reads and its
 * 意向 form (/api/public/zhaoshang/…). The public schemas are the published set: the serializer
 * drops anything else, and tests/integration/zhaoshang-public.test.ts checks every public answer.
 */

const Line = (maxLength: number, minLength = 0, description?: string) =>
  Type.String({ minLength, maxLength, pattern: PLAIN_TEXT_PATTERN, ...(description ? { description } : {}) });
const Paragraph = (maxLength: number, description?: string) =>
  Type.String({ maxLength, pattern: MESSAGE_TEXT_PATTERN, ...(description ? { description } : {}) });
const ListingStateSchema = StringEnum(LISTING_STATES.map((state) => state.code));
const SupplyModeSchema = StringEnum(SUPPLY_MODE_CODES, { description: '供地方式: transfer 出让 / lease 租赁 / lease_then_transfer 先租后让 / cooperation 合作开发' });

/** What an official writes: the 规划条件 (规划用地要求) and the 专属招商方案, and the photos shown. */
const listingContentProperties = {
  title: Line(60, 1, '招商地块名称'),
  location: Type.Optional(NullFirst(Line(100, 0, '坐落（公开的位置描述）'))),
  plannedUse: Line(50, 1, '规划用途'),
  floorAreaRatioMin: Type.Optional(NullFirst(Type.Number({ minimum: 0, maximum: 20, description: '容积率下限' }))),
  floorAreaRatioMax: Type.Optional(NullFirst(Type.Number({ minimum: 0, maximum: 20, description: '容积率上限' }))),
  buildingDensityMax: Type.Optional(NullFirst(Type.Number({ minimum: 0, maximum: 100, description: '建筑密度上限, %' }))),
  heightLimitM: Type.Optional(NullFirst(Type.Number({ minimum: 0, maximum: 1000, description: '限高, m' }))),
  planningNotes: Type.Optional(NullFirst(Paragraph(500, '其他规划条件（绿地率、配套要求等）'))),
  targetIndustries: Type.Array(Line(30, 1), { minItems: 1, maxItems: 10, description: '目标产业' }),
  conditions: Type.Optional(NullFirst(Paragraph(1000, '招商条件（投资强度、亩均税收、产业准入等）'))),
  supplyMode: Type.Optional(NullFirst(SupplyModeSchema)),
  contactOrg: Line(60, 1, '招商单位'),
  contactName: Line(30, 1, '联系人'),
  contactPhone: Type.String({ maxLength: 30, pattern: INQUIRY_PHONE_PATTERN, description: '联系电话' }),
  contactEmail: Type.Optional(NullFirst(Type.String({ maxLength: 254, pattern: INQUIRY_EMAIL_PATTERN, description: '电子邮箱' }))),
  photoDocumentIds: Type.Optional(Type.Array(Id(), { maxItems: MAX_LISTING_PHOTOS, uniqueItems: true, description: '公开的现场照片：该地块“照片”类档案的编号' })),
};

export const ListingCreate = Type.Object({ parcelId: Id({ description: '地块（已认定的闲置低效用地）' }), ...listingContentProperties }, { additionalProperties: false });
export type ListingCreate = Static<typeof ListingCreate>;

export const ListingUpdate = Type.Object({ version: VersionNumber({ description: '修改所依据的版本' }), ...listingContentProperties }, { additionalProperties: false });
export type ListingUpdate = Static<typeof ListingUpdate>;

export const ListingPublish = Type.Object({ version: VersionNumber({ description: '发布的版本（当前版本）' }) }, { additionalProperties: false });
export type ListingPublish = Static<typeof ListingPublish>;

export const ListingWithdraw = Type.Object({
  version: VersionNumber(),
  reason: Line(200, 1, '撤回原因（如：已签约、规划调整）'),
}, { additionalProperties: false });
export type ListingWithdraw = Static<typeof ListingWithdraw>;

export const ListingParams = Type.Object({ id: Id() });
export const ListingQuery = Type.Object({
  district: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: '行政区划代码' })),
}, { additionalProperties: false });
export type ListingQuery = Static<typeof ListingQuery>;

const contentResponse = {
  title: Type.String(),
  location: Nullable(Type.String()),
  plannedUse: Type.String(),
  floorAreaRatioMin: Nullable(Type.Number()),
  floorAreaRatioMax: Nullable(Type.Number()),
  buildingDensityMax: Nullable(Type.Number()),
  heightLimitM: Nullable(Type.Number()),
  planningNotes: Nullable(Type.String()),
  targetIndustries: Type.Array(Type.String()),
  conditions: Nullable(Type.String()),
  supplyMode: Nullable(SupplyModeSchema),
  contactOrg: Type.String(),
  contactName: Type.String(),
  contactPhone: Type.String(),
  contactEmail: Nullable(Type.String()),
  photoDocumentIds: Type.Array(Type.Integer()),
  areaM2: Type.Number({ description: '椭球面积 (CGCS2000), m²' }),
  areaMu: Type.Number({ description: '亩 (1 亩 = 10000/15 m²)' }),
};

/** A listing as officials see it: its current version, what is public, and who changed it. */
export const Listing = Type.Object({
  id: Type.Integer(),
  parcelId: Type.Integer(),
  parcelCode: Nullable(Type.String({ description: '宗地编号 (null when the parcel was retired)' })),
  districtCode: Type.String(),
  districtName: Type.String(),
  state: ListingStateSchema,
  version: Type.Integer(),
  publishedVersion: Nullable(Type.Integer()),
  unpublishedChanges: Type.Boolean({ description: 'published, and edited since: the public still sees the published version' }),
  ...contentResponse,
  publishedAt: Nullable(Type.String({ format: 'date-time' })),
  publishedBy: Nullable(Type.String()),
  withdrawnAt: Nullable(Type.String({ format: 'date-time' })),
  withdrawalReason: Nullable(Type.String()),
  updatedBy: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
  newInquiries: Type.Integer({ description: '待处理的意向' }),
  bbox: BoundingBox,
});
export type Listing = Static<typeof Listing>;

export const ListingList = Type.Object({ items: Type.Array(Listing) });
export type ListingList = Static<typeof ListingList>;

export const ListingVersion = Type.Object({
  version: Type.Integer(),
  change: StringEnum(LISTING_CHANGES.map((change) => change.code)),
  state: ListingStateSchema,
  ...contentResponse,
  note: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type ListingVersion = Static<typeof ListingVersion>;
export const ListingVersionList = Type.Object({ items: Type.Array(ListingVersion) });
export type ListingVersionList = Static<typeof ListingVersionList>;

/** An identified idle plot without a listing yet, for an official to list. */
export const ListingCandidate = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  districtCode: Type.String(),
  districtName: Type.String(),
  location: Nullable(Type.String()),
  plannedFunction: Nullable(Type.String()),
  areaM2: Type.Number(),
  areaMu: Type.Number(),
  photoCount: Type.Integer({ description: '“照片”类档案数' }),
});
export type ListingCandidate = Static<typeof ListingCandidate>;
export const ListingCandidateList = Type.Object({ items: Type.Array(ListingCandidate) });
export type ListingCandidateList = Static<typeof ListingCandidateList>;

// 意向 (inquiries).

/** The public form. `website` is a field people never see (a trap for form-filling robots): leave it empty. */
export const InquiryCreate = Type.Object({
  listingId: Type.Optional(NullFirst(Id({ description: '意向地块（招商地图上的地块编号）；不填为不限地块' }))),
  name: Type.String({ minLength: 1, maxLength: 30, pattern: '^[^\\x00-\\x1f\\x7f]*[^\\s\\x00-\\x1f\\x7f][^\\x00-\\x1f\\x7f]*$', description: '联系人' }),
  company: Type.Optional(NullFirst(Line(100, 0, '单位名称'))),
  phone: Type.String({ maxLength: 30, pattern: INQUIRY_PHONE_PATTERN, description: '联系电话' }),
  email: Type.Optional(NullFirst(Type.String({ maxLength: 254, pattern: `(^$)|(${INQUIRY_EMAIL_PATTERN})`, description: '电子邮箱' }))),
  industry: Type.String({ minLength: 1, maxLength: 50, pattern: '^[^\\x00-\\x1f\\x7f]*[^\\s\\x00-\\x1f\\x7f][^\\x00-\\x1f\\x7f]*$', description: '意向产业' }),
  message: Type.Optional(NullFirst(Paragraph(1000, '留言'))),
  website: Type.Optional(Type.String({ maxLength: 200, description: '留空 / leave empty' })),
}, { additionalProperties: false });
export type InquiryCreate = Static<typeof InquiryCreate>;

export const InquiryReceipt = Type.Object({
  reference: Type.String({ description: '意向编号' }),
  message: Type.String(),
});
export type InquiryReceipt = Static<typeof InquiryReceipt>;

export const Inquiry = Type.Object({
  id: Type.Integer(),
  reference: Type.String(),
  listingId: Nullable(Type.Integer()),
  listingTitle: Nullable(Type.String()),
  districtName: Nullable(Type.String()),
  name: Type.String(),
  company: Nullable(Type.String()),
  phone: Type.String(),
  email: Nullable(Type.String()),
  industry: Type.String(),
  message: Nullable(Type.String()),
  submittedAt: Type.String({ format: 'date-time' }),
  state: StringEnum(INQUIRY_STATES.map((state) => state.code)),
  handledBy: Nullable(Type.String()),
  handledAt: Nullable(Type.String({ format: 'date-time' })),
  handlingNote: Nullable(Type.String()),
  matchedListings: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String() })),
});
export type Inquiry = Static<typeof Inquiry>;

export const InquiryQuery = Type.Object({
  state: Type.Optional(StringEnum(INQUIRY_STATES.map((state) => state.code))),
  page: PageNumber,
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
}, { additionalProperties: false });
export type InquiryQuery = Static<typeof InquiryQuery>;

export const InquiryPage = Type.Object({ items: Type.Array(Inquiry), total: Type.Integer(), newCount: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });
export type InquiryPage = Static<typeof InquiryPage>;

export const InquiryHandling = Type.Object({
  state: StringEnum(INQUIRY_STATES.map((state) => state.code)),
  note: Type.Optional(NullFirst(Paragraph(500, '处理情况'))),
  matchedListingIds: Type.Array(Id(), { maxItems: 20, uniqueItems: true, description: '匹配的招商地块' }),
}, { additionalProperties: false });
export type InquiryHandling = Static<typeof InquiryHandling>;

// The public page: only the published version of published listings.

const publicPlotProperties = {
  id: Type.Integer({ description: '招商地块编号' }),
  title: Type.String(),
  districtName: Type.String(),
  location: Nullable(Type.String()),
  areaM2: Type.Number({ description: '椭球面积 (CGCS2000), m²' }),
  areaMu: Type.Number({ description: '亩' }),
  plannedUse: Type.String(),
  floorAreaRatioMin: Nullable(Type.Number()),
  floorAreaRatioMax: Nullable(Type.Number()),
  buildingDensityMax: Nullable(Type.Number()),
  heightLimitM: Nullable(Type.Number()),
  targetIndustries: Type.Array(Type.String()),
  supplyMode: Nullable(SupplyModeSchema),
  photoCount: Type.Integer(),
  centre: LonLat,
};

export const PublicPlotSummary = Type.Object(publicPlotProperties, { additionalProperties: false });
export type PublicPlotSummary = Static<typeof PublicPlotSummary>;

export const PublicPlotCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  cityName: Type.String(),
  districts: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), plots: Type.Integer(), areaMu: Type.Number() }, { additionalProperties: false })),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    id: Type.Integer(),
    geometry: MultiPolygon,
    properties: PublicPlotSummary,
  }, { additionalProperties: false })),
}, { additionalProperties: false });
export type PublicPlotCollection = Static<typeof PublicPlotCollection>;

export const PublicPlotsQuery = Type.Object({
  district: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: '行政区划代码' })),
}, { additionalProperties: false });
export type PublicPlotsQuery = Static<typeof PublicPlotsQuery>;

export const PublicPlotDetail = Type.Object({
  ...publicPlotProperties,
  planningNotes: Nullable(Type.String()),
  conditions: Nullable(Type.String()),
  contact: Type.Object({ org: Type.String(), name: Type.String(), phone: Type.String(), email: Nullable(Type.String()) }, { additionalProperties: false }),
  photos: Type.Array(Type.Object({ id: Type.Integer(), url: Type.String() }, { additionalProperties: false })),
  publishedAt: Type.String({ format: 'date-time' }),
  geometry: MultiPolygon,
  bbox: BoundingBox,
}, { additionalProperties: false });
export type PublicPlotDetail = Static<typeof PublicPlotDetail>;

export const PublicPlotParams = Type.Object({ id: Id() });
export const PublicPhotoParams = Type.Object({ id: Id(), photoId: Id() });

/** District outlines (simplified) under the plots: names and shapes only. */
export const PublicDistrictCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    geometry: MultiPolygon,
    properties: Type.Object({ code: Type.String(), name: Type.String(), hasPlots: Type.Boolean() }, { additionalProperties: false }),
  }, { additionalProperties: false })),
}, { additionalProperties: false });
export type PublicDistrictCollection = Static<typeof PublicDistrictCollection>;

export const PublicPhotoBody = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'image/jpeg or image/png, metadata (EXIF, text chunks) removed' });
