/**
 * The 再利用项目's step machine (seed 003 三, 附件4–7; issue 17 items 1–4): which step may follow
 * which and who takes each. Pure rules shared by the server (which enforces them) and the client
 * (which shows only what a user may do, and who must act otherwise).
 *
 * Where the seed is silent the product's choice is a LOCAL RULE (REUSE_LOCAL_RULES, with its reason).
 * 验收 (三(三).3, 附件8–10; issue 17 item 5) follows 实施: application, department opinions, the office's
 * 核实, the 区政府's decision and the 核准书; a failure (附件7 五) closes the project and lists the
 * 用地单位 on the 信用异常名单.
 */

export const REUSE_STEP_CODES = [
  'plan_submitted', 'opinion', 'reviewed', 'confirmed', 'requested', 'approved', 'rejected', 'signed', 'started',
  'extension_applied', 'extension_decided',
  'acceptance_applied', 'acceptance_opinion', 'acceptance_reviewed', 'accepted', 'acceptance_refused', 'certificate_issued', 'acceptance_failed',
] as const;
export type ReuseStepCode = (typeof REUSE_STEP_CODES)[number];

/** The steps a user takes now, each one POST route (`approved` may record `rejected`). */
export const REUSE_ACTION_STEPS = [
  'plan_submitted', 'opinion', 'reviewed', 'confirmed', 'requested', 'approved', 'signed', 'started', 'extension_applied', 'extension_decided',
  'acceptance_applied', 'acceptance_opinion', 'acceptance_reviewed', 'accepted', 'certificate_issued', 'acceptance_failed',
] as const;
export type ReuseActionStep = (typeof REUSE_ACTION_STEPS)[number];

export type ReuseTaker = 'owner_or_office' | 'office' | 'department' | 'government';

export interface ReuseStepDefinition {
  code: ReuseStepCode;
  label: string;
  taker: ReuseTaker;
  source: string;
}

export const REUSE_STEPS: readonly ReuseStepDefinition[] = [
  { code: 'plan_submitted', label: '提交再利用方案', taker: 'owner_or_office', source: '三(一) 再利用方案由土地使用权人拟订（附件4）；附件3 “请你司在1个月内…拟订《低效产业用地再利用方案》送我单位审核”' },
  { code: 'opinion', label: '部门意见', taker: 'department', source: '三(二).1 园区办、镇政府（街道办）对土地使用权人提交的再利用方案征求相关部门意见' },
  { code: 'reviewed', label: '意见汇总', taker: 'office', source: '三(二).1 汇总后指导土地使用权人对再利用方案修改完善' },
  { code: 'confirmed', label: '土地使用权人确认', taker: 'owner_or_office', source: '三(二).2 《低效产业用地再利用方案》经土地使用权人确认后；附件4 “同意按照上述方案实施”' },
  { code: 'requested', label: '报区政府批准（请示）', taker: 'office', source: '三(二).2 由园区办、镇政府（街道办）报区政府（管委会）批准（附件5）' },
  { code: 'approved', label: '区政府批复', taker: 'government', source: '三(二).3 区政府（管委会）批复《低效产业用地再利用方案》（附件6）' },
  { code: 'rejected', label: '区政府不予批准（退回修改）', taker: 'government', source: '三(二).3（本地规则：不予批准时退回土地使用权人修改）' },
  { code: 'signed', label: '签订协议书', taker: 'office', source: '三(二).4 园区办、镇政府（街道办）与土地使用权人签订《落实低效产业用地再利用方案协议书》（附件7）' },
  { code: 'started', label: '开始实施', taker: 'office', source: '三(三) 经区政府（管委会）批准的再利用方案，原则上应在3个月内开始实施' },
  { code: 'extension_applied', label: '申请延期', taker: 'owner_or_office', source: '附件7 三 乙方可根据实际情况，于期限届满前1个月内向甲方申请延期' },
  { code: 'extension_decided', label: '延期决定', taker: 'office', source: '附件7 三 经甲方同意延期的，可以延期1次，延期不得超过3个月' },
  { code: 'acceptance_applied', label: '验收申请', taker: 'owner_or_office', source: '三(三).3 由土地使用权人向园区办、镇政府（街道办）提出验收申请（附件8），并填写《产业用地使用效益调查表（验收）》（格式同附件1）' },
  { code: 'acceptance_opinion', label: '验收部门意见', taker: 'department', source: '三(三).3 园区办、镇政府（街道办）牵头会同区相关部门对再利用方案实施情况组织验收；附件9 区相关部门意见' },
  { code: 'acceptance_reviewed', label: '验收核实', taker: 'office', source: '三(三).3 填报《低效产业用地再利用验收核准表》（附件9）上报区政府（管委会）审核' },
  { code: 'accepted', label: '区政府核准验收', taker: 'government', source: '三(三).3 区政府（管委会）审核同意；附件9 区政府、管委会核准意见' },
  { code: 'acceptance_refused', label: '区政府不予核准验收', taker: 'government', source: '附件9 区政府、管委会核准意见（本地规则：不予核准的，由甲方决定整改后重新申请或认定未通过验收）' },
  { code: 'certificate_issued', label: '发出验收核准书', taker: 'office', source: '三(三).3 园区办、镇政府（街道办）于3个工作日内向土地使用权人发出《低效产业用地再利用验收核准书》（附件10），同时抄送区自然资源、工信部门' },
  { code: 'acceptance_failed', label: '未完成再利用（纳入信用异常名单）', taker: 'office', source: '附件7 五 乙方逾期未能完成，或者申请延期未获甲方同意，或者未能通过甲方验收的，甲方有权将乙方纳入汕头市土地市场信用异常名单' },
];

