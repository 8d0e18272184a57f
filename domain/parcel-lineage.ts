import { columnName } from './parcel-fields.js';

/**
 * Split (土地分割) and merge (并宗) of parcels: the rules that need no database — which attribute a
 * part or the merged parcel gets how, and the 并宗 conditions of seed 002 case 3 ("两地块边界相邻,
 * 土地权利人、权属性质和土地用途等一致"). The server computes the facts (areas, shared boundaries) in
 * PostGIS and judges them here; the client shows the same conditions live with ✓/✗.
 */

/** A part of a split smaller than this (m², ellipsoidal) is a sliver: the line is refused. */
export const SPLIT_MIN_PART_M2 = 1;
/** At most this many parts from one line. */
export const SPLIT_MAX_PARTS = 50;
/** At most this many parcels in one merge. */
export const MERGE_MAX_PARCELS = 50;
/** Parts' areas must add up to the whole (and the merged area to the parts) within this, m². */
export const AREA_TOLERANCE_M2 = 0.01;
/**
 * Two parcels are 边界相邻 when their boundaries run together (within ADJACENCY_GAP_M of each other)
 * for at least ADJACENCY_MIN_SHARED_M: touching at a corner is not sharing a boundary.
 */
export const ADJACENCY_MIN_SHARED_M = 1;
export const ADJACENCY_GAP_M = 0.05;
/** Long edges are densified along the geodesic before a split, so the cut points lie on it (see repository). */
export const SPLIT_DENSIFY_M = 100;

/** Refusals of a split or merge: expected failures, returned as values and mapped to HTTP in server/errors.ts. */
export const SPLIT_LINE_INVALID = 'split_line_invalid';
export const SPLIT_LINE_MISSES_PARCEL = 'split_line_misses_parcel';
export const SPLIT_LINE_ENDS_INSIDE = 'split_line_ends_inside';
export const SPLIT_LINE_DOES_NOT_DIVIDE = 'split_line_does_not_divide';
export const SPLIT_SLIVER = 'split_sliver';
export const SPLIT_TOO_MANY_PARTS = 'split_too_many_parts';
export const SPLIT_CODES_COUNT = 'split_codes_count';
export const PARCEL_CODE_TAKEN = 'parcel_code_taken';
export const MERGE_CONDITIONS_UNMET = 'merge_conditions_unmet';
export const MERGE_OVERLAP = 'merge_overlap';
export const LINEAGE_AREA_MISMATCH = 'lineage_area_mismatch';
export const PARCEL_RETIRED = 'parcel_retired';

export type LineageRefusal =
  | { reason: typeof SPLIT_LINE_INVALID; detail: string }
  | { reason: typeof SPLIT_LINE_MISSES_PARCEL }
  | { reason: typeof SPLIT_LINE_ENDS_INSIDE; ends: ('start' | 'end')[] }
  | { reason: typeof SPLIT_LINE_DOES_NOT_DIVIDE }
  | { reason: typeof SPLIT_SLIVER; part: number; areaM2: number }
  | { reason: typeof SPLIT_TOO_MANY_PARTS; parts: number }
  | { reason: typeof SPLIT_CODES_COUNT; parts: number; codes: number }
  | { reason: typeof PARCEL_CODE_TAKEN; codes: string[] }
  | { reason: typeof MERGE_CONDITIONS_UNMET; conditions: MergeCondition[] }
  | { reason: typeof MERGE_OVERLAP; overlapM2: number }
  | { reason: typeof LINEAGE_AREA_MISMATCH; wholeM2: number; partsM2: number };

/**
 * How each attribute passes to the parts of a split and to a merged parcel (API keys):
 * - `share`: an amount of land or floor of the parcel — split in proportion to the parts'
 *   ellipsoidal areas (to 0.01, the remainder on the largest part, so the parts add up exactly),
 *   summed by a merge (null when any parcel lacks it);
 * - `weighted`: a ratio or a figure per 亩 — copied to each part (the best estimate until surveyed
 *   again), a merge takes the mean weighted by ellipsoidal area (null when any parcel lacks it);
 * - 四至 (`LINEAGE_CLEARED_KEYS`) are cleared: they named the old shape's neighbours;
 * - every other attribute is copied to each part, and a merge takes it from the largest parcel
 *   (the 主宗地); where the parcels differ the answer lists it so the surveyor checks it.
 * The yearly 产值/税收 (parcel_yearly_figures) are shared like amounts, per year, and summed by a merge.
 * 宗地编号 is new for every part and for the merged parcel; 椭球面积 is computed from the shape.
 */
export const LINEAGE_SHARED_KEYS = ['registeredAreaM2', 'floorAreaM2', 'undevelopedAreaM2', 'investedAmount', 'fixedAssetInvestment'] as const;
export const LINEAGE_WEIGHTED_KEYS = [
  'floorAreaRatio', 'buildingCoverage', 'adminFacilityShare', 'investmentIntensity', 'outputPerMu', 'taxPerMu',
  'agreedFloorAreaRatio', 'agreedBuildingDensity', 'agreedInvestmentIntensity',
] as const;
/** 四至 name the neighbours of the old shape: cleared for the new parcels, to be proposed again from theirs. */
export const LINEAGE_CLEARED_KEYS = ['boundaryEast', 'boundarySouth', 'boundaryWest', 'boundaryNorth'] as const;
/** Columns a split or merge never copies: identity, derived, bookkeeping. */
const NOT_COPIED = new Set(['id', 'code', 'geom', 'geom_3857', 'area_m2', 'created_at', 'updated_at', 'updated_by', 'version']);

