import { getJson, type RequestOptions } from '../http/request.js';

/**
 * One imported 变更调查 layer (DLTB) as `GET /api/survey-layers` lists it. A re-import of a year
 * supersedes the earlier layer, which stays on record (`current` false) but has no tiles.
 */
export interface SurveyLayer {
  id: number;
  year: number;
  layerName: string;
  featureCount: number;
  sourceSrid: number | null;
  importedBy: string;
  importedAt: string;
  current: boolean;
  /** Path of the year's TileJSON (`/tiles/survey-2023.json`); null for a superseded layer. */
  tileJson: string | null;
}

export interface SurveyLayersResponse {
  items: SurveyLayer[];
  legend: { code: string; label: string; color: string }[];
}

export function fetchSurveyLayers(options?: RequestOptions): Promise<SurveyLayersResponse> {
  return getJson('/api/survey-layers', options);
}
