import { describe, expect, it } from 'vitest';
import type { ParcelDetail } from './parcels.api.js';
import { changedKeys, conflictRows, editorFields, initialValues, parcelChange } from './parcel-editor.js';

function parcel(overrides: Partial<ParcelDetail> = {}): ParcelDetail {
  return {
    id: 381,
    code: '350206-000001',
    districtCode: '350206',
    districtName: '湖里区',
    owner: '厦门源锦纺织实业有限公司',
    townOrPark: '坂头工业集中区',
    subdistrictCode: '350211003',
    parkCode: '350211501',
    location: '厦门市湖里区兴港路619号',
    registeredAreaM2: 21704.03,
    areaM2: 21687.1,
    contractNo: '350206-2013-9592',
    certificateNo: null,
    ownershipNature: null,
    landUseCode: '100104',
    plannedFunction: '道路与交通设施用地',
    industryCode: 'C17',
    floorAreaM2: 11368.12,
    floorAreaRatio: 0.52,
    buildingCoverage: 0.2624,
    investmentIntensity: 229.74,
    outputPerMu: 96.22,
    taxPerMu: 9.31,
    productionStart: '2016-04-16',
    productionStop: null,
    adminFacilityShare: 0.025,
    undevelopedAreaM2: 0,
    meetsSafety: true,
    meetsEnvironment: null,
    meetsEnergy: true,
    status: 'suspected',
    inefficiencyType: 'misused',
    identifiedAt: null,
    redevelopmentIntent: 'willing',
    evaluationGrade: 'C',
    parkSide: null,
    landCategory: 'industrial',
    reportingUnit: 'chancu',
    residentialKind: null,
    constructionPermits: null,
    landAcquiredAt: null,
    boundaryEast: null,
    boundarySouth: null,
    boundaryWest: null,
    boundaryNorth: null,
    agreedFloorAreaRatio: null,
    agreedBuildingDensity: null,
    agreedCompletionDate: null,
    investmentAgreementNo: null,
    agreedInvestmentIntensity: null,
    completionDate: null,
    investedAmount: null,
    safetyNote: null,
    environmentNote: null,
    energyNote: null,
    fixedAssetInvestment: null,
    bbox: [118.1, 24.5, 118.11, 24.51],
    geometry: { type: 'MultiPolygon', coordinates: [[[[118.1, 24.5], [118.11, 24.5], [118.11, 24.51], [118.1, 24.5]]]] },
    updatedAt: '2026-11-22T02:09:23.183Z',
    updatedBy: 'surveyor',
    version: 3,
    restricted: false,
    ...overrides,
  };
}

