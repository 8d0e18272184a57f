import { INEFFICIENCY_TYPES } from '../efficiency.js';
import { INDUSTRY_CODES } from '../industry-codes.js';
import { LAND_USE_CODES } from '../land-use.js';
import { PARCEL_CODE_LABELS, PARCEL_FIELDS, type ParcelKey } from '../parcel-fields.js';
import { SQUARE_METRES_PER_HECTARE, SQUARE_METRES_PER_MU } from '../units.js';

/**
 * Field mapping for imports: which column of a surveyor's file goes into which attribute, in which
 * unit. 变更调查 layers use the national field codes (BSM, DLBM, TBMJ…), which differ a little
 * between years; 调查表 spreadsheets use Chinese headings as officials type them, with the unit in
 * brackets ("土地面积（亩）"). Both are matched leniently, and every value is checked and converted
 * here, so a figure in 亩 or 元/亩 never lands in a column that means m² or 万元/亩.
 */

export type ImportKind = 'survey' | 'parcels';

export interface FieldTarget {
  key: string;
  label: string;
  unit?: string;
  type: 'text' | 'number' | 'integer' | 'date' | 'code';
}

export interface SurveyField extends FieldTarget {
  /** Field code in the national database standard (DLTB layer). */
  source: string;
}

/** DLTB 地类图斑 fields of the 年度国土变更调查 database, in the standard's order. */
export const SURVEY_FIELDS: readonly SurveyField[] = [
  { source: 'BSM', key: 'bsm', label: '标识码', type: 'code' },
  { source: 'YSDM', key: 'featureCode', label: '要素代码', type: 'code' },
  { source: 'TBYBH', key: 'patchPreliminaryNumber', label: '图斑预编号', type: 'text' },
  { source: 'TBBH', key: 'patchNumber', label: '图斑编号', type: 'text' },
  { source: 'DLBM', key: 'landUseCode', label: '地类编码', type: 'code' },
  { source: 'DLMC', key: 'landUseName', label: '地类名称', type: 'text' },
  { source: 'QSXZ', key: 'ownershipType', label: '权属性质', type: 'code' },
  { source: 'QSDWDM', key: 'ownerUnitCode', label: '权属单位代码', type: 'code' },
  { source: 'QSDWMC', key: 'ownerUnitName', label: '权属单位名称', type: 'text' },
  { source: 'ZLDWDM', key: 'locatedUnitCode', label: '坐落单位代码', type: 'code' },
  { source: 'ZLDWMC', key: 'locatedUnitName', label: '坐落单位名称', type: 'text' },
  { source: 'TBMJ', key: 'patchArea', label: '图斑面积', unit: 'm²', type: 'number' },
  { source: 'KCDLBM', key: 'deductionLandUseCode', label: '扣除地类编码', type: 'code' },
  { source: 'KCXS', key: 'deductionCoefficient', label: '扣除地类系数', type: 'number' },
  { source: 'KCMJ', key: 'deductionArea', label: '扣除地类面积', unit: 'm²', type: 'number' },
  { source: 'TBDLMJ', key: 'patchLandArea', label: '图斑地类面积', unit: 'm²', type: 'number' },
  { source: 'GDLX', key: 'farmlandType', label: '耕地类型', type: 'code' },
  { source: 'GDPDJB', key: 'farmlandSlopeGrade', label: '耕地坡度级别', type: 'code' },
  { source: 'XZDWKD', key: 'linearFeatureWidth', label: '线状地物宽度', unit: 'm', type: 'number' },
  { source: 'TBXHDM', key: 'refinementCode', label: '图斑细化代码', type: 'code' },
  { source: 'TBXHMC', key: 'refinementName', label: '图斑细化名称', type: 'text' },
  { source: 'ZZSXDM', key: 'plantingCode', label: '种植属性代码', type: 'code' },
  { source: 'ZZSXMC', key: 'plantingName', label: '种植属性名称', type: 'text' },
  { source: 'GDDB', key: 'farmlandGrade', label: '耕地等别', type: 'integer' },
  { source: 'FRDBS', key: 'enclaveFlag', label: '飞入地标识', type: 'code' },
  { source: 'CZCSXM', key: 'urbanRuralCode', label: '城镇村属性码', type: 'code' },
  { source: 'SJNF', key: 'dataYear', label: '数据年份', type: 'integer' },
  { source: 'MSSM', key: 'description', label: '描述说明', type: 'text' },
  { source: 'HDMC', key: 'islandName', label: '海岛名称', type: 'text' },
  { source: 'BZ', key: 'remark', label: '备注', type: 'text' },
];

