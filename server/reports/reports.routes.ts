import {
  ErrorBody, ReportFileBody, ReportOverview, ReportOverviewQuery, ReportParams, ReportSubmission, ReportWorkbookQuery, SubmissionIdParams, SubmitReportBody,
} from '../../domain/api/reports.schemas.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import { contentDisposition } from '../content-disposition.js';
import { writeAs } from '../db/actor.js';
import { NotFoundError } from '../errors.js';

/**
 * 汇总表 routes (附件11, and issue 17's 附件12/13): download the workbook of a district or the city for
 * a period, a district's periods and submissions, submit (freezing the file; `reports:submit`:
 * 区自然资源部门 and administrators), download a submitted file. Reading needs `cases:read` and the
 * district in scope.
 */
export async function reportsRoutes(app: AppInstance): Promise<void> {
  const service = app.reportsService;

  app.get('/api/reports/:report/workbook', {
    config: { permission: 'cases:read' },
    schema: {
      tags: ['reports'],
      summary: '汇总表 (xlsx) of a district, or of the city over the reader\'s districts, for a period (default: the current one)',
      params: ReportParams,
      querystring: ReportWorkbookQuery,
      response: { 200: ReportFileBody, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const generated = await service.generate(request.params.report, request.query.district, request.query.period, principalOf(request));
    return reply.header('content-type', generated.mediaType)
      .header('content-disposition', contentDisposition('attachment', generated.fileName, `${request.params.report}-${request.query.district}.xlsx`))
      .header('cache-control', 'private, no-store')
      .send(generated.buffer);
  });

  app.get('/api/reports/:report/submissions', {
    config: { permission: 'cases:read' },
    schema: {
      tags: ['reports'],
      summary: 'a district\'s periods (submitted, overdue, due…) and its submissions, newest first; the districts the reader may choose',
      params: ReportParams,
      querystring: ReportOverviewQuery,
      response: { 200: ReportOverview, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => service.overview(request.params.report, request.query.district, principalOf(request)));

  app.post('/api/reports/:report/submissions', {
    config: { permission: 'reports:submit' },
    schema: {
      tags: ['reports'],
      summary: '报送: generate the district\'s report for the period now and freeze it with who and when (a later one supersedes it)',
      params: ReportParams,
      body: SubmitReportBody,
      response: { 201: ReportSubmission, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const id = await writeAs(app.db, { name: principal.username, requestId: request.id }, (transaction) =>
      service.submit(transaction, request.params.report, request.body, principal));
    return reply.code(201).send((await service.submission(id))!);
  });

  app.get('/api/reports/submissions/:id/file', {
    config: { permission: 'cases:read' },
    schema: {
      tags: ['reports'],
      summary: 'a submitted report\'s file, as it was submitted',
      params: SubmissionIdParams,
      response: { 200: ReportFileBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const submission = await service.submission(request.params.id);
    if (!submission) throw new NotFoundError(`没有编号为 ${request.params.id} 的报送记录`, { parameter: 'id' });
    scopeOf(request).assertReadable({ code: submission.districtCode, name: submission.districtName }, '该报送记录');
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', contentDisposition('attachment', submission.fileName, `report-submission-${submission.id}.xlsx`))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-cache')
      .header('etag', `"${submission.sha256}"`)
      .send(await app.reportsRepository.content(submission.id));
  });
}
