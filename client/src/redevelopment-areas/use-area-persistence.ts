import { computed, reactive, ref, shallowRef, watch, type ComputedRef, type Ref, type ShallowRef } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { AREA_TRANSITIONS, areaStatusLabel, type AreaStatus } from '@domain/redevelopment-areas.js';
import { roleCan } from '@domain/permissions.js';
import { changeAreaStatus, createArea, deleteArea, fetchArea, fetchAreas, fetchAreaVersion, restoreAreaVersion, updateArea, type AreaSummary, type AreaVersionSummary, type CheckAnswer, type AreaDetail } from './areas.api.js';
import { ApiError } from '../http/request.js';
import type { StoredRuleSet } from '../rules/rules.api.js';
import type { StatusAction } from './area-form-panel.vue';
import type { AreasMapView, AreaTool } from '../map/areas-map.js';
import { checkKeyOf, type AreaContent, type AreaEditor, type AreaEditorSnapshot } from './area-editor.js';
import { boxOf, type Areal } from './area-geometry.js';

// ---------------------------------------------------------------------------------------------
// An area with unsaved work outlives the page: leaving for the map (or a back button the guard
// could not stop) and coming back finds it as it was.

let stashed: { editor: AreaEditor; userId: number } | null = null;

/** The draft left by the same user (another may have signed in in the same tab since). */
export function takeStash(userId: number | undefined): AreaEditor | null {
  const found = stashed !== null && stashed.userId === userId ? stashed.editor : null;
  stashed = null;
  return found;
}

export function stash(editor: AreaEditor, userId: number): void {
  stashed = { editor, userId };
}

// ---------------------------------------------------------------------------------------------

export interface AreaPersistenceOptions {
  editor: AreaEditor;
  state: ShallowRef<AreaEditorSnapshot>;
  role: ComputedRef<string>;
  editable: ComputedRef<boolean>;
  tool: Ref<AreaTool>;
  selectTool: (next: AreaTool) => void;
  ruleSets: ShallowRef<StoredRuleSet[]>;
  /** The server's last check, which a saved area brings along. */
  serverAnswer: ShallowRef<CheckAnswer | null>;
  serverFor: ShallowRef<{ content: AreaContent; checkKey: string } | null>;
  serverError: Ref<string>;
  showGeometryProblem: (parameter: string, message: string) => void;
  computeLive: () => void;
  intersectingIds: ComputedRef<number[]>;
  ensureBoundaryParcels: (shape: Areal | null) => Promise<void>;
  formPanel: Readonly<Ref<{ clearNote(): void } | null>>;
  view: () => AreasMapView | null;
}

/**
 * The saved areas: the list, opening, saving, restoring a version, status changes, deleting,
 * comparing versions, and the guard against leaving unsaved work.
 */
