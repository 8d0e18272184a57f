import type { ImportKind } from '@domain/import/field-mapping.js';
import { getJson, queryString, request, upload, type RequestOptions, type UploadOptions } from '../http/request.js';
import type { MultiPolygon } from '../map/geo-types.js';

export type { ImportKind } from '@domain/import/field-mapping.js';

export type ImportStatus = 'processing' | 'needs-input' | 'ready' | 'committing' | 'committed' | 'failed' | 'refused' | 'cancelled';
export type ImportPhase = 'upload' | 'read' | 'validate' | 'commit' | 'done';
/** What the server's check made of one feature: kept as is, repaired (self-intersection, duplicate vertices), or refused. */
export type ImportFeatureStatus = 'valid' | 'repaired' | 'rejected';

export interface ImportEncodingGuess {
  encoding: string;
  confidence: number;
  /** 'cpg' | 'ldid' | 'bytes' | 'default' | 'user' */
  source: string;
  reason: string;
}

export interface ImportCrsGuess {
  srid: number | null;
  label: string;
  confidence: number;
  /** 'prj' | 'gdb' | 'geojson' | 'coordinates' | 'user' | 'butiao' */
  source: string;
  reason: string;
  /** 西安80, 北京54 or an unknown projection: the import cannot go on with this CRS. */
  refused?: { reason: string; message: string };
}

/** One layer of an upload (a shapefile, a geodatabase feature class, a GeoJSON or 部标 file). */
export interface ImportLayer {
  id: string;
  name: string;
  format: string;
  gdalLayer: string | null;
  geometryType: string;
  featureCount: number;
  fields: { name: string; type: string }[];
  /** In the file's own coordinates (metres for Gauss-Kruger), not degrees. */
  extent: { minX: number; minY: number; maxX: number; maxY: number } | null;
  selected: boolean;
  /** Why the layer cannot be imported (not polygons, unreadable); null when it can. */
  skipped: { reason: string; message: string } | null;
  encoding: ImportEncodingGuess | null;
  crs: ImportCrsGuess | null;
  crsCheck: { consistent: boolean; reason?: string; message?: string; suggestedSrid?: number | null } | null;
  /** Source field → target key (SURVEY_FIELDS or PARCEL_IMPORT_FIELDS), null = kept as an extra attribute. */
  mapping: Record<string, string | null> | null;
  units: Record<string, string> | null;
}

/** The question the import is waiting on; `proposal` is an EPSG code (srid) or an encoding name. */
export interface ImportNeeds {
  what: 'srid' | 'encoding';
  layer: string;
  proposal: number | string | null;
  message: string;
}

export interface SurveyCommitResult {
  kind: 'survey';
  year: number;
  layerId: number;
  features: number;
  /** The layer of the same year this one replaced (kept for reference), or null. */
  supersededLayerId: number | null;
}


export interface ParcelCommitResult {
  kind?: 'parcels';
  inserted: number;
  updated: number;
  /** Outside the importer's districts, or outside every district. */
  skipped: number;
  problems: { fid: number; message: string }[];
}

export type ImportCommitResult = SurveyCommitResult | ParcelCommitResult;

export interface ImportReport {
  features: number;
  valid: number;
  repaired: number;
  rejected: number;
  warnings: { layer: string; message: string; count?: number }[];
  errors: { layer: string; reason: string; message: string }[];
  /** Features that were repaired, rejected or carry a note (first 200 per layer). */
  samples: { layer: string; fid: number; status: ImportFeatureStatus; messages: string[] | null; bsm: string | null }[];
  commit?: ImportCommitResult;
}

/** `GET /api/imports/{id}`: an upload on its way from staging to the database. */
export interface ImportState {
  id: string;
  kind: ImportKind;
  year: number | null;
  fileName: string;
  fileSize: number;
  status: ImportStatus;
  phase: ImportPhase;
  /** 0–1 within the phase. */
  progress: number;
  layers: ImportLayer[];
  detected: {
    srid: number | null;
    encoding: string | null;
    confidence: number;
    crs: ImportCrsGuess | null;
    encodingGuess: ImportEncodingGuess | null;
  };
  needs: ImportNeeds | null;
  report: ImportReport;
  error: { reason: string; message: string } | null;
  createdBy: string;
  createdAt: string;
  committedAt: string | null;
}

export interface ImportsResponse {
  items: ImportState[];
}

/** The answer to `needs-input`, or a changed guess; the server reads the file again with it. */
export interface ImportAnswer {
  srid?: number;
  encoding?: string;
  /** Ids of the layers to import. */
  layers?: string[];
  year?: number;
  /** Applies to every layer of the import (fields are matched by name). */
  mapping?: Record<string, string | null>;
}

export interface ImportUploadFields {
  kind: ImportKind;
  year?: number;
  srid?: number;
  encoding?: string;
}

export interface ImportFeature {
  type: 'Feature';
  /** The feature's number in its layer (fid). */
  id: number;
  geometry: MultiPolygon | null;
  /** The decoded source attributes plus `area_m2`, `status` and `messages`. */
  properties: Record<string, unknown> & { status: ImportFeatureStatus | null; messages: string[] | null; area_m2: number | null };
}

export interface ImportFeatureCollection {
  type: 'FeatureCollection';
  layer: string;
  total: number;
  page: number;
  pageSize: number;
  features: ImportFeature[];
}

export interface ImportFeatureQuery {
  layer?: string;
  status?: ImportFeatureStatus;
  page?: number;
  /** At most 5000. */
  pageSize?: number;
}

/**
 * Uploads a file for import. XMLHttpRequest rather than fetch: only it reports upload progress.
 * The form fields go before the file, because the server decides how to read the file from them
 * while the file is still streaming in.
 */
export function uploadImport(file: File, fields: ImportUploadFields, options: UploadOptions = {}): Promise<{ id: string }> {
  const form = new FormData();
  form.append('kind', fields.kind);
  if (fields.year !== undefined) form.append('year', String(fields.year));
  if (fields.srid !== undefined) form.append('srid', String(fields.srid));
  if (fields.encoding !== undefined) form.append('encoding', fields.encoding);
  form.append('file', file, file.name);

  return upload('/api/imports', form, options);
}

export function fetchImports(options?: RequestOptions): Promise<ImportsResponse> {
  return getJson('/api/imports', options);
}

export function fetchImport(id: string, options?: RequestOptions): Promise<ImportState> {
  return getJson(`/api/imports/${encodeURIComponent(id)}`, options);
}

export function answerImport(id: string, answer: ImportAnswer, options?: RequestOptions): Promise<ImportState> {
  return request('POST', `/api/imports/${encodeURIComponent(id)}`, answer, options);
}

/** Writes the staged features to the database in one transaction; answers once it is done. */
export function commitImport(id: string, options?: RequestOptions): Promise<ImportState & { result: ImportCommitResult }> {
  return request('POST', `/api/imports/${encodeURIComponent(id)}/commit`, undefined, options);
}

/** Drops everything staged; nothing of the upload stays. */
export function cancelImport(id: string, options?: RequestOptions): Promise<void> {
  return request('DELETE', `/api/imports/${encodeURIComponent(id)}`, undefined, options);
}

export function fetchImportFeatures(id: string, query: ImportFeatureQuery, options?: RequestOptions): Promise<ImportFeatureCollection> {
  return getJson(`/api/imports/${encodeURIComponent(id)}/features?${queryString(query)}`, options);
}
