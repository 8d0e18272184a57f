/**
 * Esc closes a dialog after one of its dropdowns was used.
 *
 * Element Plus closes dialogs from one `keydown` listener on `document`; an `el-select` stops every
 * Esc pressed in it from getting there, also when its list is closed. So once a user had picked a
 * role or a district, focus stayed in the select and Esc never closed the dialog again. Here, in the
 * capture phase before the select sees it: an Esc in a select whose list is closed is passed on to
 * `document` as Element Plus expects. With the list open, the select keeps it (the first Esc closes
 * the list, the second the dialog).
 */
const SELECT_SELECTOR = '.el-select, .el-select-v2, .el-cascader';

function listOpen(select: Element): boolean {
  return select.querySelector('[aria-expanded="true"]') !== null;
}

export function escapeClosesDialogs(target: Window = window): () => void {
  const listener = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented || !(event.target instanceof Element)) return;
    const select = event.target.closest(SELECT_SELECTOR);
    if (!select || listOpen(select)) return;
    event.stopImmediatePropagation();
    target.document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', bubbles: true }));
  };
  target.addEventListener('keydown', listener, { capture: true });
  return () => target.removeEventListener('keydown', listener, { capture: true });
}
