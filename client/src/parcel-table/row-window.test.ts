import { describe, expect, it } from 'vitest';
import type { ParcelTableRow } from '@domain/api/parcel-table.schemas.js';
import { BLOCK_ROWS, RowWindow } from './row-window.js';

const rowOf = (id: number) => ({ id }) as unknown as ParcelTableRow;

describe('RowWindow', () => {
  it('fetches the blocks around what is visible, once each, by id in table order', async () => {
    const ids = Array.from({ length: 1000 }, (_, index) => 5000 - index);
    const asked: number[][] = [];
    const changes: number[] = [];
    const window = new RowWindow(ids, async (slice) => {
      asked.push([...slice]);
      return slice.map(rowOf);
    }, (offset) => changes.push(offset));
    window.ensure(450, 470);
    window.ensure(450, 470);
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Rows 450–470 lie in block 2: blocks 1, 2 and 3 are read, each once.
    expect(asked.map((slice) => slice[0])).toEqual([ids[BLOCK_ROWS], ids[2 * BLOCK_ROWS], ids[3 * BLOCK_ROWS]]);
    expect(changes.sort((a, b) => a - b)).toEqual([200, 400, 600]);
    expect(window.row(455)?.id).toBe(ids[455]);
    expect(window.row(10)).toBeUndefined();
    expect(window.isLoaded(455)).toBe(true);
  });

  it('shows the rows in view first: their block at once, the blocks either side once it arrived', async () => {
    const ids = Array.from({ length: 1000 }, (_, index) => index + 1);
    const asked: number[] = [];
    let release: () => void = () => undefined;
    const window = new RowWindow(ids, (slice) => {
      asked.push(slice[0]);
      return new Promise((resolve) => { release = () => resolve(slice.map(rowOf)); });
    }, () => undefined);
    window.show(450, 470);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(asked).toEqual([ids[2 * BLOCK_ROWS]]);
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(asked).toEqual([ids[2 * BLOCK_ROWS], ids[BLOCK_ROWS], ids[3 * BLOCK_ROWS]]);
    // A jump before its block arrived: the rows it left get no neighbours read.
    window.show(900, 920);
    window.show(10, 30);
    await new Promise((resolve) => setTimeout(resolve, 0));
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(asked.slice(3)).toEqual([ids[4 * BLOCK_ROWS], ids[0]]);
  });

  it('stops asking once disposed (a new filter) and keeps quiet about aborted reads', async () => {
    const errors: unknown[] = [];
    let release: () => void = () => undefined;
    const window = new RowWindow([1, 2, 3], (_ids, signal) => new Promise((resolve, reject) => {
      release = () => (signal.aborted ? reject(new Error('aborted')) : resolve([]));
    }), () => undefined, (error) => errors.push(error));
    window.ensure(0, 2);
    window.dispose();
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toEqual([]);
    expect(window.isLoaded(0)).toBe(false);
  });
});
