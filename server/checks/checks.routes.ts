import { Type, type Static } from 'typebox';
import { COMPARISONS, MEASURE_IDS, ruleSetProblems, type Rule } from '../../domain/rules/rules.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import { ApiError, GeometryError, NotFoundError } from '../errors.js';
import { assertGeoJsonPolygon } from '../geometry/geojson.js';
import { createRuleSetsRepository, type StoredRuleSet } from '../rules/rule-sets.repository.js';
import { StringEnum } from '../../domain/api/common.schemas.js';
import { runCheck, type CheckInput } from './checks.service.js';

/** Vertices accepted in one check body (a 成片改造区域 drawn by hand has hundreds). */
const MAX_VERTICES = 100_000;

const GeoJsonPolygon = Type.Object({
  type: StringEnum(['Polygon', 'MultiPolygon'] as const),
  coordinates: Type.Array(Type.Unknown()),
}, { description: 'GeoJSON Polygon or MultiPolygon, EPSG:4326 [经度, 纬度]' });

const PolygonFeatures = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    geometry: GeoJsonPolygon,
    properties: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
  }), { maxItems: 500 }),
});

export const CheckBody = Type.Object({
  ruleSet: Type.String({ description: '规则集编号, e.g. xiamen-new-industrial (GET /api/rule-sets)' }),
  ruleSetVersion: Type.Optional(Type.Integer({ minimum: 1, description: '规则集版本 (默认: 当前版本)' })),
  boundary: GeoJsonPolygon,
  fragments: Type.Optional(PolygonFeatures),
  supportingLand: Type.Optional(PolygonFeatures),
  parcels: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 5000, description: '纳入的地块 id (默认: 与边界相交的全部地块)' })),
  fragmentParcels: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 5000, description: '标为零星用地的地块 id' })),
  uncoveredIsFragment: Type.Optional(Type.Boolean({ default: true, description: '边界内未登记地块的土地计为零星用地' })),
  excludeArea: Type.Optional(Type.Integer({ minimum: 1, description: '修订中的已保存区域 id（不计入与其他区域的重叠）' })),
  // Null first: with type coercion on, a number schema tried first would turn null into 0.
  figures: Type.Optional(Type.Object({
    totalFloorArea: Type.Optional(Type.Union([Type.Null(), Type.Number({ minimum: 0 })], { description: '总计容建筑面积, m² (null: 未填)' })),
    supportingFloorArea: Type.Optional(Type.Union([Type.Null(), Type.Number({ minimum: 0 })], { description: '配套用房计容建筑面积, m²' })),
    factoryFloorArea: Type.Optional(Type.Union([Type.Null(), Type.Number({ minimum: 0 })], { description: '工业厂房建筑面积, m²' })),
  })),
});

const Source = Type.Object({ document: Type.String(), article: Type.String(), text: Type.String() });

const RuleSchema = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9_-]{1,64}$' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  measure: StringEnum(MEASURE_IDS),
  comparison: StringEnum(COMPARISONS),
  limit: Type.Number({ minimum: 0 }),
  denominator: Type.String({ maxLength: 500 }),
  source: Source,
  gapToleranceM: Type.Optional(Type.Number({ minimum: 0, maximum: 500 })),
});

const RuleSetSchema = Type.Object({
  id: Type.String(), city: Type.String(), name: Type.String(), version: Type.Integer(),
  rules: Type.Array(RuleSchema), note: Type.Union([Type.String(), Type.Null()]), createdBy: Type.String(), createdAt: Type.String(),
});

const CheckResultSchema = Type.Object({
  id: Type.String(), name: Type.String(), measure: Type.String(),
  numerator: Type.Union([Type.Number(), Type.Null()]), denominator: Type.Union([Type.Number(), Type.Null()]),
  ratio: Type.Union([Type.Number(), Type.Null()], { description: 'numerator ÷ denominator, to 0.0001 (0.01 % of a share)' }),
  limit: Type.Number(), comparison: Type.String(), pass: Type.Union([Type.Boolean(), Type.Null()], { description: 'null: a figure is missing' }),
  source: Source, denominatorDefinition: Type.String(),
});

function countVertices(geometry: { coordinates: unknown }): number {
  return JSON.stringify(geometry.coordinates).split('],[').length;
}

