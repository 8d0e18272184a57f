import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, changePassword, fetchSession, login, logout, onUnauthenticated, setCsrfToken, updateParcel, uploadImport } from './client.js';

interface Recorded {
  url: string;
  init: RequestInit;
}

/** A fetch that answers from a list and records what was asked, in order. */
function answering(...answers: { status: number; body?: unknown }[]): Recorded[] {
  const calls: Recorded[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const answer = answers.shift() ?? { status: 500 };
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    return new Response(answer.status === 204 ? null : text, { status: answer.status });
  });
  return calls;
}

function header(call: Recorded, name: string): string | undefined {
  return (call.init.headers as Record<string, string>)[name];
}

const user = { id: 6, username: 'planner-huli', displayName: '湖里区规划员', role: 'planner', scopes: [], mustChangePassword: false };

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
  onUnauthenticated(null);
});

describe('api client session', () => {
  it('keeps the CSRF token from login and sends it on writes only', async () => {
    const calls = answering({ status: 200, body: { user, csrfToken: 'token-1' } }, { status: 200, body: { id: 381 } });

    await login('planner-huli', 'Demo-2026-biaotu', { quiet: true });
    await updateParcel(381, { plannedFunction: '新型产业用地' }, { quiet: true });

    expect(header(calls[0], 'x-csrf-token')).toBeUndefined();
    expect(calls[1].init.method).toBe('PATCH');
    expect(header(calls[1], 'x-csrf-token')).toBe('token-1');
    expect(calls[1].init.credentials).toBe('same-origin');
    expect(JSON.parse(String(calls[1].init.body))).toEqual({ plannedFunction: '新型产业用地' });
  });

  it('takes a fresh token from /api/auth/me', async () => {
    const calls = answering({ status: 200, body: { user, csrfToken: 'token-2' } }, { status: 204 });

    await fetchSession({ quiet: true });
    await changePassword('old-password-1', 'new-password-2', { quiet: true });

    expect(header(calls[0], 'x-csrf-token')).toBeUndefined();
    expect(header(calls[1], 'x-csrf-token')).toBe('token-2');
  });

  it('reports a lost session and forgets the token', async () => {
    setCsrfToken('token-3');
    let lost = 0;
    onUnauthenticated(() => lost++);
    const calls = answering(
      { status: 401, body: { error: 'unauthenticated', message: '请先登录' } },
      { status: 200, body: { id: 381 } },
    );

    await expect(updateParcel(381, { owner: null }, { quiet: true })).rejects.toBeInstanceOf(ApiError);
    expect(lost).toBe(1);

    await updateParcel(381, { owner: null }, { quiet: true });
    expect(header(calls[1], 'x-csrf-token')).toBeUndefined();
  });

  it('does not sign out for a wrong password typed into a form', async () => {
    setCsrfToken('token-4');
    let lost = 0;
    onUnauthenticated(() => lost++);
    answering({ status: 401, body: { error: 'invalid_credentials', message: '当前密码不正确。' } });

    const failure = await changePassword('wrong-password-1', 'new-password-2', { quiet: true }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).message).toBe('当前密码不正确。');
    expect(lost).toBe(0);
  });

  it('keeps the rest of an error answer for the form to use', async () => {
    answering({
      status: 403,
      body: { error: 'out_of_scope', message: '您的账号只能修改 湖里区 的数据；该地块属于 思明区 (350203)。', district: { code: '350203', name: '思明区' } },
    });

    const failure = (await updateParcel(1068, { plannedFunction: 'x' }, { quiet: true }).catch((error: unknown) => error)) as ApiError;

    expect(failure.status).toBe(403);
    expect(failure.code).toBe('out_of_scope');
    expect(failure.body?.district).toEqual({ code: '350203', name: '思明区' });
  });

  it('forgets the token on logout even if the server cannot be reached', async () => {
    setCsrfToken('token-5');
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(logout({ quiet: true })).rejects.toBeInstanceOf(ApiError);

    const calls = answering({ status: 204 });
    await changePassword('a', 'b', { quiet: true });
    expect(header(calls[0], 'x-csrf-token')).toBeUndefined();
  });
});

