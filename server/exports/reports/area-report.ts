import path from 'node:path';
import type { AreaDetail } from '../../../domain/api/areas.schemas.js';
import type { CheckAnswer, CheckResult } from '../../../domain/api/checks.schemas.js';
import type { ParcelFeatureCollection } from '../../../domain/api/parcels.schemas.js';
import { EFFICIENCY_STATUSES, statusLabel } from '../../../domain/efficiency.js';
import { exportFileName } from '../../../domain/exports/export-names.js';
import {
  MARKED_LAND_COLOURS, areaKindLabel, areaStatusLabel, redevelopmentModeLabel, reviewActionLabel,
} from '../../../domain/redevelopment-areas.js';
import { formatLimit, measureLabel, unitOf } from '../../../domain/rules/rule-format.js';
import { FIGURE_LABELS, overallPass } from '../../../domain/rules/rules.js';
import { RESTRICTED_PARCEL } from '../../../domain/scope-visibility.js';
import { areaInUnits, formatNumber } from '../../../domain/units.js';
import { OutOfScopeError } from '../../auth/scope.js';
import { areaDetail } from '../../redevelopment-areas/area-detail.js';
import { EXPORT_NOT_FOUND, EXPORT_OUT_OF_SCOPE, type ExportWriter } from '../export-writer.js';
import { html, trustedHtml, type Html } from './html.js';
import { boxOf, grownBox, renderMapSvg, type MapFeature, type MapStyle, type PolygonGeometry } from './map-svg.js';
import { dateTimeText, fieldsTable, legend, reportDocument, type LegendEntry } from './report-page.js';

export const AREA_REPORT_TITLE = '成片改造区域校验报告';

/** Parcels drawn on an area's map at most (a larger area's map shows the first ones; the tables list every taken parcel). */
const MAP_PARCELS = 3000;
const MAP_TRUNCATED = `区域周边地块超过 ${MAP_PARCELS} 宗，图中只画出其中 ${MAP_PARCELS} 宗；纳入地块以“纳入地块”表为准。`;

/** Map styles of the report (the zones in the page's colours, MARKED_LAND_COLOURS). */
const STYLES = {
  boundary: { fill: 'none', stroke: '#c0262d', strokeWidth: 3.2 },
  neighbour: { fill: '#ffffff', fillOpacity: 0.6, stroke: '#b4bcc4', strokeWidth: 0.7 },
  restricted: { fill: RESTRICTED_PARCEL.fill, fillOpacity: 0.8, stroke: RESTRICTED_PARCEL.outline, strokeWidth: 0.9 },
  fragment: { fill: MARKED_LAND_COLOURS.fragment.fill, fillOpacity: 0.18, stroke: MARKED_LAND_COLOURS.fragment.outline, strokeWidth: 1.2, hatch: true },
  supporting: { fill: MARKED_LAND_COLOURS.supporting.fill, fillOpacity: 0.22, stroke: MARKED_LAND_COLOURS.supporting.outline, strokeWidth: 1.2, hatch: true },
} satisfies Record<string, MapStyle>;

const statusStyle = (status: string): MapStyle => ({
  fill: EFFICIENCY_STATUSES.find((entry) => entry.code === status)?.color ?? RESTRICTED_PARCEL.fill, fillOpacity: 0.75, stroke: '#4a4f55', strokeWidth: 0.9,
});

/** 符合 / 不符合 / 不适用 / 未定, as the verdict of one rule or of the area. */
function verdict(pass: boolean | null, applicable = true): Html {
  if (!applicable) return html`<span class="na">不适用</span>`;
  if (pass === true) return html`<span class="pass">符合</span>`;
  if (pass === false) return html`<span class="fail">不符合</span>`;
  return html`<span class="open">未定</span>`;
}

/** A rule's numerator or denominator: areas in m², pieces in 块. */
function figureText(check: CheckResult, value: number | null): string {
  if (value === null) return '—';
  return unitOf(check.measure) === 'count' ? `${value} 块` : `${formatNumber(value, 2)} m²`;
}

