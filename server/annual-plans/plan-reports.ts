import type { PlanDetail } from '../../domain/api/annual-plans.schemas.js';
import { MILESTONE_STATUS_LABELS, milestoneDaysLate, milestoneStatus, PLAN_REPORTS, planStateLabel, type PlanReportKind } from '../../domain/annual-plans.js';
import { html, type Html } from '../exports/reports/html.js';
import { dateTimeText, fieldsTable, reportDocument } from '../exports/reports/report-page.js';

/**
 * The 双月工作简报 and the 半年工作进展情况报告 (seed 004 五(二) "每双月报送工作简报，每半年编制工作进展情况
 * 报告") drawn from a plan's 台账: what the period planned and did, what is overdue and who answers for it,
 * what comes next. Milestones count as of the period's last day (or today, while the period runs).
 * Rendered by app.pdfRenderer like the other printed reports.
 */
export interface ReportInput {
  plan: PlanDetail;
  kind: PlanReportKind;
  period: { from: string; to: string; name: string };
  next: { from: string; to: string; name: string } | null;
  actor: string;
  at: Date;
}

type Row = PlanDetail['projects'][number]['milestones'][number] & { projectName: string };

export function planReportTitle(kind: PlanReportKind): string {
  return PLAN_REPORTS.find((report) => report.code === kind)!.label;
}

