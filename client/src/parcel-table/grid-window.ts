import type { ParcelTableRow } from '@domain/api/parcel-table.schemas.js';

/** Every row's height (px): fixed, so a row's place is its index times this. */
export const ROW_HEIGHT = 32;
export const HEADER_HEIGHT = 36;
/** Rows drawn beyond the view on either side. */
export const OVERSCAN = 6;

export interface GridColumn {
  key: string;
  title: string;
  width: number;
  align: 'left' | 'right' | 'center';
  /** Stays on the left while the table scrolls sideways. */
  frozen: boolean;
  sortable: boolean;
  /** The cell's text (formatted once per loaded row). */
  text: (row: ParcelTableRow) => string;
}

/**
 * Which rows a scroll position shows: the first drawn row and how many, overscan included. The
 * count depends on the height only, so the pool of row elements keeps its size while scrolling.
 */
export function visibleRange(scrollTop: number, viewHeight: number, length: number): { first: number; count: number } {
  const visible = Math.ceil(Math.max(0, viewHeight - HEADER_HEIGHT) / ROW_HEIGHT) + 1;
  // An even pool: a slot (index modulo the pool) then keeps its row's parity, so stripes never move.
  const count = Math.min(length, visible + 2 * OVERSCAN + (visible % 2));
  const top = Math.floor(Math.max(0, scrollTop) / ROW_HEIGHT) - OVERSCAN;
  const first = Math.max(0, Math.min(top, length - count));
  return { first, count };
}
