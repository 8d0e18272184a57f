import { sql } from 'kysely';
import type { DepartmentCode } from '../../domain/departments.js';
import type { Role } from '../../domain/permissions.js';
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

/** The district of the demo accounts of the 认定 procedure. */
export const DEMO_PROCEDURE_DISTRICT = '350206';

/**
 * The people of the 认定 procedure (seed 003 二), all in 湖里区: `unit` narrows an account to the
 * district's first 园区 (or 街道) that holds parcels; the 用地单位 is linked to parcels of that 园区.
 */
export const DEMO_PROCEDURE_USERS: readonly { username: string; displayName: string; role: Role; unit?: 'park' | 'street'; department?: DepartmentCode; parcels?: true }[] = [
  { username: 'ziranziyuan', displayName: '湖里区自然资源局（演示）', role: 'resources' },
  { username: 'yuanqu', displayName: '园区办（演示）', role: 'park_office', unit: 'park' },
  { username: 'jiedao', displayName: '街道办（演示）', role: 'street_office', unit: 'street' },
  { username: 'fagai', displayName: '湖里区发改局（演示）', role: 'department', department: 'fagai' },
  { username: 'gongxin', displayName: '湖里区工信局（演示）', role: 'department', department: 'gongxin' },
  { username: 'keji', displayName: '湖里区科技局（演示）', role: 'department', department: 'keji' },
  { username: 'shengtai', displayName: '湖里区生态环境局（演示）', role: 'department', department: 'shengtai' },
  { username: 'shuiwu', displayName: '湖里区税务局（演示）', role: 'department', department: 'shuiwu' },
  { username: 'zrzy-huishen', displayName: '湖里区自然资源局会审（演示）', role: 'department', department: 'ziranziyuan' },
  { username: 'zhengfu', displayName: '湖里区人民政府（演示）', role: 'government' },
  { username: 'qiye', displayName: '用地单位（演示）', role: 'enterprise', parcels: true },
];

/**
 * The demo 园区 and 街道 of the procedure accounts and the 用地单位's parcels: the district's first
 * 园区 holding parcels, its first 街道 holding 园区外 parcels, and up to three parcels of that 园区
 * (those of its owner with the most parcels there first), all by lowest code or id.
 */
export async function demoProcedurePlaces(db: DatabaseClient, district = DEMO_PROCEDURE_DISTRICT): Promise<{ park: string | null; street: string | null; parcelIds: number[] }> {
  const { rows: [places] } = await sql<{ park: string | null; street: string | null }>`
    SELECT (SELECT s.code FROM subdistricts s WHERE s.district_code = ${district} AND s.kind = 'park'
              AND EXISTS (SELECT 1 FROM parcels p WHERE p.park_code = s.code) ORDER BY s.code LIMIT 1) AS park,
           (SELECT s.code FROM subdistricts s WHERE s.district_code = ${district} AND s.kind <> 'park'
              AND EXISTS (SELECT 1 FROM parcels p WHERE p.subdistrict_code = s.code AND p.park_code IS NULL) ORDER BY s.code LIMIT 1) AS street`.execute(db);
  if (!places.park) return { ...places, parcelIds: [] };
  const { rows } = await sql<{ id: string }>`
    SELECT p.id FROM parcels p
    LEFT JOIN (SELECT owner, count(*) AS n FROM parcels WHERE park_code = ${places.park} AND owner IS NOT NULL GROUP BY owner) o ON o.owner = p.owner
    WHERE p.park_code = ${places.park}
    ORDER BY o.n DESC NULLS LAST, p.owner, p.id LIMIT 3`.execute(db);
  return { ...places, parcelIds: rows.map((row) => Number(row.id)) };
}

/** The procedure demo accounts not yet in the database, ready to create (none when the district has no 园区/街道). */
async function missingProcedureAccounts(db: DatabaseClient, passwordHash: string) {
  const existing = new Set((await db.selectFrom('users').select('username').execute()).map((row) => row.username));
  const wanted = DEMO_PROCEDURE_USERS.filter((user) => !existing.has(user.username));
  if (wanted.length === 0) return [];
  const places = await demoProcedurePlaces(db);
  return wanted.flatMap((user) => {
    const unit = user.unit === 'park' ? places.park : user.unit === 'street' ? places.street : DEMO_PROCEDURE_DISTRICT;
    if (!unit || (user.parcels && places.parcelIds.length === 0)) return [];
    return [{
      username: user.username, displayName: user.displayName, role: user.role, department: user.department ?? null,
      passwordHash, mustChangePassword: false, scopes: [unit], parcelIds: user.parcels ? places.parcelIds : undefined,
    }];
  });
}

/**
 * First start: an administrator whose password comes from ADMIN_PASSWORD, or is generated and
 * printed once (then it must be changed at first login). With the demo city, one account per role
 * whose password comes from DEMO_PASSWORD.
 */
export async function ensureInitialUsers(db: DatabaseClient, options: { demo: boolean; log?: (line: string) => void }): Promise<void> {
  const log = options.log ?? console.log;
  const users = createUsersRepository(db);
  if ((await users.count()) > 0) {
    await addProcedureDemoAccounts(db, options.log ?? console.log);
    return;
  }
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
    ...(options.demo ? await missingProcedureAccounts(db, demoHash) : []),
  ]);
  if (given) {
    log('已创建管理员账号 admin（密码来自 ADMIN_PASSWORD）/ created user admin with ADMIN_PASSWORD');
  } else {
    log(`\n  已创建管理员账号 / created the administrator:  admin / ${adminPassword}\n  该密码只显示这一次，首次登录后须修改 / shown once; must be changed at first login\n`);
  }
  if (options.demo) log(`演示账号 / demo accounts: ${[...DEMO_USERS, ...DEMO_PROCEDURE_USERS].map((user) => user.username).join(', ')}（密码 / password: DEMO_PASSWORD${process.env.DEMO_PASSWORD ? '' : ' 默认值，见 README'}）`);
}

/**
 * A database made before the procedure accounts existed, with the demo accounts (the demo viewer is
 * there): adds the missing procedure accounts with the demo accounts' password. A database without
 * demo accounts gets none.
 */
async function addProcedureDemoAccounts(db: DatabaseClient, log: (line: string) => void): Promise<void> {
  const viewer = await db.selectFrom('users').select('password_hash').where('username', '=', 'viewer').executeTakeFirst();
  if (!viewer) return;
  const accounts = await missingProcedureAccounts(db, viewer.password_hash);
  if (accounts.length === 0) return;
  await createUsersRepository(db).create({ name: 'system' }, accounts);
  log(`已添加认定程序演示账号 / added the procedure demo accounts: ${accounts.map((account) => account.username).join(', ')}（密码同其他演示账号 / same password as the other demo accounts）`);
}
