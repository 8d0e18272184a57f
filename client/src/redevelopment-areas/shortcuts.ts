import type { AreaTool } from '../map/areas-map.js';

/** What a key does on the 成片改造区域 page. */
export type AreaCommand = 'undo' | 'redo' | 'save' | 'toggle-snapping' | 'help' | `tool:${AreaTool}`;

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The cheatsheet (快捷键), in the order it lists them; `keys` as shown, space-separated. */
export const AREA_SHORTCUTS: readonly { keys: string; label: string }[] = [
  { keys: 'Ctrl+Z', label: '撤销' },
  { keys: 'Ctrl+Shift+Z Ctrl+Y', label: '重做' },
  { keys: 'Ctrl+S', label: '保存' },
  { keys: 'S', label: '吸附开 / 关（吸附到地块的折点和边）' },
  { keys: 'P', label: '绘制多边形边界' },
  { keys: 'R', label: '绘制矩形边界' },
  { keys: 'E', label: '编辑边界（移动、插入、删除折点，整体拖动）' },
  { keys: 'H', label: '挖洞' },
  { keys: 'A', label: '添加地块范围（合并）' },
  { keys: 'L', label: '绘制零星用地' },
  { keys: 'T', label: '绘制配套用房用地' },
  { keys: 'K', label: '选地块（合并为边界）' },
  { keys: 'V Esc', label: '浏览：单击地块纳入 / 剔除' },
  { keys: 'Enter', label: '闭合正在绘制的多边形' },
  { keys: '?', label: '显示本表' },
];

const TOOL_KEYS: Readonly<Record<string, AreaTool>> = {
  p: 'polygon',
  r: 'rectangle',
  e: 'edit',
  h: 'hole',
  a: 'add',
  l: 'fragment',
  t: 'supporting',
  k: 'pick',
  v: 'browse',
};

/** The command of a key press, or null when the page leaves the key alone. */
export function commandOf(press: KeyPress): AreaCommand | null {
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  const control = press.ctrlKey || press.metaKey;
  if (control && !press.altKey) {
    if (key === 'z') return press.shiftKey ? 'redo' : 'undo';
    if (key === 'y') return 'redo';
    if (key === 's') return 'save';
    return null;
  }
  if (press.altKey) return null;
  if (press.key === '?') return 'help';
  if (press.key === 'Escape') return 'tool:browse';
  if (key === 's') return 'toggle-snapping';
  const tool = TOOL_KEYS[key];
  return tool ? `tool:${tool}` : null;
}

/** Keys typed into a form field are text, not commands (Ctrl+S and Ctrl+Z excepted). */
export function isTextTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
