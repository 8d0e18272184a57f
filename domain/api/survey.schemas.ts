import { Type, type Static } from 'typebox';
import { Nullable } from './common.schemas.js';

/** One committed 变更调查 layer; a re-import of a year supersedes it (kept on record, no tiles). */
export const SurveyLayer = Type.Object({
  id: Type.Integer(),
  year: Type.Integer(),
  layerName: Type.String(),
  featureCount: Type.Integer(),
  sourceSrid: Nullable(Type.Integer()),
  importedBy: Type.String(),
  importedAt: Type.String({ format: 'date-time' }),
  current: Type.Boolean({ description: 'false when a later import of the same year superseded it (kept on record)' }),
  tileJson: Nullable(Type.String({ description: 'path of the year\'s TileJSON; null for a superseded layer' })),
});
export type SurveyLayer = Static<typeof SurveyLayer>;

export const SurveyLayerList = Type.Object({
  items: Type.Array(SurveyLayer),
  legend: Type.Array(Type.Object({ code: Type.String(), label: Type.String(), color: Type.String() })),
});
export type SurveyLayerList = Static<typeof SurveyLayerList>;
