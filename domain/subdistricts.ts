/**
 * 街道/镇 and 园区 below a 区县 (seed 003 二.1: 园区内 parcels are listed by 园区, 园区外 by 街道,
 * surveyed by 园区办 and 镇政府/街道办). A parcel's place is derived from its shape (point on surface
 * in the polygons of its own district): its 街道/镇 always, its 园区 when it lies in one. The district
 * tree counts a parcel once: under its 园区 when 园区内, else under its 街道/镇, else (no polygon holds
 * it: sliver gaps, land outside the generalised boundaries) under 未划入街道.
 */
export const SUBDISTRICT_KINDS = [
  { code: 'street', label: '街道', office: '街道办' },
  { code: 'town', label: '镇', office: '镇政府' },
  { code: 'park', label: '园区', office: '园区办' },
] as const;

export type SubdistrictKind = (typeof SUBDISTRICT_KINDS)[number]['code'];
export const SUBDISTRICT_KIND_CODES = SUBDISTRICT_KINDS.map((kind) => kind.code) as SubdistrictKind[];

/** The bucket of a district's parcels that no 街道/镇 polygon holds, so a district's children add up. */
export const UNASSIGNED = { code: 'unassigned', label: '未划入街道' } as const;

/** Kinds of a row of the district tree: 区县 under a city; 街道/镇/园区 or the bucket under a 区县. */
export const TREE_KINDS = ['district', ...SUBDISTRICT_KIND_CODES, UNASSIGNED.code] as const;
export type TreeKind = (typeof TREE_KINDS)[number];

/** A 街道/镇/园区 code: the 区县's 6 digits and 3 more (街道/镇 001–399, 园区 500–999). */
export const SUBDISTRICT_CODE_PATTERN = '^[0-9]{9}$';

export function subdistrictKindLabel(kind: string): string {
  if (kind === UNASSIGNED.code) return UNASSIGNED.label;
  if (kind === 'district') return '区县';
  return SUBDISTRICT_KINDS.find((entry) => entry.code === kind)?.label ?? kind;
}

/** 园区内 or 园区外, as seed 003 splits the 产业用地清单. */
export function parkSide(parkCode: string | null | undefined): '园区内' | '园区外' {
  return parkCode ? '园区内' : '园区外';
}
