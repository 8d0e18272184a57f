import { PARCEL_IMPORT_FIELDS, SURVEY_FIELDS, type FieldTarget, type ImportKind } from '@domain/import/field-mapping.js';
import { formatNumber } from '@domain/units.js';
import type { ImportCommitResult, ImportEncoding, ImportFeatureStatus, ImportPhase, ImportReport, ImportState, ImportStatus, ParcelCommitResult, SurveyCommitResult } from './imports.api.js';

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info';

export const IMPORT_KINDS: readonly { kind: ImportKind; label: string; description: string }[] = [
  { kind: 'survey', label: '变更调查', description: '年度国土变更调查地类图斑 (DLTB)，按年份整层入库' },
  { kind: 'parcels', label: '地块', description: '低效用地地块或红线，按宗地编号新增或更新' },
];

export function importKindLabel(kind: string): string {
  return IMPORT_KINDS.find((entry) => entry.kind === kind)?.label ?? kind;
}

/**
 * The steps an import goes through, as the progress bar names them. The server's `done` is not a
 * step of its own: an import is done when it is committed.
 */
export const IMPORT_STEPS: readonly { phase: Exclude<ImportPhase, 'done'>; label: string }[] = [
  { phase: 'upload', label: '上传' },
  { phase: 'read', label: '读取' },
  { phase: 'validate', label: '检查' },
  { phase: 'commit', label: '提交' },
];

export function phaseLabel(phase: ImportPhase): string {
  if (phase === 'done') return '完成';
  return IMPORT_STEPS.find((step) => step.phase === phase)?.label ?? phase;
}

/** Index of the phase in IMPORT_STEPS (the `done` phase is past the last step). */
export function phaseStep(phase: ImportPhase): number {
  if (phase === 'done') return IMPORT_STEPS.length;
  return Math.max(0, IMPORT_STEPS.findIndex((step) => step.phase === phase));
}

const STATUSES: Readonly<Record<ImportStatus, { label: string; tag: TagType }>> = {
  processing: { label: '处理中', tag: 'primary' },
  'needs-input': { label: '待确认', tag: 'warning' },
  ready: { label: '待提交', tag: 'primary' },
  committing: { label: '提交中', tag: 'primary' },
  committed: { label: '已入库', tag: 'success' },
  failed: { label: '失败', tag: 'danger' },
  refused: { label: '无法导入', tag: 'danger' },
  cancelled: { label: '已取消', tag: 'info' },
};

export function importStatusLabel(status: string): string {
  return STATUSES[status as ImportStatus]?.label ?? status;
}

export function importStatusTag(status: string): TagType {
  return STATUSES[status as ImportStatus]?.tag ?? 'info';
}

/** The colours the preview map, the report cards and the problem table share. */
export const FEATURE_STATUSES: readonly { status: ImportFeatureStatus; label: string; color: string }[] = [
  { status: 'valid', label: '有效', color: '#4caf50' },
  { status: 'repaired', label: '已修复', color: '#f2b134' },
  { status: 'rejected', label: '已拒绝', color: '#d94841' },
];

export function featureStatusLabel(status: string | null | undefined): string {
  return FEATURE_STATUSES.find((entry) => entry.status === status)?.label ?? '已拒绝';
}

export function featureStatusColor(status: string | null | undefined): string {
  return FEATURE_STATUSES.find((entry) => entry.status === status)?.color ?? FEATURE_STATUSES[2].color;
}

const CRS_SOURCES: Readonly<Record<string, string>> = {
  prj: '.prj 文件',
  gdb: '数据库内的坐标系定义',
  geojson: 'GeoJSON 文件',
  coordinates: '根据坐标推测',
  user: '用户指定',
  butiao: '部标文件',
};

export function crsSourceLabel(source: string): string {
  return CRS_SOURCES[source] ?? source;
}

/** '.prj 文件：坐标系名称「…」', '部标文件头：2000国家大地坐标系 3度带 带号 40': where the CRS came from, and why. */
export function crsSourceText(crs: { source: string; reason: string }): string {
  if (crs.source === 'butiao') return `部标${crs.reason.startsWith('文件头') ? crs.reason : `文件：${crs.reason}`}`;
  return `${crsSourceLabel(crs.source)}：${crs.reason}`;
}

const ENCODING_SOURCES: Readonly<Record<string, string>> = {
  cpg: '.cpg 文件',
  ldid: 'DBF 语言驱动标记',
  bytes: '根据文字内容判断',
  default: '默认',
  user: '用户指定',
};

export function encodingSourceLabel(source: string): string {
  return ENCODING_SOURCES[source] ?? source;
}

