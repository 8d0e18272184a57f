import { inefficiencyTypeLabel, redevelopmentIntentLabel, statusLabel } from '@domain/efficiency.js';
import { PARCEL_FIELDS } from '@domain/parcel-fields.js';
import { roleLabel } from '@domain/permissions.js';
import { areaStatusLabel } from '@domain/redevelopment-areas.js';
import { exportFormatOf, exportLayerOf } from '@domain/exports/export-kinds.js';
import { documentCategoryLabel, documentMediaTypeOf } from '@domain/documents.js';
import { EXPORT_FILTER_LABELS, type ExportFilterKey } from '@domain/exports/export-request.validation.js';
import type { AuditEntry } from './audit.api.js';
import type { ParcelDetail } from '../parcels/parcels.api.js';
import { EMPTY_VALUE, formatDate, parcelCardRow } from '@domain/parcel-card-rows.js';

/** Audit actions in the words of the log's readers. */
export const AUDIT_ACTIONS = [
  { code: 'insert', label: '新增' },
  { code: 'update', label: '修改' },
  { code: 'delete', label: '删除' },
  { code: 'bulk_load', label: '批量载入' },
  { code: 'login', label: '登录' },
  { code: 'login_failed', label: '登录失败' },
  { code: 'logout', label: '退出' },
  { code: 'password_change', label: '修改密码' },
  { code: 'locked', label: '锁定' },
  { code: 'import_commit', label: '导入入库' },
  { code: 'clear', label: '清空' },
  { code: 'status', label: '状态变更' },
  { code: 'restore', label: '恢复版本' },
  { code: 'supersede', label: '替换' },
  { code: 'export', label: '导出' },
  { code: 'split', label: '分割' },
  { code: 'merge', label: '合并（并宗）' },
  { code: 'retired', label: '注销（已分割或合并）' },
  { code: 'bulk_edit', label: '批量修改' },
] as const;

export const AUDIT_ENTITIES = [
  { code: 'parcels', label: '地块' },
  { code: 'districts', label: '行政区' },
  { code: 'subdistricts', label: '街道/园区' },
  { code: 'users', label: '用户' },
  { code: 'user_scopes', label: '用户管辖范围' },
  { code: 'user_units', label: '用户管辖园区/街道' },
  { code: 'enterprise_parcels', label: '用地单位的宗地' },
  { code: 'auth', label: '登录会话' },
  { code: 'imports', label: '数据导入' },
  { code: 'survey_layers', label: '变更调查图层' },
  { code: 'rule_sets', label: '规则集' },
  { code: 'areas', label: '成片改造区域' },
  { code: 'tile_cache', label: '瓦片缓存' },
  { code: 'exports', label: '导出' },
  { code: 'parcel_documents', label: '地块档案（一地一档）' },
  { code: 'parcel_lineage', label: '地块分割/合并' },
  { code: 'report_submissions', label: '汇总表报送' },
  { code: 'zhaoshang_listings', label: '招商地块' },
  { code: 'zhaoshang_listing_versions', label: '招商地块版本' },
  { code: 'zhaoshang_inquiries', label: '投资意向' },
] as const;

/** An action or record kind the client does not know yet (added on the server first) still reads as Chinese. */
export function auditActionLabel(code: string): string {
  return AUDIT_ACTIONS.find((action) => action.code === code)?.label ?? `其他操作（${code}）`;
}

export function auditEntityLabel(code: string): string {
  return AUDIT_ENTITIES.find((entity) => entity.code === code)?.label ?? `其他记录（${code}）`;
}

/**
 * Names the log's values refer to by code: districts (管辖范围, 所在行政区), rule sets (a 成片改造区域's
 * 规则集), accounts (a scope row's user). The page fills them from the API; a missing name leaves
 * the code.
 */
export interface AuditNames {
  district?(code: string): string | undefined;
  ruleSet?(id: string): string | undefined;
  user?(id: string): string | undefined;
}

/** A path as its last part: the log shows which file, never where it lay on someone's disk. */
export function fileNameOnly(value: string): string {
  const name = value.split(/[\\/]/).pop()?.trim();
  return name || '上传文件';
}

/**
 * What an entry is about, for the 对象 column: the server's name for it (宗地编号, district, area or
 * rule set name, an account's 姓名), else words from the entry itself.
 */
