import { describe, expect, it } from 'vitest';
import { INEFFICIENCY_TYPE_CODES } from '../efficiency.js';
import { PARCEL_FIELDS } from '../parcel-fields.js';
import { PARCEL_IMPORT_FIELDS, SURVEY_FIELDS, convertValue, missingRequiredTargets, proposeMapping } from './field-mapping.js';

describe('the survey (DLTB) preset', () => {
  it('lists the 30 DLTB fields with Chinese names and m² on the areas', () => {
    expect(SURVEY_FIELDS).toHaveLength(30);
    expect(SURVEY_FIELDS.find((field) => field.source === 'TBMJ')).toEqual({ source: 'TBMJ', key: 'patchArea', label: '图斑面积', unit: 'm²', type: 'number' });
    expect(SURVEY_FIELDS.find((field) => field.source === 'DLBM')).toMatchObject({ key: 'landUseCode', label: '地类编码' });
    expect(SURVEY_FIELDS.find((field) => field.source === 'CZCSXM')).toMatchObject({ key: 'urbanRuralCode', label: '城镇村属性码' });
    expect(new Set(SURVEY_FIELDS.map((field) => field.key)).size).toBe(30);
  });

  it('maps field names of a 2023 DLTB layer case-insensitively and keeps unknown fields unmapped', () => {
    const fields = ['OBJECTID', 'BSM', 'ysdm', 'TBYBH', 'TBBH', 'DLBM', 'DLMC', 'QSXZ', 'QSDWDM', 'QSDWMC', 'ZLDWDM', 'ZLDWMC', 'TBMJ', 'KCDLBM', 'KCXS', 'KCMJ', 'TBDLMJ', 'CZCSXM', 'SJNF', 'BZ', 'Shape_Length', 'Shape_Area'];
    const proposal = proposeMapping('survey', fields);
    expect(proposal.mapping).toEqual({
      OBJECTID: null, BSM: 'bsm', ysdm: 'featureCode', TBYBH: 'patchPreliminaryNumber', TBBH: 'patchNumber', DLBM: 'landUseCode', DLMC: 'landUseName',
      QSXZ: 'ownershipType', QSDWDM: 'ownerUnitCode', QSDWMC: 'ownerUnitName', ZLDWDM: 'locatedUnitCode', ZLDWMC: 'locatedUnitName',
      TBMJ: 'patchArea', KCDLBM: 'deductionLandUseCode', KCXS: 'deductionCoefficient', KCMJ: 'deductionArea', TBDLMJ: 'patchLandArea',
      CZCSXM: 'urbanRuralCode', SJNF: 'dataYear', BZ: 'remark', Shape_Length: null, Shape_Area: null,
    });
    expect(proposal.units).toEqual({ TBMJ: 'm²', KCMJ: 'm²', TBDLMJ: 'm²' });
    expect(proposal.unmapped).toEqual(['OBJECTID', 'Shape_Length', 'Shape_Area']);
  });

  it('also maps the Chinese field aliases some exports use', () => {
    expect(proposeMapping('survey', ['地类编码', '图斑面积']).mapping).toEqual({ 地类编码: 'landUseCode', 图斑面积: 'patchArea' });
  });

  it('requires TBMJ to be positive', () => {
    expect(convertValue('survey', 'patchArea', 1234.56)).toEqual({ ok: true, value: 1234.56 });
    expect(convertValue('survey', 'patchArea', '1234.56')).toEqual({ ok: true, value: 1234.56 });
    expect(convertValue('survey', 'patchArea', 0)).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(convertValue('survey', 'patchArea', -3)).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(convertValue('survey', 'patchArea', '一千')).toMatchObject({ ok: false, reason: 'not_a_number' });
  });

  it('keeps codes as text, including numeric DBF codes', () => {
    expect(convertValue('survey', 'locatedUnitCode', 350206001001)).toEqual({ ok: true, value: '350206001001' });
    expect(convertValue('survey', 'landUseCode', ' 0601 ')).toEqual({ ok: true, value: '0601' });
    expect(convertValue('survey', 'urbanRuralCode', '201')).toEqual({ ok: true, value: '201' });
  });

  it('checks years, grades and the deduction coefficient', () => {
    expect(convertValue('survey', 'dataYear', 2023)).toEqual({ ok: true, value: 2023 });
    expect(convertValue('survey', 'dataYear', '2023.5')).toMatchObject({ ok: false, reason: 'not_a_number' });
    expect(convertValue('survey', 'dataYear', 1066)).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(convertValue('survey', 'deductionCoefficient', 0.08)).toEqual({ ok: true, value: 0.08 });
    expect(convertValue('survey', 'deductionCoefficient', 8)).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(convertValue('survey', 'farmlandGrade', 16)).toMatchObject({ ok: false, reason: 'out_of_range' });
  });

  it('refuses a target that is not a survey field', () => {
    expect(convertValue('survey', 'owner', 'x')).toMatchObject({ ok: false, reason: 'unknown_target' });
  });
});