export async function checksRoutes(app: AppInstance): Promise<void> {
  const ruleSets = createRuleSetsRepository(app.pool);

  app.get('/api/rule-sets', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['checks'],
      summary: 'Rule sets (current versions): per city, each rule with limit, comparison, denominator and source',
      response: { 200: Type.Object({ items: Type.Array(RuleSetSchema) }) },
    },
  }, async () => ({ items: await ruleSets.current() }));

  app.get('/api/rule-sets/:id/versions', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['checks'],
      summary: 'Every version of a rule set, newest first',
      params: Type.Object({ id: Type.String() }),
      response: { 200: Type.Object({ items: Type.Array(RuleSetSchema) }) },
    },
  }, async (request) => {
    const items = await ruleSets.versions(request.params.id);
    if (items.length === 0) throw new NotFoundError(`没有规则集 ${request.params.id}`);
    return { items };
  });

  app.put('/api/rule-sets/:id', {
    config: { permission: 'rules:manage' },
    schema: {
      tags: ['checks'],
      summary: 'Revise a rule set: stored as a new version (old versions stay; saved checks keep theirs)',
      params: Type.Object({ id: Type.String({ pattern: '^[a-z0-9-]{1,64}$' }) }),
      body: Type.Object({
        city: Type.String({ minLength: 1, maxLength: 50 }),
        name: Type.String({ minLength: 1, maxLength: 100 }),
        rules: Type.Array(RuleSchema, { minItems: 1, maxItems: 50 }),
        note: Type.Optional(Type.String({ maxLength: 1000, description: '修订说明' })),
      }),
      response: { 200: RuleSetSchema },
    },
  }, async (request) => {
    const rules = request.body.rules as Rule[];
    const problems = ruleSetProblems({ rules });
    if (problems.length > 0) throw new ApiError(400, 'invalid_rule_set', `规则集有误：${problems.join('；')}`, { problems });
    return await ruleSets.revise(request.params.id, { city: request.body.city, name: request.body.name, rules, note: request.body.note ?? null },
      { name: principalOf(request).username, requestId: request.id });
  });

  app.post('/api/checks', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['checks'],
      summary: 'Authoritative policy check of a 成片改造区域 (areas from PostGIS geography, CGCS2000)',
      description: 'Ratios and limits are fractions (0.0375, 0.10). Bad geometry answers 400 naming the problem and where (boundary, fragments.features[i], supportingLand.features[i]).',
      body: CheckBody,
      response: {
        200: Type.Object({
          area: Type.Object({ m2: Type.Number(), ha: Type.Number(), mu: Type.Number() }),
          checks: Type.Array(CheckResultSchema),
          pieces: Type.Integer(),
          ruleSetVersion: Type.Integer(),
          ruleSet: Type.Object({ id: Type.String(), version: Type.Integer(), name: Type.String(), city: Type.String() }),
          figures: Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()])),
          parcels: Type.Array(Type.Object({
            id: Type.Integer(), code: Type.String(), districtCode: Type.String(), status: Type.Union([Type.String(), Type.Null()]),
            areaM2: Type.Number(), insideM2: Type.Number(), share: Type.Number(),
          })),
          overlaps: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), status: Type.String(), overlapM2: Type.Number() })),
        }),
      },
    },
  }, async (request) => {
    const body = request.body as Static<typeof CheckBody>;
    const { ruleSet, input } = await prepareCheck(ruleSets, body);
    return await runCheck(app.pool, ruleSet, input, scopeOf(request).districts);
  });
}

/**
 * Validates a check body (GeoJSON structure, vertex count, rule set) and turns it into the
 * service's input. Shared by POST /api/checks and the saved areas, which store the same body.
 */
export async function prepareCheck(ruleSets: ReturnType<typeof createRuleSetsRepository>, body: Static<typeof CheckBody>): Promise<{ ruleSet: StoredRuleSet; input: CheckInput }> {
  assertGeoJsonPolygon(body.boundary, 'boundary');
  let vertices = countVertices(body.boundary);
  const geometries = (name: 'fragments' | 'supportingLand') => (body[name]?.features ?? []).map((feature, index) => {
    assertGeoJsonPolygon(feature.geometry, `${name}.features[${index}].geometry`);
    vertices += countVertices(feature.geometry);
    return feature.geometry;
  });
  const fragments = geometries('fragments');
  const supportingLand = geometries('supportingLand');
  if (vertices > MAX_VERTICES) throw new GeometryError(`折点过多（${vertices} 个，上限 ${MAX_VERTICES}）：请简化边界`, 'boundary');
  const ruleSet = await ruleSets.find(body.ruleSet, body.ruleSetVersion);
  if (!ruleSet) {
    const known = (await ruleSets.current()).map((candidate) => candidate.id).join(', ');
    throw new ApiError(400, 'unknown_rule_set', `没有规则集 ${body.ruleSet}${body.ruleSetVersion ? ` 的第 ${body.ruleSetVersion} 版` : ''}；可用: ${known}`, { parameter: 'ruleSet' });
  }
  return {
    ruleSet,
    input: {
      boundary: body.boundary,
      fragments,
      supportingLand,
      parcels: body.parcels ?? null,
      fragmentParcels: body.fragmentParcels ?? [],
      uncoveredIsFragment: body.uncoveredIsFragment ?? true,
      excludeArea: body.excludeArea ?? null,
      figures: {
        totalFloorArea: body.figures?.totalFloorArea ?? null,
        supportingFloorArea: body.figures?.supportingFloorArea ?? null,
        factoryFloorArea: body.figures?.factoryFloorArea ?? null,
      },
    },
  };
}
