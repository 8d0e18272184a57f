import { type Comparison, type MeasureId, type Rule } from '@domain/rules/rules.js';
import type { RuleAppliesTo } from '@domain/api/rules.schemas.js';
import type { AreaKind } from '@domain/redevelopment-areas.js';
import { limitFromInput, limitToInput, unitOf } from '@domain/rules/rule-format.js';

/**
 * One rule as the 修订 editor holds it: the limit as typed (percent for shares), the source
 * flattened into three fields, the gap tolerance only for contiguity.
 */
export interface RuleDraft {
  /** Stable across edits, for v-for keys (the rule id may be new). */
  key: string;
  id: string;
  name: string;
  measure: MeasureId;
  comparison: Comparison;
  limitInput: number | null;
  denominator: string;
  document: string;
  article: string;
  text: string;
  /** Metres; null = no tolerance stated (rules other than contiguity). */
  gapToleranceM: number | null;
  /** Which kinds of area the rule binds, with its source; null: every kind. Kept as it was through a revision. */
  appliesTo: RuleAppliesTo | null;
  /** The limit is per 项目/宗地. */
  perProject: boolean;
  /** Added in this revision (its measure may still be chosen). */
  added: boolean;
}

let nextKey = 0;
function draftKey(): string {
  nextKey += 1;
  return `draft-${nextKey}`;
}

export function draftOf(rule: Rule): RuleDraft {
  return {
    key: draftKey(),
    id: rule.id,
    name: rule.name,
    measure: rule.measure,
    comparison: rule.comparison,
    limitInput: Number.isFinite(rule.limit) ? limitToInput(rule.measure, rule.limit) : null,
    denominator: rule.denominator,
    document: rule.source?.document ?? '',
    article: rule.source?.article ?? '',
    text: rule.source?.text ?? '',
    gapToleranceM: rule.gapToleranceM ?? null,
    // A copy: the editor's fields change it in place, the version read stays as it was.
    appliesTo: rule.appliesTo ? { kinds: [...rule.appliesTo.kinds], source: { ...rule.appliesTo.source } } : null,
    perProject: rule.perProject ?? false,
    added: false,
  };
}

/** The rule the server stores; texts trimmed, the limit back to a fraction for shares. */
export function ruleOf(draft: RuleDraft): Rule {
  const rule: Rule = {
    id: draft.id,
    name: draft.name.trim(),
    measure: draft.measure,
    comparison: draft.comparison,
    limit: limitFromInput(draft.measure, draft.limitInput),
    denominator: draft.denominator.trim(),
    source: { document: draft.document.trim(), article: draft.article.trim(), text: draft.text.trim() },
  };
  if (draft.gapToleranceM !== null && Number.isFinite(draft.gapToleranceM)) rule.gapToleranceM = draft.gapToleranceM;
  if (draft.appliesTo !== null) {
    const { document, article, text } = draft.appliesTo.source;
    rule.appliesTo = { kinds: [...draft.appliesTo.kinds], source: { document: document.trim(), article: article.trim(), text: text.trim() } };
  }
  if (draft.perProject) rule.perProject = true;
  return rule;
}

/** What a new rule of each measure starts with: the usual direction and wording, a limit to adjust. */
const NEW_RULES: Readonly<Record<MeasureId, { name: string; comparison: Comparison; limit: number; denominator: string; gapToleranceM?: number }>> = {
  fragment_land_share: { name: '零星用地占比', comparison: '<=', limit: 0.1, denominator: '项目总用地面积（含零星用地）' },
  supporting_land_share: { name: '配套用房用地占比', comparison: '<=', limit: 0.07, denominator: '项目总用地面积（成片改造区域的椭球面积）' },
  supporting_floor_share: { name: '配套用房计容建筑面积占比', comparison: '<=', limit: 0.15, denominator: '项目总计容建筑面积' },
  floor_area_ratio: { name: '容积率', comparison: '>=', limit: 2, denominator: '项目总用地面积（成片改造区域的椭球面积）' },
  factory_floor_share: { name: '工业厂房建筑面积占比', comparison: '>=', limit: 0.5, denominator: '项目总建筑面积' },
  contiguity: { name: '集中连片', comparison: '<=', limit: 1, denominator: '—（块数；间距不超过容差的部分视为相连）', gapToleranceM: 5 },
};

/**
 * The kinds of area a rule binds, as the editor's select sets them: none chosen = every kind (no
 * appliesTo); the source typed for an earlier choice is kept.
 */
export function withKinds(draft: RuleDraft, kinds: readonly AreaKind[]): RuleDraft {
  if (kinds.length === 0) return { ...draft, appliesTo: null };
  return { ...draft, appliesTo: { kinds: [...kinds], source: draft.appliesTo?.source ?? { document: '', article: '', text: '' } } };
}

/** 'supporting_land_share' → 'supporting-land-share', or '…-2' when the set has that id already. */
export function newRuleId(measure: MeasureId, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = measure.replace(/_/g, '-');
  if (!used.has(base)) return base;
  for (let suffix = 2; ; suffix++) {
    const candidate = `${base}-${suffix}`;
    if (!used.has(candidate)) return candidate;
  }
}

export function newDraft(measure: MeasureId, taken: Iterable<string>): RuleDraft {
  const preset = NEW_RULES[measure];
  return {
    key: draftKey(),
    id: newRuleId(measure, taken),
    name: preset.name,
    measure,
    comparison: preset.comparison,
    limitInput: limitToInput(measure, preset.limit),
    denominator: preset.denominator,
    document: '',
    article: '',
    text: '',
    gapToleranceM: preset.gapToleranceM ?? null,
    appliesTo: null,
    perProject: measure !== 'contiguity',
    added: true,
  };
}

/**
 * A new rule whose measure is changed before saving takes the new measure's presets where the
 * admin has not typed anything of their own (an untouched name or denominator, the preset limit).
 */
export function withMeasure(draft: RuleDraft, measure: MeasureId, taken: Iterable<string>): RuleDraft {
  const before = NEW_RULES[draft.measure];
  const after = newDraft(measure, [...taken].filter((id) => id !== draft.id));
  return {
    ...draft,
    id: after.id,
    measure,
    name: draft.name === before.name ? after.name : draft.name,
    denominator: draft.denominator === before.denominator ? after.denominator : draft.denominator,
    comparison: after.comparison,
    limitInput: unitOf(measure) === unitOf(draft.measure) ? draft.limitInput : after.limitInput,
    gapToleranceM: after.gapToleranceM,
  };
}

/** Whether the draft differs from the rule it started from (a new rule always does). */
export function draftChanged(draft: RuleDraft, original: Rule | undefined): boolean {
  if (!original) return true;
  return JSON.stringify(ruleOf(draft)) !== JSON.stringify(ruleOf(draftOf(original)));
}