export function reuseStepLabel(code: string): string {
  return REUSE_STEPS.find((step) => step.code === code)?.label ?? code;
}

export type ReuseState = 'open' | 'completed' | 'failed';
export type ExtensionState = 'none' | 'applied' | 'approved' | 'refused';

/** Where a project stands, as the machine reads it; `step` null = no plan submitted yet (no project). */
export interface ReuseStanding {
  state: ReuseState;
  step: ReuseStepCode | null;
  outcome: string | null;
  started: boolean;
  extension: ExtensionState;
  /** Today is after the completion deadline in force (the 逾期 ground). */
  pastDue?: boolean;
}

/** 附件7 五: why a project fails and its 用地单位 goes on the 信用异常名单. */
export const FAILURE_GROUNDS = [
  { code: 'overdue', label: '逾期未能完成', source: '附件7 五 乙方逾期未能完成' },
  { code: 'extension_refused', label: '申请延期未获同意', source: '附件7 五 申请延期未获甲方同意' },
  { code: 'not_passed', label: '未能通过验收', source: '附件7 五 未能通过甲方验收' },
] as const;
export type FailureGround = (typeof FAILURE_GROUNDS)[number]['code'];
export const FAILURE_GROUND_CODES = FAILURE_GROUNDS.map((ground) => ground.code);

/** 附件3: the 认定告知书's own failure — no 再利用方案 within the month — lists the 用地单位 too. */
export const PLAN_OVERDUE_GROUND = { code: 'plan_overdue', label: '逾期未报送再利用方案', source: '附件3 请你司在1个月内…拟订《低效产业用地再利用方案》送我单位审核。逾期未报送的，将纳入汕头市土地市场信用异常名单' } as const;

/** Every ground of the 信用异常名单: 附件3's and 附件7 五's. */
export const CREDIT_GROUNDS = [PLAN_OVERDUE_GROUND, ...FAILURE_GROUNDS] as const;
export type CreditGround = (typeof CREDIT_GROUNDS)[number]['code'];
export const CREDIT_GROUND_CODES = CREDIT_GROUNDS.map((ground) => ground.code);

export function failureGroundLabel(code: string): string {
  return CREDIT_GROUNDS.find((ground) => ground.code === code)?.label ?? code;
}

/** The grounds on which the 甲方 may record a failure now. */
export function failureGrounds(standing: ReuseStanding): FailureGround[] {
  if (standing.state !== 'open' || standing.step === null) return [];
  if (standing.step === 'acceptance_refused' || (standing.step === 'acceptance_reviewed' && standing.outcome === 'fail')) return ['not_passed'];
  if (!inImplementation(standing)) return [];
  const grounds: FailureGround[] = [];
  if (standing.pastDue) grounds.push('overdue');
  if (standing.extension === 'refused') grounds.push('extension_refused');
  return grounds;
}

/** The 实施 phase: after the 协议书, tracking entries and the ledger may be written. */
export function inImplementation(standing: ReuseStanding): boolean {
  return standing.state === 'open' && standing.step !== null && ['signed', 'started', 'extension_applied', 'extension_decided'].includes(standing.step);
}

