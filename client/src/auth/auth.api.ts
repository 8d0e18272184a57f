import { getJson, request, setCsrfToken, type RequestOptions } from '../http/request.js';

/** A district a user is responsible for ('350200' = the whole city). */
export interface UserScope {
  code: string;
  name: string;
}

/** The signed-in user, as `POST /api/auth/login` and `GET /api/auth/me` answer it. */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: string;
  scopes: UserScope[];
  /** The password was set by an administrator (or is the initial one): change it before working. */
  mustChangePassword: boolean;
}

export interface SessionResponse {
  user: SessionUser;
  csrfToken: string;
}

/** Signs in; the server sets the session cookie, the CSRF token is kept for later writes. */
export async function login(username: string, password: string, options?: RequestOptions): Promise<SessionResponse> {
  const answer = await request<SessionResponse>('POST', '/api/auth/login', { username, password }, options);
  setCsrfToken(answer.csrfToken);
  return answer;
}

/** The current session, if the cookie still holds one (a 401 otherwise, which signs out). */
export async function fetchSession(options?: RequestOptions): Promise<SessionResponse> {
  const answer = await getJson<SessionResponse>('/api/auth/me', options);
  setCsrfToken(answer.csrfToken);
  return answer;
}

export async function logout(options?: RequestOptions): Promise<void> {
  try {
    await request<void>('POST', '/api/auth/logout', undefined, options);
  } finally {
    setCsrfToken(null);
  }
}

export function changePassword(currentPassword: string, newPassword: string, options?: RequestOptions): Promise<void> {
  return request('POST', '/api/auth/password', { currentPassword, newPassword }, options);
}
