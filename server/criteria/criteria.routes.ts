import { ErrorBody } from '../../domain/api/common.schemas.js';
import {
  CriteriaDecision, CriteriaDecisionParams, CriteriaRun, CriteriaRunList, CriteriaRunParams, CriteriaRunParcel, CriteriaRunParcelPage,
  CriteriaRunParcelsQuery, CriteriaRunQuery, CriteriaRunRequest, CriteriaSet, CriteriaSetCreate, CriteriaSetEdit, CriteriaSetList,
  CriteriaSetParams, CriteriaSetQuery, CriteriaSetStep, CriteriaSetVersionList,
} from '../../domain/api/criteria.schemas.js';
import type { AppInstance } from '../app-instance.js';
import { scopeOf } from '../auth/auth.plugin.js';
import { callerOf } from './caller.js';

/** 认定标准 (criteria sets, per district, versioned) and 初筛 (runs that flag; people decide). */
export async function criteriaRoutes(app: AppInstance): Promise<void> {
  const service = app.criteriaService;
  const repository = app.criteriaRepository;

  app.get('/api/criteria-sets', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['criteria'],
      summary: '认定标准 of the reader\'s districts (current versions; the published one first)',
      querystring: CriteriaSetQuery,
      response: { 200: CriteriaSetList, 400: ErrorBody },
    },
  }, async (request) => ({ items: await repository.list(scopeOf(request), request.query.district) }));

  app.get('/api/criteria-sets/:id', {
    config: { permission: 'data:read' },
    schema: { tags: ['criteria'], summary: 'One criteria set, current version, with the state steps it may take', params: CriteriaSetParams, response: { 200: CriteriaSet, 403: ErrorBody, 404: ErrorBody } },
  }, async (request) => service.setInScope(request.params.id, callerOf(request), '查看'));

  app.get('/api/criteria-sets/:id/versions', {
    config: { permission: 'data:read' },
    schema: { tags: ['criteria'], summary: 'Every version of a criteria set, newest first (who, when, what changed)', params: CriteriaSetParams, response: { 200: CriteriaSetVersionList, 403: ErrorBody, 404: ErrorBody } },
  }, async (request) => {
    await service.setInScope(request.params.id, callerOf(request), '查看');
    return { items: await repository.versions(request.params.id) };
  });

  app.post('/api/criteria-sets', {
    config: { permission: 'criteria:manage' },
    schema: {
      tags: ['criteria'],
      summary: 'A new criteria set of a district, as a 草案 (version 1)',
      body: CriteriaSetCreate,
      response: { 201: CriteriaSet, 400: ErrorBody, 403: ErrorBody },
    },
  }, async (request, reply) => reply.code(201).send(await service.create(request.body, callerOf(request))));

  app.put('/api/criteria-sets/:id', {
    config: { permission: 'criteria:manage' },
    schema: {
      tags: ['criteria'],
      summary: 'Edit a 草案: a new version (only drafts; 409 criteria_set_not_draft otherwise, 409 stale_version on a stale version)',
      params: CriteriaSetParams,
      body: CriteriaSetEdit,
      response: { 200: CriteriaSet, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => service.edit(request.params.id, request.body, callerOf(request)));

  app.post('/api/criteria-sets/:id/state', {
    config: { permission: 'criteria:manage' },
    schema: {
      tags: ['criteria'],
      summary: 'One state step 草案 → 已批准 (批准机关, 文号, 日期) → 已发布 → 已废止; an illegal step is 409 illegal_step naming the allowed ones; publishing retires the district\'s previous published set',
      params: CriteriaSetParams,
      body: CriteriaSetStep,
      response: { 200: CriteriaSet, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => service.step(request.params.id, request.body, callerOf(request)));

  app.post('/api/criteria-runs', {
    config: { permission: 'criteria:run', heavy: true },
    schema: {
      tags: ['criteria'],
      summary: '初筛: runs the district\'s published criteria set over its parcels; lists flags, never changes a status',
      body: CriteriaRunRequest,
      response: { 201: CriteriaRun, 400: ErrorBody, 403: ErrorBody, 409: ErrorBody },
    },
  }, async (request, reply) => reply.code(201).send(await service.run(request.body.districtCode, request.body.referenceDate, callerOf(request))));

  app.get('/api/criteria-runs', {
    config: { permission: 'data:read' },
    schema: { tags: ['criteria'], summary: 'Runs of the reader\'s districts, newest first (who, when, set version, counts)', querystring: CriteriaRunQuery, response: { 200: CriteriaRunList, 400: ErrorBody } },
  }, async (request) => ({ items: await repository.runs(scopeOf(request), request.query.district) }));

  app.get('/api/criteria-runs/:id', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['criteria'],
      summary: 'A run\'s parcels: criteria hit (value, threshold, unit), 数据不全 criteria (missing fields), suggested types, decisions',
      params: CriteriaRunParams,
      querystring: CriteriaRunParcelsQuery,
      response: { 200: CriteriaRunParcelPage, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => service.runParcels(request.params.id, request.query, callerOf(request)));

  app.post('/api/criteria-runs/:id/parcels/:parcelId/decision', {
    config: { permission: 'criteria:run' },
    schema: {
      tags: ['criteria'],
      summary: 'A reviewer\'s decision on a listed parcel: include 纳入认定, exclude 排除 (reason required) or pending 待定',
      params: CriteriaDecisionParams,
      body: CriteriaDecision,
      response: { 200: CriteriaRunParcel, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => service.decide(request.params.id, request.params.parcelId, request.body, callerOf(request)));
}
