import { inject, onScopeDispose, provide, shallowRef, type InjectionKey, type ShallowRef } from 'vue';
import type { SessionSnapshot, SessionState } from './session-state.js';

const SESSION_STATE: InjectionKey<SessionState> = Symbol('session-state');

export function provideSessionState(state: SessionState): void {
  provide(SESSION_STATE, state);
}

/** The session for a component, plus a Vue ref that follows it (the only Vue glue of SessionState). */
export function useSessionState(): { session: SessionState; snapshot: Readonly<ShallowRef<SessionSnapshot>> } {
  const session = inject(SESSION_STATE);
  if (!session) throw new Error('SessionState was not provided');
  return { session, snapshot: followSessionState(session) };
}

export function followSessionState(session: SessionState): Readonly<ShallowRef<SessionSnapshot>> {
  const snapshot = shallowRef(session.snapshot);
  const stop = session.subscribe((next) => {
    snapshot.value = next;
  });
  onScopeDispose(stop);
  return snapshot;
}
