import { LAND_CATEGORIES, LAND_CATEGORY_CODES, REPORTING_UNITS, RESIDENTIAL_KINDS } from './land-categories.js';
import { EFFICIENCY_STATUSES, EFFICIENCY_STATUS_CODES, EVALUATION_GRADES, INEFFICIENCY_TYPES, INEFFICIENCY_TYPE_CODES, REDEVELOPMENT_INTENTS } from './efficiency.js';

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
  group: 'identity' | 'category' | 'boundaries' | 'land' | 'agreed' | 'actual' | 'compliance' | 'economy' | 'identification';
  /** Never null in the database (NOT NULL column). */
  required?: boolean;
  patch?: ParcelPatchLimits;
  /** An area of land in m² (not of floor): tables and exports also give it in 亩. */
  landArea?: boolean;
  /**
   * The field's name in exported GIS files (GeoPackage, File Geodatabase, and the DBF when it fits),
   * when the name officials use differs from the label; by default the label without its brackets
   * and punctuation (exportFieldName).
   */
  exportName?: string;
  /** A shorter DBF name (at most 10 bytes in GBK) an official would recognise, for names over 10 bytes. */
  dbfName?: string;
}

export const PARCEL_GROUPS: Readonly<Record<ParcelField['group'], string>> = {
  identity: '权属与位置',
  category: '低效用地类别',
  boundaries: '四至',
  land: '土地',
  agreed: '土地使用要求（约定）',
  actual: '土地使用情况',
  compliance: '安全生产、环保、能耗',
  economy: '投资与效益',
  identification: '认定',
};

/** 园区内 / 园区外 (seed 003 二.1: 园区办 surveys the land inside a 园区, 镇政府/街道办 the land outside). */
export const PARK_SIDES = [
  { code: 'inside', label: '园区内' },
  { code: 'outside', label: '园区外' },
] as const;
export type ParkSide = (typeof PARK_SIDES)[number]['code'];

const AMOUNT = { minimum: 0, maximum: 1e9 } as const;
const PER_MU = { minimum: 0, maximum: 1e7 } as const;
/** 万元 totals (固定资产投资总额, 投资额): up to 1 万亿元. */
const MONEY = { minimum: 0, maximum: 1e8 } as const;
const FRACTION = { minimum: 0, maximum: 1 } as const;
const RATIO = { minimum: 0, maximum: 100 } as const;
const NOTE = { maxLength: 500 } as const;
const SIDE = { maxLength: 200 } as const;

/**
 * The attributes of one parcel (一宗一卡), as recorded by 调查摸底 (seed 003 附件1/附件4/附件11; seed 000
 * 五(一)), in one list: the parcel card, the editor, the import mapping, the API's
 * detail and patch schemas (domain/api/parcels.schemas.ts) and the column comments come from it,
 * so a new attribute is a line here and a column in a migration. Groups follow the forms: 附件1's
 * 土地使用要求 (what the contract and the 投资发展协议 agreed) and 土地使用情况 (what is), 四至
 * (seed 000 五(一)), 附件4's 固定资产投资总额 and yearly 产值/税收 (parcel_yearly_figures).
 * Where the forms differ on a unit (附件1's 投资强度 in 万元, the 约定投资强度 in 万元/亩) both are
 * kept as written: `investedAmount` (万元) and `investmentIntensity` (万元/亩).
 */
