import type { AdminUser, AdminUserList, NewUser, UserChange } from '@domain/api/users.schemas.js';
import { getJson, request, type RequestOptions } from '../http/request.js';

export type { AdminUser, AdminUserList, NewUser, UserChange } from '@domain/api/users.schemas.js';

export function fetchUsers(options?: RequestOptions): Promise<AdminUserList> {
  return getJson('/api/admin/users', options);
}

export function createUser(user: NewUser, options?: RequestOptions): Promise<AdminUser> {
  return request('POST', '/api/admin/users', user, options);
}

export function updateUser(id: number, change: UserChange, options?: RequestOptions): Promise<AdminUser> {
  return request('PATCH', `/api/admin/users/${encodeURIComponent(String(id))}`, change, options);
}
