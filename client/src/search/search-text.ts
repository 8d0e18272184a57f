import type { SearchMatch } from '@domain/api/search.schemas.js';

export const KIND_LABELS = { parcel: '地块', district: '行政区', townOrPark: '街道/园区' } as const;

export const MATCH_LABELS: Readonly<Record<SearchMatch, string>> = {
  code: '宗地编号', owner: '权利人', contractNo: '合同号', certificateNo: '证号', location: '坐落', name: '名称',
};

/** A text cut into the parts that match what was typed (case-insensitive) and the rest, to highlight. */
export function highlightParts(text: string, typed: string): { text: string; hit: boolean }[] {
  const needle = typed.trim().toLowerCase();
  if (needle === '') return [{ text, hit: false }];
  const parts: { text: string; hit: boolean }[] = [];
  const lower = text.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
    if (at > from) parts.push({ text: text.slice(from, at), hit: false });
    parts.push({ text: text.slice(at, at + needle.length), hit: true });
    from = at + needle.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), hit: false });
  return parts;
}
