import { PARCEL_FIELDS, type ParcelKey } from '../parcel-fields.js';

/**
 * 附件1 产业用地使用效益调查表（认定） (seed 003): the fields the 用地单位 fills, in the form's order,
 * as parcel card fields (domain/parcel-fields.ts), so that a submission can be applied to the card
 * field by field. The form's own wording is kept beside the card's label where they differ.
 */
export const SURVEY_FORM_SECTIONS: readonly { title: string; fields: readonly { key: ParcelKey; formLabel: string }[] }[] = [
  {
    title: '土地使用要求',
    fields: [
      { key: 'owner', formLabel: '用地单位' },
      { key: 'registeredAreaM2', formLabel: '土地面积' },
      { key: 'location', formLabel: '用地位置' },
      { key: 'contractNo', formLabel: '土地出让合同号' },
      { key: 'agreedFloorAreaRatio', formLabel: '容积率（约定）' },
      { key: 'agreedBuildingDensity', formLabel: '建筑密度（约定）' },
      { key: 'agreedCompletionDate', formLabel: '约定竣工时间' },
      { key: 'investmentAgreementNo', formLabel: '投资发展协议号' },
      { key: 'agreedInvestmentIntensity', formLabel: '约定投资强度（万元/亩）' },
    ],
  },
  {
    title: '土地使用情况',
    fields: [
      { key: 'industryCode', formLabel: '国民经济行业分类' },
      { key: 'floorAreaM2', formLabel: '建筑面积（平方米）' },
      { key: 'completionDate', formLabel: '竣工时间' },
      { key: 'productionStart', formLabel: '投产时间' },
      { key: 'productionStop', formLabel: '停产时间' },
      { key: 'investedAmount', formLabel: '投资强度（万元）' },
      { key: 'floorAreaRatio', formLabel: '容积率' },
      { key: 'adminFacilityShare', formLabel: '行政办公及生活服务设施用地所占比重（%）' },
      { key: 'buildingCoverage', formLabel: '建筑系数' },
      { key: 'outputPerMu', formLabel: '亩均产值（万元/亩）' },
      { key: 'taxPerMu', formLabel: '亩均税收（万元/亩）' },
      { key: 'undevelopedAreaM2', formLabel: '未开发建设土地面积' },
      { key: 'meetsSafety', formLabel: '是否符合安全生产要求' },
      { key: 'meetsEnvironment', formLabel: '是否符合环保要求' },
      { key: 'meetsEnergy', formLabel: '是否符合能耗等产业发展政策要求' },
      { key: 'safetyNote', formLabel: '安全生产说明' },
      { key: 'environmentNote', formLabel: '环保说明' },
      { key: 'energyNote', formLabel: '能耗说明' },
    ],
  },
];

export const SURVEY_FORM_KEYS: readonly ParcelKey[] = SURVEY_FORM_SECTIONS.flatMap((section) => section.fields.map((field) => field.key));

/** The parcel field of a form key (label, unit, kind). */
export function surveyFormField(key: ParcelKey) {
  return PARCEL_FIELDS.find((field) => field.key === key)!;
}
