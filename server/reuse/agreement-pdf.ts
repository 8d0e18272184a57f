import type { ReuseDetail } from '../../domain/api/reuse.schemas.js';
import { EXTENSION_RULE } from '../../domain/reuse/clocks.js';
import { html, trustedHtml, type Html } from '../exports/reports/html.js';

/**
 * 落实低效产业用地再利用方案协议书 (seed 003 附件7) as printed: the seed's text with the project's
 * parties, numbers, term and place filled in, 抄送 区自然资源局、区工信局. Rendered by app.pdfRenderer
 * (server/exports/reports/pdf-renderer.ts) as the other printed forms; the signature lines stay blank.
 */
export const AGREEMENT_TITLE = '落实低效产业用地再利用方案协议书';

const STYLE = `
@page { size: A4; }
body { margin: 0 6mm; font-family: 'Noto Serif CJK SC', serif; font-size: 12pt; line-height: 1.75; color: #111; }
h1 { font-size: 19pt; text-align: center; margin: 6mm 0 2mm; letter-spacing: 0.05em; }
.number { text-align: center; margin: 0 0 6mm; font-family: 'Noto Sans CJK SC', sans-serif; font-size: 11pt; }
p { margin: 0 0 2mm; text-indent: 2em; text-align: justify; }
p.party { text-indent: 0; }
.signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 2mm 10mm; margin-top: 6mm; }
.signatures div { text-indent: 0; }
.signed { margin-top: 5mm; }
.copies { margin-top: 6mm; border-top: 0.8pt solid #111; padding-top: 2mm; text-indent: 0; font-size: 11pt; }
.note { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 8.5pt; color: #555; text-indent: 0; margin-top: 6mm; }
`;

function chineseDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${year} 年 ${month} 月 ${day} 日`;
}

/** The 协议书 of a signed project as an HTML page. */
export function agreementDocument(project: ReuseDetail, plan: { location: string | null; owner: string | null }): Html {
  const agreement = project.agreement!;
  const planName = `${plan.owner ?? agreement.partyB}低效产业用地再利用方案`;
  const approval = project.approval;
  const months = agreement.termMonths;
  const term = months === 12 ? '1 年内' : `${months} 个月内`;
  return html`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${AGREEMENT_TITLE} ${agreement.number}</title><style>${trustedHtml(STYLE)}</style></head>
<body>
<h1>${AGREEMENT_TITLE}</h1>
<p class="number">${agreement.number}</p>
<p class="party">甲方：${agreement.partyA}</p>
<p class="party">乙方：${agreement.partyB}</p>
<p>根据${project.districtName}人民政府《关于审批低效产业用地再利用方案的批复》（${approval?.number ?? '　　'}），甲、乙双方就实施《${planName}》有关事项约定如下：</p>
<p>一、乙方负责按照${project.districtName}人民政府批复的《${planName}》有关内容和要求，对位于${plan.location ?? project.parcelCode}（宗地编号 ${project.parcelCode}）的低效产业用地（《低效产业用地认定告知书》号列：${noticeOf(project)}）落实再利用工作。</p>
<p>二、上述产业用地开展再利用工作过程，乙方需向相关部门申办手续的，甲方应予以协助；甲方需收集再利用工作成效相关分析数据的，乙方应予以协助。</p>
<p>三、乙方应于本协议书签订${term}（即 ${chineseDate(agreement.completionDue)}前）完成《${planName}》的实施工作。乙方可根据实际情况，于期限届满前 ${EXTENSION_RULE.windowMonths} 个月内向甲方申请延期，经甲方同意延期的，可以延期 ${EXTENSION_RULE.times} 次，延期不得超过 ${EXTENSION_RULE.maxMonths} 个月。</p>
<p>四、乙方完成《${planName}》的实施工作时，应向甲方提出验收申请。</p>
<p>五、乙方逾期未能完成，或者申请延期未获甲方同意，或者未能通过甲方验收的，甲方有权将乙方纳入汕头市土地市场信用异常名单，适用汕头市土地市场信用管理约束措施。乙方情节恶劣的，甲方有权将乙方纳入汕头市土地市场信用黑名单，适用禁止参加政府一切供地活动等汕头市土地市场信用管理惩戒措施；直至乙方改正为止，由此造成的相关损失由乙方自负。</p>
<p>附件：${planName}（第 ${project.planVersion} 版）</p>
<div class="signatures">
  <div>甲方（盖章）：${agreement.partyA}</div><div>乙方（盖章）：${agreement.partyB}</div>
  <div>代表（签名）：</div><div>代表（签名）：</div>
</div>
<p class="party signed">签订时间：${chineseDate(agreement.signedOn)}</p>
<p class="party">签订地点：${agreement.place}</p>
<p class="copies">抄送：${project.districtName}自然资源局、${project.districtName}工业和信息化局</p>
<p class="note">再利用项目 ${project.number} · 认定案卷 ${project.caseNumber}</p>
</body></html>`;
}

function noticeOf(project: ReuseDetail): string {
  return project.versions.at(-1)?.snapshot.noticeNumber ?? project.caseNumber;
}
