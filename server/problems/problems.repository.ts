import fp from 'fastify-plugin';
import { sql, type Kysely } from 'kysely';
import type { ProblemExportQuery } from '../../domain/api/problems.schemas.js';
import { PROBLEM_FINAL_STATUSES } from '../../domain/problems.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import { writeAs, type Actor } from '../db/actor.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { createStockListsRepository, stockNumber } from '../stock-lists/stock-lists.repository.js';

export interface ProblemRow {
  id: number; number: string; districtCode: string; districtName: string; year: number; category: string; categoryVersion: number; title: string;
  description: string; ownerRequest: string | null; department: string; dueDate: string | null; parcelIds: number[]; areaIds: number[];
  status: string; statusAt: Date; outcome: string | null; version: number; createdBy: string; createdAt: Date; updatedBy: string; updatedAt: Date;
}

export interface ProblemFacts {
  category?: string; categoryVersion?: number; title?: string; description?: string; ownerRequest?: string | null; department?: string;
  dueDate?: string | null; parcelIds?: number[]; areaIds?: number[];
}

const COLUMNS = [
  sql`p.id::int`.as('id'), 'p.number', 'p.district_code as districtCode', 'd.name as districtName', 'p.year', 'p.category', 'p.category_version as categoryVersion',
  'p.title', 'p.description', 'p.owner_request as ownerRequest', 'p.department', sql<string | null>`to_char(p.due_date, 'YYYY-MM-DD')`.as('dueDate'),
  sql<number[]>`p.parcel_ids::int[]`.as('parcelIds'), sql<number[]>`p.area_ids::int[]`.as('areaIds'), 'p.status', 'p.status_at as statusAt', 'p.outcome',
  'p.version', 'p.created_by as createdBy', 'p.created_at as createdAt', 'p.updated_by as updatedBy', 'p.updated_at as updatedAt',
] as const;

function columnsOf(facts: ProblemFacts): Record<string, unknown> {
  const map: Record<keyof ProblemFacts, string> = {
    category: 'category', categoryVersion: 'category_version', title: 'title', description: 'description', ownerRequest: 'owner_request',
    department: 'department', dueDate: 'due_date', parcelIds: 'parcel_ids', areaIds: 'area_ids',
  };
  const values: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(map)) {
    const value = facts[key as keyof ProblemFacts];
    if (value !== undefined) values[column] = typeof value === 'string' ? (value.trim() || null) : value;
  }
  return values;
}

