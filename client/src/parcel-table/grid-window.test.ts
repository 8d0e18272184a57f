import { describe, expect, it } from 'vitest';
import { HEADER_HEIGHT, OVERSCAN, ROW_HEIGHT, visibleRange } from './grid-window.js';

describe('visibleRange', () => {
  const view = HEADER_HEIGHT + 10 * ROW_HEIGHT;

  it('draws the rows in view and a few either side, as many wherever the list is scrolled', () => {
    const top = visibleRange(0, view, 100_000);
    expect(top.first).toBe(0);
    const middle = visibleRange(50_000 * ROW_HEIGHT, view, 100_000);
    expect(middle.first).toBe(50_000 - OVERSCAN);
    expect(middle.count).toBe(top.count);
    expect(middle.count).toBe(12 + 2 * OVERSCAN);
    expect(middle.count % 2).toBe(0);
  });

  it('stays inside the list at its end and when it is shorter than the view', () => {
    const end = visibleRange(100_000 * ROW_HEIGHT, view, 100_000);
    expect(end.first + end.count).toBe(100_000);
    expect(visibleRange(0, view, 3)).toEqual({ first: 0, count: 3 });
    expect(visibleRange(0, view, 0)).toEqual({ first: 0, count: 0 });
  });
});