/** The ratio in the limit's unit: shares as %, FAR as a number, pieces in 块. */
function ratioText(check: CheckResult): string {
  if (check.ratio === null) return '—';
  switch (unitOf(check.measure)) {
    case 'share': return `${formatNumber(check.ratio * 100, 2)}%`;
    case 'count': return `${check.ratio} 块`;
    default: return formatNumber(check.ratio, 2);
  }
}

/** One row per rule and one under it with its source; the rule set is named per rule when the area applies several. */
function ruleRows(checks: readonly CheckResult[], severalSets: boolean): Html {
  return html`${checks.map((check, index) => {
    const set = severalSets && check.ruleSet ? html`<span class="detail">${check.ruleSet.name}（第 ${check.ruleSet.version} 版）</span>` : '';
    const notes = check.notes?.length ? html`<br><span class="muted">说明：${check.notes.join('；')}</span>` : '';
    return html`<tr><td class="number">${index + 1}</td><td>${check.name}${set}</td><td>${measureLabel(check.measure)}<span class="detail">分母：${check.denominatorDefinition}</span></td>
      <td class="number">${figureText(check, check.numerator)}</td><td class="number">${check.denominator === null && unitOf(check.measure) === 'count' ? '—' : figureText(check, check.denominator)}</td>
      <td class="number">${ratioText(check)}</td><td class="number">${formatLimit(check)}</td><td class="verdict-cell">${verdict(check.pass, check.applicable !== false)}</td></tr>
      <tr class="source"><td></td><td colspan="7">依据：${check.source.document} ${check.source.article}：“${check.source.text}”${notes}</td></tr>`;
  })}`;
}

function areaRow(label: string, m2: number, note = ''): Html {
  const units = areaInUnits(m2);
  return html`<tr><td>${label}${note ? html`<span class="detail">${note}</span>` : ''}</td><td class="number">${formatNumber(units.m2, 2)}</td><td class="number">${formatNumber(units.ha, 4)}</td><td class="number">${formatNumber(units.mu, 4)}</td></tr>`;
}

function figuresTable(result: CheckAnswer): Html {
  const figures = result.figures;
  const share = (m2: number) => (figures.projectLandM2 > 0 ? `占项目总用地 ${formatNumber((m2 / figures.projectLandM2) * 100, 2)}%` : '');
  return html`<table><thead><tr><th>用地</th><th class="number">面积 (m²)</th><th class="number">公顷</th><th class="number">亩</th></tr></thead><tbody>
    ${areaRow(FIGURE_LABELS.projectLandM2, figures.projectLandM2, '区域边界内的土地（CGCS2000 椭球面积）')}
    ${areaRow('纳入地块用地', figures.parcelLandM2, share(figures.parcelLandM2))}
    ${areaRow(FIGURE_LABELS.fragmentLandM2, figures.fragmentLandM2, `${share(figures.fragmentLandM2)}${figures.uncoveredLandM2 > 0 ? `；其中未登记地块的土地 ${formatNumber(figures.uncoveredLandM2, 2)} m²` : ''}`)}
    ${areaRow(FIGURE_LABELS.supportingLandM2, figures.supportingLandM2, share(figures.supportingLandM2))}
    ${areaRow('低效用地（疑似及已认定）', figures.inefficientLandM2, share(figures.inefficientLandM2))}
    ${figures.overlapM2 > 0 ? areaRow('与其他成片改造区域重叠', figures.overlapM2) : ''}
  </tbody></table>`;
}

function floorTable(result: CheckAnswer): Html {
  const figures = result.figures;
  const floor = (label: string, value: number | null | undefined) => html`<tr><td>${label}</td><td class="number">${value === null || value === undefined ? '未填写' : `${formatNumber(value, 2)} m²`}</td></tr>`;
  const projects = result.projects;
  const projectText = projects ? `${projects.count} 个（${projects.basis === 'input' ? '填写' : projects.basis === 'owners' ? `按纳入地块的 ${projects.owners} 个土地使用权人计` : '无权利人信息，按一个项目计'}）` : '—';
  return html`<table><thead><tr><th>建筑面积与其他指标</th><th class="number">数值</th></tr></thead><tbody>
    ${floor(FIGURE_LABELS.totalFloorAreaM2, figures.totalFloorAreaM2)}
    ${floor(FIGURE_LABELS.grossFloorAreaM2, figures.grossFloorAreaM2)}
    ${floor(FIGURE_LABELS.supportingFloorAreaM2, figures.supportingFloorAreaM2)}
    ${floor(FIGURE_LABELS.factoryFloorAreaM2, figures.factoryFloorAreaM2)}
    <tr><td>成片块数（间距容差 ${figures.gapToleranceM} 米）</td><td class="number">${result.pieces} 块</td></tr>
    <tr><td>项目数</td><td class="number">${projectText}</td></tr>
  </tbody></table>`;
}

