import { describe, expect, it } from 'vitest';
import {
  auditActorText,
  auditSubject,
  fileNameOnly,
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
    expect([auditActionLabel('export'), auditEntityLabel('exports')]).toEqual(['导出', '导出']);
    expect([auditActionLabel('split'), auditActionLabel('merge'), auditActionLabel('retired'), auditEntityLabel('parcel_lineage')]).toEqual(['分割', '合并（并宗）', '注销（已分割或合并）', '地块分割/合并']);
    expect(changeLabel('parcel_lineage', 'summary')).toBe('操作');
  });

  it('words an export entry: what, in which format, with which filters, how many rows', () => {
    const names = { district: (code: string) => (code === '350206' ? '湖里区' : undefined) };
    expect(changeLabel('exports', 'rowCount')).toBe('条数');
    expect([changeLabel('exports', 'form'), changeLabel('exports', 'caseNumber')]).toEqual(['打印表单', '认定案卷']);
    expect([auditEntityLabel('parcel_documents'), changeLabel('parcel_documents', 'removal_reason')]).toEqual(['地块档案（一地一档）', '移除原因']);
    expect([changeValueText('parcel_documents', 'category', 'certificate'), changeValueText('parcel_documents', 'media_type', 'application/pdf')]).toEqual(['权属证书', 'PDF']);
    expect(changeValueText('exports', 'layer', 'parcels')).toBe('地块');
    expect(changeValueText('exports', 'format', 'shapefile')).toBe('Shapefile (zip)');
    expect(changeValueText('exports', 'status', 'done')).toBe('已完成');
    expect(changeValueText('exports', 'filters', { district: '350206', status: 'suspected', ids: [1, 2, 3] }, names)).toBe('行政区 湖里区（350206）；效率状态 疑似低效；当前选择 3 宗');
    expect(changeValueText('exports', 'filters', {}, names)).toBe('全部（管辖范围内）');
    expect(changeValueText('exports', 'error', { reason: 'empty_selection', message: '没有符合筛选条件的地块' })).toBe('没有符合筛选条件的地块');
    const failed = { id: 2, at: '2026-12-02T00:00:00Z', actor: 'viewer', actorName: null, action: 'export', entity: 'exports', entityId: 'x', subject: null, requestId: null, before: null, after: { layer: 'parcels', format: 'xlsx', fileName: null } };
    expect(auditSubject(failed)).toBe('地块（Excel (.xlsx)）');
    expect(auditSubject({ ...failed, subject: '厦门市湖里区_地块_20261202.zip' })).toBe('厦门市湖里区_地块_20261202.zip');
  });

  it('turns database columns into API keys', () => {
    expect(camelCase('planned_function')).toBe('plannedFunction');
    expect(camelCase('registered_area_m2')).toBe('registeredAreaM2');
    expect(camelCase('owner')).toBe('owner');
  });

  it('labels parcel columns as the card does', () => {
    expect(changeLabel('parcels', 'planned_function')).toBe('规划用地功能');
    expect(changeLabel('parcels', 'buildingCoverage')).toBe('建筑系数');
    expect(changeLabel('users', 'display_name')).toBe('姓名');
    expect(changeLabel('parcels', 'no_such_column')).toBe('其他字段（no_such_column）');
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

  // Issue 13, item 5: every column and event detail the log records reads as Chinese.
  it('labels every column the triggers and events record, and hides internal ones', () => {
    const recorded: Record<string, string[]> = {
      parcels: ['code', 'district_code', 'owner', 'town_or_park', 'subdistrict_code', 'park_code', 'location', 'contract_no', 'certificate_no', 'registered_area_m2', 'area_m2',
        'land_use_code', 'planned_function', 'undeveloped_area_m2', 'admin_facility_share', 'floor_area_m2', 'floor_area_ratio', 'building_coverage',
        'industry_code', 'investment_intensity', 'output_per_mu', 'tax_per_mu', 'production_start', 'production_stop', 'meets_safety',
        'meets_environment', 'meets_energy', 'status', 'inefficiency_type', 'identified_at', 'redevelopment_intent', 'evaluation_grade', 'geom',
        'created_at', 'updated_at', 'updated_by'],
      districts: ['code', 'name', 'level', 'parent_code', 'geom', 'area_m2', 'updated_at'],
      subdistricts: ['code', 'name', 'kind', 'district_code', 'geom', 'area_m2', 'source', 'updated_at', 'subdistricts', 'fixture'],
      users: ['username', 'display_name', 'role', 'disabled', 'must_change_password', 'created_at', 'updated_at'],
      user_scopes: ['district_code'],
      auth: ['ip', 'failures', 'reason'],
      imports: ['kind', 'inserted', 'updated', 'skipped', 'file'],
      survey_layers: ['year', 'features', 'file'],
      areas: ['version', 'status', 'name', 'areaM2', 'pass', 'ruleSet', 'note', 'deleted'],
      rule_sets: ['version', 'city', 'name', 'rules', 'note', 'createdBy', 'createdAt'],
      tile_cache: ['stored'],
    };
    for (const [entity, keys] of Object.entries(recorded)) {
      for (const key of keys) expect(changeLabel(entity, key), `${entity}.${key}`).toMatch(/^[^a-z_]*$/);
    }
    expect(changeLabel('user_scopes', 'district_code')).toBe('管辖范围（行政区）');
    expect(changeLabel('rule_sets', 'note')).toBe('修订说明');
    // Internal numbers, derived geometry and slugs are not rows of the diff.
    const rows = changeRows('user_scopes', null, { user_id: 7, district_code: '350206' }, { district: (code) => (code === '350206' ? '湖里区' : undefined) });
    expect(rows).toEqual([{ key: 'district_code', label: '管辖范围（行政区）', before: '—', after: '湖里区（350206）' }]);
    expect(changeRows('rule_sets', null, { id: 'xiamen-new-industrial', name: '厦门 新型产业用地' }).map((row) => row.key)).toEqual(['name']);
    expect(changeRows('parcels', { geom_3857: 'a', label_point: 'b', area_m2: 1 }, { geom_3857: 'c', label_point: 'd', area_m2: 2 }).map((row) => row.key)).toEqual(['area_m2']);
    expect(changeRows('survey_layers', null, { layerId: 3, importId: 'uuid', year: 2024, file: '/home/zhang/数据/2024变更.gdb.zip' }).map((row) => [row.label, row.after]))
      .toEqual([['年份', '2024'], ['文件', '2024变更.gdb.zip']]);
  });

  it('words values by code: statuses, rule sets, kinds, reasons, file names', () => {
    const names = { ruleSet: (id: string) => (id === 'xiamen-new-industrial' ? '厦门 新型产业用地 成片改造' : undefined) };
    expect(changeValueText('areas', 'ruleSet', 'xiamen-new-industrial v2', names)).toBe('厦门 新型产业用地 成片改造 第 2 版');
    expect(changeValueText('areas', 'ruleSet', 'unknown-set v1', names)).toBe('规则集 第 1 版');
    expect(changeValueText('areas', 'status', 'submitted')).toBe('报审');
    expect(changeValueText('areas', 'pass', false)).toBe('不通过');
    expect(changeValueText('imports', 'kind', 'survey')).toBe('变更调查图斑');
    expect(changeValueText('auth', 'reason', 'unknown_user')).toBe('用户名不存在');
    expect(changeValueText('imports', 'file', 'C:\\data\\parcels.zip')).toBe('parcels.zip');
    expect(fileNameOnly('/')).toBe('上传文件');
    expect(auditActionLabel('something_new')).toBe('其他操作（something_new）');
  });

  it('names the actor and the subject as people do', () => {
    expect(auditActorText({ actor: 'admin', actorName: '系统管理员' })).toBe('系统管理员');
    expect(auditActorText({ actor: 'seed', actorName: null })).toBe('系统（初始数据）');
    const entry = { id: 1, at: '2026-12-01T00:00:00Z', actor: 'admin', actorName: null, action: 'import_commit', entity: 'survey_layers', entityId: '4', subject: null, requestId: null, before: null, after: { year: 2024 } };
    expect(auditSubject(entry)).toBe('2024 年地类图斑');
    expect(auditSubject({ ...entry, entity: 'parcels', subject: '350206-00012' })).toBe('350206-00012');
    expect(auditSubject({ ...entry, entity: 'auth', action: 'login_failed', entityId: 'nobody', after: {} })).toBe('nobody（无此账号）');
  });
});
