import type { DepartmentCode } from '../../domain/departments.js';
import type { Action, Role } from '../../domain/permissions.js';

/** The logged-in user as every route sees it: role, district scope, and the districts it resolves to. */
export interface Principal {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  mustChangePassword: boolean;
  /** Codes the user was given (a city code covers its districts; a 9-digit code is a 园区 or 街道/镇). */
  scopes: { code: string; name: string }[];
  /** Every district (区县) code inside the scope (a 园区/街道 scope gives its district). */
  allowedDistricts: string[];
  /** True when the scope covers every district in the database: no filtering needed. */
  unrestricted: boolean;
  /**
   * 9-digit 园区/街道/镇 codes (subdistricts.code) the scope names; `[]` = whole districts. A 园区办
   * scoped to 园区 X reads its whole district and writes (conducts cases) only in X (local rule).
   */
  units: string[];
  /** The 会审部门 of a role-`department` account; null otherwise. */
  department: DepartmentCode | null;
  /** The parcels linked to a 用地单位 account (enterprise_parcels); `[]` otherwise. */
  enterpriseParcelIds: number[];
}

/** `public`: anyone; `authenticated`: any logged-in user; otherwise the action the role must allow. */
export type Permission = 'public' | 'authenticated' | Action;

export function scopeNames(principal: Principal): string {
  return principal.scopes.map((scope) => scope.name).join('、') || '（无）';
}

/** A principal of the system itself and of tests: every field a route reads, with the given ones. */
export function makePrincipal(fields: Pick<Principal, 'id' | 'username' | 'role'> & Partial<Principal>): Principal {
  return {
    displayName: fields.username, mustChangePassword: false, scopes: [], allowedDistricts: [], unrestricted: false,
    units: [], department: null, enterpriseParcelIds: [], ...fields,
  };
}
