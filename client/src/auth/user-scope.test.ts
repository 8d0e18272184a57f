import { describe, expect, it } from 'vitest';
import type { SessionUser } from './auth.api.js';
import { coversCity, restrictedParcelNotice, scopeText } from './user-scope.js';

function user(scopes: SessionUser['scopes']): SessionUser {
  return { id: 6, username: 'planner-huli', displayName: '湖里区规划员', role: 'planner', scopes, mustChangePassword: false, department: null, units: [] };
}

describe('user scope', () => {
  it('calls the city scope "全市"', () => {
    const scopes = [{ code: '350200', name: '厦门市' }];
    expect(coversCity(scopes, '350200')).toBe(true);
    expect(scopeText(scopes, '350200', '厦门市')).toBe('厦门市全市');
  });

  it('lists district names', () => {
    const scopes = [
      { code: '350206', name: '湖里区' },
      { code: '350203', name: '思明区' },
    ];
    expect(coversCity(scopes, '350200')).toBe(false);
    expect(scopeText(scopes, '350200', '厦门市')).toBe('湖里区、思明区');
  });

  it('says when no district is assigned', () => {
    expect(scopeText([], '350200', '厦门市')).toBe('未分配');
  });

  it('explains a restricted parcel with its district and the user’s own', () => {
    const notice = restrictedParcelNotice('思明区', user([{ code: '350206', name: '湖里区' }]), '350200', '厦门市');
    expect(notice).toBe('该地块属于 思明区，不在您的管辖范围（湖里区）内，属性信息不予显示');
  });

  it('still explains when the parcel’s district is unknown', () => {
    const notice = restrictedParcelNotice(null, user([{ code: '350206', name: '湖里区' }]), '350200', '厦门市');
    expect(notice).toBe('该地块不在您的管辖范围（湖里区）内，属性信息不予显示');
  });
});