/** Encodings a surveyor may pick; GBK first, since 变更调查 DBF files are GBK almost always. */
export const ENCODING_CHOICES: readonly { encoding: ImportEncoding; label: string }[] = [
  { encoding: 'gbk', label: 'GBK' },
  { encoding: 'utf-8', label: 'UTF-8' },
  { encoding: 'gb18030', label: 'GB18030' },
  { encoding: 'big5', label: 'Big5' },
];

const ENCODING_NAMES: Readonly<Record<ImportEncoding, string>> = {
  gbk: 'GBK',
  'utf-8': 'UTF-8',
  gb18030: 'GB18030',
  big5: 'Big5',
  'windows-1252': 'Windows-1252',
  shift_jis: 'Shift_JIS',
  'euc-kr': 'EUC-KR',
  ibm866: 'IBM866',
  'iso-8859-1': 'ISO-8859-1',
};

/** The encoding if the server takes it as an answer (IMPORT_ENCODINGS), else null. */
export function importEncoding(encoding: string | null | undefined): ImportEncoding | null {
  return encoding && Object.hasOwn(ENCODING_NAMES, encoding) ? encoding as ImportEncoding : null;
}

export function encodingLabel(encoding: string | null | undefined): string {
  if (!encoding) return '—';
  const known = importEncoding(encoding);
  return known ? ENCODING_NAMES[known] : encoding;
}

/** '2.4 KB', '18.6 MB': the size a surveyor recognises from the file manager. */
export function formatFileSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** The targets of the field mapping editor for a kind of import. */
export function mappingTargets(kind: ImportKind): readonly FieldTarget[] {
  return kind === 'survey' ? SURVEY_FIELDS : PARCEL_IMPORT_FIELDS;
}

/** '图斑面积 (m²)': a target as a column heading names it (the field code is already beside it). */
export function mappingTargetName(kind: ImportKind, key: string): string {
  const target = mappingTargets(kind).find((candidate) => candidate.key === key);
  if (!target) return key;
  return target.unit ? `${target.label} (${target.unit})` : target.label;
}

/** '土地面积 (m²)', 'TBMJ 图斑面积 (m²)' for survey fields, whose national code is what surveyors know. */
export function mappingTargetLabel(kind: ImportKind, key: string): string {
  const target = mappingTargets(kind).find((candidate) => candidate.key === key);
  if (!target) return key;
  const code = kind === 'survey' ? SURVEY_FIELDS.find((field) => field.key === key)?.source : undefined;
  const unit = target.unit ? ` (${target.unit})` : '';
  return `${code ? `${code} ` : ''}${target.label}${unit}`;
}

/** The extent warning of the preview: how many features lie outside the importer's 管辖范围 and the city; null when none. */
export function extentWarningTitle(extent: NonNullable<ImportReport['extent']>): string | null {
  if (extent.partly + extent.outside === 0) return null;
  const city = extent.outsideCity > 0 ? `，其中 ${formatNumber(extent.outsideCity, 0)} 个在${extent.city}以外` : '';
  const partly = extent.partly > 0 ? `，${formatNumber(extent.partly, 0)} 个部分在外` : '';
  return `${formatNumber(extent.checked, 0)} 个要素中 ${formatNumber(extent.outside, 0)} 个不在您的管辖范围（${extent.scope}）内${city}${partly}`;
}

/** Whether a commit wrote nothing at all (a parcel commit that inserted and updated none). */
export function wroteNothing(result: ImportCommitResult): boolean {
  return result.kind === 'parcels' ? result.inserted + result.updated === 0 : result.features === 0;
}

/** Why a commit wrote nothing, from its result. */
export function nothingWrittenReason(result: ImportCommitResult): string {
  if (result.kind !== 'parcels') return '没有可写入的图斑。';
  const left = result.outside ? `${formatNumber(result.outside.left, 0)} 宗位于管辖范围外已跳过；` : '';
  const first = result.problems[0]?.message;
  return `${formatNumber(result.skipped, 0)} 宗全部跳过：${left}${first ? `例如：${first}` : '不在您的管辖范围内，或宗地编号属于其他区的地块。'}`;
}

/** The features the commit writes: valid and repaired ones; rejected ones stay behind. */
export function committableCount(report: Pick<ImportReport, 'valid' | 'repaired'>): number {
  return report.valid + report.repaired;
}

/**
 * What 提交入库 is about to do, in the words of the confirmation dialog. A survey year replaces the
 * layer of that year (the old one is kept, not deleted); parcels are matched by 宗地编号.
 */