export function auditSubject(entry: AuditEntry): string {
  if (entry.subject) return entry.subject;
  const row = (entry.after ?? entry.before ?? {}) as Record<string, unknown>;
  switch (entry.entity) {
    case 'survey_layers':
      return row.year ? `${String(row.year)} 年地类图斑` : '变更调查图层';
    case 'imports':
      return typeof row.file === 'string' ? fileNameOnly(row.file) : '上传文件';
    case 'tile_cache':
      return '全部瓦片缓存';
    case 'exports':
      return typeof row.fileName === 'string' ? row.fileName : `${exportLayerOf(String(row.layer))?.label ?? '数据'}（${exportFormatOf(String(row.format))?.label ?? '文件'}）`;
    case 'parcels':
      if (entry.action === 'bulk_edit') return `${Number(row.count ?? 0)} 宗地块的“${String(row.label ?? row.field ?? '')}”`;
      return entry.action === 'bulk_load' ? '全部地块' : EMPTY_VALUE;
    case 'auth':
      return entry.entityId && !/^[0-9]+$/.test(entry.entityId) ? `${entry.entityId}（无此账号）` : EMPTY_VALUE;
    default:
      return EMPTY_VALUE;
  }
}

/** The actor as people know them: the 姓名, or words for the system's own writes. */
export function auditActorText(entry: Pick<AuditEntry, 'actor' | 'actorName'>): string {
  if (entry.actorName) return entry.actorName;
  if (!entry.actor || entry.actor === 'system') return '系统';
  if (entry.actor === 'seed') return '系统（初始数据）';
  return entry.actor;
}

/** 'display_name' → 'displayName': the log holds database rows, the labels are keyed like the API. */
export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** Column labels of the records that are not parcels (parcels take theirs from PARCEL_FIELDS). */
const COMMON_LABELS: Readonly<Record<string, string>> = {
  id: '标识',
  geometry: '图形',
  geom: '图形',
  createdAt: '创建时间',
  updatedAt: '更新时间',
  updatedBy: '更新人',
  username: '用户名',
  displayName: '姓名',
  role: '角色',
  scopes: '管辖范围',
  disabled: '已停用',
  lockedUntil: '锁定至',
  lastLoginAt: '最近登录',
  failedLogins: '连续登录失败次数',
  failedLoginCount: '连续登录失败次数',
  mustChangePassword: '须修改密码',
  passwordChanged: '密码已更改',
  name: '名称',
  level: '级别',
  parentCode: '上级代码',
  areaM2: '面积',
  ip: 'IP 地址',
  userAgent: '浏览器',
  reason: '原因',
  userId: '用户标识',
  parcels: '地块数',
  seed: '随机种子',
  generator: '生成程序',
  source: '数据来源',
  count: '数量',
  year: '年份',
  features: '图斑数',
  layerId: '图层编号',
  importId: '导入编号',
  file: '文件',
  inserted: '新增',
  updated: '更新',
  skipped: '跳过',
  note: '说明',
  districtCode: '行政区',
  code: '代码',
  version: '版本',
  status: '状态',
  pass: '校验结果',
  ruleSet: '规则集',
  deleted: '已删除',
  city: '城市',
  rules: '规则',
  createdBy: '修订人',
  kind: '导入类型',
  failures: '连续失败次数',
  stored: '缓存瓦片数',
  address: 'IP 地址',
};

/** Per-record labels where the common word would mislead. */
const ENTITY_LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  user_scopes: { districtCode: '管辖范围（行政区）', userId: '用户' },
  user_units: { subdistrictCode: '管辖范围（园区/街道/镇）', userId: '用户' },
  enterprise_parcels: { parcelId: '宗地标识', userId: '用户', grantedBy: '关联人', grantedAt: '关联时间' },
  users: { department: '所属部门' },
  rule_sets: { note: '修订说明', name: '规则集名称' },
  areas: { note: '说明', areaM2: '面积' },
  districts: { name: '行政区名称', code: '行政区划代码' },
  subdistricts: { name: '街道/园区名称', code: '街道/园区代码', kind: '类别（街道/镇/园区）', source: '界线来源', subdistricts: '街道/镇数', fixture: '数据文件' },
  parcel_lineage: { summary: '操作', parcels: '地块', note: '说明', wholeM2: '原地块椭球面积 (m²)', sumM2: '各地块椭球面积之和 (m²)', differences: '不一致的属性（取主宗地的值）' },
  exports: {
    status: '结果', layer: '导出内容', format: '格式', filters: '筛选条件', crs: '坐标系', encoding: '字符编码', rowCount: '条数', fileName: '文件名', error: '原因',
    form: '打印表单', caseNumber: '认定案卷', submissionId: '调查表（附件1）编号',
  },
  report_submissions: {
    reportCode: '报表', districtCode: '区县', period: '报告期', periodStart: '报告期起', periodEnd: '报告期止', dueDate: '报送期限', status: '状态',
    supersededBy: '被取代于（报送记录）', submittedBy: '报送人', submittedByName: '报送人姓名', submittedRole: '报送人角色', submittedAt: '报送时间',
    onTime: '按期', recipients: '报送至', fileName: '文件名', mediaType: '文件类型', byteSize: '大小（字节）', sha256: 'SHA-256 校验和',
    rowCount: '宗数', summary: '合计', note: '说明',
  },
  parcel_documents: {
    parcelId: '地块标识', category: '档案类别', note: '说明', fileName: '文件名', mediaType: '文件类型', byteSize: '大小（字节）', sha256: 'SHA-256 校验和',
    takenAt: '拍摄时间', position: '拍摄位置', exif: 'EXIF', uploadedBy: '上传人', uploadedAt: '上传时间', removedBy: '移除人', removedAt: '移除时间', removalReason: '移除原因',
  },
};

