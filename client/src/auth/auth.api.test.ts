import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, request, setCsrfToken } from '../http/request.js';
import { answering, header } from '../http/testing.js';
import { changePassword, fetchSession, login, logout } from './auth.api.js';

const user = { id: 6, username: 'planner-huli', displayName: '湖里区规划员', role: 'planner', scopes: [], mustChangePassword: false };

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('session token', () => {
  it('keeps the CSRF token from login and sends it on writes only', async () => {
    const calls = answering({ status: 200, body: { user, csrfToken: 'token-1' } }, { status: 200, body: { id: 381 } });

    await login('planner-huli', 'Demo-2026-biaotu', { quiet: true });
    await request('PATCH', '/api/parcels/381', { plannedFunction: '新型产业用地' }, { quiet: true });

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
