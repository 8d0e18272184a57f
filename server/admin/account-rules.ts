import { DEPARTMENTS, type DepartmentCode } from '../../domain/departments.js';
import { ROLE_REQUIREMENTS, roleLabel, type Role } from '../../domain/permissions.js';
import { districtInScope } from '../../domain/permissions.js';
import { subdistrictKindLabel } from '../../domain/subdistricts.js';
import type { AppInstance } from '../app-instance.js';
import { ApiError } from '../errors.js';

/** An account as it will be after a create or change: what the rules below check together. */
export interface AccountShape {
  role: Role;
  scopes: readonly string[];
  department: DepartmentCode | null;
  parcelIds: readonly number[];
}

function invalid(parameter: string, message: string): ApiError {
  return new ApiError(400, 'invalid_parameter', message, { parameter });
}

/**
 * The combinations an account must respect (seed 003 二.2: 园区内用地由园区办, 园区外用地由镇政府（街道办）):
 * every scope code exists; a 园区办 is scoped to 园区, a 镇政府/街道办 to 街道/镇; a 会审部门 names its
 * department and only it does; a 用地单位 has at least one parcel, each inside its districts, and
 * only it has parcels. Each refusal is a 400 naming the field and what to do.
 */
export async function assertAccountShape(app: AppInstance, account: AccountShape): Promise<void> {
  const districtCodes = account.scopes.filter((code) => code.length !== 9);
  const unitCodes = account.scopes.filter((code) => code.length === 9);
  const foundDistricts = await app.districtsRepository.existing(districtCodes);
  const missingDistricts = districtCodes.filter((code) => !foundDistricts.includes(code));
  if (missingDistricts.length > 0) throw invalid('scopes', `没有这些行政区：${missingDistricts.join(', ')}。请从行政区树中选择。`);
  const units = await app.districtsRepository.subdistrictsOf(unitCodes);
  const missingUnits = unitCodes.filter((code) => !units.some((unit) => unit.code === code));
  if (missingUnits.length > 0) throw invalid('scopes', `没有这些园区/街道/镇：${missingUnits.join(', ')}。请从行政区树中选择。`);

  const requirement = ROLE_REQUIREMENTS[account.role] ?? {};
  const label = roleLabel(account.role);
  if (requirement.units) {
    const wanted = requirement.units === 'park' ? ['park'] : ['street', 'town'];
    const wantedLabel = requirement.units === 'park' ? '园区' : '街道或镇';
    const wrong = [...districtCodes.map((code) => `${code}（区县/市）`),
      ...units.filter((unit) => !wanted.includes(unit.kind)).map((unit) => `${unit.name}（${subdistrictKindLabel(unit.kind)}）`)];
    if (wrong.length > 0) {
      throw invalid('scopes', `${label}账号的管辖范围须是${wantedLabel}（园区内用地由园区办、园区外用地由镇政府/街道办办理）：${wrong.join('、')} 不是${wantedLabel}。请在管辖范围中改选${wantedLabel}。`);
    }
  }

  if (requirement.department && !account.department) {
    throw invalid('department', `会审部门账号须选择所属部门（department：${DEPARTMENTS.map((department) => `${department.code} ${department.label}`).join('、')}）。`);
  }
  if (!requirement.department && account.department) {
    throw invalid('department', `只有会审部门账号有所属部门：${label}账号请不填 department，或把角色改为会审部门。`);
  }

  if (requirement.parcels && account.parcelIds.length === 0) {
    throw invalid('parcelIds', '用地单位账号须关联至少一宗本单位的宗地（parcelIds）：请按宗地编号或土地使用权人查找并添加。');
  }
  if (!requirement.parcels && account.parcelIds.length > 0) {
    throw invalid('parcelIds', `只有用地单位账号关联宗地：${label}账号请不填 parcelIds，或把角色改为用地单位。`);
  }
  if (account.parcelIds.length > 0) {
    const parcels = await app.usersRepository.parcelsForLinking(account.parcelIds);
    const missing = account.parcelIds.filter((id) => !parcels.some((parcel) => parcel.id === id));
    if (missing.length > 0) throw invalid('parcelIds', `没有这些宗地：${missing.join(', ')}。请重新查找宗地。`);
    const parents = new Map((await app.districtsRepository.list()).map((district) => [district.code, district.parentCode]));
    const unitDistricts = units.map((unit) => unit.districtCode);
    const outside = parcels.filter((parcel) => !unitDistricts.includes(parcel.districtCode)
      && !districtInScope(districtCodes, parcel.districtCode, parents.get(parcel.districtCode) ?? null));
    if (outside.length > 0) {
      throw invalid('parcelIds', `宗地 ${outside.map((parcel) => parcel.code).join('、')} 不在该账号的管辖范围内：请把其所在区县加入管辖范围，或改选宗地。`);
    }
  }
}
