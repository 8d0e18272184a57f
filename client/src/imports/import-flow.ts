import type { ImportAnswer, ImportCommitResult, ImportOutsideDecision, ImportState, ImportStatus, ImportUploadFields } from './imports.api.js';

/**
 * What the 数据导入 page shows: the upload form (`idle`), the file on its way (`uploading`), the
 * server at work (`processing`, `committing`), a question (`needs-input`), the preview (`ready`),
 * or an end (`committed`, `refused`, `failed`, `cancelled`).
 */
export type ImportStage = 'idle' | 'uploading' | ImportStatus;

export interface ImportFlowSnapshot {
  readonly stage: ImportStage;
  /** 0–1 of the file sent, while uploading. */
  readonly uploadProgress: number;
  /** The file being uploaded (before the server has named the import). */
  readonly fileName: string | null;
  readonly current: ImportState | null;
  /** Set by the commit: what was written. */
  readonly result: ImportCommitResult | null;
  /** The last request that failed (upload refused, answer or commit refused), for the page to show. */
  readonly error: string | null;
  /** An answer, commit or cancel request is on its way: its buttons wait. */
  readonly busy: boolean;
  /**
   * Goes up each time the import becomes ready, i.e. its staged features were (re)loaded: the
   * preview then fetches them again (a changed encoding or CRS gives other attributes and shapes).
   */
  readonly revision: number;
}

export type ImportFlowListener = (snapshot: ImportFlowSnapshot, previous: ImportFlowSnapshot) => void;

