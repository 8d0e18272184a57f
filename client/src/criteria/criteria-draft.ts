import type { Criterion } from '@domain/api/criteria.schemas.js';
import { measureOf } from '@domain/identification/measures.js';

/** A criterion as the editor's form holds it: code lists as comma-separated text. */
export interface CriterionForm extends Omit<Criterion, 'landUses' | 'industries' | 'industryList'> {
  landUses: string;
  industries: string;
  industryList: string;
}

const list = (text: string) => text.split(/[,，、\s]+/).map((code) => code.trim().toUpperCase()).filter(Boolean);

export function toForm(criterion: Criterion): CriterionForm {
  return { ...criterion, landUses: criterion.landUses.join(', '), industries: criterion.industries.join(', '), industryList: (criterion.industryList ?? []).join(', ') };
}

/** The criterion the API takes: a yes/no measure compares with 为是 and has no threshold. */
export function fromForm(form: CriterionForm): Criterion {
  const flag = measureOf(form.measure)?.kind === 'flag';
  const { industryList, industryListName, ...rest } = form;
  return {
    ...rest,
    comparison: flag ? 'is_true' : form.comparison === 'is_true' ? 'lt' : form.comparison,
    threshold: flag ? null : form.threshold,
    landUses: list(form.landUses),
    industries: list(form.industries),
    ...(form.measure === 'listed_industry' ? { industryList: list(industryList), industryListName: industryListName || undefined } : {}),
  };
}

export function blankCriterion(index: number): CriterionForm {
  return {
    id: `c${index + 1}`, name: '', measure: 'tax_per_mu', comparison: 'lt', threshold: 1, landUses: '0601, 0508', industries: '', industryList: '',
    suggestedTypes: ['low_output'], source: { document: '', text: '' }, local: true,
  };
}
