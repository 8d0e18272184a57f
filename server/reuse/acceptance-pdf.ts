import type { ReuseDetail, ReuseStep } from '../../domain/api/reuse.schemas.js';
import { JOINT_REVIEW_DEPARTMENTS } from '../../domain/identification/steps.js';
import { ACCEPTANCE_FORMS, type AcceptanceFormCode } from '../../domain/reuse/acceptance.js';
import { html, trustedHtml, type Html, type HtmlValue } from '../exports/reports/html.js';
import { FORM_STYLE, dateText, fill, issuingBody, muText, stamp } from '../exports/reports/identification-forms.js';

/**
 * The 验收 forms of seed 003 (附件8 验收申请, 附件9 验收审核表, 附件10 验收核准书) as printable HTML laid
 * out as the seed lays them out, filled from the project; what is not on record yet stays blank to be
 * written by hand. Rendered to A4 PDF by app.pdfRenderer like the 认定 forms (the same style).
 */

export interface AcceptanceFormData {
  project: ReuseDetail;
  parcel: { owner: string | null; location: string | null; registeredAreaM2: number | null; contractNo: string | null; certificateNo: string | null } | null;
  cityName: string;
}

const EXTRA_STYLE = `
.letter p.right { text-align: right; }
`;

function formDocument(code: AcceptanceFormCode, number: string, body: HtmlValue): Html {
  const form = ACCEPTANCE_FORMS.find((entry) => entry.code === code)!;
  return html`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${form.attachment} ${form.title} ${number}</title><style>${trustedHtml(FORM_STYLE + EXTRA_STYLE)}</style></head>
<body><p class="attachment">${form.attachment}</p><h1>${form.title}</h1>${body}</body></html>`;
}

function last(project: ReuseDetail, step: string, department?: string): ReuseStep | undefined {
  const applied = [...project.steps].reverse().find((entry) => entry.step === 'acceptance_applied');
  return [...project.steps].reverse().find((entry) => entry.step === step && (department === undefined || entry.department === department)
    && (step === 'acceptance_applied' || !applied || entry.id > applied.id));
}

function noticeNumber(project: ReuseDetail): string | null {
  return project.versions.at(-1)?.snapshot.noticeNumber ?? null;
}

function owner(data: AcceptanceFormData): string | null {
  return data.project.agreement?.partyB ?? data.parcel?.owner ?? data.project.owner;
}

function place(data: AcceptanceFormData): string {
  const location = data.parcel?.location?.trim() ?? '';
  const { cityName, project } = data;
  return location.startsWith(cityName) ? location : `${cityName}${location.startsWith(project.districtName) ? '' : project.districtName}${location}`;
}

/** 附件8 关于对低效产业用地再利用进行验收的申请: from the 用地单位 to the 园区办/镇街, naming the 批复 and the 协议书. */
export function applicationDocument(data: AcceptanceFormData): Html {
  const { project } = data;
  const applied = last(project, 'acceptance_applied');
  const body = html`
    <div class="letter">
      <p class="addressee">${issuingBody(project)}：</p>
      <p class="indent">我单位位于${fill(place(data))}（宗地编号 ${project.parcelCode}）的土地已按照${project.districtName}人民政府《关于审批低效产业用地再利用方案的批复》（${fill(project.approval?.number)}）和《落实低效产业用地再利用方案协议书》（${fill(project.agreement?.number)}）的要求，完成了再利用工作，达到了再利用目标要求，取得了再利用成效。请贵单位组织验收。</p>
      ${applied?.details.completion ? html`<p class="indent">完成情况：${String(applied.details.completion)}</p>` : ''}
      <div class="signature"><div>${fill(owner(data))}</div><div>（单位盖章）</div><div>${applied ? dateText(String(applied.details.appliedOn)) : trustedHtml('年&emsp;&emsp;月&emsp;&emsp;日')}</div></div>
    </div>`;
  return formDocument('annex8', project.number, body);
}

function opinionCell(step: ReuseStep | undefined, text: string | null, height: number): Html {
  return html`<td class="opinion" colspan="3" style="height:${height}mm">
    ${text ? html`<div class="opinion-text">${text}</div>` : ''}
    <div class="signed">${step ? html`<div class="who">经办：${step.actorName}（${step.actor}）</div>` : html`<span></span>`}${stamp(step?.at ?? null, null, true)}</div></td>`;
}

