import { roleCan, type Action } from '@domain/permissions.js';

/**
 * The pages of the product. A hash route (`#/admin/users`) rather than a router package: four
 * pages do not need one, and the hash survives a reload without any server-side fallback.
 */
export type ViewName = 'map' | 'imports' | 'users' | 'audit' | 'rules' | 'areas';

export interface ViewEntry {
  view: ViewName;
  label: string;
  hash: string;
  /** What the user must be allowed to do to open it (any of them); the map is for everyone signed in. */
  action: Action | readonly Action[];
}

export const VIEWS: readonly ViewEntry[] = [
  { view: 'map', label: '地图', hash: '#/map', action: 'data:read' },
  { view: 'areas', label: '成片改造区域', hash: '#/areas', action: ['areas:write', 'areas:review'] },
  { view: 'imports', label: '数据导入', hash: '#/imports', action: 'imports:write' },
  { view: 'users', label: '用户管理', hash: '#/admin/users', action: 'users:manage' },
  { view: 'audit', label: '审计日志', hash: '#/admin/audit', action: 'audit:read' },
  { view: 'rules', label: '规则设置', hash: '#/admin/rules', action: 'rules:manage' },
];

/** '#/admin/users' → 'users'; anything unknown (or empty) is the map. */
export function viewFromHash(hash: string): ViewName {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/map';
  return VIEWS.find((entry) => entry.hash.slice(1) === path)?.view ?? 'map';
}

/** The pages a role may open, in header order. */
export function viewsFor(role: string): ViewEntry[] {
  return VIEWS.filter((entry) => (typeof entry.action === 'string' ? [entry.action] : entry.action).some((action) => roleCan(role, action)));
}

/**
 * The page to show for a hash: a page the role may not open falls back to the map (the server
 * would refuse its data anyway; the official should not land on an error page from an old link).
 */
export function viewForRole(hash: string, role: string): ViewName {
  const view = viewFromHash(hash);
  return viewsFor(role).some((entry) => entry.view === view) ? view : 'map';
}

export function hashOf(view: ViewName): string {
  return VIEWS.find((entry) => entry.view === view)?.hash ?? '#/map';
}
