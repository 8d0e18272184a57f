import type { CaseDetail, CaseStep, SurveySubmission } from '../../../domain/api/identification.schemas.js';
import type { ParcelDetail } from '../../../domain/api/parcels.schemas.js';
import { inefficiencyTypeLabel } from '../../../domain/efficiency.js';
import { NOTICE_TEXT, caseForm, noticeConsequences, type CaseFormCode } from '../../../domain/identification/forms.js';
import { JOINT_REVIEW_DEPARTMENTS, PLAN_DUE_MONTHS, VERIFY_DEPARTMENTS, reuseMeasureLabel } from '../../../domain/identification/steps.js';
import { todayInChinaDate } from '../../../domain/identification/working-days.js';
import { industryLabel } from '../../../domain/industry-codes.js';
import { LAND_USE_CODES } from '../../../domain/land-use.js';
import type { ParcelKey } from '../../../domain/parcel-fields.js';
import { formatNumber, squareMetresToMu } from '../../../domain/units.js';
import { html, trustedHtml, type Html, type HtmlValue } from './html.js';

/**
 * The 认定 forms of seed 003 (附件1 调查表（认定）, 附件2 审核表, 附件3 告知书) as printable HTML, laid out
 * as the seed lays them out: the same rows, labels and order, bordered tables, the "（盖章） 年 月 日"
 * blocks, filled from the case. A value the case does not have yet is left blank (to be written by
 * hand), never "—": the form is a paper to sign. Rendered to A4 PDF by the PDF renderer.
 */

/** Everything a form is filled from. */
export interface CaseFormData {
  detail: CaseDetail;
  /** The parcel card (null when the parcel was retired: split or merged after the case). */
  parcel: ParcelDetail | null;
  /** 市 the district belongs to (附件3 "位于汕头市 XX"). */
  cityName: string;
  /** 附件1: the snapshot printed (the latest unless one was chosen), or null (the card alone). */
  submission: SurveySubmission | null;
}

/** The printed forms' style (shared by the 验收 forms, server/reuse/acceptance-pdf.ts). */
export const FORM_STYLE = `
@page { size: A4; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: 'Noto Serif CJK SC', serif; font-size: 11pt; line-height: 1.45; color: #000; }
.attachment { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 12pt; font-weight: 700; margin: 0 0 3mm; }
h1 { font-family: 'Noto Serif CJK SC', serif; font-size: 19pt; font-weight: 700; text-align: center; margin: 0 0 2.5mm; letter-spacing: 0.04em; }
.number { display: flex; justify-content: space-between; font-size: 10pt; margin: 0 0 2mm; }
table.form { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.form td { border: 0.8pt solid #000; padding: 1.2mm 1.6mm; vertical-align: middle; overflow-wrap: anywhere; font-size: 10.5pt; }
table.form td.label { text-align: center; }
table.form td.section { text-align: center; font-weight: 700; letter-spacing: 0.2em; height: 8mm; }
table.form td.side { text-align: center; letter-spacing: 0.1em; font-weight: 700; }
table.form td.side span { writing-mode: vertical-rl; display: inline-block; }
table.form.survey td { height: 11.5mm; }
table.form.survey td.section { height: 8mm; }
table.form td.value { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 10pt; }
table.form td.opinion { vertical-align: top; font-size: 10pt; }
.opinion-text { font-family: 'Noto Sans CJK SC', sans-serif; white-space: pre-wrap; }
.who { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 8.5pt; color: #333; margin-top: 1mm; }
.stamp { text-align: right; padding-right: 10mm; margin-top: 1mm; line-height: 1.6; }
.signed { display: flex; justify-content: space-between; align-items: flex-end; }
.signed .stamp { text-align: center; padding-right: 6mm; white-space: nowrap; }
tr { break-inside: avoid; }
.stamp .date { letter-spacing: 0.1em; white-space: nowrap; }
.source { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 8pt; color: #444; margin: 2mm 0 0; }
.letter { font-size: 13pt; line-height: 1.9; }
.letter p { margin: 0; text-align: justify; }
.letter p.indent { text-indent: 2em; }
.letter .addressee { margin: 5mm 0 1mm; }
.fill { font-family: 'Noto Sans CJK SC', sans-serif; text-decoration: underline; text-underline-offset: 1.2mm; text-decoration-thickness: 0.6pt; padding: 0 0.5mm; }
.blank { display: inline-block; min-width: 28mm; border-bottom: 0.8pt solid #000; height: 1em; }
.signature { margin: 12mm 8mm 0 auto; width: max-content; text-align: center; line-height: 2; }
.copies { margin-top: 22mm; border-top: 0.8pt solid #000; border-bottom: 0.8pt solid #000; padding: 1.5mm 0; font-size: 11.5pt; }
.center-number { text-align: center; font-size: 12pt; margin: 0 0 4mm; }
`;

