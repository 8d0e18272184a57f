import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { Rule, RuleSet } from '../../domain/rules/rules.js';
import { REPOSITORY_ROOT } from '../config.js';

export const RULE_SETS_FIXTURE = path.join(REPOSITORY_ROOT, 'fixtures', 'rule-sets.json');

export interface StoredRuleSet extends RuleSet {
  note: string | null;
  createdBy: string;
  createdAt: string;
}

interface Row { id: string; version: number; city: string; name: string; rules: Rule[]; note: string | null; created_by: string; created_at: Date }

const toRuleSet = (row: Row): StoredRuleSet => ({
  id: row.id, version: row.version, city: row.city, name: row.name, rules: row.rules, note: row.note,
  createdBy: row.created_by, createdAt: row.created_at.toISOString(),
});

/**
 * Loads the shipped rule sets (version 1) for ids not in the database yet; an administrator's
 * versions are never overwritten. Answers how many were added.
 */
export async function ensureRuleSets(pool: pg.Pool, fixture = RULE_SETS_FIXTURE): Promise<number> {
  const { ruleSets } = JSON.parse(fs.readFileSync(fixture, 'utf8')) as { ruleSets: Omit<RuleSet, 'version'>[] };
  let added = 0;
  for (const ruleSet of ruleSets) {
    const result = await pool.query(
      `INSERT INTO rule_sets (id, version, city, name, rules, note, created_by)
       SELECT $1, 1, $2, $3, $4, '随产品提供的初始版本 (fixtures/rule-sets.json)', 'system'
       WHERE NOT EXISTS (SELECT 1 FROM rule_sets WHERE id = $1)`,
      [ruleSet.id, ruleSet.city, ruleSet.name, JSON.stringify(ruleSet.rules)],
    );
    added += result.rowCount ?? 0;
  }
  return added;
}

export function createRuleSetsRepository(pool: pg.Pool) {
  return {
    async current(): Promise<StoredRuleSet[]> {
      const { rows } = await pool.query<Row>(
        'SELECT DISTINCT ON (id) * FROM rule_sets ORDER BY id, version DESC');
      return rows.map(toRuleSet);
    },

    /** One version (the current one when `version` is omitted). */
    async find(id: string, version?: number): Promise<StoredRuleSet | undefined> {
      const { rows } = await pool.query<Row>(
        'SELECT * FROM rule_sets WHERE id = $1 AND ($2::int IS NULL OR version = $2) ORDER BY version DESC LIMIT 1', [id, version ?? null]);
      return rows[0] ? toRuleSet(rows[0]) : undefined;
    },

    async versions(id: string): Promise<StoredRuleSet[]> {
      const { rows } = await pool.query<Row>('SELECT * FROM rule_sets WHERE id = $1 ORDER BY version DESC', [id]);
      return rows.map(toRuleSet);
    },

    /** Adds the next version, with its history entry, in one transaction. */
    async revise(id: string, change: { city: string; name: string; rules: Rule[]; note: string | null }, actor: { name: string; requestId: string }): Promise<StoredRuleSet> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // Two administrators revising at once get consecutive versions (rows are never locked: append-only).
        await client.query("SELECT pg_advisory_xact_lock(hashtext('rule_sets:' || $1))", [id]);
        const { rows: [previous] } = await client.query<Row>('SELECT * FROM rule_sets WHERE id = $1 ORDER BY version DESC LIMIT 1', [id]);
        const version = (previous?.version ?? 0) + 1;
        const { rows: [row] } = await client.query<Row>(
          `INSERT INTO rule_sets (id, version, city, name, rules, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
          [id, version, change.city, change.name, JSON.stringify(change.rules), change.note, actor.name],
        );
        await client.query(
          `INSERT INTO history (entity, entity_id, action, actor, before, after, request_id) VALUES ('rule_sets', $1, $2, $3, $4, $5, $6)`,
          [id, previous ? 'update' : 'insert', actor.name, previous ? JSON.stringify(toRuleSet(previous)) : null, JSON.stringify(toRuleSet(row)), actor.requestId],
        );
        await client.query('COMMIT');
        return toRuleSet(row);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}
