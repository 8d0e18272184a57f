import type { Action, Role } from '../../domain/permissions.js';

/** The logged-in user as every route sees it: role, district scope, and the districts it resolves to. */
export interface Principal {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  mustChangePassword: boolean;
  /** Codes the user was given (a city code covers its districts). */
  scopes: { code: string; name: string }[];
  /** Every district (区县) code inside the scope. */
  allowedDistricts: string[];
  /** True when the scope covers every district in the database: no filtering needed. */
  unrestricted: boolean;
}

/** `public`: anyone; `authenticated`: any logged-in user; otherwise the action the role must allow. */
export type Permission = 'public' | 'authenticated' | Action;

export function scopeNames(principal: Principal): string {
  return principal.scopes.map((scope) => scope.name).join('、') || '（无）';
}
