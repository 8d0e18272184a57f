/**
 * The 认定案卷's step machine (seed 003 二.1–6): which step may follow which, who may take each, and
 * the deadlines. Pure rules, shared by the server (which enforces them) and the client (which shows
 * only the actions a user may take, and who must act otherwise).
 *
 * Where the seed is silent the product's choice is a LOCAL RULE, marked `local` with its reason:
 * sending a case back (核实 → 调查表回收 again), how the 会审 opinions combine, the deadlines of the
 * steps other than the 告知书's "3个工作日内".
 */

/** Step codes as recorded (identification_steps.step, identification_cases.step). */
export const STEP_CODES = [
  'listed', 'survey_sent', 'survey_returned', 'verified', 'preliminary', 'closed_not_inefficient',
  'review_opinion', 'joint_review', 'approved', 'rejected', 'notified',
] as const;
export type StepCode = (typeof STEP_CODES)[number];

/** The steps a user takes (each one POST route); `preliminary` may record `closed_not_inefficient`, `approved` may record `rejected`. */
export const ACTION_STEPS = ['survey_sent', 'survey_returned', 'verified', 'preliminary', 'review_opinion', 'joint_review', 'approved', 'notified'] as const;
export type ActionStep = (typeof ACTION_STEPS)[number];

/** Who takes a step: a role, and for the offices the unit of the case. */
export type Taker = 'resources' | 'unit_office' | 'enterprise_or_unit_office' | 'department' | 'government';

export interface StepDefinition {
  code: StepCode;
  /** 第几步 of seed 003 二 (1–8); 0 for a department's opinion inside step 6. */
  number: number;
  label: string;
  taker: Taker;
  /** Who takes it, in words. */
  takerLabel: string;
  /** Seed text it implements. */
  source: string;
}

export const STEPS: readonly StepDefinition[] = [
  { code: 'listed', number: 1, label: '列入清单', taker: 'resources', takerLabel: '区自然资源部门', source: '二.1 自然资源部门…提供已设立园区内（按园区区分）、已设立园区外（按街道区分）两类产业用地清单' },
  { code: 'survey_sent', number: 2, label: '调查表发出', taker: 'unit_office', takerLabel: '园区办（园区内）或镇政府/街道办（园区外）', source: '二.2 向用地单位发出《产业土地使用效益调查表（认定）》（附件1）' },
  { code: 'survey_returned', number: 3, label: '调查表回收', taker: 'enterprise_or_unit_office', takerLabel: '用地单位（网上填报）或园区办/镇街（纸质录入）', source: '二.3 收集用地单位填报的《产业用地效益情况表》' },
  { code: 'verified', number: 4, label: '核实', taker: 'unit_office', takerLabel: '园区办/镇街（会同发改、自然资源、工信、税务）', source: '二.3 会同区发改、自然资源、工信、税务等相关部门核实填写内容真实性；可采取一次告知形式…收集佐证材料' },
  { code: 'preliminary', number: 5, label: '初步认定', taker: 'unit_office', takerLabel: '园区办/镇街', source: '二.4 初步判断是否属低效产业用地，列明原因、类型和再利用适用措施，填写《低效产业用地认定审核表》（附件2）' },
  { code: 'closed_not_inefficient', number: 5, label: '初步认定：不属低效（结案）', taker: 'unit_office', takerLabel: '园区办/镇街', source: '二.4 初步判断是否属低效产业用地' },
  { code: 'review_opinion', number: 6, label: '会审意见', taker: 'department', takerLabel: '区发改、自然资源、工信、科技、生态环境部门（各自填写本部门意见）', source: '二.4 分送区发改、自然资源、工信、科技、生态环境等部门会审（附件2 区有关部门审查意见）' },
  { code: 'joint_review', number: 6, label: '会审结论', taker: 'unit_office', takerLabel: '园区办/镇街', source: '二.5 经会审符合低效产业用地认定标准的…报区政府（管委会）审批' },
  { code: 'approved', number: 7, label: '区政府审批同意', taker: 'government', takerLabel: '区政府（管委会）', source: '二.5–6 报区政府（管委会）审批；经区政府（管委会）审批同意' },
  { code: 'rejected', number: 7, label: '区政府审批不同意（结案）', taker: 'government', takerLabel: '区政府（管委会）', source: '二.5 报区政府（管委会）审批' },
  { code: 'notified', number: 8, label: '告知', taker: 'unit_office', takerLabel: '园区办/镇街', source: '二.6 于3个工作日内向用地单位发出《低效产业用地认定告知书》（附件3），同时抄送区自然资源、工信部门' },
];

