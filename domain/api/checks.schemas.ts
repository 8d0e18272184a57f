import { Type, type Static } from 'typebox';
import { AREA_KIND_CODES } from '../redevelopment-areas.js';
import { COMPARISONS, MEASURE_IDS } from '../rules/measures.js';
import { Id, MAX_INT4, Nullable, StringEnum, VersionNumber } from './common.schemas.js';
import { RuleSource } from './rules.schemas.js';

/** A boundary or a drawn zone: GeoJSON Polygon or MultiPolygon (structure checked by the server). */
export const GeoJsonPolygon = Type.Object({
  type: StringEnum(['Polygon', 'MultiPolygon'] as const),
  coordinates: Type.Array(Type.Unknown()),
}, { description: 'GeoJSON Polygon or MultiPolygon, EPSG:4326 [经度, 纬度]' });
export type GeoJsonPolygon = Static<typeof GeoJsonPolygon>;

/** Shapes drawn inside an area (零星用地, 配套用房 land). */
export const PolygonFeatures = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    geometry: GeoJsonPolygon,
    properties: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
  }), { maxItems: 500 }),
});
export type PolygonFeatures = Static<typeof PolygonFeatures>;

/**
 * Floor areas entered by the planner, as a request carries them (null or left out: not entered).
 * Null first: with type coercion on, a number schema tried first would turn null into 0.
 */
/** Largest floor area accepted, m² (1 000 km² of floors: far above any project; 1e300 is refused with a 400). */
export const MAX_FLOOR_AREA_M2 = 1e9;
const floorArea = (description: string) => Type.Optional(Type.Union([Type.Null(), Type.Number({ minimum: 0, maximum: MAX_FLOOR_AREA_M2 })], { description }));

export const FloorAreaFiguresInput = Type.Object({
  totalFloorArea: floorArea('总计容建筑面积, m² (null: 未填)'),
  grossFloorArea: floorArea('项目总建筑面积 (含不计容部分), m²: 工业厂房占比的分母 (seed 001 第九条)'),
  supportingFloorArea: floorArea('配套用房计容建筑面积, m²'),
  factoryFloorArea: floorArea('工业厂房建筑面积, m²'),
});
export type FloorAreaFiguresInput = Static<typeof FloorAreaFiguresInput>;

/** A further rule set an area applies beside its city's (e.g. the Tianjin 零星用地 rule). */
export const AdditionalRuleSet = Type.Object({
  id: Type.String({ maxLength: 64, description: '规则集编号 (GET /api/rule-sets)' }),
  version: Type.Optional(VersionNumber({ description: '规则集版本 (默认: 当前版本)' })),
});
export type AdditionalRuleSet = Static<typeof AdditionalRuleSet>;

/** Most further rule sets one area applies. */
export const MAX_ADDITIONAL_RULE_SETS = 10;

/** POST /api/checks: an area as drawn, to be checked against a rule set. */
export const CheckBody = Type.Object({
  ruleSet: Type.String({ maxLength: 64, description: '规则集编号, e.g. xiamen-new-industrial (GET /api/rule-sets)' }),
  ruleSetVersion: Type.Optional(VersionNumber({ description: '规则集版本 (默认: 当前版本)' })),
  additionalRuleSets: Type.Optional(Type.Array(AdditionalRuleSet, { maxItems: MAX_ADDITIONAL_RULE_SETS, description: '同时适用的其他规则集（如天津 零星用地规则）' })),
  kind: Type.Optional(StringEnum(AREA_KIND_CODES, { description: '区域类型: 规则只约束其适用的类型 (默认 new_industrial)' })),
  projectCount: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 1, maximum: MAX_INT4 })], { description: '区域内的项目数 (null 或省略: 按纳入地块的土地使用权人计)' })),
  boundary: GeoJsonPolygon,
  fragments: Type.Optional(PolygonFeatures),
  supportingLand: Type.Optional(PolygonFeatures),
  parcels: Type.Optional(Type.Array(Id(), { maxItems: 5000, description: '纳入的地块 id (默认: 与边界相交的全部地块)' })),
  fragmentParcels: Type.Optional(Type.Array(Id(), { maxItems: 5000, description: '标为零星用地的地块 id' })),
  uncoveredIsFragment: Type.Optional(Type.Boolean({ default: true, description: '边界内未登记地块的土地计为零星用地' })),
  excludeArea: Type.Optional(Id({ description: '修订中的已保存区域 id（不计入与其他区域的重叠）' })),
  figures: Type.Optional(FloorAreaFiguresInput),
});
export type CheckBody = Static<typeof CheckBody>;

