import type { Rule, RuleSet } from '@domain/rules/rules.js';
import { getJson, request, type RequestOptions } from '../http/request.js';

/** One version of a policy rule set (规则集); every revision is a new version, old ones stay. */
export interface StoredRuleSet extends RuleSet {
  /** 修订说明. */
  note: string | null;
  createdBy: string;
  createdAt: string;
}

export interface RuleSetsResponse {
  items: StoredRuleSet[];
}

/** The body of a revision: the server numbers the version. */
export interface RuleSetRevision {
  city: string;
  name: string;
  rules: Rule[];
  note?: string;
}

/** The current version of every rule set. */
export function fetchRuleSets(options?: RequestOptions): Promise<RuleSetsResponse> {
  return getJson('/api/rule-sets', options);
}

/** Every version of one rule set, newest first. */
export function fetchRuleSetVersions(id: string, options?: RequestOptions): Promise<RuleSetsResponse> {
  return getJson(`/api/rule-sets/${encodeURIComponent(id)}/versions`, options);
}

/** Saves a new version (400 `invalid_rule_set` with `problems`, 403 for non-administrators). */
export function reviseRuleSet(id: string, revision: RuleSetRevision, options?: RequestOptions): Promise<StoredRuleSet> {
  return request('PUT', `/api/rule-sets/${encodeURIComponent(id)}`, revision, options);
}
