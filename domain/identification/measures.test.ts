import { describe, expect, it } from 'vitest';
import { INEFFICIENCY_TYPE_CODES } from '../efficiency.js';
import { PARCEL_FIELDS } from '../parcel-fields.js';
import { criteriaProblems, evaluateParcel, compares, type CriterionRule } from './criteria.js';
import { gradeFor, gradingSchemeProblems } from './grading.js';
import { MEASURES, measureOf, monthsBetween, type MeasureInputs } from './measures.js';

const MU = 10000 / 15;
const DAY = { referenceDate: '2026-06-30' };

/** A parcel with every figure empty; each test fills what it needs. */
const blank: MeasureInputs = {
  taxPerMu: null, outputPerMu: null, recentTaxPerMu: null, recentOutputPerMu: null, floorAreaRatio: null, agreedFloorAreaRatio: null,
  buildingCoverage: null, investmentIntensity: null, investedAmount: null, agreedInvestmentIntensity: null, productionStart: null,
  productionStop: null, completionDate: null, agreedCompletionDate: null, undevelopedAreaM2: null, registeredAreaM2: null, areaM2: null,
  meetsSafety: null, meetsEnvironment: null, meetsEnergy: null, industryCode: null, landUseCode: null,
};
const value = (code: string, inputs: Partial<MeasureInputs>, context: { referenceDate: string; industryList?: string[] } = DAY) =>
  measureOf(code)!.compute({ ...blank, ...inputs }, context);

