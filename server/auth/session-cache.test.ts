import { describe, expect, it } from 'vitest';
import { SessionCache, type CachedSession } from './session-cache.js';

const session = (tokenHash: string): CachedSession => ({
  tokenHash, csrfToken: 'csrf', lastSeenAt: new Date(), disabled: false,
  principal: { id: 1, username: 'viewer', displayName: '只读', role: 'viewer', mustChangePassword: false, scopes: [], allowedDistricts: [], unrestricted: true, units: [], department: null, enterpriseParcelIds: [] },
});
const inAnHour = () => new Date(Date.now() + 3600_000);

describe('SessionCache', () => {
  it('keeps a session read before no change', () => {
    const cache = new SessionCache(30_000);
    cache.set(session('a'), inAnHour(), cache.generation);
    expect(cache.get('a')?.tokenHash).toBe('a');
  });

  it('does not keep a session read before a change was announced (it may be the one that ended)', () => {
    const cache = new SessionCache(30_000);
    const generation = cache.generation; // the request starts reading the session…
    cache.clear(); // …the session is deleted and NOTIFY empties the cache…
    cache.set(session('a'), inAnHour(), generation); // …then the read it started arrives
    expect(cache.get('a')).toBeUndefined();
    cache.set(session('a'), inAnHour(), cache.generation);
    expect(cache.get('a')).toBeDefined();
  });

  it('forgets a session at its own expiry, before the TTL', () => {
    const cache = new SessionCache(30_000);
    cache.set(session('a'), new Date(Date.now() - 1), cache.generation);
    expect(cache.get('a')).toBeUndefined();
  });
});