/** The import API as the flow needs it; the page passes the real client, tests a fake. */
export interface ImportFlowApi {
  upload(file: File, fields: ImportUploadFields, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<{ id: string }>;
  fetch(id: string, signal: AbortSignal): Promise<ImportState>;
  answer(id: string, answer: ImportAnswer): Promise<ImportState>;
  commit(id: string, outside?: ImportOutsideDecision): Promise<ImportState & { result: ImportCommitResult }>;
  cancel(id: string): Promise<void>;
}

/** How often the server is asked while it reads, checks or commits. */
export const POLL_INTERVAL_MS = 700;
/** After a failed poll (network hiccup), wait longer before asking again. */
export const POLL_RETRY_MS = 3000;

const WORKING: readonly ImportStatus[] = ['processing', 'committing'];

export function isWorking(status: ImportStatus): boolean {
  return WORKING.includes(status);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function has404(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404;
}

const IDLE: ImportFlowSnapshot = {
  stage: 'idle',
  uploadProgress: 0,
  fileName: null,
  current: null,
  result: null,
  error: null,
  busy: false,
  revision: 0,
};

/**
 * One import, from the file to the database, as plain data: the page renders the snapshot and
 * calls the methods; polling, stale answers and the order of requests are handled here, where
 * tests drive them with a fake API and fake timers.
 */
export class ImportFlow {
  #snapshot: ImportFlowSnapshot = IDLE;
  readonly #listeners = new Set<ImportFlowListener>();
  readonly #api: ImportFlowApi;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #controller: AbortController | null = null;
  /** Counts the imports opened; an answer about an earlier one is dropped. */
  #ticket = 0;

  constructor(api: ImportFlowApi) {
    this.#api = api;
  }

  get snapshot(): ImportFlowSnapshot {
    return this.#snapshot;
  }

  subscribe(listener: ImportFlowListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Sends a file and follows the import the server starts for it. */
  async upload(file: File, fields: ImportUploadFields): Promise<void> {
    const ticket = this.#begin();
    const controller = new AbortController();
    this.#controller = controller;
    this.#set({ ...IDLE, revision: this.#snapshot.revision, stage: 'uploading', fileName: file.name });
    let id: string;
    try {
      ({ id } = await this.#api.upload(file, fields, (fraction) => {
        if (ticket === this.#ticket) this.#update({ uploadProgress: fraction });
      }, controller.signal));
    } catch (error) {
      if (ticket !== this.#ticket) return;
      this.#set({ ...IDLE, revision: this.#snapshot.revision, fileName: file.name, error: isAbort(error) ? null : messageOf(error) });
      return;
    }
    if (ticket !== this.#ticket) return;
    this.#update({ uploadProgress: 1, stage: 'processing' });
    await this.#poll(id, ticket);
  }

  /** Opens an import from the list (to look at it, answer it or commit it). */
  async open(id: string): Promise<void> {
    const ticket = this.#begin();
    this.#set({ ...IDLE, revision: this.#snapshot.revision, stage: 'processing' });
    await this.#poll(id, ticket);
  }

  /** Answers `needs-input`, or changes a guess (encoding, CRS, layers, mapping, year) of a ready import. */
  async answer(answer: ImportAnswer): Promise<boolean> {
    const current = this.#snapshot.current;
    if (!current || this.#snapshot.busy) return false;
    const ticket = this.#ticket;
    this.#update({ busy: true, error: null });
    try {
      const state = await this.#api.answer(current.id, answer);
      if (ticket !== this.#ticket) return false;
      this.#show(state);
      this.#update({ busy: false });
      if (isWorking(state.status)) this.#schedule(state.id, ticket, POLL_INTERVAL_MS);
      return true;
    } catch (error) {
      if (ticket === this.#ticket) this.#update({ busy: false, error: messageOf(error) });
      return false;
    }
  }

  /** Writes the staged features to the database; the server answers when it is done. */
  /** Commits the ready import; `outside` decides what happens to features outside the 管辖范围 (裁剪 or 跳过). */
  async commit(outside?: ImportOutsideDecision): Promise<boolean> {
    const current = this.#snapshot.current;
    if (!current || current.status !== 'ready' || this.#snapshot.busy) return false;
    const ticket = this.#ticket;
    this.#update({ busy: true, error: null, stage: 'committing', current: { ...current, status: 'committing', phase: 'commit', progress: 0 } });
    try {
      const { result, ...state } = await this.#api.commit(current.id, outside);
      if (ticket !== this.#ticket) return false;
      this.#update({ busy: false, current: state, result, stage: state.status });
      return true;
    } catch (error) {
      if (ticket !== this.#ticket) return false;
      // The server put the import back to ready; show the preview again with the reason.
      this.#update({ busy: false, stage: 'ready', current, error: messageOf(error) });
      return false;
    }
  }

  /** Drops the import on the server (nothing stays) and goes back to the upload form. */
  async cancel(): Promise<boolean> {
    const current = this.#snapshot.current;
    if (!current || this.#snapshot.busy) return false;
    const ticket = this.#ticket;
    this.#stopPolling();
    this.#update({ busy: true, error: null });
    try {
      await this.#api.cancel(current.id);
    } catch (error) {
      if (ticket === this.#ticket) {
        this.#update({ busy: false, error: messageOf(error) });
        if (isWorking(current.status)) this.#schedule(current.id, ticket, POLL_INTERVAL_MS);
      }
      return false;
    }
    if (ticket === this.#ticket) this.reset();
    return true;
  }

  /** Back to the upload form; the import (if any) stays on the server and in the list. */
  reset(): void {
    this.#begin();
    this.#set({ ...IDLE, revision: this.#snapshot.revision });
  }

  clearError(): void {
    this.#update({ error: null });
  }

  dispose(): void {
    this.#begin();
    this.#listeners.clear();
  }

  #begin(): number {
    this.#stopPolling();
    this.#controller?.abort();
    this.#controller = null;
    return ++this.#ticket;
  }

  #stopPolling(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(id: string, ticket: number, delay: number): void {
    this.#stopPolling();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#poll(id, ticket);
    }, delay);
  }

  async #poll(id: string, ticket: number): Promise<void> {
    const controller = new AbortController();
    this.#controller = controller;
    let state: ImportState;
    try {
      state = await this.#api.fetch(id, controller.signal);
    } catch (error) {
      if (ticket !== this.#ticket || isAbort(error)) return;
      if (has404(error) || !this.#snapshot.current) {
        this.#set({ ...IDLE, revision: this.#snapshot.revision, error: messageOf(error) });
        return;
      }
      this.#update({ error: `${messageOf(error)}（正在重试）` });
      this.#schedule(id, ticket, POLL_RETRY_MS);
      return;
    }
    if (ticket !== this.#ticket) return;
    this.#show(state);
    if (this.#snapshot.error?.endsWith('（正在重试）')) this.#update({ error: null });
    if (isWorking(state.status)) this.#schedule(id, ticket, POLL_INTERVAL_MS);
  }

  #show(state: ImportState): void {
    const previous = this.#snapshot.current;
    const becameReady = state.status === 'ready' && (previous?.id !== state.id || previous.status !== 'ready');
    this.#update({
      current: state,
      stage: state.status,
      fileName: state.fileName,
      result: state.report.commit ?? this.#snapshot.result,
      revision: becameReady ? this.#snapshot.revision + 1 : this.#snapshot.revision,
    });
  }

  #update(change: Partial<ImportFlowSnapshot>): void {
    this.#set({ ...this.#snapshot, ...change });
  }

  #set(next: ImportFlowSnapshot): void {
    const previous = this.#snapshot;
    const changed = (Object.keys(next) as (keyof ImportFlowSnapshot)[]).some((key) => next[key] !== previous[key]);
    if (!changed) return;
    this.#snapshot = next;
    for (const listener of this.#listeners) listener(next, previous);
  }
}