export function planReportDocument(input: ReportInput): Html {
  const { plan, kind, period } = input;
  const today = plan.today;
  const asOf = today < period.to ? today : period.to;
  const rows: Row[] = plan.projects.flatMap((project) => project.milestones.map((milestone) => ({ ...milestone, projectName: project.name })));
  // As of the report's day: a milestone done after it was not done then.
  const then = (row: Row) => ({ plannedDate: row.plannedDate, doneDate: row.doneDate !== null && row.doneDate <= asOf ? row.doneDate : null });
  const inPeriod = (date: string | null) => date !== null && date >= period.from && date <= period.to;
  const planned = rows.filter((row) => inPeriod(row.plannedDate));
  const doneInPeriod = rows.filter((row) => inPeriod(row.doneDate) && row.doneDate! <= asOf);
  const overdue = rows.filter((row) => milestoneStatus(then(row), asOf) === 'overdue');
  const doneSoFar = rows.filter((row) => then(row).doneDate !== null);
  const upcoming = input.next ? rows.filter((row) => row.plannedDate >= input.next!.from && row.plannedDate <= input.next!.to) : [];
  const title = planReportTitle(kind);
  const pilots = plan.projects.filter((project) => project.pilot);

  const milestoneTable = (list: readonly Row[], empty: string, options: { late?: boolean } = {}) => list.length === 0
    ? html`<p class="note">${empty}</p>`
    : html`<table><thead><tr><th>项目</th><th>节点</th><th>责任单位</th><th>计划完成</th><th>实际完成</th><th>${options.late ? '逾期天数' : '状态'}</th></tr></thead><tbody>${list.map((row) => {
      const status = milestoneStatus(then(row), asOf);
      return html`<tr><td>${row.projectName}</td><td>${row.name}</td><td>${row.responsibleUnit}</td><td class="number">${row.plannedDate}</td><td class="number">${then(row).doneDate ?? '—'}</td><td class="${status === 'overdue' || status === 'done_late' ? 'fail' : status === 'done' ? 'pass' : 'muted'}">${options.late ? `${milestoneDaysLate(then(row), asOf)} 天` : MILESTONE_STATUS_LABELS[status]}</td></tr>`;
    })}</tbody></table>`;

  const units = new Map<string, { total: number; overdue: number; done: number }>();
  for (const row of rows) {
    const entry = units.get(row.responsibleUnit) ?? { total: 0, overdue: 0, done: 0 };
    entry.total++;
    if (milestoneStatus(then(row), asOf) === 'overdue') entry.overdue++;
    if (then(row).doneDate !== null) entry.done++;
    units.set(row.responsibleUnit, entry);
  }
  const unitTable = html`<table><thead><tr><th>责任单位</th><th class="number">节点数</th><th class="number">已完成</th><th class="number">已逾期</th></tr></thead><tbody>${[...units.entries()].map(([unit, entry]) =>
    html`<tr><td>${unit}</td><td class="number">${entry.total}</td><td class="number">${entry.done}</td><td class="number ${entry.overdue > 0 ? 'fail' : ''}">${entry.overdue}</td></tr>`)}</tbody></table>`;

  const summary = fieldsTable([
    { label: '计划', value: plan.title },
    { label: '计划状态', value: planStateLabel(plan.state) },
    { label: '项目数', value: `${plan.projects.length} 个` },
    { label: '试点项目', value: `${pilots.length} 个${pilots.length > 0 ? `（${pilots.map((project) => project.name).join('、')}）` : ''}` },
    { label: '节点总数', value: `${rows.length} 个` },
    { label: `截至 ${asOf} 已完成`, value: `${doneSoFar.length} 个` },
    { label: `截至 ${asOf} 已逾期`, value: html`<span class="${overdue.length > 0 ? 'fail' : 'pass'}">${overdue.length} 个</span>` },
    { label: '本期计划节点', value: `${planned.length} 个，本期完成 ${doneInPeriod.length} 个` },
  ]);

  const projectsTable = html`<table><thead><tr><th>项目</th><th>开发主体</th><th>盘活模式</th><th>实施内容</th><th class="number">节点完成</th></tr></thead><tbody>${plan.projects.map((project) => {
    const done = project.milestones.filter((milestone) => milestone.doneDate !== null && milestone.doneDate <= asOf).length;
    return html`<tr><td>${project.name}${project.pilot ? html`<span class="detail">试点项目</span>` : ''}</td><td>${project.developer}</td><td>${project.modeLabel}</td><td>${project.content}</td><td class="number">${done} / ${project.milestones.length}</td></tr>`;
  })}</tbody></table>`;

  const schemes = pilots.map((project) => html`<div class="group"><p><b>${project.name}</b>（${project.modeLabel}，开发主体：${project.developer}）</p>${fieldsTable([
    { label: '改造计划', value: project.scheme.renovation || '未填写' },
    { label: '项目运营计划', value: project.scheme.operation || '未填写' },
    { label: '资金平衡测算及筹措', value: project.scheme.funding || '未填写' },
    { label: '建设时序', value: project.scheme.schedule || '未填写' },
  ])}</div>`);

  const body = kind === 'bimonthly'
    ? html`<h2>一、总体情况</h2>${summary}
<h2>二、本期节点完成情况<span class="aside">${period.from} 至 ${period.to}</span></h2>${milestoneTable([...new Set([...planned, ...doneInPeriod])], '本期没有计划或完成的节点。')}
<h2>三、逾期节点<span class="aside">截至 ${asOf}</span></h2>${milestoneTable(overdue, '没有逾期节点。', { late: true })}
<h2>四、下期工作安排${input.next ? html`<span class="aside">${input.next.from} 至 ${input.next.to}</span>` : ''}</h2>${milestoneTable(upcoming, input.next ? '下期没有计划节点。' : '本期为年度最后一期：下一年度计划另行编制。')}`
    : html`<h2>一、计划执行总体情况</h2>${summary}
<h2>二、项目进展</h2>${plan.projects.length === 0 ? html`<p class="note">计划中还没有项目。</p>` : projectsTable}
<h2>三、试点项目实施方案</h2>${schemes.length === 0 ? html`<p class="note">本计划没有试点项目。</p>` : schemes}
<h2>四、本半年节点完成情况<span class="aside">${period.from} 至 ${period.to}</span></h2>${milestoneTable([...new Set([...planned, ...doneInPeriod])], '本半年没有计划或完成的节点。')}
<h2>五、逾期节点及责任单位<span class="aside">截至 ${asOf}</span></h2>${milestoneTable(overdue, '没有逾期节点。', { late: true })}${rows.length > 0 ? unitTable : ''}
<h2>六、下一阶段工作安排</h2>${milestoneTable(upcoming, input.next ? '下半年没有计划节点。' : '本年度计划已到年末：下一年度计划另行编制。')}`;

  return reportDocument({
    title: `${plan.districtName}低效用地再开发${title}`,
    subtitle: `${period.name} · ${plan.title}`,
    meta: `数据截至 ${asOf} · ${input.actor} 于 ${dateTimeText(input.at)} 生成 · 依据：河东区低效用地再开发试点工作实施方案 五(二)“每双月报送工作简报，每半年编制工作进展情况报告”`,
    body,
  });
}
