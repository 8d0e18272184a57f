import { SURVEY_FORM_SECTIONS, surveyFormField } from '../identification/survey-form.js';
import { formatNumber } from '../units.js';

/**
 * 验收 (seed 003 三(三).3, 附件8–10): the 调查表（验收） is 附件1 again ("格式同附件1"); set beside the
 * 调查表（认定） row by row it shows what the 再利用 changed. Pure code shared by server and client.
 */

/** 附件8–10 as printed forms. */
export const ACCEPTANCE_FORMS = [
  { code: 'annex8', attachment: '附件8', title: '关于对低效产业用地再利用进行验收的申请', needs: 'acceptance_applied' },
  { code: 'annex9', attachment: '附件9', title: '低效产业用地再利用验收审核表', needs: 'acceptance_applied' },
  { code: 'annex10', attachment: '附件10', title: '低效产业用地再利用验收核准书', needs: 'certificate_issued' },
] as const;
export type AcceptanceFormCode = (typeof ACCEPTANCE_FORMS)[number]['code'];

/** A survey value as the form prints it ('' when not filled). */
export function surveyValueText(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  const field = surveyFormField(key as never);
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number') {
    if (field?.kind === 'fraction') return `${formatNumber(value * 100, 2)}%`;
    return `${formatNumber(value, field?.decimals ?? 2)}${field?.unit && field.unit !== '%' ? ` ${field.unit}` : ''}`;
  }
  return String(value);
}

export interface SurveyCompareRow {
  section: string;
  key: string;
  label: string;
  before: string;
  after: string;
  changed: boolean;
}

/** 附件1 row by row: the 认定 values (before) beside the 验收 values (after). */
export function compareSurveys(before: Record<string, unknown> | null, after: Record<string, unknown> | null): SurveyCompareRow[] {
  return SURVEY_FORM_SECTIONS.flatMap((section) => section.fields.map((field) => {
    const from = surveyValueText(field.key, before?.[field.key]);
    const to = surveyValueText(field.key, after?.[field.key]);
    return { section: section.title, key: field.key, label: field.formLabel, before: from, after: to, changed: from !== to };
  }));
}
