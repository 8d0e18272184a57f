import type { AreaRecheck, CheckAnswer, CheckResult } from './areas.api.js';
import { formatLimit, formatRatio } from './gauges.js';

/**
 * What a check answer says, rule by rule, as the approval pieces show it: the pinned verdict on the
 * panel, the failing checks in the 报审 and 批准 dialogs, the two columns of 按最新规则复核. Read
 * from the answer itself, so every measure a rule set has comes through.
 */
export interface CheckLine {
  id: string;
  name: string;
  value: string;
  limit: string;
  verdict: 'pass' | 'fail' | 'unknown';
}

export const VERDICT_LABELS: Readonly<Record<CheckLine['verdict'], string>> = { pass: '通过', fail: '不通过', unknown: '未定' };

export function checkLine(check: CheckResult): CheckLine {
  return {
    id: check.id,
    name: check.name,
    value: formatRatio(check.measure, check.ratio),
    limit: formatLimit(check.measure, check.comparison, check.limit),
    verdict: check.pass === null ? 'unknown' : check.pass ? 'pass' : 'fail',
  };
}

export function checkLines(answer: CheckAnswer | null | undefined): CheckLine[] {
  return (answer?.checks ?? []).map(checkLine);
}

export function failingLines(answer: CheckAnswer | null | undefined): CheckLine[] {
  return checkLines(answer).filter((line) => line.verdict === 'fail');
}

export function passText(pass: boolean | null): string {
  return pass === null ? '未定' : pass ? '全部通过' : '有未通过';
}

/** One row of 按最新规则复核: the same rule as pinned and as the current rules judge it (null: not in that version). */
export interface RecheckRow {
  id: string;
  name: string;
  before: CheckLine | null;
  after: CheckLine | null;
  changed: boolean;
}

export function recheckRows(recheck: AreaRecheck): RecheckRow[] {
  const before = checkLines(recheck.basis.result);
  const after = checkLines(recheck.current.result);
  const ids = [...new Set([...before.map((line) => line.id), ...after.map((line) => line.id)])];
  return ids.map((id) => {
    const left = before.find((line) => line.id === id) ?? null;
    const right = after.find((line) => line.id === id) ?? null;
    const changed = !left || !right || left.verdict !== right.verdict || left.limit !== right.limit || left.value !== right.value;
    return { id, name: (right ?? left)!.name, before: left, after: right, changed };
  });
}
