import type { StockDepartmentCode } from './departments.js';

/**
 * 低效用地类别 (issue 18 item 1; seed 004 三(一): 工业用地、商业服务业用地 全面调查, "低效居住、低效设施、
 * 历史遗留用地根据认定标准和闲置情况由相关部门和属地街道据实上报"; 三(三)3 空闲地). Stored as
 * `parcels.land_category`; NULL = 未分类 (a parcel whose 地类 suggests none).
 */
export const LAND_CATEGORIES = [
  { code: 'industrial', label: '低效工业', color: '#b0603a', unit: 'chancu' },
  { code: 'commercial', label: '低效商业服务业', color: '#d9487d', unit: 'jiedao' },
  { code: 'residential', label: '低效居住', color: '#e0a526', unit: 'zhujian' },
  { code: 'facility', label: '低效设施', color: '#3f7fbf', unit: 'other' },
  { code: 'vacant', label: '空闲地', color: '#7aa35a', unit: 'other' },
] as const satisfies readonly { code: string; label: string; color: string; unit: StockDepartmentCode }[];

export type LandCategory = (typeof LAND_CATEGORIES)[number]['code'];
export const LAND_CATEGORY_CODES = LAND_CATEGORIES.map((category) => category.code) as LandCategory[];
/** A parcel without a category, in legends, figures and filters. */
export const NO_LAND_CATEGORY = { code: 'none', label: '未分类', color: '#c9ccd1' } as const;

/** 低效居住 kinds (seed 004 附件 4: 住建委 提供城中村、老旧小区、烂尾楼盘的用地范围、建筑面积、建设手续情况). */
export const RESIDENTIAL_KINDS = [
  { code: 'urban_village', label: '城中村' },
  { code: 'old_community', label: '老旧小区' },
  { code: 'stalled_project', label: '烂尾楼盘' },
] as const;

/**
 * 填报单位: who reports a parcel (seed 004 附件: 产促局 低效工业调查表, 街道办 低效商办调查表, 住建委 居住,
 * 国资委 国有资产 另行填报, 其他相关部门 低效设施调查表). Codes of STOCK_DEPARTMENTS.
 */
export const REPORTING_UNITS = [
  { code: 'chancu', label: '区产业发展促进局' },
  { code: 'jiedao', label: '街道办事处' },
  { code: 'zhujian', label: '区住房城乡建设委' },
  { code: 'guozi', label: '区国资委（国有资产另行填报）' },
  { code: 'other', label: '其他相关部门' },
] as const;

export function landCategoryLabel(code: string | null | undefined): string {
  if (!code) return NO_LAND_CATEGORY.label;
  return LAND_CATEGORIES.find((category) => category.code === code)?.label ?? code;
}

/**
 * The category a 三调 地类编码 suggests (the SQL function land_category_of in migration 0039 is the
 * same rule): 工矿 06xx, 物流仓储 0508 and 工业研发 1001xx → 低效工业; other 05xx → 低效商业服务业; 07xx →
 * 低效居住; 08–10, 13 → 低效设施; 1201 → 空闲地; anything else none.
 */
export function categoryOfLandUse(code: string | null | undefined): LandCategory | null {
  if (!code) return null;
  if (code.startsWith('06') || code === '0508' || code.startsWith('1001')) return 'industrial';
  if (code.startsWith('05')) return 'commercial';
  if (code.startsWith('07')) return 'residential';
  if (/^(08|09|10|13)/.test(code)) return 'facility';
  if (code === '1201') return 'vacant';
  return null;
}

/** The unit that reports a category (国资 parcels are marked by hand). */
export function reportingUnitOf(category: string | null | undefined): string | null {
  return LAND_CATEGORIES.find((entry) => entry.code === category)?.unit ?? null;
}
