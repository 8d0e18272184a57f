import fs from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import { sql, type Selectable } from 'kysely';
import type { Rule, RuleSet, StoredRuleSet } from '../../domain/api/rules.schemas.js';
import type { AppInstance } from '../app-instance.js';
import { REPOSITORY_ROOT } from '../config.js';
import type { DatabaseClient } from '../db/database.js';
import type { RuleSetTable } from '../db/schema.js';

export const RULE_SETS_FIXTURE = path.join(REPOSITORY_ROOT, 'fixtures', 'rule-sets.json');

const toRuleSet = (row: Selectable<RuleSetTable>): StoredRuleSet => ({
  id: row.id, version: row.version, city: row.city, name: row.name, rules: row.rules, note: row.note,
  createdBy: row.created_by, createdAt: row.created_at.toISOString(),
});

/**
 * Loads the shipped rule sets (version 1) for ids not in the database yet; an administrator's
 * versions are never overwritten (a set's versions start at 1, so an id already there keeps its
 * own version 1). Answers how many were added.
 */
export async function ensureRuleSets(db: DatabaseClient, fixture = RULE_SETS_FIXTURE): Promise<number> {
  const { ruleSets } = JSON.parse(fs.readFileSync(fixture, 'utf8')) as { ruleSets: Omit<RuleSet, 'version'>[] };
  let added = 0;
  for (const ruleSet of ruleSets) {
    const result = await db.insertInto('rule_sets')
      .values({
        id: ruleSet.id, version: 1, city: ruleSet.city, name: ruleSet.name, rules: JSON.stringify(ruleSet.rules),
        note: '随产品提供的初始版本', created_by: 'system',
      })
      .onConflict((conflict) => conflict.columns(['id', 'version']).doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

export function createRuleSetsRepository(db: DatabaseClient) {
  return {
    /** The current (highest) version of every rule set. */
    async current(): Promise<StoredRuleSet[]> {
      const rows = await db.selectFrom('rule_sets').selectAll().distinctOn('id').orderBy('id').orderBy('version', 'desc').execute();
      return rows.map(toRuleSet);
    },

    /** One version (the current one when `version` is omitted). */
    async find(id: string, version?: number): Promise<StoredRuleSet | undefined> {
      let query = db.selectFrom('rule_sets').selectAll().where('id', '=', id);
      if (version !== undefined) query = query.where('version', '=', version);
      const row = await query.orderBy('version', 'desc').limit(1).executeTakeFirst();
      return row ? toRuleSet(row) : undefined;
    },

    async versions(id: string): Promise<StoredRuleSet[]> {
      const rows = await db.selectFrom('rule_sets').selectAll().where('id', '=', id).orderBy('version', 'desc').execute();
      return rows.map(toRuleSet);
    },

    /** Adds the next version, with its history entry, in one transaction. */
    async revise(id: string, change: { city: string; name: string; rules: Rule[]; note: string | null }, actor: { name: string; requestId: string }): Promise<StoredRuleSet> {
      return await db.transaction().execute(async (transaction) => {
        // Two administrators revising at once get consecutive versions (rows are never locked: append-only).
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`rule_sets:${id}`}))`.execute(transaction);
        const previous = await transaction.selectFrom('rule_sets').selectAll().where('id', '=', id).orderBy('version', 'desc').limit(1).executeTakeFirst();
        const row = await transaction.insertInto('rule_sets')
          .values({
            id, version: (previous?.version ?? 0) + 1, city: change.city, name: change.name, rules: JSON.stringify(change.rules),
            note: change.note, created_by: actor.name,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await transaction.insertInto('history').values({
          entity: 'rule_sets', entity_id: id, action: previous ? 'update' : 'insert', actor: actor.name,
          before: previous ? JSON.stringify(toRuleSet(previous)) : null, after: JSON.stringify(toRuleSet(row)), request_id: actor.requestId,
        }).execute();
        return toRuleSet(row);
      });
    },
  };
}

export type RuleSetsRepository = ReturnType<typeof createRuleSetsRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    ruleSetsRepository: RuleSetsRepository;
  }
}

/** The rule-sets repository, built once per app. */
export const ruleSetsRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('ruleSetsRepository', createRuleSetsRepository(app.db));
}, { name: 'rule-sets-repository', dependencies: ['database'] });