interface ParcelImportField extends FieldTarget {
  key: ParcelKey;
  /** Headings as officials type them, compared after normalisation (full-width → half-width, no spaces, brackets removed). */
  headings: readonly string[];
}

function parcelLabel(key: ParcelKey): string {
  return PARCEL_FIELDS.find((field) => field.key === key)?.label ?? key;
}

function parcelField(key: ParcelKey, type: FieldTarget['type'], headings: readonly string[], unit?: string): ParcelImportField {
  return unit === undefined ? { key, label: parcelLabel(key), type, headings } : { key, label: parcelLabel(key), unit, type, headings };
}

const PARCEL_IMPORT_TABLE: readonly ParcelImportField[] = [
  parcelField('code', 'text', ['宗地编号', '宗地号', '地块编号', '宗地代码']),
  parcelField('owner', 'text', ['土地使用权人', '使用权人', '权利人', '企业名称', '用地单位']),
  parcelField('townOrPark', 'text', ['所在镇街', '镇街', '园区', '所在园区', '所在镇街/园区', '镇街/园区', '所在街道', '街道']),
  parcelField('location', 'text', ['土地位置', '坐落', '地址', '土地坐落', '宗地坐落']),
  parcelField('registeredAreaM2', 'number', ['土地面积', '用地面积', '宗地面积', '占地面积'], 'm²'),
  parcelField('contractNo', 'text', ['出让合同号', '合同编号', '出让合同编号']),
  parcelField('certificateNo', 'text', ['不动产权证号', '不动产证号', '土地证号', '不动产权证书号', '土地使用权证号']),
  parcelField('landUseCode', 'code', ['土地用途', '地类编码', '用途', '地类']),
  parcelField('plannedFunction', 'text', ['规划用地功能', '规划用途', '规划用地性质']),
  parcelField('industryCode', 'code', ['行业代码', '国民经济行业分类', '行业分类', '所属行业']),
  parcelField('floorAreaM2', 'number', ['建筑面积', '总建筑面积'], 'm²'),
  parcelField('floorAreaRatio', 'number', ['容积率']),
  parcelField('buildingCoverage', 'number', ['建筑密度', '建筑系数', '建筑密度/建筑系数']),
  parcelField('investmentIntensity', 'number', ['投资强度', '固定资产投资强度'], '万元/亩'),
  parcelField('outputPerMu', 'number', ['亩均产值', '地均产值', '地均/亩均产值'], '万元/亩'),
  parcelField('taxPerMu', 'number', ['亩均税收', '地均税收', '地均/亩均税收'], '万元/亩'),
  parcelField('productionStart', 'date', ['投产时间', '投产日期']),
  parcelField('productionStop', 'date', ['停产时间', '停产日期']),
  parcelField('completionDate', 'date', ['竣工时间', '竣工日期']),
  parcelField('landAcquiredAt', 'date', ['土地取得时间', '取得时间', '土地取得日期']),
  parcelField('agreedFloorAreaRatio', 'number', ['约定容积率']),
  parcelField('agreedCompletionDate', 'date', ['约定竣工时间', '约定竣工日期']),
  parcelField('investmentAgreementNo', 'text', ['投资发展协议号', '项目投资发展协议号', '投资协议号']),
  parcelField('agreedInvestmentIntensity', 'number', ['约定投资强度'], '万元/亩'),
  parcelField('fixedAssetInvestment', 'number', ['固定资产投资总额', '固定资产投资'], '万元'),
  parcelField('boundaryEast', 'text', ['东至']),
  parcelField('boundarySouth', 'text', ['南至']),
  parcelField('boundaryWest', 'text', ['西至']),
  parcelField('boundaryNorth', 'text', ['北至']),
  parcelField('inefficiencyType', 'code', ['低效类型', '低效用地类型']),
  parcelField('landCategory', 'code', ['低效用地类别', '用地类别', '低效用地分类']),
  parcelField('reportingUnit', 'code', ['填报单位', '上报单位']),
  parcelField('residentialKind', 'code', ['低效居住类型', '居住类型']),
  parcelField('constructionPermits', 'text', ['建设手续情况', '建设手续']),
];

