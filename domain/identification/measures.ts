import type { ParcelKey } from '../parcel-fields.js';
import { squareMetresToMu } from '../units.js';

/**
 * The measures 认定标准 (criteria sets) and 综合评价分级 (grading schemes) read off a parcel: each
 * one's code, label, unit, how it is computed from the parcel card (domain/parcel-fields.ts) and
 * its yearly figures (parcel_yearly_figures, 近三年平均), and the form it comes from. Criteria
 * runs, grading runs and (later) the 附件1/附件11 forms all read the same figures through here.
 */

/** A parcel's card fields a measure reads, and the 近三年平均 of its yearly figures (万元/亩). */
export interface MeasureInputs {
  taxPerMu: number | null;
  outputPerMu: number | null;
  /** 近三年平均税收 per 亩 from parcel_yearly_figures (null without yearly figures). */
  recentTaxPerMu: number | null;
  /** 近三年平均产值 per 亩 from parcel_yearly_figures. */
  recentOutputPerMu: number | null;
  floorAreaRatio: number | null;
  agreedFloorAreaRatio: number | null;
  buildingCoverage: number | null;
  investmentIntensity: number | null;
  investedAmount: number | null;
  agreedInvestmentIntensity: number | null;
  productionStart: string | null;
  productionStop: string | null;
  completionDate: string | null;
  agreedCompletionDate: string | null;
  undevelopedAreaM2: number | null;
  registeredAreaM2: number | null;
  areaM2: number | null;
  meetsSafety: boolean | null;
  meetsEnvironment: boolean | null;
  meetsEnergy: boolean | null;
  industryCode: string | null;
  landUseCode: string | null;
}

/** What a measure's computation may also need: the day it is evaluated on and a criterion's industry list. */
export interface MeasureContext {
  /** YYYY-MM-DD: 停产月数 and 逾期 are counted to this day. */
  referenceDate: string;
  /** Industry code prefixes (国民经济行业分类) of a 淘汰类/限制类 list. */
  industryList?: readonly string[];
}

/** A measure's value: a number, a yes/no finding, or `missing` naming the card fields it lacks. */
export type MeasureValue = { value: number | boolean } | { missing: ParcelKey[] };

export interface MeasureSource {
  document: string;
  text: string;
}

export interface MeasureDefinition {
  code: string;
  label: string;
  /** Unit of the value and of a criterion's threshold ('' for a yes/no finding). */
  unit: string;
  /** `number` compares with a threshold; `flag` is a finding (true = the parcel has it). */
  kind: 'number' | 'flag';
  /** For grading: whether a higher value is better (numbers only). */
  higherIsBetter?: boolean;
  /** The card fields it reads (named when missing). */
  reads: readonly ParcelKey[];
  /** How it is computed, in words (the editor and the run's figures show it). */
  computation: string;
  source: MeasureSource;
  compute(inputs: MeasureInputs, context: MeasureContext): MeasureValue;
}

const FORM_1 = 'seed 003 汕府办〔2019〕6号 附件1《产业用地使用效益调查表（认定/验收）》';
const FORM_4 = 'seed 003 汕府办〔2019〕6号 附件4《低效产业用地再利用方案》';

const present = (value: number | null): value is number => value !== null && Number.isFinite(value);
const missing = (...keys: ParcelKey[]): MeasureValue => ({ missing: keys });
const round = (value: number, decimals = 4) => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** The parcel's area in 亩: the registered 土地面积 where known, else the drawn (ellipsoidal) one. */
export function areaMuOf(inputs: Pick<MeasureInputs, 'registeredAreaM2' | 'areaM2'>): number | null {
  if (present(inputs.registeredAreaM2) && inputs.registeredAreaM2 > 0) return squareMetresToMu(inputs.registeredAreaM2);
  if (present(inputs.areaM2) && inputs.areaM2 > 0) return squareMetresToMu(inputs.areaM2);
  return null;
}

/** Whole months from `from` to `to` (YYYY-MM-DD), 0 when `to` is not after `from`. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  const months = (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
  return Math.max(0, months);
}

/** 亩均税收/亩均产值: the 近三年平均 of the yearly figures where recorded, else the card's figure. */
function perMu(recent: number | null, card: number | null, keys: ParcelKey[]): MeasureValue {
  if (present(recent)) return { value: round(recent, 2) };
  if (present(card)) return { value: card };
  return missing(...keys);
}

function quotient(numerator: number | null, denominator: number | null, keys: ParcelKey[]): MeasureValue {
  if (!present(numerator) || !present(denominator) || denominator <= 0) return missing(...keys);
  return { value: round(numerator / denominator) };
}

