import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, isAbort, onPasswordChangeRequired, onRequestError, onUnauthenticated, request, setCsrfToken, upload } from './request.js';
import { answering, header } from './testing.js';

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
  onUnauthenticated(null);
  onPasswordChangeRequired(null);
  onRequestError(null);
});

describe('request', () => {
  it('reports a lost session and forgets the token', async () => {
    setCsrfToken('token-3');
    let lost = 0;
    onUnauthenticated(() => lost++);
    const calls = answering(
      { status: 401, body: { error: 'unauthenticated', message: '请先登录' } },
      { status: 200, body: { id: 381 } },
    );

    await expect(request('PATCH', '/api/parcels/381', { owner: null }, { quiet: true })).rejects.toBeInstanceOf(ApiError);
    expect(lost).toBe(1);

    await request('PATCH', '/api/parcels/381', { owner: null }, { quiet: true });
    expect(header(calls[1], 'x-csrf-token')).toBeUndefined();
  });

  it('does not sign out for a wrong password typed into a form', async () => {
    setCsrfToken('token-4');
    let lost = 0;
    onUnauthenticated(() => lost++);
    answering({ status: 401, body: { error: 'invalid_credentials', message: '当前密码不正确。' } });

    const failure = await request('POST', '/api/auth/password', { currentPassword: 'wrong-password-1', newPassword: 'new-password-2' }, { quiet: true }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).message).toBe('当前密码不正确。');
    expect(lost).toBe(0);
  });

  it('keeps the rest of an error answer for the form to use', async () => {
    answering({
      status: 403,
      body: { error: 'out_of_scope', message: '您的账号只能修改 湖里区 的数据；该地块属于 思明区 (350203)。', district: { code: '350203', name: '思明区' } },
    });

    const failure = (await request('PATCH', '/api/parcels/1068', { plannedFunction: 'x' }, { quiet: true }).catch((error: unknown) => error)) as ApiError;

    expect(failure.status).toBe(403);
    expect(failure.code).toBe('out_of_scope');
    expect(failure.body?.district).toEqual({ code: '350203', name: '思明区' });
  });


  it('hands failures to the presenter unless the caller keeps them quiet or the session is gone', async () => {
    const shown: string[] = [];
    onRequestError((error) => shown.push(error.message));
    answering(
      { status: 404 },
      { status: 409, body: { error: 'conflict', message: '该地块已被他人修改。' } },
      { status: 401, body: { error: 'unauthenticated', message: '请先登录' } },
      { status: 403, body: { error: 'password_change_required', message: '请先修改密码' } },
    );

    await request('GET', '/api/parcels/1', undefined).catch(() => undefined);
    await request('PATCH', '/api/parcels/1', {}, { quiet: true }).catch(() => undefined);
    await request('GET', '/api/auth/me', undefined).catch(() => undefined);
    await request('GET', '/api/parcels/2', undefined).catch(() => undefined);
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await request('GET', '/api/parcels/3', undefined).catch(() => undefined);

    expect(shown).toEqual(['请求的数据不存在', '无法连接服务器，请检查网络或稍后重试']);
  });

  it('asks for a password change when the server refuses work until then', async () => {
    let asked = 0;
    onPasswordChangeRequired(() => asked++);
    answering({ status: 403, body: { error: 'password_change_required', message: '请先修改密码' } });

    await expect(request('GET', '/api/parcels/1', undefined, { quiet: true })).rejects.toBeInstanceOf(ApiError);
    expect(asked).toBe(1);
  });

  it('lets a cancelled request through as an AbortError, shown to nobody', async () => {
    const shown: string[] = [];
    onRequestError((error) => shown.push(error.message));
    vi.stubGlobal('fetch', async () => {
      throw new DOMException('aborted', 'AbortError');
    });

    const failure = await request('GET', '/api/parcels/1', undefined).catch((error: unknown) => error);
    expect(isAbort(failure)).toBe(true);
    expect(shown).toEqual([]);
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

describe('upload', () => {
  afterEach(() => {
    RecordingRequest.last = null;
  });

  it('posts the form with the CSRF token and reports progress', async () => {
    vi.stubGlobal('XMLHttpRequest', RecordingRequest);
    setCsrfToken('token-6');
    const progress: number[] = [];
    const form = new FormData();
    form.append('kind', 'survey');
    form.append('file', new File([new Uint8Array([80, 75, 3, 4])], 'dltb-2023-gbk-4527.zip', { type: 'application/zip' }));

    const answer = upload('/api/imports', form, { quiet: true, onProgress: (fraction) => progress.push(fraction) });
    const request = RecordingRequest.last!;
    request.progress(1, 4);
    request.progress(4, 4);
    request.answer(202, { id: '5e93faff-98f0-42b0-81c1-56832519c2e2' });

    await expect(answer).resolves.toEqual({ id: '5e93faff-98f0-42b0-81c1-56832519c2e2' });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/api/imports');
    expect(request.headers['x-csrf-token']).toBe('token-6');
    expect(request.body).toBe(form);
    expect(progress).toEqual([0.25, 1]);
  });

  it('turns a refusal into an ApiError with the server message', async () => {
    vi.stubGlobal('XMLHttpRequest', RecordingRequest);
    const answer = upload('/api/imports', new FormData(), { quiet: true });
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
    const answer = upload('/api/imports', new FormData(), { quiet: true });
    RecordingRequest.last!.answer(401, { error: 'unauthenticated', message: '请先登录' });

    await expect(answer).rejects.toBeInstanceOf(ApiError);
    expect(lost).toBe(1);
  });

  it('stops when aborted', async () => {
    vi.stubGlobal('XMLHttpRequest', RecordingRequest);
    const controller = new AbortController();
    const answer = upload('/api/imports', new FormData(), { quiet: true, signal: controller.signal });
    controller.abort();

    await expect(answer).rejects.toMatchObject({ name: 'AbortError' });
  });
});
