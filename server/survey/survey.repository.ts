import fp from 'fastify-plugin';
import type { SurveyLayer } from '../../domain/api/survey.schemas.js';
import type { AppInstance } from '../app-instance.js';
import type { DatabaseClient } from '../db/database.js';

export function createSurveyRepository(db: DatabaseClient) {
  return {
    /** Committed 变更调查 layers, newest year first; a superseded layer stays listed, without tiles. */
    async committedLayers(): Promise<SurveyLayer[]> {
      const rows = await db.selectFrom('survey_layers').selectAll().where('committed', '=', true).orderBy('year', 'desc').orderBy('id', 'desc').execute();
      return rows.map((row) => ({
        id: row.id,
        year: row.year,
        layerName: row.layer_name,
        featureCount: row.feature_count,
        sourceSrid: row.source_srid,
        importedBy: row.imported_by,
        importedAt: row.imported_at.toISOString(),
        current: row.superseded_at === null,
        tileJson: row.superseded_at === null ? `/tiles/survey-${row.year}.json` : null,
      }));
    },
  };
}

export type SurveyRepository = ReturnType<typeof createSurveyRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    surveyRepository: SurveyRepository;
  }
}

export const surveyRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('surveyRepository', createSurveyRepository(app.db));
}, { name: 'survey-repository', dependencies: ['database'] });