describe('the parcel (调查表) preset', () => {
  it('targets parcel attributes by their database keys and labels', () => {
    const parcelKeys = PARCEL_FIELDS.map((field) => field.key as string);
    for (const target of PARCEL_IMPORT_FIELDS) expect(parcelKeys).toContain(target.key);
    expect(PARCEL_IMPORT_FIELDS.find((field) => field.key === 'registeredAreaM2')).toEqual({ key: 'registeredAreaM2', label: '土地面积(登记)', unit: 'm²', type: 'number' });
  });

  it('maps a Xiamen-style 产业用地使用效益调查表 heading row, with units from the headings', () => {
    const headings = [
      '序号', '宗地编号', '土地使用权人', '所在镇街/园区', '土地位置（坐落）', '土地面积（亩）', '出让合同号', '不动产权证号', '土地用途',
      '规划用地功能', '国民经济行业分类', '建筑面积（㎡）', '容积率', '建筑密度（%）', '投资强度（万元/亩）', '地均(亩均)产值(万元/亩)',
      '亩均税收（元/亩）', '投产时间', '停产时间', '低效类型', '备注',
    ];
    const proposal = proposeMapping('parcels', headings);
    expect(proposal.mapping).toEqual({
      序号: null, 宗地编号: 'code', 土地使用权人: 'owner', '所在镇街/园区': 'townOrPark', '土地位置（坐落）': 'location',
      '土地面积（亩）': 'registeredAreaM2', 出让合同号: 'contractNo', 不动产权证号: 'certificateNo', 土地用途: 'landUseCode',
      规划用地功能: 'plannedFunction', 国民经济行业分类: 'industryCode', '建筑面积（㎡）': 'floorAreaM2', 容积率: 'floorAreaRatio',
      '建筑密度（%）': 'buildingCoverage', '投资强度（万元/亩）': 'investmentIntensity', '地均(亩均)产值(万元/亩)': 'outputPerMu',
      '亩均税收（元/亩）': 'taxPerMu', 投产时间: 'productionStart', 停产时间: 'productionStop', 低效类型: 'inefficiencyType', 备注: null,
    });
    expect(proposal.units).toEqual({
      '土地面积（亩）': '亩', '建筑面积（㎡）': 'm²', '建筑密度（%）': '%', '投资强度（万元/亩）': '万元/亩',
      '地均(亩均)产值(万元/亩)': '万元/亩', '亩均税收（元/亩）': '元/亩',
    });
    expect(proposal.unmapped).toEqual(['序号', '备注']);
  });

  it.each([
    ['宗地号', 'code'], ['地块编号', 'code'], ['使用权人', 'owner'], ['权利人', 'owner'], ['企业名称', 'owner'],
    ['镇街', 'townOrPark'], ['园区', 'townOrPark'], ['所在园区', 'townOrPark'], ['坐落', 'location'], ['地址', 'location'],
    ['合同编号', 'contractNo'], ['不动产证号', 'certificateNo'], ['土地证号', 'certificateNo'], ['地类编码', 'landUseCode'],
    ['规划用途', 'plannedFunction'], ['行业代码', 'industryCode'], ['建筑系数', 'buildingCoverage'], ['地均税收', 'taxPerMu'],
    ['亩均产值', 'outputPerMu'], ['宗 地 编 号', 'code'], ['土地使用权人名称', 'owner'], ['企业名称（盖章）', 'owner'],
  ])('maps the heading %j to %s', (heading, key) => {
    expect(proposeMapping('parcels', [heading]).mapping).toEqual({ [heading]: key });
  });

  it.each([
    ['土地面积（亩）', '亩'], ['土地面积(公顷)', '公顷'], ['用地面积（平方米）', 'm²'], ['用地面积(m2)', 'm²'], ['土地面积（㎡）', 'm²'],
    ['土地面积', 'm²'], ['用地面积 ( 亩 )', '亩'], ['土地面积【亩】', '亩'], ['土地面积亩', '亩'], ['亩均税收(万元/亩)', '万元/亩'],
    ['亩均税收（万元）', '万元/亩'], ['投资强度（元／亩）', '元/亩'], ['建筑密度', undefined],
  ])('reads the unit of %j as %s', (heading, unit) => {
    expect(proposeMapping('parcels', [heading]).units[heading]).toBe(unit);
  });

  it('maps each target once: the first matching column wins', () => {
    expect(proposeMapping('parcels', ['宗地编号', '地块编号']).mapping).toEqual({ 宗地编号: 'code', 地块编号: null });
  });
});

