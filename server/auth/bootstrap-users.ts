import type { DatabaseClient } from '../db/database.js';
import { createDistrictsRepository } from '../districts/districts.repository.js';
import { generatePassword, hashPassword, assertStrongPassword } from './passwords.js';
import { createUsersRepository } from './users.repository.js';

/** Default password of the demo accounts; demo only, documented in the README. */
export const DEFAULT_DEMO_PASSWORD = 'Demo-2026-biaotu';

export const DEMO_USERS = [
  { username: 'surveyor', displayName: '调查员（演示）', role: 'surveyor', scopes: ['350200'] },
  { username: 'planner', displayName: '规划员（演示）', role: 'planner', scopes: ['350200'] },
  { username: 'official', displayName: '审核员（演示）', role: 'official', scopes: ['350200'] },
  { username: 'viewer', displayName: '只读用户（演示）', role: 'viewer', scopes: ['350200'] },
  { username: 'planner-huli', displayName: '湖里区规划员（演示）', role: 'planner', scopes: ['350206'] },
] as const;

/**
 * First start: an administrator whose password comes from ADMIN_PASSWORD, or is generated and
 * printed once (then it must be changed at first login). With the demo city, one account per role
 * whose password comes from DEMO_PASSWORD.
 */
export async function ensureInitialUsers(db: DatabaseClient, options: { demo: boolean; log?: (line: string) => void }): Promise<void> {
  const log = options.log ?? console.log;
  const users = createUsersRepository(db);
  if ((await users.count()) > 0) return;
  const city = await createDistrictsRepository(db).firstCity();
  if (!city) throw new Error('no city in the database: load districts before creating users');

  const given = process.env.ADMIN_PASSWORD;
  if (given) assertStrongPassword(given, 'ADMIN_PASSWORD');
  const adminPassword = given ?? generatePassword();
  const demoPassword = process.env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD;
  if (options.demo) assertStrongPassword(demoPassword, 'DEMO_PASSWORD');

  const demoHash = options.demo ? await hashPassword(demoPassword) : '';
  await users.create({ name: 'system' }, [
    { username: 'admin', displayName: '系统管理员', role: 'admin', passwordHash: await hashPassword(adminPassword), mustChangePassword: !given, scopes: [city.code] },
    ...(options.demo ? DEMO_USERS.map((user) => ({ ...user, passwordHash: demoHash, mustChangePassword: false })) : []),
  ]);
  if (given) {
    log('已创建管理员账号 admin（密码来自 ADMIN_PASSWORD）/ created user admin with ADMIN_PASSWORD');
  } else {
    log(`\n  已创建管理员账号 / created the administrator:  admin / ${adminPassword}\n  该密码只显示这一次，首次登录后须修改 / shown once; must be changed at first login\n`);
  }
  if (options.demo) log(`演示账号 / demo accounts: ${DEMO_USERS.map((user) => user.username).join(', ')}（密码 / password: DEMO_PASSWORD${process.env.DEMO_PASSWORD ? '' : ' 默认值，见 README'}）`);
}
