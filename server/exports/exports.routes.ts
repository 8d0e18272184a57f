import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import { ErrorBody } from '../../domain/api/common.schemas.js';
import { ExportIdParams, ExportJob, ExportList, ExportRequest } from '../../domain/api/exports.schemas.js';
import { exportFormatOf, type ExportFormat } from '../../domain/exports/export-kinds.js';
import { exportStamp } from '../../domain/exports/export-names.js';
import { contentDisposition } from '../content-disposition.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { ExportRow } from './exports.repository.js';

/** The media type of each format's file. */
export const EXPORT_MEDIA_TYPES: Readonly<Record<ExportFormat, string>> = {
  geojson: 'application/geo+json',
  shapefile: 'application/zip',
  gpkg: 'application/geopackage+sqlite3',
  filegdb: 'application/zip',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
};

const ExportFileBody = Type.Unsafe<Readable>({
  type: 'string', format: 'binary',
  description: 'the file: application/zip (Shapefile, File Geodatabase), application/geopackage+sqlite3, application/geo+json, xlsx, text/csv, application/pdf',
});

/** The public shape of a job (`GET /api/exports/{id}`). */
export function exportBody(row: ExportRow): ExportJob {
  return {
    id: row.id,
    layer: row.layer,
    format: row.format,
    crs: row.crs,
    encoding: row.encoding,
    filters: row.filters,
    status: row.status,
    progress: row.progress,
    rowCount: row.rowCount,
    fileName: row.fileName,
    bytes: row.bytes,
    notes: row.notes,
    error: row.error,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    downloadUrl: row.status === 'done' ? `/api/exports/${row.id}/file` : null,
  };
}

/**
 * The export's download header: the Chinese name as `filename*`, and as the plain `filename` the name
 * itself when it is printable ASCII, else `biaotu-<layer>-<date><extension>`.
 */
export function exportDisposition(row: Pick<ExportRow, 'layer' | 'format' | 'createdAt'>, fileName: string): string {
  const printableAscii = /^[\x20-\x7e]+$/.test(fileName) && !/["\\]/.test(fileName);
  const fallback = printableAscii ? fileName : `biaotu-${row.layer}-${exportStamp(row.createdAt)}${exportFormatOf(row.format)?.extension ?? ''}`;
  return contentDisposition('attachment', fileName, fallback);
}

/** The five export routes; the jobs are the export service's (`app.exportService`). */
export async function exportsRoutes(app: AppInstance): Promise<void> {
  const service = app.exportService;

  app.post('/api/exports', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['exports'],
      summary: '导出: layer, format, filters, crs, encoding → a job, written in the background (poll GET /api/exports/{id})',
      body: ExportRequest,
      response: { 202: ExportJob, 400: ErrorBody, 403: ErrorBody, 429: ErrorBody },
    },
  }, async (request, reply) => {
    const row = await service.create(request.body, principalOf(request), request.id);
    return reply.code(202).send(exportBody(row));
  });

  app.get('/api/exports', {
    config: { permission: 'data:read' },
    schema: { tags: ['exports'], summary: '我的导出任务 (the 50 newest)', response: { 200: ExportList, 403: ErrorBody } },
  }, async (request) => ({ items: (await service.list(principalOf(request))).map(exportBody) }));

  app.get('/api/exports/:id', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['exports'],
      summary: '导出任务: status, progress, row count, the file when done',
      params: ExportIdParams,
      response: { 200: ExportJob, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => exportBody(await service.find(request.params.id, principalOf(request))));

  app.get('/api/exports/:id/file', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['exports'],
      summary: '下载导出文件 (Content-Disposition with the Chinese file name); 409 while written, 410 once removed',
      params: ExportIdParams,
      response: { 200: ExportFileBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 410: ErrorBody },
    },
  }, async (request, reply) => {
    const file = await service.file(request.params.id, principalOf(request));
    return reply
      .type(EXPORT_MEDIA_TYPES[file.row.format])
      .header('Content-Disposition', exportDisposition(file.row, file.fileName))
      .header('Content-Length', String(file.bytes))
      .header('Cache-Control', 'private, no-store')
      .send(fs.createReadStream(file.path));
  });

  app.delete('/api/exports/:id', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['exports'],
      summary: '取消导出 (queued or running: cancelled, nothing kept) or remove its file (done: expired)',
      params: ExportIdParams,
      response: { 200: ExportJob, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => exportBody(await service.cancel(request.params.id, principalOf(request), request.id)));
}