describe('parcel editor', () => {
  it('offers a planner the 规划 fields only', () => {
    expect(editorFields('planner').map((field) => field.key)).toEqual(['plannedFunction', 'redevelopmentIntent']);
  });

  it('offers an official the 认定 fields, with status required', () => {
    const fields = editorFields('official');
    expect(fields.map((field) => field.key)).toEqual(['status', 'inefficiencyType', 'identifiedAt', 'evaluationGrade']);
    expect(fields.find((field) => field.key === 'status')?.required).toBe(true);
    expect(fields.find((field) => field.key === 'identifiedAt')?.input).toBe('date');
  });

  it('offers a viewer nothing', () => {
    expect(editorFields('viewer')).toEqual([]);
  });

  it('never offers geometry as a field to type', () => {
    expect(editorFields('surveyor').some((field) => (field.key as string) === 'geometry')).toBe(false);
    expect(editorFields('admin').some((field) => (field.key as string) === 'geometry')).toBe(false);
  });

  it('types each attribute: numbers with units, fractions as percent, enums with Chinese labels', () => {
    const fields = editorFields('surveyor');
    const byKey = (key: string) => fields.find((field) => field.key === key)!;
    expect(byKey('floorAreaM2')).toMatchObject({ input: 'number', unit: 'm²' });
    expect(byKey('buildingCoverage')).toMatchObject({ input: 'percent', unit: '%' });
    expect(byKey('meetsSafety').input).toBe('boolean');
    expect(byKey('landUseCode').options).toContainEqual({ value: '0601', label: '0601 工业用地' });
    expect(byKey('industryCode')).toMatchObject({ input: 'select', allowCreate: true });
  });

  it('labels enum choices in Chinese', () => {
    const intent = editorFields('planner').find((field) => field.key === 'redevelopmentIntent')!;
    expect(intent.options).toContainEqual({ value: 'willing', label: '有意愿' });
  });

  it('opens with the card’s values, fractions as percentages without binary noise', () => {
    const values = initialValues(editorFields('surveyor'), parcel({ buildingCoverage: 0.452 }));
    expect(values.buildingCoverage).toBe(45.2);
    expect(values.adminFacilityShare).toBe(2.5);
    expect(values.meetsEnvironment).toBeNull();
    expect(values.productionStart).toBe('2016-04-16');
  });

  it('opens empty for a restricted parcel, whose values are withheld', () => {
    const values = initialValues(editorFields('planner'), parcel({ restricted: true, plannedFunction: null }));
    expect(values).toEqual({ plannedFunction: null, redevelopmentIntent: null });
  });

  it('sends only what changed, plus the version the form started from', () => {
    const fields = editorFields('planner');
    const initial = initialValues(fields, parcel());
    const current = { ...initial, plannedFunction: '  新型产业用地 ' };

    expect(changedKeys(fields, initial, current)).toEqual(['plannedFunction']);
    expect(parcelChange(fields, initial, current, 3)).toEqual({
      plannedFunction: '新型产业用地',
      expectedVersion: 3,
    });
  });

  it('sends percentages back as fractions 0–1', () => {
    const fields = editorFields('surveyor');
    const initial = initialValues(fields, parcel());
    const change = parcelChange(fields, initial, { ...initial, buildingCoverage: 45.2 }, 3);
    expect(change).toEqual({ buildingCoverage: 0.452, expectedVersion: 3 });
  });

  it('clears a value with null, and treats a blanked text as cleared', () => {
    const fields = editorFields('surveyor');
    const initial = initialValues(fields, parcel());
    const change = parcelChange(fields, initial, { ...initial, owner: '   ', meetsSafety: null, floorAreaM2: null }, 3);
    expect(change).toEqual({ owner: null, meetsSafety: null, floorAreaM2: null, expectedVersion: 3 });
  });

  it('does not count whitespace around an unchanged text as a change', () => {
    const fields = editorFields('planner');
    const initial = initialValues(fields, parcel());
    expect(changedKeys(fields, initial, { ...initial, plannedFunction: '道路与交通设施用地 ' })).toEqual([]);
  });

  it('sends booleans and dates as they are', () => {
    const fields = editorFields('surveyor');
    const initial = initialValues(fields, parcel());
    const change = parcelChange(fields, initial, { ...initial, meetsEnvironment: false, productionStop: '2025-12-31' }, 3);
    expect(change).toEqual({ meetsEnvironment: false, productionStop: '2025-12-31', expectedVersion: 3 });
  });

  it('shows a stale-version conflict side by side, in the form\'s units, flagging fields both changed', () => {
    const fields = editorFields('surveyor');
    const rows = conflictRows(fields, { fields: [
      { key: 'buildingCoverage', base: 0.3, theirs: 0.45, yours: 0.5 },
      { key: 'owner', base: '甲公司', theirs: null },
      { key: 'meetsSafety', base: null, theirs: true },
    ] });
    expect(rows).toEqual([
      { key: 'buildingCoverage', label: '建筑系数', base: '30%', theirs: '45%', yours: '50%', clash: true },
      { key: 'owner', label: '土地使用权人', base: '甲公司', theirs: '（空）', yours: null, clash: false },
      { key: 'meetsSafety', label: '符合安全生产要求', base: '（空）', theirs: '是', yours: null, clash: false },
    ]);
  });
});
