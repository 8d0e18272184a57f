import type { SessionUser } from './auth.api.js';

/**
 * Where the session stands: `checking` while `GET /api/auth/me` runs at start, `signed-out` (the
 * login page), `signed-in` (the product).
 */
export type SessionPhase = 'checking' | 'signed-out' | 'signed-in';

export interface SessionSnapshot {
  readonly phase: SessionPhase;
  readonly user: SessionUser | null;
  /**
   * Counts sign-ins. Everything that shows data keys on it, so a new user never sees the map,
   * figures or card state of the previous one (scopes differ, and so do the tiles).
   */
  readonly generation: number;
  /** Why the login page is shown, e.g. the session expired; null on a plain start. */
  readonly notice: string | null;
}

export type SessionListener = (snapshot: SessionSnapshot, previous: SessionSnapshot) => void;

/** Shown on the login page when the server forgot the session while the user was working. */
export const SESSION_EXPIRED_NOTICE = '登录已过期或已在别处退出，请重新登录';

/**
 * The signed-in user as plain data. The API client reports a lost session to it; the Vue shell
 * follows it to choose between the login page and the product.
 */
export class SessionState {
  #snapshot: SessionSnapshot = { phase: 'checking', user: null, generation: 0, notice: null };
  readonly #listeners = new Set<SessionListener>();

  get snapshot(): SessionSnapshot {
    return this.#snapshot;
  }

  get user(): SessionUser | null {
    return this.#snapshot.user;
  }

  signIn(user: SessionUser): void {
    this.#set({ phase: 'signed-in', user, generation: this.#snapshot.generation + 1, notice: null });
  }

  /** The user changed (e.g. after changing the password); same session, nothing to reload. */
  updateUser(user: SessionUser): void {
    if (this.#snapshot.phase !== 'signed-in') return;
    this.#set({ ...this.#snapshot, user });
  }

  /** Logged out on purpose: back to the login page without a notice. */
  signOut(): void {
    this.#set({ phase: 'signed-out', user: null, generation: this.#snapshot.generation, notice: null });
  }

  /**
   * The server answered 401. At start that simply means "not signed in"; while working it means
   * the session expired, which the login page says.
   */
  sessionLost(): void {
    const notice = this.#snapshot.phase === 'signed-in' ? SESSION_EXPIRED_NOTICE : this.#snapshot.notice;
    this.#set({ phase: 'signed-out', user: null, generation: this.#snapshot.generation, notice });
  }

  subscribe(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(next: SessionSnapshot): void {
    const previous = this.#snapshot;
    if (
      next.phase === previous.phase &&
      next.user === previous.user &&
      next.generation === previous.generation &&
      next.notice === previous.notice
    ) {
      return;
    }
    this.#snapshot = next;
    for (const listener of this.#listeners) listener(next, previous);
  }
}
