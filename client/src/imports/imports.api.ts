import type {
  ImportAnswer, ImportCommitBody, ImportCommitted, ImportCreated, ImportFeatureCollection, ImportFeaturesQuery, ImportsList, ImportState, ImportUploadFields,
} from '@domain/api/imports.schemas.js';
import { getJson, queryString, request, upload, type QueryWithDefaults, type RequestOptions, type UploadOptions } from '../http/request.js';

export type {
  ImportAnswer, ImportCommitBody, ImportCommitResult, ImportCommitted, ImportCrsGuess, ImportExtentReport, ImportOutsideDecision, ImportEncoding, ImportEncodingGuess, ImportFeature, ImportFeatureCollection, ImportFeatureProperties,
  ImportFeaturesQuery, ImportFeatureStatus, ImportKind, ImportLayer, ImportNeeds, ImportPhase, ImportReport, ImportsList, ImportState, ImportStatus, ImportUploadFields,
  ParcelCommitResult, SurveyCommitResult,
} from '@domain/api/imports.schemas.js';

/**
 * Uploads a file for import. XMLHttpRequest rather than fetch: only it reports upload progress.
 * The form fields go before the file, because the server decides how to read the file from them
 * while the file is still streaming in.
 */
export function uploadImport(file: File, fields: ImportUploadFields, options: UploadOptions = {}): Promise<ImportCreated> {
  const form = new FormData();
  if (fields.kind !== undefined) form.append('kind', fields.kind);
  if (fields.year !== undefined) form.append('year', String(fields.year));
  if (fields.srid !== undefined) form.append('srid', String(fields.srid));
  if (fields.encoding !== undefined) form.append('encoding', fields.encoding);
  form.append('file', file, file.name);

  return upload('/api/imports', form, options);
}

export function fetchImports(options?: RequestOptions): Promise<ImportsList> {
  return getJson('/api/imports', options);
}

export function fetchImport(id: string, options?: RequestOptions): Promise<ImportState> {
  return getJson(`/api/imports/${encodeURIComponent(id)}`, options);
}

export function answerImport(id: string, answer: ImportAnswer, options?: RequestOptions): Promise<ImportState> {
  return request('POST', `/api/imports/${encodeURIComponent(id)}`, answer, options);
}

/** Writes the staged features to the database in one transaction (with the decision on features outside the 管辖范围); answers once it is done. */
export function commitImport(id: string, body: ImportCommitBody = {}, options?: RequestOptions): Promise<ImportCommitted> {
  return request('POST', `/api/imports/${encodeURIComponent(id)}/commit`, body, options);
}

/** Drops everything staged; nothing of the upload stays. */
export function cancelImport(id: string, options?: RequestOptions): Promise<void> {
  return request('DELETE', `/api/imports/${encodeURIComponent(id)}`, undefined, options);
}

export function fetchImportFeatures(id: string, query: QueryWithDefaults<ImportFeaturesQuery, 'page' | 'pageSize'>, options?: RequestOptions): Promise<ImportFeatureCollection> {
  return getJson(`/api/imports/${encodeURIComponent(id)}/features?${queryString(query)}`, options);
}