export function stepDefinition(code: string): StepDefinition | undefined {
  return STEPS.find((step) => step.code === code);
}

export function stepLabel(code: string): string {
  return stepDefinition(code)?.label ?? code;
}

/** The 会审 departments of seed 003 二.4 (附件2 区有关部门审查意见), codes as domain/departments.ts. */
export const JOINT_REVIEW_DEPARTMENTS = [
  { code: 'fagai', label: '发改部门' },
  { code: 'ziranziyuan', label: '自然资源部门' },
  { code: 'gongxin', label: '工信部门' },
  { code: 'keji', label: '科技部门' },
  { code: 'shengtai', label: '生态环境部门' },
] as const;
export type JointReviewDepartment = (typeof JOINT_REVIEW_DEPARTMENTS)[number]['code'];
export const JOINT_REVIEW_DEPARTMENT_CODES = JOINT_REVIEW_DEPARTMENTS.map((department) => department.code) as JointReviewDepartment[];

/** The departments the 核实 is done with (seed 003 二.3), recorded on the step. */
export const VERIFY_DEPARTMENTS = [
  { code: 'fagai', label: '发改' },
  { code: 'ziranziyuan', label: '自然资源' },
  { code: 'gongxin', label: '工信' },
  { code: 'shuiwu', label: '税务' },
] as const;

export function departmentLabel(code: string): string {
  return JOINT_REVIEW_DEPARTMENTS.find((department) => department.code === code)?.label
    ?? VERIFY_DEPARTMENTS.find((department) => department.code === code)?.label ?? code;
}

/** 再利用适用措施 (seed 003 三 / 汕府〔2018〕133号 ways of 盘活和再利用), a list to choose from; free text allowed beside. */
export const REUSE_MEASURES = [
  { code: 'self_renewal', label: '原土地使用权人自行改造（提高容积率、技术改造）' },
  { code: 'cooperation', label: '合作开发、引进项目' },
  { code: 'transfer', label: '依法转让、出租' },
  { code: 'takeback', label: '政府收回、收购储备' },
  { code: 'change_use', label: '按规划调整用途' },
  { code: 'idle_disposal', label: '按闲置土地处置' },
] as const;
export const REUSE_MEASURE_CODES = REUSE_MEASURES.map((measure) => measure.code);

export function reuseMeasureLabel(code: string): string {
  return REUSE_MEASURES.find((measure) => measure.code === code)?.label ?? code;
}

/** 抄送 of the 告知书 the seed requires (二.6); more may be added. */
export const NOTICE_REQUIRED_COPIES = ['区自然资源局', '区工信局'] as const;

/** Months after the 告知书 the 再利用方案 is due (seed 003 三(一) "应在1个月内制订", 附件3 "请你司在1个月内"). */
export const PLAN_DUE_MONTHS = 1;

export type CaseState = 'open' | 'closed' | 'notified';

/** Where a case stands, as the step machine reads it. */
export interface CaseStanding {
  state: CaseState;
  /** The last step taken (not counting department opinions). */
  step: StepCode;
  /** Outcome of the last step: `sent_back` for a 核实 that asked for more (一次告知). */
  outcome: string | null;
}

/**
 * The steps that may follow (what a POST may take next). A department opinion does not move the
 * case: opinions are entered while the case stands at 初步认定.
 */
export function allowedNextSteps(standing: CaseStanding): ActionStep[] {
  if (standing.state !== 'open') return [];
  switch (standing.step) {
    case 'listed': return ['survey_sent'];
    case 'survey_sent': return ['survey_returned'];
    // Another return replaces nothing: each submission is kept, the latest counts.
    case 'survey_returned': return ['survey_returned', 'verified'];
    // LOCAL RULE (seed silent on sending back): a 核实 that asks for 佐证材料 (一次告知) sends the case back to 调查表回收.
    case 'verified': return standing.outcome === 'sent_back' ? ['survey_returned'] : ['preliminary'];
    case 'preliminary': return ['review_opinion', 'joint_review'];
    case 'joint_review': return ['approved'];
    case 'approved': return ['notified'];
    default: return [];
  }
}

/** The person taking a step, as the rules need them (built from the server's Principal). */
export interface CaseActor {
  role: string;
  /** 园区/街道 codes of the user's scope; [] = whole districts. */
  units: readonly string[];
  department: string | null;
  enterpriseParcelIds: readonly number[];
}