/** Parcel attributes an import may fill; keys are those of PARCEL_FIELDS (the parcels table's columns). */
export const PARCEL_IMPORT_FIELDS: readonly FieldTarget[] = PARCEL_IMPORT_TABLE.map(({ headings: _, ...target }) => target);

export interface ProposedMapping {
  /** Source field → target key, or null when the field is kept unmapped. */
  mapping: Record<string, string | null>;
  /** Source field → unit (from its heading, else the target's own unit). */
  units: Record<string, string>;
  unmapped: string[];
}

/** Canonical units. */
export const IMPORT_UNITS = {
  squareMetre: 'm²',
  mu: '亩',
  hectare: '公顷',
  percent: '%',
  tenThousandYuanPerMu: '万元/亩',
  yuanPerMu: '元/亩',
  tenThousandYuanPerHectare: '万元/公顷',
  yuanPerSquareMetre: '元/平方米',
  metre: 'm',
} as const;

type Unit = (typeof IMPORT_UNITS)[keyof typeof IMPORT_UNITS];

const AREA_UNITS: readonly Unit[] = [IMPORT_UNITS.squareMetre, IMPORT_UNITS.mu, IMPORT_UNITS.hectare];
const PER_MU_UNITS: readonly Unit[] = [IMPORT_UNITS.tenThousandYuanPerMu, IMPORT_UNITS.yuanPerMu, IMPORT_UNITS.tenThousandYuanPerHectare, IMPORT_UNITS.yuanPerSquareMetre];

/** Units each parcel target accepts; a unit in a heading that the target cannot take is ignored. */
const ACCEPTED_UNITS: Readonly<Partial<Record<ParcelKey, readonly Unit[]>>> = {
  registeredAreaM2: AREA_UNITS,
  floorAreaM2: AREA_UNITS,
  buildingCoverage: [IMPORT_UNITS.percent],
  investmentIntensity: PER_MU_UNITS,
  agreedInvestmentIntensity: PER_MU_UNITS,
  outputPerMu: PER_MU_UNITS,
  taxPerMu: PER_MU_UNITS,
};

/** A unit as written in a heading or a value ("㎡", "平方米", "（亩）", "元／亩"), or null when it is none. */
export function normaliseUnit(text: string): Unit | null {
  const unit = text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  if (unit === '亩') return IMPORT_UNITS.mu;
  if (['公顷', 'ha', 'hm2'].includes(unit)) return IMPORT_UNITS.hectare;
  if (['m2', '平方米', '平米', '平方'].includes(unit)) return IMPORT_UNITS.squareMetre;
  if (unit === '%' || unit === '百分比') return IMPORT_UNITS.percent;
  if (unit === '万元/亩') return IMPORT_UNITS.tenThousandYuanPerMu;
  if (unit === '元/亩') return IMPORT_UNITS.yuanPerMu;
  if (unit === '万元/公顷' || unit === '万元/hm2') return IMPORT_UNITS.tenThousandYuanPerHectare;
  if (unit === '元/平方米' || unit === '元/m2') return IMPORT_UNITS.yuanPerSquareMetre;
  if (unit === 'm' || unit === '米') return IMPORT_UNITS.metre;
  return null;
}

