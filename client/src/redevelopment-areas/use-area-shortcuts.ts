import type { ComputedRef, Ref, ShallowRef } from 'vue';
import { ElMessage } from 'element-plus';
import type { AreasMapView, AreaTool } from '../map/areas-map.js';
import type { AreaEditorSnapshot } from './area-editor.js';
import { commandOf, isTextTarget } from './shortcuts.js';

export interface AreaShortcutsOptions {
  state: ShallowRef<AreaEditorSnapshot>;
  editable: ComputedRef<boolean>;
  saving: Ref<boolean>;
  snapping: Ref<boolean>;
  shortcutsVisible: Ref<boolean>;
  undo: () => void;
  redo: () => void;
  save: (note: string) => Promise<void>;
  selectTool: (next: AreaTool) => void;
  formPanel: Readonly<Ref<{ currentNote(): string } | null>>;
  view: () => AreasMapView | null;
}

/** The page's keys (see area-shortcuts-dialog.vue): undo, redo, save, snapping, help and the tools. */
export function useAreaShortcuts(options: AreaShortcutsOptions) {
  const { state, editable, saving, snapping, shortcutsVisible, undo, redo, save, selectTool, formPanel, view } = options;

  function onKeydown(event: KeyboardEvent): void {
    if (event.defaultPrevented) return;
    const command = commandOf(event);
    if (!command) return;
    const inText = isTextTarget(event.target);
    if (inText && command !== 'save') return;
    const target = event.target instanceof Element ? event.target : null;
    if (target?.closest('.el-overlay, .el-dialog, .el-message-box')) return;
    if (document.querySelector('.el-overlay:not([style*="display: none"]) .el-dialog, .el-overlay:not([style*="display: none"]) .el-message-box') && command !== 'help') return;
    switch (command) {
      case 'undo':
        event.preventDefault();
        undo();
        return;
      case 'redo':
        event.preventDefault();
        redo();
        return;
      case 'save':
        event.preventDefault();
        if (editable.value && state.value.content.boundary && !saving.value) void save(formPanel.value?.currentNote() ?? '');
        return;
      case 'toggle-snapping':
        snapping.value = !snapping.value;
        ElMessage({ type: 'info', message: snapping.value ? '吸附已开启' : '吸附已关闭', grouping: true, duration: 1200 });
        return;
      case 'help':
        shortcutsVisible.value = !shortcutsVisible.value;
        return;
      default:
        // Esc first cancels a sketch (terra-draw does it); only then it leaves the drawing tool.
        if (event.key === 'Escape' && view()?.isSketching()) return;
        selectTool(command.slice('tool:'.length) as AreaTool);
    }
  }

  return { onKeydown };
}
