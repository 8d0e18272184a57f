import type { LoginBody, PasswordChangeBody, Session, SessionProbe } from '@domain/api/auth.schemas.js';
import { getJson, request, setCsrfToken, type RequestOptions } from '../http/request.js';

export type { Session, SessionUser, UserScope } from '@domain/api/auth.schemas.js';

/** Signs in; the server sets the session cookie, the CSRF token is kept for later writes. */
export async function login(username: string, password: string, options?: RequestOptions): Promise<Session> {
  const body: LoginBody = { username, password };
  const answer = await request<Session>('POST', '/api/auth/login', body, options);
  setCsrfToken(answer.csrfToken);
  return answer;
}

/** The current session, if the cookie still holds one (a 401 otherwise, which signs out). */
export async function fetchSession(options?: RequestOptions): Promise<Session> {
  const answer = await getJson<Session>('/api/auth/me', options);
  setCsrfToken(answer.csrfToken);
  return answer;
}

/**
 * At start: the session if the cookie still holds one, else null. Always a 200, so the login page
 * logs no failed request.
 */
export async function probeSession(options?: RequestOptions): Promise<Session | null> {
  const answer = await getJson<SessionProbe>('/api/auth/session', options);
  if (answer.session) setCsrfToken(answer.session.csrfToken);
  return answer.session;
}

export async function logout(options?: RequestOptions): Promise<void> {
  try {
    await request<void>('POST', '/api/auth/logout', undefined, options);
  } finally {
    setCsrfToken(null);
  }
}

export function changePassword(currentPassword: string, newPassword: string, options?: RequestOptions): Promise<void> {
  const body: PasswordChangeBody = { currentPassword, newPassword };
  return request('POST', '/api/auth/password', body, options);
}
