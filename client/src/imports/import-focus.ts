import type { BoundingBox } from '@domain/api/common.schemas.js';
import type { ImportCommitResult } from './imports.api.js';

/** What the map shows after an import: the survey year turned on, the extent flown to; `token` tells one commit from the next. */
export interface ImportFocus {
  surveyYear: number | null;
  bbox: BoundingBox | null;
  token: number;
}

export function importFocusOf(result: ImportCommitResult, token: number): ImportFocus {
  return { surveyYear: result.kind === 'survey' ? result.year : null, bbox: result.bbox ?? null, token };
}
