import { describe, expect, it } from 'vitest';
import { hashOf, mapHashOf, mapLinkFromHash, viewForRole, viewFromHash, viewsFor } from './view-route.js';

describe('view route', () => {
  it('reads the page from the hash', () => {
    expect(viewFromHash('#/map')).toBe('map');
    expect(viewFromHash('#/admin/users')).toBe('users');
    expect(viewFromHash('#/admin/audit/')).toBe('audit');
    expect(viewFromHash('#/imports')).toBe('imports');
  });

  it('opens the map for an empty or unknown hash', () => {
    expect(viewFromHash('')).toBe('map');
    expect(viewFromHash('#')).toBe('map');
    expect(viewFromHash('#/nowhere')).toBe('map');
  });

  it('lists the administration pages for administrators only', () => {
    expect(viewsFor('admin').map((entry) => entry.label)).toEqual(['地图', '认定', '遗留用地', '问题清单', '年度计划', '上图入库', '成片改造区域', '招商地图', '数据导入', '用户管理', '审计日志', '规则设置', '认定标准与分级']);
    expect(viewsFor('planner').map((entry) => entry.view)).toEqual(['map', 'legacy', 'problems', 'plans', 'packages', 'areas']);
    // 认定 lists cases for whoever may read them (a viewer follows the procedure, takes no step).
    expect(viewsFor('viewer').map((entry) => entry.view)).toEqual(['map', 'identification', 'legacy', 'problems', 'plans', 'packages']);
  });

  it('opens 成片改造区域 to those who draw areas or review them: planners, officials and administrators', () => {
    expect(viewForRole('#/areas', 'planner')).toBe('areas');
    expect(viewForRole('#/areas', 'official')).toBe('areas');
    expect(viewForRole('#/areas', 'admin')).toBe('areas');
    expect(viewForRole('#/areas', 'surveyor')).toBe('map');
    expect(viewForRole('#/areas', 'viewer')).toBe('map');
    expect(hashOf('areas')).toBe('#/areas');
  });

  it('opens 认定标准与分级 to those who manage or run criteria and grading', () => {
    expect(viewForRole('#/admin/criteria', 'admin')).toBe('criteria');
    expect(viewForRole('#/admin/criteria', 'official')).toBe('criteria');
    expect(viewForRole('#/admin/criteria', 'viewer')).toBe('map');
  });

  it('opens 招商地图 to those who keep listings or answer 意向: officials and administrators', () => {
    expect(viewForRole('#/zhaoshang', 'official')).toBe('zhaoshang');
    expect(viewForRole('#/zhaoshang', 'admin')).toBe('zhaoshang');
    expect(viewForRole('#/zhaoshang', 'viewer')).toBe('map');
    expect(hashOf('zhaoshang')).toBe('#/zhaoshang');
  });

  it('opens 数据导入 to those who may import: administrators and surveyors', () => {
    expect(viewsFor('surveyor').map((entry) => entry.label)).toEqual(['地图', '遗留用地', '问题清单', '年度计划', '上图入库', '数据导入']);
    expect(viewsFor('official').map((entry) => entry.view)).toEqual(['map', 'identification', 'legacy', 'problems', 'plans', 'packages', 'areas', 'zhaoshang', 'criteria']);
    expect(viewForRole('#/imports', 'surveyor')).toBe('imports');
    expect(viewForRole('#/imports', 'admin')).toBe('imports');
    expect(viewForRole('#/imports', 'planner')).toBe('map');
    expect(viewForRole('#/imports', 'official')).toBe('map');
    expect(hashOf('imports')).toBe('#/imports');
  });

  it('sends a non-administrator who follows an admin link to the map', () => {
    expect(viewForRole('#/admin/users', 'surveyor')).toBe('map');
    expect(viewForRole('#/admin/audit', 'official')).toBe('map');
    expect(viewForRole('#/admin/audit', 'admin')).toBe('audit');
    expect(viewForRole('#/admin/rules', 'admin')).toBe('rules');
    expect(viewForRole('#/admin/rules', 'planner')).toBe('map');
  });

  it('writes the hash of a page', () => {
    expect(hashOf('users')).toBe('#/admin/users');
    expect(hashOf('map')).toBe('#/map');
  });

  it('keeps the map page for a hash with a query', () => {
    expect(viewFromHash('#/map?at=118.1,24.5,12&d=350203')).toBe('map');
    expect(viewFromHash('#/admin/users?x=1')).toBe('users');
  });

  it('writes and reads back the view, district and parcel of a shared map link', () => {
    const link = { centre: [118.123456, 24.5] as [number, number], zoom: 15.256, districtCode: '350203', parcelId: 42 };
    const hash = mapHashOf(link, '350200');
    expect(hash).toBe('#/map?at=118.12346,24.50000,15.26&d=350203&p=42');
    expect(mapLinkFromHash(hash)).toEqual({ centre: [118.12346, 24.5], zoom: 15.26, districtCode: '350203', parcelId: 42 });
    expect(mapHashOf({ centre: null, zoom: null, districtCode: '350200', parcelId: null }, '350200')).toBe('#/map');
  });

  it('ignores what a map link gets wrong, field by field', () => {
    expect(mapLinkFromHash('#/map?at=500,24,12&d=xx&p=-3')).toEqual({ centre: null, zoom: null, districtCode: null, parcelId: null });
    expect(mapLinkFromHash('#/map?d=350206')).toMatchObject({ districtCode: '350206', centre: null });
    expect(mapLinkFromHash('#/areas?p=4')).toMatchObject({ parcelId: null });
  });
});