describe('measures (domain/identification/measures.ts): each from the card and the yearly figures', () => {
  it('every measure has a label, a computation, a source and reads card fields that exist', () => {
    const keys = new Set(PARCEL_FIELDS.map((field) => field.key));
    for (const measure of MEASURES) {
      expect(measure.label.length, measure.code).toBeGreaterThan(0);
      expect(measure.computation.length, measure.code).toBeGreaterThan(0);
      expect(measure.source.document, measure.code).toMatch(/seed 00[0-4]/);
      for (const key of measure.reads) expect(keys.has(key), `${measure.code} reads ${key}`).toBe(true);
      // An empty parcel is never passed: every measure names what it lacks (except those that need nothing more).
      expect(measure.compute(blank, DAY), measure.code).toHaveProperty('missing');
    }
  });

  it('亩均税收 and 亩均产值: the 近三年平均 where recorded, else the card figure, else missing', () => {
    expect(value('tax_per_mu', { taxPerMu: 3, recentTaxPerMu: 0.856 })).toEqual({ value: 0.86 });
    expect(value('tax_per_mu', { taxPerMu: 3 })).toEqual({ value: 3 });
    expect(value('tax_per_mu', {})).toEqual({ missing: ['taxPerMu'] });
    expect(value('output_per_mu', { outputPerMu: 120, recentOutputPerMu: 95.5 })).toEqual({ value: 95.5 });
    expect(value('output_per_mu', { outputPerMu: 120 })).toEqual({ value: 120 });
    expect(value('output_per_mu', {})).toEqual({ missing: ['outputPerMu'] });
  });

  it('容积率 and 建筑系数 (as a percentage)', () => {
    expect(value('floor_area_ratio', { floorAreaRatio: 0.4 })).toEqual({ value: 0.4 });
    expect(value('floor_area_ratio', {})).toEqual({ missing: ['floorAreaRatio'] });
    expect(value('building_coverage', { buildingCoverage: 0.3512 })).toEqual({ value: 35.12 });
    expect(value('building_coverage', {})).toEqual({ missing: ['buildingCoverage'] });
  });

  it('投资强度: the card figure, else 已投资额 ÷ registered 亩 (else drawn 亩)', () => {
    expect(value('investment_intensity', { investmentIntensity: 28 })).toEqual({ value: 28 });
    expect(value('investment_intensity', { investedAmount: 600, registeredAreaM2: 20 * MU, areaM2: 40 * MU })).toEqual({ value: 30 });
    expect(value('investment_intensity', { investedAmount: 600, areaM2: 40 * MU })).toEqual({ value: 15 });
    expect(value('investment_intensity', { investedAmount: 600 })).toEqual({ missing: ['investmentIntensity', 'investedAmount'] });
  });

  it('投资强度 ÷ 约定投资强度 and 容积率 ÷ 约定容积率', () => {
    expect(value('investment_vs_agreed', { investmentIntensity: 150, agreedInvestmentIntensity: 300 })).toEqual({ value: 0.5 });
    expect(value('investment_vs_agreed', { investedAmount: 3000, registeredAreaM2: 10 * MU, agreedInvestmentIntensity: 400 })).toEqual({ value: 0.75 });
    expect(value('investment_vs_agreed', { investmentIntensity: 150, agreedInvestmentIntensity: 0 })).toEqual({ missing: ['investmentIntensity', 'agreedInvestmentIntensity'] });
    expect(value('investment_vs_agreed', { investmentIntensity: 150 })).toHaveProperty('missing');
    expect(value('far_vs_agreed', { floorAreaRatio: 0.6, agreedFloorAreaRatio: 1.2 })).toEqual({ value: 0.5 });
    expect(value('far_vs_agreed', { floorAreaRatio: 0.6 })).toEqual({ missing: ['floorAreaRatio', 'agreedFloorAreaRatio'] });
  });

  it('停产月数: whole months from 停产时间 to the day; 0 when producing or restarted; missing when neither date is known', () => {
    expect(monthsBetween('2025-06-30', '2026-06-30')).toBe(12);
    expect(monthsBetween('2025-07-01', '2026-06-30')).toBe(11);
    expect(monthsBetween('2027-01-01', '2026-06-30')).toBe(0);
    expect(value('months_stopped', { productionStart: '2018-01-01', productionStop: '2024-12-15' })).toEqual({ value: 18 });
    expect(value('months_stopped', { productionStart: '2025-03-01', productionStop: '2024-12-15' })).toEqual({ value: 0 });
    expect(value('months_stopped', { productionStart: '2018-01-01' })).toEqual({ value: 0 });
    expect(value('months_stopped', {})).toEqual({ missing: ['productionStop', 'productionStart'] });
  });

  it('超过约定竣工时间未竣工或未投产', () => {
    expect(value('overdue_completion', { agreedCompletionDate: '2024-01-01' })).toEqual({ value: true });
    expect(value('overdue_completion', { agreedCompletionDate: '2024-01-01', completionDate: '2023-12-01' })).toEqual({ value: true });
    expect(value('overdue_completion', { agreedCompletionDate: '2024-01-01', completionDate: '2023-12-01', productionStart: '2024-02-01' })).toEqual({ value: false });
    expect(value('overdue_completion', { agreedCompletionDate: '2027-01-01' })).toEqual({ value: false });
    expect(value('overdue_completion', {})).toEqual({ missing: ['agreedCompletionDate'] });
  });

  it('未开发建设土地面积占比 of the registered (else drawn) area', () => {
    expect(value('undeveloped_share', { undevelopedAreaM2: 500, registeredAreaM2: 2000, areaM2: 4000 })).toEqual({ value: 25 });
    expect(value('undeveloped_share', { undevelopedAreaM2: 500, areaM2: 4000 })).toEqual({ value: 12.5 });
    expect(value('undeveloped_share', { areaM2: 4000 })).toEqual({ missing: ['undevelopedAreaM2'] });
  });

  it('安全生产、环保、能耗 non-conformity: 否 is a finding, 是 is not, empty is missing', () => {
    for (const [code, key] of [['safety_nonconforming', 'meetsSafety'], ['environment_nonconforming', 'meetsEnvironment'], ['energy_nonconforming', 'meetsEnergy']] as const) {
      expect(value(code, { [key]: false })).toEqual({ value: true });
      expect(value(code, { [key]: true })).toEqual({ value: false });
      expect(value(code, {})).toEqual({ missing: [key] });
    }
  });

  it('行业属淘汰类/限制类: the industry code starts with a listed code', () => {
    const list = { ...DAY, industryList: ['C311', 'C3120'] };
    expect(value('listed_industry', { industryCode: 'C3110' }, list)).toEqual({ value: true });
    expect(value('listed_industry', { industryCode: 'C3120' }, list)).toEqual({ value: true });
    expect(value('listed_industry', { industryCode: 'C3130' }, list)).toEqual({ value: false });
    expect(value('listed_industry', {}, list)).toEqual({ missing: ['industryCode'] });
  });
});