/** 附件9 低效产业用地再利用验收审核表: the 用地单位's part, the office's 核实意见, each department's opinion, the 区政府's. */
export function reviewDocument(data: AcceptanceFormData): Html {
  const { project, parcel } = data;
  const applied = last(project, 'acceptance_applied');
  const reviewed = last(project, 'acceptance_reviewed');
  const decision = last(project, 'accepted') ?? last(project, 'acceptance_refused');
  const departments = JOINT_REVIEW_DEPARTMENTS.map((department, index) => {
    const opinion = last(project, 'acceptance_opinion', department.code);
    const side = index === 0 ? html`<td class="side" rowspan="${JOINT_REVIEW_DEPARTMENTS.length}">区相关部门意见</td>` : '';
    const text = opinion ? `${opinion.outcome === 'agree' ? '同意。' : '不同意。'}${opinion.opinion ?? ''}` : null;
    return html`<tr>${side}<td class="label">${department.label}</td>${opinionCell(opinion, text, 17)}</tr>`;
  });
  const reviewText = reviewed ? `${reviewed.outcome === 'pass' ? '经核实，已完成再利用方案确定的目标任务，报区政府（管委会）核准。' : '经核实，未达到再利用方案确定的目标任务。'}\n${String(reviewed.details.opinion ?? reviewed.opinion ?? '')}` : null;
  const decisionText = decision ? `${decision.step === 'accepted' ? '同意核准验收。' : '不予核准。'}${decision.opinion ? `\n${decision.opinion}` : ''}` : null;
  const widths = html`<colgroup><col style="width:11%"><col style="width:19%"><col style="width:34%"><col style="width:14%"><col style="width:22%"></colgroup>`;
  const body = html`
    <div class="number"><span>${issuingBody(project)}</span><span>项目编号：${project.number}</span></div>
    <table class="form">${widths}<tbody>
      <tr><td class="side" rowspan="4">用地单位（填写）</td>
        <td class="label">用地单位</td><td class="value">${owner(data) ?? ''}</td><td class="label">土地面积（亩）</td><td class="value">${muText(parcel?.registeredAreaM2)}</td></tr>
      <tr><td class="label">用地位置</td><td class="value" colspan="3">${parcel?.location ?? ''}</td></tr>
      <tr><td class="value" colspan="4">低效产业用地认定告知书编号：${noticeNumber(project) ?? ''}　　落实低效产业用地再利用方案协议书编号：${project.agreement?.number ?? ''}</td></tr>
      <tr><td class="label">完成情况</td>${opinionCell(applied, applied ? String(applied.details.completion ?? '') : null, 26)}</tr>
      <tr><td class="label" colspan="2">园区办（或者镇政府、街道办）核实意见</td>${opinionCell(reviewed, reviewText, 24)}</tr>
      ${departments}
      <tr><td class="label" colspan="2">区政府、管委会核准意见</td>${opinionCell(decision, decisionText, 24)}</tr>
    </tbody></table>`;
  return formDocument('annex9', project.number, body);
}

/** 附件10 低效产业用地再利用验收核准书: to the 用地单位, the land, "同意核准验收", 抄送. */
export function certificateDocument(data: AcceptanceFormData): Html {
  const { project, parcel } = data;
  const certificate = project.acceptance?.certificate ?? null;
  const body = html`
    <p class="center-number">${issuingBody(project)}　第 ${certificate?.number ?? ''} 号</p>
    <div class="letter">
      <p class="addressee">${fill(owner(data))}：</p>
      <p class="indent">你司《关于对低效产业用地再利用进行验收的申请》收悉。位于${fill(place(data))}的工业用地（宗地编号 ${project.parcelCode}），面积为${fill(muText(parcel?.registeredAreaM2))}亩（《国有建设用地使用权出让合同》号列：${fill(parcel?.contractNo)}、《国有土地使用证》或《不动产登记证》号列：${fill(parcel?.certificateNo)}）。同意核准验收。</p>
      <div class="signature"><div>${issuingBody(project)}</div><div>（盖章）</div><div>${certificate ? dateText(certificate.date) : trustedHtml('年&emsp;&emsp;月&emsp;&emsp;日')}</div></div>
    </div>
    <div class="copies">抄送：${project.districtName}自然资源局、${project.districtName}工业和信息化局</div>`;
  return formDocument('annex10', project.number, body);
}

export function acceptanceFormDocument(code: AcceptanceFormCode, data: AcceptanceFormData): Html {
  if (code === 'annex8') return applicationDocument(data);
  if (code === 'annex9') return reviewDocument(data);
  return certificateDocument(data);
}
