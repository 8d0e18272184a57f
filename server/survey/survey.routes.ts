import { SurveyLayerList } from '../../domain/api/survey.schemas.js';
import { LAND_USE_CLASSES, UNKNOWN_LAND_USE_CLASS } from '../../domain/land-use.js';
import type { AppInstance } from '../app-instance.js';

export async function surveyRoutes(app: AppInstance): Promise<void> {
  app.get('/api/survey-layers', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['imports'],
      summary: '变更调查图层: every year side by side, with the legend of 地类 classes',
      response: { 200: SurveyLayerList },
    },
  }, async () => ({
    items: await app.surveyRepository.committedLayers(),
    legend: [...LAND_USE_CLASSES, UNKNOWN_LAND_USE_CLASS].map(({ code, label, color }) => ({ code, label, color })),
  }));
}
