import { defaultChoice, exportRequestOf, formatOptions, type ExportChoice, type ExportTarget } from './export-choices.js';
import { exportActive, Repeater, submitFailure, type RepeaterTimers } from './export-jobs.js';
import type { ExportJob, ExportRequest } from './exports.api.js';

/** The calls an export dialog makes (exports.api.ts in the app, stand-ins in tests). */
export interface ExportCalls {
  create(body: ExportRequest): Promise<ExportJob>;
  fetch(id: string): Promise<ExportJob>;
  remove(id: string): Promise<ExportJob>;
}

/** `choose`: the form; `starting`: POST sent; `following`: the job exists and is polled until it ends. */
export type ExportStage = 'choose' | 'starting' | 'following';

export interface ExportFailure {
  title: string;
  message: string;
}

export interface ExportSessionSnapshot {
  readonly target: ExportTarget;
  readonly choice: ExportChoice;
  readonly stage: ExportStage;
  readonly job: ExportJob | null;
  /** Why the export could not start (POST refused), or why following it stopped. */
  readonly failure: ExportFailure | null;
  readonly cancelling: boolean;
}

type Listener = (snapshot: ExportSessionSnapshot) => void;

function failureOf(error: unknown): ExportFailure {
  if (error && typeof error === 'object' && 'status' in error && typeof (error as { status: unknown }).status === 'number') {
    return submitFailure(error as { status: number; message: string; body?: Record<string, unknown> | null });
  }
  return { title: '导出未能开始', message: error instanceof Error ? error.message : String(error) };
}

/**
 * One export from the 导出 dialog: the choices (each layer's first format, Gauss-Kruger, GBK by
 * default), the POST, then the job polled about once a second until it is done, failed or
 * cancelled. Plain TypeScript: the dialog renders its snapshot, tests drive it with stand-in calls.
 */
export class ExportSession {
  #snapshot: ExportSessionSnapshot;
  readonly #listeners = new Set<Listener>();
  readonly #poller: Repeater;

  constructor(target: ExportTarget, private readonly calls: ExportCalls, options: { intervalMs?: number; timers?: RepeaterTimers } = {}) {
    this.#snapshot = { target, choice: defaultChoice(target.layer), stage: 'choose', job: null, failure: null, cancelling: false };
    this.#poller = new Repeater(() => this.#poll(), options.intervalMs ?? 1000, options.timers);
  }

  get snapshot(): ExportSessionSnapshot {
    return this.#snapshot;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A format the layer cannot be written in is ignored; the crs and encoding stay as chosen for the next format. */
  choose(change: Partial<ExportChoice>): void {
    if (this.#snapshot.stage !== 'choose') return;
    if (change.format && !formatOptions(this.#snapshot.target.layer).some((format) => format.code === change.format)) return;
    this.#update({ choice: { ...this.#snapshot.choice, ...change }, failure: null });
  }

  get request(): ExportRequest {
    return exportRequestOf(this.#snapshot.target, this.#snapshot.choice);
  }

  async start(): Promise<void> {
    if (this.#snapshot.stage !== 'choose') return;
    this.#update({ stage: 'starting', failure: null });
    let job: ExportJob;
    try {
      job = await this.calls.create(this.request);
    } catch (error) {
      this.#update({ stage: 'choose', failure: failureOf(error) });
      return;
    }
    this.#update({ stage: 'following', job });
    if (exportActive(job.status)) this.#poller.start();
  }

  /** Cancels the running job; the server answers with it as it now is (cancelled, or done if it finished first). */
  async cancel(): Promise<void> {
    const job = this.#snapshot.job;
    if (!job || !exportActive(job.status) || this.#snapshot.cancelling) return;
    this.#update({ cancelling: true });
    try {
      const answer = await this.calls.remove(job.id);
      this.#poller.stop();
      this.#update({ job: answer, cancelling: false });
      if (exportActive(answer.status)) this.#poller.start();
    } catch (error) {
      this.#update({ cancelling: false, failure: { title: '未能取消', message: error instanceof Error ? error.message : String(error) } });
    }
  }

  /** Back to the form for another export of the same target (after a refusal or a finished file). */
  again(): void {
    this.#poller.stop();
    this.#update({ stage: 'choose', job: null, failure: null, cancelling: false });
  }

  /** The dialog closed: stop asking (the job goes on on the server; 我的导出 lists it). */
  dispose(): void {
    this.#poller.stop();
    this.#listeners.clear();
  }

  async #poll(): Promise<boolean> {
    const current = this.#snapshot.job;
    if (!current) return false;
    try {
      const job = await this.calls.fetch(current.id);
      if (this.#snapshot.job?.id !== job.id) return false;
      this.#update({ job });
      return exportActive(job.status);
    } catch (error) {
      const status = error && typeof error === 'object' && 'status' in error ? (error as { status: unknown }).status : null;
      if (status === 404 || status === 403) {
        this.#update({ failure: { title: '无法查看导出进度', message: error instanceof Error ? error.message : String(error) } });
        return false;
      }
      throw error;
    }
  }

  #update(change: Partial<ExportSessionSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...change };
    for (const listener of this.#listeners) listener(this.#snapshot);
  }
}
