import type { AdminUser } from './users.api.js';
import { formatDateTime } from '../audit/change-rows.js';

export type UserStatus = 'active' | 'disabled' | 'locked';

/** Locked means too many failed logins, until `lockedUntil`; a time in the past no longer locks. */
export function isLocked(user: Pick<AdminUser, 'lockedUntil'>, now: Date = new Date()): boolean {
  if (!user.lockedUntil) return false;
  const until = new Date(user.lockedUntil);
  return !Number.isNaN(until.getTime()) && until > now;
}

/** Disabled wins over locked: unlocking a disabled account would not let anyone in. */
export function userStatus(user: Pick<AdminUser, 'disabled' | 'lockedUntil'>, now: Date = new Date()): UserStatus {
  if (user.disabled) return 'disabled';
  if (isLocked(user, now)) return 'locked';
  return 'active';
}

export function userStatusText(user: Pick<AdminUser, 'disabled' | 'lockedUntil'>, now: Date = new Date()): string {
  switch (userStatus(user, now)) {
    case 'disabled':
      return '已停用';
    case 'locked':
      return `已锁定 至 ${formatDateTime(user.lockedUntil).slice(5, 16)}`;
    default:
      return '正常';
  }
}
