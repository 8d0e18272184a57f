import { describe, expect, it } from 'vitest';
import { ganttLayout } from './gantt-layout.js';

describe('ganttLayout', () => {
  it('spans the plan year in months, places bars between milestones and the today line', () => {
    const layout = ganttLayout({
      year: 2026, today: '2026-07-02',
      projects: [{ id: 1, name: 'A', pilot: true, milestones: [
        { id: 2, name: '拆除', plannedDate: '2026-07-01', doneDate: null, status: 'overdue', responsibleUnit: '住建' },
        { id: 1, name: '批复', plannedDate: '2026-01-31', doneDate: '2026-01-20', status: 'done', responsibleUnit: '资规' },
      ] }],
    });
    expect(layout.start).toBe('2026-01-01');
    expect(layout.end).toBe('2026-12-31');
    expect(layout.months).toHaveLength(12);
    expect(layout.months[0].label).toBe('26年1月');
    expect(layout.today).toBeCloseTo((182 / 365) * 100, 5);
    const [first, second] = layout.rows[0].bars;
    expect(first.name).toBe('批复');
    expect(first.left).toBe(0);
    expect(first.marker).toBeCloseTo((31 / 365) * 100, 5);
    expect(second.left).toBeCloseTo((30 / 365) * 100, 5);
  });

  it('widens the axis to milestones outside the year', () => {
    const layout = ganttLayout({ year: 2026, today: '2025-01-01', projects: [{ id: 1, name: 'A', pilot: false, milestones: [{ id: 1, name: 'x', plannedDate: '2027-02-10', doneDate: null, status: 'pending', responsibleUnit: 'u' }] }] });
    expect(layout.end).toBe('2027-02-28');
    expect(layout.months).toHaveLength(14);
    expect(layout.months[12].label).toBe('27年1月');
    expect(layout.today).toBeNull();
  });
});
