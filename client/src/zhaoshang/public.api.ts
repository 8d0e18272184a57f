import type {
  InquiryCreate, InquiryReceipt, PublicDistrictCollection, PublicPlotCollection, PublicPlotDetail,
} from '@domain/api/zhaoshang.schemas.js';
import { PUBLIC_ZHAOSHANG_PREFIX } from '@domain/zhaoshang.js';
import { getJson, request, type RequestOptions } from '../http/request.js';

export type { InquiryCreate, InquiryReceipt, PublicDistrictCollection, PublicPlotCollection, PublicPlotDetail, PublicPlotSummary } from '@domain/api/zhaoshang.schemas.js';

/** The public 招商地图's API (no session): published plots, one plot, district outlines, the 意向 form. */
export function fetchPublicPlots(district: string | null, options?: RequestOptions): Promise<PublicPlotCollection> {
  return getJson(`${PUBLIC_ZHAOSHANG_PREFIX}plots${district ? `?district=${encodeURIComponent(district)}` : ''}`, options);
}

export function fetchPublicPlot(id: number, options?: RequestOptions): Promise<PublicPlotDetail> {
  return getJson(`${PUBLIC_ZHAOSHANG_PREFIX}plots/${encodeURIComponent(String(id))}`, options);
}

export function fetchPublicDistricts(options?: RequestOptions): Promise<PublicDistrictCollection> {
  return getJson(`${PUBLIC_ZHAOSHANG_PREFIX}districts`, options);
}

export function submitInquiry(body: InquiryCreate, options?: RequestOptions): Promise<InquiryReceipt> {
  return request('POST', `${PUBLIC_ZHAOSHANG_PREFIX}inquiries`, body, options);
}

/** The optional raster basemap the server names (天地图 with a key); null: plain background. */
export async function fetchBasemapUrl(): Promise<string | null> {
  try {
    return (await getJson<{ basemapUrl: string | null }>('/api/settings', { quiet: true })).basemapUrl;
  } catch {
    return null;
  }
}