/**
 * Columns the log keeps that mean nothing to its readers: internal numbers (the subject names the
 * record), geometry the database derives from the shape, a rule set's slug, an import's id.
 */
const HIDDEN_KEYS: Readonly<Record<string, readonly string[]>> = {
  '*': ['id', 'geom3857', 'labelPoint'],
  user_scopes: ['userId'],
  user_units: ['userId'],
  enterprise_parcels: ['userId'],
  survey_layers: ['layerId', 'importId'],
};

function hiddenKey(entity: string, key: string): boolean {
  const name = camelCase(key);
  return HIDDEN_KEYS['*'].includes(name) || (HIDDEN_KEYS[entity]?.includes(name) ?? false);
}

/**
 * Keys the log must never show even if a row carries them: password hashes, a password itself,
 * anything named like a secret. The server leaves them out; this is a second lock. (The server's
 * own `password_changed` flag says only that it changed, and stays visible.)
 */
export function isSecretKey(key: string): boolean {
  return /hash|secret|token|salt/i.test(key) || /^(new_?|current_?)?password$/i.test(key);
}

export function changeLabel(entity: string, key: string): string {
  const name = camelCase(key);
  if (entity === 'parcels') {
    const field = PARCEL_FIELDS.find((candidate) => candidate.key === name);
    if (field) return field.label;
  }
  return ENTITY_LABELS[entity]?.[name] ?? COMMON_LABELS[name] ?? `其他字段（${key}）`;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/** ISO time → 'YYYY-MM-DD HH:mm:ss' in the browser's time zone (the officials' local time). */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return EMPTY_VALUE;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const pad = (number: number) => String(number).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

const IMPORT_KINDS: Readonly<Record<string, string>> = { parcels: '地块', survey: '变更调查图斑' };
const DISTRICT_LEVELS: Readonly<Record<string, string>> = { province: '省', city: '市', district: '区县', town: '乡镇街道' };
const AUTH_REASONS: Readonly<Record<string, string>> = { unknown_user: '用户名不存在' };
const EXPORT_OUTCOMES: Readonly<Record<string, string>> = { done: '已完成', failed: '失败', cancelled: '已取消', expired: '文件已过期' };

/** 'xiamen-new-industrial v2' (an area's rule set) → '厦门 新型产业用地 成片改造 第 2 版'. */
function ruleSetText(value: string, names: AuditNames): string {
  const match = /^(.+) v(\d+)$/.exec(value);
  const id = match ? match[1] : value;
  const name = names.ruleSet?.(id) ?? '规则集';
  return match ? `${name} 第 ${match[2]} 版` : name;
}

/** An export's filters in words: 行政区 湖里区（350206）；效率状态 疑似低效 … */
function exportFiltersText(filters: Record<string, unknown>, names: AuditNames): string {
  const parts = Object.entries(filters).filter(([, value]) => value !== null && value !== undefined).map(([key, value]) => {
    const label = EXPORT_FILTER_LABELS[key as ExportFilterKey] ?? key;
    if (key === 'district') return `${label} ${namedText('exports', 'districtCode', value, names) ?? String(value)}`;
    if (key === 'status') return `${label} ${statusLabel(String(value))}`;
    if (key === 'type') return `${label} ${inefficiencyTypeLabel(String(value))}`;
    if (key === 'ids' && Array.isArray(value)) return `${label} ${value.length} 宗`;
    if (key === 'bbox' && Array.isArray(value)) return `${label} ${value.map((number) => Number(number).toFixed(4)).join(', ')}`;
    return `${label} ${String(value)}`;
  });
  return parts.join('；') || '全部（管辖范围内）';
}

function namedText(entity: string, key: string, value: unknown, names: AuditNames): string | null {
  if (entity === 'exports' && key === 'filters' && value && typeof value === 'object' && !Array.isArray(value)) return exportFiltersText(value as Record<string, unknown>, names);
  if (entity === 'exports' && key === 'error' && value && typeof value === 'object' && 'message' in value) return String(value.message);
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value);
  if (key === 'districtCode' || (entity === 'districts' && key === 'parentCode')) {
    const name = names.district?.(text);
    return name ? `${name}（${text}）` : text;
  }
  if (key === 'userId') return names.user?.(text) ?? text;
  if (key === 'file') return fileNameOnly(text);
  if (key === 'ruleSet') return ruleSetText(text, names);
  if (entity === 'areas' && key === 'status') return areaStatusLabel(text);
  if (entity === 'areas' && key === 'areaM2' && Number.isFinite(Number(value))) {
    return `${Number(value).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} m²`;
  }
  if (entity === 'imports' && key === 'kind') return IMPORT_KINDS[text] ?? text;
  if (entity === 'districts' && key === 'level') return DISTRICT_LEVELS[text] ?? text;
  if (entity === 'exports' && key === 'layer') return exportLayerOf(text)?.label ?? text;
  if (entity === 'exports' && key === 'format') return exportFormatOf(text)?.label ?? text;
  if (entity === 'exports' && key === 'status') return EXPORT_OUTCOMES[text] ?? text;
  if (entity === 'parcel_documents' && key === 'category') return documentCategoryLabel(text);
  if (entity === 'parcel_documents' && key === 'mediaType') return documentMediaTypeOf(text)?.label ?? text;
  if (entity === 'auth' && key === 'reason') return AUTH_REASONS[text] ?? text;
  if (key === 'version' && /^[0-9]+$/.test(text)) return `第 ${text} 版`;
  return null;
}