export const PARCEL_FIELD_DEFINITIONS = [
  { key: 'code', label: '宗地编号', kind: 'text', group: 'identity', required: true },
  { key: 'districtCode', label: '所在行政区', kind: 'text', group: 'identity', required: true, exportName: '行政区代码' },
  { key: 'townOrPark', label: '所在镇街/园区', kind: 'text', group: 'identity', patch: { maxLength: 200 }, dbfName: '所在镇街' },
  { key: 'parkSide', label: '园区内/园区外', kind: 'enum', group: 'identity', patch: { codes: PARK_SIDES.map((side) => side.code) }, exportName: '园区内外' },
  { key: 'owner', label: '土地使用权人', kind: 'text', group: 'identity', patch: { maxLength: 200 }, dbfName: '使用权人' },
  { key: 'subdistrictCode', label: '所在街道/镇(代码)', kind: 'text', group: 'identity', exportName: '街道镇代码' },
  { key: 'parkCode', label: '所在园区(代码，空为园区外)', kind: 'text', group: 'identity', exportName: '园区代码' },
  { key: 'location', label: '土地位置(坐落)', kind: 'text', group: 'identity', patch: { maxLength: 300 }, exportName: '土地坐落' },
  { key: 'certificateNo', label: '不动产权证号', kind: 'text', group: 'identity', patch: { maxLength: 100 }, dbfName: '不动产证号' },
  { key: 'ownershipNature', label: '权属性质', kind: 'enum', group: 'identity', patch: { codes: ['国有', '集体'] } },
  { key: 'landAcquiredAt', label: '土地取得时间', kind: 'date', group: 'identity', patch: {}, dbfName: '取得时间' },
  // 低效用地类别 and who reports it (seed 004 三(一) and 附件; issue 18 item 1). 低效居住 also its kind and
  // 建设手续情况 (住建委: 城中村、老旧小区、烂尾楼盘的用地范围 = the shape, 建筑面积 = floorAreaM2, 建设手续情况).
  { key: 'landCategory', label: '低效用地类别', kind: 'enum', group: 'category', patch: { codes: LAND_CATEGORY_CODES }, dbfName: '用地类别' },
  { key: 'reportingUnit', label: '填报单位', kind: 'enum', group: 'category', patch: { codes: REPORTING_UNITS.map((unit) => unit.code) } },
  { key: 'residentialKind', label: '低效居住类型', kind: 'enum', group: 'category', patch: { codes: RESIDENTIAL_KINDS.map((kind) => kind.code) }, dbfName: '居住类型' },
  { key: 'constructionPermits', label: '建设手续情况', kind: 'text', group: 'category', patch: { maxLength: 500 }, dbfName: '建设手续' },
  { key: 'boundaryEast', label: '东至', kind: 'text', group: 'boundaries', patch: SIDE },
  { key: 'boundarySouth', label: '南至', kind: 'text', group: 'boundaries', patch: SIDE },
  { key: 'boundaryWest', label: '西至', kind: 'text', group: 'boundaries', patch: SIDE },
  { key: 'boundaryNorth', label: '北至', kind: 'text', group: 'boundaries', patch: SIDE },
  { key: 'registeredAreaM2', label: '土地面积(登记)', unit: 'm²', kind: 'number', decimals: 2, group: 'land', patch: AMOUNT, landArea: true, exportName: '登记土地面积', dbfName: '土地面积' },
  { key: 'areaM2', label: '椭球面积(图形)', unit: 'm²', kind: 'number', decimals: 2, group: 'land', required: true, landArea: true, exportName: '椭球面积' },
  { key: 'landUseCode', label: '土地用途(地类编码)', kind: 'enum', group: 'land', patch: { pattern: '^[0-9A-Z]{2,6}$' }, exportName: '地类编码' },
  { key: 'plannedFunction', label: '规划用地功能', kind: 'text', group: 'land', patch: { maxLength: 100 }, dbfName: '规划用途' },
  { key: 'contractNo', label: '土地出让合同号', kind: 'text', group: 'agreed', patch: { maxLength: 64 }, exportName: '出让合同号' },
  { key: 'agreedFloorAreaRatio', label: '约定容积率', kind: 'number', decimals: 2, group: 'agreed', patch: RATIO },
  { key: 'agreedBuildingDensity', label: '约定建筑密度', unit: '%', kind: 'fraction', decimals: 2, group: 'agreed', patch: FRACTION, dbfName: '约定密度' },
  { key: 'agreedCompletionDate', label: '约定竣工时间', kind: 'date', group: 'agreed', patch: {}, dbfName: '约定竣工' },
  { key: 'investmentAgreementNo', label: '投资发展协议号', kind: 'text', group: 'agreed', patch: { maxLength: 64 }, dbfName: '投资协议号' },
  { key: 'agreedInvestmentIntensity', label: '约定投资强度', unit: '万元/亩', kind: 'number', decimals: 2, group: 'agreed', patch: PER_MU, dbfName: '约定投资' },
  { key: 'industryCode', label: '国民经济行业分类', kind: 'text', group: 'actual', patch: { pattern: '^[A-T][0-9]{0,4}$' }, exportName: '行业代码' },
  { key: 'floorAreaM2', label: '建筑面积', unit: 'm²', kind: 'number', decimals: 2, group: 'actual', patch: AMOUNT },
  { key: 'completionDate', label: '竣工时间', kind: 'date', group: 'actual', patch: {} },
  { key: 'productionStart', label: '投产时间', kind: 'date', group: 'actual', patch: {} },
  { key: 'productionStop', label: '停产时间', kind: 'date', group: 'actual', patch: {} },
  { key: 'investedAmount', label: '投资强度(已投资额)', unit: '万元', kind: 'number', decimals: 2, group: 'actual', patch: MONEY, exportName: '已投资额' },
  { key: 'investmentIntensity', label: '投资强度', unit: '万元/亩', kind: 'number', decimals: 2, group: 'actual', patch: PER_MU },
  { key: 'floorAreaRatio', label: '容积率', kind: 'number', decimals: 2, group: 'actual', patch: RATIO },
  { key: 'adminFacilityShare', label: '行政办公及生活服务设施用地比重', unit: '%', kind: 'fraction', decimals: 2, group: 'actual', patch: FRACTION, dbfName: '行政办公比' },
  { key: 'buildingCoverage', label: '建筑系数', unit: '%', kind: 'fraction', decimals: 2, group: 'actual', patch: FRACTION },
  { key: 'outputPerMu', label: '亩均产值', unit: '万元/亩', kind: 'number', decimals: 2, group: 'actual', patch: PER_MU },
  { key: 'taxPerMu', label: '亩均税收', unit: '万元/亩', kind: 'number', decimals: 2, group: 'actual', patch: PER_MU },
  { key: 'undevelopedAreaM2', label: '未开发建设土地面积', unit: 'm²', kind: 'number', decimals: 2, group: 'actual', patch: AMOUNT, landArea: true, dbfName: '未开发面积' },
  { key: 'meetsSafety', label: '符合安全生产要求', kind: 'boolean', group: 'compliance', patch: {}, dbfName: '安全生产' },
  { key: 'safetyNote', label: '安全生产说明', kind: 'text', group: 'compliance', patch: NOTE, dbfName: '安全说明' },
  { key: 'meetsEnvironment', label: '符合环保要求', kind: 'boolean', group: 'compliance', patch: {}, dbfName: '符合环保' },
  { key: 'environmentNote', label: '环保说明', kind: 'text', group: 'compliance', patch: NOTE },
  { key: 'meetsEnergy', label: '符合能耗要求', kind: 'boolean', group: 'compliance', patch: {}, dbfName: '符合能耗' },
  { key: 'energyNote', label: '能耗说明', kind: 'text', group: 'compliance', patch: NOTE },
  { key: 'fixedAssetInvestment', label: '固定资产投资总额', unit: '万元', kind: 'number', decimals: 2, group: 'economy', patch: MONEY, dbfName: '固投总额' },
  { key: 'status', label: '效率状态', kind: 'enum', group: 'identification', required: true, patch: { codes: EFFICIENCY_STATUS_CODES, nullable: false } },
  { key: 'inefficiencyType', label: '低效类型', kind: 'enum', group: 'identification', patch: { codes: INEFFICIENCY_TYPE_CODES } },
  { key: 'identifiedAt', label: '认定时间', kind: 'date', group: 'identification', patch: {} },
  { key: 'redevelopmentIntent', label: '改造意愿', kind: 'enum', group: 'identification', patch: { codes: REDEVELOPMENT_INTENTS.map((intent) => intent.code) } },
  { key: 'evaluationGrade', label: '综合评价等级', kind: 'enum', group: 'identification', patch: { codes: EVALUATION_GRADES }, dbfName: '评价等级' },
] as const satisfies readonly ParcelFieldDefinition[];

