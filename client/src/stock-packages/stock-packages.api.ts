import type {
  StockPackageComparison, StockPackageDetail, StockPackageItems, StockPackageList, StockPackageReview,
} from '@domain/api/stock-packages.schemas.js';
import { getJson, request, type RequestOptions } from '../http/request.js';

export type { PackageDifference, PackageGroup, StockPackage, StockPackageComparison, StockPackageDetail } from '@domain/api/stock-packages.schemas.js';

export function fetchPackages(options?: RequestOptions): Promise<StockPackageList> {
  return getJson('/api/stock-packages', options);
}

export function fetchPackage(id: number, options?: RequestOptions): Promise<StockPackageDetail> {
  return getJson(`/api/stock-packages/${id}`, options);
}

export function fetchPackageItems(id: number, kind: 'parcel' | 'legacy' | 'problem', page: number, options?: RequestOptions): Promise<StockPackageItems> {
  return getJson(`/api/stock-packages/${id}/items?kind=${kind}&page=${page}&pageSize=50`, options);
}

export function comparePackages(id: number, withId?: number, options?: RequestOptions): Promise<StockPackageComparison> {
  return getJson(`/api/stock-packages/${id}/compare${withId ? `?with=${withId}` : ''}`, options);
}

export function assemblePackage(districtCode: string, options?: RequestOptions): Promise<StockPackageDetail> {
  return request('POST', '/api/stock-packages', { districtCode }, options);
}

export function reassemblePackage(id: number, options?: RequestOptions): Promise<StockPackageDetail> {
  return request('POST', `/api/stock-packages/${id}/reassemble`, undefined, options);
}

/** 报区政府 (report), 区政府未同意 (decline), 提交市局 (submit). */
export function stepPackage(id: number, route: 'report' | 'decline' | 'submit', reason: string, options?: RequestOptions): Promise<StockPackageDetail> {
  return request('POST', `/api/stock-packages/${id}/${route}`, reason ? { reason } : {}, options);
}

/** 区政府已同意: 文号, date, note and the document, as multipart (the file last). */
export function recordConsent(id: number, consent: { documentNo: string; date: string; note: string; file: File }, options?: RequestOptions): Promise<StockPackageDetail> {
  const form = new FormData();
  form.append('documentNo', consent.documentNo);
  form.append('date', consent.date);
  if (consent.note) form.append('note', consent.note);
  form.append('file', consent.file, consent.file.name);
  return request('POST', `/api/stock-packages/${id}/consent`, form, options);
}

export function reviewPackage(id: number, body: StockPackageReview, options?: RequestOptions): Promise<StockPackageDetail> {
  return request('POST', `/api/stock-packages/${id}/review`, body, options);
}