function genericText(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return EMPTY_VALUE;
  if (key === 'pass' && typeof value === 'boolean') return value ? '通过' : '不通过';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (key === 'role' && typeof value === 'string') return roleLabel(value);
  if (key === 'geometry' || key === 'geom') return '（图形数据）';
  if (Array.isArray(value)) {
    return value.map((item) => (item && typeof item === 'object' && 'name' in item ? String(item.name) : String(item))).join('、') || EMPTY_VALUE;
  }
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'string' && TIMESTAMP.test(value)) return formatDateTime(value);
  return String(value);
}

/**
 * A logged value as the card would show it: labels for codes, units, percentages for fractions.
 * The log keeps database values (numerics may arrive as strings), so numbers are read leniently.
 */
export function changeValueText(entity: string, key: string, value: unknown, names: AuditNames = {}): string {
  const name = camelCase(key);
  if (value === null || value === undefined || value === '') return EMPTY_VALUE;
  const named = namedText(entity, name, value, names);
  if (named !== null) return named;
  if (entity !== 'parcels') return genericText(name, value);
  if (name === 'status' && typeof value === 'string') return statusLabel(value);
  if (name === 'inefficiencyType' && typeof value === 'string') return inefficiencyTypeLabel(value);
  if (name === 'redevelopmentIntent' && typeof value === 'string') return redevelopmentIntentLabel(value);
  const field = PARCEL_FIELDS.find((candidate) => candidate.key === name);
  if (!field) return genericText(name, value);
  let typed: unknown = value;
  if ((field.kind === 'number' || field.kind === 'fraction') && typeof value === 'string' && value.trim() !== '') typed = Number(value);
  if (field.kind === 'date' && typeof value === 'string') return formatDate(value);
  const row = parcelCardRow(field, { [field.key]: typed } as unknown as ParcelDetail);
  return row.value;
}

export interface ChangeRow {
  key: string;
  label: string;
  before: string;
  after: string;
}

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left ?? null) === JSON.stringify(right ?? null);
}

/**
 * The keys a logged change touched, before → after. An insert lists what was put, a delete what
 * was removed, an update only what differs; bookkeeping columns and secrets are left out.
 */
export function changeRows(entity: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null, names: AuditNames = {}): ChangeRow[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const bookkeeping = before && after ? new Set(['updated_at', 'updatedAt']) : new Set<string>();
  return keys
    .filter((key) => !isSecretKey(key) && !bookkeeping.has(key) && !hiddenKey(entity, key))
    .filter((key) => !(before && after) || !sameJson(before[key], after[key]))
    .map((key) => ({
      key,
      label: changeLabel(entity, key),
      before: before ? changeValueText(entity, key, before[key], names) : EMPTY_VALUE,
      after: after ? changeValueText(entity, key, after[key], names) : EMPTY_VALUE,
    }));
}

/** Whether an audit entry has anything to expand into. */
export function hasChanges(entry: AuditEntry): boolean {
  return changeRows(entry.entity, entry.before, entry.after).length > 0;
}

/**
 * True when a hidden password column (its hash) changed: with nothing else changed the diff would
 * be empty, so the log says so in words instead.
 */
export function passwordChanged(before: Record<string, unknown> | null, after: Record<string, unknown> | null): boolean {
  if (!before || !after) return false;
  return Object.keys({ ...before, ...after }).some(
    (key) => isSecretKey(key) && /password/i.test(key) && !sameJson(before[key], after[key]),
  );
}
