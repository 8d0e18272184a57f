import { createHash } from 'node:crypto';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  DOCUMENT_NOTE_MAX, DocumentFileBody, DocumentRemoval, ErrorBody, ParcelDocument, ParcelDocumentList, ParcelDocumentParams, ParcelDocumentsParams,
  PhotoPointCollection, PhotosInBoxQuery, RemovedDocumentPage, RemovedDocumentsQuery,
} from '../../domain/api/documents.schemas.js';
import {
  DOCUMENT_ALREADY_REMOVED, DOCUMENT_CATEGORIES, DOCUMENT_CATEGORY_CODES, DOCUMENT_DUPLICATE, DOCUMENT_EMPTY, DOCUMENT_MEDIA_TYPE_CODES,
  DOCUMENT_NOT_PREVIEWABLE, DOCUMENT_REMOVED, detectMediaType, documentFileName, documentPreviewOf, sizeRefusal, typeRefusal, type DocumentCategory,
} from '../../domain/documents.js';
import { uploadFileName } from '../../domain/import/upload-name.js';
import { roleCan } from '../../domain/permissions.js';
import { contentDisposition } from '../content-disposition.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import { writeAs } from '../db/actor.js';
import { boxParameter } from '../geometry/bbox.js';
import { DocumentRefusalError, InvalidParameterError, NotFoundError } from '../errors.js';
import { readFormWithFile } from '../multipart-form.js';
import type { DocumentParcel } from './documents.repository.js';
import { readPhotoMetadata } from './photo-metadata.js';

/**
 * 一地一档: a parcel's documents. Reading needs `data:read` and the parcel's district in the reader's
 * 管辖范围 (403 out_of_scope naming the district, as the parcel's history answers); filing and
 * removing need `documents:write` (surveyors, planners, officials, administrators) and the district
 * writable; removed documents are listed and downloaded with `documents:manage` (administrators).
 * A document id under another parcel's id is a 404: ids are checked together.
 */
