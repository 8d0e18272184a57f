import { describe, expect, it } from 'vitest';
import { hashOf, viewForRole, viewFromHash, viewsFor } from './view-route.js';

describe('view route', () => {
  it('reads the page from the hash', () => {
    expect(viewFromHash('#/map')).toBe('map');
    expect(viewFromHash('#/admin/users')).toBe('users');
    expect(viewFromHash('#/admin/audit/')).toBe('audit');
  });

  it('opens the map for an empty or unknown hash', () => {
    expect(viewFromHash('')).toBe('map');
    expect(viewFromHash('#')).toBe('map');
    expect(viewFromHash('#/nowhere')).toBe('map');
  });

  it('lists the administration pages for administrators only', () => {
    expect(viewsFor('admin').map((entry) => entry.label)).toEqual(['地图', '用户管理', '审计日志']);
    expect(viewsFor('planner').map((entry) => entry.view)).toEqual(['map']);
    expect(viewsFor('viewer').map((entry) => entry.view)).toEqual(['map']);
  });

  it('sends a non-administrator who follows an admin link to the map', () => {
    expect(viewForRole('#/admin/users', 'surveyor')).toBe('map');
    expect(viewForRole('#/admin/audit', 'official')).toBe('map');
    expect(viewForRole('#/admin/audit', 'admin')).toBe('audit');
  });

  it('writes the hash of a page', () => {
    expect(hashOf('users')).toBe('#/admin/users');
    expect(hashOf('map')).toBe('#/map');
  });
});
