/**
 * The answer of `POST /api/checks`, shared with the browser that shows it and stores it with saved
 * areas. Its one definition is the contract schema in domain/api/checks.schemas.ts.
 */
export type { CheckAnswer, CheckedParcel, CheckFigures, CheckOverlap } from '../api/checks.schemas.js';
