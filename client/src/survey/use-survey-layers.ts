import { onScopeDispose, shallowRef, type ShallowRef } from 'vue';
import type { SurveyLayerSelection, SurveyLayerSnapshot } from './survey-layer-selection.js';

/** A Vue ref that follows the 变更调查 selection for as long as the calling component lives. */
export function followSurveyLayers(selection: SurveyLayerSelection): Readonly<ShallowRef<SurveyLayerSnapshot>> {
  const snapshot = shallowRef(selection.snapshot);
  const stop = selection.subscribe((next) => {
    snapshot.value = next;
  });
  onScopeDispose(stop);
  return snapshot;
}