function parcelsTable(result: CheckAnswer, names: ReadonlyMap<string, string>): Html {
  if (result.parcels.length === 0) return html`<p class="note">边界内没有登记地块。</p>`;
  return html`<table><thead><tr><th>宗地编号</th><th>所在区</th><th>效率状态</th><th class="number">地块面积 (m²)</th><th class="number">区内面积 (m²)</th><th class="number">区内比例</th></tr></thead><tbody>
    ${result.parcels.map((parcel) => html`<tr><td>${parcel.code}</td><td>${names.get(parcel.districtCode) ?? parcel.districtCode}</td>
      <td>${parcel.status ? statusLabel(parcel.status) : html`<span class="muted">${RESTRICTED_PARCEL.label}</span>`}</td>
      <td class="number">${formatNumber(parcel.areaM2, 2)}</td><td class="number">${formatNumber(parcel.insideM2, 2)}</td><td class="number">${formatNumber(parcel.share * 100, 2)}%</td></tr>`)}
  </tbody></table>`;
}

function reviewsTable(detail: AreaDetail): Html {
  if (detail.reviews.length === 0) return html`<p class="note">尚未报审。</p>`;
  return html`<table><thead><tr><th>时间</th><th>操作</th><th>版本</th><th>经办人</th><th>结论</th><th>意见 / 说明</th></tr></thead><tbody>
    ${detail.reviews.map((review) => html`<tr><td>${dateTimeText(review.at)}</td><td>${reviewActionLabel(review.action)}</td><td>第 ${review.version} 版</td>
      <td>${review.actorName}（${review.actor}）</td><td>${review.ruleSetVersion === null ? '—' : verdict(review.pass)}</td><td>${review.note ?? '—'}</td></tr>`)}
  </tbody></table>`;
}

/** The map: neighbouring parcels, the taken ones by status, 零星 and 配套 land, the boundary. */
function areaMap(zones: { boundary: PolygonGeometry; fragments: PolygonGeometry | null; supporting: PolygonGeometry | null }, result: CheckAnswer, around: ParcelFeatureCollection) {
  const taken = new Set(result.parcels.map((parcel) => parcel.id));
  const takenFeatures: MapFeature[] = [];
  const context: MapFeature[] = [];
  const statuses = new Set<string>();
  let restricted = false;
  for (const feature of around.features) {
    const geometry = feature.geometry as PolygonGeometry;
    if (!taken.has(Number(feature.id ?? feature.properties.id))) {
      context.push({ geometry });
      continue;
    }
    const status = feature.properties.status;
    if (status) statuses.add(status);
    else restricted = true;
    takenFeatures.push({ geometry, label: feature.properties.code, style: status ? statusStyle(status) : STYLES.restricted });
  }
  const focus = boxOf([zones.boundary]) ?? [0, 0, 0, 0];
  const map = renderMapSvg({
    focus, widthMm: 180, heightMm: 128,
    layers: [
      { features: context, style: STYLES.neighbour },
      { features: takenFeatures, style: STYLES.restricted },
      { features: zones.fragments ? [{ geometry: zones.fragments }] : [], style: STYLES.fragment },
      { features: zones.supporting ? [{ geometry: zones.supporting }] : [], style: STYLES.supporting },
      { features: [{ geometry: zones.boundary }], style: STYLES.boundary },
    ],
  });
  const entries: LegendEntry[] = [
    { label: '区域边界', style: STYLES.boundary },
    ...EFFICIENCY_STATUSES.filter((status) => statuses.has(status.code)).map((status) => ({ label: `纳入地块：${status.label}`, style: statusStyle(status.code) })),
    ...(restricted ? [{ label: `纳入地块：${RESTRICTED_PARCEL.label}`, style: STYLES.restricted }] : []),
    ...(zones.fragments ? [{ label: MARKED_LAND_COLOURS.fragment.label, style: STYLES.fragment }] : []),
    ...(zones.supporting ? [{ label: MARKED_LAND_COLOURS.supporting.label, style: STYLES.supporting }] : []),
    { label: '周边地块', style: STYLES.neighbour },
  ];
  return { svg: map.svg, scale: map.scale, legend: legend(entries) };
}