/** 投资强度 (万元/亩): the card's, else 已投资额 ÷ 土地面积 (亩). */
function intensityOf(inputs: MeasureInputs): number | null {
  if (present(inputs.investmentIntensity)) return inputs.investmentIntensity;
  const area = areaMuOf(inputs);
  return present(inputs.investedAmount) && area ? inputs.investedAmount / area : null;
}

function nonConformity(meets: boolean | null, key: ParcelKey): MeasureValue {
  return meets === null ? missing(key) : { value: !meets };
}

export const MEASURE_DEFINITIONS = [
  {
    code: 'tax_per_mu', label: '亩均税收', unit: '万元/亩', kind: 'number', higherIsBetter: true,
    reads: ['taxPerMu'],
    computation: '近三年平均税收总额 ÷ 土地面积（亩）（按年度产值税收），未录年度数据时取卡片“亩均税收”',
    source: { document: `${FORM_1}; ${FORM_4}`, text: '亩均税收（万元/亩）；近三年平均税收总额为XX万元/亩' },
    compute: (inputs) => perMu(inputs.recentTaxPerMu, inputs.taxPerMu, ['taxPerMu']),
  },
  {
    code: 'output_per_mu', label: '亩均产值', unit: '万元/亩', kind: 'number', higherIsBetter: true,
    reads: ['outputPerMu'],
    computation: '近三年平均产值 ÷ 土地面积（亩）（按年度产值税收），未录年度数据时取卡片“亩均产值”',
    source: { document: `${FORM_1}; ${FORM_4}`, text: '亩均产值（万元/亩）；近三年平均产值为XX万元/亩' },
    compute: (inputs) => perMu(inputs.recentOutputPerMu, inputs.outputPerMu, ['outputPerMu']),
  },
  {
    code: 'floor_area_ratio', label: '容积率', unit: '', kind: 'number', higherIsBetter: true,
    reads: ['floorAreaRatio'],
    computation: '卡片“容积率”（土地使用情况）',
    source: { document: FORM_1, text: '土地使用情况：容积率' },
    compute: (inputs) => (present(inputs.floorAreaRatio) ? { value: inputs.floorAreaRatio } : missing('floorAreaRatio')),
  },
  {
    code: 'building_coverage', label: '建筑系数', unit: '%', kind: 'number', higherIsBetter: true,
    reads: ['buildingCoverage'],
    computation: '卡片“建筑系数”，以百分数计',
    source: { document: FORM_1, text: '土地使用情况：建筑系数' },
    compute: (inputs) => (present(inputs.buildingCoverage) ? { value: round(inputs.buildingCoverage * 100, 2) } : missing('buildingCoverage')),
  },
  {
    code: 'investment_intensity', label: '投资强度（亩均投资）', unit: '万元/亩', kind: 'number', higherIsBetter: true,
    reads: ['investmentIntensity', 'investedAmount'],
    computation: '卡片“投资强度”（万元/亩）；未填时为已投资额（万元）÷ 土地面积（亩）',
    source: { document: `${FORM_1}; seed 002 案例18`, text: '投资强度；“亩均投资30万元以下”' },
    compute: (inputs) => {
      const value = intensityOf(inputs);
      return value === null ? missing('investmentIntensity', 'investedAmount') : { value: round(value, 2) };
    },
  },
  {
    code: 'investment_vs_agreed', label: '投资强度 ÷ 约定投资强度', unit: '倍', kind: 'number', higherIsBetter: true,
    reads: ['investmentIntensity', 'agreedInvestmentIntensity'],
    computation: '投资强度（万元/亩；未填时为已投资额 ÷ 土地面积（亩））÷ 约定投资强度（万元/亩）',
    source: { document: `${FORM_1}; ${FORM_4}`, text: '约定投资强度（万元/亩）；投资强度；未达到投资发展协议、土地出让合同约定指标情况' },
    compute: (inputs) => quotient(intensityOf(inputs), inputs.agreedInvestmentIntensity, ['investmentIntensity', 'agreedInvestmentIntensity']),
  },
  {
    code: 'far_vs_agreed', label: '容积率 ÷ 约定容积率', unit: '倍', kind: 'number', higherIsBetter: true,
    reads: ['floorAreaRatio', 'agreedFloorAreaRatio'],
    computation: '容积率 ÷ 约定容积率（土地出让合同）',
    source: { document: `${FORM_1}; ${FORM_4}`, text: '土地使用要求：容积率；土地使用情况：容积率；未达到投资发展协议、土地出让合同约定指标情况' },
    compute: (inputs) => quotient(inputs.floorAreaRatio, inputs.agreedFloorAreaRatio, ['floorAreaRatio', 'agreedFloorAreaRatio']),
  },
  {
    code: 'months_stopped', label: '停产月数', unit: '月', kind: 'number', higherIsBetter: false,
    reads: ['productionStop', 'productionStart'],
    computation: '停产时间至评价日的整月数；未停产（有投产时间、无停产时间）为 0；两者皆空为数据不全',
    source: { document: `${FORM_1}; ${FORM_4}`, text: '投产时间；停产时间；未投产、停产、厂房空置情况' },
    compute: (inputs, context) => {
      if (inputs.productionStop) {
        // Production started again after the stop: not stopped now.
        if (inputs.productionStart && inputs.productionStart > inputs.productionStop) return { value: 0 };
        return { value: monthsBetween(inputs.productionStop, context.referenceDate) };
      }
      return inputs.productionStart ? { value: 0 } : missing('productionStop', 'productionStart');
    },
  },
  {
    code: 'overdue_completion', label: '超过约定竣工时间未竣工或未投产', unit: '', kind: 'flag',
    reads: ['agreedCompletionDate', 'completionDate', 'productionStart'],
    computation: '约定竣工时间早于评价日，且无竣工时间或无投产时间',
    source: { document: FORM_1, text: '约定竣工时间；竣工时间；投产时间' },
    compute: (inputs, context) => {
      if (!inputs.agreedCompletionDate) return missing('agreedCompletionDate');
      if (inputs.agreedCompletionDate >= context.referenceDate) return { value: false };
      return { value: !inputs.completionDate || !inputs.productionStart };
    },
  },
  {
    code: 'undeveloped_share', label: '未开发建设土地面积占比', unit: '%', kind: 'number', higherIsBetter: false,
    reads: ['undevelopedAreaM2'],
    computation: '未开发建设土地面积 ÷ 土地面积（登记面积，未登记时为图形面积）× 100',
    source: { document: `${FORM_1}; ${FORM_4}`, text: '未开发建设土地面积（亩）；土地未建设、土地闲置情况' },
    compute: (inputs) => {
      const area = present(inputs.registeredAreaM2) && inputs.registeredAreaM2 > 0 ? inputs.registeredAreaM2 : inputs.areaM2;
      if (!present(inputs.undevelopedAreaM2) || !present(area) || area <= 0) return missing('undevelopedAreaM2');
      return { value: round((inputs.undevelopedAreaM2 / area) * 100, 2) };
    },
  },
  {
    code: 'safety_nonconforming', label: '不符合安全生产要求', unit: '', kind: 'flag',
    reads: ['meetsSafety'],
    computation: '卡片“符合安全生产要求”为否',
    source: { document: FORM_1, text: '是否符合安全生产、环保、能耗等产业发展政策要求' },
    compute: (inputs) => nonConformity(inputs.meetsSafety, 'meetsSafety'),
  },
  {
    code: 'environment_nonconforming', label: '不符合环保要求', unit: '', kind: 'flag',
    reads: ['meetsEnvironment'],
    computation: '卡片“符合环保要求”为否',
    source: { document: FORM_1, text: '是否符合安全生产、环保、能耗等产业发展政策要求' },
    compute: (inputs) => nonConformity(inputs.meetsEnvironment, 'meetsEnvironment'),
  },
  {
    code: 'energy_nonconforming', label: '不符合能耗要求', unit: '', kind: 'flag',
    reads: ['meetsEnergy'],
    computation: '卡片“符合能耗要求”为否',
    source: { document: FORM_1, text: '是否符合安全生产、环保、能耗等产业发展政策要求' },
    compute: (inputs) => nonConformity(inputs.meetsEnergy, 'meetsEnergy'),
  },
  {
    code: 'listed_industry', label: '行业属淘汰类/限制类目录', unit: '', kind: 'flag',
    reads: ['industryCode'],
    computation: '国民经济行业分类代码以标准所列目录中的某一代码开头（目录由标准录入）',
    source: { document: `${FORM_1}; 《产业结构调整指导目录》淘汰类、限制类（目录条目为本地录入，local rule）`, text: '国民经济行业分类；是否符合……产业发展政策要求' },
    compute: (inputs, context) => {
      if (!inputs.industryCode) return missing('industryCode');
      return { value: (context.industryList ?? []).some((prefix) => inputs.industryCode!.startsWith(prefix)) };
    },
  },
] as const satisfies readonly MeasureDefinition[];

export type MeasureCode = (typeof MEASURE_DEFINITIONS)[number]['code'];
export const MEASURES: readonly MeasureDefinition[] = MEASURE_DEFINITIONS;
export const MEASURE_CODES = MEASURE_DEFINITIONS.map((measure) => measure.code) as MeasureCode[];
/** The measures a grading scheme may weigh: numbers, with a direction. */
export const GRADING_MEASURE_CODES = MEASURE_DEFINITIONS.filter((measure) => measure.kind === 'number').map((measure) => measure.code) as MeasureCode[];

export function measureOf(code: string): MeasureDefinition | undefined {
  return MEASURES.find((measure) => measure.code === code);
}

export function measureLabel(code: string): string {
  return measureOf(code)?.label ?? code;
}