/** The steps that may follow. A department's opinion does not move the project. */
export function allowedReuseSteps(standing: ReuseStanding): ReuseActionStep[] {
  if (standing.state !== 'open') return [];
  switch (standing.step) {
    case null: return ['plan_submitted'];
    case 'plan_submitted': return ['opinion', 'reviewed'];
    case 'reviewed': return standing.outcome === 'revise' ? ['plan_submitted'] : ['confirmed'];
    case 'confirmed': return ['requested'];
    case 'requested': return ['approved'];
    case 'rejected': return ['plan_submitted'];
    case 'approved': return ['signed'];
    case 'acceptance_applied': return ['acceptance_opinion', 'acceptance_reviewed'];
    case 'acceptance_reviewed': return standing.outcome === 'pass' ? ['accepted'] : ['acceptance_applied', 'acceptance_failed'];
    case 'acceptance_refused': return ['acceptance_applied', 'acceptance_failed'];
    case 'accepted': return ['certificate_issued'];
    default: break;
  }
  if (!inImplementation(standing)) return [];
  const next: ReuseActionStep[] = [];
  if (!standing.started) next.push('started');
  if (standing.extension === 'none') next.push('extension_applied');
  if (standing.extension === 'applied') next.push('extension_decided');
  if (standing.started && standing.extension !== 'applied') next.push('acceptance_applied');
  if (failureGrounds(standing).length > 0) next.push('acceptance_failed');
  return next;
}

/** The person taking a step (built from the server's Principal). */
export interface ReuseActor {
  role: string;
  units: readonly string[];
  department: string | null;
  enterpriseParcelIds: readonly number[];
}

/** The project as the rules need it. */
export interface ReusePlace {
  parcelId: number;
  unitKind: 'park' | 'street';
  unitCode: string | null;
  unitName: string | null;
}

export type ReuseTakerCheck = { ok: true; via?: 'online' | 'paper' } | { ok: false; reason: string };

/** 甲方: the 园区办 for 园区内 land, the 镇政府/街道办 for 园区外 land (the 认定案卷's unit). */
export function officeOf(place: Pick<ReusePlace, 'unitKind' | 'unitName'>): string {
  return `${place.unitKind === 'park' ? '园区办' : '镇政府/街道办'}${place.unitName ? `（${place.unitName}）` : ''}`;
}

function officeCheck(actor: ReuseActor, place: ReusePlace): ReuseTakerCheck {
  const office = place.unitKind === 'park' ? 'park_office' : 'street_office';
  if (actor.role !== office) return { ok: false, reason: `此步由${officeOf(place)}办理；您的角色不能办理。` };
  if (actor.units.length > 0 && (place.unitCode === null || !actor.units.includes(place.unitCode))) {
    return { ok: false, reason: `此步由${officeOf(place)}办理；您的账号只管辖 ${actor.units.join('、')}。` };
  }
  return { ok: true };
}

/** Whether `actor` may take `step` (the district scope is the server's Scope). Administrators may take every step. */
export function mayTakeReuseStep(step: ReuseActionStep, actor: ReuseActor, place: ReusePlace): ReuseTakerCheck {
  if (actor.role === 'admin') return { ok: true, via: 'paper' };
  switch (step) {
    case 'plan_submitted':
    case 'confirmed':
    case 'extension_applied':
    case 'acceptance_applied': {
      if (actor.role === 'enterprise') {
        return actor.enterpriseParcelIds.includes(place.parcelId)
          ? { ok: true, via: 'online' }
          : { ok: false, reason: '用地单位只能办理本单位名下地块的再利用方案；该地块未关联到您的账号，请联系园区办/镇街。' };
      }
      const office = officeCheck(actor, place);
      return office.ok ? { ok: true, via: 'paper' } : office;
    }
    case 'opinion':
    case 'acceptance_opinion':
      return actor.role === 'department' && actor.department
        ? { ok: true }
        : { ok: false, reason: '部门意见由区相关部门（发改、自然资源、工信、科技、生态环境、税务）各自填写；您的角色不能填写。' };
    case 'approved':
      return actor.role === 'government' ? { ok: true } : { ok: false, reason: '再利用方案由区政府（管委会）批复；您的角色不能批复。' };
    case 'accepted':
      return actor.role === 'government' ? { ok: true } : { ok: false, reason: '再利用验收由区政府（管委会）审核核准；您的角色不能核准。' };
    default:
      return officeCheck(actor, place);
  }
}

/** Who takes a step, in words. */
export function reuseTakerOf(step: string, place: Pick<ReusePlace, 'unitKind' | 'unitName'>): string {
  const definition = REUSE_STEPS.find((candidate) => candidate.code === step);
  switch (definition?.taker) {
    case 'owner_or_office': return `用地单位（网上）或${officeOf(place)}（代为录入）`;
    case 'department': return '区相关部门（各自填写本部门意见）';
    case 'government': return '区政府（管委会）';
    default: return officeOf(place);
  }
}