interface Heading { name: string; unit: Unit | null }

/**
 * Splits a heading into its name and unit: full-width characters and spaces go, bracketed parts
 * are removed (a unit among them is kept), so "土地面积（亩）", "土地面积 (亩)" and "土 地 面 积(亩)"
 * read alike, and "地均(亩均)产值(万元/亩)" reads as 地均产值 in 万元/亩.
 */
function readHeading(heading: string): Heading {
  let unit: Unit | null = null;
  const name = heading.normalize('NFKC').replace(/\s+/g, '').replace(/[([【]([^)\]】]*)[)\]】]/g, (_, inner: string) => {
    unit ??= normaliseUnit(inner);
    return '';
  });
  return { name, unit };
}

function targetOfHeading(name: string): { field: ParcelImportField; remainder: string } | null {
  for (const field of PARCEL_IMPORT_TABLE) if (field.headings.includes(name)) return { field, remainder: '' };
  // "土地使用权人名称", "土地面积亩": a known heading followed by more text, longest heading first.
  const candidates = PARCEL_IMPORT_TABLE.flatMap((field) => field.headings.filter((heading) => heading.length >= 3).map((heading) => ({ field, heading })))
    .sort((first, second) => second.heading.length - first.heading.length);
  const match = candidates.find(({ heading }) => name.startsWith(heading));
  return match ? { field: match.field, remainder: name.slice(match.heading.length) } : null;
}

/**
 * Proposes a mapping for the user to confirm. Each target is taken once (the first matching field
 * wins); unknown fields stay unmapped and are kept with the import.
 */
export function proposeMapping(kind: ImportKind, sourceFields: readonly string[]): ProposedMapping {
  const mapping: Record<string, string | null> = {};
  const units: Record<string, string> = {};
  const unmapped: string[] = [];
  const taken = new Set<string>();

  for (const source of sourceFields) {
    let key: string | null = null;
    let unit: string | undefined;
    if (kind === 'survey') {
      const name = source.normalize('NFKC').trim().toUpperCase();
      const field = SURVEY_FIELDS.find((candidate) => candidate.source === name || candidate.label === name);
      key = field?.key ?? null;
      unit = field?.unit;
    } else {
      const heading = readHeading(source);
      const found = targetOfHeading(heading.name);
      if (found) {
        key = found.field.key;
        const detected = heading.unit ?? normaliseUnit(found.remainder);
        const accepted = ACCEPTED_UNITS[found.field.key];
        unit = detected && accepted?.includes(detected) ? detected : found.field.unit;
      }
    }
    if (key === null || taken.has(key)) {
      mapping[source] = null;
      unmapped.push(source);
      continue;
    }
    taken.add(key);
    mapping[source] = key;
    if (unit !== undefined) units[source] = unit;
  }
  return { mapping, units, unmapped };
}

// ---------------------------------------------------------------------------------------------
// Values

export type ConvertFailure = 'not_a_number' | 'out_of_range' | 'not_a_date' | 'unknown_code' | 'unknown_target';

/** Exported so callers and tests name a failure without retyping its string. */
export const CONVERT_FAILURES = {
  notANumber: 'not_a_number',
  outOfRange: 'out_of_range',
  notADate: 'not_a_date',
  unknownCode: 'unknown_code',
  unknownTarget: 'unknown_target',
} as const satisfies Record<string, ConvertFailure>;

export type ConvertResult =
  | { ok: true; value: string | number | null; warning?: string }
  | { ok: false; reason: ConvertFailure; message: string };

/** Above this, a 亩均税收 in 万元/亩 is implausible (the best parks reach tens), and the figure was most likely typed in 元/亩. */
export const SUSPICIOUS_TAX_PER_MU = 1000;

