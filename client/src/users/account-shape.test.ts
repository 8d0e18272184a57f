import { describe, expect, it } from 'vitest';
import { accountProblems, scopeTree, type UnitChoice } from './account-shape.js';

const units: UnitChoice[] = [
  { code: '350206001', name: '湖里街道', kind: 'street', districtCode: '350206' },
  { code: '350206501', name: '火炬园区', kind: 'park', districtCode: '350206' },
];
const choices = [{ code: '350200', name: '厦门市' }, { code: '350206', name: '湖里区' }];

describe('the scope tree of the user form', () => {
  it('lets a 园区办 pick only 园区, a 街道办 only 街道/镇, others anything', () => {
    const pick = (role: Parameters<typeof scopeTree>[0]) => {
      const [city] = scopeTree(role, choices, '350200', units);
      const [district] = city.children!;
      return [city.disabled, district.disabled, ...district.children!.map((unit) => unit.disabled)];
    };
    expect(pick('park_office')).toEqual([true, true, true, false]);
    expect(pick('street_office')).toEqual([true, true, false, true]);
    expect(pick('viewer')).toEqual([false, false, false, false]);
  });

  it('says what an account lacks, as the server would refuse it', () => {
    expect(accountProblems({ role: 'park_office', scopes: ['350206001'], department: null, parcelIds: [] }, units).scopes).toContain('园区');
    expect(accountProblems({ role: 'park_office', scopes: ['350206501'], department: null, parcelIds: [] }, units).scopes).toBe('');
    expect(accountProblems({ role: 'department', scopes: ['350206'], department: null, parcelIds: [] }, units).department).toContain('所属部门');
    expect(accountProblems({ role: 'enterprise', scopes: ['350206'], department: null, parcelIds: [] }, units).parcels).toContain('宗地');
    expect(accountProblems({ role: 'enterprise', scopes: ['350206'], department: null, parcelIds: [3] }, units)).toEqual({ scopes: '', department: '', parcels: '' });
  });
});
