import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import {
  AcceptanceAppliedBody, AcceptanceFailedBody, AcceptanceFormParams, AcceptanceOpinionBody, AcceptanceReviewedBody, AcceptedBody, CertificateIssuedBody, CreditList,
  CreditListQuery, CreditListingParams, CreditRemovalBody, DistrictCounts, PlanOverdueListingBody, ApprovedBody, CaseIdParams, CaseReuse, CompareQuery, ConfirmedBody, ErrorBody, ExtensionAppliedBody, ExtensionDecidedBody, LedgerBody, OpinionBody, PlanCompare,
  PlanSubmitBody, ProjectIdParams, RequestedBody, ReuseDetail, ReuseListQuery, ReusePage, ReuseTodo, ReviewedBody, SignedBody, StartedBody, TrackingBody,
  type ReuseStepBodies,
} from '../../domain/api/reuse.schemas.js';
import { exportFileName, exportStamp } from '../../domain/exports/export-names.js';
import { todayInChinaDate } from '../../domain/identification/working-days.js';
import { roleCan, roleLabel } from '../../domain/permissions.js';
import { ACCEPTANCE_FORMS } from '../../domain/reuse/acceptance.js';
import { REUSE_FORM_NOT_READY } from '../../domain/reuse/refusals.js';
import { reuseStepLabel, type ReuseActionStep } from '../../domain/reuse/steps.js';
import { recordEvent } from '../admin/audit.repository.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import type { Permission } from '../auth/principal.js';
import { contentDisposition } from '../content-disposition.js';
import { writeAs } from '../db/actor.js';
import { ApiError, NotFoundError, ReuseRefusalError } from '../errors.js';
import { acceptanceFormDocument } from './acceptance-pdf.js';
import { CREDIT_LIST_TITLE, writeCreditListWorkbook } from './credit-list-workbook.js';
import { AGREEMENT_TITLE, agreementDocument } from './agreement-pdf.js';
import type { ProjectRow } from './reuse.sql.js';

/** The action each step's route needs; the role and unit are then the step machine's (domain/reuse/steps.ts). */
const STEP_ROUTES: readonly { step: Exclude<ReuseActionStep, 'plan_submitted'>; permission: Permission; body: TSchema; summary: string }[] = [
  { step: 'opinion', permission: 'reuse:opinion', body: OpinionBody, summary: '征求意见: the user\'s own department\'s opinion on the current version, once per version' },
  { step: 'reviewed', permission: 'reuse:conduct', body: ReviewedBody, summary: '意见汇总 by the 园区办/镇街: revise (back to the 用地单位 for a new version) or ready (to be confirmed)' },
  { step: 'confirmed', permission: 'reuse:plan', body: ConfirmedBody, summary: '土地使用权人确认 “同意按照上述方案实施” (the 用地单位, or the office entering its paper confirmation)' },
  { step: 'requested', permission: 'reuse:conduct', body: RequestedBody, summary: '请示 (附件5): 文号 “XX〔2026〕XX 号” and date' },
  { step: 'approved', permission: 'reuse:approve', body: ApprovedBody, summary: '批复 (附件6) by the 区政府: 文号 and date; or reject (back for changes, reason required)' },
  { step: 'signed', permission: 'reuse:conduct', body: SignedBody, summary: '签订协议书 (附件7): number, parties, date, place, term (default 签订1年内); the parcel becomes 再开发中' },
  { step: 'started', permission: 'reuse:conduct', body: StartedBody, summary: '开始实施 (due 3 months after signing)' },
  { step: 'extension_applied', permission: 'reuse:plan', body: ExtensionAppliedBody, summary: '申请延期: once, in the last month before the deadline, at most 3 months (409 extension_window / extension_used)' },
  { step: 'extension_decided', permission: 'reuse:conduct', body: ExtensionDecidedBody, summary: '延期决定 by the 甲方 (园区办/镇街 of the unit)' },
  { step: 'acceptance_applied', permission: 'reuse:plan', body: AcceptanceAppliedBody, summary: '验收申请 (附件8) with the 调查表（验收） (附件1 fields), after 开始实施 and with no 延期 pending' },
  { step: 'acceptance_opinion', permission: 'reuse:opinion', body: AcceptanceOpinionBody, summary: '验收部门意见 (附件9): the user\'s department, once per application' },
  { step: 'acceptance_reviewed', permission: 'reuse:conduct', body: AcceptanceReviewedBody, summary: '验收核实 by the 园区办/镇街 (附件9): pass (to the 区政府) or fail' },
  { step: 'accepted', permission: 'reuse:approve', body: AcceptedBody, summary: '区政府核准验收 (date; the 核准书 is due 3 working days later) or 不予核准 (reason required)' },
  { step: 'certificate_issued', permission: 'reuse:conduct', body: CertificateIssuedBody, summary: '发出验收核准书 (附件10, numbered): the project is completed, the parcel 已完成再开发' },
  { step: 'acceptance_failed', permission: 'reuse:conduct', body: AcceptanceFailedBody, summary: '未完成再利用 (附件7 五: 逾期 / 延期未获同意 / 未通过验收): the project closes, the 用地单位 goes on the 信用异常名单' },
];

