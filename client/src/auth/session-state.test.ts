import { describe, expect, it } from 'vitest';
import type { SessionUser } from './auth.api.js';
import { SESSION_EXPIRED_NOTICE, SessionState, type SessionSnapshot } from './session-state.js';

const plannerOfHuli: SessionUser = {
  id: 6,
  username: 'planner-huli',
  displayName: '湖里区规划员',
  role: 'planner',
  scopes: [{ code: '350206', name: '湖里区' }],
  mustChangePassword: false,
  department: null,
  units: [],
};

describe('SessionState', () => {
  it('starts by checking the session', () => {
    const session = new SessionState();
    expect(session.snapshot).toEqual({ phase: 'checking', user: null, generation: 0, notice: null });
  });

  it('shows the login page without a notice when there is no session at start', () => {
    const session = new SessionState();
    session.sessionLost();
    expect(session.snapshot.phase).toBe('signed-out');
    expect(session.snapshot.notice).toBeNull();
  });

  it('says the session expired when it is lost while working', () => {
    const session = new SessionState();
    session.signIn(plannerOfHuli);

    session.sessionLost();

    expect(session.snapshot).toMatchObject({ phase: 'signed-out', user: null, notice: SESSION_EXPIRED_NOTICE });
  });

  it('starts a new generation on every sign-in, so nothing of the previous user survives', () => {
    const session = new SessionState();
    session.signIn(plannerOfHuli);
    session.signOut();
    session.signIn({ ...plannerOfHuli, id: 1, username: 'admin', role: 'admin' });
    expect(session.snapshot.generation).toBe(2);
  });

  it('keeps the generation when only the user record changes', () => {
    const session = new SessionState();
    session.signIn({ ...plannerOfHuli, mustChangePassword: true });

    session.updateUser(plannerOfHuli);

    expect(session.snapshot.generation).toBe(1);
    expect(session.user?.mustChangePassword).toBe(false);
  });

  it('ignores a user update after sign-out', () => {
    const session = new SessionState();
    session.signIn(plannerOfHuli);
    session.signOut();

    session.updateUser(plannerOfHuli);

    expect(session.snapshot.phase).toBe('signed-out');
    expect(session.user).toBeNull();
  });

  it('tells listeners about changes only', () => {
    const session = new SessionState();
    const phases: SessionSnapshot['phase'][] = [];
    session.subscribe((next) => phases.push(next.phase));

    session.sessionLost();
    session.sessionLost();
    session.signIn(plannerOfHuli);

    expect(phases).toEqual(['signed-out', 'signed-in']);
  });
});
