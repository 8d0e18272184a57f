import { Type, type Static } from 'typebox';
import { BoundingBox, Nullable, StringEnum } from './common.schemas.js';
import { MAX_SEARCH_LENGTH } from './parcel-table.schemas.js';

/**
 * Search everywhere (issue 15 item 3): what the map's search box suggests as the user types. Parcels
 * by 宗地编号 (prefix, every district: the code is what an out-of-scope reader may see), and in the
 * reader's districts by 土地使用权人, 出让合同号, 不动产权证号 or 坐落 (any part); districts by name;
 * 街道/园区 of the reader's districts by name. Ranked, at most `limit`.
 */
export const SEARCH_KINDS = ['parcel', 'district', 'townOrPark'] as const;
export const SEARCH_MATCHES = ['code', 'owner', 'contractNo', 'certificateNo', 'location', 'name'] as const;
export type SearchMatch = (typeof SEARCH_MATCHES)[number];

export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: MAX_SEARCH_LENGTH, description: 'what the user typed' }),
  limit: Type.Integer({ minimum: 1, maximum: 20, default: 10 }),
  /**
   * false (while typing): the text statement has a short time budget and the answer says `partial`
   * when it ran out; true (the box asks again at once when it did): every match, within a long budget.
   */
  complete: Type.Boolean({ default: false, description: 'search the texts without the short budget of suggestions while typing' }),
}, { additionalProperties: false });
export type SearchQuery = Static<typeof SearchQuery>;

export const SearchSuggestion = Type.Object({
  kind: StringEnum(SEARCH_KINDS),
  /** The parcel's id, null for a district or 街道/园区. */
  parcelId: Nullable(Type.Integer()),
  /** 宗地编号, a district's or 街道/园区's name. */
  title: Type.String(),
  /** What else identifies it: owner and district of a parcel, the district of a 街道. */
  detail: Type.String(),
  matched: StringEnum(SEARCH_MATCHES, { description: 'which text matched' }),
  /** The matching text (owner, 坐落, 合同号…) to show with the match highlighted. */
  matchedText: Type.String(),
  districtCode: Type.String(),
  /** Where to fly: the parcel's or district's box; null for a 街道/园区 (its parcels' extent comes from the table summary). */
  bbox: Nullable(BoundingBox),
  restricted: Type.Boolean({ description: 'outside the reader\'s districts: only the code and district are shown' }),
});
export type SearchSuggestion = Static<typeof SearchSuggestion>;

export const SearchResult = Type.Object({
  q: Type.String(),
  items: Type.Array(SearchSuggestion),
  /** The owner/合同号/证号/坐落 statement ran out of its time budget: there may be more matches (ask again with complete). */
  partial: Type.Boolean(),
});
export type SearchResult = Static<typeof SearchResult>;