const PdfFile = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/pdf' });

const REFUSALS = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/**
 * 再利用 routes. Reading needs `reuse:read` and the district in scope, or (用地单位) the parcel linked to
 * the account; each step its action, then the step machine decides (409 reuse_step_not_allowed, 403
 * reuse_step_forbidden).
 */
export async function reuseRoutes(app: AppInstance): Promise<void> {
  const projects = app.reuseRepository;
  const service = app.reuseProjects;

  function assertMayRead(request: FastifyRequest): void {
    const principal = principalOf(request);
    if (principal.role !== 'enterprise' && !roleCan(principal.role, 'reuse:read')) {
      throw new ApiError(403, 'forbidden', `您的角色（${roleLabel(principal.role)}）不能查看再利用项目。`);
    }
  }

  async function projectFor(request: FastifyRequest, id: number): Promise<ProjectRow> {
    assertMayRead(request);
    const row = await projects.find(id);
    if (!row) throw new NotFoundError(`没有编号为 ${id} 的再利用项目`, { parameter: 'id' });
    service.assertCaseReadable({ parcelId: row.parcelId, number: row.caseNumber, districtCode: row.districtCode, districtName: row.districtName }, principalOf(request));
    return row;
  }

  async function refreshTiles(parcelId: number) {
    const parcel = await app.parcelsRepository.find(parcelId);
    if (parcel) app.tileCache.invalidate('parcels', [parcel.bbox]);
  }

  app.get('/api/reuse/projects', {
    config: { permission: 'reuse:read' },
    schema: { tags: ['reuse'], summary: '再利用项目列表 in the reader\'s districts (filter by district, step, overdue)', querystring: ReuseListQuery, response: { 200: ReusePage, 400: ErrorBody } },
  }, async (request) => {
    const { items, total } = await projects.list(request.query, scopeOf(request));
    let summaries = items.map((row) => service.summary(row));
    if (request.query.overdue !== undefined) summaries = summaries.filter((summary) => summary.overdue === request.query.overdue);
    return { items: summaries, total, page: request.query.page, pageSize: request.query.pageSize };
  });

  app.get('/api/reuse/todo', {
    config: { permission: 'authenticated' },
    schema: { tags: ['reuse'], summary: '待办: what the reader is to take next in the 认定案卷 and the 再利用/验收 projects of their scope, with due dates, overdue first', response: { 200: ReuseTodo, 403: ErrorBody } },
  }, async (request) => {
    assertMayRead(request);
    return service.todo(principalOf(request));
  });

  app.get('/api/reuse/district-counts', {
    config: { permission: 'reuse:read' },
    schema: {
      tags: ['reuse'], summary: '区县统计: 认定案卷 and 再利用项目 per district, step and deadline state (超期/期限内/无期限/已办结), with the city totals',
      response: { 200: DistrictCounts, 403: ErrorBody },
    },
  }, async (request) => service.districtCounts(scopeOf(request)));

  app.get('/api/reuse/cases/:caseId', {
    config: { permission: 'authenticated' },
    schema: {
      tags: ['reuse'], summary: '认定案卷的再利用: the project (if any), what the plan takes from the card and the case, the clocks, whether the reader may draft',
      params: CaseIdParams, response: { 200: CaseReuse, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    assertMayRead(request);
    return service.ofCase(request.params.caseId, principalOf(request));
  });

  app.post('/api/reuse/cases/:caseId/plans', {
    config: { permission: 'reuse:plan' },
    schema: {
      tags: ['reuse'], summary: '提交再利用方案 (附件4): a new version (the first opens the project); card and case values are snapshotted, not typed',
      params: CaseIdParams, body: PlanSubmitBody, response: { 201: ReuseDetail, ...REFUSALS },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const result = await writeAs(app.db, { name: principal.username, requestId: request.id }, (transaction) =>
      service.takeStep(transaction, { caseId: request.params.caseId }, 'plan_submitted', request.body, principal));
    return reply.code(201).send(await service.detail((await projects.find(result.projectId))!, principal));
  });

  app.get('/api/reuse/projects/:id', {
    config: { permission: 'authenticated' },
    schema: { tags: ['reuse'], summary: '再利用项目: versions, steps, 实施 entries, ledger, clocks, next steps', params: ProjectIdParams, response: { 200: ReuseDetail, 403: ErrorBody, 404: ErrorBody } },
  }, async (request) => service.detail(await projectFor(request, request.params.id), principalOf(request)));

  app.get('/api/reuse/projects/:id/compare', {
    config: { permission: 'authenticated' },
    schema: { tags: ['reuse'], summary: '两版方案逐项比较 (plan fields and the card/case values kept with each)', params: ProjectIdParams, querystring: CompareQuery, response: { 200: PlanCompare, 403: ErrorBody, 404: ErrorBody } },
  }, async (request) => service.compare(await projectFor(request, request.params.id), request.query.from, request.query.to));

  for (const route of STEP_ROUTES) {
    app.post(`/api/reuse/projects/:id/steps/${route.step}`, {
      config: { permission: route.permission },
      schema: { tags: ['reuse'], summary: `${reuseStepLabel(route.step)} — ${route.summary}`, params: ProjectIdParams, body: route.body, response: { 200: ReuseDetail, ...REFUSALS } },
    }, async (request) => {
      const principal = principalOf(request);
      const { id } = request.params as ProjectIdParams;
      const result = await writeAs(app.db, { name: principal.username, requestId: request.id }, (transaction) =>
        service.takeStep(transaction, { projectId: id }, route.step, request.body as ReuseStepBodies[typeof route.step], principal));
      const row = (await projects.find(result.projectId))!;
      if (result.parcelChanged) await refreshTiles(row.parcelId);
      return service.detail(row, principal);
    });
  }

  app.post('/api/reuse/projects/:id/tracking', {
    config: { permission: 'reuse:conduct' },
    schema: { tags: ['reuse'], summary: '实施跟踪 entry (定期跟进, 登记造册, 手续, 补充协议) with the parcel\'s documents; only after the 协议书', params: ProjectIdParams, body: TrackingBody, response: { 201: ReuseDetail, ...REFUSALS } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await writeAs(app.db, { name: principal.username, requestId: request.id }, (transaction) => service.addTracking(transaction, request.params.id, request.body, principal));
    return reply.code(201).send(await service.detail((await projects.find(request.params.id))!, principal));
  });

  app.put('/api/reuse/projects/:id/ledger', {
    config: { permission: 'reuse:conduct' },
    schema: { tags: ['reuse'], summary: '经济数据台账: one period (YYYY, YYYY-Qn, YYYY-MM) of 产值, 税收, 投资 (万元, ≥ 0); a correction replaces it, history keeps the old', params: ProjectIdParams, body: LedgerBody, response: { 200: ReuseDetail, ...REFUSALS } },
  }, async (request) => {
    const principal = principalOf(request);
    await writeAs(app.db, { name: principal.username, requestId: request.id }, (transaction) => service.putLedger(transaction, request.params.id, request.body, principal));
    return service.detail((await projects.find(request.params.id))!, principal);
  });

  app.get('/api/reuse/credit-list', {
    config: { permission: 'reuse:read' },
    schema: { tags: ['reuse'], summary: '信用异常名单 (附件3, 附件7 五) in the reader\'s districts, newest first', querystring: CreditListQuery, response: { 200: CreditList, 400: ErrorBody } },
  }, async (request) => service.creditList(principalOf(request), request.query.district));

  app.post('/api/reuse/cases/:caseId/credit-listing', {
    config: { permission: 'reuse:conduct' },
    schema: {
      tags: ['reuse'], summary: '附件3 逾期未报送再利用方案: the 甲方 lists the 用地单位 of a notified case with no plan after its month (once per case)',
      params: CaseIdParams, body: PlanOverdueListingBody, response: { 201: CreditList, ...REFUSALS },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await writeAs(app.db, { name: principal.username, requestId: request.id }, (transaction) =>
      service.listPlanOverdue(transaction, request.params.caseId, request.body.reason, principal));
    const list = await service.creditList(principal, undefined);
    return reply.code(201).send({ items: list.items.filter((entry) => entry.caseId === request.params.caseId), total: list.items.filter((entry) => entry.caseId === request.params.caseId).length });
  });

  app.post('/api/reuse/credit-list/:id/removal', {
    config: { permission: 'reuse:unlist' },
    schema: {
      tags: ['reuse'], summary: '移出信用异常名单: an official takes the 用地单位 off the list with the reason (kept; the listing stays on record)',
      params: CreditListingParams, body: CreditRemovalBody, response: { 200: CreditList, ...REFUSALS },
    },
  }, async (request) => {
    const principal = principalOf(request);
    await writeAs(app.db, { name: principal.username, requestId: request.id }, (transaction) =>
      service.removeListing(transaction, request.params.id, request.body.reason, principal));
    const list = await service.creditList(principal, undefined);
    const items = list.items.filter((entry) => entry.id === request.params.id);
    return { items, total: items.length };
  });

  app.get('/api/reuse/credit-list.xlsx', {
    config: { permission: 'reuse:read' },
    schema: { tags: ['reuse'], summary: '信用异常名单 as Excel; on the audit log', querystring: CreditListQuery, response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 400: ErrorBody } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const list = await service.creditList(principal, request.query.district);
    const today = todayInChinaDate();
    const buffer = await writeCreditListWorkbook(CREDIT_LIST_TITLE, today, list.items, principal.displayName);
    await recordEvent(app.db, { entity: 'exports', entityId: 'credit-list', action: 'export', actor: principal.username, requestId: request.id, before: null, after: { file: 'credit-list.xlsx', rowCount: list.total } });
    const name = exportFileName([CREDIT_LIST_TITLE], exportStamp(new Date()), '.xlsx');
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', contentDisposition('attachment', name, 'credit-list.xlsx')).header('cache-control', 'private, no-store').send(buffer);
  });

  app.get('/api/reuse/projects/:id/forms/:form', {
    config: { permission: 'authenticated', heavy: true },
    schema: {
      tags: ['reuse'], summary: '验收 forms as PDF: annex8 验收申请, annex9 验收审核表 (after the application), annex10 验收核准书 (once issued); on the audit log',
      params: AcceptanceFormParams, response: { 200: PdfFile, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const row = await projectFor(request, request.params.id);
    const detail = await service.detail(row, principal);
    const form = ACCEPTANCE_FORMS.find((entry) => entry.code === request.params.form)!;
    if (!detail.acceptance?.forms.find((entry) => entry.code === form.code)?.ready) {
      throw new ReuseRefusalError({
        reason: REUSE_FORM_NOT_READY, parameter: 'form', details: { form: form.code, needs: form.needs },
        message: `再利用项目 ${row.number} 还不能打印${form.attachment}《${form.title}》：需先办理「${reuseStepLabel(form.needs)}」（当前为「${reuseStepLabel(row.step)}」）。`,
      });
    }
    const [parcel, cityName] = await Promise.all([app.parcelsRepository.find(row.parcelId), app.identificationRepository.cityName(row.districtCode)]);
    const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'biaotu-acceptance-'));
    try {
      const file = path.join(directory, `${form.code}.pdf`);
      const data = { project: detail, cityName, parcel: parcel ? { owner: parcel.owner, location: parcel.location, registeredAreaM2: parcel.registeredAreaM2, contractNo: parcel.contractNo, certificateNo: parcel.certificateNo } : null };
      await app.pdfRenderer.render(acceptanceFormDocument(form.code, data), file, { footer: `${form.attachment} ${form.title} · ${row.number}` });
      const content = await fs.readFile(file);
      await recordEvent(app.db, { entity: 'reuse_projects', entityId: String(row.id), action: 'export', actor: principal.username, requestId: request.id, before: null, after: { file: `${form.code}.pdf`, form: `${form.attachment} ${form.title}` } });
      const name = exportFileName([form.title, row.number], exportStamp(new Date()), '.pdf');
      return reply.header('content-type', 'application/pdf').header('content-disposition', contentDisposition('attachment', name, `${form.code}-${row.id}.pdf`)).send(content);
    } finally {
      await fs.rm(directory, { recursive: true, force: true });
    }
  });

  app.get('/api/reuse/projects/:id/agreement.pdf', {
    config: { permission: 'authenticated', heavy: true },
    schema: { tags: ['reuse'], summary: '协议书 (附件7) as PDF, once signed; on the audit log', params: ProjectIdParams, response: { 200: PdfFile, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const row = await projectFor(request, request.params.id);
    const detail = await service.detail(row, principal);
    if (!detail.agreement) throw new ApiError(409, 'reuse_step_not_allowed', `再利用项目 ${row.number} 尚未签订协议书：签订后才能打印协议书。`, { parameter: 'id' });
    const parcel = await app.parcelsRepository.find(row.parcelId);
    const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'biaotu-agreement-'));
    try {
      const file = path.join(directory, 'agreement.pdf');
      await app.pdfRenderer.render(agreementDocument(detail, { location: parcel?.location ?? null, owner: parcel?.owner ?? row.owner }), file, { footer: `${AGREEMENT_TITLE} · ${detail.agreement.number}` });
      const content = await fs.readFile(file);
      await recordEvent(app.db, { entity: 'reuse_projects', entityId: String(row.id), action: 'export', actor: principal.username, requestId: request.id, before: null, after: { file: 'agreement.pdf', agreement: detail.agreement.number } });
      const name = exportFileName([AGREEMENT_TITLE, detail.agreement.number], exportStamp(new Date()), '.pdf');
      return reply.header('content-type', 'application/pdf').header('content-disposition', contentDisposition('attachment', name, `agreement-${row.id}.pdf`)).send(content);
    } finally {
      await fs.rm(directory, { recursive: true, force: true });
    }
  });
}