export type ParcelKey = (typeof PARCEL_FIELD_DEFINITIONS)[number]['key'];
export type ParcelField = ParcelFieldDefinition<ParcelKey>;

/** The field list, each entry as the general `ParcelField` (for code that iterates over it). */
export const PARCEL_FIELDS: readonly ParcelField[] = PARCEL_FIELD_DEFINITIONS;

/** A field's label with its unit, as API descriptions and column comments give it. */
export function parcelFieldDescription(field: ParcelField): string {
  return field.unit ? `${field.label} (${field.unit})` : field.label;
}

/**
 * The Chinese label of each code of the enum fields whose codes are not words an official reads
 * (tables and exports write the label; 权属性质 and 综合评价等级 are stored as written).
 */
export const PARCEL_CODE_LABELS: Readonly<Partial<Record<ParcelKey, readonly { code: string; label: string }[]>>> = {
  parkSide: PARK_SIDES,
  landCategory: LAND_CATEGORIES,
  reportingUnit: REPORTING_UNITS,
  residentialKind: RESIDENTIAL_KINDS,
  status: EFFICIENCY_STATUSES,
  inefficiencyType: INEFFICIENCY_TYPES,
  redevelopmentIntent: REDEVELOPMENT_INTENTS,
};

/**
 * A field's name in exported GIS files: its `exportName`, else its label without brackets and
 * punctuation (File Geodatabase and GeoPackage names hold letters, digits and _ only):
 * 所在镇街/园区 → 所在镇街园区.
 */
export function exportFieldName(field: ParcelField): string {
  return field.exportName ?? field.label.replace(/[^\p{L}\p{N}_]/gu, '');
}

/** camelCase API key → snake_case database column. */
export function columnName(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