/** The problems a list or export selects: the filters and the reader's districts (`today` decides overdue). */
function selected(db: Kysely<Database>, filters: ProblemExportQuery, scope: Scope, today: string, options: { department?: boolean } = {}) {
  let query = db.selectFrom('stock_problems as p').innerJoin('districts as d', 'd.code', 'p.district_code').where(scope.sqlCovers('p.district_code'));
  if (filters.district) query = query.where((eb) => eb.or([eb('p.district_code', '=', filters.district!), eb('d.parent_code', '=', filters.district!)]));
  if (filters.status) query = query.where('p.status', '=', filters.status);
  if (filters.department && options.department !== false) query = query.where('p.department', '=', filters.department);
  if (filters.category) query = query.where('p.category', '=', filters.category);
  if (filters.year) query = query.where('p.year', '=', filters.year);
  if (filters.parcelId) query = query.where(sql<boolean>`${filters.parcelId}::bigint = ANY(p.parcel_ids)`);
  if (filters.overdue) query = query.where(overdueSql(today));
  if (filters.q) {
    const like = `%${filters.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`concat_ws(' ', p.number, p.title, p.description, p.owner_request) ILIKE ${like}`);
  }
  return query;
}

const overdueSql = (today: string) => sql<boolean>`(p.due_date < ${today}::date AND p.status <> ALL(${[...PROBLEM_FINAL_STATUSES]}::text[]))`;

/** 问题清单 (stock_problems, stock_problem_steps): the only code that reads or writes them. */
export function createProblemsRepository(db: DatabaseClient) {
  const counters = createStockListsRepository(db);
  return {
    async list(filters: ProblemExportQuery, scope: Scope, today: string, page: { limit: number; offset: number }) {
      const rows = await selected(db, filters, scope, today).select(COLUMNS as never).orderBy('p.id', 'desc').limit(page.limit).offset(page.offset).execute() as unknown as ProblemRow[];
      const counts = await selected(db, { ...filters, status: undefined }, scope, today)
        .select(['p.status', sql<number>`count(*)::int`.as('count')]).groupBy('p.status').execute();
      const totals = await selected(db, filters, scope, today)
        .select([sql<number>`count(*)::int`.as('total'), sql<number>`count(*) FILTER (WHERE ${overdueSql(today)})::int`.as('overdue')]).executeTakeFirstOrThrow();
      const byDepartment = await selected(db, filters, scope, today, { department: false }).select([
        'p.department', sql<number>`count(*)::int`.as('total'),
        sql<number>`count(*) FILTER (WHERE p.status <> ALL(${[...PROBLEM_FINAL_STATUSES]}::text[]))::int`.as('open'),
        sql<number>`count(*) FILTER (WHERE ${overdueSql(today)})::int`.as('overdue'),
        sql<number>`count(*) FILTER (WHERE p.status = 'resolved')::int`.as('resolved'),
        sql<number>`count(*) FILTER (WHERE p.status = 'unresolvable')::int`.as('unresolvable'),
      ]).groupBy('p.department').orderBy('p.department').execute();
      return { rows, total: totals.total, overdue: totals.overdue, byStatus: counts, byDepartment };
    },

    /** Every selected problem, oldest first (the Excel export). */
    async all(filters: ProblemExportQuery, scope: Scope, today: string): Promise<ProblemRow[]> {
      return await selected(db, filters, scope, today).select(COLUMNS as never).orderBy('p.district_code').orderBy('p.year').orderBy('p.sequence').limit(100_000).execute() as unknown as ProblemRow[];
    },

    async find(id: number): Promise<ProblemRow | undefined> {
      return await db.selectFrom('stock_problems as p').innerJoin('districts as d', 'd.code', 'p.district_code').select(COLUMNS as never).where('p.id', '=', id).executeTakeFirst() as unknown as ProblemRow | undefined;
    },

    async steps(id: number) {
      return db.selectFrom('stock_problem_steps').select(['from_status as from', 'to_status as to', 'note', 'actor', 'actor_name as actorName', 'at'])
        .where('problem_id', '=', id).orderBy('id').execute();
    },

    /** Codes of linked parcels (null for one that no longer exists) and names of linked areas. */
    async links(parcelIds: readonly number[], areaIds: readonly number[]) {
      const parcels = parcelIds.length === 0 ? [] : await db.selectFrom('parcels').select([sql<number>`id::int`.as('id'), 'code']).where('id', 'in', [...parcelIds]).execute();
      const areas = areaIds.length === 0 ? [] : await db.selectFrom('areas').select([sql<number>`id::int`.as('id'), 'name']).where('id', 'in', [...areaIds]).where('deleted_at', 'is', null).execute();
      return { parcels: new Map(parcels.map((row) => [row.id, row.code])), areas: new Map(areas.map((row) => [row.id, row.name])) };
    },

    /** The districts of linked parcels and areas (a link must lie in the problem's district). */
    async linkDistricts(parcelIds: readonly number[], areaIds: readonly number[]) {
      const parcels = parcelIds.length === 0 ? [] : await db.selectFrom('parcels').select([sql<number>`id::int`.as('id'), 'district_code as districtCode']).where('id', 'in', [...parcelIds]).execute();
      const areas = areaIds.length === 0 ? [] : await db.selectFrom('areas').select([sql<number>`id::int`.as('id'), 'district_code as districtCode']).where('id', 'in', [...areaIds]).where('deleted_at', 'is', null).execute();
      return { parcels, areas };
    },

    async create(districtCode: string, facts: Required<Pick<ProblemFacts, 'category' | 'categoryVersion' | 'title' | 'description' | 'department'>> & ProblemFacts, year: number, actor: Actor): Promise<number> {
      return writeAs(db, actor, async (transaction) => {
        const sequence = await counters.nextSequence(transaction, districtCode, year, 'problem');
        const { id } = await transaction.insertInto('stock_problems').values({
          ...columnsOf(facts), number: stockNumber(districtCode, 'problem', year, sequence), district_code: districtCode, year, sequence,
          created_by: actor.name, updated_by: actor.name,
        } as never).returning('id').executeTakeFirstOrThrow();
        return Number(id);
      });
    },

    async update(id: number, facts: ProblemFacts, expectedVersion: number, actor: Actor): Promise<{ ok: true } | { ok: false; currentVersion: number }> {
      return writeAs(db, actor, async (transaction) => {
        const updated = await transaction.updateTable('stock_problems').set({ ...columnsOf(facts), updated_by: actor.name } as never)
          .where('id', '=', id).where('version', '=', expectedVersion).returning('id').executeTakeFirst();
        if (updated) return { ok: true as const };
        const { version } = await transaction.selectFrom('stock_problems').select('version').where('id', '=', id).executeTakeFirstOrThrow();
        return { ok: false as const, currentVersion: version };
      });
    },

    /** Moves a problem (with its note; an ending step sets the outcome) if still at `expectedVersion` and `from`. */
    async transition(id: number, from: string, to: string, note: string | null, outcome: string | null | undefined, expectedVersion: number, actor: Actor & { displayName: string }) {
      return writeAs(db, actor, async (transaction) => {
        const updated = await transaction.updateTable('stock_problems')
          .set({ status: to, status_at: sql`now()`, updated_by: actor.name, ...(outcome !== undefined ? { outcome } : {}) } as never)
          .where('id', '=', id).where('version', '=', expectedVersion).where('status', '=', from).returning('id').executeTakeFirst();
        if (!updated) {
          const current = await transaction.selectFrom('stock_problems').select(['version', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
          return { ok: false as const, currentVersion: current.version, status: current.status };
        }
        await transaction.insertInto('stock_problem_steps').values({ problem_id: id, from_status: from, to_status: to, note, actor: actor.name, actor_name: actor.displayName }).execute();
        return { ok: true as const };
      });
    },
  };
}

export type ProblemsRepository = ReturnType<typeof createProblemsRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    problemsRepository: ProblemsRepository;
  }
}

export const problemsRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('problemsRepository', createProblemsRepository(app.db));
}, { name: 'problems-repository', dependencies: ['database'] });
