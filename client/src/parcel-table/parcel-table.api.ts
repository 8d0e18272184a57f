import type {
  BulkEditRequest, BulkEditResult, ParcelTableFilter, ParcelTableIds, ParcelTableIdsRequest, ParcelTableRows, ParcelTableRowsRequest, ParcelTableSummary,
} from '@domain/api/parcel-table.schemas.js';
import type { SearchResult } from '@domain/api/search.schemas.js';
import { getJson, queryString, request, type QueryWithDefaults, type RequestOptions } from '../http/request.js';

export type {
  BulkEditRequest, BulkEditResult, FieldAggregate, ParcelTableFilter, ParcelTableRow, ParcelTableRows, ParcelTableSummary, TableRange, TableSort,
} from '@domain/api/parcel-table.schemas.js';
export type { SearchResult, SearchSuggestion } from '@domain/api/search.schemas.js';

export function fetchTableRows(body: QueryWithDefaults<ParcelTableRowsRequest, 'offset' | 'limit'>, options?: RequestOptions): Promise<ParcelTableRows> {
  return request('POST', '/api/parcels/table/rows', body, options);
}

export function fetchTableIds(body: QueryWithDefaults<ParcelTableIdsRequest, 'limit'>, options?: RequestOptions): Promise<ParcelTableIds> {
  return request('POST', '/api/parcels/table/ids', body, options);
}

export function fetchTableSummary(filter: ParcelTableFilter, options?: RequestOptions): Promise<ParcelTableSummary> {
  return request('POST', '/api/parcels/table/summary', { filter }, options);
}

export function bulkEdit(body: BulkEditRequest, options?: RequestOptions): Promise<BulkEditResult> {
  return request('POST', '/api/parcels/bulk-edit', body, options);
}

/** Suggestions for what the user typed; `complete` asks for every text match (after a `partial` answer). */
export function searchEverywhere(q: string, limit = 10, options?: RequestOptions, complete = false): Promise<SearchResult> {
  return getJson(`/api/search?${queryString(complete ? { q, limit, complete } : { q, limit })}`, options);
}