function formDocument(form: CaseFormCode, caseNumber: string, body: HtmlValue): Html {
  const definition = caseForm(form);
  return html`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${definition.attachment} ${definition.title} ${caseNumber}</title><style>${trustedHtml(FORM_STYLE)}</style></head>
<body><p class="attachment">${definition.attachment}</p><h1>${definition.title}</h1>${body}</body></html>`;
}

/** 2026-03-05 (or a timestamp) → 2026年3月5日, China time. */
export function dateText(at: string | null | undefined): string {
  if (!at) return '';
  const day = at.length > 10 ? todayInChinaDate(new Date(at)) : at;
  const [year, month, date] = day.split('-');
  return `${year}年${Number(month)}月${Number(date)}日`;
}

/** The "（盖章） 年 月 日" block: the date filled when the act is on record, blank to write otherwise. */
export function stamp(at: string | null, signer?: string | null, inline = false): Html {
  const date = html`<span class="date">${at ? dateText(at) : trustedHtml('年&emsp;&emsp;月&emsp;&emsp;日')}</span>`;
  if (inline) return html`<div class="stamp">（盖章）&emsp;${date}</div>`;
  return html`<div class="stamp">${signer ? html`<div>${signer}</div>` : ''}<div>（盖章）</div><div>${date}</div></div>`;
}

export function muText(m2: unknown): string {
  return typeof m2 === 'number' && Number.isFinite(m2) ? formatNumber(squareMetresToMu(m2), 2) : '';
}

function numberText(value: unknown, decimals = 2): string {
  return typeof value === 'number' && Number.isFinite(value) ? formatNumber(value, decimals) : '';
}