export function useAreaPersistence(options: AreaPersistenceOptions) {
  const { editor, state, role, editable, tool, selectTool, ruleSets, serverAnswer, serverFor, serverError, view } = options;
  const { showGeometryProblem, computeLive, intersectingIds, ensureBoundaryParcels, formPanel } = options;

  const versions = shallowRef<AreaVersionSummary[]>([]);
  const listQuery = reactive({ district: '', status: '' as AreaStatus | '' });
  const list = shallowRef<AreaSummary[]>([]);
  const listTotal = ref(0);
  const listLoading = ref(false);
  const listError = ref('');
  const listUnavailable = ref(false);
  const saving = ref(false);

  async function loadList(): Promise<void> {
    listLoading.value = true;
    try {
      const answer = await fetchAreas({ district: listQuery.district || undefined, status: listQuery.status || undefined }, { quiet: true });
      list.value = answer.items;
      listTotal.value = answer.total;
      listError.value = '';
      listUnavailable.value = false;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) listUnavailable.value = true;
      else listError.value = error instanceof ApiError ? error.message : '区域列表读取失败';
    } finally {
      listLoading.value = false;
    }
  }

  watch(() => [listQuery.district, listQuery.status], () => void loadList());

  async function confirmDiscard(): Promise<boolean> {
    if (!state.value.dirty) return true;
    try {
      await ElMessageBox.confirm('当前区域有未保存的修改，放弃这些修改吗？', '未保存的修改', {
        confirmButtonText: '放弃修改',
        cancelButtonText: '继续编辑',
        type: 'warning',
      });
      return true;
    } catch {
      return false;
    }
  }

  function showSaved(area: AreaDetail, fit: boolean): void {
    editor.load(area);
    versions.value = area.versions ?? [];
    serverAnswer.value = area.result ?? null;
    serverFor.value = area.result ? { content: editor.snapshot.content, checkKey: checkKeyOf(editor.snapshot.meta) } : null;
    serverError.value = '';
    view()?.showProblem(null, null);
    const shape = editor.snapshot.content.boundary;
    if (shape && fit) view()?.fitBounds(boxOf(shape), { maxZoom: 18 });
    void ensureBoundaryParcels(shape);
  }

  async function openArea(id: number): Promise<void> {
    if (id === state.value.areaId && !state.value.dirty) {
      const shape = state.value.content.boundary;
      if (shape) view()?.fitBounds(boxOf(shape), { maxZoom: 18 });
      return;
    }
    if (!(await confirmDiscard())) return;
    try {
      const area = await fetchArea(id);
      selectTool('browse');
      showSaved(area, true);
    } catch {
      // Reported by the API client.
    }
  }

  async function createNew(): Promise<void> {
    if (!(await confirmDiscard())) return;
    editor.startNew(ruleSets.value.some((set) => set.id === 'xiamen-new-industrial') ? 'xiamen-new-industrial' : ruleSets.value[0]?.id);
    versions.value = [];
    serverAnswer.value = null;
    serverFor.value = null;
    view()?.showProblem(null, null);
    selectTool('polygon');
  }

  async function refreshVersions(id: number): Promise<void> {
    try {
      versions.value = (await fetchArea(id, { quiet: true })).versions ?? versions.value;
    } catch {
      // The list stays as it was.
    }
  }

  async function save(note: string): Promise<void> {
    const { meta, areaId, version } = state.value;
    if (!meta.name.trim()) {
      ElMessage({ type: 'warning', message: '请填写区域名称' });
      return;
    }
    if (meta.mode === 'other' && !meta.modeOther.trim()) {
      ElMessage({ type: 'warning', message: '改造模式选择“其他”时请填写模式说明' });
      return;
    }
    saving.value = true;
    try {
      await ensureBoundaryParcels(state.value.content.boundary);
      computeLive();
      const body = editor.saveBody(intersectingIds.value, note);
      if (!body) {
        ElMessage({ type: 'warning', message: '请先绘制边界' });
        return;
      }
      const answer = areaId === null ? await createArea(body, { quiet: true }) : await updateArea(areaId, { ...body, baseVersion: version ?? 1 }, { quiet: true });
      editor.markSaved(answer);
      if (answer.result) {
        serverAnswer.value = answer.result;
        serverFor.value = { content: editor.snapshot.content, checkKey: checkKeyOf(editor.snapshot.meta) };
      }
      formPanel.value?.clearNote();
      ElMessage({ type: 'success', message: `已保存：${answer.name}（第 ${answer.version} 版）`, grouping: true });
      if (answer.versions) versions.value = answer.versions;
      else void refreshVersions(answer.id);
      view()?.reloadSavedAreas();
      void loadList();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 409 && areaId !== null) {
        await offerReload(areaId, error.message);
        return;
      }
      if (error.status === 400 && error.body?.parameter) showGeometryProblem(String(error.body.parameter), error.message);
      ElMessage({ type: 'error', message: error.message, showClose: true, duration: 8000 });
    } finally {
      saving.value = false;
    }
  }

  async function offerReload(id: number, message: string): Promise<void> {
    try {
      await ElMessageBox.confirm(`${message}\n重新载入最新版本？您的修改将被放弃。`, '他人已保存新版本', {
        confirmButtonText: '重新载入',
        cancelButtonText: '暂不',
        type: 'warning',
      });
    } catch {
      return;
    }
    const area = await fetchArea(id);
    showSaved(area, false);
    void loadList();
  }

  const STATUS_ACTION_LABELS: Record<AreaStatus, string> = { submitted: '报审', approved: '批准', returned: '退回', draft: '撤回为草案' };

  const statusActions = computed<StatusAction[]>(() => {
    const status = state.value.status;
    if (!status || state.value.areaId === null) return [];
    return AREA_TRANSITIONS[status]
      .filter((transition) => roleCan(role.value, transition.action))
      .map((transition) => ({ to: transition.to, label: STATUS_ACTION_LABELS[transition.to] }));
  });

  async function changeStatus(to: AreaStatus): Promise<void> {
    const { areaId, dirty, name } = { ...state.value, name: state.value.meta.name };
    if (areaId === null) return;
    if (dirty) {
      ElMessage({ type: 'warning', message: '请先保存修改，再变更状态' });
      return;
    }
    let note: string | undefined;
    try {
      const answer = (await ElMessageBox.prompt(`将“${name}”改为「${areaStatusLabel(to)}」。${to === 'returned' ? '请写明退回原因：' : '说明（可选）：'}`, STATUS_ACTION_LABELS[to], {
        confirmButtonText: STATUS_ACTION_LABELS[to],
        cancelButtonText: '取消',
        inputPlaceholder: to === 'returned' ? '退回原因' : '说明',
        inputValidator: (value: string) => (to === 'returned' && !value?.trim() ? '请填写退回原因' : true),
      })) as { value?: string };
      note = answer.value?.trim() || undefined;
    } catch {
      return;
    }
    try {
      const answer = await changeAreaStatus(areaId, to, note, { quiet: true });
      if (answer?.status) editor.noteStatus(answer.status, answer.version ?? state.value.version ?? 1);
      else showSaved(await fetchArea(areaId), false);
      ElMessage({ type: 'success', message: `已${STATUS_ACTION_LABELS[to]}`, grouping: true });
      if (answer?.versions) versions.value = answer.versions;
      else void refreshVersions(areaId);
      if (!editable.value && tool.value !== 'browse') selectTool('browse');
      view()?.reloadSavedAreas();
      void loadList();
    } catch (error) {
      if (error instanceof ApiError) ElMessage({ type: 'error', message: error.message, showClose: true, duration: 8000 });
    }
  }

  async function removeArea(): Promise<void> {
    const { areaId, meta } = state.value;
    if (areaId === null) return;
    try {
      await ElMessageBox.confirm(`删除“${meta.name}”？删除后区域不再显示，历史版本仍保留在服务器上。`, '删除区域', {
        confirmButtonText: '删除',
        cancelButtonText: '取消',
        type: 'warning',
        confirmButtonClass: 'el-button--danger',
      });
    } catch {
      return;
    }
    try {
      await deleteArea(areaId, { quiet: true });
      editor.startNew(state.value.meta.ruleSetId);
      versions.value = [];
      serverAnswer.value = null;
      serverFor.value = null;
      ElMessage({ type: 'success', message: `已删除：${meta.name}` });
      view()?.reloadSavedAreas();
      void loadList();
    } catch (error) {
      if (error instanceof ApiError) ElMessage({ type: 'error', message: error.message, showClose: true });
    }
  }

  async function restore(version: number): Promise<void> {
    const { areaId } = state.value;
    if (areaId === null || !(await confirmDiscard())) return;
    try {
      await ElMessageBox.confirm(`以第 ${version} 版的边界和数据保存为新版本？`, '恢复版本', { confirmButtonText: '恢复', cancelButtonText: '取消', type: 'info' });
    } catch {
      return;
    }
    try {
      const answer = await restoreAreaVersion(areaId, version, state.value.version ?? 1, { quiet: true });
      const full = answer.input ? answer : await fetchArea(areaId);
      showSaved(full, true);
      if (!full.versions) void refreshVersions(areaId);
      ElMessage({ type: 'success', message: `已恢复第 ${version} 版（现为第 ${full.version} 版）` });
      view()?.reloadSavedAreas();
      void loadList();
    } catch (error) {
      if (!(error instanceof ApiError)) return;
      if (error.status === 409) await offerReload(areaId, error.message);
      else ElMessage({ type: 'error', message: error.message, showClose: true });
    }
  }

  const compared = reactive<{ visible: boolean; left: AreaDetail | null; right: AreaDetail | null }>({ visible: false, left: null, right: null });

  async function compare([first, second]: [number, number]): Promise<void> {
    const { areaId } = state.value;
    if (areaId === null) return;
    try {
      const [left, right] = await Promise.all([fetchAreaVersion(areaId, first), fetchAreaVersion(areaId, second)]);
      Object.assign(compared, { visible: true, left, right });
    } catch {
      // Reported by the API client.
    }
  }

  // -------------------------------------------------------------------------------------------
  // Leaving the page with unsaved work

  function onBeforeUnload(event: BeforeUnloadEvent): void {
    if (!state.value.dirty) return;
    event.preventDefault();
    event.returnValue = '';
  }

  /** Header links to another page ask first when there is unsaved work. */
  function onLinkClick(event: MouseEvent): void {
    const link = event.target instanceof Element ? event.target.closest<HTMLAnchorElement>('a[href^="#/"]') : null;
    if (!link || !state.value.dirty || link.getAttribute('href') === '#/areas') return;
    event.preventDefault();
    event.stopPropagation();
    void confirmDiscard().then((leave) => {
      if (!leave) return;
      editor.startNew();
      window.location.hash = link.getAttribute('href') ?? '#/map';
    });
  }

  return {
    versions, listQuery, list, listTotal, listLoading, listError, listUnavailable, saving,
    loadList, openArea, createNew, save, statusActions, changeStatus, removeArea, restore, compared, compare,
    onBeforeUnload, onLinkClick,
  };
}
