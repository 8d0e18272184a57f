import { ErrorBody } from '../../domain/api/common.schemas.js';
import {
  Inquiry, InquiryHandling, InquiryPage, InquiryQuery, Listing, ListingCandidateList, ListingCreate, ListingList, ListingParams, ListingPublish,
  ListingQuery, ListingUpdate, ListingVersionList, ListingWithdraw,
} from '../../domain/api/zhaoshang.schemas.js';
import type { AppInstance } from '../app-instance.js';
import { scopeOf } from '../auth/auth.plugin.js';
import { callerOf } from '../criteria/caller.js';

const TAGS = ['zhaoshang'];

/** 招商地图 for officials: listings of idle plots (versioned: edit, 发布, 撤回) and the investors' 意向. */
export async function zhaoshangRoutes(app: AppInstance): Promise<void> {
  const repository = app.zhaoshangRepository;
  const service = app.zhaoshangService;

  app.get('/api/zhaoshang/listings', {
    config: { permission: 'data:read' },
    schema: { tags: TAGS, summary: '招商地块（本人管辖范围内），当前版本', querystring: ListingQuery, response: { 200: ListingList, 400: ErrorBody } },
  }, async (request) => ({ items: await repository.listings(scopeOf(request), request.query.district) }));

  app.get('/api/zhaoshang/candidates', {
    config: { permission: 'data:read' },
    schema: { tags: TAGS, summary: '可列入招商地图的地块：已认定的闲置低效用地，尚无招商信息', querystring: ListingQuery, response: { 200: ListingCandidateList, 400: ErrorBody } },
  }, async (request) => ({ items: await repository.candidates(scopeOf(request), request.query.district) }));

  app.get('/api/zhaoshang/listings/:id', {
    config: { permission: 'data:read' },
    schema: { tags: TAGS, summary: '一个招商地块', params: ListingParams, response: { 200: Listing, 403: ErrorBody, 404: ErrorBody } },
  }, async (request) => service.listing(request.params.id, callerOf(request)));

  app.get('/api/zhaoshang/listings/:id/versions', {
    config: { permission: 'data:read' },
    schema: { tags: TAGS, summary: '招商地块的全部版本（新建、修改、发布、撤回），最新在前', params: ListingParams, response: { 200: ListingVersionList, 403: ErrorBody, 404: ErrorBody } },
  }, async (request) => {
    await service.listing(request.params.id, callerOf(request));
    return { items: await repository.versions(request.params.id) };
  });

  app.post('/api/zhaoshang/listings', {
    config: { permission: 'zhaoshang:manage' },
    schema: {
      tags: TAGS, summary: '为已认定的闲置低效用地新建招商信息（草稿）：规划条件、专属招商方案、公开照片', body: ListingCreate,
      response: { 201: Listing, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request, reply) => reply.code(201).send(await service.create(request.body, callerOf(request))));

  app.put('/api/zhaoshang/listings/:id', {
    config: { permission: 'zhaoshang:manage' },
    schema: {
      tags: TAGS, summary: '修改招商信息：保存为新版本；已发布的地块在再次发布前公众仍看到已发布的版本', params: ListingParams, body: ListingUpdate,
      response: { 200: Listing, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => service.update(request.params.id, request.body, callerOf(request)));

  app.post('/api/zhaoshang/listings/:id/publish', {
    config: { permission: 'zhaoshang:manage' },
    schema: {
      tags: TAGS, summary: '发布：当前版本在公众招商地图上显示', params: ListingParams, body: ListingPublish,
      response: { 200: Listing, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => service.publish(request.params.id, request.body.version, callerOf(request)));

  app.post('/api/zhaoshang/listings/:id/withdraw', {
    config: { permission: 'zhaoshang:manage' },
    schema: {
      tags: TAGS, summary: '撤回：地块立即从公众招商地图上消失（写明原因）', params: ListingParams, body: ListingWithdraw,
      response: { 200: Listing, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => service.withdraw(request.params.id, request.body.version, request.body.reason, callerOf(request)));

  app.get('/api/zhaoshang/inquiries', {
    config: { permission: 'zhaoshang:inquiries' },
    schema: { tags: TAGS, summary: '投资意向：本人管辖范围内地块的意向和不限地块的意向，最新在前', querystring: InquiryQuery, response: { 200: InquiryPage, 400: ErrorBody } },
  }, async (request) => repository.inquiries(scopeOf(request), request.query));

  app.put('/api/zhaoshang/inquiries/:id/handling', {
    config: { permission: 'zhaoshang:inquiries' },
    schema: {
      tags: TAGS, summary: '处理意向：标记已处理、处理情况、匹配的招商地块', params: ListingParams, body: InquiryHandling,
      response: { 200: Inquiry, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => service.handleInquiry(request.params.id, request.body, callerOf(request)));
}
