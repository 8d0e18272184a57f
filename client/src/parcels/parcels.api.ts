import type { ParcelDetail, ParcelHistory, ParcelListQuery, ParcelPage, ParcelPatch } from '@domain/api/parcels.schemas.js';
import type { BoundariesProposal, ParcelYearlyFigures, YearlyFigure } from '@domain/api/parcel-card.schemas.js';
import { getJson, queryString, request, type RequestOptions } from '../http/request.js';

export type { ParcelDetail, ParcelHistory, ParcelHistoryEntry, ParcelListItem, ParcelListQuery, ParcelPage, ParcelPatch } from '@domain/api/parcels.schemas.js';

export function fetchParcel(id: number, options?: RequestOptions): Promise<ParcelDetail> {
  return getJson(`/api/parcels/${encodeURIComponent(String(id))}`, options);
}

export function fetchParcels(query: ParcelListQuery, options?: RequestOptions): Promise<ParcelPage> {
  return getJson(`/api/parcels?${queryString(query)}`, options);
}

export function updateParcel(id: number, change: ParcelPatch, options?: RequestOptions): Promise<ParcelDetail> {
  return request('PATCH', `/api/parcels/${encodeURIComponent(String(id))}`, change, options);
}

export function fetchParcelHistory(id: number, options?: RequestOptions): Promise<ParcelHistory> {
  return getJson(`/api/parcels/${encodeURIComponent(String(id))}/history`, options);
}

export type { BoundariesProposal, ParcelYearlyFigures, YearlyFigure } from '@domain/api/parcel-card.schemas.js';

export function fetchYearlyFigures(id: number, options?: RequestOptions): Promise<ParcelYearlyFigures> {
  return getJson(`/api/parcels/${encodeURIComponent(String(id))}/yearly`, options);
}

export function saveYearlyFigures(id: number, items: readonly YearlyFigure[], expectedRevision: string, options?: RequestOptions): Promise<ParcelYearlyFigures> {
  return request('PUT', `/api/parcels/${encodeURIComponent(String(id))}/yearly`, { items, expectedRevision }, options);
}

export function fetchBoundariesProposal(id: number, options?: RequestOptions): Promise<BoundariesProposal> {
  return getJson(`/api/parcels/${encodeURIComponent(String(id))}/boundaries-proposal`, options);
}
