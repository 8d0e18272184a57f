/**
 * Periodic reports a district files upward (seed 003 四（一）): 附件11 每月25日前, 附件12/13 每季度末月25日前
 * (issue 17). The schedules are data (fixtures/report-schedules.json: frequency, due day, recipients,
 * source text, local rules); this module turns them into periods, due dates and states. Pure code,
 * shared by server and client.
 */

export const REPORT_CODES = ['annex11', 'annex12', 'annex13'] as const;
export type ReportCode = (typeof REPORT_CODES)[number];

export interface ReportSchedule {
  title: string;
  annex: string;
  frequency: 'month' | 'quarter';
  /** The period's report is due on `day` of the month `monthsAfterPeriodStart` months after the period's first month. */
  due: { monthsAfterPeriodStart: number; day: number };
  recipients: string[];
  source: string;
  localRules: string[];
}

export interface ReportSchedules {
  reports: Record<string, ReportSchedule>;
}

/** A period's text: YYYY-MM (monthly) or YYYY-Qn (quarterly). */
export const REPORT_PERIOD_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$';

export interface ReportPeriod {
  period: string;
  /** First and last day, YYYY-MM-DD. */
  start: string;
  end: string;
  /** 2026年11月, 2026年第1季度. */
  label: string;
  dueDate: string;
}

const pad = (value: number) => String(value).padStart(2, '0');

function lastDayOf(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The period starting in `year`/`month` (1-based) under the schedule. */
function periodStarting(schedule: ReportSchedule, year: number, month: number): ReportPeriod {
  const months = schedule.frequency === 'month' ? 1 : 3;
  const endMonthIndex = year * 12 + (month - 1) + months - 1;
  const endYear = Math.floor(endMonthIndex / 12);
  const endMonth = (endMonthIndex % 12) + 1;
  const dueIndex = year * 12 + (month - 1) + schedule.due.monthsAfterPeriodStart;
  const dueYear = Math.floor(dueIndex / 12);
  const dueMonth = (dueIndex % 12) + 1;
  const dueDay = Math.min(schedule.due.day, lastDayOf(dueYear, dueMonth));
  const quarter = Math.floor((month - 1) / 3) + 1;
  return {
    period: schedule.frequency === 'month' ? `${year}-${pad(month)}` : `${year}-Q${quarter}`,
    start: `${year}-${pad(month)}-01`,
    end: `${endYear}-${pad(endMonth)}-${pad(lastDayOf(endYear, endMonth))}`,
    label: schedule.frequency === 'month' ? `${year}年${month}月` : `${year}年第${quarter}季度`,
    dueDate: `${dueYear}-${pad(dueMonth)}-${pad(dueDay)}`,
  };
}

/** The period a text names, or null when it is not one of the schedule's (a quarter for a monthly report, a year outside 2000–2999). */
export function parsePeriod(schedule: ReportSchedule, text: string): ReportPeriod | null {
  const monthly = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  const quarterly = /^(\d{4})-Q([1-4])$/.exec(text);
  if (schedule.frequency === 'month' && monthly) {
    const year = Number(monthly[1]);
    return year >= 2000 && year <= 2999 ? periodStarting(schedule, year, Number(monthly[2])) : null;
  }
  if (schedule.frequency === 'quarter' && quarterly) {
    const year = Number(quarterly[1]);
    return year >= 2000 && year <= 2999 ? periodStarting(schedule, year, (Number(quarterly[2]) - 1) * 3 + 1) : null;
  }
  return null;
}

/** The period a date (YYYY-MM-DD) falls in. */
export function periodOfDate(schedule: ReportSchedule, date: string): ReportPeriod {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const first = schedule.frequency === 'month' ? month : Math.floor((month - 1) / 3) * 3 + 1;
  return periodStarting(schedule, year, first);
}

/** The periods from the one holding `from` to the one holding `to` (dates), oldest first. */
export function periodsBetween(schedule: ReportSchedule, from: string, to: string): ReportPeriod[] {
  const periods: ReportPeriod[] = [];
  if (from > to) return periods;
  let period = periodOfDate(schedule, from);
  const last = periodOfDate(schedule, to).period;
  for (let guard = 0; guard < 12 * 1000; guard++) {
    periods.push(period);
    if (period.period === last) break;
    const [year, month] = period.end.split('-').map(Number);
    period = month === 12 ? periodStarting(schedule, year + 1, 1) : periodStarting(schedule, year, month + 1);
  }
  return periods;
}

/**
 * Where a period's report stands on `today` (China date):
 * `submitted` on time, `late` (submitted after its due date), `overdue` (due date passed, none
 * submitted), `due` (period ended, due date ahead), `open` (period not ended yet).
 */
export type PeriodState = 'submitted' | 'late' | 'overdue' | 'due' | 'open';

export function periodState(period: ReportPeriod, today: string, submission: { onTime: boolean } | null): PeriodState {
  if (submission) return submission.onTime ? 'submitted' : 'late';
  if (period.dueDate < today) return 'overdue';
  return period.end < today ? 'due' : 'open';
}

export const PERIOD_STATE_LABELS: Readonly<Record<PeriodState, string>> = {
  submitted: '已报送',
  late: '逾期报送',
  overdue: '逾期未报',
  due: '待报送',
  open: '报告期未结束',
};
