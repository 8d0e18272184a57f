import { describe, expect, it } from 'vitest';
import { PARCEL_FIELDS, PARCEL_GROUPS } from './parcel-fields.js';
import type { ParcelDetail } from './api/parcels.schemas.js';
import { formatDate, parcelCardGroups, parcelCardTitle } from './parcel-card-rows.js';

function parcel(overrides: Partial<ParcelDetail> = {}): ParcelDetail {
  return {
    id: 7292,
    code: '350206-000967',
    districtCode: '350206',
    districtName: '湖里区',
    owner: '厦门达远机械实业有限公司',
    townOrPark: '洪塘工业区',
    subdistrictCode: '350212102',
    parkCode: null,
    location: '厦门市湖里区洪塘路730号',
    registeredAreaM2: 20736.69,
    areaM2: 20825.15,
    contractNo: '350206-2014-9411',
    certificateNo: null,
    ownershipNature: '国有',
    landUseCode: '0601',
    plannedFunction: '新型产业用地',
    industryCode: 'C34',
    floorAreaM2: 46232.52,
    floorAreaRatio: 2.23,
    buildingCoverage: 0.452,
    investmentIntensity: 350,
    outputPerMu: 512.3,
    taxPerMu: 18.25,
    productionStart: '2015-03-01',
    productionStop: null,
    adminFacilityShare: 0.03,
    undevelopedAreaM2: 0,
    meetsSafety: true,
    meetsEnvironment: false,
    meetsEnergy: null,
    status: 'identified',
    inefficiencyType: 'low_output',
    identifiedAt: '2024-06-18',
    redevelopmentIntent: 'willing',
    evaluationGrade: 'C',
    parkSide: 'inside',
    landCategory: 'industrial',
    reportingUnit: 'chancu',
    residentialKind: null,
    constructionPermits: null,
    landAcquiredAt: '2013-05-20',
    boundaryEast: '厦门华侨电子股份有限公司',
    boundarySouth: '道路',
    boundaryWest: null,
    boundaryNorth: null,
    agreedFloorAreaRatio: 2.5,
    agreedBuildingDensity: 0.4,
    agreedCompletionDate: '2015-12-31',
    investmentAgreementNo: 'XM-TZ-2013-018',
    agreedInvestmentIntensity: 400,
    completionDate: '2015-01-10',
    investedAmount: 10800,
    safetyNote: null,
    environmentNote: '2023 年环评整改中',
    energyNote: null,
    fixedAssetInvestment: 12500,
    bbox: [118.1, 24.5, 118.11, 24.51],
    geometry: { type: 'MultiPolygon', coordinates: [[[[118.1, 24.5], [118.11, 24.5], [118.11, 24.51], [118.1, 24.5]]]] },
    updatedAt: '2025-11-22T01:46:47Z',
    updatedBy: 'surveyor',
    version: 3,
    restricted: false,
    ...overrides,
  };
}

function valueOf(card: ReturnType<typeof parcelCardGroups>, key: string): { value: string; detail?: string } {
  const row = card.flatMap((group) => group.rows).find((candidate) => candidate.key === key);
  if (!row) throw new Error(`no row ${key}`);
  return row;
}

