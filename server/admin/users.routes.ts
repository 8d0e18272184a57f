import { Type } from 'typebox';
import { USERNAME_PATTERN } from '../../domain/password-policy.js';
import { ROLE_CODES } from '../../domain/permissions.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf } from '../auth/auth.plugin.js';
import { assertStrongPassword, hashPassword } from '../auth/passwords.js';
import { createUsersRepository } from '../auth/users.repository.js';
import { writeAs } from '../db/actor.js';
import { ApiError, NotFoundError } from '../errors.js';
import { StringEnum } from '../../domain/api/common.schemas.js';

const Role = StringEnum(ROLE_CODES, { description: 'admin | surveyor | planner | official | viewer' });
const Scopes = Type.Array(Type.String({ pattern: '^[0-9]{6}$' }), { minItems: 1, maxItems: 50, description: '行政区划代码; a city code covers all its districts' });

const AdminUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  scopes: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  lockedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

export async function adminUsersRoutes(app: AppInstance): Promise<void> {
  const users = createUsersRepository(app.db);

  async function assertDistrictsExist(codes: string[]): Promise<void> {
    const found = await app.db.selectFrom('districts').select('code').where('code', 'in', codes).execute();
    const missing = codes.filter((code) => !found.some((row) => row.code === code));
    if (missing.length > 0) throw new ApiError(400, 'invalid_parameter', `没有这些行政区：${missing.join(', ')}`, { parameter: 'scopes' });
  }

  app.get('/api/admin/users', {
    config: { permission: 'users:manage' },
    schema: { tags: ['admin'], summary: '用户列表', response: { 200: Type.Object({ items: Type.Array(AdminUser) }) } },
  }, async () => ({ items: await users.list() }));

  app.post('/api/admin/users', {
    config: { permission: 'users:manage' },
    schema: {
      tags: ['admin'],
      summary: '新建用户',
      body: Type.Object({
        username: Type.String({ pattern: USERNAME_PATTERN, description: '3–32 lower-case letters, digits, _ or -' }),
        displayName: Type.String({ minLength: 1, maxLength: 64 }),
        role: Role,
        scopes: Scopes,
        password: Type.String({ minLength: 1, maxLength: 256 }),
      }, { additionalProperties: false }),
      response: { 201: AdminUser },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const body = request.body;
    assertStrongPassword(body.password);
    await assertDistrictsExist(body.scopes);
    if (await users.findByUsername(body.username)) {
      throw new ApiError(409, 'username_taken', `用户名 ${body.username} 已被使用。`, { parameter: 'username' });
    }
    const passwordHash = await hashPassword(body.password);
    const id = await writeAs(app.db, { name: principal.username, requestId: request.id }, async (transaction) => {
      const { id } = await transaction.insertInto('users').values({
        username: body.username, display_name: body.displayName, role: body.role, password_hash: passwordHash, must_change_password: true,
      }).returning('id').executeTakeFirstOrThrow();
      await transaction.insertInto('user_scopes').values([...new Set(body.scopes)].map((code) => ({ user_id: id, district_code: code }))).execute();
      return id;
    });
    return reply.code(201).send((await users.summary(id))!);
  });

  app.patch('/api/admin/users/:id', {
    config: { permission: 'users:manage' },
    schema: {
      tags: ['admin'],
      summary: '修改用户: name, role, scopes, disable, reset password, unlock',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      body: Type.Object({
        displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        role: Type.Optional(Role),
        scopes: Type.Optional(Scopes),
        disabled: Type.Optional(Type.Boolean()),
        password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
        unlock: Type.Optional(Type.Literal(true)),
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: AdminUser },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const body = request.body;
    const target = await users.findById(request.params.id);
    if (!target) throw new NotFoundError(`没有编号为 ${request.params.id} 的用户`, { parameter: 'id' });
    if (target.id === principal.id && (body.disabled === true || (body.role && body.role !== 'admin'))) {
      throw new ApiError(400, 'invalid_parameter', '不能停用自己的账号或取消自己的管理员角色。', { parameter: body.disabled ? 'disabled' : 'role' });
    }
    if (body.password !== undefined) assertStrongPassword(body.password);
    if (body.scopes) await assertDistrictsExist(body.scopes);
    const passwordHash = body.password !== undefined ? await hashPassword(body.password) : undefined;
    await writeAs(app.db, { name: principal.username, requestId: request.id }, async (transaction) => {
      const changes: Record<string, unknown> = {};
      if (body.displayName !== undefined) changes.display_name = body.displayName;
      if (body.role !== undefined) changes.role = body.role;
      if (body.disabled !== undefined) changes.disabled = body.disabled;
      if (passwordHash) Object.assign(changes, { password_hash: passwordHash, must_change_password: true, failed_attempts: 0, locked_until: null });
      if (body.unlock) Object.assign(changes, { failed_attempts: 0, locked_until: null });
      if (Object.keys(changes).length > 0) await transaction.updateTable('users').set(changes).where('id', '=', target.id).execute();
      if (body.scopes) {
        await transaction.deleteFrom('user_scopes').where('user_id', '=', target.id).execute();
        await transaction.insertInto('user_scopes').values([...new Set(body.scopes)].map((code) => ({ user_id: target.id, district_code: code }))).execute();
      }
    });
    if (body.disabled === true || passwordHash || body.role || body.scopes) await users.deleteSessionsOf(target.id);
    return (await users.summary(target.id))!;
  });
}
