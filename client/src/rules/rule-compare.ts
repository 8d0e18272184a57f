import type { Rule } from '@domain/rules/rules.js';
import { formatLimit, measureLabel, scopeText } from '@domain/rules/rule-format.js';

/**
 * Two versions of a rule set side by side, rule by rule (matched by rule id), field by field, in
 * the words the rule table uses: what an administrator compares is what officials read.
 */

export type RuleChange = 'same' | 'changed' | 'added' | 'removed';

export interface CompareField {
  key: 'name' | 'measure' | 'limit' | 'denominator' | 'scope' | 'document' | 'article' | 'text';
  label: string;
  /** null: the rule is not in that version. */
  older: string | null;
  newer: string | null;
  changed: boolean;
}

export interface CompareRow {
  id: string;
  /** The newer name, or the older one for a removed rule. */
  name: string;
  change: RuleChange;
  fields: CompareField[];
}

export interface CompareHeader {
  label: string;
  older: string;
  newer: string;
}

export interface CompareSet {
  /** The set's own name and city, when either changed. */
  header: CompareHeader[];
  rows: CompareRow[];
  /** How many rules differ in any way. */
  differences: number;
}

const FIELDS: readonly { key: CompareField['key']; label: string; read: (rule: Rule) => string }[] = [
  { key: 'name', label: '名称', read: (rule) => rule.name },
  { key: 'measure', label: '指标', read: (rule) => measureLabel(rule.measure) },
  { key: 'limit', label: '要求', read: (rule) => formatLimit(rule) },
  { key: 'denominator', label: '分母定义', read: (rule) => rule.denominator },
  { key: 'scope', label: '适用范围', read: (rule) => scopeText(rule) },
  { key: 'document', label: '文件', read: (rule) => rule.source?.document ?? '' },
  { key: 'article', label: '条款', read: (rule) => rule.source?.article ?? '' },
  { key: 'text', label: '原文', read: (rule) => rule.source?.text ?? '' },
];

function fieldsOf(older: Rule | undefined, newer: Rule | undefined): CompareField[] {
  return FIELDS.map(({ key, label, read }) => {
    const before = older ? read(older) : null;
    const after = newer ? read(newer) : null;
    return { key, label, older: before, newer: after, changed: before !== after };
  });
}

interface VersionLike {
  name: string;
  city: string;
  rules: Rule[];
}

export function compareRuleSets(older: VersionLike, newer: VersionLike): CompareSet {
  const olderById = new Map(older.rules.map((rule) => [rule.id, rule]));
  const newerIds = new Set(newer.rules.map((rule) => rule.id));
  const rows: CompareRow[] = newer.rules.map((rule) => {
    const before = olderById.get(rule.id);
    const fields = fieldsOf(before, rule);
    const change: RuleChange = !before ? 'added' : fields.some((field) => field.changed) ? 'changed' : 'same';
    return { id: rule.id, name: rule.name, change, fields };
  });
  // Removed rules go where they stood in the older version, as far as the newer order allows.
  older.rules.forEach((rule, index) => {
    if (newerIds.has(rule.id)) return;
    const row: CompareRow = { id: rule.id, name: rule.name, change: 'removed', fields: fieldsOf(rule, undefined) };
    rows.splice(Math.min(index, rows.length), 0, row);
  });
  const header: CompareHeader[] = [
    { label: '规则集名称', older: older.name, newer: newer.name },
    { label: '城市', older: older.city, newer: newer.city },
  ].filter((field) => field.older !== field.newer);
  return { header, rows, differences: rows.filter((row) => row.change !== 'same').length };
}
