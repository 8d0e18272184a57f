import { areaKindLabel, areaStatusLabel, DEFAULT_AREA_KIND, redevelopmentModeLabel } from '@domain/redevelopment-areas.js';
import type { AreaDetail } from './areas.api.js';
import { formatArea, formatLimit, formatRatio } from './gauges.js';

export interface CompareRow {
  label: string;
  /** Section heading the row belongs to (概况, 面积, 政策校验). */
  group: string;
  left: string;
  right: string;
  changed: boolean;
}

function row(group: string, label: string, left: string, right: string): CompareRow {
  return { group, label, left, right, changed: left !== right };
}

function floor(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : formatArea(value);
}

function verdict(pass: boolean | null | undefined): string {
  if (pass === undefined) return '—';
  return pass === null ? '未定' : pass ? '通过' : '不通过';
}

/**
 * Two saved versions of an area side by side: figures and check results as the server saved them
 * with each version, every cell formatted the way the page shows it, so "changed" means the official
 * would read a different value.
 */
export function compareVersions(left: AreaDetail, right: AreaDetail): CompareRow[] {
  const rows: CompareRow[] = [
    row('概况', '版本', `第 ${left.version} 版`, `第 ${right.version} 版`),
    row('概况', '名称', left.name, right.name),
    row('概况', '状态', areaStatusLabel(left.status), areaStatusLabel(right.status)),
    row('概况', '区域类型', areaKindLabel(left.kind ?? DEFAULT_AREA_KIND), areaKindLabel(right.kind ?? DEFAULT_AREA_KIND)),
    row('概况', '改造模式', modeOf(left), modeOf(right)),
    row('概况', '目标用途', left.targetLandUse || '—', right.targetLandUse || '—'),
    row('概况', '规则集', ruleSetsOf(left), ruleSetsOf(right)),
  ];
  const figures: { key: string; label: string }[] = [
    { key: 'projectLandM2', label: '项目总用地' },
    { key: 'fragmentLandM2', label: '零星用地' },
    { key: 'uncoveredLandM2', label: '未登记土地' },
    { key: 'supportingLandM2', label: '配套用房用地' },
    { key: 'parcelLandM2', label: '纳入地块面积' },
    { key: 'inefficientLandM2', label: '低效用地' },
    { key: 'overlapM2', label: '与其他区域重叠' },
  ];
  for (const { key, label } of figures) {
    const a = left.result.figures[key];
    const b = right.result.figures[key];
    if (a === undefined && b === undefined) continue;
    rows.push(row('面积', label, floor(a), floor(b)));
  }
  rows.push(row('面积', '块数', `${left.result.pieces}`, `${right.result.pieces}`));
  rows.push(row('面积', '纳入地块数', `${left.result.parcels.length}`, `${right.result.parcels.length}`));
  rows.push(row('建筑面积', '总计容建筑面积', floor(left.input.figures?.totalFloorArea), floor(right.input.figures?.totalFloorArea)));
  rows.push(row('建筑面积', '项目总建筑面积', floor(left.input.figures?.grossFloorArea), floor(right.input.figures?.grossFloorArea)));
  rows.push(row('建筑面积', '配套计容建筑面积', floor(left.input.figures?.supportingFloorArea), floor(right.input.figures?.supportingFloorArea)));
  rows.push(row('建筑面积', '工业厂房建筑面积', floor(left.input.figures?.factoryFloorArea), floor(right.input.figures?.factoryFloorArea)));

  // A rule is the same rule in both versions when its set and id are (older answers name no set: the city's).
  const keyOf = (area: AreaDetail, check: AreaDetail['result']['checks'][number]) => `${check.ruleSet?.id ?? area.result.ruleSet?.id ?? area.input.ruleSet}/${check.id}`;
  const keys = [...new Set([...left.result.checks.map((check) => keyOf(left, check)), ...right.result.checks.map((check) => keyOf(right, check))])];
  for (const key of keys) {
    const a = left.result.checks.find((check) => keyOf(left, check) === key);
    const b = right.result.checks.find((check) => keyOf(right, check) === key);
    const name = (a ?? b)!.name;
    const cell = (check: typeof a) => (check
      ? `${formatRatio(check.measure, check.ratio)}（${formatLimit(check.measure, check.comparison, check.limit)}）${check.applicable === false ? '不适用' : verdict(check.pass)}`
      : '—');
    rows.push(row('政策校验', name, cell(a), cell(b)));
  }
  return rows;
}

function ruleSetsOf(area: AreaDetail): string {
  const sets = area.result.ruleSets ?? [area.result.ruleSet ?? { name: area.input.ruleSet, version: area.result.ruleSetVersion }];
  return sets.map((set) => `${set.name} 第 ${set.version} 版`).join(' + ');
}

function modeOf(area: AreaDetail): string {
  return area.mode === 'other' && area.modeOther ? `其他：${area.modeOther}` : redevelopmentModeLabel(area.mode);
}
