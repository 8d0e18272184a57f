import type { UserScope } from '../auth/auth.api.js';
import { getJson, request, type RequestOptions } from '../http/request.js';

/** One account as the 用户管理 page lists it. */
export interface AdminUser {
  id: number;
  username: string;
  displayName: string;
  role: string;
  scopes: UserScope[];
  disabled: boolean;
  /** ISO time until which too many failed logins keep the account locked; null when not locked. */
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface AdminUsersResponse {
  items: AdminUser[];
}

export interface NewUser {
  username: string;
  displayName: string;
  role: string;
  /** District codes; the city code means every district. */
  scopes: string[];
  password: string;
}

export interface UserChange {
  displayName?: string;
  role?: string;
  scopes?: string[];
  disabled?: boolean;
  password?: string;
  unlock?: true;
}

export function fetchUsers(options?: RequestOptions): Promise<AdminUsersResponse> {
  return getJson('/api/admin/users', options);
}

export function createUser(user: NewUser, options?: RequestOptions): Promise<AdminUser> {
  return request('POST', '/api/admin/users', user, options);
}

export function updateUser(id: number, change: UserChange, options?: RequestOptions): Promise<AdminUser> {
  return request('PATCH', `/api/admin/users/${encodeURIComponent(String(id))}`, change, options);
}