describe('converting parcel values', () => {
  it('converts 亩 and 公顷 to m²', () => {
    expect(convertValue('parcels', 'registeredAreaM2', 15, '亩')).toEqual({ ok: true, value: 10_000 });
    expect(convertValue('parcels', 'registeredAreaM2', '3', '亩')).toEqual({ ok: true, value: 2_000 });
    expect(convertValue('parcels', 'registeredAreaM2', 4.3383, '公顷')).toEqual({ ok: true, value: 43_383 });
    expect(convertValue('parcels', 'registeredAreaM2', '43,383.0', 'm²')).toEqual({ ok: true, value: 43_383 });
    expect(convertValue('parcels', 'registeredAreaM2', '43383')).toEqual({ ok: true, value: 43_383 });
  });

  it('takes a unit written in the value over the heading\'s', () => {
    expect(convertValue('parcels', 'registeredAreaM2', '15亩', 'm²')).toEqual({ ok: true, value: 10_000 });
    expect(convertValue('parcels', 'registeredAreaM2', '１２００㎡')).toEqual({ ok: true, value: 1_200 });
  });

  it('refuses areas that are not positive numbers', () => {
    expect(convertValue('parcels', 'registeredAreaM2', 0)).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(convertValue('parcels', 'registeredAreaM2', '约50亩')).toMatchObject({ ok: false, reason: 'not_a_number' });
    expect(convertValue('parcels', 'registeredAreaM2', '50 公里')).toMatchObject({ ok: false, reason: 'not_a_number' });
  });

  it('treats blank cells as null', () => {
    expect(convertValue('parcels', 'floorAreaRatio', '  ')).toEqual({ ok: true, value: null });
    expect(convertValue('parcels', 'owner', null)).toEqual({ ok: true, value: null });
    expect(convertValue('survey', 'patchArea', undefined)).toEqual({ ok: true, value: null });
  });

  it('accepts a floor area ratio of 0–20 only', () => {
    expect(convertValue('parcels', 'floorAreaRatio', '1.35')).toEqual({ ok: true, value: 1.35 });
    expect(convertValue('parcels', 'floorAreaRatio', 20)).toEqual({ ok: true, value: 20 });
    expect(convertValue('parcels', 'floorAreaRatio', 35_000)).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(convertValue('parcels', 'floorAreaRatio', -0.1)).toMatchObject({ ok: false, reason: 'out_of_range' });
  });

  it('turns building coverage into a fraction from %, a percentage number or a fraction', () => {
    expect(convertValue('parcels', 'buildingCoverage', 45, '%')).toEqual({ ok: true, value: 0.45 });
    expect(convertValue('parcels', 'buildingCoverage', '45%')).toEqual({ ok: true, value: 0.45 });
    expect(convertValue('parcels', 'buildingCoverage', 0.45)).toEqual({ ok: true, value: 0.45 });
    expect(convertValue('parcels', 'buildingCoverage', 45)).toEqual({ ok: true, value: 0.45, warning: '建筑系数「45」按百分数理解为 45%' });
    expect(convertValue('parcels', 'buildingCoverage', '120%')).toMatchObject({ ok: false, reason: 'out_of_range' });
  });

  it('converts money per area to 万元/亩', () => {
    expect(convertValue('parcels', 'investmentIntensity', 350, '万元/亩')).toEqual({ ok: true, value: 350 });
    expect(convertValue('parcels', 'investmentIntensity', 3_500_000, '元/亩')).toEqual({ ok: true, value: 350 });
    expect(convertValue('parcels', 'outputPerMu', 1_500, '万元/公顷')).toEqual({ ok: true, value: 100 });
    expect(convertValue('parcels', 'taxPerMu', 250_000, '元/亩')).toEqual({ ok: true, value: 25 });
    expect(convertValue('parcels', 'taxPerMu', 15, '元/平方米')).toEqual({ ok: true, value: 1 });
  });

  it('accepts a 亩均税收 above 1 000 万元/亩 with a warning that it looks like 元/亩', () => {
    expect(convertValue('parcels', 'taxPerMu', 250_000, '万元/亩')).toEqual({
      ok: true, value: 250_000, warning: '亩均税收 250000 万元/亩 过大，像是按元/亩填写的，请核对单位',
    });
    expect(convertValue('parcels', 'taxPerMu', 1_000)).toEqual({ ok: true, value: 1_000 });
  });

  it.each([
    ['2019-04-19', '2019-04-19'], ['2019/4/19', '2019-04-19'], ['2019年4月19日', '2019-04-19'], ['20190419', '2019-04-19'],
    [20190419, '2019-04-19'], ['2019.4.19', '2019-04-19'], [' 2019-4-9 ', '2019-04-09'], ['２０１９年４月１９日', '2019-04-19'],
  ])('reads the date %j', (raw, date) => {
    expect(convertValue('parcels', 'productionStart', raw)).toEqual({ ok: true, value: date });
  });

  it('reads a month without a day as the 1st, with a warning', () => {
    expect(convertValue('parcels', 'productionStop', '2021年6月')).toEqual({ ok: true, value: '2021-06-01', warning: '「2021年6月」只有年月，按当月1日 (2021-06-01) 记录' });
  });

  it.each([[43574], ['2019-02-30'], ['去年'], ['19/4/2019'], ['2019-13-01']])('refuses %j as a date', (raw) => {
    expect(convertValue('parcels', 'productionStart', raw)).toMatchObject({ ok: false, reason: 'not_a_date' });
  });

  it('turns 低效类型 labels and short forms into codes', () => {
    expect(convertValue('parcels', 'inefficiencyType', '闲置低效')).toEqual({ ok: true, value: 'idle' });
    expect(convertValue('parcels', 'inefficiencyType', '停产半停产')).toEqual({ ok: true, value: 'stopped' });
    expect(convertValue('parcels', 'inefficiencyType', '设施落后、建筑危旧')).toEqual({ ok: true, value: 'dilapidated' });
    expect(convertValue('parcels', 'inefficiencyType', '高耗能高污染/安全环保不达标')).toEqual({ ok: true, value: 'polluting' });
    expect(convertValue('parcels', 'inefficiencyType', '产出低效')).toEqual({ ok: true, value: 'low_output' });
    expect(convertValue('parcels', 'inefficiencyType', ' 布局散乱 ')).toEqual({ ok: true, value: 'scattered' });
    expect(convertValue('parcels', 'inefficiencyType', '与规划不符')).toEqual({ ok: true, value: 'misused' });
    expect(convertValue('parcels', 'inefficiencyType', 'idle')).toEqual({ ok: true, value: 'idle' });
    expect(convertValue('parcels', 'inefficiencyType', '经营不善')).toMatchObject({ ok: false, reason: 'unknown_code' });
  });

  it('produces only codes of domain/efficiency.ts for every 低效类型 label', () => {
    for (const label of ['闲置低效', '产出低效', '停产半停产', '布局散乱', '用途不合理', '设施落后/建筑危旧', '高耗能高污染/安全环保不达标']) {
      const result = convertValue('parcels', 'inefficiencyType', label);
      expect(result.ok && INEFFICIENCY_TYPE_CODES.includes(result.value as never)).toBe(true);
    }
  });

  it('reads land-use codes, names and numbers that lost their leading zero', () => {
    expect(convertValue('parcels', 'landUseCode', '0601')).toEqual({ ok: true, value: '0601' });
    expect(convertValue('parcels', 'landUseCode', '0601 工业用地')).toEqual({ ok: true, value: '0601' });
    expect(convertValue('parcels', 'landUseCode', '05h1商业服务业设施用地')).toEqual({ ok: true, value: '05H1' });
    expect(convertValue('parcels', 'landUseCode', '工业用地')).toEqual({ ok: true, value: '0601' });
    expect(convertValue('parcels', 'landUseCode', '物流仓储')).toEqual({ ok: true, value: '0508' });
    expect(convertValue('parcels', 'landUseCode', 601)).toEqual({ ok: true, value: '0601' });
    expect(convertValue('parcels', 'landUseCode', '厂房')).toMatchObject({ ok: false, reason: 'unknown_code' });
  });

  it('reads industry codes and names', () => {
    expect(convertValue('parcels', 'industryCode', 'C39')).toEqual({ ok: true, value: 'C39' });
    expect(convertValue('parcels', 'industryCode', 'c3911 计算机整机制造')).toEqual({ ok: true, value: 'C3911' });
    expect(convertValue('parcels', 'industryCode', '计算机、通信和其他电子设备制造业')).toEqual({ ok: true, value: 'C39' });
    expect(convertValue('parcels', 'industryCode', '电子')).toMatchObject({ ok: false, reason: 'unknown_code' });
  });

  it('keeps text as text, trimmed and with full-width characters folded', () => {
    expect(convertValue('parcels', 'owner', ' 厦门某某电子有限公司 ')).toEqual({ ok: true, value: '厦门某某电子有限公司' });
    expect(convertValue('parcels', 'code', 350206001)).toEqual({ ok: true, value: '350206001' });
    expect(convertValue('parcels', 'contractNo', '３５０２０６２０１９Ｂ００１')).toEqual({ ok: true, value: '3502062019B001' });
  });

  it('refuses a target that is not an importable parcel attribute', () => {
    expect(convertValue('parcels', 'areaM2', 100)).toMatchObject({ ok: false, reason: 'unknown_target' });
  });
});

describe('required fields', () => {
  it('names DLBM and TBMJ for a 变更调查 layer without them, 宗地编号 for parcels', () => {
    expect(missingRequiredTargets('survey', { BSM: 'bsm', DLMC: 'landUseName' })).toEqual([
      { key: 'landUseCode', label: '地类编码 (DLBM)' }, { key: 'patchArea', label: '图斑面积 (TBMJ)' },
    ]);
    expect(missingRequiredTargets('survey', proposeMapping('survey', ['BSM', 'DLBM', 'TBMJ']).mapping)).toEqual([]);
    expect(missingRequiredTargets('parcels', { 土地使用权人: 'owner' }).map((target) => target.key)).toEqual(['code']);
    expect(missingRequiredTargets('parcels', proposeMapping('parcels', ['宗地编号']).mapping)).toEqual([]);
  });
});
