import fastifyMultipart from '@fastify/multipart';
import { Type } from 'typebox';
import {
  ErrorBody, IMPORT_ENCODINGS, ImportAnswer, ImportCommitBody, ImportCommitted, ImportCreated, ImportFeatureCollection, ImportFeaturesQuery,
  ImportId, ImportsList, ImportState,
} from '../../domain/api/imports.schemas.js';
import { SUPPORTED_SRIDS } from '../../domain/import/crs.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import type { Principal } from '../auth/principal.js';
import { ApiError, NotFoundError, RefusalError } from '../errors.js';
import { ImportStateError } from './import-errors.js';
import type { ImportRow } from './imports.repository.js';

const SRID_CODES = SUPPORTED_SRIDS.map((entry) => entry.srid);

/** A coordinate system the import cannot read, refused with the ones it can (upload and answer alike). */
function unsupportedSrid(srid: unknown): ApiError {
  return new ApiError(400, 'invalid_parameter', `不支持坐标系 EPSG:${String(srid)}；可用：CGCS2000 (4490)、3度带/6度带高斯-克吕格 (4491–4554)、WGS84 (4326)、Web 墨卡托 (3857)。`, { parameter: 'srid' });
}

/** The public shape of an import (`GET /api/imports/{id}`). */
export function importBody(row: ImportRow): ImportState {
  return {
    id: row.id,
    kind: row.kind,
    year: row.options.year ?? row.year,
    fileName: row.file_name,
    fileSize: Number(row.file_size),
    status: row.status,
    phase: row.phase,
    progress: row.progress,
    layers: row.layers.map(({ source: _source, stagingTable: _table, ...layer }) => layer),
    detected: {
      srid: (row.detected.srid as number | null) ?? null,
      encoding: (row.detected.encoding as string | null) ?? null,
      confidence: (row.detected.confidence as number | null) ?? 0,
      crs: (row.detected.crs as ImportState['detected']['crs']) ?? null,
      encodingGuess: (row.detected.encodingGuess as ImportState['detected']['encodingGuess']) ?? null,
    },
    needs: row.needs as ImportState['needs'],
    report: {
      features: 0, valid: 0, repaired: 0, rejected: 0, warnings: [], errors: [], samples: [],
      ...row.report,
    },
    error: row.error,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    committedAt: row.committed_at?.toISOString() ?? null,
  };
}

