import { Type, type Static } from 'typebox';
import { AREA_KIND_CODES, AREA_REVIEW_ACTION_CODES, AREA_STATUS_CODES, REDEVELOPMENT_MODE_CODES } from '../redevelopment-areas.js';
import { DISTRICT_CODE_PATTERN } from '../districts.js';
import { CheckAnswer, CheckBody, GeoJsonPolygon, PolygonFeatures } from './checks.schemas.js';
import { Id, Nullable, PageNumber, StringEnum, VersionNumber } from './common.schemas.js';
import { MultiPolygon } from './parcels.schemas.js';

const OptionalText = (maxLength: number, description: string) =>
  Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength })], { description }));

/** What a planner says about an area besides its drawing. */
const AreaFields = {
  name: Type.String({ minLength: 1, maxLength: 100, description: '区域名称' }),
  mode: StringEnum(REDEVELOPMENT_MODE_CODES, { description: '改造模式 (domain/redevelopment-areas.ts)' }),
  modeOther: OptionalText(200, '改造模式为 other 时的说明'),
  targetLandUse: OptionalText(200, '目标用途'),
  note: OptionalText(1000, '本次保存说明'),
};

/** POST /api/areas: the checks body and the area's fields; the check is run and stored with it. */
export const AreaBody = Type.Object({ ...CheckBody.properties, ...AreaFields });
export type AreaBody = Static<typeof AreaBody>;

/** PUT /api/areas/:id: a new version, based on the version the planner opened. */
export const AreaRevision = Type.Object({
  ...AreaBody.properties,
  baseVersion: VersionNumber({ description: '修改所依据的版本；他人已保存新版本时返回 409' }),
});
export type AreaRevision = Static<typeof AreaRevision>;

/** POST /api/areas/:id/restore. */
export const AreaRestore = Type.Object({ version: VersionNumber(), baseVersion: VersionNumber() });
export type AreaRestore = Static<typeof AreaRestore>;

/** POST /api/areas/:id/status: the 报审 note or the official's opinion (退回 requires one). */
export const AreaStatusChange = Type.Object({
  status: StringEnum(AREA_STATUS_CODES),
  note: Type.Optional(Type.String({ maxLength: 1000, description: '报审说明 / 审批意见（退回时必填）' })),
});
export type AreaStatusChange = Static<typeof AreaStatusChange>;

/** POST /api/areas/:id/revoke: 撤销批准, by an official, with the reason. */
export const AreaRevoke = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 1000, description: '撤销批准的原因（必填）' }),
});
export type AreaRevoke = Static<typeof AreaRevoke>;

/** POST /api/areas/:id/revise: 开始修订 of an approved area — a new draft version of the approved one. */
export const AreaReviseApproved = Type.Object({
  baseVersion: VersionNumber({ description: '已批准的版本；他人已改动时返回 409' }),
  note: Type.Optional(Type.String({ maxLength: 1000, description: '修订说明' })),
});
export type AreaReviseApproved = Static<typeof AreaReviseApproved>;

export const AreaParams = Type.Object({ id: Id() });
export type AreaParams = Static<typeof AreaParams>;

export const AreaVersionParams = Type.Object({ id: Id(), version: VersionNumber() });
export type AreaVersionParams = Static<typeof AreaVersionParams>;

export const AreaListQuery = Type.Object({
  district: Type.Optional(Type.String({ pattern: DISTRICT_CODE_PATTERN })),
  status: Type.Optional(StringEnum(AREA_STATUS_CODES)),
  page: PageNumber,
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
}, { additionalProperties: false });
export type AreaListQuery = Static<typeof AreaListQuery>;

/**
 * The checks body as saved with a version: the rule-set versions used, every default filled in.
 * Versions saved before 区域类型 and further rule sets existed lack those fields (read: new_industrial, none).
 */
export const SavedCheckInput = Type.Object({
  ruleSet: Type.String(),
  ruleSetVersion: Type.Integer(),
  additionalRuleSets: Type.Optional(Type.Array(Type.Object({ id: Type.String(), version: Type.Integer() }))),
  kind: Type.Optional(StringEnum(AREA_KIND_CODES)),
  projectCount: Type.Optional(Nullable(Type.Integer())),
  boundary: GeoJsonPolygon,
  fragments: PolygonFeatures,
  supportingLand: PolygonFeatures,
  parcels: Nullable(Type.Array(Type.Integer(), { description: 'null: every parcel meeting the boundary' })),
  fragmentParcels: Type.Array(Type.Integer()),
  uncoveredIsFragment: Type.Boolean(),
  figures: Type.Object({
    totalFloorArea: Nullable(Type.Number()),
    grossFloorArea: Type.Optional(Nullable(Type.Number())),
    supportingFloorArea: Nullable(Type.Number()),
    factoryFloorArea: Nullable(Type.Number()),
  }),
});
export type SavedCheckInput = Static<typeof SavedCheckInput>;

/** What an area shows while submitted or approved: the check pinned at its 报审 or 批准. */
export const PinnedVerdictSummary = Type.Object({
  action: StringEnum(['submit', 'approve'] as const, { description: 'submit: pinned at 报审; approve: at 批准' }),
  version: Type.Integer({ description: 'the area version checked' }),
  ruleSetId: Type.String(),
  ruleSetVersion: Type.Integer(),
  pass: Nullable(Type.Boolean()),
  at: Type.String(),
});
export type PinnedVerdictSummary = Static<typeof PinnedVerdictSummary>;

