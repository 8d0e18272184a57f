import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Rule, RuleSet } from '../../domain/api/rules.schemas.js';
import { MIGRATIONS_DIRECTORY } from '../../server/bootstrap.js';
import { connectDatabase, type DatabaseHandles } from '../../server/db/database.js';
import { applyMigrations } from '../../server/db/migrate.js';
import { ensureRuleSets, RULE_SETS_FIXTURE } from '../../server/rules/rule-sets.repository.js';

/**
 * A database that loaded the rule sets before issue 13 (no appliesTo, no perProject, the 厂房
 * denominator "项目总建筑面积") gets them from migration 0020 as a new version of each set, keeping an
 * administrator's own revision.
 */
const baseUrl = inject('adminDatabaseUrl').replace(/\/[^/]*$/, '');
const name = `rules_upgrade_${process.pid}_${Date.now()}`;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-rules-upgrade-'));
let database: DatabaseHandles | null = null;

afterAll(async () => {
  await database?.close();
  const admin = new pg.Client({ connectionString: `${baseUrl}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.end();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('migration 0020 on a database with the older rule sets', () => {
  it('adds a version of each shipped set with the kinds and per-项目 scope, by system, with history; an administrator\'s rules are kept', async () => {
    const admin = new pg.Client({ connectionString: `${baseUrl}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    database = connectDatabase(`${baseUrl}/${name}`, 2);

    const before = path.join(scratch, 'migrations');
    fs.mkdirSync(before);
    for (const file of fs.readdirSync(MIGRATIONS_DIRECTORY).filter((file) => file.endsWith('.sql') && file < '0020')) {
      fs.copyFileSync(path.join(MIGRATIONS_DIRECTORY, file), path.join(before, file));
    }
    await applyMigrations(database.pool, before, () => undefined);
    // The fixture as shipped before: no scope, the bare denominator.
    const current = JSON.parse(fs.readFileSync(RULE_SETS_FIXTURE, 'utf8')) as { ruleSets: Omit<RuleSet, 'version'>[] };
    const older = {
      ruleSets: current.ruleSets.map((set) => ({
        ...set,
        rules: set.rules.map(({ appliesTo: _appliesTo, perProject: _perProject, ...rule }) => (rule.measure === 'factory_floor_share' ? { ...rule, denominator: '项目总建筑面积' } : rule)),
      })),
    };
    const olderFixture = path.join(scratch, 'rule-sets.json');
    fs.writeFileSync(olderFixture, JSON.stringify(older));
    expect(await ensureRuleSets(database.db, olderFixture)).toBe(3);
    // An administrator's revision of the Tianjin set: 12 %.
    const tianjin = older.ruleSets.find((set) => set.id === 'tianjin-fragments')!;
    await database.pool.query(`INSERT INTO rule_sets (id, version, city, name, rules, note, created_by) VALUES ($1, 2, $2, $3, $4, '调整为 12%', 'admin')`,
      [tianjin.id, tianjin.city, tianjin.name, JSON.stringify(tianjin.rules.map((rule) => ({ ...rule, limit: 0.12 })))]);

    await applyMigrations(database.pool, MIGRATIONS_DIRECTORY, () => undefined);

    const { rows } = await database.pool.query<{ id: string; version: number; created_by: string; note: string; rules: Rule[] }>(
      `SELECT DISTINCT ON (id) id, version, created_by, note, rules FROM rule_sets ORDER BY id, version DESC`);
    const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
    const xiamen = byId['xiamen-new-industrial'];
    expect(xiamen).toMatchObject({ version: 2, created_by: 'system' });
    expect(xiamen.note).toContain('第三条');
    for (const rule of xiamen.rules) {
      if (rule.id === 'contiguous') {
        expect(rule.appliesTo).toBeUndefined();
        expect(rule.perProject).toBeUndefined();
      } else {
        expect(rule.appliesTo, rule.id).toEqual(current.ruleSets[0].rules.find((shipped) => shipped.id === rule.id)!.appliesTo);
        expect(rule.perProject, rule.id).toBe(true);
      }
    }
    // Equal to what a new database loads from the fixture.
    expect(xiamen.rules).toEqual(current.ruleSets.find((set) => set.id === 'xiamen-new-industrial')!.rules);
    expect(byId['tianjin-fragments']).toMatchObject({ version: 3, created_by: 'system' });
    expect(byId['tianjin-fragments'].rules[0]).toMatchObject({ limit: 0.12, perProject: true });
    expect(byId['national-industrial']).toMatchObject({ version: 2 });
    const { rows: history } = await database.pool.query<{ entity_id: string; actor: string }>(`SELECT entity_id, actor FROM history WHERE entity = 'rule_sets' ORDER BY entity_id`);
    expect(history).toEqual([
      { entity_id: 'national-industrial', actor: 'system' }, { entity_id: 'tianjin-fragments', actor: 'system' }, { entity_id: 'xiamen-new-industrial', actor: 'system' },
    ]);
    // The start after the upgrade adds nothing (ids already there keep their own versions).
    expect(await ensureRuleSets(database.db)).toBe(0);
  }, 120_000);
});
