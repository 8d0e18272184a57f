/**
 * Efficiency status of a parcel along the 标图建库 workflow (调查摸底 → 认定 → 再开发). The codes are
 * stored in the database; labels and colours are presentation data shared by map, legend and charts.
 */
export const EFFICIENCY_STATUSES = [
  // Not assessed yet (imports land here): the status comes from the 认定 procedure (issue 16).
  { code: 'unassessed', label: '未认定', color: '#9ea7b3' },
  { code: 'efficient', label: '正常利用', color: '#8fbf7f' },
  { code: 'suspected', label: '疑似低效', color: '#f2b134' },
  { code: 'identified', label: '已认定低效', color: '#d94841' },
  { code: 'redeveloping', label: '再开发中', color: '#7b5cd6' },
  { code: 'redeveloped', label: '已完成再开发', color: '#2f80c9' },
] as const;

export type EfficiencyStatus = (typeof EFFICIENCY_STATUSES)[number]['code'];
export const EFFICIENCY_STATUS_CODES = EFFICIENCY_STATUSES.map((status) => status.code) as EfficiencyStatus[];

/**
 * 低效类型 (common national set; a city may use a subset). Only parcels that are suspected or
 * identified as inefficient carry one.
 */
export const INEFFICIENCY_TYPES = [
  { code: 'idle', label: '闲置低效', color: '#9e6b3a' },
  { code: 'low_output', label: '产出低效', color: '#e8743b' },
  { code: 'stopped', label: '停产半停产', color: '#c23b6c' },
  { code: 'scattered', label: '布局散乱', color: '#d6b91f' },
  { code: 'misused', label: '用途不合理', color: '#3aa0a8' },
  { code: 'dilapidated', label: '设施落后/建筑危旧', color: '#6d6d6d' },
  { code: 'polluting', label: '高耗能高污染/安全环保不达标', color: '#5a3d8a' },
] as const;

export type InefficiencyType = (typeof INEFFICIENCY_TYPES)[number]['code'];
export const INEFFICIENCY_TYPE_CODES = INEFFICIENCY_TYPES.map((type) => type.code) as InefficiencyType[];

/** Colour of parcels with no 低效类型 when the map is coloured by type. */
export const NO_INEFFICIENCY_TYPE = { code: 'none', label: '非低效', color: '#c9d3c2' } as const;

/** 综合评价等级 by 亩均效益 (one published scheme: A top 25 %, B 26–70 %, C 71–95 %, D bottom 5 %). */
export const EVALUATION_GRADES = ['A', 'B', 'C', 'D'] as const;
export type EvaluationGrade = (typeof EVALUATION_GRADES)[number];
/** Map and legend colours of the grades (A best, D worst); parcels without a grade are 未评级. */
export const EVALUATION_GRADE_STYLES = [
  { code: 'A', label: 'A 级', color: '#1a9850' },
  { code: 'B', label: 'B 级', color: '#91cf60' },
  { code: 'C', label: 'C 级', color: '#fdae61' },
  { code: 'D', label: 'D 级', color: '#d73027' },
] as const;
export const NO_EVALUATION_GRADE = { code: 'none', label: '未评级', color: '#c9ccd1' } as const;

/** 改造意愿 of the land-right holder. */
export const REDEVELOPMENT_INTENTS = [
  { code: 'strong', label: '意愿强烈' },
  { code: 'willing', label: '有意愿' },
  { code: 'undecided', label: '待定' },
  { code: 'unwilling', label: '无意愿' },
] as const;
export type RedevelopmentIntent = (typeof REDEVELOPMENT_INTENTS)[number]['code'];

export function statusLabel(code: string): string {
  return EFFICIENCY_STATUSES.find((status) => status.code === code)?.label ?? code;
}

export function inefficiencyTypeLabel(code: string | null | undefined): string {
  if (!code) return NO_INEFFICIENCY_TYPE.label;
  return INEFFICIENCY_TYPES.find((type) => type.code === code)?.label ?? code;
}

export function redevelopmentIntentLabel(code: string | null | undefined): string {
  if (!code) return '—';
  return REDEVELOPMENT_INTENTS.find((intent) => intent.code === code)?.label ?? code;
}