/** 容积率 above this is no industrial or urban plot: the value is a floor area or a typing error. */
export const MAXIMUM_FLOOR_AREA_RATIO = 20;

function fail(reason: ConvertFailure, message: string): ConvertResult {
  return { ok: false, reason, message };
}

function isBlank(raw: unknown): boolean {
  return raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '');
}

/** A number, possibly written with thousands separators, full-width digits or a unit ("12.5亩", "45%"). */
function readNumber(raw: unknown): { value: number; unit: Unit | null } | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? { value: raw, unit: null } : null;
  if (typeof raw !== 'string') return null;
  const text = raw.normalize('NFKC').replace(/\s+/g, '').replace(/,(?=\d{3}(\D|$))/g, '');
  const match = /^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(.*)$/.exec(text);
  if (!match) return null;
  const unit = match[2] === '' ? null : normaliseUnit(match[2]);
  if (match[2] !== '' && unit === null) return null;
  return { value: Number(match[1]), unit };
}

function text(raw: unknown): string {
  return typeof raw === 'string' ? raw.normalize('NFKC').trim() : String(raw);
}

function pad(number: number): string {
  return String(number).padStart(2, '0');
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A date as 'YYYY-MM-DD' from 2019-04-19, 2019/4/19, 2019.4.19, 2019年4月19日 or 20190419. A month
 * without a day ("2019年4月", common for 投产时间) becomes the 1st, with a warning. Excel serial
 * numbers (43574) are refused: their epoch depends on the workbook and the reader.
 */
function convertDate(raw: unknown): ConvertResult {
  const value = text(raw);
  const full = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(value) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  const monthOnly = full ? null : /^(\d{4})[-/.年](\d{1,2})月?$/.exec(value);
  const parts = full ?? monthOnly;
  if (!parts) return fail('not_a_date', `「${value}」不是日期 (应为 2019-04-19、2019/4/19、2019年4月19日 或 20190419)`);
  const year = Number(parts[1]);
  const month = Number(parts[2]);
  const day = full ? Number(parts[3]) : 1;
  if (year < 1900 || year > 2100 || !isCalendarDate(year, month, day)) return fail('not_a_date', `「${value}」不是有效日期`);
  const iso = `${year}-${pad(month)}-${pad(day)}`;
  return monthOnly ? { ok: true, value: iso, warning: `「${value}」只有年月，按当月1日 (${iso}) 记录` } : { ok: true, value: iso };
}

function convertNumber(raw: unknown, label: string): { ok: true; value: number; unit: Unit | null } | { ok: false; result: ConvertResult } {
  const number = readNumber(raw);
  if (!number) return { ok: false, result: fail('not_a_number', `${label}「${text(raw)}」不是数字`) };
  return { ok: true, ...number };
}

/** Converts an area to m². */
function toSquareMetres(value: number, unit: Unit | null): number {
  if (unit === IMPORT_UNITS.mu) return value * SQUARE_METRES_PER_MU;
  if (unit === IMPORT_UNITS.hectare) return value * SQUARE_METRES_PER_HECTARE;
  return value;
}

/** Converts money per area to 万元/亩 (1 公顷 = 15 亩, 1 亩 = 10000/15 m²). */
function toTenThousandYuanPerMu(value: number, unit: Unit | null): number {
  if (unit === IMPORT_UNITS.yuanPerMu) return value / 10_000;
  if (unit === IMPORT_UNITS.tenThousandYuanPerHectare) return value / 15;
  if (unit === IMPORT_UNITS.yuanPerSquareMetre) return (value * SQUARE_METRES_PER_MU) / 10_000;
  return value;
}

function landUseCode(raw: unknown): ConvertResult {
  // Spreadsheets drop leading zeros: 601 was 0601.
  if (typeof raw === 'number' && Number.isInteger(raw) && raw > 0 && raw < 10_000) return { ok: true, value: String(raw).padStart(4, '0') };
  const value = text(raw).toUpperCase();
  const code = /^(\d{2}[0-9H]{0,4})(?![0-9A-Z])/.exec(value);
  if (code) return { ok: true, value: code[1] };
  const name = value.replace(/\s+/g, '');
  const entry = Object.entries(LAND_USE_CODES).find(([, label]) => label === name || label === `${name}用地`);
  return entry ? { ok: true, value: entry[0] } : fail('unknown_code', `「${value}」不是地类编码，也不是已知的地类名称`);
}

function industryCode(raw: unknown): ConvertResult {
  const value = text(raw);
  const code = /^([A-T]\d{0,4})(?![0-9A-Z])/.exec(value.toUpperCase());
  if (code) return { ok: true, value: code[1] };
  const entry = Object.entries(INDUSTRY_CODES).find(([, label]) => label === value.replace(/\s+/g, ''));
  return entry ? { ok: true, value: entry[0] } : fail('unknown_code', `「${value}」不是国民经济行业代码 (如 C39)，也不是已知的行业名称`);
}

/** Short forms officials write for each 低效类型, besides the full label and the code. */
const INEFFICIENCY_SYNONYMS: Readonly<Record<string, string>> = {
  闲置: 'idle', 闲置土地: 'idle', 低产出: 'low_output', 产出低: 'low_output', 停产: 'stopped', 半停产: 'stopped',
  散乱: 'scattered', 与规划不符: 'misused', 设施落后: 'dilapidated', 建筑危旧: 'dilapidated', 高耗能: 'polluting',
  高污染: 'polluting', 高耗能高污染: 'polluting', 安全环保不达标: 'polluting',
};

function inefficiencyType(raw: unknown): ConvertResult {
  const value = text(raw).replace(/\s+/g, '').replace(/[、，,]/g, '/');
  const type = INEFFICIENCY_TYPES.find((candidate) => candidate.code === value || candidate.label === value);
  const code = type?.code ?? INEFFICIENCY_SYNONYMS[value];
  if (code) return { ok: true, value: code };
  return fail('unknown_code', `「${text(raw)}」不是低效类型 (${INEFFICIENCY_TYPES.map((candidate) => candidate.label).join('、')})`);
}

/** A code written as its label (低效工业, 街道办事处, 城中村 …) or as the code itself; a label's start is enough when only one matches. */
function labelledCode(field: ParcelImportField, list: readonly { code: string; label: string }[], raw: unknown): ConvertResult {
  const value = text(raw).replace(/\s+/g, '');
  const exact = list.find((entry) => entry.code === value || entry.label === value);
  const partial = list.filter((entry) => entry.label.startsWith(value) || value.startsWith(entry.label.replace(/（.*$/, '')));
  const found = exact ?? (partial.length === 1 ? partial[0] : undefined);
  if (found) return { ok: true, value: found.code };
  return fail('unknown_code', `「${text(raw)}」不是${field.label}（${list.map((entry) => entry.label).join('、')}）`);
}

function convertParcelNumber(field: ParcelImportField, raw: unknown, unit: Unit | null): ConvertResult {
  const number = convertNumber(raw, field.label);
  if (!number.ok) return number.result;
  const givenUnit = number.unit ?? unit;
  switch (field.key) {
    case 'registeredAreaM2':
    case 'floorAreaM2': {
      const value = toSquareMetres(number.value, givenUnit);
      if (field.key === 'registeredAreaM2' ? value <= 0 : value < 0) return fail('out_of_range', `${field.label}「${text(raw)}」应大于 0`);
      return { ok: true, value };
    }
    case 'floorAreaRatio':
      if (number.value < 0 || number.value > MAXIMUM_FLOOR_AREA_RATIO) return fail('out_of_range', `容积率「${text(raw)}」应在 0–${MAXIMUM_FLOOR_AREA_RATIO} 之间`);
      return { ok: true, value: number.value };
    case 'buildingCoverage': {
      // Written as 45%, as 45 under a "(%)" heading, or as 0.45: a bare number above 1 can only be a percentage.
      const percent = givenUnit === IMPORT_UNITS.percent || number.value > 1;
      const value = percent ? number.value / 100 : number.value;
      if (value < 0 || value > 1) return fail('out_of_range', `${field.label}「${text(raw)}」应在 0–100% 之间`);
      return percent && givenUnit !== IMPORT_UNITS.percent ? { ok: true, value, warning: `${field.label}「${text(raw)}」按百分数理解为 ${number.value}%` } : { ok: true, value };
    }
    case 'investmentIntensity':
    case 'agreedInvestmentIntensity':
    case 'outputPerMu':
    case 'taxPerMu': {
      const value = toTenThousandYuanPerMu(number.value, givenUnit);
      if (value < 0) return fail('out_of_range', `${field.label}「${text(raw)}」不应为负数`);
      if (field.key === 'taxPerMu' && value > SUSPICIOUS_TAX_PER_MU) {
        return { ok: true, value, warning: `亩均税收 ${value} 万元/亩 过大，像是按元/亩填写的，请核对单位` };
      }
      return { ok: true, value };
    }
    default:
      return { ok: true, value: number.value };
  }
}

/**
 * A converted parcel value held to the limits an edit obeys (PARCEL_FIELD_DEFINITIONS `patch`:
 * the one place for them, each inside its column's precision), so an import can never send a
 * figure the database cannot store (numeric overflow) or a text longer than an edit may write.
 */
function withinParcelLimits(field: ParcelImportField, raw: unknown, result: ConvertResult): ConvertResult {
  if (!result.ok || result.value === null) return result;
  const limits = PARCEL_FIELDS.find((candidate) => candidate.key === field.key)?.patch;
  if (!limits) return result;
  if (typeof result.value === 'number' && limits.minimum !== undefined && result.value < limits.minimum) {
    return fail('out_of_range', `${field.label}「${text(raw)}」不应小于 ${limits.minimum}：请核对数值`);
  }
  if (typeof result.value === 'number' && limits.maximum !== undefined && result.value > limits.maximum) {
    return fail('out_of_range', `${field.label}「${text(raw)}」超过上限 ${limits.maximum.toLocaleString('en-US')}${field.unit ?? ''}，无法存储：请核对数值和单位`);
  }
  if (typeof result.value === 'string' && limits.maxLength !== undefined && result.value.length > limits.maxLength) {
    return fail('out_of_range', `${field.label}长 ${result.value.length} 个字符，超过上限 ${limits.maxLength} 个字符：请删减后重新导入`);
  }
  return result;
}

function convertParcelValue(target: string, raw: unknown, unit: Unit | null): ConvertResult {
  const field = PARCEL_IMPORT_TABLE.find((candidate) => candidate.key === target);
  if (!field) return fail('unknown_target', `「${target}」不是可导入的宗地属性`);
  return withinParcelLimits(field, raw, convertParcelField(field, raw, unit));
}

function convertParcelField(field: ParcelImportField, raw: unknown, unit: Unit | null): ConvertResult {
  if (field.type === 'date') return convertDate(raw);
  if (field.type === 'number') return convertParcelNumber(field, raw, unit);
  if (field.key === 'landUseCode') return landUseCode(raw);
  if (field.key === 'industryCode') return industryCode(raw);
  if (field.key === 'inefficiencyType') return inefficiencyType(raw);
  const labelled = PARCEL_CODE_LABELS[field.key as keyof typeof PARCEL_CODE_LABELS];
  if (labelled && field.type === 'code') return labelledCode(field, labelled, raw);
  return { ok: true, value: text(raw) };
}

/**
 * Largest area of one 图斑, m² (a million km²): the one limit of the survey's area columns
 * (numeric(16,2)); a larger figure is a unit or typing error, and the database could not store it.
 */
export const MAXIMUM_PATCH_AREA_M2 = 1e12;

/** Plausible ranges of the survey's numeric fields. */
export const SURVEY_RANGES: Readonly<Record<string, { minimum: number; maximum: number; exclusiveMinimum?: boolean }>> = {
  patchArea: { minimum: 0, maximum: MAXIMUM_PATCH_AREA_M2, exclusiveMinimum: true },
  deductionArea: { minimum: 0, maximum: MAXIMUM_PATCH_AREA_M2 },
  patchLandArea: { minimum: 0, maximum: MAXIMUM_PATCH_AREA_M2 },
  deductionCoefficient: { minimum: 0, maximum: 1 },
  linearFeatureWidth: { minimum: 0, maximum: Number.POSITIVE_INFINITY },
  farmlandGrade: { minimum: 1, maximum: 15 },
  dataYear: { minimum: 1990, maximum: 2100 },
};

function convertSurveyValue(target: string, raw: unknown): ConvertResult {
  const field = SURVEY_FIELDS.find((candidate) => candidate.key === target);
  if (!field) return fail('unknown_target', `「${target}」不是变更调查图斑的字段`);
  if (field.type !== 'number' && field.type !== 'integer') return { ok: true, value: text(raw) };
  const number = convertNumber(raw, `${field.source} ${field.label}`);
  if (!number.ok) return number.result;
  if (field.type === 'integer' && !Number.isInteger(number.value)) return fail('not_a_number', `${field.source} ${field.label}「${text(raw)}」应为整数`);
  const range = SURVEY_RANGES[field.key];
  const belowMinimum = range && (range.exclusiveMinimum ? number.value <= range.minimum : number.value < range.minimum);
  if (range && (belowMinimum || number.value > range.maximum)) {
    const bounds = range.maximum === Number.POSITIVE_INFINITY ? `应${range.exclusiveMinimum ? '大于' : '不小于'} ${range.minimum}` : `应在 ${range.minimum}–${range.maximum} 之间`;
    return fail('out_of_range', `${field.source} ${field.label}「${text(raw)}」${bounds}`);
  }
  return { ok: true, value: number.value };
}

/**
 * Checks and converts one cell for its target. Blank cells are null. `unit` is the one
 * proposeMapping read from the heading (a unit written in the value itself, "12亩", wins); without
 * it, areas are m² and money per area 万元/亩, the units the database stores.
 */
export function convertValue(kind: ImportKind, target: string, raw: unknown, unit?: string): ConvertResult {
  if (isBlank(raw)) return { ok: true, value: null };
  if (kind === 'survey') return convertSurveyValue(target, raw);
  return convertParcelValue(target, raw, unit === undefined ? null : normaliseUnit(unit));
}

/**
 * Targets a layer of each kind must have a field mapped to: a 变更调查 layer its 地类编码 (DLBM)
 * and 图斑面积 (TBMJ), a parcel layer its 宗地编号. The preview names the missing ones and the
 * commit is refused until they are mapped.
 */
export const REQUIRED_TARGETS: Readonly<Record<ImportKind, readonly string[]>> = {
  survey: ['landUseCode', 'patchArea'],
  parcels: ['code'],
};

/** The required targets of `kind` no field is mapped to, with their labels (e.g. "地类编码 (DLBM)"). */
export function missingRequiredTargets(kind: ImportKind, mapping: Readonly<Record<string, string | null>>): { key: string; label: string }[] {
  const mapped = new Set(Object.values(mapping).filter((target): target is string => Boolean(target)));
  return REQUIRED_TARGETS[kind].filter((key) => !mapped.has(key)).map((key) => {
    const survey = SURVEY_FIELDS.find((field) => field.key === key);
    if (kind === 'survey' && survey) return { key, label: `${survey.label} (${survey.source})` };
    return { key, label: PARCEL_IMPORT_FIELDS.find((field) => field.key === key)?.label ?? key };
  });
}
