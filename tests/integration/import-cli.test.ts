import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../server/config.js';
import { connectDatabase, type DatabaseHandles } from '../../server/db/database.js';

/** `npm run import -- <file> …` in a terminal, against this run's database. */
function runCli(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args], {
    cwd: REPOSITORY_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, DATABASE_URL: inject('adminDatabaseUrl'), APP_DATABASE_URL: inject('databaseUrl') },
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

let database: DatabaseHandles;
beforeAll(() => {
  database = connectDatabase(inject('adminDatabaseUrl'), 1);
});
afterAll(async () => {
  await database.close();
});

const fixture = path.join(REPOSITORY_ROOT, 'fixtures/imports/dltb-2023-gbk-4527.zip');

describe('npm run import', () => {
  it('shows progress and the report, and commits nothing on a dry run', async () => {
    const { code, output } = runCli([fixture, '--kind', 'survey', '--year', '2019', '--dry-run']);
    expect(code, output).toBe(0);
    expect(output).toMatch(/\[#+\.*\]\s+\d+%/);
    expect(output).toContain('EPSG:4527');
    expect(output).toContain('编码 gbk');
    expect(output).toMatch(/要素 12：有效 \d+，已修复 \d+，拒绝 0/);
    expect(output).toContain('试运行');
    const { rows } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM survey_layers WHERE year = 2019`.execute(database.db);
    expect(rows[0].count).toBe(0);
  });

  it('commits as the terminal user, on record', async () => {
    const { code, output } = runCli([fixture, '--kind', 'survey', '--year', '2018']);
    expect(code, output).toBe(0);
    expect(output).toContain('已提交');
    const actor = `cli:${os.userInfo().username}`;
    const { rows } = await sql<{ feature_count: number; imported_by: string }>`
      SELECT feature_count, imported_by FROM survey_layers WHERE year = 2018 AND superseded_at IS NULL`.execute(database.db);
    expect(rows[0]).toEqual({ feature_count: 12, imported_by: actor });
    const { rows: history } = await sql<{ actor: string }>`
      SELECT actor FROM history WHERE entity = 'survey_layers' AND after ->> 'year' = '2018'`.execute(database.db);
    expect(history.map((entry) => entry.actor)).toContain(actor);
  });

  it('stops with the question when the CRS must be confirmed', () => {
    const { code, output } = runCli([path.join(REPOSITORY_ROOT, 'fixtures/imports/dltb-2023-no-prj.zip'), '--kind', 'survey', '--year', '2017']);
    expect(code, output).toBe(3);
    expect(output).toContain('--srid');
  });
});
