/** Passwords the test run gives its accounts (ADMIN_PASSWORD, and the documented demo default). */
export const TEST_ADMIN_PASSWORD = 'Test-admin-2026';
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'Demo-2026-biaotu';
