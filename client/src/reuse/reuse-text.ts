import type { Clock } from '@domain/api/reuse.schemas.js';

/** A clock's state as a tag: 进行中, 已超期 … */
export function clockTag(clock: Clock): { text: string; type: 'info' | 'primary' | 'success' | 'warning' | 'danger' } {
  switch (clock.state) {
    case 'waiting': return { text: '未开始', type: 'info' };
    case 'running': return { text: '进行中', type: 'primary' };
    case 'met': return { text: '按期完成', type: 'success' };
    case 'met_late': return { text: '逾期完成', type: 'warning' };
    case 'overdue': return { text: '已超期', type: 'danger' };
    case 'lapsed': return { text: '未申请', type: 'info' };
  }
}

export function amountText(value: number | null | undefined, unit = ''): string {
  return value === null || value === undefined ? '—' : `${value}${unit ? ` ${unit}` : ''}`;
}
