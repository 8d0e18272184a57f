/**
 * 低效用地再开发年度实施计划 and its 台账 (issue 18 item 5; seed 004 三(二)2, 三(四), 四; seed 000 五(三)).
 * The plan's states and the steps between them, and when a milestone is overdue, are pure code: the
 * server enforces them, the client offers them, the reports count with them.
 */
export const PLAN_STATES = [
  { code: 'drafting', label: '编制中', color: '#f2b134' },
  { code: 'reviewed', label: '专班审定', color: '#3f7fbf' },
  { code: 'issued', label: '已下达', color: '#4c9a5b' },
] as const;

export type PlanState = (typeof PLAN_STATES)[number]['code'];
export const PLAN_STATE_CODES = PLAN_STATES.map((state) => state.code) as PlanState[];

/**
 * 编制中 → 专班审定 (seed 004 五(一) 工作专班"审定……实施计划") → 已下达. LOCAL RULE: the 专班 may send a
 * reviewed plan back to 编制中 (退回修改, with a reason); an issued plan is final (a new year's plan follows).
 */
export const PLAN_TRANSITIONS: Readonly<Record<PlanState, readonly PlanState[]>> = {
  drafting: ['reviewed'],
  reviewed: ['issued', 'drafting'],
  issued: [],
};

/** Steps that need a reason (退回修改). */
export const PLAN_STEPS_NEEDING_REASON: readonly (readonly [PlanState, PlanState])[] = [['reviewed', 'drafting']];

export function planStateLabel(code: string | null | undefined): string {
  return PLAN_STATES.find((state) => state.code === code)?.label ?? (code ?? '');
}

export function planNextStates(state: string): readonly PlanState[] {
  return PLAN_TRANSITIONS[state as PlanState] ?? [];
}

export function planStepNeedsReason(from: string, to: string): boolean {
  return PLAN_STEPS_NEEDING_REASON.some(([a, b]) => a === from && b === to);
}

/** LOCAL RULE: projects (and their 实施方案) change only while the plan is 编制中; milestones and their done dates at any time. */
export function planProjectsEditable(state: string): boolean {
  return state === 'drafting';
}

/** The 实施方案 of a project (seed 004 三(四)1): 盘活模式, 改造计划, 项目运营计划, 资金平衡测算及筹措, 建设时序. */
export const SCHEME_FIELDS = [
  { key: 'mode', label: '盘活模式' },
  { key: 'renovation', label: '改造计划' },
  { key: 'operation', label: '项目运营计划' },
  { key: 'funding', label: '资金平衡测算及筹措' },
  { key: 'schedule', label: '建设时序' },
] as const;
export type SchemeKey = (typeof SCHEME_FIELDS)[number]['key'];

export type MilestoneStatus = 'done' | 'done_late' | 'overdue' | 'pending';

export const MILESTONE_STATUS_LABELS: Readonly<Record<MilestoneStatus, string>> = {
  done: '按期完成',
  done_late: '逾期完成',
  overdue: '已逾期',
  pending: '未到期',
};

/**
 * A milestone (dates YYYY-MM-DD, China calendar days): done on or before its planned date → 按期完成;
 * done after it → 逾期完成; not done and its planned date before `today` → 已逾期; otherwise 未到期.
 */
export function milestoneStatus(milestone: { plannedDate: string; doneDate: string | null }, today: string): MilestoneStatus {
  if (milestone.doneDate !== null) return milestone.doneDate <= milestone.plannedDate ? 'done' : 'done_late';
  return milestone.plannedDate < today ? 'overdue' : 'pending';
}

export function milestoneOverdue(milestone: { plannedDate: string; doneDate: string | null }, today: string): boolean {
  return milestoneStatus(milestone, today) === 'overdue';
}

/** Days a milestone is (or was) late: 0 when on time or not yet due. */
export function milestoneDaysLate(milestone: { plannedDate: string; doneDate: string | null }, today: string): number {
  const end = milestone.doneDate ?? today;
  const days = Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${milestone.plannedDate}T00:00:00Z`)) / 86_400_000);
  return Math.max(0, days);
}

/** The 试点 count of a plan against the policy (seed 000: 1–2 per district): a warning, never a refusal. */
export function pilotWarning(pilots: number, policy: { pilotMin: number; pilotMax: number }): string | null {
  if (pilots > policy.pilotMax) return `本计划有 ${pilots} 个试点项目，超过每区 ${policy.pilotMin}～${policy.pilotMax} 个的要求（厦门市低效工业用地再开发试点工作方案 五(三)）：请确认。`;
  if (pilots < policy.pilotMin) return `本计划尚无足够的试点项目（${pilots} 个，要求每区 ${policy.pilotMin}～${policy.pilotMax} 个）。`;
  return null;
}

/** The two reports drawn from the 台账 (seed 004 五(二) "每双月报送工作简报，每半年编制工作进展情况报告"). */
export const PLAN_REPORTS = [
  { code: 'bimonthly', label: '双月工作简报', months: 2 },
  { code: 'half-year', label: '半年工作进展情况报告', months: 6 },
] as const;
export type PlanReportKind = (typeof PLAN_REPORTS)[number]['code'];
export const PLAN_REPORT_KINDS = PLAN_REPORTS.map((report) => report.code) as PlanReportKind[];

/**
 * The period a report covers: the n-th two months (1–6) or half year (1–2) of the plan's year, as
 * first and last day (YYYY-MM-DD) and its name (2026年第3期（5—6月）, 2026年上半年).
 */
export function reportPeriod(kind: PlanReportKind, year: number, period: number): { from: string; to: string; name: string } | null {
  const months = kind === 'bimonthly' ? 2 : 6;
  const count = 12 / months;
  if (!Number.isInteger(period) || period < 1 || period > count) return null;
  const firstMonth = (period - 1) * months + 1;
  const lastMonth = firstMonth + months - 1;
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  const pad = (value: number) => String(value).padStart(2, '0');
  const name = kind === 'bimonthly' ? `${year}年第${period}期（${firstMonth}—${lastMonth}月）` : `${year}年${period === 1 ? '上半年' : '下半年'}`;
  return { from: `${year}-${pad(firstMonth)}-01`, to: `${year}-${pad(lastMonth)}-${pad(lastDay)}`, name };
}

/** The period of `today` (the report one would print now). */
export function currentReportPeriod(kind: PlanReportKind, today: string): number {
  const month = Number(today.slice(5, 7));
  return kind === 'bimonthly' ? Math.ceil(month / 2) : month <= 6 ? 1 : 2;
}
