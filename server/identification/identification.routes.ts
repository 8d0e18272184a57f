import type { FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import {
  ApplySubmissionBody, ApprovalBody, CaseDetail, CaseFormParams, CaseFormPdf, CaseFormQuery, CaseIdParams, CaseListQuery, CasePage, ErrorBody, JointReviewBody, NotifiedBody, OpenCaseBody,
  ParcelCases, ParcelCasesParams, PreliminaryBody, ReviewOpinionBody, SubmissionParams, SurveyReturnedBody, SurveySentBody, VerifiedBody, type StepBodies,
} from '../../domain/api/identification.schemas.js';
import { parcelFieldRefusal } from '../../domain/parcel-card-validation.js';
import { roleCan, roleLabel } from '../../domain/permissions.js';
import { stepLabel, type ActionStep } from '../../domain/identification/steps.js';
import { todayInChinaDate } from '../../domain/identification/working-days.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import type { Permission } from '../auth/principal.js';
import { writeAs } from '../db/actor.js';
import { contentDisposition } from '../content-disposition.js';
import { ApiError, NotFoundError } from '../errors.js';
import { printCaseForm } from './identification-forms.js';
import { caseActorOf } from './identification.service.js';
import type { CaseRow } from './identification.sql.js';

/** The action each step's route needs (the one permission layer); the role and unit are then the step machine's. */
const STEP_ROUTES: readonly { step: ActionStep; permission: Permission; body: TSchema; summary: string }[] = [
  { step: 'survey_sent', permission: 'cases:conduct', body: SurveySentBody, summary: '2 调查表发出 (园区办 / 镇街 of the case\'s unit)' },
  { step: 'survey_returned', permission: 'authenticated', body: SurveyReturnedBody, summary: '3 调查表回收: 附件1 filled online by the 用地单位 (own parcels) or entered from paper by the 园区办/镇街; kept as a snapshot' },
  { step: 'verified', permission: 'cases:conduct', body: VerifiedBody, summary: '4 核实 (confirmed, or sent_back = 一次告知 listing the 佐证材料)' },
  { step: 'preliminary', permission: 'cases:conduct', body: PreliminaryBody, summary: '5 初步认定: 原因, 低效类型 (one or several), 再利用适用措施; inefficient=false closes the case' },
  { step: 'review_opinion', permission: 'cases:opinion', body: ReviewOpinionBody, summary: '6 会审意见 of the user\'s own department (发改, 自然资源, 工信, 科技, 生态环境), once' },
  { step: 'joint_review', permission: 'cases:conduct', body: JointReviewBody, summary: '6 会审结论 (LOCAL RULE: all five opinions first; a dissent explained)' },
  { step: 'approved', permission: 'cases:approve', body: ApprovalBody, summary: '7 区政府（管委会）审批: approve, or reject (closes, reason required)' },
  { step: 'notified', permission: 'cases:conduct', body: NotifiedBody, summary: '8 告知: numbered 告知书, its date (the parcel\'s 认定时间), 抄送 区自然资源、工信; sets the 再利用方案 deadline' },
];

/**
 * 认定案卷 routes. Reading a case needs `cases:read` and its district in scope, or (用地单位) the
 * case's parcel linked to the account; opening one needs `cases:list` (区自然资源部门); each step its
 * action, then the step machine decides (409 step_not_allowed, 403 step_forbidden).
 */
export async function identificationRoutes(app: AppInstance): Promise<void> {
  const cases = app.identificationRepository;
  const service = app.identificationCases;

  async function caseFor(request: FastifyRequest, id: number): Promise<CaseRow> {
    const row = await cases.find(id);
    if (!row) throw new NotFoundError(`没有编号为 ${id} 的认定案卷`, { parameter: 'id' });
    const principal = principalOf(request);
    if (principal.role === 'enterprise') service.assertCaseReadable(row, principal);
    else scopeOf(request).assertReadable({ code: row.districtCode, name: row.districtName }, `案卷 ${row.number}`);
    return row;
  }

  async function refreshTiles(parcelId: number) {
    const parcel = await app.parcelsRepository.find(parcelId);
    if (parcel) app.tileCache.invalidate('parcels', [parcel.bbox]);
  }

  app.get('/api/identification/cases', {
    config: { permission: 'cases:read' },
    schema: {
      tags: ['identification'],
      summary: '认定案卷列表: filter by district, unit (园区/街道), step, state, overdue; only the reader\'s districts',
      querystring: CaseListQuery,
      response: { 200: CasePage, 400: ErrorBody },
    },
  }, async (request) => {
    const { items, total } = await cases.list(request.query, scopeOf(request), todayInChinaDate());
    return { items: items.map((row) => service.summary(row)), total, page: request.query.page, pageSize: request.query.pageSize };
  });

  app.get('/api/identification/my-cases', {
    config: { permission: 'cases:fill' },
    schema: {
      tags: ['identification'],
      summary: '用地单位: the cases of the parcels linked to the account, newest first',
      response: { 200: ParcelCases },
    },
  }, async (request) => {
    const rows = await cases.casesOfParcels(caseActorOf(principalOf(request)).enterpriseParcelIds);
    return { items: rows.map((row) => service.summary(row)) };
  });

  /** Reading a case: `cases:read` in scope, or the 用地单位 for its own parcels' cases. */
  function assertMayReadCases(request: FastifyRequest): void {
    const principal = principalOf(request);
    if (principal.role !== 'enterprise' && !roleCan(principal.role, 'cases:read')) {
      throw new ApiError(403, 'forbidden', `您的角色（${roleLabel(principal.role)}）不能查看认定案卷。`);
    }
  }

  app.get('/api/identification/cases/:id', {
    config: { permission: 'authenticated' },
    schema: {
      tags: ['identification'],
      summary: '认定案卷: the case, its timeline of steps, its 附件1 submissions, and the next steps with who takes them',
      params: CaseIdParams,
      response: { 200: CaseDetail, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    assertMayReadCases(request);
    return service.detail(await caseFor(request, request.params.id), principalOf(request));
  });

  app.get('/api/identification/cases/:id/forms/:form.pdf', {
    // A Chromium render: at most HEAVY_CONCURRENT_PER_USER at once per user.
    config: { permission: 'authenticated', heavy: true },
    schema: {
      tags: ['identification'],
      summary: '打印表单 (A4 PDF, laid out as seed 003): survey 附件1 调查表（认定） from the latest (or ?submission=) 附件1 snapshot over the parcel card; '
        + 'review 附件2 审核表 (after 初步认定) with each 会审 department\'s opinion and 盖章 blocks; notice 附件3 告知书 (after 告知). '
        + 'The 用地单位: 附件1 and 附件3 of its own cases only. 409 form_not_ready names the step needed; every download is on the audit log',
      params: CaseFormParams,
      querystring: CaseFormQuery,
      response: { 200: CaseFormPdf, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody },
    },
  }, async (request, reply) => {
    assertMayReadCases(request);
    const row = await caseFor(request, request.params.id);
    const printed = await printCaseForm(app, row, request.params.form, principalOf(request), { submissionId: request.query.submission, requestId: request.id });
    return reply.type('application/pdf')
      .header('Content-Disposition', contentDisposition('attachment', printed.fileName, `${request.params.form}-${row.number}.pdf`))
      .header('Cache-Control', 'private, no-store')
      .send(printed.bytes);
  });

  app.get('/api/parcels/:id/identification', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['identification'],
      summary: '地块的认定案卷 (parcel card 认定 section), newest first',
      params: ParcelCasesParams,
      response: { 200: ParcelCases, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const parcel = await app.parcelsRepository.find(request.params.id);
    if (!parcel) throw new NotFoundError(`没有编号为 ${request.params.id} 的地块`, { parameter: 'id' });
    scopeOf(request).assertReadable({ code: parcel.districtCode, name: parcel.districtName }, '该地块的认定案卷');
    return { items: (await cases.casesOfParcels([parcel.id])).map((row) => service.summary(row)) };
  });

  app.post('/api/identification/cases', {
    config: { permission: 'cases:list' },
    schema: {
      tags: ['identification'],
      summary: '1 列入清单: open the 认定案卷 of a parcel (园区内 → 园区办, 园区外 → 镇街); one open case per parcel',
      body: OpenCaseBody,
      response: { 201: CaseDetail, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const row = await writeAs(app.db, { name: principal.username, requestId: request.id }, (transaction) =>
      service.open(transaction, { parcelId: request.body.parcelId, principal, note: request.body.note }));
    return reply.code(201).send(await service.detail((await cases.find(row.id))!, principal));
  });

  for (const route of STEP_ROUTES) {
    app.post(`/api/identification/cases/:id/steps/${route.step}`, {
      config: { permission: route.permission, explainInvalid: (parameter: string) => parcelFieldRefusal(parameter.replace(/^fields\./, '')) },
      schema: {
        tags: ['identification'],
        summary: `${stepLabel(route.step)} — ${route.summary}`,
        params: CaseIdParams,
        body: route.body,
        response: { 200: CaseDetail, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    }, async (request) => {
      const principal = principalOf(request);
      const { id } = request.params as CaseIdParams;
      const result = await writeAs(app.db, { name: principal.username, requestId: request.id }, (transaction) =>
        service.takeStep(transaction, id, route.step, request.body as StepBodies[typeof route.step], principal));
      const row = (await cases.find(result.caseId))!;
      if (result.parcelChanged) await refreshTiles(row.parcelId);
      return service.detail(row, principal);
    });
  }

  app.post('/api/identification/cases/:id/submissions/:submissionId/apply', {
    config: { permission: 'cases:conduct' },
    schema: {
      tags: ['identification'],
      summary: '把调查表写入地块卡片: one parcel update (history kept) from the version read (409 stale_version), once per submission',
      params: SubmissionParams,
      body: ApplySubmissionBody,
      response: { 200: CaseDetail, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => {
    const principal = principalOf(request);
    await writeAs(app.db, { name: principal.username, requestId: request.id }, (transaction) =>
      service.applySubmission(transaction, request.params.id, request.params.submissionId, request.body, principal));
    const row = (await cases.find(request.params.id))!;
    await refreshTiles(row.parcelId);
    return service.detail(row, principal);
  });
}
