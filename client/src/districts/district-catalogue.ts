import { XIAMEN, XIAMEN_DISTRICTS } from '@domain/districts.js';
import type { BoundingBox } from '../map/geo-types.js';
import type { District } from './districts.api.js';

export interface DistrictEntry {
  code: string;
  name: string;
  /** 'city' 市 or 'district' 区县 (the picker lists no other level). */
  level: District['level'];
  /** Null when the server could not be reached and the entry comes from the built-in list. */
  bbox: BoundingBox | null;
  areaM2: number | null;
  /** Whether the user's scope covers it; null when not known (built-in list). */
  inScope: boolean | null;
}

/** The city and its districts, in the order the picker lists them (市 first, then 区 by code). */
export interface DistrictCatalogue {
  city: DistrictEntry;
  districts: DistrictEntry[];
}

function entryOf(district: District): DistrictEntry {
  return {
    code: district.code,
    name: district.name,
    level: district.level,
    bbox: district.bbox,
    areaM2: district.areaM2,
    inScope: district.inScope,
  };
}

/**
 * Builds the 市 → 区 picker from `/api/districts`. The city is the item whose code is `cityCode`
 * (the server's configured city); districts are its children, sorted by code as 行政区划代码 lists
 * are printed.
 */
export function catalogueFromDistricts(items: readonly District[], cityCode: string): DistrictCatalogue {
  const city = items.find((item) => item.code === cityCode) ?? items.find((item) => item.level === 'city');
  const cityEntry: DistrictEntry = city ? entryOf(city) : { ...fallbackCatalogue().city };
  const districts = items
    .filter((item) => item.level === 'district' && (item.parentCode === cityEntry.code || item.parentCode === null))
    .map(entryOf)
    .sort((left, right) => left.code.localeCompare(right.code));
  return { city: cityEntry, districts };
}

/**
 * The demo city from the shared domain list, used when `/api/districts` fails: the official still
 * sees the picker (and can retry), only the zoom to a district is unavailable.
 */
export function fallbackCatalogue(): DistrictCatalogue {
  return {
    city: { code: XIAMEN.code, name: XIAMEN.name, level: 'city', bbox: null, areaM2: null, inScope: null },
    districts: XIAMEN_DISTRICTS.map((district) => ({
      code: district.code,
      name: district.name,
      level: 'district' as const,
      bbox: null,
      areaM2: null,
      inScope: null,
    })),
  };
}

export function findDistrict(catalogue: DistrictCatalogue, code: string): DistrictEntry | undefined {
  if (catalogue.city.code === code) return catalogue.city;
  return catalogue.districts.find((district) => district.code === code);
}