/** An XMLHttpRequest that records what was sent and answers when told to. */
class RecordingRequest {
  static last: RecordingRequest | null = null;
  readonly headers: Record<string, string> = {};
  readonly upload = new EventTarget();
  readonly #events = new EventTarget();
  method = '';
  url = '';
  body: FormData | null = null;
  status = 0;
  responseText = '';

  constructor() {
    RecordingRequest.last = this;
  }

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers[name.toLowerCase()] = value;
  }

  addEventListener(type: string, listener: EventListener): void {
    this.#events.addEventListener(type, listener);
  }

  send(body: FormData): void {
    this.body = body;
  }

  abort(): void {
    this.#events.dispatchEvent(new Event('abort'));
  }

  progress(loaded: number, total: number): void {
    this.upload.dispatchEvent(Object.assign(new Event('progress'), { lengthComputable: true, loaded, total }));
  }

  answer(status: number, body: unknown): void {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.#events.dispatchEvent(new Event('load'));
  }
}

describe('import upload', () => {
  afterEach(() => {
    RecordingRequest.last = null;
  });

  it('sends the fields before the file, with the CSRF token, and reports progress', async () => {
    vi.stubGlobal('XMLHttpRequest', RecordingRequest);
    setCsrfToken('token-6');
    const progress: number[] = [];
    const file = new File([new Uint8Array([80, 75, 3, 4])], 'dltb-2023-gbk-4527.zip', { type: 'application/zip' });

    const answer = uploadImport(file, { kind: 'survey', year: 2023, srid: 4527, encoding: 'gbk' }, { quiet: true, onProgress: (fraction) => progress.push(fraction) });
    const request = RecordingRequest.last!;
    request.progress(1, 4);
    request.progress(4, 4);
    request.answer(202, { id: '5e93faff-98f0-42b0-81c1-56832519c2e2' });

    await expect(answer).resolves.toEqual({ id: '5e93faff-98f0-42b0-81c1-56832519c2e2' });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/api/imports');
    expect(request.headers['x-csrf-token']).toBe('token-6');
    expect([...request.body!.keys()]).toEqual(['kind', 'year', 'srid', 'encoding', 'file']);
    expect(request.body!.get('year')).toBe('2023');
    expect((request.body!.get('file') as File).name).toBe('dltb-2023-gbk-4527.zip');
    expect(progress).toEqual([0.25, 1]);
  });

  it('leaves out the fields the user left on 自动识别', async () => {
    vi.stubGlobal('XMLHttpRequest', RecordingRequest);
    const answer = uploadImport(new File(['x'], 'pengbu_BR-14.txt'), { kind: 'parcels' }, { quiet: true });
    RecordingRequest.last!.answer(202, { id: 'a' });
    await answer;

    expect([...RecordingRequest.last!.body!.keys()]).toEqual(['kind', 'file']);
  });

  it('turns a refusal into an ApiError with the server message', async () => {
    vi.stubGlobal('XMLHttpRequest', RecordingRequest);
    const answer = uploadImport(new File(['x'], 'big.zip'), { kind: 'survey' }, { quiet: true });
    RecordingRequest.last!.answer(413, { error: 'too_large', message: '文件超过上传上限 200 MB。', parameter: 'file' });

    const failure = (await answer.catch((error: unknown) => error)) as ApiError;
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure.status).toBe(413);
    expect(failure.code).toBe('too_large');
    expect(failure.message).toBe('文件超过上传上限 200 MB。');
  });

  it('signs out when the session is gone', async () => {
    vi.stubGlobal('XMLHttpRequest', RecordingRequest);
    let lost = 0;
    onUnauthenticated(() => lost++);
    const answer = uploadImport(new File(['x'], 'a.zip'), { kind: 'survey' }, { quiet: true });
    RecordingRequest.last!.answer(401, { error: 'unauthenticated', message: '请先登录' });

    await expect(answer).rejects.toBeInstanceOf(ApiError);
    expect(lost).toBe(1);
  });

  it('stops when aborted', async () => {
    vi.stubGlobal('XMLHttpRequest', RecordingRequest);
    const controller = new AbortController();
    const answer = uploadImport(new File(['x'], 'a.zip'), { kind: 'survey' }, { quiet: true, signal: controller.signal });
    controller.abort();

    await expect(answer).rejects.toMatchObject({ name: 'AbortError' });
  });
});
