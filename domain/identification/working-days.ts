/**
 * Working days (工作日) for deadlines counted in them (seed 003 二.6: the 告知书 goes out "于3个工作日内"
 * of the approval). The calendar is data (fixtures/working-calendar.json: holidays and adjusted
 * working days per year, each year with the State Council notice it comes from); a year it does not
 * hold counts Monday–Friday only, and the answer says so (`covered: false`).
 */

export interface CalendarYear {
  source: string;
  /** True while the year's State Council notice is not in the data (statutory holidays only, no 调休). */
  provisional: boolean;
  holidays: string[];
  workdays: string[];
}

export interface WorkingCalendar {
  years: Record<string, CalendarYear>;
}

/** A calendar date YYYY-MM-DD as a UTC day number (days since 1970-01-01). */
function dayNumber(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

function dateOf(dayNumberValue: number): string {
  return new Date(dayNumberValue * 86_400_000).toISOString().slice(0, 10);
}

export function isValidDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && dateOf(dayNumber(date)) === date;
}

export class WorkingDays {
  private readonly holidays: Set<string>;
  private readonly workdays: Set<string>;

  constructor(readonly calendar: WorkingCalendar) {
    this.holidays = new Set(Object.values(calendar.years).flatMap((year) => year.holidays));
    this.workdays = new Set(Object.values(calendar.years).flatMap((year) => year.workdays));
  }

  /** Whether the calendar holds the year's notice (false: a year missing or provisional). */
  covers(date: string): boolean {
    const year = this.calendar.years[date.slice(0, 4)];
    return year !== undefined && !year.provisional;
  }

  /** The source of the year's data, or null when the calendar has no such year. */
  sourceOf(date: string): string | null {
    return this.calendar.years[date.slice(0, 4)]?.source ?? null;
  }

  isWorkingDay(date: string): boolean {
    if (this.workdays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    const weekday = new Date(dayNumber(date) * 86_400_000).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The n-th working day after `date` ("于3个工作日内" of a Friday-before-a-holiday approval: the
   * third working day after it). The day itself does not count. `covered` is false when a day on the
   * way lies in a year the calendar does not hold (or holds provisionally).
   */
  addWorkingDays(date: string, count: number): { date: string; covered: boolean } {
    let day = dayNumber(date);
    let left = count;
    let covered = this.covers(date);
    while (left > 0) {
      day += 1;
      const candidate = dateOf(day);
      if (!this.covers(candidate)) covered = false;
      if (this.isWorkingDay(candidate)) left -= 1;
    }
    return { date: dateOf(day), covered };
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
  workingDaysBetween(from: string, to: string): number {
    let count = 0;
    for (let day = dayNumber(from) + 1; day <= dayNumber(to); day++) if (this.isWorkingDay(dateOf(day))) count++;
    return count;
  }
}

/**
 * The same day `months` calendar months later (1 month after 2026-01-31 is 2026-02-28: the last day
 * of a shorter month), as "在1个月内" reads (seed 003 三(一), 附件3).
 */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, last));
  return target.toISOString().slice(0, 10);
}

/** Today as YYYY-MM-DD in China Standard Time (UTC+8), the calendar the procedure is dated in. */
export function todayInChinaDate(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
