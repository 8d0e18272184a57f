import { ErrorBody } from '../../domain/api/common.schemas.js';
import { RuleSetList, RuleSetParams, RuleSetRevision, RuleSetRevisionParams, StoredRuleSet } from '../../domain/api/rules.schemas.js';
import { validateRuleSet } from '../../domain/rules/rule-set.validation.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf } from '../auth/auth.plugin.js';
import { NotFoundError, ruleSetError } from '../errors.js';

/** Policy rule sets (规则集): read by everyone who checks an area, revised by administrators. */
export async function rulesRoutes(app: AppInstance): Promise<void> {
  const ruleSets = app.ruleSetsRepository;

  app.get('/api/rule-sets', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['rules'],
      summary: 'Rule sets (current versions): per city, each rule with limit, comparison, denominator and source',
      response: { 200: RuleSetList },
    },
  }, async () => ({ items: await ruleSets.current() }));

  app.get('/api/rule-sets/:id/versions', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['rules'],
      summary: 'Every version of a rule set, newest first',
      params: RuleSetParams,
      response: { 200: RuleSetList, 404: ErrorBody },
    },
  }, async (request) => {
    const items = await ruleSets.versions(request.params.id);
    if (items.length === 0) throw new NotFoundError(`没有规则集 ${request.params.id}`);
    return { items };
  });

  app.put('/api/rule-sets/:id', {
    config: { permission: 'rules:manage' },
    schema: {
      tags: ['rules'],
      summary: 'Revise a rule set: stored as a new version (old versions stay; saved checks keep theirs)',
      description: 'A rule set with problems answers 400 invalid_rule_set with `problems` (one sentence per problem, naming the rule) and `reasons` ({ reason, where }).',
      params: RuleSetRevisionParams,
      body: RuleSetRevision,
      response: { 200: StoredRuleSet, 400: ErrorBody },
    },
  }, async (request) => {
    const { city, name, rules, note } = request.body;
    const problems = validateRuleSet({ rules });
    if (problems.length > 0) throw ruleSetError(problems);
    return await ruleSets.revise(request.params.id, { city, name, rules, note: note ?? null }, { name: principalOf(request).username, requestId: request.id });
  });
}
