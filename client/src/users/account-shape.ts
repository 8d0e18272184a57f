import { DEPARTMENTS } from '@domain/departments.js';
import { ROLE_REQUIREMENTS, roleLabel, type Role } from '@domain/permissions.js';
import { subdistrictKindLabel, type SubdistrictKind } from '@domain/subdistricts.js';

/** A 园区 or 街道/镇 as the scope tree offers it. */
export interface UnitChoice {
  code: string;
  name: string;
  kind: SubdistrictKind;
  districtCode: string;
}

export interface ScopeNode {
  value: string;
  label: string;
  disabled: boolean;
  children?: ScopeNode[];
}

/** Whether a role may be scoped to a unit of this kind (a 园区办 to 园区, a 镇街 to 街道/镇; the others to any). */
function unitFits(role: Role, kind: SubdistrictKind): boolean {
  const wanted = ROLE_REQUIREMENTS[role]?.units;
  if (!wanted) return true;
  return wanted === 'park' ? kind === 'park' : kind !== 'park';
}

/**
 * The scope tree of the user form: the city, its districts, their 街道/镇 and 园区. A 园区办 may pick
 * only 园区 and a 镇政府/街道办 only 街道/镇 (the rest stays visible, greyed); other roles pick a city,
 * districts, or units (they then read the unit's district and write only in the unit).
 */
export function scopeTree(role: Role, choices: readonly { code: string; name: string }[], cityCode: string, units: readonly UnitChoice[]): ScopeNode[] {
  const unitsOnly = Boolean(ROLE_REQUIREMENTS[role]?.units);
  const city = choices.find((choice) => choice.code === cityCode);
  const districts = choices.filter((choice) => choice.code !== cityCode).map((district) => ({
    value: district.code,
    label: district.name,
    disabled: unitsOnly,
    children: units.filter((unit) => unit.districtCode === district.code).map((unit) => ({
      value: unit.code,
      label: `${unit.name}（${subdistrictKindLabel(unit.kind)}）`,
      disabled: !unitFits(role, unit.kind),
    })),
  }));
  return city ? [{ value: city.code, label: `${city.name}（全市）`, disabled: unitsOnly, children: districts }] : districts;
}

/** The same checks as the server (server/admin/account-rules.ts), to say what is missing before saving. */
export function accountProblems(account: { role: Role; scopes: readonly string[]; department: string | null; parcelIds: readonly number[] }, units: readonly UnitChoice[]): { scopes: string; department: string; parcels: string } {
  const requirement = ROLE_REQUIREMENTS[account.role] ?? {};
  let scopes = account.scopes.length > 0 ? '' : '请至少选择一个管辖范围';
  if (!scopes && requirement.units) {
    const wanted = requirement.units === 'park' ? '园区' : '街道或镇';
    const fits = account.scopes.every((code) => {
      const unit = units.find((candidate) => candidate.code === code);
      return unit !== undefined && unitFits(account.role, unit.kind);
    });
    if (!fits) scopes = `${roleLabel(account.role)}的管辖范围须是${wanted}：请在区县下选择${wanted}`;
  }
  return {
    scopes,
    department: requirement.department && !account.department ? `请选择所属部门（${DEPARTMENTS.map((department) => department.label).join('、')}）` : '',
    parcels: requirement.parcels && account.parcelIds.length === 0 ? '请至少关联一宗本单位的宗地（按宗地编号或土地使用权人查找）' : '',
  };
}
