import fastifyMultipart from '@fastify/multipart';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { SUPPORTED_SRIDS } from '../../domain/import/crs.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { Principal } from '../auth/principal.js';
import { ApiError, NotFoundError } from '../errors.js';
import { StringEnum } from '../../domain/api/common.schemas.js';
import { commitImport } from './imports.commit.js';
import { ImportRefusal, ImportStateError } from './import-errors.js';
import type { ImportRow } from './imports.repository.js';
import type { ImportService } from './imports.service.js';

const ENCODINGS = ['utf-8', 'gbk', 'gb18030', 'big5', 'windows-1252', 'shift_jis', 'euc-kr', 'ibm866', 'iso-8859-1'] as const;
const SRID_CODES = SUPPORTED_SRIDS.map((entry) => entry.srid);
const ErrorBody = Type.Object({ error: Type.String(), message: Type.String() }, { additionalProperties: true });

/** The public shape of an import (`GET /api/imports/{id}`). */
export function importBody(row: ImportRow) {
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
      crs: row.detected.crs ?? null,
      encodingGuess: row.detected.encodingGuess ?? null,
    },
    needs: row.needs,
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

export async function importsRoutes(app: AppInstance, options: { service: ImportService }): Promise<void> {
  const service = options.service;
  await app.register(fastifyMultipart, { limits: { fileSize: app.settings.importMaxBytes + 1, files: 1, fields: 10, fieldSize: 1024 } });

  async function owned(id: string, principal: Principal): Promise<ImportRow> {
    const row = await service.imports.find(id);
    if (!row || (row.created_by !== principal.username && principal.role !== 'admin')) throw new NotFoundError(`没有编号为 ${id} 的导入任务`, { parameter: 'id' });
    return row;
  }

  app.post('/api/imports', {
    config: { permission: 'imports:write' },
    schema: {
      tags: ['imports'],
      summary: '上传并读取一个文件 (multipart: file, kind, year, srid, encoding) → { id }; reading continues in the background',
      consumes: ['multipart/form-data'],
      response: { 202: Type.Object({ id: Type.String() }), 400: ErrorBody, 413: ErrorBody },
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
      if (srid !== undefined && !SRID_CODES.includes(srid)) throw new ApiError(400, 'invalid_parameter', `不支持坐标系 EPSG:${fields.srid}；可用：CGCS2000 (4490)、3度带/6度带高斯-克吕格 (4491–4554)、WGS84 (4326)、Web 墨卡托 (3857)。`, { parameter: 'srid' });
      const encoding = fields.encoding?.toLowerCase();
      if (encoding !== undefined && !(ENCODINGS as readonly string[]).includes(encoding)) throw new ApiError(400, 'invalid_parameter', `不支持编码 ${fields.encoding}；可用：${ENCODINGS.join(', ')}。`, { parameter: 'encoding' });
      try {
        id = await service.create({ fileName: part.filename || 'upload', stream: part.file }, { kind, year, srid, encoding }, principal.username);
      } catch (error) {
        if (error instanceof ImportRefusal) throw new ApiError(error.reason === 'too_large' ? 413 : 400, error.reason, error.message, { parameter: 'file' });
        throw error;
      }
      if (part.file.truncated) throw new ApiError(413, 'too_large', '文件超过上传上限。', { parameter: 'file' });
    }
    if (!id) throw new ApiError(400, 'invalid_parameter', '请求中没有文件 (file)。', { parameter: 'file' });
    return reply.code(202).send({ id });
  });

  app.get('/api/imports', {
    config: { permission: 'imports:write' },
    schema: { tags: ['imports'], summary: '我的导入任务 (newest first)' },
  }, async (request) => {
    const principal = principalOf(request);
    let query = app.db.selectFrom('imports').select(['id']).orderBy('created_at', 'desc').limit(50);
    if (principal.role !== 'admin') query = query.where('created_by', '=', principal.username);
    const ids = await query.execute();
    const items = [];
    for (const { id } of ids) items.push(importBody((await service.imports.find(id))!));
    return { items };
  });

  app.get('/api/imports/:id', {
    config: { permission: 'imports:write' },
    schema: {
      tags: ['imports'],
      summary: '导入状态: status, phase, progress, layers, detected { srid, encoding, confidence }, report',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
    },
  }, async (request) => importBody(await owned(request.params.id, principalOf(request))));

  app.post('/api/imports/:id', {
    config: { permission: 'imports:write' },
    schema: {
      tags: ['imports'],
      summary: '回答 needs-input 或修改推测: { srid?, encoding?, layers?, year?, mapping? }',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      body: Type.Object({
        srid: Type.Optional(Type.Integer({ description: 'EPSG code of the source coordinates' })),
        encoding: Type.Optional(StringEnum(ENCODINGS)),
        layers: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: 100 })),
        year: Type.Optional(Type.Integer({ minimum: 1990, maximum: 2100 })),
        mapping: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Null(), Type.String({ maxLength: 64 })]))),
      }, { additionalProperties: false, minProperties: 1 }),
    },
  }, async (request, reply) => {
    const row = await owned(request.params.id, principalOf(request));
    if (!['needs-input', 'ready', 'refused'].includes(row.status) || (row.status === 'refused' && row.layers.length === 0)) {
      throw new ImportStateError(`导入任务当前状态为 ${row.status}，不能修改。`, { status: row.status });
    }
    const body = request.body;
    if (body.srid !== undefined && !SRID_CODES.includes(body.srid)) throw new ApiError(400, 'invalid_parameter', `不支持坐标系 EPSG:${body.srid}。`, { parameter: 'srid' });
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
      summary: '提交: write the staged features to the main tables in one transaction',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
    },
  }, async (request) => {
    const principal = principalOf(request);
    const row = await owned(request.params.id, principal);
    if (row.status !== 'ready') throw new ImportStateError(`只有状态为 ready 的导入才能提交（当前：${row.status}）。`, { status: row.status });
    await service.imports.update(row.id, { status: 'committing', phase: 'commit', progress: 0 });
    try {
      const result = await commitImport(app.db, row, principal, request.id);
      await service.dropStaging(row.layers);
      await service.imports.update(row.id, { status: 'committed', phase: 'done', progress: 1, committed_at: new Date(), report: { ...row.report, commit: result } });
      return { ...importBody((await service.imports.find(row.id))!), result };
    } catch (error) {
      await service.imports.update(row.id, { status: 'ready', phase: 'validate', progress: 1 });
      throw error;
    }
  });

  app.delete('/api/imports/:id', {
    config: { permission: 'imports:write' },
    schema: { tags: ['imports'], summary: '取消导入: drops everything staged', params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
  }, async (request, reply) => {
    const row = await owned(request.params.id, principalOf(request));
    if (row.status === 'committed' || row.status === 'committing') throw new ImportStateError('已提交的导入不能取消。', { status: row.status });
    await service.cancel(row.id);
    return reply.code(204).send();
  });

  app.get('/api/imports/:id/features', {
    config: { permission: 'imports:write' },
    schema: {
      tags: ['imports'],
      summary: '预览要素: GeoJSON (EPSG:4326) with decoded attributes, area_m2, status and messages, paged',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      querystring: Type.Object({
        layer: Type.Optional(Type.String()),
        status: Type.Optional(StringEnum(['valid', 'repaired', 'rejected'] as const)),
        page: Type.Integer({ minimum: 1, default: 1 }),
        pageSize: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const row = await owned(request.params.id, principalOf(request));
    const layer = row.layers.find((candidate) => candidate.stagingTable && (!request.query.layer || candidate.id === request.query.layer));
    if (!layer) throw new ImportStateError('该导入还没有可预览的要素（尚未读取完成，或已提交/取消）。', { status: row.status });
    const { page, pageSize, status } = request.query;
    const table = sql.id('staging', layer.stagingTable!);
    const { rows } = await sql<{ feature: Record<string, unknown> }>`
      SELECT json_build_object(
        'type', 'Feature', 'id', s._fid,
        'geometry', ST_AsGeoJSON(coalesce(s._fixed, CASE WHEN ST_IsValid(s._geom) IS NOT NULL THEN s._geom END), 8)::json,
        'properties', (to_jsonb(s) - '_geom' - '_fid' - '_fixed' - '_status' - '_messages' - '_area_m2') || jsonb_build_object(
          'area_m2', round(s._area_m2::numeric, 2), 'status', s._status, 'messages', s._messages)
      ) AS feature
      FROM ${table} s
      WHERE ${status ? sql`s._status = ${status}` : sql`true`}
      ORDER BY s._fid LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`.execute(app.db);
    const { rows: [{ total }] } = await sql<{ total: number }>`SELECT count(*)::int AS total FROM ${table} s WHERE ${status ? sql`s._status = ${status}` : sql`true`}`.execute(app.db);
    return { type: 'FeatureCollection', layer: layer.id, total, page, pageSize, features: rows.map((entry) => entry.feature) };
  });
}
