import type { ParcelTableRow } from '@domain/api/parcel-table.schemas.js';

/** Rows one request brings (the server's window). */
export const BLOCK_ROWS = 200;
export type FetchRows = (ids: readonly number[], signal: AbortSignal) => Promise<ParcelTableRow[]>;

/**
 * The rows of a virtualised table: the filtered ids in table order are read once (one sort on the
 * server), then the rows are fetched by id in blocks as they come into view. A new filter or sort
 * is a new RowWindow (its requests are aborted); blocks already loaded stay until then. Only the
 * blocks around what is visible are requested, so a fast scroll through 100 000 rows asks for the
 * rows where it stops, not for every block it passed.
 */
export class RowWindow {
  readonly #rows = new Map<number, ParcelTableRow>();
  /** Blocks being read, and their reads. */
  readonly #loading = new Map<number, Promise<void>>();
  readonly #loaded = new Set<number>();
  readonly #aborter = new AbortController();
  /** The rows last asked for by `show`. */
  #shown: [number, number] = [-1, -1];

  constructor(
    readonly ids: readonly number[],
    private readonly fetchRows: FetchRows,
    private readonly onChange: (offset: number, rows: readonly ParcelTableRow[]) => void,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  get length(): number {
    return this.ids.length;
  }

  row(index: number): ParcelTableRow | undefined {
    return this.#rows.get(index);
  }

  /** Loaded rows in order (for selecting every loaded row). */
  loadedRows(): ParcelTableRow[] {
    return [...this.#rows.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
  }

  /** Asks for the blocks that cover rows first…last (and one block either side). */
  ensure(first: number, last: number): void {
    const from = Math.max(0, Math.floor(first / BLOCK_ROWS) - 1);
    const to = Math.min(Math.floor((this.length - 1) / BLOCK_ROWS), Math.floor(last / BLOCK_ROWS) + 1);
    for (let block = from; block <= to; block++) void this.#load(block);
  }

  /**
   * Like `ensure`, the blocks in view first: the block(s) of rows first…last are read at once, the
   * one either side only when those arrived and the view has not moved on meanwhile. After a jump
   * the server answers one window instead of three at the moment the rows must be drawn (on a
   * two-core machine the three block reads competed with the browser for the frame).
   */
  show(first: number, last: number): void {
    this.#shown = [first, last];
    const from = Math.max(0, Math.floor(first / BLOCK_ROWS));
    const to = Math.min(Math.floor((this.length - 1) / BLOCK_ROWS), Math.floor(last / BLOCK_ROWS));
    const visible: Promise<void>[] = [];
    for (let block = from; block <= to; block++) visible.push(this.#load(block));
    void Promise.all(visible).then(() => {
      if (this.#shown[0] === first && this.#shown[1] === last) this.ensure(first, last);
    });
  }

  isLoaded(index: number): boolean {
    return this.#loaded.has(Math.floor(index / BLOCK_ROWS));
  }

  dispose(): void {
    this.#aborter.abort();
  }

  #load(block: number): Promise<void> {
    if (this.#loaded.has(block) || this.#aborter.signal.aborted) return Promise.resolve();
    let loading = this.#loading.get(block);
    if (!loading) {
      loading = this.#read(block);
      this.#loading.set(block, loading);
    }
    return loading;
  }

  async #read(block: number): Promise<void> {
    const offset = block * BLOCK_ROWS;
    // One microtask first: the read is in #loading before it can end.
    await null;
    try {
      const rows = await this.fetchRows(this.ids.slice(offset, offset + BLOCK_ROWS), this.#aborter.signal);
      rows.forEach((row, index) => this.#rows.set(offset + index, row));
      this.#loaded.add(block);
      this.onChange(offset, rows);
    } catch (error) {
      if (!this.#aborter.signal.aborted) this.onError(error);
    } finally {
      this.#loading.delete(block);
    }
  }
}
