import type {
  LineString, MergeBody, MergeCheck, MergeResult, ParcelLineage, SplitBody, SplitPreview, SplitResult,
} from '@domain/api/parcel-lineage.schemas.js';
import { getJson, request, type RequestOptions } from '../http/request.js';

export type { LineString, MergeCheck, MergeResult, ParcelLineage, SplitPreview, SplitResult } from '@domain/api/parcel-lineage.schemas.js';

const parcelPath = (id: number) => `/api/parcels/${encodeURIComponent(String(id))}`;

export function previewSplit(id: number, line: LineString, codes?: string[], options?: RequestOptions): Promise<SplitPreview> {
  return request('POST', `${parcelPath(id)}/split/preview`, { line, ...(codes ? { codes } : {}) }, options);
}

export function splitParcel(id: number, body: SplitBody, options?: RequestOptions): Promise<SplitResult> {
  return request('POST', `${parcelPath(id)}/split`, body, options);
}

export function checkMerge(ids: number[], options?: RequestOptions): Promise<MergeCheck> {
  return request('POST', '/api/parcels/merge/check', { ids }, options);
}

export function mergeParcels(body: MergeBody, options?: RequestOptions): Promise<MergeResult> {
  return request('POST', '/api/parcels/merge', body, options);
}

export function fetchLineage(id: number, options?: RequestOptions): Promise<ParcelLineage> {
  return getJson(`${parcelPath(id)}/lineage`, options);
}
