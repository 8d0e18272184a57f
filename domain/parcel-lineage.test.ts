import { describe, expect, it } from 'vitest';
import { judgeMerge, mergeAttributes, mergeCode, splitAttributes, splitCodes, type MergeCandidate } from './parcel-lineage.js';

const candidate = (id: number, overrides: Partial<MergeCandidate> = {}): MergeCandidate => ({
  id, code: `P${id}`, owner: '甲公司', ownershipNature: '国有', landUseCode: '0601', districtCode: '350206', districtName: '湖里区', ...overrides,
});

describe('splitAttributes', () => {
  it('shares 登记面积 and 建筑面积 in proportion to the areas, to the cent and adding up exactly; copies the rest; drops identity and derived columns', () => {
    const parent = { id: 7, code: 'A', owner: '甲公司', registered_area_m2: 1000.01, floor_area_m2: null, floor_area_ratio: 1.5, area_m2: 999, version: 4, updated_by: 'x' };
    const parts = splitAttributes(parent, [333.3, 666.7, 0.5], ['A-1', 'A-2', 'A-3']);
    expect(parts.map((part) => part.code)).toEqual(['A-1', 'A-2', 'A-3']);
    expect(parts.map((part) => part.registered_area_m2)).toEqual([333.14, 666.37, 0.5]);
    expect(Math.round((parts as { registered_area_m2: number }[]).reduce((sum, part) => sum + part.registered_area_m2, 0) * 100)).toBe(100001);
    for (const part of parts) {
      expect(part).toMatchObject({ owner: '甲公司', floor_area_ratio: 1.5, floor_area_m2: null });
      expect(part).not.toHaveProperty('id');
      expect(part).not.toHaveProperty('area_m2');
      expect(part).not.toHaveProperty('version');
    }
  });
});

describe('mergeAttributes', () => {
  it('sums amounts, weights ratios by area, takes the rest from the largest parcel and lists what differed', () => {
    const { attributes, differences } = mergeAttributes([
      { id: 1, code: 'N', area_m2: 300, registered_area_m2: 300, floor_area_ratio: 2, contract_no: 'HT-1', owner: '甲公司' },
      { id: 2, code: 'S', area_m2: 100, registered_area_m2: 100.5, floor_area_ratio: 1, contract_no: 'HT-2', owner: '甲公司' },
    ], 'N-H');
    expect(attributes).toMatchObject({ code: 'N-H', registered_area_m2: 400.5, floor_area_ratio: 1.75, contract_no: 'HT-1', owner: '甲公司' });
    expect(differences).toEqual([{ key: 'contractNo', taken: 'HT-1', values: [{ code: 'N', value: 'HT-1' }, { code: 'S', value: 'HT-2' }] }]);
  });
});

describe('codes', () => {
  it('numbers parts from 1 and skips codes in use; a merge takes -H, then -H2', () => {
    expect(splitCodes('X', 2, new Set(['X-1']))).toEqual(['X-2', 'X-3']);
    expect(mergeCode('X', new Set())).toBe('X-H');
    expect(mergeCode('X', new Set(['X-H']))).toBe('X-H2');
  });
});

describe('judgeMerge (seed 002 case 3)', () => {
  it('passes a chain of parcels that share boundaries and agree', () => {
    const conditions = judgeMerge([candidate(1), candidate(2), candidate(3)], [{ a: 1, b: 2, sharedM: 120 }, { a: 2, b: 3, sharedM: 40 }]);
    expect(conditions.every((condition) => condition.pass)).toBe(true);
  });

  it('fails 边界相邻 for a parcel that only touches at a corner or stands apart, naming it', () => {
    const [adjacent] = judgeMerge([candidate(1), candidate(2), candidate(3)], [{ a: 1, b: 2, sharedM: 120 }, { a: 2, b: 3, sharedM: 0.1 }]);
    expect(adjacent).toMatchObject({ key: 'adjacent', pass: false, parcels: ['P3'] });
  });

  it('fails each attribute condition for the odd one out, and for a missing value', () => {
    const shared = [{ a: 1, b: 2, sharedM: 50 }, { a: 2, b: 3, sharedM: 50 }];
    const failing = (others: Partial<MergeCandidate>) =>
      judgeMerge([candidate(1), candidate(2), candidate(3, others)], shared).filter((condition) => !condition.pass).map((condition) => [condition.key, condition.parcels]);
    expect(failing({ owner: '乙公司' })).toEqual([['owner', ['P3']]]);
    expect(failing({ owner: ' 甲公司 ' })).toEqual([]);
    expect(failing({ ownershipNature: '集体' })).toEqual([['ownershipNature', ['P3']]]);
    expect(failing({ ownershipNature: null })).toEqual([['ownershipNature', ['P3']]]);
    expect(failing({ landUseCode: '0508' })).toEqual([['landUse', ['P3']]]);
    expect(failing({ districtCode: '350205', districtName: '海沧区' })).toEqual([['district', ['P3']]]);
  });
});