describe('evaluateParcel: hits with their figures, 数据不全 never passed, suggested types', () => {
  const criteria: CriterionRule[] = [
    { id: 'far', measure: 'floor_area_ratio', comparison: 'lte', threshold: 0.4, landUses: ['0601'], industries: [], suggestedTypes: ['idle'] },
    { id: 'tax', measure: 'tax_per_mu', comparison: 'lte', threshold: 1, landUses: [], industries: [], suggestedTypes: ['low_output'] },
    { id: 'safety', measure: 'safety_nonconforming', comparison: 'is_true', threshold: null, landUses: [], industries: ['C'], suggestedTypes: ['polluting'] },
  ];

  it('lists each criterion hit with value, threshold and unit, and the suggested types in the common order', () => {
    const result = evaluateParcel(criteria, { ...blank, landUseCode: '0601', industryCode: 'C3411', floorAreaRatio: 0.35, taxPerMu: 0.8, meetsSafety: false }, DAY);
    expect(result.hits).toEqual([
      { criterionId: 'far', measure: 'floor_area_ratio', value: 0.35, threshold: 0.4, comparison: 'lte', unit: '', suggestedTypes: ['idle'] },
      { criterionId: 'tax', measure: 'tax_per_mu', value: 0.8, threshold: 1, comparison: 'lte', unit: '万元/亩', suggestedTypes: ['low_output'] },
      { criterionId: 'safety', measure: 'safety_nonconforming', value: true, threshold: null, comparison: 'is_true', unit: '', suggestedTypes: ['polluting'] },
    ]);
    expect(result.suggestedTypes).toEqual(INEFFICIENCY_TYPE_CODES.filter((code) => ['idle', 'low_output', 'polluting'].includes(code)));
    expect(result.incomplete).toEqual([]);
  });

  it('a parcel missing figures is 数据不全 for those criteria, naming the fields; an unknown land use cannot be judged either', () => {
    const result = evaluateParcel(criteria, { ...blank, industryCode: 'C3411', meetsSafety: true }, DAY);
    expect(result.hits).toEqual([]);
    expect(result.incomplete).toEqual([
      { criterionId: 'far', measure: 'floor_area_ratio', missing: ['landUseCode'], missingLabels: ['土地用途(地类编码)'] },
      { criterionId: 'tax', measure: 'tax_per_mu', missing: ['taxPerMu'], missingLabels: ['亩均税收'] },
    ]);
  });

  it('skips a criterion for land uses or industries it does not apply to', () => {
    const result = evaluateParcel(criteria, { ...blank, landUseCode: '0508', industryCode: 'G59', floorAreaRatio: 0.1, taxPerMu: 5 }, DAY);
    expect(result.hits).toEqual([]);
    expect(result.incomplete).toEqual([]);
  });

  it('compares strictly or not as the comparison says', () => {
    expect(compares('lt', 1, 1)).toBe(false);
    expect(compares('lte', 1, 1)).toBe(true);
    expect(compares('gt', 13, 12)).toBe(true);
    expect(compares('gte', 12, 12)).toBe(true);
    expect(compares('is_true', false, null)).toBe(false);
  });

  it('criteriaProblems names the criterion and the field', () => {
    const problems = criteriaProblems([
      { id: 'a', name: '税收', measure: 'tax_per_mu', comparison: 'is_true', threshold: null, landUses: [], industries: [], suggestedTypes: [] },
      { id: 'a', measure: 'listed_industry', comparison: 'is_true', threshold: null, landUses: [], industries: [], suggestedTypes: ['misused'] },
    ]);
    expect(problems.map((problem) => problem.field)).toEqual(['criteria.0.comparison', 'criteria.0.threshold', 'criteria.0.suggestedTypes', 'criteria.1.id', 'criteria.1.industryList']);
    expect(problems[0].message).toContain('第 1 条标准“税收”');
  });
});

describe('grading schemes', () => {
  it('refuses cut-offs out of order and measures that are not numbers', () => {
    expect(gradingSchemeProblems({ measures: [{ measure: 'tax_per_mu', weight: 1 }], cutoffs: { mode: 'rank', a: 0.25, b: 0.7, c: 0.95 } })).toEqual([]);
    expect(gradingSchemeProblems({ measures: [{ measure: 'safety_nonconforming', weight: 1 }, { measure: 'tax_per_mu', weight: 1 }, { measure: 'tax_per_mu', weight: 2 }], cutoffs: { mode: 'rank', a: 0.7, b: 0.25, c: 0.95 } })
      .map((problem) => problem.field)).toEqual(['measures.0.measure', 'measures.2.measure', 'cutoffs']);
    expect(gradingSchemeProblems({ measures: [{ measure: 'tax_per_mu', weight: 1 }], cutoffs: { mode: 'score', a: 40, b: 60, c: 80 } })[0].field).toBe('cutoffs');
  });

  it('gradeFor: A top 25 %, B to 70 %, C to 95 %, D the rest; or by least score', () => {
    const rank = { mode: 'rank' as const, a: 0.25, b: 0.7, c: 0.95 };
    expect([1, 25, 26, 70, 71, 95, 96, 100].map((position) => gradeFor(rank, { rank: position, ofTotal: 100, score: 0 }))).toEqual(['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D']);
    const score = { mode: 'score' as const, a: 80, b: 60, c: 40 };
    expect([95, 80, 79.9, 60, 40, 39].map((points) => gradeFor(score, { rank: 1, ofTotal: 1, score: points }))).toEqual(['A', 'A', 'B', 'B', 'C', 'D']);
  });
});