/** The case as the rules need it. */
export interface CasePlace {
  parcelId: number;
  unitKind: 'park' | 'street';
  unitCode: string | null;
  unitName: string | null;
}

export type TakerCheck = { ok: true; via?: 'online' | 'paper' } | { ok: false; reason: string };

function officeCheck(actor: CaseActor, place: CasePlace): TakerCheck {
  const office = place.unitKind === 'park' ? 'park_office' : 'street_office';
  const officeLabel = place.unitKind === 'park' ? '园区办' : '镇政府/街道办';
  const unit = place.unitName ? `${place.unitName}${place.unitCode ? ` (${place.unitCode})` : ''}` : '未划入街道的地块';
  if (actor.role !== office) {
    return { ok: false, reason: `该地块${place.unitKind === 'park' ? '位于园区内' : '位于园区外'}，此步由${officeLabel}（${unit}）办理；您的角色不能办理。` };
  }
  if (actor.units.length > 0 && (place.unitCode === null || !actor.units.includes(place.unitCode))) {
    return { ok: false, reason: `此步由${unit}的${officeLabel}办理；您的账号只管辖 ${actor.units.join('、')}。` };
  }
  return { ok: true };
}

/**
 * Whether `actor` may take `step` on this case (the district scope is checked by the server's
 * Scope first). Administrators may take every step (they fix what others cannot).
 */
export function mayTakeStep(step: ActionStep, actor: CaseActor, place: CasePlace): TakerCheck {
  if (actor.role === 'admin') return { ok: true, via: 'paper' };
  switch (step) {
    case 'survey_sent':
    case 'verified':
    case 'preliminary':
    case 'joint_review':
    case 'notified':
      return officeCheck(actor, place);
    case 'survey_returned': {
      if (actor.role === 'enterprise') {
        return actor.enterpriseParcelIds.includes(place.parcelId)
          ? { ok: true, via: 'online' }
          : { ok: false, reason: '用地单位只能填报本单位名下地块的调查表；该地块未关联到您的账号，请联系园区办/镇街。' };
      }
      const office = officeCheck(actor, place);
      return office.ok ? { ok: true, via: 'paper' } : office;
    }
    case 'review_opinion':
      if (actor.role !== 'department') return { ok: false, reason: '会审意见由区发改、自然资源、工信、科技、生态环境部门各自填写；您的角色不能填写。' };
      if (!actor.department || !JOINT_REVIEW_DEPARTMENT_CODES.includes(actor.department as JointReviewDepartment)) {
        return { ok: false, reason: `会审部门为${JOINT_REVIEW_DEPARTMENTS.map((department) => department.label).join('、')}；您的部门（${actor.department ? departmentLabel(actor.department) : '未设置'}）不参加会审。` };
      }
      return { ok: true };
    case 'approved':
      return actor.role === 'government' ? { ok: true } : { ok: false, reason: '审批由区政府（管委会）办理；您的角色不能审批。' };
  }
}

/** Who takes a step, in words (for "等待谁办理"). */
export function takerOf(step: ActionStep, place: Pick<CasePlace, 'unitKind' | 'unitName'>): string {
  const office = `${place.unitKind === 'park' ? '园区办' : '镇政府/街道办'}${place.unitName ? `（${place.unitName}）` : ''}`;
  switch (step) {
    case 'survey_returned': return `用地单位（网上填报）或${office}（纸质录入）`;
    case 'review_opinion': return '区发改、自然资源、工信、科技、生态环境部门';
    case 'approved': return '区政府（管委会）';
    default: return office;
  }
}

export type ReviewOpinion = { department: string; agree: boolean; text: string };

/**
 * LOCAL RULE (seed 003 二.4–5 says the five departments 会审 and then "经会审符合…的" is reported, not
 * how opinions combine): the conclusion is recorded only when every one of the five departments has
 * entered its opinion; when any said 不同意, a conclusion of 符合 must say why it goes on regardless
 * (at least CONCLUSION_REASON_MIN characters). Returns the problem, or null.
 */
export const JOINT_REVIEW_RULE = {
  local: true,
  text: '会审结论须在发改、自然资源、工信、科技、生态环境五个部门均填写意见后录入；任一部门不同意而结论为“符合”时，须说明理由。',
  reason: '汕府办〔2019〕6号二.4–5 只规定分送五部门会审、“经会审符合…的”报区政府审批，未规定意见如何合并；本系统取“全部到齐、异议须说明”的做法，可按本地规定调整。',
} as const;
export const CONCLUSION_REASON_MIN = 10;