/** The seven import routes; the work is the import service's (`app.importService`). */
export async function importsRoutes(app: AppInstance): Promise<void> {
  const service = app.importService;
  await app.register(fastifyMultipart, { limits: { fileSize: app.settings.importMaxBytes + 1, files: 1, fields: 10, fieldSize: 1024 } });

  async function owned(id: string, principal: Principal): Promise<ImportRow> {
    const row = await service.find(id);
    if (!row || (row.created_by !== principal.username && principal.role !== 'admin')) throw new NotFoundError(`没有编号为 ${id} 的导入任务`, { parameter: 'id' });
    return row;
  }

  app.post('/api/imports', {
    config: { permission: 'imports:write' },
    schema: {
      tags: ['imports'],
      summary: '上传并读取一个文件 (multipart: file, kind, year, srid, encoding) → { id }; reading continues in the background',
      consumes: ['multipart/form-data'],
      response: { 202: ImportCreated, 400: ErrorBody, 403: ErrorBody, 413: ErrorBody },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    if (!request.isMultipart()) throw new ApiError(400, 'invalid_parameter', '请用 multipart/form-data 上传，文件字段名为 file。', { parameter: 'file' });
    const fields: Record<string, string> = {};
    let id: string | null = null;
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.fieldname !== 'file' || id) {
        part.file.resume();
        continue;
      }
      const kind = fields.kind ?? 'survey';
      if (kind !== 'survey' && kind !== 'parcels') throw new ApiError(400, 'invalid_parameter', 'kind 只能是 survey（变更调查）或 parcels（地块）。请把 kind 等字段放在 file 之前。', { parameter: 'kind' });
      const year = fields.year ? Number(fields.year) : undefined;
      if (year !== undefined && !(Number.isInteger(year) && year >= 1990 && year <= 2100)) throw new ApiError(400, 'invalid_parameter', 'year 应为 1990–2100 的年份。', { parameter: 'year' });
      const srid = fields.srid ? Number(fields.srid) : undefined;
      if (srid !== undefined && !SRID_CODES.includes(srid)) throw unsupportedSrid(fields.srid);
      const encoding = fields.encoding?.toLowerCase();
      if (encoding !== undefined && !(IMPORT_ENCODINGS as readonly string[]).includes(encoding)) throw new ApiError(400, 'invalid_parameter', `不支持编码 ${fields.encoding}；可用：${IMPORT_ENCODINGS.join(', ')}。`, { parameter: 'encoding' });
      const scope = scopeOf(request).districts;
      const created = await service.create({ fileName: part.filename || 'upload', stream: part.file }, { kind, year, srid, encoding, scope }, principal.username);
      if (!created.ok) throw new RefusalError(created);
      id = created.id;
      if (part.file.truncated) throw new ApiError(413, 'too_large', `文件超过上传上限 ${Math.round(app.settings.importMaxBytes / 1024 / 1024)} MB：请只打包需要导入的图层，或分区县分批导入。`, { parameter: 'file' });
    }
    if (!id) throw new ApiError(400, 'invalid_parameter', '请求中没有文件 (file)。', { parameter: 'file' });
    return reply.code(202).send({ id });
  });

  app.get('/api/imports', {
    config: { permission: 'imports:write' },
    schema: { tags: ['imports'], summary: '我的导入任务 (newest first)', response: { 200: ImportsList, 403: ErrorBody } },
  }, async (request) => {
    const principal = principalOf(request);
    const rows = await service.list(principal.role === 'admin' ? null : principal.username);
    return { items: rows.map(importBody) };
  });

  app.get('/api/imports/:id', {
    config: { permission: 'imports:write' },
    schema: {
      tags: ['imports'],
      summary: '导入状态: status, phase, progress, layers, detected { srid, encoding, confidence }, report',
      params: ImportId,
      response: { 200: ImportState, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => importBody(await owned(request.params.id, principalOf(request))));

  app.post('/api/imports/:id', {
    config: { permission: 'imports:write' },
    schema: {
      tags: ['imports'],
      summary: '回答 needs-input 或修改推测: { srid?, encoding?, layers?, year?, mapping? }',
      params: ImportId,
      body: ImportAnswer,
      response: { 202: ImportState, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request, reply) => {
    const row = await owned(request.params.id, principalOf(request));
    if (!['needs-input', 'ready', 'refused'].includes(row.status) || (row.status === 'refused' && row.layers.length === 0)) {
      throw new ImportStateError(`导入任务当前状态为 ${row.status}，不能修改。`, { status: row.status });
    }
    const body = request.body;
    if (body.srid !== undefined && !SRID_CODES.includes(body.srid)) throw unsupportedSrid(body.srid);
    if (body.layers) {
      const unknown = body.layers.filter((layer) => !row.layers.some((candidate) => candidate.id === layer));
      if (unknown.length > 0) throw new ApiError(400, 'invalid_parameter', `没有这些图层：${unknown.join(', ')}`, { parameter: 'layers' });
    }
    await service.answer(row.id, body);
    return reply.code(202).send(importBody((await service.imports.find(row.id))!));
  });

  app.post('/api/imports/:id/commit', {
    config: { permission: 'imports:write' },
    schema: {
      tags: ['imports'],
      summary: '提交: write the staged features to the main tables in one transaction; { outside: clip | skip } when the preview found features outside the 管辖范围',
      params: ImportId,
      body: Type.Union([ImportCommitBody, Type.Null()]),
      response: { 200: ImportCommitted, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const row = await owned(request.params.id, principal);
    const result = await service.commit(row.id, principal, request.id, request.body?.outside);
    return { ...importBody((await service.imports.find(row.id))!), result };
  });

  app.delete('/api/imports/:id', {
    config: { permission: 'imports:write' },
    schema: {
      tags: ['imports'],
      summary: '取消导入: drops everything staged',
      params: ImportId,
      response: { 204: Type.Null(), 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request, reply) => {
    const row = await owned(request.params.id, principalOf(request));
    await service.cancel(row.id);
    return reply.code(204).send(null);
  });

  app.get('/api/imports/:id/features', {
    config: { permission: 'imports:write' },
    schema: {
      tags: ['imports'],
      summary: '预览要素: GeoJSON (EPSG:4326) with decoded attributes, area_m2, status and messages, paged',
      params: ImportId,
      querystring: ImportFeaturesQuery,
      response: { 200: ImportFeatureCollection, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => {
    const row = await owned(request.params.id, principalOf(request));
    const layer = row.layers.find((candidate) => candidate.stagingTable && (!request.query.layer || candidate.id === request.query.layer));
    if (!layer) throw new ImportStateError('该导入还没有可预览的要素（尚未读取完成，或已提交/取消）。', { status: row.status });
    const { page, pageSize, status } = request.query;
    const { total, features } = await service.imports.features(layer.stagingTable!, { status, page, pageSize });
    return { type: 'FeatureCollection' as const, layer: layer.id, total, page, pageSize, features: features as ImportFeatureCollection['features'] };
  });
}
