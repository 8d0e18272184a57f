import { describe, expect, it } from 'vitest';
import {
  auditActionLabel,
  auditEntityLabel,
  camelCase,
  changeLabel,
  changeRows,
  changeValueText,
  passwordChanged,
} from './change-rows.js';

describe('change rows', () => {
  it('names every audit action in Chinese', () => {
    const codes = ['insert', 'update', 'delete', 'bulk_load', 'login', 'login_failed', 'logout', 'password_change', 'locked'];
    expect(codes.map(auditActionLabel)).toEqual(['新增', '修改', '删除', '批量载入', '登录', '登录失败', '退出', '修改密码', '锁定']);
    expect(auditEntityLabel('parcels')).toBe('地块');
    expect(auditActionLabel('import_commit')).toBe('导入入库');
    expect(auditEntityLabel('survey_layers')).toBe('变更调查图层');
  });

  it('turns database columns into API keys', () => {
    expect(camelCase('planned_function')).toBe('plannedFunction');
    expect(camelCase('registered_area_m2')).toBe('registeredAreaM2');
    expect(camelCase('owner')).toBe('owner');
  });

  it('labels parcel columns as the card does', () => {
    expect(changeLabel('parcels', 'planned_function')).toBe('规划用地功能');
    expect(changeLabel('parcels', 'buildingCoverage')).toBe('建筑密度(建筑系数)');
    expect(changeLabel('users', 'display_name')).toBe('姓名');
    expect(changeLabel('parcels', 'no_such_column')).toBe('no_such_column');
  });

  it('formats parcel values with labels, units and percentages', () => {
    expect(changeValueText('parcels', 'status', 'identified')).toBe('已认定低效');
    expect(changeValueText('parcels', 'redevelopment_intent', 'willing')).toBe('有意愿');
    expect(changeValueText('parcels', 'building_coverage', 0.2624)).toBe('26.24%');
    expect(changeValueText('parcels', 'floor_area_m2', '11368.12')).toBe('11,368.12 m²');
    expect(changeValueText('parcels', 'meets_safety', false)).toBe('否');
    expect(changeValueText('parcels', 'production_start', '2016-04-16')).toBe('2016年4月16日');
    expect(changeValueText('parcels', 'owner', null)).toBe('—');
  });

  it('formats user values: role labels and scope names', () => {
    expect(changeValueText('users', 'role', 'planner')).toBe('规划人员');
    expect(changeValueText('users', 'scopes', ['350206', '350203'])).toBe('350206、350203');
    expect(changeValueText('users', 'disabled', true)).toBe('是');
  });

  it('lists only the columns an update changed, without bookkeeping', () => {
    const before = { id: 381, owner: '甲公司', planned_function: '道路与交通设施用地', updated_at: '2026-11-22T01:00:00Z' };
    const after = { id: 381, owner: '甲公司', planned_function: '新型产业用地', updated_at: '2026-11-22T02:00:00Z' };
    expect(changeRows('parcels', before, after)).toEqual([
      { key: 'planned_function', label: '规划用地功能', before: '道路与交通设施用地', after: '新型产业用地' },
    ]);
  });

  it('lists everything an insert put', () => {
    const rows = changeRows('users', null, { username: 'zhang', role: 'viewer' });
    expect(rows.map((row) => [row.label, row.before, row.after])).toEqual([
      ['用户名', '—', 'zhang'],
      ['角色', '—', '只读用户'],
    ]);
  });

  it('never shows a password hash', () => {
    const before = { username: 'zhang', password_hash: '$argon2id$v=19$old' };
    const after = { username: 'zhang', password_hash: '$argon2id$v=19$new' };
    expect(changeRows('users', before, after)).toEqual([]);
    expect(changeRows('users', null, after).map((row) => row.key)).toEqual(['username']);
    expect(passwordChanged(before, after)).toBe(true);
  });

  it('keeps the server’s flag that a password changed, and the must-change flag', () => {
    const before = { username: 'zhang', must_change_password: true };
    const after = { username: 'zhang', must_change_password: false, password_changed: true };
    expect(changeRows('users', before, after).map((row) => [row.label, row.before, row.after])).toEqual([
      ['须修改密码', '是', '否'],
      ['密码已更改', '—', '是'],
    ]);
  });

  it('hides a password field whatever its spelling', () => {
    expect(changeRows('users', null, { password: 'x', newPassword: 'y', current_password: 'z', token: 't' })).toEqual([]);
  });

  it('compares structured values by content', () => {
    const before = { scopes: ['350206'] };
    expect(changeRows('users', before, { scopes: ['350206'] })).toEqual([]);
    expect(changeRows('users', before, { scopes: ['350206', '350203'] })).toHaveLength(1);
  });
});
