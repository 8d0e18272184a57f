import type { DocumentRemoval, ParcelDocument, ParcelDocumentList, PhotoPointCollection, RemovedDocumentPage } from '@domain/api/documents.schemas.js';
import type { DocumentCategory } from '@domain/documents.js';
import { getJson, request, upload, type RequestOptions, type UploadOptions } from '../http/request.js';

export type { ParcelDocument, ParcelDocumentList, PhotoPointCollection, RemovedDocument, RemovedDocumentPage } from '@domain/api/documents.schemas.js';

const base = (parcelId: number) => `/api/parcels/${encodeURIComponent(String(parcelId))}/documents`;

export function fetchParcelDocuments(parcelId: number, options?: RequestOptions): Promise<ParcelDocumentList> {
  return getJson(base(parcelId), options);
}

/** Files one document: category and note go before the file (the server reads them first). */
export function uploadParcelDocument(parcelId: number, file: File, fields: { category: DocumentCategory; note: string }, options: UploadOptions = {}): Promise<ParcelDocument> {
  const form = new FormData();
  form.append('category', fields.category);
  if (fields.note.trim()) form.append('note', fields.note.trim());
  form.append('file', file, file.name);
  return upload(base(parcelId), form, options);
}

export function removeParcelDocument(parcelId: number, documentId: number, body: DocumentRemoval, options?: RequestOptions): Promise<ParcelDocument> {
  return request('POST', `${base(parcelId)}/${encodeURIComponent(String(documentId))}/removal`, body, options);
}

export function fetchPhotoPoints(parcelId: number, options?: RequestOptions): Promise<PhotoPointCollection> {
  return getJson(`${base(parcelId)}/photos`, options);
}

export function fetchRemovedDocuments(parcelId: number, options?: RequestOptions): Promise<RemovedDocumentPage> {
  return getJson(`/api/documents/removed?parcel=${encodeURIComponent(String(parcelId))}&pageSize=200`, options);
}

/** Where the browser downloads a document (Content-Disposition: attachment). */
export function documentDownloadUrl(parcelId: number, documentId: number): string {
  return `${base(parcelId)}/${encodeURIComponent(String(documentId))}/content`;
}

/** Where the browser shows an image or a PDF inline (sandboxed by the server's headers). */
export function documentPreviewUrl(parcelId: number, documentId: number): string {
  return `${base(parcelId)}/${encodeURIComponent(String(documentId))}/preview`;
}
