import type { CaseSummary } from '@domain/api/identification.schemas.js';
import { inefficiencyTypeLabel } from '@domain/efficiency.js';
import { departmentLabel, reuseMeasureLabel, stepLabel } from '@domain/identification/steps.js';

/** 办理中 / 已结案 / 已告知, and the tag colour. */
export function caseStateText(state: CaseSummary['state']): { text: string; type: 'primary' | 'info' | 'success' } {
  if (state === 'open') return { text: '办理中', type: 'primary' };
  if (state === 'notified') return { text: '已告知', type: 'success' };
  return { text: '已结案', type: 'info' };
}

export function unitText(summary: Pick<CaseSummary, 'unitKind' | 'unitName' | 'unitCode'>): string {
  const side = summary.unitKind === 'park' ? '园区内' : '园区外';
  return `${summary.unitName ?? (summary.unitCode ? summary.unitCode : '未划入街道')}（${side}）`;
}

export function typesText(types: readonly string[]): string {
  return types.length > 0 ? types.map((type) => inefficiencyTypeLabel(type)).join('、') : '—';
}

export const measureLabel = reuseMeasureLabel;

/** One line of a step's details for the timeline (what the step decided). */
export function stepDetailLines(step: { step: string; outcome: string | null; department: string | null; details: Record<string, unknown> }): string[] {
  const details = step.details;
  const lines: string[] = [];
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  switch (step.step) {
    case 'listed':
      lines.push(`清单类别：${String(details.list ?? '')}`);
      break;
    case 'survey_returned':
      lines.push(step.outcome === 'online' ? '用地单位网上填报' : '园区办/镇街纸质录入', `填写 ${String(details.fieldCount ?? 0)} 项`);
      break;
    case 'verified':
      if (step.outcome === 'sent_back') lines.push(`一次告知，退回补充佐证材料：${list(details.materials).join('、')}`);
      else lines.push('核实无误');
      if (list(details.departments).length > 0) lines.push(`会同：${list(details.departments).map(departmentLabel).join('、')}`);
      break;
    case 'preliminary':
      lines.push(`原因：${String(details.reasons ?? '')}`, `低效类型：${typesText(list(details.types))}`, `再利用适用措施：${list(details.measures).map(measureLabel).join('、')}`);
      if (details.measureNote) lines.push(`措施说明：${String(details.measureNote)}`);
      break;
    case 'closed_not_inefficient':
      lines.push(`理由：${String(details.reasons ?? '')}`);
      break;
    case 'review_opinion':
      lines.push(`${departmentLabel(step.department ?? '')}：${step.outcome === 'agree' ? '同意' : '不同意'}`);
      break;
    case 'joint_review':
      lines.push(step.outcome === 'meets' ? '经会审符合认定标准，报区政府审批' : '经会审不符合认定标准，结案');
      break;
    case 'approved':
      lines.push('区政府（管委会）审批同意');
      break;
    case 'rejected':
      lines.push('区政府（管委会）审批不同意，结案');
      break;
    case 'notified':
      lines.push(`告知书 ${String(details.noticeNumber ?? '')}，日期 ${String(details.noticeDate ?? '')}`, `抄送：${list(details.copies).join('、')}`,
        `再利用方案报送期限：${String(details.planDueDate ?? '')}`, details.onTime === false ? `晚于期限 ${String(details.dueDate ?? '')}` : '按期发出');
      break;
    default:
      break;
  }
  return lines;
}

export { stepLabel };
