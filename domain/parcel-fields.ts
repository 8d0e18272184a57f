/**
 * The attributes of one parcel (一宗一卡), as recorded by 调查摸底 (seed 003 附件1/附件11; seed 000
 * 五(一)). One list drives the parcel card, the API schema's descriptions and the database column
 * comments, so a label or unit is written once.
 */
export type ParcelFieldKind = 'text' | 'number' | 'date' | 'boolean' | 'enum' | 'fraction';

export interface ParcelField {
  /** Property name in the API (camelCase); the database column is its snake_case form. */
  key: ParcelKey;
  label: string;
  unit?: string;
  kind: ParcelFieldKind;
  decimals?: number;
  group: 'identity' | 'land' | 'building' | 'economy' | 'compliance' | 'identification';
}

export type ParcelKey =
  | 'code' | 'districtCode' | 'owner' | 'townOrPark' | 'location' | 'registeredAreaM2' | 'areaM2'
  | 'contractNo' | 'certificateNo' | 'landUseCode' | 'plannedFunction' | 'industryCode'
  | 'floorAreaM2' | 'floorAreaRatio' | 'buildingCoverage' | 'investmentIntensity' | 'outputPerMu'
  | 'taxPerMu' | 'productionStart' | 'productionStop' | 'adminFacilityShare' | 'undevelopedAreaM2'
  | 'meetsSafety' | 'meetsEnvironment' | 'meetsEnergy' | 'status' | 'inefficiencyType'
  | 'identifiedAt' | 'redevelopmentIntent' | 'evaluationGrade';

export const PARCEL_GROUPS: Readonly<Record<ParcelField['group'], string>> = {
  identity: '权属与位置',
  land: '土地',
  building: '建设情况',
  economy: '经济效益',
  compliance: '安全环保能耗',
  identification: '认定',
};

export const PARCEL_FIELDS: readonly ParcelField[] = [
  { key: 'code', label: '宗地编号', kind: 'text', group: 'identity' },
  { key: 'districtCode', label: '所在行政区', kind: 'text', group: 'identity' },
  { key: 'owner', label: '土地使用权人', kind: 'text', group: 'identity' },
  { key: 'townOrPark', label: '所在镇街/园区', kind: 'text', group: 'identity' },
  { key: 'location', label: '土地位置(坐落)', kind: 'text', group: 'identity' },
  { key: 'contractNo', label: '出让合同号', kind: 'text', group: 'identity' },
  { key: 'certificateNo', label: '不动产权证号', kind: 'text', group: 'identity' },
  { key: 'registeredAreaM2', label: '土地面积(登记)', unit: 'm²', kind: 'number', decimals: 2, group: 'land' },
  { key: 'areaM2', label: '椭球面积(图形)', unit: 'm²', kind: 'number', decimals: 2, group: 'land' },
  { key: 'landUseCode', label: '土地用途(地类编码)', kind: 'enum', group: 'land' },
  { key: 'plannedFunction', label: '规划用地功能', kind: 'text', group: 'land' },
  { key: 'undevelopedAreaM2', label: '未开发建设土地面积', unit: 'm²', kind: 'number', decimals: 2, group: 'land' },
  { key: 'adminFacilityShare', label: '行政办公及生活服务设施用地比重', unit: '%', kind: 'fraction', decimals: 2, group: 'land' },
  { key: 'floorAreaM2', label: '建筑面积', unit: 'm²', kind: 'number', decimals: 2, group: 'building' },
  { key: 'floorAreaRatio', label: '容积率', kind: 'number', decimals: 2, group: 'building' },
  { key: 'buildingCoverage', label: '建筑密度(建筑系数)', unit: '%', kind: 'fraction', decimals: 2, group: 'building' },
  { key: 'industryCode', label: '国民经济行业分类', kind: 'text', group: 'economy' },
  { key: 'investmentIntensity', label: '投资强度', unit: '万元/亩', kind: 'number', decimals: 2, group: 'economy' },
  { key: 'outputPerMu', label: '亩均产值', unit: '万元/亩', kind: 'number', decimals: 2, group: 'economy' },
  { key: 'taxPerMu', label: '亩均税收', unit: '万元/亩', kind: 'number', decimals: 2, group: 'economy' },
  { key: 'productionStart', label: '投产时间', kind: 'date', group: 'economy' },
  { key: 'productionStop', label: '停产时间', kind: 'date', group: 'economy' },
  { key: 'meetsSafety', label: '符合安全生产要求', kind: 'boolean', group: 'compliance' },
  { key: 'meetsEnvironment', label: '符合环保要求', kind: 'boolean', group: 'compliance' },
  { key: 'meetsEnergy', label: '符合能耗要求', kind: 'boolean', group: 'compliance' },
  { key: 'status', label: '效率状态', kind: 'enum', group: 'identification' },
  { key: 'inefficiencyType', label: '低效类型', kind: 'enum', group: 'identification' },
  { key: 'identifiedAt', label: '认定时间', kind: 'date', group: 'identification' },
  { key: 'redevelopmentIntent', label: '改造意愿', kind: 'enum', group: 'identification' },
  { key: 'evaluationGrade', label: '综合评价等级', kind: 'enum', group: 'identification' },
];

/** camelCase API key → snake_case database column. */
export function columnName(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
