import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STEP_DEADLINES } from '../identification/steps.js';
import { WorkingDays, type WorkingCalendar } from '../identification/working-days.js';
import { CERTIFICATE_WORKING_DAYS, REUSE_CLOCKS, clockState, extensionProblem, reuseClocks, type ClockEvents } from './clocks.js';

/**
 * Every clock of issue 17 item 6 at its edges: the day before the due date, the due date, the day after,
 * and a holiday inside the window (calendar-month clocks ignore it, working-day clocks skip it).
 */
const calendar = JSON.parse(fs.readFileSync(new URL('../../fixtures/working-calendar.json', import.meta.url), 'utf8')) as WorkingCalendar;
const days = new WorkingDays(calendar);

const NONE: ClockEvents = {
  noticeDate: '2026-09-20', firstPlanOn: null, approvedOn: null, signedOn: null, termMonths: null, startedOn: null,
  completionDue: null, completedOn: null, closed: false,
};
const stateOn = (code: string, events: Partial<ClockEvents>, today: string) => reuseClocks({ ...NONE, ...events }, today).find((clock) => clock.code === code)!;

describe('再利用 clocks (domain/reuse/clocks.ts)', () => {
  it('are data with a source, every one from the seed (none a local rule now)', () => {
    expect(REUSE_CLOCKS.map((clock) => clock.code)).toEqual(['plan', 'approval', 'start', 'completion', 'extension', 'certificate']);
    for (const clock of REUSE_CLOCKS) {
      expect(clock.source).toMatch(/三\(|附件/);
      expect(clock.local).toBe(false);
    }
  });

  it('方案 1 month from the 告知书 date: the 国庆 holiday inside does not move it (calendar months)', () => {
    // 告知书 2026-09-20; 2026-10-01…07 lie inside; due 2026-10-20.
    expect(stateOn('plan', {}, '2026-10-19')).toMatchObject({ startDate: '2026-09-20', dueDate: '2026-10-20', state: 'running' });
    expect(stateOn('plan', {}, '2026-10-20').state).toBe('running');
    expect(stateOn('plan', {}, '2026-10-21').state).toBe('overdue');
    expect(stateOn('plan', { firstPlanOn: '2026-10-20' }, '2026-10-21').state).toBe('met');
    expect(stateOn('plan', { firstPlanOn: '2026-10-21' }, '2026-10-21').state).toBe('met_late');
    // The last day of a shorter month.
    expect(stateOn('plan', { noticeDate: '2026-01-31' }, '2026-02-01').dueDate).toBe('2026-02-28');
  });

  it('审批 3 months from the 告知书 date, met by the 区政府批复', () => {
    expect(stateOn('approval', {}, '2026-12-19')).toMatchObject({ dueDate: '2026-12-20', state: 'running' });
    expect(stateOn('approval', {}, '2026-12-20').state).toBe('running');
    expect(stateOn('approval', {}, '2026-12-21').state).toBe('overdue');
    expect(stateOn('approval', { approvedOn: '2026-12-21' }, '2026-12-22').state).toBe('met_late');
  });

  it('开始实施 3 months from the 批复 (三(三) "经区政府批准的再利用方案…3个月内开始实施"), waiting before it', () => {
    expect(stateOn('start', {}, '2026-11-01')).toMatchObject({ startDate: null, dueDate: null, state: 'waiting' });
    const approved = { approvedOn: '2026-11-15', signedOn: '2026-12-01', termMonths: 12, completionDue: '2027-12-01' };
    expect(stateOn('start', approved, '2027-02-14')).toMatchObject({ startDate: '2026-11-15', dueDate: '2027-02-15', state: 'running' });
    expect(stateOn('start', approved, '2027-02-15').state).toBe('running');
    expect(stateOn('start', approved, '2027-02-16').state).toBe('overdue');
    expect(stateOn('start', { ...approved, startedOn: '2027-02-15' }, '2027-03-01').state).toBe('met');
  });

  it('完成 the agreement term from signing, moved by an approved 延期; a closed project is never overdue', () => {
    const signed = { approvedOn: '2026-01-10', signedOn: '2026-02-13', termMonths: 12, completionDue: '2027-02-13' };
    expect(stateOn('completion', signed, '2027-02-12')).toMatchObject({ startDate: '2026-02-13', dueDate: '2027-02-13', state: 'running' });
    expect(stateOn('completion', signed, '2027-02-13').state).toBe('running');
    expect(stateOn('completion', signed, '2027-02-14').state).toBe('overdue');
    expect(stateOn('completion', { ...signed, completionDue: '2027-05-13' }, '2027-02-14')).toMatchObject({ dueDate: '2027-05-13', state: 'running' });
    expect(stateOn('completion', { ...signed, closed: true }, '2027-02-14').state).toBe('running');
    expect(stateOn('completion', { ...signed, completedOn: '2027-02-13' }, '2027-03-01').state).toBe('met');
  });

  it('延期 window: the month before the agreement deadline, 春节 inside it; waiting / running / lapsed, never overdue', () => {
    // Signed 2025-03-10 for 1 year: due 2026-03-10, window 2026-02-10 … 2026-03-10 with 春节 (2-15…2-23) inside.
    const signed = { approvedOn: '2025-02-01', signedOn: '2025-03-10', termMonths: 12, completionDue: '2026-03-10' };
    expect(stateOn('extension', signed, '2026-02-09')).toMatchObject({ startDate: '2026-02-10', dueDate: '2026-03-10', state: 'waiting' });
    expect(stateOn('extension', signed, '2026-02-10').state).toBe('running');
    expect(stateOn('extension', signed, '2026-02-18').state).toBe('running');
    expect(stateOn('extension', signed, '2026-03-10').state).toBe('running');
    expect(stateOn('extension', signed, '2026-03-11').state).toBe('lapsed');
    // Applied inside the window: met, and the window keeps to the original deadline after the 延期 is granted.
    expect(stateOn('extension', { ...signed, extensionAppliedOn: '2026-02-18', completionDue: '2026-06-10' }, '2026-04-01'))
      .toMatchObject({ dueDate: '2026-03-10', metOn: '2026-02-18', state: 'met' });
    // The refusals at the same edges (附件7 三).
    const apply = (appliedOn: string) => extensionProblem({ due: '2026-03-10', appliedOn, months: 3, alreadyApplied: false });
    expect(apply('2026-02-09')).toEqual({ reason: 'extension_window', window: { from: '2026-02-10', to: '2026-03-10' } });
    expect(apply('2026-02-10')).toBeNull();
    expect(apply('2026-02-18')).toBeNull();
    expect(apply('2026-03-10')).toBeNull();
    expect(apply('2026-03-11')?.reason).toBe('extension_window');
    expect(extensionProblem({ due: '2026-03-10', appliedOn: '2026-03-01', months: 4, alreadyApplied: false })?.reason).toBe('extension_too_long');
    expect(extensionProblem({ due: '2026-03-10', appliedOn: '2026-03-01', months: 1, alreadyApplied: true })?.reason).toBe('extension_used');
  });

  it('核准书 3 working days from the 区政府 consent on the calendar: 国庆 skipped, 10-10 an adjusted workday', () => {
    // Consent Wed 2026-09-30: 10-01…07 holidays, 10-08 (1), 10-09 (2), Sat 10-10 调休上班 (3).
    const due = days.addWorkingDays('2026-09-30', CERTIFICATE_WORKING_DAYS);
    expect(due).toEqual({ date: '2026-10-10', covered: true });
    const accepted = { acceptedOn: '2026-09-30', certificateDue: due.date };
    expect(stateOn('certificate', accepted, '2026-10-09')).toMatchObject({ startDate: '2026-09-30', dueDate: '2026-10-10', state: 'running' });
    expect(stateOn('certificate', accepted, '2026-10-10').state).toBe('running');
    expect(stateOn('certificate', accepted, '2026-10-11').state).toBe('overdue');
    expect(stateOn('certificate', { ...accepted, certificateOn: '2026-10-10' }, '2026-10-12').state).toBe('met');
    expect(stateOn('certificate', {}, '2026-10-12').state).toBe('waiting');
  });

  it('认定告知书 3 working days from the 区政府 approval (二.6), on the same calendar: 中秋 skipped', () => {
    const notice = STEP_DEADLINES.notified!;
    expect(notice).toMatchObject({ workingDays: 3, local: false });
    // Approved Thu 2026-09-24: 9-25…27 holidays, then 9-28 (1), 9-29 (2), 9-30 (3).
    const due = days.addWorkingDays('2026-09-24', notice.workingDays).date;
    expect(due).toBe('2026-09-30');
    expect(clockState('2026-09-24', due, null, '2026-09-29', false)).toBe('running');
    expect(clockState('2026-09-24', due, null, '2026-09-30', false)).toBe('running');
    expect(clockState('2026-09-24', due, null, '2026-10-01', false)).toBe('overdue');
    expect(clockState('2026-09-24', due, '2026-10-08', '2026-10-08', false)).toBe('met_late');
  });
});
