import { onBeforeUnmount, shallowRef, type ShallowRef } from 'vue';
import { ApiError, isAbort } from '../http/request.js';

/**
 * What a panel shows of data it fetches about one record: loading, the data, `outside` (403: the
 * record lies outside the user's 管辖范围 — a notice, not an error) or an error to retry.
 */
export type Load<T extends object> =
  | { phase: 'loading' }
  | ({ phase: 'ready' } & T)
  | { phase: 'outside'; message: string }
  | { phase: 'error'; message: string };

/**
 * Fetches with `fetcher` on `reload()`: a newer reload aborts the older one (only the latest answer
 * is shown), data already shown stays until the new answer, and leaving the component aborts.
 */
export function useLoad<T extends object>(fetcher: (signal: AbortSignal) => Promise<T>): { load: ShallowRef<Load<T>>; reload: () => Promise<void> } {
  const load = shallowRef<Load<T>>({ phase: 'loading' });
  let controller: AbortController | null = null;

  async function reload(): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    if (load.value.phase !== 'ready') load.value = { phase: 'loading' };
    try {
      const answer = await fetcher(current.signal);
      if (controller === current) load.value = { phase: 'ready', ...answer };
    } catch (error) {
      if (isAbort(error) || controller !== current) return;
      if (error instanceof ApiError && error.status === 403) {
        load.value = { phase: 'outside', message: error.message };
        return;
      }
      load.value = { phase: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }

  onBeforeUnmount(() => controller?.abort());
  return { load, reload };
}
