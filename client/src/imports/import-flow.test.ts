import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../http/request.js';
import type { ImportAnswer, ImportState, ImportStatus } from './imports.api.js';
import { ImportFlow, POLL_INTERVAL_MS, POLL_RETRY_MS, type ImportFlowApi } from './import-flow.js';

function importState(status: ImportStatus, change: Partial<ImportState> = {}): ImportState {
  return {
    id: 'import-1',
    kind: 'survey',
    year: 2023,
    fileName: 'dltb-2023-gbk-4527.zip',
    fileSize: 2413,
    status,
    phase: status === 'ready' ? 'validate' : 'read',
    progress: status === 'ready' ? 1 : 0.4,
    layers: [],
    detected: { srid: 4527, encoding: 'gbk', confidence: 0.95, crs: null, encodingGuess: null },
    needs: null,
    report: { features: 12, valid: 10, repaired: 2, rejected: 0, warnings: [], errors: [], samples: [] },
    error: null,
    createdBy: 'surveyor',
    createdAt: '2026-11-22T02:37:08.423Z',
    committedAt: null,
    ...change,
  };
}

/** An API whose `fetch` answers from a script, one state per poll, and records every call. */
function scriptedApi(polls: (ImportState | Error)[]) {
  const calls: string[] = [];
  const api: ImportFlowApi = {
    upload: vi.fn(async (_file, _fields, onProgress) => {
      calls.push('upload');
      onProgress(0.5);
      onProgress(1);
      return { id: 'import-1' };
    }),
    fetch: vi.fn(async (id: string) => {
      calls.push(`fetch ${id}`);
      const next = polls.length > 1 ? polls.shift()! : polls[0];
      if (next instanceof Error) throw next;
      return next;
    }),
    answer: vi.fn(async (id: string, answer: ImportAnswer) => {
      calls.push(`answer ${id} ${JSON.stringify(answer)}`);
      return importState('processing');
    }),
    commit: vi.fn(async (id: string) => {
      calls.push(`commit ${id}`);
      const result = { kind: 'survey' as const, year: 2023, layerId: 7, features: 12, supersededLayerId: 3 };
      return { ...importState('committed', { phase: 'done', committedAt: '2026-11-22T02:49:00.000Z', report: { ...importState('ready').report, commit: result } }), result };
    }),
    cancel: vi.fn(async (id: string) => {
      calls.push(`cancel ${id}`);
    }),
  };
  return { api, calls };
}

