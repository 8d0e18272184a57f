import { ref, shallowRef, watch, type ComputedRef, type Ref, type ShallowRef } from 'vue';
import { ElMessage } from 'element-plus';
import type { Position } from 'geojson';
import { geometryAreaM2 } from '@domain/ellipsoidal-area.js';
import { fetchParcel } from '../parcels/parcels.api.js';
import type { CompositionRow } from './area-form-panel.vue';
import { outerRing, type AreasMapView, type AreaTool, type CompositionFeature, type DrawTool } from '../map/areas-map.js';
import type { AreaEditor, AreaEditorSnapshot } from './area-editor.js';
import { boxOf, interiorPoint, polygonsOf, type Areal, type Box } from './area-geometry.js';
import { addToBoundary, clipToBoundary, cutHole, previewOuterRing, rebuildWithOuterRing, unionOfParcels, type BoundaryEdit } from './boundary-edits.js';
import type { ParcelStore } from './parcel-store.js';
import type { SnapTarget } from './snapping.js';

export interface AreaToolsOptions {
  editor: AreaEditor;
  state: ShallowRef<AreaEditorSnapshot>;
  editable: ComputedRef<boolean>;
  preview: ShallowRef<Areal | null>;
  boundary: Readonly<Ref<Areal | null>>;
  parcels: ParcelStore;
  parcelsRevision: Ref<number>;
  composition: ComputedRef<CompositionRow[]>;
  compositionFeatures: ComputedRef<CompositionFeature[]>;
  ensureBoundaryParcels: (shape: Areal | null) => Promise<void>;
  /** Opens a saved area clicked on the map. */
  openArea: (id: number) => void;
  view: () => AreasMapView | null;
}

const EDIT_ACTIONS: Record<string, string> = {
  dragCoordinate: '移动边界折点',
  insertMidpoint: '插入边界折点',
  deleteCoordinate: '删除边界折点',
  dragFeature: '整体拖动边界',
  dragCoordinateResize: '缩放边界',
};

