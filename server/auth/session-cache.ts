import type { Principal } from './principal.js';

export interface CachedSession {
  tokenHash: string;
  csrfToken: string;
  lastSeenAt: Date;
  disabled: boolean;
  principal: Principal;
}

/**
 * Resolved sessions, kept for `ttlMs` so that a burst of tiles costs one session query, not one
 * each. Exact rather than merely short-lived: every change to users, scopes, districts or sessions
 * (logout, disable, role, password, scope) reaches every server through NOTIFY session_changes
 * (migration 0011) and empties the cache; the TTL only bounds the damage of a lost notification.
 */
export class SessionCache {
  readonly #entries = new Map<string, { session: CachedSession; until: number }>();
  #generation = 0;

  constructor(private readonly ttlMs: number, private readonly maxEntries = 10_000) {}

  /**
   * Taken before a session is read from the database and given back to `set`: a session read
   * before a change was announced is not cached after it (it may be the revoked one).
   */
  get generation(): number {
    return this.#generation;
  }

  get(tokenHash: string): CachedSession | undefined {
    const entry = this.#entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until < Date.now()) {
      this.#entries.delete(tokenHash);
      return undefined;
    }
    return entry.session;
  }

  /** Keeps a session until the TTL or its own expiry, whichever comes first, unless the cache was cleared since `generation`. */
  set(session: CachedSession, expiresAt: Date, generation: number): void {
    if (generation !== this.#generation) return;
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    this.#entries.set(session.tokenHash, { session: { ...session }, until: Math.min(Date.now() + this.ttlMs, expiresAt.getTime()) });
  }

  delete(tokenHash: string): void {
    this.#entries.delete(tokenHash);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }
}