/** The pinned verdict with the check answer as it was then (every figure, limit and verdict). */
export const PinnedVerdict = Type.Object({
  ...PinnedVerdictSummary.properties,
  actor: Type.String(),
  actorName: Type.String(),
  result: CheckAnswer,
});
export type PinnedVerdict = Static<typeof PinnedVerdict>;

/** One entry of an area's 审批记录: who did what, when, and what they wrote. */
export const AreaReview = Type.Object({
  id: Type.Integer(),
  version: Type.Integer({ description: 'the area version it concerned' }),
  action: StringEnum(AREA_REVIEW_ACTION_CODES),
  fromStatus: StringEnum(AREA_STATUS_CODES),
  toStatus: StringEnum(AREA_STATUS_CODES),
  note: Nullable(Type.String({ description: '报审说明 / 审批意见 / 撤销原因' })),
  actor: Type.String(),
  actorName: Type.String(),
  at: Type.String(),
  ruleSetId: Nullable(Type.String()),
  ruleSetVersion: Nullable(Type.Integer({ description: 'the rule-set version of the check pinned at 报审 / 批准' })),
  pass: Nullable(Type.Boolean()),
});
export type AreaReview = Static<typeof AreaReview>;

export const AreaSummary = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  districtCode: Type.String(),
  districtName: Type.String(),
  status: StringEnum(AREA_STATUS_CODES),
  kind: StringEnum(AREA_KIND_CODES, { description: '区域类型 (domain/redevelopment-areas.ts AREA_KINDS)' }),
  version: Type.Integer(),
  ruleSetId: Type.String(),
  ruleSetVersion: Type.Integer(),
  areaM2: Type.Number(),
  pass: Nullable(Type.Boolean({ description: 'every check passes (null: some check undecided)' })),
  updatedAt: Type.String(),
  updatedBy: Type.String(),
  approvedVersion: Nullable(Type.Integer({ description: 'the version in force by 批准 (kept while a revision is drafted)' })),
  pinned: Nullable(PinnedVerdictSummary),
});
export type AreaSummary = Static<typeof AreaSummary>;

export const AreaList = Type.Object({ items: Type.Array(AreaSummary), total: Type.Integer() });
export type AreaList = Static<typeof AreaList>;

export const AreaVersionSummary = Type.Object({
  version: Type.Integer(),
  savedAt: Type.String(),
  savedBy: Type.String(),
  note: Nullable(Type.String()),
  status: StringEnum(AREA_STATUS_CODES),
  kind: StringEnum(AREA_KIND_CODES),
  areaM2: Type.Number(),
  pass: Nullable(Type.Boolean()),
  ruleSetVersion: Type.Integer(),
  approved: Type.Boolean({ description: 'this version was approved (an approval since revoked included)' }),
});
export type AreaVersionSummary = Static<typeof AreaVersionSummary>;

/** One area at a version: its fields, the checks body and answer saved with it, and every version. */
export const AreaDetail = Type.Object({
  ...AreaSummary.properties,
  mode: StringEnum(REDEVELOPMENT_MODE_CODES),
  modeOther: Nullable(Type.String()),
  targetLandUse: Nullable(Type.String()),
  input: SavedCheckInput,
  result: CheckAnswer,
  versions: Type.Array(AreaVersionSummary),
  /** The verdict of this version pinned at 报审 / 批准 (for the current version: while submitted or approved). */
  pinnedVerdict: Nullable(PinnedVerdict),
  reviews: Type.Array(AreaReview, { description: '审批记录, oldest first' }),
});
export type AreaDetail = Static<typeof AreaDetail>;

/**
 * GET /api/areas/:id/recheck: the area's verdict as pinned (or as saved, when nothing is pinned)
 * beside a check of the same content against the current version of its rule set. Writes nothing.
 */
export const AreaRecheck = Type.Object({
  version: Type.Integer(),
  basis: Type.Object({
    source: StringEnum(['approve', 'submit', 'save'] as const, { description: 'pinned at 批准 / 报审, or as saved with the version' }),
    at: Type.String(),
    ruleSetVersion: Type.Integer(),
    pass: Nullable(Type.Boolean()),
    result: CheckAnswer,
  }),
  current: Type.Object({ ruleSetVersion: Type.Integer(), pass: Nullable(Type.Boolean()), result: CheckAnswer }),
});
export type AreaRecheck = Static<typeof AreaRecheck>;

/** DELETE /api/areas/:id answers 204 with no body. */
export const AreaDeleted = Type.Null({ description: 'deleted (softly: kept with its versions and history)' });

/** POST /api/areas/boundary-from-file: the union of a file's polygons, EPSG:4326. */
export const BoundaryFromFile = Type.Object({
  boundary: MultiPolygon,
  features: Type.Integer({ description: 'polygons read' }),
  sourceCrs: Type.String(),
  layer: Type.String(),
});
export type BoundaryFromFile = Static<typeof BoundaryFromFile>;
