import { inject, onScopeDispose, provide, shallowRef, type InjectionKey, type ShallowRef } from 'vue';
import type { BrowseSnapshot, BrowseState } from './browse-state.js';

const BROWSE_STATE: InjectionKey<BrowseState> = Symbol('browse-state');

export function provideBrowseState(state: BrowseState): void {
  provide(BROWSE_STATE, state);
}

/**
 * The browse state for a component, plus a Vue ref that follows it. The state stays plain
 * TypeScript (shared with the map adapter and the unit tests); this is the only Vue glue.
 */
export function useBrowseState(): { state: BrowseState; snapshot: Readonly<ShallowRef<BrowseSnapshot>> } {
  const state = inject(BROWSE_STATE);
  if (!state) throw new Error('BrowseState was not provided');
  return { state, snapshot: followBrowseState(state) };
}

/** A Vue ref that follows `state` for as long as the calling component lives. */
export function followBrowseState(state: BrowseState): Readonly<ShallowRef<BrowseSnapshot>> {
  const snapshot = shallowRef(state.snapshot);
  const stop = state.subscribe((next) => {
    snapshot.value = next;
  });
  onScopeDispose(stop);
  return snapshot;
}
