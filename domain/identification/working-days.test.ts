import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WorkingDays, addMonths, isValidDate, type WorkingCalendar } from './working-days.js';

const calendar = JSON.parse(fs.readFileSync(new URL('../../fixtures/working-calendar.json', import.meta.url), 'utf8')) as WorkingCalendar;
const days = new WorkingDays(calendar);

describe('working-day calendar (fixtures/working-calendar.json)', () => {
  it('holds 2025 and 2026 from the State Council notices, 2027 provisionally, every date real and no day both holiday and workday', () => {
    expect(Object.keys(calendar.years)).toEqual(['2025', '2026', '2027']);
    expect(calendar.years['2025'].provisional).toBe(false);
    expect(calendar.years['2026'].provisional).toBe(false);
    expect(calendar.years['2027'].provisional).toBe(true);
    for (const [year, data] of Object.entries(calendar.years)) {
      for (const date of [...data.holidays, ...data.workdays]) {
        expect(isValidDate(date), date).toBe(true);
        expect(date.startsWith(year), date).toBe(true);
      }
      expect(data.holidays.filter((date) => data.workdays.includes(date))).toEqual([]);
      // 调休上班 days are weekends; every listed 2025/2026 holiday block has the notice's length.
      for (const date of data.workdays) expect([0, 6]).toContain(new Date(`${date}T00:00:00Z`).getUTCDay());
    }
    expect(calendar.years['2025'].holidays).toHaveLength(28);
    expect(calendar.years['2026'].holidays).toHaveLength(33);
  });

  it('counts 2026 春节: approved Friday 2026-02-13 → 3 working days skip the holiday and land on 2026-02-26 (2-14 is an adjusted workday)', () => {
    expect(days.isWorkingDay('2026-02-14')).toBe(true);
    expect(days.isWorkingDay('2026-02-16')).toBe(false);
    // 2-14 (Sat, 上班) is day 1, then 2-24, 2-25.
    expect(days.addWorkingDays('2026-02-13', 3)).toEqual({ date: '2026-02-25', covered: true });
    expect(days.addWorkingDays('2026-02-12', 3)).toEqual({ date: '2026-02-24', covered: true });
  });

  it('counts ordinary weeks and the 2025 国庆/中秋 with 10-11 上班', () => {
    expect(days.addWorkingDays('2026-12-03', 3)).toEqual({ date: '2026-12-08', covered: true });
    expect(days.addWorkingDays('2025-09-30', 3)).toEqual({ date: '2025-10-11', covered: true });
    expect(days.isWorkingDay('2025-10-11')).toBe(true);
    expect(days.addWorkingDays('2025-09-26', 1)).toEqual({ date: '2025-09-28', covered: true });
    expect(days.workingDaysBetween('2026-09-30', '2026-10-12')).toBe(4);
  });

  it('says when a deadline runs into a year the calendar does not hold for sure', () => {
    expect(days.addWorkingDays('2026-12-30', 3)).toEqual({ date: '2027-01-05', covered: false });
    expect(days.addWorkingDays('2028-03-01', 1)).toEqual({ date: '2028-03-02', covered: false });
  });

  it('adds calendar months, clamping to the month end', () => {
    expect(addMonths('2026-03-15', 1)).toBe('2026-04-15');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-12-10', 1)).toBe('2027-01-10');
  });
});
