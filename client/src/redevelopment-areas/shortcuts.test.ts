import { describe, expect, it } from 'vitest';
import { commandOf } from './shortcuts.js';

const press = (key: string, modifiers: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) =>
  ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...modifiers });

describe('shortcuts', () => {
  it('maps the keys of the cheatsheet to commands', () => {
    expect(commandOf(press('z', { ctrlKey: true }))).toBe('undo');
    expect(commandOf(press('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(commandOf(press('y', { metaKey: true }))).toBe('redo');
    expect(commandOf(press('s', { ctrlKey: true }))).toBe('save');
    expect(commandOf(press('s'))).toBe('toggle-snapping');
    expect(commandOf(press('S', { shiftKey: true }))).toBe('toggle-snapping');
    expect(commandOf(press('?', { shiftKey: true }))).toBe('help');
    expect(commandOf(press('h'))).toBe('tool:hole');
    expect(commandOf(press('e'))).toBe('tool:edit');
    expect(commandOf(press('Escape'))).toBe('tool:browse');
    expect(commandOf(press('x'))).toBeNull();
    expect(commandOf(press('c', { ctrlKey: true }))).toBeNull();
  });
});