export function jointReviewProblem(opinions: readonly ReviewOpinion[], conclusion: { meets: boolean; text: string }): { reason: 'opinions_missing'; missing: JointReviewDepartment[] } | { reason: 'dissent_unexplained'; dissenting: string[] } | null {
  const entered = new Set(opinions.map((opinion) => opinion.department));
  const missing = JOINT_REVIEW_DEPARTMENT_CODES.filter((code) => !entered.has(code));
  if (missing.length > 0) return { reason: 'opinions_missing', missing };
  const dissenting = opinions.filter((opinion) => !opinion.agree).map((opinion) => opinion.department);
  if (conclusion.meets && dissenting.length > 0 && conclusion.text.trim().length < CONCLUSION_REASON_MIN) return { reason: 'dissent_unexplained', dissenting };
  return null;
}

/**
 * Deadlines of the next step, in working days after the step that opens it. Only the 告知书's comes
 * from the seed; the others are LOCAL RULES (defaults a district may change here), so that a case
 * lying still is flagged in the list.
 */
export const STEP_DEADLINES: Readonly<Partial<Record<ActionStep, { workingDays: number; local: boolean; source: string }>>> = {
  survey_sent: { workingDays: 10, local: true, source: '本地规则：列入清单后 10 个工作日内发出调查表' },
  survey_returned: { workingDays: 15, local: true, source: '本地规则：调查表发出（或一次告知）后 15 个工作日内回收' },
  verified: { workingDays: 10, local: true, source: '本地规则：回收后 10 个工作日内核实' },
  preliminary: { workingDays: 10, local: true, source: '本地规则：核实后 10 个工作日内初步认定' },
  joint_review: { workingDays: 10, local: true, source: '本地规则：初步认定后 10 个工作日内完成会审' },
  approved: { workingDays: 15, local: true, source: '本地规则：会审后 15 个工作日内报区政府审批' },
  notified: { workingDays: 3, local: false, source: '汕府办〔2019〕6号二.6：审批同意后于3个工作日内发出告知书' },
};

/** The step whose deadline runs once the case stands at `standing`, or null (closed, or no deadline). */
export function dueStepOf(standing: CaseStanding): ActionStep | null {
  const next = allowedNextSteps(standing).filter((step) => step !== 'review_opinion' && !(step === 'survey_returned' && standing.step === 'survey_returned'));
  const step = next.find((candidate) => STEP_DEADLINES[candidate]);
  return step ?? null;
}

/** Who may open a case (列入清单, seed 003 二.1): the 区自然资源部门, or an administrator. */
export function mayOpenCase(actor: Pick<CaseActor, 'role'>): TakerCheck {
  return actor.role === 'resources' || actor.role === 'admin'
    ? { ok: true }
    : { ok: false, reason: '列入清单（产业用地清单）由区自然资源部门办理；您的角色不能开立认定案卷。' };
}

/** The product's choices where seed 003 is silent, each with its reason: shown on the case page. */
export const LOCAL_RULES: readonly { topic: string; text: string; reason: string }[] = [
  { topic: '会审意见如何合并', text: JOINT_REVIEW_RULE.text, reason: JOINT_REVIEW_RULE.reason },
  {
    topic: '核实退回（一次告知）',
    text: '核实时可一次性列明需补充的佐证材料，案卷退回“调查表回收”，用地单位补充后重新提交调查表。',
    reason: '二.3 允许“采取一次告知形式…收集佐证材料”，未规定退回方式；本系统以退回调查表回收实现。',
  },
  {
    topic: '各步期限',
    text: '告知书 3 个工作日按文件；其余各步期限（10–15 个工作日）为本地默认值，超期在案卷列表中标出。',
    reason: '汕府办〔2019〕6号只规定告知书“于3个工作日内”发出，其余步骤未规定期限。',
  },
  {
    topic: '结案后的地块状态',
    text: '初步认定“不属低效”：地块状态改为正常利用；会审不符合或区政府不同意：地块恢复立案前的状态和低效类型。',
    reason: '文件未规定未获认定时地块状态如何处理；本系统按上述方式处理，可人工复核后修改。',
  },
  {
    topic: '低效类型可多选',
    text: '初步认定可选一个或多个低效类型；地块卡片的“低效类型”取第一个，全部类型保存在案卷中。',
    reason: '二.4 要求“列明原因、类型”；地块表只有一个低效类型字段。',
  },
];