describe('parcel card rows', () => {
  it('lists every PARCEL_FIELDS attribute once, grouped in PARCEL_GROUPS order', () => {
    const card = parcelCardGroups(parcel());
    expect(card.map((group) => group.title)).toEqual(Object.values(PARCEL_GROUPS));
    expect(card.flatMap((group) => group.rows.map((row) => row.key)).sort()).toEqual(PARCEL_FIELDS.map((field) => field.key).sort());
  });

  it('labels in Chinese, e.g. 土地使用权人', () => {
    const owner = parcelCardGroups(parcel()).flatMap((group) => group.rows).find((row) => row.key === 'owner');
    expect(owner).toMatchObject({ label: '土地使用权人', value: '厦门达远机械实业有限公司' });
  });

  it('formats numbers with grouping and unit, and gives areas in 公顷 and 亩 too', () => {
    const card = parcelCardGroups(parcel());
    expect(valueOf(card, 'areaM2')).toEqual({ key: 'areaM2', label: '椭球面积(图形)', value: '20,825.15 m²', detail: '2.0825 公顷 · 31.2377 亩' });
    expect(valueOf(card, 'investmentIntensity').value).toBe('350.00 万元/亩');
    expect(valueOf(card, 'floorAreaRatio').value).toBe('2.23');
  });

  it('shows fractions as percentages', () => {
    const card = parcelCardGroups(parcel());
    expect(valueOf(card, 'buildingCoverage').value).toBe('45.20%');
    expect(valueOf(card, 'adminFacilityShare').value).toBe('3.00%');
  });

  it('shows booleans as 是/否 and unknown as —', () => {
    const card = parcelCardGroups(parcel());
    expect(valueOf(card, 'meetsSafety').value).toBe('是');
    expect(valueOf(card, 'meetsEnvironment').value).toBe('否');
    expect(valueOf(card, 'meetsEnergy').value).toBe('—');
  });

  it('shows enums by their Chinese label', () => {
    const card = parcelCardGroups(parcel());
    expect(valueOf(card, 'status').value).toBe('已认定低效');
    expect(valueOf(card, 'inefficiencyType').value).toBe('产出低效');
    expect(valueOf(card, 'redevelopmentIntent').value).toBe('有意愿');
    expect(valueOf(card, 'landUseCode').value).toBe('0601 工业用地');
    expect(valueOf(card, 'evaluationGrade').value).toBe('C 级');
  });

  it('shows the district by name and code', () => {
    expect(valueOf(parcelCardGroups(parcel()), 'districtCode').value).toBe('湖里区（350206）');
  });

  it('writes dates the Chinese way', () => {
    expect(valueOf(parcelCardGroups(parcel()), 'productionStart').value).toBe('2015年3月1日');
    expect(formatDate('2025-11-22T01:46:47Z')).toBe('2025年11月22日');
    expect(formatDate(null)).toBe('—');
  });

  it('shows — for every missing attribute instead of 0 or "null"', () => {
    const empty = parcel({
      owner: null,
      registeredAreaM2: null,
      buildingCoverage: null,
      productionStart: null,
      status: null,
      evaluationGrade: null,
      redevelopmentIntent: null,
      landUseCode: null,
    });
    const card = parcelCardGroups(empty);
    for (const key of ['owner', 'registeredAreaM2', 'buildingCoverage', 'productionStart', 'status', 'evaluationGrade', 'redevelopmentIntent', 'landUseCode']) {
      expect(valueOf(card, key).value).toBe('—');
    }
    expect(valueOf(card, 'registeredAreaM2').detail).toBeUndefined();
  });

  it('titles the card with 宗地编号 and 土地使用权人', () => {
    expect(parcelCardTitle(parcel())).toBe('350206-000967 · 厦门达远机械实业有限公司');
    expect(parcelCardTitle(parcel({ owner: null }))).toBe('350206-000967');
  });
});

describe('the fields of seed 003 附件1/附件4 on the card', () => {
  it('shows 园区内/外, the industry with its name, and a 万元 total also per 亩', () => {
    const card = parcelCardGroups(parcel());
    expect(valueOf(card, 'parkSide').value).toBe('园区内');
    expect(valueOf(card, 'industryCode').value).toBe('C34 通用设备制造业');
    const invested = valueOf(card, 'investedAmount');
    expect(invested.value).toBe('10,800.00 万元');
    // 20 736.69 m² = 31.105 亩: 10 800 / 31.105 = 347.21 万元/亩.
    expect(invested.detail).toBe('折合 347.21 万元/亩（按登记面积）');
    expect(valueOf(card, 'agreedBuildingDensity').value).toBe('40.00%');
    expect(card.map((group) => group.title)).toEqual(['权属与位置', '低效用地类别', '四至', '土地', '土地使用要求（约定）', '土地使用情况', '安全生产、环保、能耗', '投资与效益', '认定']);
  });
});
