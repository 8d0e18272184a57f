import type { RuleSetList, RuleSetRevision, StoredRuleSet } from '@domain/api/rules.schemas.js';
import { getJson, request, type RequestOptions } from '../http/request.js';

export type { RuleSetList, RuleSetRevision, StoredRuleSet } from '@domain/api/rules.schemas.js';

/** The current version of every rule set. */
export function fetchRuleSets(options?: RequestOptions): Promise<RuleSetList> {
  return getJson('/api/rule-sets', options);
}

/** Every version of one rule set, newest first. */
export function fetchRuleSetVersions(id: string, options?: RequestOptions): Promise<RuleSetList> {
  return getJson(`/api/rule-sets/${encodeURIComponent(id)}/versions`, options);
}

/** Saves a new version (400 `invalid_rule_set` with `problems`, 403 for non-administrators). */
export function reviseRuleSet(id: string, revision: RuleSetRevision, options?: RequestOptions): Promise<StoredRuleSet> {
  return request('PUT', `/api/rule-sets/${encodeURIComponent(id)}`, revision, options);
}
