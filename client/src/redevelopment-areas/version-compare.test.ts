import { describe, expect, it } from 'vitest';
import type { AreaDetail } from './areas.api.js';
import { compareVersions } from './version-compare.js';

function version(number: number, supportingM2: number, pass: boolean): AreaDetail {
  return {
    id: 1, name: '高林片区', districtCode: '350206', districtName: '湖里区', status: 'draft', kind: 'new_industrial', version: number,
    ruleSetId: 'xiamen-new-industrial', ruleSetVersion: 1, areaM2: 100000, pass,
    updatedAt: '2024-05-01T08:00:00.000Z', updatedBy: 'planner', approvedVersion: null, pinned: null, pinnedVerdict: null, reviews: [],
    mode: 'government_entrusted', modeOther: null, targetLandUse: null,
    input: {
      ruleSet: 'xiamen-new-industrial', ruleSetVersion: 1, boundary: { type: 'Polygon', coordinates: [] },
      fragments: { type: 'FeatureCollection', features: [] }, supportingLand: { type: 'FeatureCollection', features: [] },
      parcels: null, fragmentParcels: [], uncoveredIsFragment: true,
      figures: { totalFloorArea: 200000, supportingFloorArea: null, factoryFloorArea: null },
    },
    result: {
      area: { m2: 100000, ha: 10, mu: 150 }, pieces: 1, ruleSetVersion: 1, parcels: [], overlaps: [],
      ruleSet: { id: 'xiamen-new-industrial', version: 1, name: '厦门 新型产业用地 成片改造', city: '厦门市' },
      figures: { projectLandM2: 100000, fragmentLandM2: 0, uncoveredLandM2: 0, supportingLandM2: supportingM2, parcelLandM2: 100000, inefficientLandM2: 0, inefficientShare: 0, gapToleranceM: 5, overlapM2: 0, totalFloorAreaM2: 200000, supportingFloorAreaM2: null, factoryFloorAreaM2: null },
      checks: [{
        id: 'supporting-land', name: '配套用房用地占比', measure: 'supporting_land_share', numerator: supportingM2, denominator: 100000,
        ratio: supportingM2 / 100000, limit: 0.07, comparison: '<=', pass, source: { document: '', article: '', text: '' }, denominatorDefinition: '',
      }],
    },
    versions: [],
  };
}

describe('compareVersions', () => {
  it('puts two versions side by side and marks the cells an official would read differently', () => {
    const rows = compareVersions(version(1, 8000, false), version(2, 6000, true));
    const changed = rows.filter((row) => row.changed).map((row) => row.label);
    expect(changed).toEqual(['版本', '配套用房用地', '配套用房用地占比']);
    const check = rows.find((row) => row.label === '配套用房用地占比')!;
    expect(check.left).toBe('8.00 %（≤ 7.00 %）不通过');
    expect(check.right).toBe('6.00 %（≤ 7.00 %）通过');
    expect(rows.find((row) => row.label === '总计容建筑面积')).toMatchObject({ left: '200,000.00 m²', changed: false });
  });
});