/** 请示/批复 文号 "XX〔2026〕XX 号" (附件5、6): an organ's short name, the year in 〔〕, a number, 号. */
export const DOCUMENT_NUMBER_PATTERN = /^[\u4e00-\u9fa5A-Za-z]{1,12}〔(\d{4})〕\d{1,5} ?号$/;

/** Why a 文号 is not one, or null. */
export function documentNumberProblem(number: string, date: string | null): string | null {
  const match = DOCUMENT_NUMBER_PATTERN.exec(number.trim());
  if (!match) return `文号“${number}”格式不对：应为“机关代字〔年份〕序号 号”，如“湖政〔2026〕12 号”（用六角括号〔〕）。`;
  if (date && match[1] !== date.slice(0, 4)) return `文号中的年份 ${match[1]} 与发文日期 ${date} 的年份不一致。`;
  return null;
}

/** 附件4 三: the checklist of 低效利用主要问题. */
export const PLAN_ISSUES = [
  { code: 'below_agreed', label: '未达到约定指标' },
  { code: 'not_in_production', label: '未投产' },
  { code: 'stopped', label: '停产' },
  { code: 'vacant_buildings', label: '厂房空置' },
  { code: 'unbuilt', label: '土地未建设' },
  { code: 'idle', label: '土地闲置' },
  { code: 'high_energy', label: '高能耗' },
  { code: 'high_pollution', label: '高污染' },
] as const;
export const PLAN_ISSUE_CODES = PLAN_ISSUES.map((issue) => issue.code);

/** 实施跟踪 kinds (三(三).1–2). */
export const TRACKING_KINDS = [
  { code: 'follow_up', label: '定期跟进' },
  { code: 'register', label: '登记造册' },
  { code: 'procedure', label: '手续办理' },
  { code: 'supplementary', label: '补充协议' },
] as const;
export const TRACKING_KIND_CODES = TRACKING_KINDS.map((kind) => kind.code);

export function trackingKindLabel(code: string): string {
  return TRACKING_KINDS.find((kind) => kind.code === code)?.label ?? code;
}

/** The product's choices where seed 003 is silent, each with its reason: shown on the project page. */
export const REUSE_LOCAL_RULES: readonly { topic: string; text: string; reason: string }[] = [
  {
    topic: '意见汇总',
    text: '园区办/镇街在至少一个部门填写意见后录入汇总：需修改的，退回用地单位提交新版本（每一版都保留）；无需修改的，由用地单位确认。',
    reason: '三(二).1 只规定“征求相关部门意见，汇总后指导土地使用权人修改完善”，未规定征求哪些部门、几轮。',
  },
  {
    topic: '不予批准',
    text: '区政府不予批准时须写明理由，方案退回用地单位修改，重新走审查、确认、请示。',
    reason: '三(二).3 只写“批复”，未规定不予批准的处理。',
  },
  {
    topic: '延期申请窗口',
    text: '延期申请日须在完成期限前 1 个月之内（期限前一个月的同一日至期限当日）；延期 1 至 3 个月，只能申请一次，由甲方（园区办/镇街）决定。',
    reason: '附件7 三 “于期限届满前1个月内向甲方申请延期…可以延期1次，延期不得超过3个月”。',
  },
  {
    topic: '验收申请',
    text: '开始实施后、没有待决定的延期申请时可申请验收；期限届满后仍可申请（甲方也可认定逾期）。至少一个部门填写验收意见后，园区办/镇街才能录入核实意见（附件9）。',
    reason: '三(三).3 只写“完成再利用目标任务的，由土地使用权人提出验收申请”“会同区相关部门组织验收”，未规定征求哪些部门。',
  },
  {
    topic: '验收未通过',
    text: '核实不通过或区政府不予核准的，甲方可让用地单位整改后重新申请验收，或认定“未能通过验收”（纳入信用异常名单）。',
    reason: '附件7 五 写“甲方有权”纳入名单，未规定是否允许整改后重新验收。',
  },
  {
    topic: '未完成再利用后的地块状态',
    text: '项目认定未完成（逾期、延期未获同意、未通过验收）时项目关闭，地块效率状态恢复为签订协议书前的状态（低效产业用地），用地单位列入信用异常名单。',
    reason: '文件未规定再利用失败后地块的状态；地块仍属低效产业用地。',
  },
];