export function commitConsequence(state: Pick<ImportState, 'kind' | 'year' | 'report'>, year: number | null = state.year): string {
  const count = committableCount(state.report);
  const extent = state.report.extent;
  const outside = extent && extent.partly + extent.outside > 0 ? `（其中 ${extent.partly + extent.outside} 个在管辖范围外，按下方的选择裁剪或跳过）` : '';
  const rejected = state.report.rejected > 0 ? `；${state.report.rejected} 个已拒绝的要素不入库` : '';
  if (state.kind === 'survey') {
    const layer = year
      ? `将作为 ${year} 年变更调查图层入库，替换现有 ${year} 年图层（旧图层保留备查）`
      : state.report.yearNeeded
        ? '数据中没有 SJNF 字段，请先在“调查年份”中填写年份'
        : '将作为变更调查图层入库，年份取数据中的 SJNF 字段；同年已有的图层将被替换（旧图层保留备查）';
    return `${layer}。共写入 ${count} 个图斑${outside}${rejected}。`;
  }
  return `将把 ${count} 宗地块${outside}写入地块库：宗地编号已存在的更新其图形与属性，其余新增为“疑似低效”；`
    + `不在您管辖范围内的地块跳过${rejected}。每一处修改都记入历史，可在审计日志中查看。`;
}

function isSurveyResult(result: ImportCommitResult): result is SurveyCommitResult {
  return result.kind === 'survey';
}

/** The commit's outcome, as a sentence for the success page. */
export function commitResultText(result: ImportCommitResult): string {
  if (isSurveyResult(result)) {
    const replaced = result.supersededLayerId !== null
      ? `，原 ${result.year} 年图层（编号 ${result.supersededLayerId}）已被替换并保留备查`
      : '';
    return `${result.year} 年变更调查图层已入库（图层编号 ${result.layerId}），共 ${formatNumber(result.features, 0)} 个图斑${replaced}。`;
  }
  const parcels: ParcelCommitResult = result;
  const parts = [`新增 ${formatNumber(parcels.inserted, 0)} 宗`, `更新 ${formatNumber(parcels.updated, 0)} 宗`];
  if (parcels.skipped > 0) parts.push(`跳过 ${formatNumber(parcels.skipped, 0)} 宗（不在管辖范围内）`);
  const problems = parcels.problems.length > 0 ? `；${parcels.problems.length} 处属性未能写入，见下表` : '';
  return `地块已入库：${parts.join('，')}${problems}。`;
}

/** What to do after a refusal, beyond the server's own message (which says what is wrong). */
const REMEDIES: Readonly<Record<string, string>> = {
  bad_archive: '请确认文件是完整的 .zip 压缩包（可在本机解压试试），重新压缩后再上传。',
  zip_bomb: '压缩包解压后过大。请只打包需要导入的图层后再上传。',
  path_traversal: '压缩包内的路径不安全。请在本机解压后重新压缩再上传。',
  nested_archive: '压缩包里还有压缩包。请先解开内层压缩包，再整体压缩上传。',
  too_large: '请只打包需要导入的图层，或按区县拆分后分批上传。',
  no_layers: '请确认压缩包中有完整的 Shapefile（.shp、.shx、.dbf、.prj 同名）、.gdb 文件夹或 .gpkg 文件。',
  bad_geopackage: '请在 QGIS 或 ArcGIS Pro 中重新导出 GeoPackage（.gpkg），确认文件完整后再上传。',
  not_a_shapefile: '请确认压缩包中有完整的 Shapefile（.shp、.shx、.dbf、.prj 同名）。',
  unsupported_crs: '请在 ArcGIS、QGIS 等软件中将数据转换为 CGCS2000 坐标系后重新导出，再上传。',
  unreadable: '文件可能已损坏。请在原软件中重新导出后再上传。',
  no_polygons: '只能导入面图层（地类图斑、宗地、红线）。请检查是否选错了图层。',
  bad_text_file: '请确认文件是部标格式的坐标文本（[属性描述] 与 [地块坐标] 两节）。',
  empty_file: '请重新选择文件后上传。',
  internal: '请稍后重试；如仍失败，请把导入编号告知系统管理员。',
};

export function refusalRemedy(reason: string | null | undefined): string {
  return (reason && REMEDIES[reason]) || '请检查文件后重新上传。';
}

/** 'dltb-2023/2023年变更调查/DLTB.SHP' → 'DLTB.SHP': the layer as the surveyor named it. */
export function layerShortName(name: string): string {
  const parts = name.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? name;
}

/** 'dltb-2023/2023年变更调查/DLTB.SHP' → 'dltb-2023/2023年变更调查': where in the upload it was found. */
export function layerFolder(name: string): string {
  const parts = name.split('/').filter(Boolean);
  return parts.slice(0, -1).join('/');
}
