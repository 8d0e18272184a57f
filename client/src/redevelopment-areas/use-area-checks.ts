import { computed, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { geometryAreaM2 } from '@domain/ellipsoidal-area.js';
import { checkContextOf, gapToleranceOf } from '@domain/rules/rules.js';
import { runCheck, type CheckAnswer } from './areas.api.js';
import { ApiError, isAbort } from '../http/request.js';
import { fetchRuleSets, type StoredRuleSet } from '../rules/rules.api.js';
import type { CompositionRow, MarkedLandRow } from './area-form-panel.vue';
import type { AreasMapView, CompositionFeature } from '../map/areas-map.js';
import { checkKeyOf, type AreaContent, type AreaEditor, type AreaEditorSnapshot } from './area-editor.js';
import { boxOf, interiorPoint, polygonsOf, type Areal } from './area-geometry.js';
import { buildGauges, differencesFromServer, liveChecks } from './gauges.js';
import { computeLiveFigures, LiveFiguresCache, type LiveFigures } from './live-figures.js';
import type { ParcelStore } from './parcel-store.js';

export const CHECK_DELAY_MS = 600;

export interface AreaChecksOptions {
  editor: AreaEditor;
  state: ShallowRef<AreaEditorSnapshot>;
  /** The boundary while a vertex is dragged or a new one is sketched; null otherwise. */
  preview: ShallowRef<Areal | null>;
  /** The previewed boundary, or else the area's own. */
  boundary: Readonly<Ref<Areal | null>>;
  parcels: ParcelStore;
  parcelsRevision: Ref<number>;
  view: () => AreasMapView | null;
}

/**
 * The rule sets, the live figures (once per animation frame), the server's check once edits
 * settle (debounced POST /api/checks) and whether the two agree.
 */
export function useAreaChecks({ editor, state, preview, boundary, parcels, parcelsRevision, view }: AreaChecksOptions) {
  // -------------------------------------------------------------------------------------------
  // Rule sets

  const ruleSets = shallowRef<StoredRuleSet[]>([]);
  const ruleSet = computed(() => ruleSets.value.find((set) => set.id === state.value.meta.ruleSetId) ?? null);
  /** The city's set, then the ones the area adds (as loaded: their current versions). */
  const appliedRuleSets = computed(() => {
    const meta = state.value.meta;
    const additional = meta.additionalRuleSetIds.filter((id) => id !== meta.ruleSetId)
      .map((id) => ruleSets.value.find((set) => set.id === id)).filter((set): set is StoredRuleSet => set !== undefined);
    return ruleSet.value ? [ruleSet.value, ...additional] : additional;
  });
  const gapToleranceM = computed(() => gapToleranceOf(...appliedRuleSets.value));

  async function loadRuleSets(): Promise<void> {
    try {
      ruleSets.value = (await fetchRuleSets({ quiet: true })).items;
    } catch {
      ruleSets.value = [];
    }
  }

  // -------------------------------------------------------------------------------------------
  // Live figures, once per animation frame

  const cache = new LiveFiguresCache();
  const live = shallowRef<LiveFigures | null>(null);
  const liveError = ref('');
  let liveFrame = 0;

  function scheduleLive(): void {
    if (liveFrame) return;
    liveFrame = requestAnimationFrame(() => {
      liveFrame = 0;
      computeLive();
    });
  }

  function computeLive(): void {
    const shape = boundary.value;
    if (!shape) {
      live.value = null;
      return;
    }
    const content = state.value.content;
    const box = boxOf(shape);
    const nearby = parcels.within(box);
    const pending = state.value.pendingTakenIds;
    const excluded = new Set(content.excludedParcelIds);
    const takenIds = pending ? new Set(pending) : new Set(nearby.filter((parcel) => !excluded.has(parcel.id)).map((parcel) => parcel.id));
    try {
      live.value = computeLiveFigures({
        boundary: shape,
        parcels: nearby,
        takenIds,
        fragmentParcelIds: new Set(content.fragmentParcelIds),
        fragments: content.fragments.map((piece) => piece.geometry),
        supportingLand: content.supportingLand.map((piece) => piece.geometry),
        uncoveredIsFragment: content.uncoveredIsFragment,
        gapToleranceM: gapToleranceM.value,
      }, cache);
      liveError.value = '';
    } catch (error) {
      liveError.value = `图形无法计算：${(error as Error).message}`;
      return;
    }
    if (pending && !preview.value && parcels.covers(box)) editor.resolvePendingTaken(live.value.parcels.map((parcel) => parcel.id));
  }

  watch([boundary, () => state.value.content, parcelsRevision, gapToleranceM], scheduleLive);

  const intersectingIds = computed(() => live.value?.parcels.map((parcel) => parcel.id) ?? []);

  const composition = computed<CompositionRow[]>(() => {
    const figures = live.value;
    if (!figures) return [];
    const content = state.value.content;
    const pending = state.value.pendingTakenIds;
    const excluded = new Set(content.excludedParcelIds);
    const marked = new Set(content.fragmentParcelIds);
    return figures.parcels.map((entry) => {
      const parcel = parcels.get(entry.id);
      const taken = pending ? pending.includes(entry.id) : !excluded.has(entry.id);
      return {
        id: entry.id,
        code: parcel?.code ?? String(entry.id),
        status: parcel?.status ?? null,
        areaM2: parcel?.areaM2 ?? 0,
        insideM2: entry.insideM2,
        share: entry.share,
        whole: entry.whole,
        taken,
        fragment: taken && marked.has(entry.id),
      };
    }).sort((a, b) => a.code.localeCompare(b.code));
  });

  const markedLand = computed<MarkedLandRow[]>(() => [
    ...state.value.content.fragments.map((piece) => ({ id: piece.id, kind: 'fragment' as const, areaM2: geometryAreaM2(piece.geometry) })),
    ...state.value.content.supportingLand.map((piece) => ({ id: piece.id, kind: 'supporting' as const, areaM2: geometryAreaM2(piece.geometry) })),
  ]);

  /** The parcels as the area takes them: only their part inside the boundary. */
  const compositionFeatures = computed<CompositionFeature[]>(() => composition.value.flatMap((row) => {
    const geometry = cache.insideGeometry(row.id) ?? parcels.get(row.id)?.geometry;
    if (!geometry) return [];
    return [{ id: row.id, geometry, role: !row.taken ? 'excluded' : row.fragment ? 'fragment' : 'taken', partial: !row.whole }];
  }));

  // -------------------------------------------------------------------------------------------
  // The server's check, once edits settle

  const serverAnswer = shallowRef<CheckAnswer | null>(null);
  /** The content and rule set the answer is for: a newer edit makes it stale. */
  const serverFor = shallowRef<{ content: AreaContent; checkKey: string } | null>(null);
  const serverError = ref('');
  const serverChecking = ref(false);
  let checkTimer: ReturnType<typeof setTimeout> | null = null;
  let checkRequest: AbortController | null = null;

  function scheduleCheck(): void {
    if (checkTimer) clearTimeout(checkTimer);
    checkRequest?.abort();
    if (!state.value.content.boundary) {
      serverAnswer.value = null;
      serverFor.value = null;
      serverError.value = '';
      view()?.showProblem(null, null);
      return;
    }
    checkTimer = setTimeout(() => void check(), CHECK_DELAY_MS);
  }

  async function check(): Promise<void> {
    checkTimer = null;
    if (preview.value) return;
    computeLive();
    const body = editor.checkBody(intersectingIds.value);
    if (!body) return;
    const request = new AbortController();
    checkRequest = request;
    const target = { content: state.value.content, checkKey: checkKeyOf(state.value.meta) };
    serverChecking.value = true;
    try {
      const answer = await runCheck(body, { quiet: true, signal: request.signal });
      serverAnswer.value = answer;
      serverFor.value = target;
      serverError.value = '';
      view()?.showProblem(null, null);
    } catch (error) {
      if (isAbort(error)) return;
      serverAnswer.value = null;
      serverFor.value = target;
      serverError.value = error instanceof ApiError ? error.message : '服务器核验失败';
      if (error instanceof ApiError && error.status === 400) showGeometryProblem(String(error.body?.parameter ?? 'boundary'), error.message);
    } finally {
      if (checkRequest === request) {
        checkRequest = null;
        serverChecking.value = false;
      }
    }
  }

  /** A refused geometry's message beside the shape it names (`boundary`, `fragments.features[2]`). */
  function showGeometryProblem(parameter: string, message: string): void {
    const content = state.value.content;
    const match = /^(fragments|supportingLand)\.features\[(\d+)\]/.exec(parameter);
    let shape: Areal | null = content.boundary;
    if (match) shape = (match[1] === 'fragments' ? content.fragments : content.supportingLand)[Number(match[2])]?.geometry ?? shape;
    if (!shape) return;
    try {
      view()?.showProblem(interiorPoint(shape), message);
    } catch {
      view()?.showProblem(polygonsOf(shape)[0]?.[0]?.[0] ?? null, message);
    }
  }

  watch([() => state.value.content, () => checkKeyOf(state.value.meta)], scheduleCheck);

  const serverCurrent = computed(() => {
    const target = serverFor.value;
    return target !== null && target.content === state.value.content && target.checkKey === checkKeyOf(state.value.meta);
  });

  /**
   * The kind and project count the rules read: the count as entered, else the server's (it counts
   * the parcels' 土地使用权人, which the browser does not hold).
   */
  const context = computed(() => {
    const meta = state.value.meta;
    if (meta.projectCount !== null) return checkContextOf(meta.kind, { count: meta.projectCount, basis: 'input', owners: 0, parcels: 0 });
    return checkContextOf(meta.kind, serverAnswer.value?.projects);
  });

  const checks = computed(() => (live.value ? liveChecks(live.value, state.value.content.figures, appliedRuleSets.value, context.value) : []));

  const serverDifferences = computed(() => {
    if (!serverCurrent.value || !serverAnswer.value || !live.value || preview.value) return [];
    return differencesFromServer(live.value, checks.value, serverAnswer.value);
  });

  const serverState = computed<'idle' | 'checking' | 'agree' | 'differ' | 'error'>(() => {
    if (!state.value.content.boundary) return 'idle';
    if (!serverCurrent.value || serverChecking.value || preview.value) return 'checking';
    if (serverError.value) return 'error';
    if (!serverAnswer.value) return 'checking';
    return serverDifferences.value.length > 0 ? 'differ' : 'agree';
  });

  const gauges = computed(() => {
    const figures = state.value.content.boundary || preview.value ? live.value : null;
    const answer = serverAnswer.value;
    const overlapM2 = answer ? Number(answer.figures.overlapM2 ?? 0) : null;
    return buildGauges({
      figures,
      floor: state.value.content.figures,
      ruleSets: appliedRuleSets.value,
      context: context.value,
      overlap: answer && overlapM2 !== null ? { overlapM2, names: (answer.overlaps ?? []).map((overlap) => overlap.name) } : null,
    });
  });

  /** Stops the pending frame, timer and request (the page is leaving). */
  function dispose(): void {
    cancelAnimationFrame(liveFrame);
    if (checkTimer) clearTimeout(checkTimer);
    checkRequest?.abort();
  }

  return {
    ruleSets, loadRuleSets,
    live, liveError, scheduleLive, computeLive, intersectingIds, composition, markedLand, compositionFeatures,
    serverAnswer, serverFor, serverError, scheduleCheck, showGeometryProblem, serverDifferences, serverState, gauges,
    dispose,
  };
}
