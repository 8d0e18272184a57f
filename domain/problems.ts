/**
 * 问题清单 (issue 18 item 3; seed 004 三(一) "针对存在问题和盘活诉求，系统梳理影响低效用地再开发的难点堵点").
 * States and the steps between them are pure code: the server enforces them, the client offers them.
 */
export const PROBLEM_STATUSES = [
  { code: 'open', label: '待办', color: '#f2b134' },
  { code: 'working', label: '办理中', color: '#3f7fbf' },
  { code: 'resolved', label: '已解决', color: '#4c9a5b' },
  { code: 'unresolvable', label: '无法解决', color: '#8a8f98' },
] as const;

export type ProblemStatus = (typeof PROBLEM_STATUSES)[number]['code'];
export const PROBLEM_STATUS_CODES = PROBLEM_STATUSES.map((status) => status.code) as ProblemStatus[];

/** 待办 → 办理中 → 已解决 / 无法解决; 待办 may be judged 无法解决 at once; an ended problem may be reopened (办理中). */
export const PROBLEM_TRANSITIONS: Readonly<Record<ProblemStatus, readonly ProblemStatus[]>> = {
  open: ['working', 'unresolvable'],
  working: ['resolved', 'unresolvable'],
  resolved: ['working'],
  unresolvable: ['working'],
};

/** The states that end a problem: they need an outcome (办理结果). */
export const PROBLEM_FINAL_STATUSES: readonly ProblemStatus[] = ['resolved', 'unresolvable'];

export function problemStatusLabel(code: string | null | undefined): string {
  return PROBLEM_STATUSES.find((status) => status.code === code)?.label ?? (code ?? '');
}

export function problemNextStatuses(status: string): readonly ProblemStatus[] {
  return PROBLEM_TRANSITIONS[status as ProblemStatus] ?? [];
}

/** Overdue: not ended and its due date (a China calendar day, YYYY-MM-DD) is before `today`. */
export function problemOverdue(problem: { status: string; dueDate: string | null }, today: string): boolean {
  return problem.dueDate !== null && !PROBLEM_FINAL_STATUSES.includes(problem.status as ProblemStatus) && problem.dueDate < today;
}
