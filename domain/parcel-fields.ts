import { EFFICIENCY_STATUS_CODES, EVALUATION_GRADES, INEFFICIENCY_TYPE_CODES, REDEVELOPMENT_INTENTS } from './efficiency.js';

export type ParcelFieldKind = 'text' | 'number' | 'date' | 'boolean' | 'enum' | 'fraction';

/**
 * How an edit (PATCH) may set a field; a field without it is not edited through the API. Text is
 * limited by `maxLength`, figures by `minimum`/`maximum`, codes by `pattern` or the list `codes`.
 */
export interface ParcelPatchLimits {
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  codes?: readonly string[];
  /** False when an edit may not clear the field (default: null clears it). */
  nullable?: boolean;
}

export interface ParcelFieldDefinition<Key extends string = string> {
  /** Property name in the API (camelCase); the database column is its snake_case form. */
  key: Key;
  label: string;
  unit?: string;
  kind: ParcelFieldKind;
  decimals?: number;
  group: 'identity' | 'land' | 'building' | 'economy' | 'compliance' | 'identification';
  /** Never null in the database (NOT NULL column). */
  required?: boolean;
  patch?: ParcelPatchLimits;
}

export const PARCEL_GROUPS: Readonly<Record<ParcelField['group'], string>> = {
  identity: '权属与位置',
  land: '土地',
  building: '建设情况',
  economy: '经济效益',
  compliance: '安全环保能耗',
  identification: '认定',
};

const AMOUNT = { minimum: 0, maximum: 1e9 } as const;
const PER_MU = { minimum: 0, maximum: 1e7 } as const;
const FRACTION = { minimum: 0, maximum: 1 } as const;

/**
 * The attributes of one parcel (一宗一卡), as recorded by 调查摸底 (seed 003 附件1/附件11; seed 000
 * 五(一)), in one list: the parcel card, the editor, the import mapping, the API's
 * detail and patch schemas (domain/api/parcels.schemas.ts) and the column comments come from it,
 * so a new attribute is a line here and a column in a migration.
 */
export const PARCEL_FIELD_DEFINITIONS = [
  { key: 'code', label: '宗地编号', kind: 'text', group: 'identity', required: true },
  { key: 'districtCode', label: '所在行政区', kind: 'text', group: 'identity', required: true },
  { key: 'owner', label: '土地使用权人', kind: 'text', group: 'identity', patch: { maxLength: 200 } },
  { key: 'townOrPark', label: '所在镇街/园区', kind: 'text', group: 'identity', patch: { maxLength: 200 } },
  { key: 'location', label: '土地位置(坐落)', kind: 'text', group: 'identity', patch: { maxLength: 300 } },
  { key: 'contractNo', label: '出让合同号', kind: 'text', group: 'identity', patch: { maxLength: 64 } },
  { key: 'certificateNo', label: '不动产权证号', kind: 'text', group: 'identity', patch: { maxLength: 100 } },
  { key: 'ownershipNature', label: '权属性质', kind: 'enum', group: 'identity', patch: { codes: ['国有', '集体'] } },
  { key: 'registeredAreaM2', label: '土地面积(登记)', unit: 'm²', kind: 'number', decimals: 2, group: 'land', patch: AMOUNT },
  { key: 'areaM2', label: '椭球面积(图形)', unit: 'm²', kind: 'number', decimals: 2, group: 'land', required: true },
  { key: 'landUseCode', label: '土地用途(地类编码)', kind: 'enum', group: 'land', patch: { pattern: '^[0-9A-Z]{2,6}$' } },
  { key: 'plannedFunction', label: '规划用地功能', kind: 'text', group: 'land', patch: { maxLength: 100 } },
  { key: 'undevelopedAreaM2', label: '未开发建设土地面积', unit: 'm²', kind: 'number', decimals: 2, group: 'land', patch: AMOUNT },
  { key: 'adminFacilityShare', label: '行政办公及生活服务设施用地比重', unit: '%', kind: 'fraction', decimals: 2, group: 'land', patch: FRACTION },
  { key: 'floorAreaM2', label: '建筑面积', unit: 'm²', kind: 'number', decimals: 2, group: 'building', patch: AMOUNT },
  { key: 'floorAreaRatio', label: '容积率', kind: 'number', decimals: 2, group: 'building', patch: { minimum: 0, maximum: 100 } },
  { key: 'buildingCoverage', label: '建筑密度(建筑系数)', unit: '%', kind: 'fraction', decimals: 2, group: 'building', patch: FRACTION },
  { key: 'industryCode', label: '国民经济行业分类', kind: 'text', group: 'economy', patch: { pattern: '^[A-T][0-9]{0,4}$' } },
  { key: 'investmentIntensity', label: '投资强度', unit: '万元/亩', kind: 'number', decimals: 2, group: 'economy', patch: PER_MU },
  { key: 'outputPerMu', label: '亩均产值', unit: '万元/亩', kind: 'number', decimals: 2, group: 'economy', patch: PER_MU },
  { key: 'taxPerMu', label: '亩均税收', unit: '万元/亩', kind: 'number', decimals: 2, group: 'economy', patch: PER_MU },
  { key: 'productionStart', label: '投产时间', kind: 'date', group: 'economy', patch: {} },
  { key: 'productionStop', label: '停产时间', kind: 'date', group: 'economy', patch: {} },
  { key: 'meetsSafety', label: '符合安全生产要求', kind: 'boolean', group: 'compliance', patch: {} },
  { key: 'meetsEnvironment', label: '符合环保要求', kind: 'boolean', group: 'compliance', patch: {} },
  { key: 'meetsEnergy', label: '符合能耗要求', kind: 'boolean', group: 'compliance', patch: {} },
  { key: 'status', label: '效率状态', kind: 'enum', group: 'identification', required: true, patch: { codes: EFFICIENCY_STATUS_CODES, nullable: false } },
  { key: 'inefficiencyType', label: '低效类型', kind: 'enum', group: 'identification', patch: { codes: INEFFICIENCY_TYPE_CODES } },
  { key: 'identifiedAt', label: '认定时间', kind: 'date', group: 'identification', patch: {} },
  { key: 'redevelopmentIntent', label: '改造意愿', kind: 'enum', group: 'identification', patch: { codes: REDEVELOPMENT_INTENTS.map((intent) => intent.code) } },
  { key: 'evaluationGrade', label: '综合评价等级', kind: 'enum', group: 'identification', patch: { codes: EVALUATION_GRADES } },
] as const satisfies readonly ParcelFieldDefinition[];

export type ParcelKey = (typeof PARCEL_FIELD_DEFINITIONS)[number]['key'];
export type ParcelField = ParcelFieldDefinition<ParcelKey>;

/** The field list, each entry as the general `ParcelField` (for code that iterates over it). */
export const PARCEL_FIELDS: readonly ParcelField[] = PARCEL_FIELD_DEFINITIONS;

/** A field's label with its unit, as API descriptions and column comments give it. */
export function parcelFieldDescription(field: ParcelField): string {
  return field.unit ? `${field.label} (${field.unit})` : field.label;
}

/** camelCase API key → snake_case database column. */
export function columnName(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
