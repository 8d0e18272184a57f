import { ErrorBody } from '../../domain/api/common.schemas.js';
import {
  GradeExplanation, GradingRun, GradingRunList, GradingRunRequest, GradingScheme, GradingSchemeList, GradingSchemeParams, GradingSchemeQuery,
  GradingSchemeRevision, ParcelGradeParams,
} from '../../domain/api/grading.schemas.js';
import type { AppInstance } from '../app-instance.js';
import { scopeOf } from '../auth/auth.plugin.js';
import { callerOf } from '../criteria/caller.js';

/** 综合评价分级 A/B/C/D: schemes per district (versioned), runs, and each parcel's grade explained. */
export async function gradingRoutes(app: AppInstance): Promise<void> {
  const service = app.gradingService;
  const repository = app.gradingRepository;

  app.get('/api/grading-schemes', {
    config: { permission: 'data:read' },
    schema: { tags: ['grading'], summary: 'The current grading scheme of each of the reader\'s districts', querystring: GradingSchemeQuery, response: { 200: GradingSchemeList, 400: ErrorBody } },
  }, async (request) => ({ items: await repository.current(scopeOf(request), request.query.district) }));

  app.get('/api/grading-schemes/:district/versions', {
    config: { permission: 'data:read' },
    schema: { tags: ['grading'], summary: 'Every version of a district\'s grading scheme, newest first', params: GradingSchemeParams, response: { 200: GradingSchemeList, 403: ErrorBody } },
  }, async (request) => {
    const district = request.params.district;
    scopeOf(request).assertReadable({ code: district, name: district }, '该区的分级方案');
    return { items: await repository.versions(district) };
  });

  app.put('/api/grading-schemes/:district', {
    config: { permission: 'grading:manage' },
    schema: {
      tags: ['grading'],
      summary: 'Revise a district\'s grading scheme (measures, weights, cut-offs by rank or by score): stored as the next version',
      params: GradingSchemeParams,
      body: GradingSchemeRevision,
      response: { 200: GradingScheme, 400: ErrorBody, 403: ErrorBody },
    },
  }, async (request) => service.revise(request.params.district, request.body, callerOf(request)));

  app.post('/api/grading-runs', {
    config: { permission: 'grading:run', heavy: true },
    schema: {
      tags: ['grading'],
      summary: 'Grade every parcel of a district by its current scheme in one statement; writes 综合评价等级 (history per changed parcel, one audit entry)',
      body: GradingRunRequest,
      response: { 201: GradingRun, 400: ErrorBody, 403: ErrorBody, 409: ErrorBody },
    },
  }, async (request, reply) => reply.code(201).send(await service.run(request.body.districtCode, callerOf(request))));

  app.get('/api/grading-runs', {
    config: { permission: 'data:read' },
    schema: { tags: ['grading'], summary: 'Grading runs of the reader\'s districts, newest first', querystring: GradingSchemeQuery, response: { 200: GradingRunList, 400: ErrorBody } },
  }, async (request) => ({ items: await repository.runs(scopeOf(request), request.query.district) }));

  app.get('/api/parcels/:id/grade', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['grading'],
      summary: 'Why the parcel has its grade: score, rank of how many, each measure\'s value, percentile and weight (latest run)',
      params: ParcelGradeParams,
      response: { 200: GradeExplanation, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => service.explanation(request.params.id, callerOf(request)));
}
