import { computed, h, reactive, ref, shallowRef, watch, type ComputedRef, type Ref, type ShallowRef, type VNode } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { AREA_REVISE, AREA_REVOKE, AREA_TRANSITIONS, areaDeletable, reviewActionLabel, reviewActionOf, reviewNeedsNote, type AreaStatus } from '@domain/redevelopment-areas.js';
import { roleCan } from '@domain/permissions.js';
import {
  changeAreaStatus, createArea, deleteArea, fetchArea, fetchAreas, fetchAreaVersion, recheckArea, restoreAreaVersion, reviseApproved, revokeApproval, updateArea,
  type AreaDetail, type AreaRecheck, type AreaReview, type AreaSummary, type AreaVersionSummary, type CheckAnswer, type PinnedVerdict,
} from './areas.api.js';
import { failingLines, type CheckLine } from './approval.js';
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
  /** The approval side of the open area: pinned verdict, 审批记录, version in force. */
  const approval = shallowRef<{ pinned: PinnedVerdict | null; reviews: AreaReview[]; approvedVersion: number | null }>({ pinned: null, reviews: [], approvedVersion: null });

  function showApproval(area: Pick<AreaDetail, 'pinnedVerdict' | 'reviews' | 'approvedVersion'> | null): void {
    approval.value = { pinned: area?.pinnedVerdict ?? null, reviews: area?.reviews ?? [], approvedVersion: area?.approvedVersion ?? null };
  }
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
    showApproval(area);
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
    showApproval(null);
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
      showApproval(answer);
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
  const STATUS_ACTION_TYPES: Record<AreaStatus, StatusAction['type']> = { submitted: 'primary', approved: 'success', returned: 'danger', draft: 'default' };

  /** The status changes the user's role may make, and 撤销批准 / 开始修订 on an approved area. */
  const statusActions = computed<StatusAction[]>(() => {
    const status = state.value.status;
    if (!status || state.value.areaId === null) return [];
    const actions: StatusAction[] = AREA_TRANSITIONS[status]
      .filter((transition) => roleCan(role.value, transition.action))
      .map((transition) => ({ key: transition.to, label: STATUS_ACTION_LABELS[transition.to], type: STATUS_ACTION_TYPES[transition.to] }));
    if (status === AREA_REVISE.from && roleCan(role.value, AREA_REVISE.action)) actions.push({ key: 'revise', label: '开始修订（新草案版本）', type: 'default' });
    if (status === AREA_REVOKE.from && roleCan(role.value, AREA_REVOKE.action)) actions.push({ key: 'revoke', label: '撤销批准', type: 'danger' });
    return actions;
  });

  const canDelete = computed(() => state.value.status !== null && areaDeletable(state.value.status, approval.value.approvedVersion));

  /** The dialog's text: what is about to happen, and the checks that fail (as the step will pin or decide them). */
  function stepMessage(text: string, failing: { lines: CheckLine[]; ruleSetVersion: number } | null, ask: string): () => VNode {
    return () => h('div', { class: 'area-step' }, [
      h('p', { style: 'margin:0' }, text),
      failing === null ? null : failing.lines.length === 0
        ? h('p', { class: 'area-step__ok', 'data-testid': 'status-all-pass' }, `按第 ${failing.ruleSetVersion} 版规则，全部校验通过。`)
        : h('div', { class: 'area-step__failing', 'data-testid': 'status-failing' }, [
          h('p', { style: 'color:#b1362d;font-weight:600;margin:8px 0 4px' }, `注意：按第 ${failing.ruleSetVersion} 版规则，有 ${failing.lines.length} 项校验未通过：`),
          h('ul', { style: 'margin:0;padding-left:18px;color:#b1362d' }, failing.lines.map((line) => h('li', `${line.name}：${line.value}（限值 ${line.limit}）`))),
        ]),
      h('p', { style: 'margin:8px 0 0;color:#5c6677' }, ask),
    ]);
  }

  /** Asks for the note or opinion (required for 退回 and 撤销批准); null when the user cancelled. */
  async function askNote(title: string, message: () => VNode, confirm: string, required: string | null): Promise<string | null> {
    try {
      const answer = (await ElMessageBox.prompt(message, title, {
        confirmButtonText: confirm,
        cancelButtonText: '取消',
        inputPlaceholder: required ?? '说明（可选）',
        inputValidator: (value: string) => (required && !value?.trim() ? `请填写${required}` : true),
        customClass: 'area-step-dialog',
      })) as { value?: string };
      return answer.value?.trim() ?? '';
    } catch {
      return null;
    }
  }

  /** The failing checks a 报审 would pin: the saved version checked against the rules in force now. */
  async function failingAtSubmit(areaId: number): Promise<{ lines: CheckLine[]; ruleSetVersion: number } | null> {
    try {
      const recheck = await recheckArea(areaId, { quiet: true });
      return { lines: failingLines(recheck.current.result), ruleSetVersion: recheck.current.ruleSetVersion };
    } catch {
      const saved = serverAnswer.value;
      return saved ? { lines: failingLines(saved), ruleSetVersion: saved.ruleSet.version } : null;
    }
  }

  async function changeStatus(key: StatusAction['key']): Promise<void> {
    const { areaId, dirty, name, version } = { ...state.value, name: state.value.meta.name };
    if (areaId === null) return;
    if (dirty) {
      ElMessage({ type: 'warning', message: '请先保存修改，再变更状态' });
      return;
    }
    try {
      let answer: AreaDetail;
      if (key === 'revise') {
        try {
          await ElMessageBox.confirm(`以已批准的第 ${version} 版为底稿另起一个草案版本？第 ${version} 版及其审批结论保持不变，新版本须重新报审、批准。`, '开始修订', {
            confirmButtonText: '开始修订', cancelButtonText: '取消', type: 'info',
          });
        } catch {
          return;
        }
        answer = await reviseApproved(areaId, version ?? 1, { quiet: true });
      } else if (key === 'revoke') {
        const pinned = approval.value.pinned;
        const text = `撤销“${name}”第 ${version} 版的批准？区域将退回规划人员；原批准${pinned ? `（按第 ${pinned.ruleSetVersion} 版规则核查）` : ''}及其结论保留在审批记录中。`;
        const reason = await askNote('撤销批准', stepMessage(text, null, '请写明撤销原因：'), '撤销批准', '撤销原因');
        if (reason === null) return;
        answer = await revokeApproval(areaId, reason, { quiet: true });
      } else {
        const action = reviewActionOf(key);
        const failing = action === 'submit' ? await failingAtSubmit(areaId)
          : action === 'approve' && approval.value.pinned ? { lines: failingLines(approval.value.pinned.result), ruleSetVersion: approval.value.pinned.ruleSetVersion }
            : null;
        const required = reviewNeedsNote(action) ? `${reviewActionLabel(action)}意见` : null;
        const lead = action === 'approve' ? `批准“${name}”第 ${version} 版？批准后区域锁定，结论按报审时的规则版本保存。`
          : action === 'submit' ? `将“${name}”第 ${version} 版报审？报审后不能修改，校验结论按当前规则保存。`
            : `将“${name}”改为「${STATUS_ACTION_LABELS[key]}」。`;
        const ask = required ? `请写明${required}：` : action === 'submit' ? '报审说明（可选）：' : '审批意见（可选）：';
        const anyFailing = failing !== null && failing.lines.length > 0;
        const confirm = anyFailing && action === 'submit' ? '仍然报审' : anyFailing && action === 'approve' ? '仍然批准' : STATUS_ACTION_LABELS[key];
        const note = await askNote(STATUS_ACTION_LABELS[key], stepMessage(lead, failing, ask), confirm, required);
        if (note === null) return;
        answer = await changeAreaStatus(areaId, key, note || undefined, { quiet: true });
      }
      showSaved(answer, false);
      ElMessage({ type: 'success', message: key === 'revise' ? `已开始修订：第 ${answer.version} 版（草案）` : key === 'revoke' ? '已撤销批准' : `已${STATUS_ACTION_LABELS[key]}`, grouping: true });
      if (!editable.value && tool.value !== 'browse') selectTool('browse');
      view()?.reloadSavedAreas();
      void loadList();
    } catch (error) {
      if (error instanceof ApiError) ElMessage({ type: 'error', message: error.message, showClose: true, duration: 8000 });
    }
  }

  const rechecked = reactive<{ visible: boolean; loading: boolean; data: AreaRecheck | null }>({ visible: false, loading: false, data: null });

  /** 按最新规则复核: shown beside the pinned verdict; writes nothing. */
  async function recheck(): Promise<void> {
    const { areaId } = state.value;
    if (areaId === null) return;
    Object.assign(rechecked, { visible: true, loading: true, data: null });
    try {
      rechecked.data = await recheckArea(areaId);
    } catch {
      rechecked.visible = false;
    } finally {
      rechecked.loading = false;
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
      showApproval(null);
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
    approval, canDelete, rechecked, recheck,
    onBeforeUnload, onLinkClick,
  };
}
