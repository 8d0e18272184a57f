import { ErrorBody } from '../../domain/api/common.schemas.js';
import {
  InquiryCreate, InquiryReceipt, PublicDistrictCollection, PublicPhotoBody, PublicPhotoParams, PublicPlotCollection, PublicPlotDetail, PublicPlotParams,
  PublicPlotsQuery,
} from '../../domain/api/zhaoshang.schemas.js';
import { XIAMEN } from '../../domain/districts.js';
import { INQUIRY_FIELD_MESSAGES, PUBLIC_ZHAOSHANG_PREFIX } from '../../domain/zhaoshang.js';
import type { AppInstance } from '../app-instance.js';
import { NotFoundError } from '../errors.js';
import { withoutMetadata } from './public-photo.js';

const PREFIX = PUBLIC_ZHAOSHANG_PREFIX.replace(/\/$/, '');
const TAGS = ['zhaoshang-public'];
const plotNotFound = (id: number) => new NotFoundError(`招商地块 ${id} 不存在或已撤回：请回到招商地图重新选择。`, { parameter: 'id' });

/**
 * The public 招商地图 for investors: no login, read-only except the 意向 form. Every route here
 * declares `permission: 'public'` (the auth plugin requires it under this prefix and reads no
 * session); each answers only the published version of published listings (the contract's public
 * schemas are all the serializer writes), and each is limited per client address: reads per
 * minute, 意向 per hour.
 */
export async function zhaoshangPublicRoutes(app: AppInstance): Promise<void> {
  const repository = app.zhaoshangRepository;
  const service = app.zhaoshangService;
  const reads = app.rateLimit({ max: app.settings.zhaoshangReadsPerMinute, timeWindow: 60_000 });
  const inquiries = app.rateLimit({ max: app.settings.zhaoshangInquiriesPerHour, timeWindow: 3_600_000 });
  const publicRead = { config: { permission: 'public' as const }, onRequest: reads };

  app.get(`${PREFIX}/plots`, {
    ...publicRead,
    schema: {
      tags: TAGS, summary: '招商地图：已发布的招商地块 (GeoJSON)，按区汇总', querystring: PublicPlotsQuery,
      response: { 200: PublicPlotCollection, 400: ErrorBody, 429: ErrorBody },
    },
  }, async (request, reply) => {
    reply.header('cache-control', 'no-cache');
    return repository.publicPlots(XIAMEN.name, request.query.district);
  });

  app.get(`${PREFIX}/plots/:id`, {
    ...publicRead,
    schema: {
      tags: TAGS, summary: '一个已发布的招商地块：位置、面积（亩）、规划条件、招商方案、联系方式、照片', params: PublicPlotParams,
      response: { 200: PublicPlotDetail, 404: ErrorBody, 429: ErrorBody },
    },
  }, async (request, reply) => {
    const plot = await repository.publicPlot(request.params.id);
    if (!plot) throw plotNotFound(request.params.id);
    reply.header('cache-control', 'no-cache');
    return plot;
  });

  app.get(`${PREFIX}/plots/:id/photos/:photoId`, {
    ...publicRead,
    schema: {
      tags: TAGS, summary: '已发布招商地块的现场照片（去除 EXIF 等元数据）', params: PublicPhotoParams,
      response: { 200: PublicPhotoBody, 404: ErrorBody, 429: ErrorBody },
    },
  }, async (request, reply) => {
    const photo = await repository.publicPhoto(request.params.id, request.params.photoId);
    if (!photo) throw new NotFoundError(`照片 ${request.params.photoId} 不存在或未公开。`, { parameter: 'photoId' });
    return reply
      .type(photo.mediaType)
      .header('cache-control', 'public, max-age=300')
      .header('etag', `"${photo.sha256.slice(0, 32)}-public"`)
      .header('content-security-policy', "sandbox; default-src 'none'")
      .send(withoutMetadata(photo.content, photo.mediaType));
  });

  app.get(`${PREFIX}/districts`, {
    ...publicRead,
    schema: { tags: TAGS, summary: '行政区界线（简化）及是否有招商地块', response: { 200: PublicDistrictCollection, 429: ErrorBody } },
  }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return repository.publicDistricts();
  });

  app.post(`${PREFIX}/inquiries`, {
    config: { permission: 'public', explainInvalid: (parameter: string) => INQUIRY_FIELD_MESSAGES[parameter.split('.')[0]] },
    onRequest: inquiries,
    bodyLimit: 16 * 1024,
    schema: {
      tags: TAGS, summary: '提交投资意向（无需登录；每个地址每小时有次数限制）', body: InquiryCreate,
      response: { 201: InquiryReceipt, 400: ErrorBody, 413: ErrorBody, 429: ErrorBody },
    },
  }, async (request, reply) => {
    const { kept, ...receipt } = await service.submitInquiry(request.body, request.id);
    if (!kept) request.log.warn({ requestId: request.id }, 'zhaoshang inquiry with the trap field filled: not kept');
    return reply.code(201).send(receipt);
  });
}
