import type { ExportJob, ExportList, ExportRequest } from '@domain/api/exports.schemas.js';
import { getJson, request, type RequestOptions } from '../http/request.js';

export type { ExportFilters, ExportJob, ExportList, ExportRequest } from '@domain/api/exports.schemas.js';

/** Starts an export in the background; the server answers 202 with the queued job. */
export function createExport(body: ExportRequest, options?: RequestOptions): Promise<ExportJob> {
  return request('POST', '/api/exports', body, options);
}

/** The user's recent exports, newest first. */
export function fetchExports(options?: RequestOptions): Promise<ExportList> {
  return getJson('/api/exports', options);
}

export function fetchExport(id: string, options?: RequestOptions): Promise<ExportJob> {
  return getJson(`/api/exports/${encodeURIComponent(id)}`, options);
}

/** Cancels a queued or running export, or removes a finished export's file; answers with the job as it now is. */
export function deleteExport(id: string, options?: RequestOptions): Promise<ExportJob> {
  return request('DELETE', `/api/exports/${encodeURIComponent(id)}`, undefined, options);
}