type Row = Record<string, unknown>;

function amount(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** An amount shared in proportion to `areas`: to 0.01, the remainder on the largest, so the shares add up exactly. */
export function shareAmount(total: number, areas: readonly number[]): number[] {
  const whole = areas.reduce((sum, area) => sum + area, 0);
  const largest = areas.indexOf(Math.max(...areas));
  const shares = areas.map((area, index) => (index === largest ? 0 : round2(total * (area / whole))));
  shares[largest] = round2(total - shares.reduce((sum, share) => sum + share, 0));
  return shares;
}

/**
 * The columns of each part of a split (snake_case, as the row): the parent's, with the shared
 * amounts in proportion to `partAreas` (m²). `codes` are the parts' 宗地编号.
 */
export function splitAttributes(parent: Row, partAreas: readonly number[], codes: readonly string[]): Row[] {
  const base: Row = Object.fromEntries(Object.entries(parent).filter(([column]) => !NOT_COPIED.has(column)));
  for (const key of LINEAGE_CLEARED_KEYS) base[columnName(key)] = null;
  const parts: Row[] = partAreas.map((_area, index) => ({ ...base, code: codes[index] }));
  for (const key of LINEAGE_SHARED_KEYS) {
    const column = columnName(key);
    const total = amount(parent[column]);
    if (total === null) continue;
    shareAmount(total, partAreas).forEach((share, index) => {
      parts[index][column] = share;
    });
  }
  return parts;
}

/** A differing attribute among merged parcels: the value the merged parcel takes and the others. */
export interface MergeDifference {
  key: string;
  taken: unknown;
  values: { code: string; value: unknown }[];
}

/**
 * The columns of a merged parcel from its parents' rows (each with `area_m2`): shared amounts
 * summed, ratios weighted by area, the rest from the largest parcel; and the attributes that
 * differ among the parents (besides those).
 */
export function mergeAttributes(parents: readonly Row[], code: string): { attributes: Row; differences: MergeDifference[] } {
  const areas = parents.map((parent) => amount(parent.area_m2) ?? 0);
  const principal = parents[areas.indexOf(Math.max(...areas))];
  const attributes: Row = Object.fromEntries(Object.entries(principal).filter(([column]) => !NOT_COPIED.has(column)));
  attributes.code = code;
  const combined = new Set<string>();
  for (const key of LINEAGE_CLEARED_KEYS) {
    attributes[columnName(key)] = null;
    combined.add(columnName(key));
  }
  for (const key of LINEAGE_SHARED_KEYS) {
    const column = columnName(key);
    combined.add(column);
    const values = parents.map((parent) => amount(parent[column]));
    attributes[column] = values.some((value) => value === null) ? null : round2(values.reduce((sum: number, value) => sum + value!, 0));
  }
  const totalArea = areas.reduce((sum, area) => sum + area, 0);
  for (const key of LINEAGE_WEIGHTED_KEYS) {
    const column = columnName(key);
    combined.add(column);
    const values = parents.map((parent) => amount(parent[column]));
    attributes[column] = values.some((value) => value === null) || totalArea <= 0
      ? null
      : values.reduce((sum: number, value, index) => sum + value! * areas[index], 0) / totalArea;
  }
  const differences: MergeDifference[] = [];
  for (const column of Object.keys(attributes)) {
    if (combined.has(column) || column === 'code') continue;
    const distinct = new Set(parents.map((parent) => JSON.stringify(parent[column] ?? null)));
    if (distinct.size > 1) {
      differences.push({
        key: camelKey(column),
        taken: principal[column] ?? null,
        values: parents.map((parent) => ({ code: String(parent.code), value: parent[column] ?? null })),
      });
    }
  }
  return { attributes, differences };
}

function camelKey(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** Codes `<code>-1`, `<code>-2`… for `count` parts, skipping any in `taken`. */
export function splitCodes(code: string, count: number, taken: ReadonlySet<string>): string[] {
  const codes: string[] = [];
  for (let suffix = 1; codes.length < count; suffix++) {
    const candidate = `${code}-${suffix}`;
    if (!taken.has(candidate)) codes.push(candidate);
  }
  return codes;
}

/** The code of a merged parcel: the largest parcel's code with `-H` (合), or `-H2`… when taken. */
export function mergeCode(principalCode: string, taken: ReadonlySet<string>): string {
  for (let suffix = 1; ; suffix++) {
    const candidate = `${principalCode}-H${suffix === 1 ? '' : suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The 并宗 conditions, in the seed's order. */
export const MERGE_CONDITION_KEYS = ['adjacent', 'owner', 'ownershipNature', 'landUse', 'district'] as const;
export type MergeConditionKey = (typeof MERGE_CONDITION_KEYS)[number];

export const MERGE_CONDITION_LABELS: Readonly<Record<MergeConditionKey, string>> = {
  adjacent: '边界相邻',
  owner: '土地权利人（土地使用权人）一致',
  ownershipNature: '权属性质一致',
  landUse: '土地用途（地类编码）一致',
  district: '属同一行政区',
};

/** Source of the conditions, quoted where they are shown. */
export const MERGE_CONDITIONS_SOURCE = '两地块边界相邻，土地权利人、权属性质和土地用途等一致，符合《天津市建设用地使用权转让实施细则》规定的建设用地合并条件（低效用地再开发试点第三批典型案例，天津案例三）';

export interface MergeCondition {
  key: MergeConditionKey;
  label: string;
  pass: boolean;
  /** What was found, in words: why it fails, or what is shared. */
  message: string;
  /** 宗地编号 of the parcels at fault (empty when it passes). */
  parcels: string[];
}

/** What the conditions are judged on: each parcel's facts, and the pairs that share a boundary. */
export interface MergeCandidate {
  id: number;
  code: string;
  owner: string | null;
  ownershipNature: string | null;
  landUseCode: string | null;
  districtCode: string;
  districtName?: string;
}

export interface SharedBoundary {
  a: number;
  b: number;
  /** Length of the boundary the two share, m (geodesic). */
  sharedM: number;
}

/** Parcels with the same value, and a value missing, for one attribute. */
function sameValue(candidates: readonly MergeCandidate[], key: MergeConditionKey, valueOf: (candidate: MergeCandidate) => string | null, noun: string): MergeCondition {
  const label = MERGE_CONDITION_LABELS[key];
  const missing = candidates.filter((candidate) => !valueOf(candidate));
  if (missing.length > 0) {
    return { key, label, pass: false, parcels: missing.map((candidate) => candidate.code), message: `${missing.map((candidate) => candidate.code).join('、')} 未填写${noun}：请先在一宗一卡中填写后再合并` };
  }
  const groups = new Map<string, string[]>();
  for (const candidate of candidates) {
    const value = valueOf(candidate)!;
    groups.set(value, [...(groups.get(value) ?? []), candidate.code]);
  }
  if (groups.size === 1) return { key, label, pass: true, parcels: [], message: `${noun}均为 ${[...groups.keys()][0]}` };
  // The parcels at fault: all but those of the most common value.
  const [common] = [...groups.entries()].sort((left, right) => right[1].length - left[1].length);
  const others = [...groups.entries()].filter(([value]) => value !== common[0]).flatMap(([, codes]) => codes);
  return {
    key, label, pass: false, parcels: others,
    message: `${noun}不一致：${[...groups.entries()].map(([value, codes]) => `${codes.join('、')} 为 ${value}`).join('；')}`,
  };
}

/** Judges the 并宗 conditions of seed 002 case 3 on the facts; every condition is reported, passing or not. */
export function judgeMerge(candidates: readonly MergeCandidate[], shared: readonly SharedBoundary[]): MergeCondition[] {
  // 边界相邻: the parcels form one chain (connected by boundaries of positive length).
  const parent = new Map(candidates.map((candidate) => [candidate.id, candidate.id]));
  const root = (id: number): number => {
    let node = id;
    while (parent.get(node) !== node) node = parent.get(node)!;
    return node;
  };
  for (const edge of shared) {
    if (edge.sharedM >= ADJACENCY_MIN_SHARED_M && parent.has(edge.a) && parent.has(edge.b)) parent.set(root(edge.a), root(edge.b));
  }
  const components = new Map<number, MergeCandidate[]>();
  for (const candidate of candidates) components.set(root(candidate.id), [...(components.get(root(candidate.id)) ?? []), candidate]);
  const chains = [...components.values()].sort((left, right) => right.length - left.length);
  const adjacent: MergeCondition = chains.length <= 1
    ? { key: 'adjacent', label: MERGE_CONDITION_LABELS.adjacent, pass: true, parcels: [], message: candidates.length === 2 ? '两地块有公共边界' : `${candidates.length} 宗地块边界相连` }
    : {
      key: 'adjacent', label: MERGE_CONDITION_LABELS.adjacent, pass: false,
      parcels: chains.slice(1).flat().map((candidate) => candidate.code),
      message: `${chains.slice(1).flat().map((candidate) => candidate.code).join('、')} 与 ${chains[0].map((candidate) => candidate.code).join('、')} 没有公共边界（仅相离或仅在一点相接不算相邻）：只能合并边界相邻的地块`,
    };
  return [
    adjacent,
    sameValue(candidates, 'owner', (candidate) => candidate.owner?.trim() || null, '土地使用权人'),
    sameValue(candidates, 'ownershipNature', (candidate) => candidate.ownershipNature, '权属性质'),
    sameValue(candidates, 'landUse', (candidate) => candidate.landUseCode, '土地用途（地类编码）'),
    sameValue(candidates, 'district', (candidate) => candidate.districtName ? `${candidate.districtName} (${candidate.districtCode})` : candidate.districtCode, '所在行政区'),
  ];
}
