/**
 * What a reader may see of a parcel outside their districts (管辖范围): where it is, what it is and
 * how large, never its survey findings (效率状态, 低效类型, owner, figures). The parcels routes,
 * the parcels GeoJSON, the tiles and the policy check mask every other field.
 */
export const OUT_OF_SCOPE_PARCEL_KEYS = ['id', 'code', 'districtCode', 'districtName', 'landUseCode', 'areaM2', 'bbox', 'geometry', 'updatedAt', 'version'] as const;
export type OutOfScopeParcelKey = (typeof OUT_OF_SCOPE_PARCEL_KEYS)[number];

/**
 * Parcels outside the user's scope: drawn as neutral context (a planner must see the neighbouring
 * land to judge contiguity) in a grey no status colour uses, so nobody reads a status into them.
 */
export const RESTRICTED_PARCEL = { code: 'restricted', label: '管辖范围外', fill: '#d5d9de', outline: '#9aa3ad' } as const;

const VISIBLE = new Set<string>(OUT_OF_SCOPE_PARCEL_KEYS);

/**
 * Whether a parcel attribute stays visible to a reader outside the parcel's district. The parcel
 * card, the GeoJSON by box, the vector tiles and the policy check all mask through this one test.
 */
export function visibleOutOfScope(key: string): key is OutOfScopeParcelKey {
  return VISIBLE.has(key);
}

/** A parcel's fields as an out-of-scope reader sees them: the others set to null. */
export function maskOutOfScopeParcel<T extends Record<string, unknown>>(parcel: T): { [K in keyof T]: K extends OutOfScopeParcelKey ? T[K] : T[K] | null } {
  return Object.fromEntries(Object.entries(parcel).map(([key, value]) => [key, visibleOutOfScope(key) ? value : null])) as { [K in keyof T]: K extends OutOfScopeParcelKey ? T[K] : T[K] | null };
}

/**
 * What a reader sees of another saved 成片改造区域 outside their districts when it meets their
 * boundary (the policy check's overlaps): that it is there and how much land it shares, never its
 * name or status. The areas tile masks the same (status `restricted`, no label).
 */
export const OUT_OF_SCOPE_AREA = { name: '管辖范围外的区域', status: 'restricted' } as const;

/** An area's name and status as an out-of-scope reader sees them. */
export function maskOutOfScopeArea<T extends { name: string; status: string }>(area: T): T {
  return { ...area, ...OUT_OF_SCOPE_AREA };
}
