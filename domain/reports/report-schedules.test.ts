import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePeriod, periodOfDate, periodState, periodsBetween, type ReportSchedules } from './report-schedules.js';

const schedules = JSON.parse(fs.readFileSync(new URL('../../fixtures/report-schedules.json', import.meta.url), 'utf8')) as ReportSchedules;
const annex11 = schedules.reports.annex11;
const quarterly = { ...annex11, frequency: 'quarter' as const, due: { monthsAfterPeriodStart: 2, day: 25 } };

describe('report schedules (fixtures/report-schedules.json)', () => {
  it('附件11 is monthly, due on the 25th of the next month: January 2019 by 2019-02-25, as the seed\'s first report', () => {
    expect(annex11.frequency).toBe('month');
    expect(annex11.recipients).toEqual(['市自然资源局', '市工信局']);
    expect(annex11.source).toContain('每月25日前');
    expect(parsePeriod(annex11, '2019-01')).toEqual({ period: '2019-01', start: '2019-01-01', end: '2019-01-31', label: '2019年1月', dueDate: '2019-02-25' });
    expect(parsePeriod(annex11, '2026-12')?.dueDate).toBe('2027-01-25');
    expect(parsePeriod(annex11, '2024-02')?.end).toBe('2024-02-29');
  });

  it('refuses what is not a period of the schedule', () => {
    expect(parsePeriod(annex11, '2026-Q1')).toBeNull();
    expect(parsePeriod(annex11, '2026-13')).toBeNull();
    expect(parsePeriod(annex11, '1999-12')).toBeNull();
    expect(parsePeriod(quarterly, '2026-03')).toBeNull();
  });

  it('quarters are due in the quarter\'s last month (每季度末月25日前, 附件12/13)', () => {
    expect(parsePeriod(quarterly, '2019-Q1')).toMatchObject({ start: '2019-01-01', end: '2019-03-31', dueDate: '2019-03-25', label: '2019年第1季度' });
    expect(periodOfDate(quarterly, '2026-11-03').period).toBe('2026-Q4');
  });

  it('lists periods between two dates and says where each stands', () => {
    expect(periodsBetween(annex11, '2026-10-15', '2027-01-02').map((period) => period.period)).toEqual(['2026-10', '2026-11', '2026-12', '2027-01']);
    const november = parsePeriod(annex11, '2026-11')!;
    expect(periodState(november, '2026-11-20', null)).toBe('open');
    expect(periodState(november, '2026-12-03', null)).toBe('due');
    expect(periodState(november, '2026-12-25', null)).toBe('due');
    expect(periodState(november, '2026-12-26', null)).toBe('overdue');
    expect(periodState(november, '2026-12-26', { onTime: false })).toBe('late');
    expect(periodState(november, '2026-12-26', { onTime: true })).toBe('submitted');
  });
});
