import { addMonths } from '../identification/working-days.js';

/**
 * The clocks of the 再利用 procedure as data (seed 003 三, 附件3, 附件7; issue 17 item 6): each runs
 * from an event, in calendar months ("在1个月内", "3个月内", "1年内"), and is met by a step; the 核准书
 * clock counts 工作日 ("于3个工作日内", on the working-day calendar: the caller gives its due date).
 * The 认定告知书's "3个工作日" is the 认定案卷's own deadline (STEP_DEADLINES.notified in
 * domain/identification/steps.ts, same calendar). The 延期 window is shown as a clock too: it is
 * never overdue (a 延期 is optional) but `lapsed` once its last day has passed without an application.
 */
export interface ClockDefinition {
  code: 'plan' | 'approval' | 'start' | 'completion' | 'extension' | 'certificate';
  label: string;
  /** The event it runs from, in words. */
  from: string;
  /** Calendar months; 0 for a clock counted in working days. */
  months: number;
  workingDays?: number;
  metBy: string;
  source: string;
  local: boolean;
}

export const REUSE_CLOCKS: readonly ClockDefinition[] = [
  { code: 'plan', label: '提交再利用方案', from: '认定告知书日期', months: 1, metBy: '提交再利用方案（第 1 版）', local: false, source: '汕府办〔2019〕6号三(一) “应在1个月内制订《低效产业用地再利用方案》”；附件3 “请你司在1个月内…拟订《低效产业用地再利用方案》送我单位审核”' },
  { code: 'approval', label: '方案审查审批', from: '认定告知书日期', months: 3, metBy: '区政府批复', local: false, source: '三(二) “应在3个月内完成再利用方案审查审批”' },
  { code: 'start', label: '开始实施', from: '区政府批复日期', months: 3, metBy: '开始实施', local: false, source: '三(三) “经区政府（管委会）批准的再利用方案，原则上应在3个月内开始实施”（自批复之日起算）' },
  { code: 'completion', label: '完成再利用', from: '协议书签订日期', months: 12, metBy: '验收申请', local: false, source: '三(三) “1年内完成再利用（具体按照《落实低效产业用地再利用方案协议书》约定执行）”；附件7 三 “本协议书签订1年内（或者XX个月内）”' },
  { code: 'extension', label: '延期申请期', from: '完成期限前1个月', months: 1, metBy: '申请延期', local: false, source: '附件7 三 “乙方可根据实际情况，于期限届满前1个月内向甲方申请延期，经甲方同意延期的，可以延期1次，延期不得超过3个月”' },
  { code: 'certificate', label: '发出验收核准书', from: '区政府核准验收日期', months: 0, workingDays: 3, metBy: '发出验收核准书', local: false, source: '三(三).3 区政府（管委会）审核同意后，园区办、镇政府（街道办）于3个工作日内向土地使用权人发出《低效产业用地再利用验收核准书》（附件10）' },
];

/** 三(三).3 "于3个工作日内" of the 区政府's consent. */
export const CERTIFICATE_WORKING_DAYS = 3;

/** 附件7 三: apply "于期限届满前1个月内", extend "1次", "不得超过3个月". */
export const EXTENSION_RULE = { windowMonths: 1, maxMonths: 3, times: 1, source: '附件7 三 乙方可根据实际情况，于期限届满前1个月内向甲方申请延期，经甲方同意延期的，可以延期1次，延期不得超过3个月。' } as const;

/** The default 完成期限 of the 协议书: "签订1年内". */
export const DEFAULT_TERM_MONTHS = 12;

export type ClockState = 'waiting' | 'running' | 'met' | 'met_late' | 'overdue' | 'lapsed';

export interface Clock {
  code: ClockDefinition['code'];
  label: string;
  from: string;
  startDate: string | null;
  dueDate: string | null;
  metOn: string | null;
  state: ClockState;
  source: string;
  local: boolean;
}

