import { Type } from 'typebox';
import { LAND_USE_CLASSES, UNKNOWN_LAND_USE_CLASS } from '../../domain/land-use.js';
import type { AppInstance } from '../app-instance.js';

const SurveyLayer = Type.Object({
  id: Type.Integer(),
  year: Type.Integer(),
  layerName: Type.String(),
  featureCount: Type.Integer(),
  sourceSrid: Type.Union([Type.Integer(), Type.Null()]),
  importedBy: Type.String(),
  importedAt: Type.String({ format: 'date-time' }),
  current: Type.Boolean({ description: 'false when a later import of the same year superseded it (kept on record)' }),
  tileJson: Type.Union([Type.String(), Type.Null()]),
});

export async function surveyRoutes(app: AppInstance): Promise<void> {
  app.get('/api/survey-layers', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['imports'],
      summary: '变更调查图层: every year side by side, with the legend of 地类 classes',
      response: {
        200: Type.Object({
          items: Type.Array(SurveyLayer),
          legend: Type.Array(Type.Object({ code: Type.String(), label: Type.String(), color: Type.String() })),
        }),
      },
    },
  }, async () => {
    const rows = await app.db.selectFrom('survey_layers').selectAll().where('committed', '=', true).orderBy('year', 'desc').orderBy('id', 'desc').execute();
    return {
      items: rows.map((row) => ({
        id: row.id,
        year: row.year,
        layerName: row.layer_name,
        featureCount: row.feature_count,
        sourceSrid: row.source_srid,
        importedBy: row.imported_by,
        importedAt: row.imported_at.toISOString(),
        current: row.superseded_at === null,
        tileJson: row.superseded_at === null ? `/tiles/survey-${row.year}.json` : null,
      })),
      legend: [...LAND_USE_CLASSES, UNKNOWN_LAND_USE_CLASS].map(({ code, label, color }) => ({ code, label, color })),
    };
  });
}
