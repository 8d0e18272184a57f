/**
 * The HTTP layer every capability's API module (`<capability>/<capability>.api.ts`) goes through:
 * one request with the session's CSRF token on writes, failures turned into `ApiError`s with the
 * server's own message, a lost session or a forced password change handed to the app's hooks.
 * It shows nothing itself: the app registers a presenter for failures with `onRequestError`.
 */

/**
 * A failed request, carrying the server's own message: the server writes its 4xx messages for the
 * official (in Chinese, saying what to fix), so the UI shows them as they are. `body` keeps the
 * rest of the answer (`district`, `fields`, `parameter`, `retryAfterSeconds`).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  /** Do not pop up a message; the caller shows the failure in place (e.g. an error panel). */
  quiet?: boolean;
  signal?: AbortSignal;
}

const NETWORK_FAILURE_MESSAGE = '无法连接服务器，请检查网络或稍后重试';

/** Name of the header that proves a write comes from this page (double-submit CSRF protection). */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The session, as far as this module needs it. The cookie itself is httpOnly (the browser sends
 * it); only the CSRF token lives here, in memory, so no script-readable storage holds a secret.
 */
const session: {
  csrfToken: string | null;
  onUnauthenticated: (() => void) | null;
  onPasswordChangeRequired: (() => void) | null;
  onRequestError: ((error: ApiError) => void) | null;
} = {
  csrfToken: null,
  onUnauthenticated: null,
  onPasswordChangeRequired: null,
  onRequestError: null,
};

/**
 * Called whenever the server answers 401 because there is no (longer a) session: the app then
 * shows the login page. A wrong current password (401 `invalid_credentials`) is not such a case.
 */
export function onUnauthenticated(handler: (() => void) | null): void {
  session.onUnauthenticated = handler;
}

/**
 * Called when the server refuses work until the user replaces a password an administrator set
 * (403 `password_change_required`), e.g. after a reset while the user was signed in.
 */
export function onPasswordChangeRequired(handler: (() => void) | null): void {
  session.onPasswordChangeRequired = handler;
}

export function setCsrfToken(token: string | null): void {
  session.csrfToken = token;
}

/**
 * Called with every failure the caller did not ask to keep quiet (`quiet`), except a lost session
 * (the login page explains it) and a forced password change (its dialog opens): the app shows it.
 */
export function onRequestError(handler: ((error: ApiError) => void) | null): void {
  session.onRequestError = handler;
}

function failureMessage(status: number, body: unknown): { code: string; message: string } {
  if (body && typeof body === 'object') {
    const { error, message } = body as { error?: unknown; message?: unknown };
    if (typeof message === 'string' && message) {
      return { code: typeof error === 'string' ? error : String(status), message };
    }
  }
  if (status === 401) return { code: 'unauthenticated', message: '请先登录' };
  if (status === 403) return { code: 'forbidden', message: '您没有执行此操作的权限' };
  if (status === 404) return { code: 'not_found', message: '请求的数据不存在' };
  if (status === 502 || status === 503 || status === 504) {
    return { code: 'unavailable', message: `数据服务暂不可用（${status}），请确认服务已启动后重试` };
  }
  if (status >= 500) return { code: 'server_error', message: `服务器内部错误（${status}），请稍后重试` };
  return { code: String(status), message: `请求失败（${status}）` };
}

async function readBody(response: Response): Promise<unknown> {
  return parseJson(await response.text());
}

function report(error: ApiError, options: RequestOptions): void {
  if (options.quiet) return;
  session.onRequestError?.(error);
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** 401 for want of a session (not for a wrong password typed into a form). */
function isSessionMissing(status: number, code: string): boolean {
  return status === 401 && code !== 'invalid_credentials';
}

/**
 * One API request with the session's CSRF token on writes; a `FormData` payload goes as multipart
 * (the browser sets its boundary), anything else as JSON. Used by every
 * capability's API module, so they share the error handling above.
 */
export async function request<T>(method: Method, path: string, payload: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const form = payload instanceof FormData;
  if (payload !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.csrfToken) headers[CSRF_HEADER] = session.csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: payload === undefined ? undefined : form ? payload : JSON.stringify(payload),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    const error = new ApiError(0, 'network', NETWORK_FAILURE_MESSAGE);
    report(error, options);
    throw error;
  }
  return answered<T>(response.status, await readBody(response), options);
}

/**
 * Turns an answer into its body or a thrown ApiError, for fetch and XMLHttpRequest alike: a lost
 * session signs out, a forced password change opens its dialog, anything else is reported.
 */
function answered<T>(status: number, body: unknown, options: RequestOptions): T {
  if (status < 200 || status >= 300) {
    const { code, message } = failureMessage(status, body);
    const details = body && typeof body === 'object' ? (body as Record<string, unknown>) : null;
    const error = new ApiError(status, code, message, details);
    if (isSessionMissing(status, code)) {
      // The login page explains it; a toast on top would only repeat it.
      session.csrfToken = null;
      session.onUnauthenticated?.();
      throw error;
    }
    if (status === 403 && code === 'password_change_required') {
      session.onPasswordChangeRequired?.();
      throw error;
    }
    report(error, options);
    throw error;
  }
  if (status === 204) return undefined as T;
  if (body === null) {
    const error = new ApiError(status, 'invalid_body', '服务器返回的数据无法解析');
    report(error, options);
    throw error;
  }
  return body as T;
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function getJson<T>(path: string, options?: RequestOptions): Promise<T> {
  return request<T>('GET', path, undefined, options);
}

/** True when the failure is a cancelled request (a newer one replaced it), not an error to show. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * A querystring schema's type as a caller sends it: the parameters the server fills with their
 * schema default (`page`, `pageSize`, `limit`) may be left out.
 */
export type QueryWithDefaults<Query, Defaulted extends keyof Query> = Omit<Query, Defaulted> & Partial<Pick<Query, Defaulted>>;

export function queryString(query: object): string {
  const parameters = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') parameters.set(key, String(value));
  }
  return parameters.toString();
}

export interface UploadOptions extends RequestOptions {
  /** Fraction (0–1) of the file sent so far. */
  onProgress?: (fraction: number) => void;
}

/**
 * Posts a form with XMLHttpRequest rather than fetch: only it reports upload progress. Failures
 * are handled as for `request`.
 */
export function upload<T>(path: string, form: FormData, options: UploadOptions = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    if (session.csrfToken) xhr.setRequestHeader(CSRF_HEADER, session.csrfToken);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      try {
        resolve(answered<T>(xhr.status, parseJson(xhr.responseText), options));
      } catch (error) {
        reject(error);
      }
    });
    xhr.addEventListener('error', () => {
      const error = new ApiError(0, 'network', NETWORK_FAILURE_MESSAGE);
      report(error, options);
      reject(error);
    });
    xhr.addEventListener('abort', () => reject(new DOMException('上传已取消', 'AbortError')));
    if (options.signal?.aborted) {
      reject(new DOMException('上传已取消', 'AbortError'));
      return;
    }
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