export async function documentsRoutes(app: AppInstance): Promise<void> {
  const documents = app.documentsRepository;
  const maxBytes = app.settings.documentMaxBytes;
  await app.register(fastifyMultipart, { limits: { fileSize: maxBytes, files: 1, fields: 4, fieldSize: 4 * DOCUMENT_NOTE_MAX, parts: 6 } });

  async function parcelOf(id: number): Promise<DocumentParcel> {
    const parcel = await documents.parcel(id);
    if (!parcel) throw new NotFoundError(`没有编号为 ${id} 的地块`, { parameter: 'id' });
    return parcel;
  }

  const district = (parcel: DocumentParcel) => ({ code: parcel.districtCode, name: parcel.districtName });
  /** Where the parcel lies: a 园区办 or 镇街 files papers only of parcels in its own 园区 or 街道. */
  const place = (parcel: DocumentParcel) => ({
    districtCode: parcel.districtCode, districtName: parcel.districtName, subdistrictCode: parcel.subdistrictCode, parkCode: parcel.parkCode,
    name: parcel.placeName ? `${parcel.placeName}（${parcel.districtName}）` : `${parcel.districtName}未划入街道的地块`,
  });

  async function readable(request: FastifyRequest, params: ParcelDocumentsParams): Promise<DocumentParcel> {
    const parcel = await parcelOf(params.id);
    scopeOf(request).assertReadable(district(parcel), '该地块的档案');
    return parcel;
  }

  /** The document under its parcel (in scope); a removed one only for `documents:manage`. */
  async function documentFor(request: FastifyRequest, params: ParcelDocumentParams): Promise<ParcelDocument> {
    await readable(request, params);
    const document = await documents.find(params.id, params.documentId);
    if (!document) throw new NotFoundError(`地块 ${params.id} 没有编号为 ${params.documentId} 的档案`, { parameter: 'documentId' });
    if (document.removedAt && !roleCan(principalOf(request).role, 'documents:manage')) {
      throw new DocumentRefusalError({
        reason: DOCUMENT_REMOVED, parameter: 'documentId',
        message: `档案 ${document.fileName} 已于 ${document.removedAt.slice(0, 10)} 由 ${document.removedByName ?? document.removedBy} 移除（原因：${document.removalReason}），只有系统管理员可以查看 / the document was removed.`,
      });
    }
    return document;
  }

  /** Sends a document's bytes with its detected type, never sniffed, cached by checksum. */
  async function sendFile(request: FastifyRequest, reply: FastifyReply, document: ParcelDocument, disposition: 'attachment' | 'inline') {
    const etag = `"${document.sha256}"`;
    reply.header('content-type', document.mediaType)
      .header('content-disposition', contentDisposition(disposition, document.fileName))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-cache')
      .header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(await documents.content(document.id));
  }

  app.post('/api/parcels/:id/documents', {
    config: { permission: 'documents:write' },
    schema: {
      tags: ['documents'],
      summary: '上传档案 (multipart: category, note, then file) — type read from the content; size limit DOCUMENT_MAX_BYTES',
      consumes: ['multipart/form-data'],
      params: ParcelDocumentsParams,
      response: { 201: ParcelDocument, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const parcel = await parcelOf(request.params.id);
    scopeOf(request).assertPlaceWritable(place(parcel), '该地块的档案', '上传');
    if (!request.isMultipart()) throw new InvalidParameterError('file', '请用 multipart/form-data 上传，文件字段名为 file（类别 category、说明 note 放在 file 之前）。');
    const { fields, upload } = await readFormWithFile(request, () => new DocumentRefusalError(sizeRefusal(maxBytes)));
    if (!upload) throw new InvalidParameterError('file', '请求中没有文件：请在 file 字段中选择要归档的文件。');
    const category = (fields.category ?? 'other') as DocumentCategory;
    if (!DOCUMENT_CATEGORY_CODES.includes(category)) {
      throw new InvalidParameterError('category', `档案类别 ${fields.category} 无效；可选：${DOCUMENT_CATEGORIES.map((entry) => `${entry.code}（${entry.label}）`).join('、')}。`);
    }
    const note = (fields.note ?? '').replace(/\u0000/g, '').trim();
    if (note.length > DOCUMENT_NOTE_MAX) throw new InvalidParameterError('note', `说明最多 ${DOCUMENT_NOTE_MAX} 字（现 ${note.length} 字）：请缩短后重试。`);
    if (upload.content.length === 0) {
      throw new DocumentRefusalError({ reason: DOCUMENT_EMPTY, parameter: 'file', message: '文件是空的（0 字节）：请重新选择文件 / the file is empty.' });
    }
    const detected = detectMediaType(upload.content);
    if (!detected.ok) throw new DocumentRefusalError(typeRefusal(detected.seen, uploadFileName(upload.name)));
    const fileName = documentFileName(upload.name, detected.mediaType);
    const photo = detected.mediaType.startsWith('image/') ? await readPhotoMetadata(upload.content) : { takenAt: null, position: null, exif: null };
    const sha256 = createHash('sha256').update(upload.content).digest('hex');
    const filed = await writeAs(app.db, { name: principal.username, requestId: request.id }, (transaction) => documents.insert(transaction, {
      parcelId: parcel.id, category, note: note || null, fileName, mediaType: detected.mediaType, sha256,
      takenAt: photo.takenAt, position: photo.position, exif: photo.exif, uploadedBy: principal.username,
    }, upload.content));
    if ('duplicateOf' in filed) {
      const existing = filed.duplicateOf;
      throw new DocumentRefusalError({
        reason: DOCUMENT_DUPLICATE, parameter: 'file',
        message: `同一文件已归档在该地块：${existing.fileName}（${existing.uploadedAt.slice(0, 10)} 由 ${existing.uploadedByName ?? existing.uploadedBy} 上传），无需重复上传 / the same file is filed already.`,
        details: { documentId: existing.id },
      });
    }
    return reply.code(201).send(filed);
  });

  app.get('/api/parcels/:id/documents', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['documents'],
      summary: '一地一档: the parcel\'s filed documents, newest first, with the upload limits',
      params: ParcelDocumentsParams,
      response: { 200: ParcelDocumentList, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const parcel = await readable(request, request.params);
    const { items, removedCount } = await documents.list(parcel.id);
    return { items, removedCount, limits: { maxBytes, mediaTypes: DOCUMENT_MEDIA_TYPE_CODES } };
  });

  app.get('/api/parcels/:id/documents/photos', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['documents'],
      summary: 'Where the parcel\'s photos were taken (EXIF GPS) as GeoJSON points, EPSG:4490',
      params: ParcelDocumentsParams,
      response: { 200: PhotoPointCollection, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => documents.photosOfParcel((await readable(request, request.params)).id));

  app.get('/api/documents/photos', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['documents'],
      summary: 'Photo points in a box (minLon,minLat,maxLon,maxLat), of parcels in the reader\'s districts only',
      querystring: PhotosInBoxQuery,
      response: { 200: PhotoPointCollection, 400: ErrorBody },
    },
  }, async (request) => {
    return documents.photosInBox(boxParameter(request.query.bbox, 0.2, '照片位置'), request.query.limit, scopeOf(request));
  });

  app.get('/api/parcels/:id/documents/:documentId/content', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['documents'],
      summary: '下载档案: the file as filed (Content-Disposition attachment with an RFC 5987 filename*)',
      params: ParcelDocumentParams,
      response: { 200: DocumentFileBody, 403: ErrorBody, 404: ErrorBody, 410: ErrorBody },
    },
  }, async (request, reply) => sendFile(request, reply, await documentFor(request, request.params), 'attachment'));

  app.get('/api/parcels/:id/documents/:documentId/preview', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['documents'],
      summary: '预览档案: images and PDFs inline, sandboxed (CSP sandbox, nosniff); other types 415 — download them',
      params: ParcelDocumentParams,
      response: { 200: DocumentFileBody, 403: ErrorBody, 404: ErrorBody, 410: ErrorBody, 415: ErrorBody },
    },
  }, async (request, reply) => {
    const document = await documentFor(request, request.params);
    const preview = documentPreviewOf(document.mediaType);
    if (!preview) {
      throw new DocumentRefusalError({
        reason: DOCUMENT_NOT_PREVIEWABLE, parameter: 'documentId',
        message: `${document.fileName} 不能在浏览器中预览（只有图片和 PDF 可以）：请下载后用相应的程序打开 / download it to view.`,
      });
    }
    // The file is shown in a frame of the app only, as an opaque origin that runs nothing of its own.
    reply.header('content-security-policy', preview === 'pdf'
      ? "sandbox; default-src 'none'; object-src 'self'; frame-ancestors 'self'"
      : "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'");
    return sendFile(request, reply, document, 'inline');
  });

  app.post('/api/parcels/:id/documents/:documentId/removal', {
    config: { permission: 'documents:write' },
    schema: {
      tags: ['documents'],
      summary: '移除档案 { reason }: soft — the document leaves the list and stays on record with who, when and why',
      params: ParcelDocumentParams,
      body: DocumentRemoval,
      response: { 200: ParcelDocument, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const parcel = await parcelOf(request.params.id);
    scopeOf(request).assertPlaceWritable(place(parcel), '该地块的档案', '移除');
    const reason = request.body.reason.replace(/\u0000/g, '').trim();
    if (reason.length < 2) throw new InvalidParameterError('reason', '请填写移除原因（至少 2 个字），原因会记录在案。');
    const current = await documents.find(parcel.id, request.params.documentId);
    if (!current) throw new NotFoundError(`地块 ${parcel.id} 没有编号为 ${request.params.documentId} 的档案`, { parameter: 'documentId' });
    const removed = current.removedAt ? undefined : await writeAs(app.db, { name: principal.username, requestId: request.id }, (transaction) =>
      documents.remove(transaction, parcel.id, current.id, principal.username, reason));
    if (!removed) {
      const latest = (await documents.find(parcel.id, current.id))!;
      throw new DocumentRefusalError({
        reason: DOCUMENT_ALREADY_REMOVED, parameter: 'documentId',
        message: `档案 ${latest.fileName} 已于 ${latest.removedAt?.slice(0, 10)} 由 ${latest.removedByName ?? latest.removedBy} 移除，无需再次移除 / already removed.`,
      });
    }
    return removed;
  });

  app.get('/api/documents/removed', {
    config: { permission: 'documents:manage' },
    schema: {
      tags: ['documents'],
      summary: '已移除的档案 (who removed what, when and why), newest removal first; only the reader\'s districts',
      querystring: RemovedDocumentsQuery,
      response: { 200: RemovedDocumentPage, 403: ErrorBody },
    },
  }, async (request) => documents.removed(request.query, scopeOf(request)));
}
