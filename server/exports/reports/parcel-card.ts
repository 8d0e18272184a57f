import path from 'node:path';
import type { ParcelDetail, ParcelHistoryEntry } from '../../../domain/api/parcels.schemas.js';
import { EFFICIENCY_STATUSES, statusLabel } from '../../../domain/efficiency.js';
import { exportFileName } from '../../../domain/exports/export-names.js';
import { EMPTY_VALUE, parcelCardGroups, parcelCardRow, parcelCardTitle } from '../../../domain/parcel-card-rows.js';
import { PARCEL_FIELDS } from '../../../domain/parcel-fields.js';
import { RESTRICTED_PARCEL } from '../../../domain/scope-visibility.js';
import { OutOfScopeError } from '../../auth/scope.js';
import { EXPORT_NOT_FOUND, EXPORT_OUT_OF_SCOPE, type ExportWriter } from '../export-writer.js';
import { html, trustedHtml, type Html } from './html.js';
import { boxOf, grownBox, renderMapSvg, type MapFeature, type MapStyle, type PolygonGeometry } from './map-svg.js';
import { dateTimeText, fieldsTable, legend, reportDocument } from './report-page.js';

export const PARCEL_CARD_TITLE = '一宗一卡';

/** Changes listed on the card, newest first (the count of all is given). */
const HISTORY_ROWS = 40;

const HISTORY_ACTIONS: Readonly<Record<string, string>> = { insert: '新增', update: '修改', delete: '删除', bulk_load: '批量载入' };

const STYLES = {
  neighbour: { fill: '#ffffff', fillOpacity: 0.7, stroke: '#9aa3ad', strokeWidth: 0.8 },
} satisfies Record<string, MapStyle>;

const subjectStyle = (status: string): MapStyle => ({
  fill: EFFICIENCY_STATUSES.find((entry) => entry.code === status)?.color ?? RESTRICTED_PARCEL.fill, fillOpacity: 0.8, stroke: '#c0262d', strokeWidth: 3,
});

/** One change of a field, before → after, in the card's own formatting. */
function changeText(change: ParcelHistoryEntry['changes'][number]): string {
  if (change.key === 'geometry') return '图形修改';
  const field = PARCEL_FIELDS.find((candidate) => candidate.key === change.key);
  if (!field) return `${change.key}：${String(change.before ?? EMPTY_VALUE)} → ${String(change.after ?? EMPTY_VALUE)}`;
  const value = (raw: unknown) => parcelCardRow(field, { [field.key]: raw } as unknown as ParcelDetail).value;
  return `${field.label}：${value(change.before)} → ${value(change.after)}`;
}

function historyTable(history: readonly ParcelHistoryEntry[]): Html {
  if (history.length === 0) return html`<p class="note">没有变更记录。</p>`;
  const shown = history.slice(0, HISTORY_ROWS);
  return html`<table><thead><tr><th style="width:22%">时间</th><th style="width:14%">操作</th><th style="width:16%">操作人</th><th>变更内容</th></tr></thead><tbody>
    ${shown.map((entry) => html`<tr><td>${dateTimeText(entry.at)}</td><td>${HISTORY_ACTIONS[entry.action] ?? entry.action}</td><td>${entry.actor}</td>
      <td>${entry.changes.length > 0 ? entry.changes.map(changeText).join('；') : entry.action === 'insert' ? '建立地块' : entry.action === 'bulk_load' ? '随批量数据载入' : '—'}</td></tr>`)}
  </tbody></table>
  ${history.length > shown.length ? html`<p class="note">共 ${history.length} 条变更记录，此处列出最近 ${shown.length} 条；全部记录见系统“审计日志”。</p>` : ''}`;
}

/**
 * 一宗一卡 (layer `parcel-card`, `filters.parcelId`): every attribute of PARCEL_FIELDS grouped as
 * the card in the client shows them (domain/parcel-card-rows.ts), a map of the parcel and its
 * neighbours, and its change history (parcelsRepository.history). A parcel outside the user's
 * districts is refused, not masked: a card of only its shape would not be a card.
 */
export const parcelCardWriter: ExportWriter = async (job) => {
  const { app, scope } = job;
  const id = job.filters.parcelId;
  if (id === undefined) return { ok: false, reason: EXPORT_NOT_FOUND, message: '请选择要导出的地块 (filters.parcelId)' };
  const parcel = await app.parcelsRepository.find(id);
  if (!parcel) return { ok: false, reason: EXPORT_NOT_FOUND, message: `没有编号为 ${id} 的地块` };
  if (!scope.covers(parcel.districtCode)) {
    return { ok: false, reason: EXPORT_OUT_OF_SCOPE, message: new OutOfScopeError(scope.principal, { code: parcel.districtCode, name: parcel.districtName ?? parcel.districtCode }, '导出', '该地块').message };
  }
  const geometry = parcel.geometry as PolygonGeometry;
  const focus = boxOf([geometry])!;
  const [history, around] = await Promise.all([
    app.parcelsRepository.history(parcel.id),
    app.parcelsRepository.geojsonInBox(grownBox(focus, 1.6), 2000, scope),
  ]);
  job.progress(0.4);

  const neighbours: MapFeature[] = around.features
    .filter((feature) => Number(feature.id ?? feature.properties.id) !== parcel.id)
    .map((feature) => ({ geometry: feature.geometry as PolygonGeometry, label: feature.properties.code }));
  const map = renderMapSvg({
    focus: grownBox(focus, 0.9), widthMm: 180, heightMm: 105,
    layers: [
      { features: neighbours, style: STYLES.neighbour },
      { features: [{ geometry, label: parcel.code }], style: subjectStyle(parcel.status ?? '') },
    ],
  });
  const groups = parcelCardGroups(parcel);

  const body = html`
    <div class="figure">${trustedHtml(map.svg)}
      ${legend([{ label: `本宗地（${parcel.status ? statusLabel(parcel.status) : '—'}）`, style: subjectStyle(parcel.status ?? '') }, { label: '周边地块（注宗地编号）', style: STYLES.neighbour }])}
      <p class="note">按 CGCS2000 经纬度在宗地中心的局部平面上绘制，上方为北；图上比例尺 1:${map.scale.toLocaleString('en-US')}（按 A4 原大打印）。</p></div>
    ${groups.map((group) => html`<div class="group"><h2>${group.title}</h2>${fieldsTable(group.rows)}</div>`)}
    <h2>变更记录<span class="aside">共 ${history.length} 条，最新在前</span></h2>
    ${historyTable(history)}`;

  const document = reportDocument({
    title: PARCEL_CARD_TITLE, subtitle: parcelCardTitle(parcel),
    meta: `${parcel.districtName ?? parcel.districtCode} · 数据更新于 ${dateTimeText(parcel.updatedAt)}（${parcel.updatedBy ?? '—'}） · ${job.actor.displayName}（${job.actor.username}）导出于 ${dateTimeText(new Date())}`,
    body,
  });
  const fileName = exportFileName([PARCEL_CARD_TITLE, parcel.code], job.stamp, '.pdf');
  const file = path.join(job.directory, 'parcel-card.pdf');
  await app.pdfRenderer.render(document, file, { footer: `${PARCEL_CARD_TITLE} · ${parcel.code}`, signal: job.signal });
  job.progress(1);
  return { ok: true, file, fileName, rowCount: 1, crs: null, encoding: null, notes: [] };
};
