import { Type, type Static } from 'typebox';
import { USERNAME_PATTERN } from '../password-policy.js';
import { DEPARTMENT_CODES } from '../departments.js';
import { ROLE_CODES } from '../permissions.js';
import { UserScope } from './auth.schemas.js';
import { Id, Nullable, StringEnum } from './common.schemas.js';

const Role = StringEnum(ROLE_CODES, { description: ROLE_CODES.join(' | ') });
const ScopeCodes = Type.Array(Type.String({ pattern: '^([0-9]{6}|[0-9]{9})$' }), {
  minItems: 1, maxItems: 50,
  description: '行政区划代码 (6 位; a city code covers all its districts) or 园区/街道/镇代码 (9 位: the user reads its district and writes only inside it)',
});
const Department = StringEnum(DEPARTMENT_CODES, { description: '会审部门 (role department): ' + DEPARTMENT_CODES.join(' | ') });
const ParcelIds = Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 500, description: '用地单位 (role enterprise): the ids of its own parcels' });

/** A parcel linked to a 用地单位 account. */
export const LinkedParcel = Type.Object({ id: Type.Integer(), code: Type.String(), owner: Nullable(Type.String()) });
export type LinkedParcel = Static<typeof LinkedParcel>;

/** One account as the 用户管理 page lists it. */
export const AdminUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  scopes: Type.Array(UserScope),
  department: Nullable(Department),
  parcels: Type.Array(LinkedParcel, { description: 'a 用地单位 account\'s own parcels' }),
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  lockedUntil: Nullable(Type.String({ format: 'date-time', description: 'locked after too many failed logins until then' })),
  lastLoginAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});
export type AdminUser = Static<typeof AdminUser>;

export const AdminUserList = Type.Object({ items: Type.Array(AdminUser) });
export type AdminUserList = Static<typeof AdminUserList>;

export const NewUser = Type.Object({
  username: Type.String({ pattern: USERNAME_PATTERN, description: '3–32 lower-case letters, digits, _ or -' }),
  displayName: Type.String({ minLength: 1, maxLength: 64 }),
  role: Role,
  scopes: ScopeCodes,
  department: Type.Optional(Nullable(Department)),
  parcelIds: Type.Optional(ParcelIds),
  password: Type.String({ minLength: 1, maxLength: 256 }),
}, { additionalProperties: false });
export type NewUser = Static<typeof NewUser>;

export const UserChange = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  role: Type.Optional(Role),
  scopes: Type.Optional(ScopeCodes),
  department: Type.Optional(Nullable(Department)),
  parcelIds: Type.Optional(ParcelIds),
  disabled: Type.Optional(Type.Boolean()),
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  unlock: Type.Optional(Type.Literal(true)),
}, { additionalProperties: false, minProperties: 1 });
export type UserChange = Static<typeof UserChange>;

export const UserIdParams = Type.Object({ id: Id() });
export type UserIdParams = Static<typeof UserIdParams>;
