import { Type, type Static } from 'typebox';
import { AREA_KIND_CODES, AREA_STATUS_CODES, REDEVELOPMENT_MODE_CODES } from '../redevelopment-areas.js';
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

/** POST /api/areas/:id/status. */
export const AreaStatusChange = Type.Object({ status: StringEnum(AREA_STATUS_CODES), note: Type.Optional(Type.String({ maxLength: 1000 })) });
export type AreaStatusChange = Static<typeof AreaStatusChange>;

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
});
export type AreaDetail = Static<typeof AreaDetail>;

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
