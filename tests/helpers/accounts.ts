/** Passwords the test run gives its accounts (ADMIN_PASSWORD, and the documented demo default). */
export const TEST_ADMIN_PASSWORD = 'Test-admin-2026';
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'Demo-2026-biaotu';

/**
 * The demo accounts every test may log in as (`login(app, 'yuanqu')`), by role: the original ones
 * (city-wide, and planner-huli) and the people of the 认定 procedure, all in 湖里区 (350206):
 * yuanqu is scoped to the district's first 园区 with parcels, jiedao to its first 街道 with 园区外
 * parcels, qiye (用地单位) is linked to up to three parcels of yuanqu's 园区 (server/auth/bootstrap-users.ts).
 */
export const accounts = {
  admin: 'admin', surveyor: 'surveyor', planner: 'planner', official: 'official', viewer: 'viewer', plannerHuli: 'planner-huli',
  resources: 'ziranziyuan', parkOffice: 'yuanqu', streetOffice: 'jiedao', government: 'zhengfu', enterprise: 'qiye',
  departments: { fagai: 'fagai', ziranziyuan: 'zrzy-huishen', gongxin: 'gongxin', keji: 'keji', shengtai: 'shengtai', shuiwu: 'shuiwu' },
} as const;
