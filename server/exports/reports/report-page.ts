import { html, trustedHtml, type Html, type HtmlValue } from './html.js';
import { legendSwatch, type MapStyle } from './map-svg.js';

/**
 * The page every printed report shares: A4 portrait, Noto Sans CJK SC for text and Noto Serif CJK
 * SC for titles (Debian's fonts-noto-cjk, embedded in the PDF by Chromium), tables that repeat
 * their header on each page and do not split a row. The footer (page numbers) is the renderer's.
 */
const STYLE = `
@page { size: A4; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: 'Noto Sans CJK SC', sans-serif; font-size: 9.5pt; line-height: 1.5; color: #1d2329; }
h1 { font-family: 'Noto Serif CJK SC', serif; font-size: 19pt; font-weight: 700; margin: 0 0 1mm; letter-spacing: 0.06em; text-align: center; }
.subtitle { text-align: center; font-size: 12.5pt; font-weight: 700; margin: 0 0 1mm; word-break: break-all; }
.meta { text-align: center; color: #5b6670; font-size: 8.5pt; margin: 0 0 4mm; }
h2 { font-family: 'Noto Serif CJK SC', serif; font-size: 12pt; font-weight: 700; margin: 5mm 0 2mm; padding-bottom: 1mm; border-bottom: 1.2pt solid #1d2329; break-after: avoid; }
h2 .aside { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 8.5pt; font-weight: 400; color: #5b6670; margin-left: 3mm; }
table { width: 100%; border-collapse: collapse; margin: 0 0 2mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.5pt solid #9aa3ad; padding: 1mm 1.6mm; vertical-align: top; text-align: left; word-break: break-all; }
th { background: #eef1f4; font-weight: 700; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.rules { table-layout: fixed; font-size: 8.6pt; }
td.verdict-cell { white-space: nowrap; }
.group { break-inside: avoid; }
table.fields th { width: 24%; background: #f5f7f9; font-weight: 400; color: #3d4852; }
table.fields td { width: 26%; }
.detail { display: block; color: #5b6670; font-size: 8pt; }
.pass { color: #1f7a3a; font-weight: 700; }
.fail { color: #b3261e; font-weight: 700; }
.open { color: #8a5a00; font-weight: 700; }
.na { color: #5b6670; }
tr.source td { background: #fafbfc; font-size: 8.3pt; color: #3d4852; border-top: none; }
.verdict { border: 1pt solid #1d2329; padding: 2mm 3mm; margin: 2mm 0 3mm; font-size: 10.5pt; }
.figure { break-inside: avoid; margin: 0 0 2mm; }
.figure svg.map { display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 1mm 5mm; font-size: 8.3pt; margin-top: 1.5mm; }
.legend span { display: inline-flex; align-items: center; gap: 1.5mm; }
.note { color: #5b6670; font-size: 8.3pt; margin: 1mm 0 2mm; }
.muted { color: #5b6670; }
`;

export interface LegendEntry {
  label: string;
  style: MapStyle;
}

export function legend(entries: readonly LegendEntry[]): Html {
  return html`<div class="legend">${entries.map((entry) => html`<span>${trustedHtml(legendSwatch(entry.style))}${entry.label}</span>`)}</div>`;
}

/** A whole report: title, subtitle (the area or parcel), a line of who/when, then the body. */
export function reportDocument(page: { title: string; subtitle: string; meta: string; body: HtmlValue }): Html {
  return html`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${page.title} ${page.subtitle}</title><style>${trustedHtml(STYLE)}</style></head>
<body><h1>${page.title}</h1><p class="subtitle">${page.subtitle}</p><p class="meta">${page.meta}</p>${page.body}</body></html>`;
}

/** A moment as officials read it, China Standard Time: 2026-12-02 15:04. */
export function dateTimeText(at: Date | string): string {
  const moment = typeof at === 'string' ? new Date(at) : at;
  const local = new Date(moment.getTime() + 8 * 3_600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

/** Label/value pairs as a table of two pairs per row. */
export function fieldsTable(rows: readonly { label: string; value: HtmlValue; detail?: string }[]): Html {
  const pairs: Html[] = [];
  for (let index = 0; index < rows.length; index += 2) {
    const cells = rows.slice(index, index + 2).map((row) => html`<th>${row.label}</th><td>${row.value}${row.detail ? html`<span class="detail">${row.detail}</span>` : ''}</td>`);
    pairs.push(html`<tr>${cells}${rows.length - index === 1 ? html`<th></th><td></td>` : ''}</tr>`);
  }
  return html`<table class="fields"><tbody>${pairs}</tbody></table>`;
}