const file = new File(['PK'], 'dltb-2023-gbk-4527.zip');

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('import flow', () => {
  it('uploads, shows the upload progress, then polls until the import is ready', async () => {
    const { api, calls } = scriptedApi([importState('processing'), importState('processing', { phase: 'validate' }), importState('ready')]);
    const flow = new ImportFlow(api);
    const progress: number[] = [];
    flow.subscribe((snapshot) => {
      if (snapshot.stage === 'uploading') progress.push(snapshot.uploadProgress);
    });

    await flow.upload(file, { kind: 'survey', year: 2023 });
    expect(progress).toEqual([0, 0.5, 1]);
    expect(flow.snapshot.stage).toBe('processing');
    expect(flow.snapshot.current?.phase).toBe('read');

    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
    expect(flow.snapshot.current?.phase).toBe('validate');
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS);

    expect(flow.snapshot.stage).toBe('ready');
    expect(flow.snapshot.revision).toBe(1);
    expect(calls).toEqual(['upload', 'fetch import-1', 'fetch import-1', 'fetch import-1']);

    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 5);
    expect(calls).toHaveLength(4);
  });

  it('goes back to the form with the server message when the upload is refused', async () => {
    const { api } = scriptedApi([importState('ready')]);
    api.upload = async () => {
      throw new ApiError(413, 'too_large', '文件超过上传上限 200 MB。');
    };
    const flow = new ImportFlow(api);

    await flow.upload(file, { kind: 'survey' });

    expect(flow.snapshot.stage).toBe('idle');
    expect(flow.snapshot.error).toBe('文件超过上传上限 200 MB。');
    expect(flow.snapshot.fileName).toBe('dltb-2023-gbk-4527.zip');
  });

  it('answers needs-input and follows the reading that starts again', async () => {
    const needs = { what: 'srid' as const, layer: 'L0_0', proposal: 4527, message: '请确认坐标系' };
    const { api, calls } = scriptedApi([importState('needs-input', { needs }), importState('processing'), importState('ready')]);
    const flow = new ImportFlow(api);
    await flow.open('import-1');
    expect(flow.snapshot.stage).toBe('needs-input');

    expect(await flow.answer({ srid: 4527 })).toBe(true);
    expect(flow.snapshot.stage).toBe('processing');
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 2);

    expect(flow.snapshot.stage).toBe('ready');
    expect(calls).toEqual(['fetch import-1', 'answer import-1 {"srid":4527}', 'fetch import-1', 'fetch import-1']);
  });

  it('counts a new revision each time the staged features are loaded again', async () => {
    const { api } = scriptedApi([importState('ready'), importState('ready', { detected: { ...importState('ready').detected, encoding: 'utf-8' } })]);
    const flow = new ImportFlow(api);
    await flow.open('import-1');
    expect(flow.snapshot.revision).toBe(1);

    await flow.answer({ encoding: 'utf-8' });
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS);

    expect(flow.snapshot.current?.detected.encoding).toBe('utf-8');
    expect(flow.snapshot.revision).toBe(2);
  });

  it('commits and keeps what was written', async () => {
    const { api } = scriptedApi([importState('ready')]);
    const flow = new ImportFlow(api);
    await flow.open('import-1');
    const stages: string[] = [];
    flow.subscribe((snapshot) => stages.push(snapshot.stage));

    expect(await flow.commit()).toBe(true);

    expect(stages[0]).toBe('committing');
    expect(flow.snapshot.stage).toBe('committed');
    expect(flow.snapshot.result).toEqual({ kind: 'survey', year: 2023, layerId: 7, features: 12, supersededLayerId: 3 });
    expect(flow.snapshot.busy).toBe(false);
  });

  it('shows the preview again with the reason when the commit is refused', async () => {
    const { api } = scriptedApi([importState('ready', { year: null })]);
    api.commit = async () => {
      throw new ApiError(400, 'year_required', '请提供调查年份 (year)：数据中没有可用的 SJNF 字段。');
    };
    const flow = new ImportFlow(api);
    await flow.open('import-1');

    expect(await flow.commit()).toBe(false);

    expect(flow.snapshot.stage).toBe('ready');
    expect(flow.snapshot.current?.status).toBe('ready');
    expect(flow.snapshot.error).toBe('请提供调查年份 (year)：数据中没有可用的 SJNF 字段。');
  });

  it('shows the result of an import committed earlier when it is reopened', async () => {
    const result = { kind: 'parcels' as const, inserted: 1, updated: 0, skipped: 0, problems: [] };
    const { api } = scriptedApi([importState('committed', { kind: 'parcels', report: { ...importState('ready').report, commit: result } })]);
    const flow = new ImportFlow(api);

    await flow.open('import-1');

    expect(flow.snapshot.stage).toBe('committed');
    expect(flow.snapshot.result).toEqual(result);
  });

  it('cancels on the server and goes back to the form', async () => {
    const { api, calls } = scriptedApi([importState('ready')]);
    const flow = new ImportFlow(api);
    await flow.open('import-1');

    expect(await flow.cancel()).toBe(true);

    expect(calls).toContain('cancel import-1');
    expect(flow.snapshot.stage).toBe('idle');
    expect(flow.snapshot.current).toBeNull();
  });

  it('drops the answers about an import the user has left', async () => {
    const { api } = scriptedApi([importState('processing'), importState('ready')]);
    const flow = new ImportFlow(api);
    await flow.open('import-1');

    flow.reset();
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 3);

    expect(flow.snapshot.stage).toBe('idle');
    expect(api.fetch).toHaveBeenCalledTimes(1);
  });

  it('keeps polling through a network hiccup', async () => {
    const { api } = scriptedApi([importState('processing'), new ApiError(0, 'network', '无法连接服务器，请检查网络或稍后重试'), importState('ready')]);
    const flow = new ImportFlow(api);
    await flow.open('import-1');

    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
    expect(flow.snapshot.stage).toBe('processing');
    expect(flow.snapshot.error).toContain('正在重试');

    await vi.advanceTimersByTimeAsync(POLL_RETRY_MS);
    expect(flow.snapshot.stage).toBe('ready');
    expect(flow.snapshot.error).toBeNull();
  });

  it('says so when the import does not exist', async () => {
    const { api } = scriptedApi([new ApiError(404, 'not_found', '没有编号为 import-9 的导入任务')]);
    const flow = new ImportFlow(api);

    await flow.open('import-9');

    expect(flow.snapshot.stage).toBe('idle');
    expect(flow.snapshot.error).toBe('没有编号为 import-9 的导入任务');
  });
});
