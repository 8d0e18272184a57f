import { Type, type Static } from 'typebox';
import { COMPARISONS, MAX_GAP_TOLERANCE_M, MEASURE_IDS, RULE_ID_PATTERN, RULE_SET_ID_PATTERN } from '../rules/measures.js';
import { AREA_KIND_CODES } from '../redevelopment-areas.js';
import { Nullable, StringEnum } from './common.schemas.js';

/** Where a limit comes from: an official reads the sentence it is taken from. */
export const RuleSource = Type.Object({
  document: Type.String({ description: '文件名称与文号, e.g. 《厦门市新型产业用地试点实施办法》' }),
  article: Type.String({ description: '条款, e.g. 第八条' }),
  text: Type.String({ description: '原文' }),
});
export type RuleSource = Static<typeof RuleSource>;

/**
 * Which kinds of area a rule binds, with the sentence saying so (seed 001 第三条: only
 * "按照新型产业用地项目再开发的情形"). Without it a rule binds every kind.
 */
export const RuleAppliesTo = Type.Object({
  kinds: Type.Array(StringEnum(AREA_KIND_CODES), { minItems: 1, maxItems: AREA_KIND_CODES.length, description: '适用的区域类型 (domain/redevelopment-areas.ts AREA_KINDS)' }),
  source: RuleSource,
});
export type RuleAppliesTo = Static<typeof RuleAppliesTo>;

/** One policy rule: a measure compared with a limit (fractions for shares: 0.10 = 10 %). */
export const Rule = Type.Object({
  id: Type.String({ pattern: RULE_ID_PATTERN }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  measure: StringEnum(MEASURE_IDS, { description: '指标 (domain/rules/measures.ts MEASURES)' }),
  comparison: StringEnum(COMPARISONS),
  limit: Type.Number({ minimum: 0, description: '限值: 占比用小数 (0.10 = 10 %), 容积率与块数用数值' }),
  denominator: Type.String({ maxLength: 500, description: '分母的定义（官方用语）' }),
  source: RuleSource,
  gapToleranceM: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_GAP_TOLERANCE_M, description: '连片: 间距在此米数内视为相连' })),
  appliesTo: Type.Optional(RuleAppliesTo),
  perProject: Type.Optional(Type.Boolean({ description: '限值按项目/宗地核算（区域含多个项目时，核验结果注明全区域合计）' })),
});
export type Rule = Static<typeof Rule>;

/** A rule set as the rule code reads it: a city's rules at one version. */
export const RuleSet = Type.Object({
  id: Type.String(),
  city: Type.String(),
  name: Type.String(),
  version: Type.Integer(),
  rules: Type.Array(Rule),
});
export type RuleSet = Static<typeof RuleSet>;

/** One stored version of a rule set (every revision is a new version; old ones stay). */
export const StoredRuleSet = Type.Object({
  ...RuleSet.properties,
  note: Nullable(Type.String({ description: '修订说明' })),
  createdBy: Type.String(),
  createdAt: Type.String({ description: 'ISO 8601' }),
});
export type StoredRuleSet = Static<typeof StoredRuleSet>;

/** GET /api/rule-sets (current versions) and GET /api/rule-sets/:id/versions (newest first). */
export const RuleSetList = Type.Object({ items: Type.Array(StoredRuleSet) });
export type RuleSetList = Static<typeof RuleSetList>;

export const RuleSetParams = Type.Object({ id: Type.String() });
export type RuleSetParams = Static<typeof RuleSetParams>;

export const RuleSetRevisionParams = Type.Object({ id: Type.String({ pattern: RULE_SET_ID_PATTERN }) });
export type RuleSetRevisionParams = Static<typeof RuleSetRevisionParams>;

/** PUT /api/rule-sets/:id: the body of a revision; the server numbers the version. */
export const RuleSetRevision = Type.Object({
  city: Type.String({ minLength: 1, maxLength: 50 }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  rules: Type.Array(Rule, { minItems: 1, maxItems: 50 }),
  note: Type.Optional(Type.String({ maxLength: 1000, description: '修订说明' })),
});
export type RuleSetRevision = Static<typeof RuleSetRevision>;
