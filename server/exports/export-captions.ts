import type { ExportFilters } from '../../domain/api/exports.schemas.js';
import { inefficiencyTypeLabel, statusLabel } from '../../domain/efficiency.js';
import { landCategoryLabel } from '../../domain/land-categories.js';
import { LAND_USE_CLASSES, landUseLabel } from '../../domain/land-use.js';
import type { Scope } from '../auth/scope.js';
import type { ExportJobContext } from './export-writer.js';
import type { Place } from './tables.repository.js';

/**
 * What a table export says about itself, in Chinese: the place for the file name (厦门市湖里区), the
 * qualifiers after the layer (疑似低效, 闲置低效…), each filter as a line of the 说明 sheet, and the
 * user's 管辖范围.
 */
export interface ExportCaption {
  /** 厦门市湖里区, 厦门市: the filter's district, else the scope's only district, else the city. */
  place: string;
  /** Qualifiers for the file name: status, type, 街道/园区, 地类, 框选, 选择. */
  qualifiers: string[];
  /** One "名称：值" per filter set; ['全部（未筛选）'] when none. */
  filters: string[];
  /** 全部行政区, or the names of the scope's districts. */
  scope: string;
  /** The filter names a district outside the scope (or a city none of whose districts it covers). */
  outsideScope: boolean;
}

export function placeName(place: Place): string {
  return place.level === 'city' || !place.cityName ? place.name : `${place.cityName}${place.name}`;
}

function landUseCaption(code: string): string {
  if (code.length === 2) {
    const entry = LAND_USE_CLASSES.find((item) => item.code === code);
    return entry ? `${code} ${entry.label}（一级类）` : code;
  }
  return landUseLabel(code);
}

/**
 * The caption of an export with `filters` by a user of `scope`. `places` names the filter's district
 * and the scope's districts; `city` is the city when no district narrows the export.
 */
export function exportCaption(filters: ExportFilters, scope: Scope, places: readonly Place[], city: string): ExportCaption {
  const byCode = new Map(places.map((place) => [place.code, place]));
  const nameOf = (code: string) => { const place = byCode.get(code); return place ? placeName(place) : code; };
  const scoped = scope.districts;
  // A city filter (or none) over a scope of one district exports that district only: name it.
  const onlyDistrict = scoped && scoped.length === 1 ? scoped[0] : null;
  const placeCode = filters.district && (byCode.get(filters.district)?.level !== 'city' || !onlyDistrict) ? filters.district : onlyDistrict;
  const place = placeCode ? nameOf(placeCode) : city;

  const qualifiers: string[] = [];
  const lines: string[] = [];
  if (filters.district) lines.push(`行政区：${nameOf(filters.district)}（${filters.district}）`);
  if (filters.townOrPark) { lines.push(`所在镇街/园区：${filters.townOrPark}`); qualifiers.push(filters.townOrPark); }
  if (filters.status) { lines.push(`效率状态：${statusLabel(filters.status)}`); qualifiers.push(statusLabel(filters.status)); }
  if (filters.type) { lines.push(`低效类型：${inefficiencyTypeLabel(filters.type)}`); qualifiers.push(inefficiencyTypeLabel(filters.type)); }
  if (filters.category) { lines.push(`低效用地类别：${landCategoryLabel(filters.category === 'none' ? null : filters.category)}`); qualifiers.push(landCategoryLabel(filters.category === 'none' ? null : filters.category)); }
  if (filters.landUse) { lines.push(`地类：${landUseCaption(filters.landUse)}`); qualifiers.push(filters.landUse); }
  if (filters.bbox) {
    const [minX, minY, maxX, maxY] = filters.bbox;
    lines.push(`范围框（CGCS2000 经纬度）：经度 ${minX}–${maxX}，纬度 ${minY}–${maxY}`);
    qualifiers.push('框选');
  }
  if (filters.ids) { lines.push(`当前选择：${filters.ids.length} 宗`); qualifiers.push(`选择${filters.ids.length}宗`); }
  const filtered = filters.district ? byCode.get(filters.district) : undefined;
  const outsideScope = filtered !== undefined && (filtered.level === 'city'
    ? !(scoped === null || scoped.some((code) => byCode.get(code)?.parentCode === filtered.code))
    : !scope.covers(filtered.code));
  return {
    place,
    qualifiers,
    outsideScope,
    filters: lines.length > 0 ? lines : ['全部（未筛选）'],
    scope: scoped === null ? '全部行政区' : scoped.map(nameOf).join('、') || '无（账号未分配管辖范围）',
  };
}

/** The caption of a job: looks up the names it needs through `places`. */
export async function jobCaption(job: ExportJobContext, places: (codes: readonly string[]) => Promise<Place[]>): Promise<ExportCaption> {
  const codes = [...new Set([...(job.filters.district ? [job.filters.district] : []), ...(job.scope.districts ?? [])])];
  const city = await job.app.districtsRepository.firstCity();
  return exportCaption(job.filters, job.scope, await places(codes), city?.name ?? '');
}

/** 2026-12-03 15:04（北京时间）: when an export was made, as its 说明 sheet says. */
export function chinaTime(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}（北京时间）`;
}
