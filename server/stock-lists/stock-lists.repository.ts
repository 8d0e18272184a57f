import fp from 'fastify-plugin';
import { sql, type Transaction } from 'kysely';
import type { StockList, StockListRevision } from '../../domain/api/stock-lists.schemas.js';
import type { StockListItem, StockListKind } from '../../domain/legacy-land.js';
import type { AppInstance } from '../app-instance.js';
import { writeAs, type Actor } from '../db/actor.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';

type ListRow = { kind: string; version: number; items: unknown; source: string; local_rule: boolean; note: string | null; created_by: string; created_at: unknown };

const toList = (row: ListRow): StockList => ({
  kind: row.kind, version: row.version, items: row.items as StockListItem[], source: row.source, localRule: row.local_rule, note: row.note,
  createdBy: row.created_by, createdAt: new Date(row.created_at as string).toISOString(),
});

/**
 * 两库一清单's configurable lists (stock_lists: 发生时期, 问题类别), every version kept, and the numbers
 * of its records per district and year (stock_counters). The only code that reads or writes them.
 */
export function createStockListsRepository(db: DatabaseClient) {
  return {
    async current(kind: StockListKind): Promise<StockList> {
      const row = await db.selectFrom('stock_lists').selectAll().where('kind', '=', kind).orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow();
      return toList(row as ListRow);
    },

    async versions(kind: StockListKind): Promise<StockList[]> {
      const rows = await db.selectFrom('stock_lists').selectAll().where('kind', '=', kind).orderBy('version', 'desc').execute();
      return rows.map((row) => toList(row as ListRow));
    },

    /** Labels of every code a list ever had (a record keeps the code it was given): newest label wins. */
    async labels(kind: StockListKind): Promise<Map<string, string>> {
      const versions = await this.versions(kind);
      const labels = new Map<string, string>();
      for (const version of [...versions].reverse()) for (const item of version.items) labels.set(item.code, item.label);
      return labels;
    },

    /** Adds a version (under a lock, so two revisions get two numbers). */
    async revise(kind: StockListKind, revision: StockListRevision, actor: Actor): Promise<StockList> {
      return writeAs(db, actor, async (transaction) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`stock_lists:${kind}`}))`.execute(transaction);
        const { next } = await transaction.selectFrom('stock_lists').select(sql<number>`coalesce(max(version), 0) + 1`.as('next')).where('kind', '=', kind).executeTakeFirstOrThrow();
        const row = await transaction.insertInto('stock_lists').values({
          kind, version: next, items: JSON.stringify(revision.items), source: revision.source.trim(), local_rule: revision.localRule,
          note: revision.note?.trim() || null, created_by: actor.name,
        }).returningAll().executeTakeFirstOrThrow();
        return toList(row as ListRow);
      });
    },

    /** The next number of a district's records of a kind in a year (1, 2, …), raised under the row's lock. */
    async nextSequence(transaction: Transaction<Database>, districtCode: string, year: number, kind: 'legacy' | 'problem'): Promise<number> {
      const { last } = await transaction.insertInto('stock_counters').values({ district_code: districtCode, year, kind, last: 1 })
        .onConflict((conflict) => conflict.columns(['district_code', 'year', 'kind']).doUpdateSet({ last: sql`stock_counters.last + 1` }))
        .returning('last').executeTakeFirstOrThrow();
      return last;
    },
  };
}

export type StockListsRepository = ReturnType<typeof createStockListsRepository>;

/** `<区县代码>-<LS|WT>-<年>-<4 位序号>`: numbered per district and year. */
export function stockNumber(districtCode: string, kind: 'legacy' | 'problem', year: number, sequence: number): string {
  return `${districtCode}-${kind === 'legacy' ? 'LS' : 'WT'}-${year}-${String(sequence).padStart(4, '0')}`;
}

declare module 'fastify' {
  interface FastifyInstance {
    stockListsRepository: StockListsRepository;
  }
}

export const stockListsRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('stockListsRepository', createStockListsRepository(app.db));
}, { name: 'stock-lists-repository', dependencies: ['database'] });