function percentText(value: unknown, sign = true): string {
  return typeof value === 'number' && Number.isFinite(value) ? `${formatNumber(value * 100, 2)}${sign ? '%' : ''}` : '';
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

function dateValue(value: unknown): string {
  return typeof value === 'string' && value ? dateText(value) : '';
}

/** 办公室 that signs: a 园区's 管理办公室, a 街道's 办事处, a 镇's 人民政府 (seed 003 "园区办、镇政府（街道办）"). */
export function issuingBody(detail: Pick<CaseDetail, 'unitKind' | 'unitName'>): string {
  const name = detail.unitName?.trim();
  if (!name) return detail.unitKind === 'park' ? '园区管理办公室' : '镇政府（街道办）';
  if (detail.unitKind === 'park') return /管理办公室$|园区办$/.test(name) ? name : `${name}管理办公室`;
  if (name.endsWith('街道')) return `${name}办事处`;
  if (name.endsWith('镇')) return `${name}人民政府`;
  return name;
}

function lastStep(detail: CaseDetail, step: string, department?: string): CaseStep | undefined {
  return [...detail.steps].reverse().find((entry) => entry.step === step && (department === undefined || entry.department === department));
}

function listText(value: unknown, label: (code: string) => string): string {
  return Array.isArray(value) ? value.map((item) => label(String(item))).join('、') : '';
}

/** The 初步认定 as the forms write it: 原因, 类型, 再利用适用措施 (seed 003 二.4 "列明原因、类型和再利用适用措施"). */
function preliminaryText(step: CaseStep): string {
  const details = step.details;
  if (step.step === 'closed_not_inefficient') return `初步认定：不属低效产业用地。\n理由：${text(details.reasons)}`;
  const lines = [
    '初步认定：属低效产业用地。',
    `原因：${text(details.reasons)}`,
    `类型：${listText(details.types, inefficiencyTypeLabel)}`,
    `再利用适用措施：${listText(details.measures, reuseMeasureLabel)}${details.measureNote ? `（${text(details.measureNote)}）` : ''}`,
  ];
  if (step.opinion) lines.push(`说明：${step.opinion}`);
  return lines.join('\n');
}

function who(step: CaseStep | undefined): Html | string {
  return step ? html`<div class="who">经办：${step.actorName}（${step.actor}）</div>` : '';
}

/** An opinion cell's foot: who entered it (left) beside the 盖章 block (right). */
function signed(step: CaseStep | undefined, signer?: string | null, inline = false, blankSpaceMm = 8): Html {
  const space = step ? '' : trustedHtml(` style="margin-top:${blankSpaceMm}mm"`);
  return html`<div class="signed"${space}>${who(step) || html`<span></span>`}${stamp(step?.at ?? null, signer, inline)}</div>`;
}

// ——— 附件1 ———

type Values = Partial<Record<ParcelKey, unknown>>;

/** The cells of 附件1 the 用地单位 fills, as the seed's rows (label, value). */
function surveyRows(values: Values): { requirement: Html; use: Html } {
  const cell = (label: string, value: string, span = 1) => html`<td class="label">${label}</td><td class="value"${span > 1 ? trustedHtml(` colspan="${span}"`) : ''}>${value}</td>`;
  const compliance = ([['安全生产', 'meetsSafety', 'safetyNote'], ['环保', 'meetsEnvironment', 'environmentNote'], ['能耗', 'meetsEnergy', 'energyNote']] as const)
    .filter(([, key, note]) => typeof values[key] === 'boolean' || values[note])
    .map(([label, key, note]) => `${label}：${typeof values[key] === 'boolean' ? (values[key] ? '符合' : '不符合') : ''}${values[note] ? `（${text(values[note])}）` : ''}`)
    .join('；');
  const requirement = html`
    <tr>${cell('用地单位（加盖公章）', text(values.owner), 3)}${cell('土地面积（亩）', muText(values.registeredAreaM2))}</tr>
    <tr>${cell('用地位置', text(values.location), 5)}</tr>
    <tr>${cell('土地出让合同号', text(values.contractNo))}${cell('容积率', numberText(values.agreedFloorAreaRatio))}${cell('建筑密度', percentText(values.agreedBuildingDensity))}</tr>
    <tr>${cell('约定竣工时间', dateValue(values.agreedCompletionDate))}${cell('投资发展协议号', text(values.investmentAgreementNo))}${cell('约定投资强度（万元/亩）', numberText(values.agreedInvestmentIntensity))}</tr>`;
  const use = html`
    <tr>${cell('国民经济行业分类', values.industryCode ? industryLabel(String(values.industryCode)) : '')}${cell('建筑面积（平方米）', numberText(values.floorAreaM2))}${cell('竣工时间', dateValue(values.completionDate))}</tr>
    <tr>${cell('投产时间', dateValue(values.productionStart))}${cell('停产时间', dateValue(values.productionStop))}${cell('投资强度（万元）', numberText(values.investedAmount))}</tr>
    <tr>${cell('容积率', numberText(values.floorAreaRatio))}${cell('行政办公及生活服务设施用地所占比重（%）', percentText(values.adminFacilityShare, false))}${cell('建筑系数', percentText(values.buildingCoverage))}</tr>
    <tr>${cell('亩均产值（万元/亩）', numberText(values.outputPerMu))}${cell('亩均税收（万元/亩）', numberText(values.taxPerMu))}${cell('未开发建设土地面积（亩）', muText(values.undevelopedAreaM2))}</tr>
    <tr><td class="label" colspan="2">是否符合安全生产、环保、能耗等产业发展政策要求</td><td class="value" colspan="4">${compliance}</td></tr>`;
  return { requirement, use };
}

/** 附件1 产业用地使用效益调查表（认定）: the card's values, with the chosen 附件1 snapshot over them; the office's 核实 and 初步认定 below. */
export function surveyFormDocument(data: CaseFormData): Html {
  const { detail, parcel, submission } = data;
  const values: Values = { ...(parcel ?? { owner: detail.owner }), ...(submission?.fields ?? {}) };
  const rows = surveyRows(values);
  const verified = lastStep(detail, 'verified');
  const preliminary = lastStep(detail, 'preliminary') ?? lastStep(detail, 'closed_not_inefficient');
  const opinion: string[] = [];
  if (verified) {
    const departments = listText(verified.details.departments, (code) => VERIFY_DEPARTMENTS.find((department) => department.code === code)?.label ?? code);
    opinion.push(verified.outcome === 'sent_back'
      ? `核实：一次告知，需补充佐证材料：${listText(verified.details.materials, String)}。`
      : `核实：经${departments ? `会同${departments}` : ''}核实，填报内容属实。`);
    if (verified.opinion) opinion.push(verified.opinion);
  }
  if (preliminary) opinion.push(preliminaryText(preliminary));
  const sourceLine = submission
    ? `据 ${dateText(submission.submittedAt)} ${submission.via === 'online' ? '用地单位网上填报' : '园区办/镇街纸质录入'}的调查表（第 ${submission.id} 号）；未填报的项取自地块卡片（宗地编号 ${detail.parcelCode}）。`
    : `用地单位尚未填报：表中已填各项取自地块卡片（宗地编号 ${detail.parcelCode}），请用地单位核对、补填并加盖公章。`;
  const widths = html`<colgroup><col style="width:8%"><col style="width:15%"><col style="width:15.7%"><col style="width:15%"><col style="width:15.6%"><col style="width:15%"><col style="width:15.7%"></colgroup>`;
  const body = html`
    <div class="number"><span>${issuingBody(detail)}</span><span>编号：${detail.number}</span></div>
    <table class="form survey">${widths}<tbody>
      <tr><td class="side" rowspan="12"><span>用地单位填写</span></td><td class="section" colspan="6">土地使用要求</td></tr>
      ${rows.requirement}
      <tr><td class="section" colspan="6">土地使用情况</td></tr>
      ${rows.use}
      <tr><td class="opinion" colspan="7" style="height:62mm">
        <div>园区办（或者镇政府、街道办）调查核实情况及初步认定意见：</div>
        <div class="opinion-text">${opinion.join('\n')}</div>
        ${signed(preliminary ?? verified, preliminary ? issuingBody(detail) : null, false, 30)}
      </td></tr>
    </tbody></table>
    <p class="source">${sourceLine}</p>`;
  return formDocument('survey', detail.number, body);
}

// ——— 附件2 ———

/** 附件2 低效产业用地认定审核表: the 初步认定, each 会审 department's opinion (blank with its 盖章 block until given), the conclusion and the 区政府's. */
export function reviewFormDocument(data: CaseFormData): Html {
  const { detail, parcel } = data;
  const preliminary = lastStep(detail, 'preliminary');
  const conclusion = lastStep(detail, 'joint_review');
  const decision = lastStep(detail, 'approved') ?? lastStep(detail, 'rejected');
  const departments = JOINT_REVIEW_DEPARTMENTS.map((department, index) => {
    const opinion = lastStep(detail, 'review_opinion', department.code);
    const side = index === 0 ? html`<td class="side" rowspan="${JOINT_REVIEW_DEPARTMENTS.length}">区有关部门审查意见</td>` : '';
    return html`<tr>${side}<td class="label">${department.label}</td><td class="opinion" colspan="3" style="height:20mm">
      ${opinion ? html`<div class="opinion-text">${opinion.outcome === 'agree' ? '同意。' : '不同意。'}${opinion.opinion ?? ''}</div>` : ''}
      ${signed(opinion, null, true)}</td></tr>`;
  });
  const conclusionText = conclusion
    ? `${conclusion.outcome === 'meets' ? '经会审，符合低效产业用地认定标准，报区政府（管委会）审批。' : '经会审，不符合低效产业用地认定标准。'}\n${conclusion.opinion ?? ''}`
    : '';
  const decisionText = decision ? `${decision.outcome === 'approve' ? '同意认定为低效产业用地。' : '不同意。'}${decision.opinion ? `\n${decision.opinion}` : ''}` : '';
  const widths = html`<colgroup><col style="width:11%"><col style="width:19%"><col style="width:38%"><col style="width:14%"><col style="width:18%"></colgroup>`;
  const body = html`
    <div class="number"><span>${issuingBody(detail)}</span><span>编号：${detail.number}</span></div>
    <table class="form">${widths}<tbody>
      <tr><td class="section" colspan="5">低效产业用地初步认定意见及理由</td></tr>
      <tr><td class="side" rowspan="3">园区办（或者镇政府、街道办）意见</td>
        <td class="label">用地单位</td><td class="value">${parcel?.owner ?? detail.owner ?? ''}</td><td class="label">土地面积（亩）</td><td class="value">${muText(parcel?.registeredAreaM2)}</td></tr>
      <tr><td class="label">用地位置</td><td class="value" colspan="3">${parcel?.location ?? ''}</td></tr>
      <tr><td class="label">低效产业用地初步认定意见及理由</td><td class="opinion" colspan="3" style="height:30mm">
        ${preliminary ? html`<div class="opinion-text">${preliminaryText(preliminary)}</div>` : ''}
        ${signed(preliminary, null, true, 18)}</td></tr>
      <tr><td class="section" colspan="5">低效产业用地认定会审意见</td></tr>
      ${departments}
      <tr><td class="label" colspan="2">会审结论</td><td class="opinion" colspan="3" style="height:22mm">
        ${conclusion ? html`<div class="opinion-text">${conclusionText}</div>` : ''}
        ${signed(conclusion, null, true)}</td></tr>
      <tr><td class="label" colspan="2">区政府、管委会意见</td><td class="opinion" colspan="3" style="height:26mm">
        ${decision ? html`<div class="opinion-text">${decisionText}</div>` : ''}
        ${signed(decision, null, true, 12)}</td></tr>
    </tbody></table>`;
  return formDocument('review', detail.number, body);
}

// ——— 附件3 ———

export function fill(value: string | null | undefined): Html {
  return value ? html`<span class="fill">${value}</span>` : html`<span class="blank"></span>`;
}

/** 附件3 低效产业用地认定告知书: numbered, to the 土地使用权人, the land, the 认定 and its reasons, the 1-month deadline, 抄送. */
export function noticeDocument(data: CaseFormData): Html {
  const { detail, parcel, cityName } = data;
  const notified = lastStep(detail, 'notified');
  const preliminary = lastStep(detail, 'preliminary');
  const reasons = text(preliminary?.details.reasons).replace(/[。；;，,\s]+$/, '');
  const types = detail.inefficiencyTypes.map(inefficiencyTypeLabel).join('、');
  const landUse = parcel?.landUseCode ? LAND_USE_CODES[parcel.landUseCode] ?? '产业用地' : '产业用地';
  const location = parcel?.location?.trim() ?? '';
  const place = location.startsWith(cityName) ? location : `${cityName}${location.startsWith(detail.districtName) ? '' : detail.districtName}${location}`;
  const copies = (Array.isArray(notified?.details.copies) ? notified.details.copies.map(String) : ['区自然资源局', '区工信局'])
    .map((copy) => (copy.startsWith('区') ? `${detail.districtName}${copy.slice(1)}` : copy));
  const body = html`
    <p class="center-number">${issuingBody(detail)}　第 ${detail.noticeNumber ?? ''} 号</p>
    <div class="letter">
      <p class="addressee">${fill(parcel?.owner ?? detail.owner)}：</p>
      <p class="indent">你司取得位于${fill(place)}的${landUse}，面积为${fill(muText(parcel?.registeredAreaM2))}亩（《国有建设用地使用权出让合同》号列：${fill(parcel?.contractNo)}、《国有土地使用证》或《不动产登记证》号列：${fill(parcel?.certificateNo)}）。因该用地的投资建设存在${fill(reasons)}等低效利用情况，根据${NOTICE_TEXT.basis}的有关规定，经报区政府（管委会）同意，现认定为低效产业用地（认定类型：${fill(types)}；宗地编号 ${detail.parcelCode}），你司应对该宗用地落实盘活和再利用，提高土地利用效益。</p>
      <p class="indent">请你司在${PLAN_DUE_MONTHS}个月内（即${fill(dateText(detail.planDueDate))}前）按${NOTICE_TEXT.planRules}的有关规定，选择该用地的盘活和再利用方式，确定再利用目标，拟订《低效产业用地再利用方案》送我单位审核。${noticeConsequences(cityName)}</p>
      <p class="indent">特此告知。</p>
      <div class="signature"><div>${issuingBody(detail)}</div><div>（盖章）</div><div>${dateText(detail.noticeDate)}</div></div>
    </div>
    <div class="copies">抄送：${copies.join('、')}</div>`;
  return formDocument('notice', detail.number, body);
}

/** The form's document. */
export function caseFormDocument(form: CaseFormCode, data: CaseFormData): Html {
  if (form === 'survey') return surveyFormDocument(data);
  if (form === 'review') return reviewFormDocument(data);
  return noticeDocument(data);
}
