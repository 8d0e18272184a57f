import { describe, expect, it } from 'vitest';
import { isLocked, userStatus, userStatusText } from './user-status.js';

const now = new Date('2026-11-22T10:00:00Z');

describe('user status', () => {
  it('is 正常 when neither disabled nor locked', () => {
    expect(userStatus({ disabled: false, lockedUntil: null }, now)).toBe('active');
    expect(userStatusText({ disabled: false, lockedUntil: null }, now)).toBe('正常');
  });

  it('is locked until the time the server gave', () => {
    const user = { disabled: false, lockedUntil: '2026-11-22T10:15:00Z' };
    expect(isLocked(user, now)).toBe(true);
    expect(userStatus(user, now)).toBe('locked');
    expect(userStatusText(user, now)).toMatch(/^已锁定 至 \d{2}-\d{2} \d{2}:\d{2}$/);
  });

  it('is no longer locked once that time has passed', () => {
    expect(userStatus({ disabled: false, lockedUntil: '2026-11-22T09:59:00Z' }, now)).toBe('active');
  });

  it('shows 已停用 for a disabled account even while it is locked', () => {
    expect(userStatusText({ disabled: true, lockedUntil: '2026-11-22T10:15:00Z' }, now)).toBe('已停用');
  });
});