/**
 * 成片改造区域校验报告 (layer `area-report`, `filters.areaId`): the area as GET /api/areas/:id shows
 * it to this user (areaDetail), with the verdict pinned at 报审 / 批准 when there is one, else the
 * check saved with the version; the map's zones from the same land the figures measure
 * (checksRepository.zones). An area the user may not read is refused, as the area routes refuse it.
 */
export const areaReportWriter: ExportWriter = async (job) => {
  const { app, scope } = job;
  const id = job.filters.areaId;
  if (id === undefined) return { ok: false, reason: EXPORT_NOT_FOUND, message: '请选择要导出的成片改造区域 (filters.areaId)' };
  const row = await app.areasRepository.find(id);
  if (!row || row.deleted_at) return { ok: false, reason: EXPORT_NOT_FOUND, message: `没有编号为 ${id} 的成片改造区域${row?.deleted_at ? '（已删除）' : ''}` };
  if (!scope.covers(row.district_code)) {
    return { ok: false, reason: EXPORT_OUT_OF_SCOPE, message: new OutOfScopeError(scope.principal, { code: row.district_code, name: row.district_name }, '导出', '该区域').message };
  }
  const detail = await areaDetail(app.areasRepository, row);
  job.progress(0.2);
  const pinned = detail.pinnedVerdict;
  const result = pinned?.result ?? detail.result;
  const input = detail.input;
  const zones = await app.checksRepository.zones(
    { boundary: input.boundary, fragments: input.fragments.features.map((feature) => feature.geometry), supportingLand: input.supportingLand.features.map((feature) => feature.geometry) },
    { parcels: input.parcels ?? null, fragmentParcels: input.fragmentParcels ?? [], uncoveredIsFragment: input.uncoveredIsFragment ?? true },
  );
  const focus = boxOf([zones.boundary as PolygonGeometry])!;
  const around = await app.parcelsRepository.geojsonInBox(grownBox(focus, 0.6), MAP_PARCELS, scope);
  const districts = await app.districtsRepository.list();
  const names = new Map(districts.map((district) => [district.code, district.name]));
  job.progress(0.5);

  const map = areaMap(zones as Parameters<typeof areaMap>[0], result, around);
  const version = detail.versions.find((entry) => entry.version === detail.version);
  const sets = result.ruleSets ?? [result.ruleSet];
  const pass = overallPass(result.checks);
  const basis = pinned
    ? `${pinned.action === 'approve' ? '批准' : '报审'}时锁定的校验结果：${pinned.actorName}（${pinned.actor}）于 ${dateTimeText(pinned.at)}${pinned.action === 'approve' ? '批准' : '报审'}，按规则集第 ${pinned.ruleSetVersion} 版核查`
    : `保存第 ${detail.version} 版时的校验结果（尚未报审，非审批结论）`;
  const submitted = [...detail.reviews].reverse().find((review) => review.action === 'submit' && review.version === detail.version);
  const approved = [...detail.reviews].reverse().find((review) => review.action === 'approve' && review.version === detail.version);
  const info = fieldsTable([
    { label: '区域名称', value: detail.name },
    { label: '所在区县', value: `${detail.districtName}（${detail.districtCode}）` },
    { label: '区域类型', value: areaKindLabel(detail.kind) },
    { label: '改造模式', value: detail.mode === 'other' && detail.modeOther ? `其他：${detail.modeOther}` : redevelopmentModeLabel(detail.mode) },
    { label: '目标用途', value: detail.targetLandUse ?? '—' },
    { label: '状态', value: areaStatusLabel(detail.status) },
    { label: '区域版本', value: `第 ${detail.version} 版`, detail: version ? `${version.savedBy} 保存于 ${dateTimeText(version.savedAt)}` : undefined },
    { label: '规则集', value: sets.map((set) => `${set.name}（第 ${set.version} 版）`).join('；') },
    { label: '报审', value: submitted ? `${submitted.actorName}（${submitted.actor}）` : '—', detail: submitted ? dateTimeText(submitted.at) : undefined },
    { label: '批准', value: approved ? `${approved.actorName}（${approved.actor}）` : '—', detail: approved ? dateTimeText(approved.at) : undefined },
    { label: '项目总用地', value: `${formatNumber(result.area.m2, 2)} m²`, detail: `${formatNumber(result.area.ha, 4)} 公顷 · ${formatNumber(result.area.mu, 4)} 亩` },
    { label: '导出', value: `${job.actor.displayName}（${job.actor.username}）`, detail: dateTimeText(new Date()) },
  ]);

  const body = html`
    ${info}
    <div class="verdict">校验结论：${verdict(pass)}　<span class="muted">${basis}</span></div>
    <div class="figure">${trustedHtml(map.svg)}${map.legend}
      <p class="note">地块与区域边界按 CGCS2000 经纬度在区域中心的局部平面上绘制，上方为北；图上比例尺 1:${map.scale.toLocaleString('en-US')}（按 A4 原大打印）。${around.truncated ? MAP_TRUNCATED : ''}</p></div>
    <h2>面积指标<span class="aside">椭球面积（CGCS2000），1 公顷 = 10 000 m²，1 亩 = 666.67 m²</span></h2>
    ${figuresTable(result)}
    ${floorTable(result)}
    <h2>规则校验<span class="aside">${sets.map((set) => `${set.name} 第 ${set.version} 版`).join('；')}</span></h2>
    <table class="rules"><colgroup><col style="width:5%"><col style="width:16%"><col style="width:21%"><col style="width:14.5%"><col style="width:14.5%"><col style="width:9%"><col style="width:10%"><col style="width:10%"></colgroup>
      <thead><tr><th class="number">序</th><th>规则</th><th>指标</th><th class="number">分子</th><th class="number">分母</th><th class="number">比值</th><th class="number">限值</th><th>结论</th></tr></thead>
      <tbody>${ruleRows(result.checks, sets.length > 1)}</tbody></table>
    <h2>纳入地块<span class="aside">共 ${result.parcels.length} 宗</span></h2>
    ${parcelsTable(result, names)}
    ${result.overlaps.length > 0 ? html`<h2>与其他区域重叠</h2><table><thead><tr><th>区域</th><th>状态</th><th class="number">重叠面积 (m²)</th></tr></thead><tbody>
      ${result.overlaps.map((overlap) => html`<tr><td>${overlap.name}</td><td>${overlap.status === 'restricted' ? '—' : areaStatusLabel(overlap.status)}</td><td class="number">${formatNumber(overlap.overlapM2, 2)}</td></tr>`)}</tbody></table>` : ''}
    <h2>审批记录</h2>
    ${reviewsTable(detail)}`;

  const document = reportDocument({
    title: AREA_REPORT_TITLE, subtitle: detail.name,
    meta: `${detail.districtName} · 第 ${detail.version} 版 · ${areaStatusLabel(detail.status)} · 导出于 ${dateTimeText(new Date())}`, body,
  });
  const fileName = exportFileName([AREA_REPORT_TITLE, detail.name, `v${detail.version}`], job.stamp, '.pdf');
  const file = path.join(job.directory, 'area-report.pdf');
  await app.pdfRenderer.render(document, file, { footer: `${AREA_REPORT_TITLE} · ${detail.name} · 第 ${detail.version} 版`, signal: job.signal });
  job.progress(1);
  return { ok: true, file, fileName, rowCount: 1, crs: null, encoding: null, notes: around.truncated ? [MAP_TRUNCATED] : [] };
};
