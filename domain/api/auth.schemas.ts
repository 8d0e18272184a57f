import { Type, type Static } from 'typebox';
import { ROLE_CODES } from '../permissions.js';
import { Nullable, StringEnum } from './common.schemas.js';

/** A district or city of a user's 管辖范围 ('350200' = the whole city). */
export const UserScope = Type.Object({ code: Type.String(), name: Type.String() });
export type UserScope = Static<typeof UserScope>;

/** The signed-in user, as login and `GET /api/auth/me` answer it. */
export const SessionUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: StringEnum(ROLE_CODES),
  scopes: Type.Array(UserScope),
  department: Type.Union([Type.String(), Type.Null()], { description: '会审部门 (domain/departments.ts) of a role-department account' }),
  units: Type.Array(Type.String(), { description: '园区/街道/镇 codes the user is narrowed to for writes; [] = whole districts' }),
  mustChangePassword: Type.Boolean({ description: 'the password was set by an administrator: change it before working' }),
});
export type SessionUser = Static<typeof SessionUser>;

export const Session = Type.Object({ user: SessionUser, csrfToken: Type.String({ description: 'send as x-csrf-token on every write' }) });
export type Session = Static<typeof Session>;

/**
 * `GET /api/auth/session`: the session if the cookie holds one, else `session: null` — always 200, so a
 * browser opening the login page logs no failed request (`GET /api/auth/me` answers 401 instead).
 */
export const SessionProbe = Type.Object({ session: Nullable(Session) });
export type SessionProbe = Static<typeof SessionProbe>;

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
}, { additionalProperties: false });
export type LoginBody = Static<typeof LoginBody>;

export const PasswordChangeBody = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
  newPassword: Type.String({ minLength: 1, maxLength: 256 }),
}, { additionalProperties: false });
export type PasswordChangeBody = Static<typeof PasswordChangeBody>;

/** The empty answer of logout and password change (204). */
export const NoContent = Type.Unsafe<undefined>({ type: 'null', description: 'no body' });
