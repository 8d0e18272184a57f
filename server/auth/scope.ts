import { ApiError } from '../errors.js';
import { scopeNames, type Principal } from './principal.js';

export class OutOfScopeError extends ApiError {
  constructor(principal: Principal, district: { code: string; name: string }, verb = '修改', subject = '该地块') {
    super(403, 'out_of_scope',
      `您的账号只能${verb} ${scopeNames(principal)} 的数据；${subject}属于 ${district.name} (${district.code})。如需${verb}，请联系系统管理员调整管辖范围。`,
      { district });
  }
}

/** Writes outside the user's districts are refused with the district named. */
export function assertWritable(principal: Principal, district: { code: string; name: string }): void {
  if (!principal.unrestricted && !principal.allowedDistricts.includes(district.code)) {
    throw new OutOfScopeError(principal, district);
  }
}

export function canRead(principal: Principal, districtCode: string): boolean {
  return principal.unrestricted || principal.allowedDistricts.includes(districtCode);
}
