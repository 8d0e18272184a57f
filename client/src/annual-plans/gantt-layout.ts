import type { MilestoneStatus } from '@domain/annual-plans.js';

/**
 * The Gantt view of a plan's milestones as plain positions (percent of the time axis): per project a
 * row of milestones, each a bar from the project's previous milestone (or the axis start) to its
 * planned date, coloured by its status; the axis covers the plan's year and every milestone date;
 * `today` is a vertical line when it falls on the axis.
 */
export interface GanttInput {
  year: number;
  today: string;
  projects: readonly { id: number; name: string; pilot: boolean; milestones: readonly { id: number; name: string; plannedDate: string; doneDate: string | null; status: MilestoneStatus; responsibleUnit: string }[] }[];
}

export interface GanttBar {
  id: number; name: string; unit: string; status: MilestoneStatus; plannedDate: string; doneDate: string | null;
  left: number; width: number; marker: number; doneMarker: number | null;
}

export interface GanttLayout {
  start: string;
  end: string;
  months: { label: string; left: number; width: number }[];
  today: number | null;
  rows: { id: number; name: string; pilot: boolean; bars: GanttBar[] }[];
}

const DAY = 86_400_000;
const time = (date: string) => Date.parse(`${date}T00:00:00Z`);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function ganttLayout(input: GanttInput): GanttLayout {
  const dates = input.projects.flatMap((project) => project.milestones.flatMap((milestone) => [milestone.plannedDate, ...(milestone.doneDate ? [milestone.doneDate] : [])]));
  const first = [`${input.year}-01-01`, ...dates].sort()[0];
  const last = [`${input.year}-12-31`, ...dates].sort().at(-1)!;
  // Whole months on the axis.
  const start = time(`${first.slice(0, 7)}-01`);
  const lastMonth = new Date(time(`${last.slice(0, 7)}-01`));
  const end = Date.UTC(lastMonth.getUTCFullYear(), lastMonth.getUTCMonth() + 1, 1) - DAY;
  const span = end + DAY - start;
  const at = (date: string) => ((time(date) - start) / span) * 100;
  const months: GanttLayout['months'] = [];
  for (let cursor = new Date(start); cursor.getTime() <= end; cursor = new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 1))) {
    const next = Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 1);
    const month = cursor.getUTCMonth() + 1;
    months.push({ label: month === 1 || months.length === 0 ? `${String(cursor.getUTCFullYear()).slice(2)}年${month}月` : `${month}月`, left: ((cursor.getTime() - start) / span) * 100, width: ((next - cursor.getTime()) / span) * 100 });
  }
  const todayAt = time(input.today) >= start && time(input.today) <= end ? at(input.today) : null;
  const rows = input.projects.map((project) => {
    const sorted = [...project.milestones].sort((a, b) => a.plannedDate.localeCompare(b.plannedDate) || a.id - b.id);
    let previous = iso(start);
    const bars = sorted.map((milestone) => {
      const from = previous < milestone.plannedDate ? previous : milestone.plannedDate;
      previous = milestone.plannedDate;
      const left = at(from);
      const marker = at(milestone.plannedDate) + 100 / (span / DAY);
      return {
        id: milestone.id, name: milestone.name, unit: milestone.responsibleUnit, status: milestone.status, plannedDate: milestone.plannedDate, doneDate: milestone.doneDate,
        left, width: Math.max(marker - left, 0.4), marker, doneMarker: milestone.doneDate ? at(milestone.doneDate) + 100 / (span / DAY) : null,
      };
    });
    return { id: project.id, name: project.name, pilot: project.pilot, bars };
  });
  return { start: iso(start), end: iso(end), months, today: todayAt, rows };
}
