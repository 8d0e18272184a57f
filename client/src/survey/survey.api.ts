import type { SurveyLayerList } from '@domain/api/survey.schemas.js';
import { getJson, type RequestOptions } from '../http/request.js';

export type { SurveyLayer, SurveyLayerList } from '@domain/api/survey.schemas.js';

export function fetchSurveyLayers(options?: RequestOptions): Promise<SurveyLayerList> {
  return getJson('/api/survey-layers', options);
}