/** The dates the clocks read from a project (or from a notified case with no project yet). */
export interface ClockEvents {
  noticeDate: string;
  firstPlanOn: string | null;
  approvedOn: string | null;
  signedOn: string | null;
  termMonths: number | null;
  startedOn: string | null;
  /** The completion deadline in force (after an approved 延期). */
  completionDue: string | null;
  completedOn: string | null;
  /** The day the 延期 was applied for (it runs in the window before the original completion deadline). */
  extensionAppliedOn?: string | null;
  closed: boolean;
  /** The 区政府's consent to the acceptance, the 核准书 due (3 working days later) and its date. */
  acceptedOn?: string | null;
  certificateDue?: string | null;
  certificateOn?: string | null;
}

/**
 * A clock's state on `today`: the due day itself is still in time (overdue from the day after).
 * An optional clock (the 延期 window) is `waiting` before its first day and `lapsed`, not overdue, after its last.
 */
export function clockState(startDate: string | null, dueDate: string | null, metOn: string | null, today: string, closed: boolean, optional = false): ClockState {
  if (startDate === null || dueDate === null) return 'waiting';
  if (metOn !== null) return metOn <= dueDate ? 'met' : 'met_late';
  if (optional) return closed || today > dueDate ? 'lapsed' : today < startDate ? 'waiting' : 'running';
  return !closed && today > dueDate ? 'overdue' : 'running';
}

function clock(definition: ClockDefinition, startDate: string | null, dueDate: string | null, metOn: string | null, today: string, closed: boolean): Clock {
  const state = clockState(startDate, dueDate, metOn, today, closed, definition.code === 'extension');
  return { code: definition.code, label: definition.label, from: definition.from, startDate, dueDate, metOn, state, source: definition.source, local: definition.local };
}

/** Every clock of a project as of `today` (YYYY-MM-DD, China time). */
export function reuseClocks(events: ClockEvents, today: string): Clock[] {
  return REUSE_CLOCKS.map((definition) => {
    switch (definition.code) {
      case 'plan': return clock(definition, events.noticeDate, addMonths(events.noticeDate, definition.months), events.firstPlanOn, today, events.closed);
      case 'approval': return clock(definition, events.noticeDate, addMonths(events.noticeDate, definition.months), events.approvedOn, today, events.closed);
      case 'start': return clock(definition, events.approvedOn, startDueOf(events.approvedOn), events.startedOn, today, events.closed);
      case 'completion': return clock(definition, events.signedOn, events.completionDue, events.completedOn, today, events.closed);
      case 'extension': {
        // The window lies before the agreement's own deadline (not the extended one).
        const due = events.signedOn && events.termMonths ? addMonths(events.signedOn, events.termMonths) : null;
        const window = due ? extensionWindow(due) : null;
        return clock(definition, window?.from ?? null, window?.to ?? null, events.extensionAppliedOn ?? null, today, events.closed);
      }
      case 'certificate': return clock(definition, events.acceptedOn ?? null, events.certificateDue ?? null, events.certificateOn ?? null, today, events.closed);
    }
  });
}

/** 三(三) "原则上应在3个月内开始实施": the start's deadline, from the 批复 date. */
export function startDueOf(approvedOn: string | null): string | null {
  return approvedOn ? addMonths(approvedOn, 3) : null;
}

/** The 延期 window of a deadline: from one calendar month before it to the deadline itself. */
export function extensionWindow(due: string): { from: string; to: string } {
  return { from: addMonths(due, -EXTENSION_RULE.windowMonths), to: due };
}

export type ExtensionProblem =
  | { reason: 'extension_used' }
  | { reason: 'extension_window'; window: { from: string; to: string } }
  | { reason: 'extension_too_long'; maxMonths: number };

/** Why a 延期 application on `appliedOn` for `months` is refused, or null. */
export function extensionProblem(input: { due: string; appliedOn: string; months: number; alreadyApplied: boolean }): ExtensionProblem | null {
  if (input.alreadyApplied) return { reason: 'extension_used' };
  if (input.months > EXTENSION_RULE.maxMonths || input.months < 1) return { reason: 'extension_too_long', maxMonths: EXTENSION_RULE.maxMonths };
  const window = extensionWindow(input.due);
  if (input.appliedOn < window.from || input.appliedOn > window.to) return { reason: 'extension_window', window };
  return null;
}
