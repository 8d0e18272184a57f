import type { StepCode } from './steps.js';

/**
 * The 认定 forms of seed 003 (汕府办〔2019〕6号) printed from a case (issue 16 item 5): 附件1 调查表（认定）,
 * 附件2 审核表, 附件3 告知书. Which may be printed when, and by whom: shared by the server (which
 * refuses) and the client (which disables the button and says why).
 */
export const CASE_FORM_CODES = ['survey', 'review', 'notice'] as const;
export type CaseFormCode = (typeof CASE_FORM_CODES)[number];

export interface CaseFormDefinition {
  code: CaseFormCode;
  /** 附件N of seed 003. */
  attachment: string;
  title: string;
  /** The step that must have been taken before the form has content, or null (附件1: any time, from the card). */
  needs: StepCode | null;
  /** Whether the 用地单位 may download it for its own case (it fills 附件1 and receives 附件3; 附件2 is internal). */
  enterprise: boolean;
  source: string;
}

export const CASE_FORMS: readonly CaseFormDefinition[] = [
  {
    code: 'survey', attachment: '附件1', title: '产业用地使用效益调查表（认定）', needs: null, enterprise: true,
    source: '汕府办〔2019〕6号二.2 向用地单位发出《产业土地使用效益调查表（认定）》（附件1）',
  },
  {
    code: 'review', attachment: '附件2', title: '低效产业用地认定审核表', needs: 'preliminary', enterprise: false,
    source: '汕府办〔2019〕6号二.4 初步判断…填写《低效产业用地认定审核表》（附件2），分送区发改、自然资源、工信、科技、生态环境等部门会审',
  },
  {
    code: 'notice', attachment: '附件3', title: '低效产业用地认定告知书', needs: 'notified', enterprise: true,
    source: '汕府办〔2019〕6号二.6 于3个工作日内向用地单位发出《低效产业用地认定告知书》（附件3），同时抄送区自然资源、工信部门',
  },
];

export function caseForm(code: CaseFormCode): CaseFormDefinition {
  return CASE_FORMS.find((form) => form.code === code)!;
}

/** The case as the availability rule needs it (CaseDetail has these). */
export interface FormCase {
  number: string;
  state: 'open' | 'closed' | 'notified';
  steps: readonly { step: string; outcome: string | null }[];
}

export type FormAvailability = { ok: true } | { ok: false; kind: 'not_ready' | 'forbidden'; message: string };

/**
 * Whether `role` may print `form` of the case now. 附件1 prints at any step (before a return, the
 * card's values as a pre-filled form to send); 附件2 once 初步认定 found the land 低效 (a case closed
 * as 不属低效 has none); 附件3 once the 告知书 was issued. The 用地单位 gets 附件1 and 附件3 only.
 */
export function formAvailability(form: CaseFormCode, role: string, detail: FormCase): FormAvailability {
  const definition = caseForm(form);
  const name = `${definition.attachment}《${definition.title}》`;
  if (role === 'enterprise' && !definition.enterprise) {
    return { ok: false, kind: 'forbidden', message: `${name}是园区办/镇街与区有关部门的内部审核表，用地单位不能下载；用地单位可下载附件1 调查表和附件3 告知书。` };
  }
  if (form === 'review' && !detail.steps.some((step) => step.step === 'preliminary')) {
    const closed = detail.steps.some((step) => step.step === 'closed_not_inefficient');
    return {
      ok: false, kind: 'not_ready',
      message: closed
        ? `案卷 ${detail.number} 初步认定为不属低效产业用地（已结案），不填写${name}。`
        : `案卷 ${detail.number} 尚未初步认定：${name}在「初步认定」（属低效，列明原因、类型和措施）之后才能打印。`,
    };
  }
  if (form === 'notice' && detail.state !== 'notified') {
    return { ok: false, kind: 'not_ready', message: `案卷 ${detail.number} 尚未告知：${name}在「告知」一步（区政府审批同意后由园区办/镇街编号发出）之后才能打印。` };
  }
  return { ok: true };
}

/** The download name: 附件1_产业用地使用效益调查表（认定）_<案卷编号>.pdf. */
export function formFileName(form: CaseFormCode, caseNumber: string): string {
  const definition = caseForm(form);
  return `${definition.attachment}_${definition.title}_${caseNumber}.pdf`;
}

/** The route of a form's PDF (`submission` = a chosen 附件1 snapshot; default the latest). */
export function formUrl(caseId: number, form: CaseFormCode, submission?: number): string {
  return `/api/identification/cases/${caseId}/forms/${form}.pdf${submission ? `?submission=${submission}` : ''}`;
}

/**
 * What 附件3 cites (seed 003 附件3). Policy numbers are data with their source: the seed's 汕头
 * documents, kept as the seed writes them; its "汕自然资发〔2019〕XX号" has no number, so it is left out
 * (LOCAL RULE) until a district gives the real one.
 */
export const NOTICE_TEXT = {
  basis: '《汕头市促进低效产业用地实施意见》（汕府〔2018〕133号）',
  planRules: '汕府〔2018〕133号文',
  source: 'seed 003 汕府办〔2019〕6号 附件3《低效产业用地认定告知书》；汕自然资发〔2019〕XX号文号空缺，未引用（本地规则）',
} as const;

/** 附件3's last sentences, with the city the land lies in where the seed writes 汕头市. */
export function noticeConsequences(city: string): string {
  return `逾期未报送的，将纳入${city}土地市场信用异常名单，适用${city}土地市场信用管理约束措施。情节恶劣的，可纳入${city}土地市场信用黑名单，适用禁止参加政府一切供地活动等${city}土地市场信用管理惩戒措施。`;
}
