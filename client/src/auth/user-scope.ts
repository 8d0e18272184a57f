import type { SessionUser, UserScope } from './auth.api.js';

/** True when the user's scope is the whole city (so nothing is hidden from them). */
export function coversCity(scopes: readonly UserScope[], cityCode: string): boolean {
  return scopes.some((scope) => scope.code === cityCode);
}

/** '厦门市全市', or the district names: '湖里区', '湖里区、思明区'; '未分配' when there are none. */
export function scopeText(scopes: readonly UserScope[], cityCode: string, cityName: string): string {
  if (coversCity(scopes, cityCode)) return `${cityName}全市`;
  if (scopes.length === 0) return '未分配';
  return scopes.map((scope) => scope.name).join('、');
}

/**
 * The banner over a card the user may not read: which district the parcel is in, which ones are
 * theirs, so they know whom to ask.
 */
export function restrictedParcelNotice(districtName: string | null, user: SessionUser | null, cityCode: string, cityName: string): string {
  const own = user ? scopeText(user.scopes, cityCode, cityName) : '';
  const range = own ? `您的管辖范围（${own}）` : '您的管辖范围';
  const where = districtName ? `该地块属于 ${districtName}，不在${range}内` : `该地块不在${range}内`;
  return `${where}，属性信息不予显示`;
}
