import type {
  Inquiry, InquiryHandling, InquiryPage, Listing, ListingCandidateList, ListingCreate, ListingList, ListingUpdate, ListingVersionList,
} from '@domain/api/zhaoshang.schemas.js';
import { getJson, queryString, request, type RequestOptions } from '../http/request.js';

export type { Inquiry, InquiryPage, Listing, ListingCandidate, ListingCreate, ListingVersion } from '@domain/api/zhaoshang.schemas.js';

/** The officials' 招商地图 API: listings (versioned, 发布/撤回) and the investors' 意向. */
export function fetchListings(district: string, options?: RequestOptions): Promise<ListingList> {
  return getJson(`/api/zhaoshang/listings?${queryString({ district })}`, options);
}

export function fetchCandidates(district: string, options?: RequestOptions): Promise<ListingCandidateList> {
  return getJson(`/api/zhaoshang/candidates?${queryString({ district })}`, options);
}

export function fetchListingVersions(id: number, options?: RequestOptions): Promise<ListingVersionList> {
  return getJson(`/api/zhaoshang/listings/${encodeURIComponent(String(id))}/versions`, options);
}

export function createListing(body: ListingCreate, options?: RequestOptions): Promise<Listing> {
  return request('POST', '/api/zhaoshang/listings', body, options);
}

export function updateListing(id: number, body: ListingUpdate, options?: RequestOptions): Promise<Listing> {
  return request('PUT', `/api/zhaoshang/listings/${encodeURIComponent(String(id))}`, body, options);
}

export function publishListing(id: number, version: number, options?: RequestOptions): Promise<Listing> {
  return request('POST', `/api/zhaoshang/listings/${encodeURIComponent(String(id))}/publish`, { version }, options);
}

export function withdrawListing(id: number, version: number, reason: string, options?: RequestOptions): Promise<Listing> {
  return request('POST', `/api/zhaoshang/listings/${encodeURIComponent(String(id))}/withdraw`, { version, reason }, options);
}

export function fetchInquiries(query: { state?: 'new' | 'handled'; page?: number }, options?: RequestOptions): Promise<InquiryPage> {
  return getJson(`/api/zhaoshang/inquiries?${queryString({ ...query, pageSize: 100 })}`, options);
}

export function handleInquiry(id: number, body: InquiryHandling, options?: RequestOptions): Promise<Inquiry> {
  return request('PUT', `/api/zhaoshang/inquiries/${encodeURIComponent(String(id))}/handling`, body, options);
}