/** The drawing tools, the map's answers to them, undo and redo, and the state drawn on the map. */
export function useAreaTools(options: AreaToolsOptions) {
  const { editor, state, editable, preview, boundary, parcels, parcelsRevision, composition, compositionFeatures, ensureBoundaryParcels, view } = options;

  const tool = ref<AreaTool>('browse');
  const snapping = ref(true);
  const editPart = ref(0);
  const picked = shallowRef<Map<number, Areal>>(new Map());

  // -------------------------------------------------------------------------------------------
  // Drawing the state on the map

  watch(boundary, (shape) => view()?.showBoundary(shape));
  watch(() => [state.value.content.fragments, state.value.content.supportingLand] as const, ([fragments, supporting]) => view()?.showMarkedLand(fragments, supporting));
  watch(compositionFeatures, (features) => view()?.showComposition(features));
  watch(picked, (map) => view()?.showPicked([...map.values()]));
  watch(() => state.value.areaId, (id) => view()?.setCurrentArea(id));
  watch(snapping, (enabled) => view()?.setSnapping(enabled));

  function updateSnapTargets(): void {
    const map = view();
    if (!map) return;
    const bounds = map.map.getBounds();
    const box: Box = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()];
    const targets: SnapTarget[] = parcels.snapTargets(box);
    const content = state.value.content;
    // Holes and markedLand snap to the boundary too; while the boundary itself is edited it would only snap to itself.
    if (content.boundary && tool.value !== 'edit') targets.push({ geometry: content.boundary, box: boxOf(content.boundary) });
    for (const piece of [...content.fragments, ...content.supportingLand]) targets.push({ geometry: piece.geometry, box: boxOf(piece.geometry) });
    map.setSnapTargets(targets);
  }

  watch([parcelsRevision, () => state.value.content, tool], updateSnapTargets);

  /** In 编辑 the edited ring follows the state: after a rebuild, an undo, a redo. */
  function syncEditRing(): void {
    const map = view();
    if (tool.value !== 'edit' || !map) return;
    const shape = state.value.content.boundary;
    if (!shape) {
      selectTool('browse');
      return;
    }
    if (editPart.value >= polygonsOf(shape).length) editPart.value = 0;
    map.editRing(outerRing(shape, editPart.value));
  }

  watch([() => state.value.content.boundary, editPart], syncEditRing);

  // -------------------------------------------------------------------------------------------
  // Tools

  function selectTool(next: AreaTool): void {
    if (next !== 'browse' && !editable.value) return;
    if (['edit', 'hole', 'add', 'fragment', 'supporting'].includes(next) && !state.value.content.boundary) {
      ElMessage({ type: 'info', message: '请先绘制边界', grouping: true });
      return;
    }
    preview.value = null;
    tool.value = next;
    view()?.setTool(next);
    if (next === 'edit') syncEditRing();
    if (next !== 'pick' && picked.value.size > 0) picked.value = new Map();
    updateSnapTargets();
  }

  function problemAt(shape: Areal, edit: Extract<BoundaryEdit, { ok: false }>): void {
    try {
      view()?.showProblem(interiorPoint(shape), edit.message);
    } catch {
      ElMessage({ type: 'warning', message: edit.message });
    }
  }

  function onDrawn(drawnWith: DrawTool, polygon: Areal): void {
    preview.value = null;
    view()?.showProblem(null, null);
    const content = state.value.content;
    const area = geometryAreaM2(polygon);
    const size = `${Math.round(area).toLocaleString('zh-CN')} m²`;
    if (drawnWith === 'polygon' || drawnWith === 'rectangle') {
      editor.setBoundary(polygon, content.boundary ? `重新绘制边界（${size}）` : `绘制边界（${size}）`);
      void ensureBoundaryParcels(polygon);
      editPart.value = 0;
      selectTool('edit');
      return;
    }
    if (drawnWith === 'hole' || drawnWith === 'add') {
      const result = drawnWith === 'hole' ? cutHole(content.boundary, polygon) : addToBoundary(content.boundary, polygon);
      if (!result.ok) {
        problemAt(polygon, result);
        return;
      }
      editor.setBoundary(result.geometry, drawnWith === 'hole' ? `挖洞（${size}）` : `添加地块范围（${size}）`);
      if (drawnWith === 'add') void ensureBoundaryParcels(result.geometry);
      return;
    }
    const clipped = clipToBoundary(content.boundary, polygon);
    if (!clipped.ok) {
      problemAt(polygon, clipped);
      return;
    }
    const clippedSize = `${Math.round(geometryAreaM2(clipped.geometry)).toLocaleString('zh-CN')} m²`;
    editor.addMarkedLand(drawnWith === 'fragment' ? 'fragment' : 'supporting', clipped.geometry, `绘制${drawnWith === 'fragment' ? '零星用地' : '配套用房用地'}（${clippedSize}）`);
  }

  function onDrawing(drawnWith: DrawTool, ring: Position[] | null): void {
    if (drawnWith !== 'polygon' && drawnWith !== 'rectangle') return;
    if (tool.value !== 'polygon' && tool.value !== 'rectangle') {
      if (ring === null && preview.value && tool.value !== 'edit') preview.value = null;
      return;
    }
    preview.value = ring && ring.length >= 4 ? { type: 'Polygon', coordinates: [ring] } : null;
  }

  function onRingEditing(ring: Position[]): void {
    const shape = state.value.content.boundary;
    if (!shape) return;
    preview.value = previewOuterRing(shape, editPart.value, ring);
  }

  function onRingEdited(ring: Position[], action: string): void {
    const shape = state.value.content.boundary;
    preview.value = null;
    if (!shape) return;
    const result = rebuildWithOuterRing(shape, editPart.value, ring);
    if (!result.ok) {
      problemAt(shape, result);
      syncEditRing();
      return;
    }
    editor.setBoundary(result.geometry, EDIT_ACTIONS[action] ?? '编辑边界');
    void ensureBoundaryParcels(result.geometry);
  }

  /**
   * 选地块 picks parcels; browsing, a parcel of the area is taken in or left out (Shift: 零星用地),
   * and elsewhere a click opens the saved area under it.
   */
  async function onMapClick(hit: { parcelId: number | null; savedAreaId: number | null; shift: boolean }): Promise<void> {
    const { parcelId, savedAreaId, shift } = hit;
    if (tool.value === 'pick') {
      if (parcelId === null) return;
      const next = new Map(picked.value);
      if (next.has(parcelId)) next.delete(parcelId);
      else {
        const known = parcels.get(parcelId)?.geometry;
        const geometry = known ?? (await fetchParcel(parcelId, { quiet: true }).catch(() => null))?.geometry ?? null;
        if (!geometry) return;
        next.set(parcelId, geometry);
      }
      picked.value = next;
      return;
    }
    const row = parcelId === null ? undefined : composition.value.find((entry) => entry.id === parcelId);
    if (row && editable.value) {
      if (shift) editor.toggleFragmentParcel(row.id, row.code);
      else editor.toggleParcel(row.id, row.code);
      return;
    }
    if (savedAreaId !== null && savedAreaId !== state.value.areaId) {
      options.openArea(savedAreaId);
      return;
    }
    if (parcelId !== null && !row && editable.value && state.value.content.boundary) {
      ElMessage({ type: 'info', message: '该地块不在边界内；请先扩大边界或用“添加范围”并入', grouping: true });
    }
  }

  function mergePicked(): void {
    const result = unionOfParcels([...picked.value.values()]);
    if (!result.ok) {
      ElMessage({ type: 'warning', message: result.message });
      return;
    }
    editor.setBoundary(result.geometry, `所选 ${picked.value.size} 宗地块合并为边界`);
    picked.value = new Map();
    void ensureBoundaryParcels(result.geometry);
    selectTool('browse');
  }

  function clearBoundary(): void {
    editor.setBoundary(null, '清除边界');
    selectTool('browse');
  }

  function jumpTo(position: number): void {
    if (!editable.value) return;
    while (state.value.position > position && editor.undo());
    while (state.value.position < position && editor.redo());
  }

  function undo(): void {
    if (!editable.value) return;
    const entry = editor.undo();
    if (entry) ElMessage({ type: 'info', message: `已撤销：${entry.description}`, grouping: true, duration: 1500 });
  }

  function redo(): void {
    if (!editable.value) return;
    const entry = editor.redo();
    if (entry) ElMessage({ type: 'info', message: `已重做：${entry.description}`, grouping: true, duration: 1500 });
  }

  function locateParcel(id: number): void {
    const parcel = parcels.get(id);
    if (parcel) view()?.fitBounds(parcel.box, { maxZoom: 18 });
  }

  return {
    tool, snapping, editPart, picked,
    selectTool, updateSnapTargets,
    onDrawn, onDrawing, onRingEditing, onRingEdited, onMapClick,
    mergePicked, clearBoundary, jumpTo, undo, redo, locateParcel,
  };
}
