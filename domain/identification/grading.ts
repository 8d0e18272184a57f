import type { GradingCutoffs } from '../api/grading.schemas.js';
import { measureOf } from './measures.js';

/**
 * 综合评价分级: a scheme's problems the schema cannot see, each naming the field. The scheme is
 * data (grading_schemes); the seeds name only the grades A/B/C/D (seed 002 case 1, seed 001 三),
 * so weights and cut-offs are local choices.
 */
export function gradingSchemeProblems(scheme: { measures: readonly { measure: string; weight: number }[]; cutoffs: GradingCutoffs }): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  scheme.measures.forEach((entry, index) => {
    const measure = measureOf(entry.measure);
    if (!measure || measure.kind !== 'number') problems.push({ field: `measures.${index}.measure`, message: `第 ${index + 1} 个指标 ${entry.measure} 不能用于分级：只能选数值指标。` });
    if (seen.has(entry.measure)) problems.push({ field: `measures.${index}.measure`, message: `指标“${measure?.label ?? entry.measure}”重复：每个指标只列一次。` });
    seen.add(entry.measure);
  });
  const { mode, a, b, c } = scheme.cutoffs;
  if (mode === 'rank') {
    if (!(a > 0 && a < b && b < c && c <= 1)) {
      problems.push({ field: 'cutoffs', message: `按排名分级时，A、B、C 的累计比例应满足 0 < A < B < C ≤ 1（如 0.25、0.70、0.95），现为 ${a}、${b}、${c}。` });
    }
  } else if (!(a > b && b > c && c >= 0 && a <= 100)) {
    problems.push({ field: 'cutoffs', message: `按得分分级时，A、B、C 的最低得分应满足 100 ≥ A > B > C ≥ 0（如 80、60、40），现为 ${a}、${b}、${c}。` });
  }
  return problems;
}

/** The grade a share of rank or a score falls in (the same rule as the grading statement, for the card's explanation). */
export function gradeFor(cutoffs: GradingCutoffs, figures: { rank: number; ofTotal: number; score: number }): 'A' | 'B' | 'C' | 'D' {
  if (cutoffs.mode === 'rank') {
    const share = figures.rank / figures.ofTotal;
    return share <= cutoffs.a ? 'A' : share <= cutoffs.b ? 'B' : share <= cutoffs.c ? 'C' : 'D';
  }
  return figures.score >= cutoffs.a ? 'A' : figures.score >= cutoffs.b ? 'B' : figures.score >= cutoffs.c ? 'C' : 'D';
}
