import { roleCan, type Action } from '@domain/permissions.js';

/**
 * The pages of the product. A hash route (`#/admin/users`) rather than a router package: four
 * pages do not need one, and the hash survives a reload without any server-side fallback.
 */
export type ViewName = 'map' | 'identification' | 'legacy' | 'problems' | 'plans' | 'packages' | 'imports' | 'users' | 'audit' | 'rules' | 'areas' | 'criteria' | 'zhaoshang';

export interface ViewEntry {
  view: ViewName;
  label: string;
  hash: string;
  /** What the user must be allowed to do to open it (any of them); the map is for everyone signed in. */
  action: Action | readonly Action[];
}

export const VIEWS: readonly ViewEntry[] = [
  { view: 'map', label: '地图', hash: '#/map', action: 'data:read' },
  { view: 'identification', label: '认定', hash: '#/identification', action: ['cases:read', 'cases:fill'] },
  // 两库一清单 (seed 004 三(一)): every reader of data sees them.
  { view: 'legacy', label: '遗留用地', hash: '#/legacy', action: 'data:read' },
  { view: 'problems', label: '问题清单', hash: '#/problems', action: 'data:read' },
  // 年度实施计划 and 台账 (seed 004 三(二)2, 三(四)): every reader of data follows the plan's milestones.
  { view: 'plans', label: '年度计划', hash: '#/plans', action: 'data:read' },
  // 底数上图入库 (seed 004 五(二)): the packages of 两库一清单 submitted to the city.
  { view: 'packages', label: '上图入库', hash: '#/packages', action: 'data:read' },
  { view: 'areas', label: '成片改造区域', hash: '#/areas', action: ['areas:write', 'areas:review'] },
  { view: 'zhaoshang', label: '招商地图', hash: '#/zhaoshang', action: ['zhaoshang:manage', 'zhaoshang:inquiries'] },
  { view: 'imports', label: '数据导入', hash: '#/imports', action: 'imports:write' },
  { view: 'users', label: '用户管理', hash: '#/admin/users', action: 'users:manage' },
  { view: 'audit', label: '审计日志', hash: '#/admin/audit', action: 'audit:read' },
  { view: 'rules', label: '规则设置', hash: '#/admin/rules', action: 'rules:manage' },
  { view: 'criteria', label: '认定标准与分级', hash: '#/admin/criteria', action: ['criteria:manage', 'criteria:run', 'grading:manage', 'grading:run'] },
];

/** '#/admin/users' → 'users'; anything unknown (or empty) is the map. A query (`?…`) is the page's own. */
export function viewFromHash(hash: string): ViewName {
  const path = hash.replace(/^#/, '').replace(/\?.*$/, '').replace(/\/+$/, '') || '/map';
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
  const allowed = viewsFor(role);
  // A role without the map (the 用地单位) lands on its first page.
  return allowed.some((entry) => entry.view === view) ? view : allowed[0]?.view ?? 'map';
}

export function hashOf(view: ViewName): string {
  return VIEWS.find((entry) => entry.view === view)?.hash ?? '#/map';
}

/**
 * What a shared link of the map holds (`#/map?at=118.10000,24.50000,12.50&d=350203&p=123`): the
 * view (centre and zoom), the district whose figures are shown and the parcel whose card is open.
 */
export interface MapLink {
  centre: [number, number] | null;
  zoom: number | null;
  districtCode: string | null;
  parcelId: number | null;
}

const EMPTY_LINK: MapLink = { centre: null, zoom: null, districtCode: null, parcelId: null };

/** The map link of a hash; anything missing or malformed is null (the page then opens as usual). */
export function mapLinkFromHash(hash: string): MapLink {
  if (viewFromHash(hash) !== 'map') return EMPTY_LINK;
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
  const params = new URLSearchParams(query);
  const link: MapLink = { ...EMPTY_LINK };
  const at = (params.get('at') ?? '').split(',').map(Number);
  if (at.length === 3 && at.every(Number.isFinite)) {
    const [longitude, latitude, zoom] = at;
    if (Math.abs(longitude) <= 180 && Math.abs(latitude) <= 85 && zoom >= 0 && zoom <= 22) {
      link.centre = [longitude, latitude];
      link.zoom = zoom;
    }
  }
  const district = params.get('d');
  if (district && /^\d{6}$/.test(district)) link.districtCode = district;
  const parcel = Number(params.get('p'));
  if (Number.isSafeInteger(parcel) && parcel > 0) link.parcelId = parcel;
  return link;
}

/** The hash of a map link: centre to 5 decimals (about 1 m), zoom to 2; the city itself is not written. */
export function mapHashOf(link: MapLink, cityCode: string): string {
  const params: string[] = [];
  if (link.centre && link.zoom !== null) params.push(`at=${link.centre[0].toFixed(5)},${link.centre[1].toFixed(5)},${link.zoom.toFixed(2)}`);
  if (link.districtCode && link.districtCode !== cityCode) params.push(`d=${link.districtCode}`);
  if (link.parcelId !== null) params.push(`p=${link.parcelId}`);
  return params.length > 0 ? `#/map?${params.join('&')}` : '#/map';
}
