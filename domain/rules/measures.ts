/**
 * What a policy rule can measure and how it compares, apart from the rule code so that the shared
 * contract (domain/api/rules.schemas.ts) can name them without importing the code that uses it.
 */

/** What a rule measures: numerator ÷ denominator over the project's figures. */
export const MEASURES = {
  fragment_land_share: { numerator: 'fragmentLandM2', denominator: 'projectLandM2', unit: 'share', label: '零星用地 ÷ 项目总用地' },
  supporting_land_share: { numerator: 'supportingLandM2', denominator: 'projectLandM2', unit: 'share', label: '配套用房用地 ÷ 项目总用地' },
  supporting_floor_share: { numerator: 'supportingFloorAreaM2', denominator: 'totalFloorAreaM2', unit: 'share', label: '配套用房计容建筑面积 ÷ 项目总计容建筑面积' },
  floor_area_ratio: { numerator: 'totalFloorAreaM2', denominator: 'projectLandM2', unit: 'ratio', label: '总计容建筑面积 ÷ 项目总用地（容积率）' },
  factory_floor_share: { numerator: 'factoryFloorAreaM2', denominator: 'grossFloorAreaM2', unit: 'share', label: '工业厂房建筑面积 ÷ 项目总建筑面积' },
  contiguity: { numerator: 'pieces', denominator: null, unit: 'count', label: '成片区域的块数（间距在容差内视为相连）' },
} as const;
export type MeasureId = keyof typeof MEASURES;

/** The figures the measures read, in words (gauges, missing-figure notes). */
export const FIGURE_LABELS: Readonly<Record<string, string>> = {
  projectLandM2: '项目总用地',
  fragmentLandM2: '零星用地',
  supportingLandM2: '配套用房用地',
  totalFloorAreaM2: '总计容建筑面积',
  grossFloorAreaM2: '项目总建筑面积',
  supportingFloorAreaM2: '配套计容建筑面积',
  factoryFloorAreaM2: '工业厂房建筑面积',
  pieces: '块数',
};
export const MEASURE_IDS = Object.keys(MEASURES) as MeasureId[];

export const COMPARISONS = ['<=', '>=', '<', '>'] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** A rule's id: what the rule editor and the stored answers name it by. */
export const RULE_ID_PATTERN = '^[a-z0-9_-]{1,64}$';
/** A rule set's id (a database CHECK too: migration 0012). */
export const RULE_SET_ID_PATTERN = '^[a-z0-9-]{1,64}$';
/** Contiguity's gap tolerance, in metres: above this, two parts are not one area. */
export const MAX_GAP_TOLERANCE_M = 500;
