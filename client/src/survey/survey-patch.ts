import { LAND_USE_CLASSES, landUseLabel, UNKNOWN_LAND_USE_CLASS } from '@domain/land-use.js';
import type { ColourEntry } from '../ui/colour-scheme.js';

/**
 * The 地类 classes of 变更调查 layers in legend order, 未知地类 last. Map, legend and popup take the
 * colours from here, straight from the domain list, so they cannot drift apart.
 */
export function landUseClassEntries(): ColourEntry[] {
  return [...LAND_USE_CLASSES, UNKNOWN_LAND_USE_CLASS].map(({ code, label, color }) => ({ code, label, color }));
}

export function landUseClassEntry(code: string | null | undefined): ColourEntry {
  return landUseClassEntries().find((entry) => entry.code === code) ?? { ...UNKNOWN_LAND_USE_CLASS };
}

/** What a clicked 图斑 tile feature carries. */
export interface SurveyPatchProperties {
  year: number;
  /** 地类编码 (DLBM), e.g. '0601'; null when the survey left it empty. */
  landUseCode: string | null;
  /** 一级类 ('01'…'12', 'xx' unknown). */
  classCode: string | null;
}

export interface SurveyPatchSummary {
  title: string;
  /** '0601 工业用地'; for a code the product has no name for, the code with its class name. */
  landUse: string;
  /** '06 工矿用地' */
  landUseClass: string;
  colour: string;
}

/** The popup text of a 图斑: year, 地类编码 with its name, and the 一级类 it is coloured by. */
export function summariseSurveyPatch(patch: SurveyPatchProperties): SurveyPatchSummary {
  const entry = landUseClassEntry(patch.classCode);
  const classText = entry.code === UNKNOWN_LAND_USE_CLASS.code ? entry.label : `${entry.code} ${entry.label}`;
  const code = patch.landUseCode?.trim() || null;
  let landUse = entry.label;
  if (code) {
    const label = landUseLabel(code);
    landUse = label === code ? `${code} ${entry.label}` : label;
  }
  return { title: `${patch.year} 年变更调查`, landUse, landUseClass: classText, colour: entry.color };
}
