import { ErrorBody } from '../../domain/api/common.schemas.js';
import { AdminUser, AdminUserList, NewUser, UserChange, UserIdParams } from '../../domain/api/users.schemas.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf } from '../auth/auth.plugin.js';
import { assertStrongPassword, hashPassword } from '../auth/passwords.js';
import { ROLE_REQUIREMENTS } from '../../domain/permissions.js';
import { ApiError, NotFoundError } from '../errors.js';
import { assertAccountShape } from './account-rules.js';

export async function adminUsersRoutes(app: AppInstance): Promise<void> {
  const users = app.usersRepository;


  app.get('/api/admin/users', {
    config: { permission: 'users:manage' },
    schema: { tags: ['admin'], summary: '用户列表', response: { 200: AdminUserList } },
  }, async () => ({ items: await users.list() }));

  app.post('/api/admin/users', {
    config: { permission: 'users:manage' },
    schema: {
      tags: ['admin'],
      summary: '新建用户',
      body: NewUser,
      response: { 201: AdminUser, 400: ErrorBody, 409: ErrorBody },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const body = request.body;
    assertStrongPassword(body.password);
    const department = body.department ?? null;
    const parcelIds = body.parcelIds ?? [];
    await assertAccountShape(app, { role: body.role, scopes: body.scopes, department, parcelIds });
    if (await users.findByUsername(body.username)) {
      throw new ApiError(409, 'username_taken', `用户名 ${body.username} 已被使用。`, { parameter: 'username' });
    }
    const [id] = await users.create({ name: principal.username, requestId: request.id }, [{
      username: body.username, displayName: body.displayName, role: body.role, passwordHash: await hashPassword(body.password), mustChangePassword: true,
      scopes: body.scopes, department, parcelIds,
    }]);
    return reply.code(201).send((await users.summary(id))!);
  });

  app.patch('/api/admin/users/:id', {
    config: { permission: 'users:manage' },
    schema: {
      tags: ['admin'],
      summary: '修改用户: name, role, scopes (区县/园区/街道), department, parcels, disable, reset password, unlock',
      params: UserIdParams,
      body: UserChange,
      response: { 200: AdminUser, 400: ErrorBody, 404: ErrorBody },
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
    // The account as it will be: a new role drops a department or parcels it no longer has.
    const current = (await users.summary(target.id))!;
    const role = body.role ?? current.role;
    const department = body.department !== undefined ? body.department : role === 'department' ? current.department : null;
    const parcelIds = body.parcelIds ?? (ROLE_REQUIREMENTS[role]?.parcels ? current.parcels.map((parcel) => parcel.id) : []);
    const scopes = body.scopes ?? current.scopes.map((scope) => scope.code);
    if (body.role || body.scopes || body.department !== undefined || body.parcelIds) await assertAccountShape(app, { role, scopes, department, parcelIds });
    const passwordHash = body.password !== undefined ? await hashPassword(body.password) : undefined;
    await users.update({ name: principal.username, requestId: request.id }, target.id, {
      displayName: body.displayName, role: body.role, disabled: body.disabled, passwordHash, unlock: body.unlock, scopes: body.scopes,
      department: body.role || body.department !== undefined ? department : undefined,
      parcelIds: body.role || body.parcelIds ? parcelIds : undefined,
    });
    // Linked parcels change without a new login: the session cache forgets the account on NOTIFY.
    if (body.disabled === true || passwordHash || body.role || body.scopes || body.department !== undefined) await users.deleteSessionsOf(target.id);
    return (await users.summary(target.id))!;
  });
}