/** One rule decided on the figures (domain/rules/rules.ts `evaluateRule`). */
export const CheckResult = Type.Object({
  id: Type.String(),
  name: Type.String(),
  measure: StringEnum(MEASURE_IDS),
  numerator: Nullable(Type.Number()),
  denominator: Nullable(Type.Number()),
  ratio: Nullable(Type.Number({ description: 'numerator ÷ denominator, to 0.0001 (0.01 % of a share); null when not computable' })),
  limit: Type.Number(),
  comparison: StringEnum(COMPARISONS),
  pass: Nullable(Type.Boolean({ description: 'null: a figure is missing or the denominator is 0' })),
  source: RuleSource,
  denominatorDefinition: Type.String(),
  ruleSet: Type.Optional(Type.Object({ id: Type.String(), version: Type.Integer(), name: Type.String() }, { description: 'the rule set this rule is from' })),
  applicable: Type.Optional(Type.Boolean({ description: 'false: the rule does not bind this kind of area (pass is null, see notes)' })),
  notes: Type.Optional(Type.Array(Type.String(), { description: '不适用的原因、缺少的数据、多项目的核算口径…' })),
});
export type CheckResult = Static<typeof CheckResult>;

const CheckFiguresObject = Type.Object({
  projectLandM2: Type.Number(),
  fragmentLandM2: Type.Number(),
  uncoveredLandM2: Type.Number(),
  supportingLandM2: Type.Number(),
  parcelLandM2: Type.Number(),
  inefficientLandM2: Type.Number(),
  inefficientShare: Nullable(Type.Number()),
  gapToleranceM: Type.Number(),
  overlapM2: Type.Number({ description: 'land of this boundary already inside other saved areas' }),
  totalFloorAreaM2: Nullable(Type.Number()),
  grossFloorAreaM2: Type.Optional(Nullable(Type.Number())),
  supportingFloorAreaM2: Nullable(Type.Number()),
  factoryFloorAreaM2: Nullable(Type.Number()),
}, { additionalProperties: Nullable(Type.Number()) });
/** Areas in m² (2 decimals), shares as fractions; also read by name (the rules' numerators, tables). */
export const CheckFigures = Type.Unsafe<Static<typeof CheckFiguresObject> & Record<string, number | null>>(CheckFiguresObject);
export type CheckFigures = Static<typeof CheckFigures>;

/**
 * A parcel the boundary takes in. Its own fields outside the reader's districts are those of
 * domain/scope-visibility.ts (`status` is null there); `insideM2` and `share` are the check's.
 */
export const CheckedParcel = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  districtCode: Type.String(),
  status: Nullable(Type.String({ description: 'null outside the reader\'s districts' })),
  areaM2: Type.Number(),
  insideM2: Type.Number(),
  share: Type.Number({ description: 'share of the parcel inside the boundary (1 = whole)' }),
});
export type CheckedParcel = Static<typeof CheckedParcel>;

/**
 * Another saved area meeting this boundary. Outside the reader's districts it is named 管辖范围外的区域
 * and its status is `restricted` (OUT_OF_SCOPE_AREA, domain/scope-visibility.ts), as on the areas tile.
 */
export const CheckOverlap = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  status: Type.String({ description: 'the area\'s status (草案, 报审…), or `restricted` outside the reader\'s districts' }),
  overlapM2: Type.Number(),
});
export type CheckOverlap = Static<typeof CheckOverlap>;

/** How many projects the area holds, and how that was found. */
export const CheckProjects = Type.Object({
  count: Type.Integer({ minimum: 1 }),
  basis: StringEnum(['input', 'owners', 'single'] as const, { description: 'input: 填写的项目数; owners: 纳入地块的土地使用权人数; single: 无权利人信息, 按一个项目' }),
  owners: Type.Integer({ description: '纳入地块（零星用地除外）中不同的土地使用权人' }),
  parcels: Type.Integer({ description: '纳入的宗地数（零星用地除外）' }),
});
export type CheckProjects = Static<typeof CheckProjects>;

/** The answer of POST /api/checks, stored with saved areas too. */
export const CheckAnswer = Type.Object({
  area: Type.Object({ m2: Type.Number(), ha: Type.Number(), mu: Type.Number() }),
  checks: Type.Array(CheckResult),
  pieces: Type.Integer(),
  ruleSetVersion: Type.Integer(),
  ruleSet: Type.Object({ id: Type.String(), version: Type.Integer(), name: Type.String(), city: Type.String() }),
  ruleSets: Type.Optional(Type.Array(Type.Object({ id: Type.String(), version: Type.Integer(), name: Type.String(), city: Type.String() }), { description: 'every rule set applied: the city\'s first, then the additional ones' })),
  kind: Type.Optional(StringEnum(AREA_KIND_CODES, { description: '区域类型 the rules were applied for' })),
  projects: Type.Optional(CheckProjects),
  figures: CheckFigures,
  parcels: Type.Array(CheckedParcel),
  overlaps: Type.Array(CheckOverlap),
});
export type CheckAnswer = Static<typeof CheckAnswer>;
