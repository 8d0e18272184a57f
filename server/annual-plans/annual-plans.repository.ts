import fp from 'fastify-plugin';
import { sql, type Kysely } from 'kysely';
import type { LedgerQuery, PlanListQuery, PlanPolicy, PlanPolicyRevision } from '../../domain/api/annual-plans.schemas.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import { writeAs, type Actor } from '../db/actor.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';

export interface PlanRow {
  id: number; districtCode: string; districtName: string; year: number; title: string; note: string | null; state: string; stateAt: Date;
  policyVersion: number; version: number; createdBy: string; createdAt: Date; updatedAt: Date;
  projectCount: number; pilotCount: number; milestoneCount: number; doneCount: number; overdueCount: number;
}

export interface ProjectRow {
  id: number; planId: number; name: string; developer: string; content: string; mode: string; parcelIds: number[]; areaIds: number[]; pilot: boolean;
  scheme: Record<string, string>; version: number; updatedBy: string; updatedAt: Date;
}

export interface MilestoneRow {
  id: number; projectId: number; name: string; plannedDate: string; responsibleUnit: string; doneDate: string | null; note: string | null;
  version: number; updatedBy: string; updatedAt: Date;
}

export interface LedgerDbRow extends MilestoneRow {
  projectName: string; developer: string; mode: string; pilot: boolean; planId: number; planTitle: string; planState: string; year: number;
  districtCode: string; districtName: string; policyVersion: number;
}

export interface ProjectFacts {
  name?: string; developer?: string; content?: string; mode?: string; parcelIds?: number[]; areaIds?: number[]; pilot?: boolean; scheme?: Record<string, string>;
}

export interface MilestoneFacts {
  name?: string; plannedDate?: string; responsibleUnit?: string; doneDate?: string | null; note?: string | null;
}

type Stale = { ok: false; currentVersion: number };

const overdueSql = (today: string) => sql<boolean>`(m.done_date IS NULL AND m.planned_date < ${today}::date)`;

const PLAN_COLUMNS = (today: string) => [
  sql<number>`p.id::int`.as('id'), 'p.district_code as districtCode', 'd.name as districtName', 'p.year', 'p.title', 'p.note', 'p.state', 'p.state_at as stateAt',
  'p.policy_version as policyVersion', 'p.version', 'p.created_by as createdBy', 'p.created_at as createdAt', 'p.updated_at as updatedAt',
  sql<number>`(SELECT count(*)::int FROM plan_projects j WHERE j.plan_id = p.id)`.as('projectCount'),
  sql<number>`(SELECT count(*)::int FROM plan_projects j WHERE j.plan_id = p.id AND j.pilot)`.as('pilotCount'),
  sql<number>`(SELECT count(*)::int FROM plan_milestones m JOIN plan_projects j ON j.id = m.project_id WHERE j.plan_id = p.id)`.as('milestoneCount'),
  sql<number>`(SELECT count(*)::int FROM plan_milestones m JOIN plan_projects j ON j.id = m.project_id WHERE j.plan_id = p.id AND m.done_date IS NOT NULL)`.as('doneCount'),
  sql<number>`(SELECT count(*)::int FROM plan_milestones m JOIN plan_projects j ON j.id = m.project_id WHERE j.plan_id = p.id AND ${overdueSql(today)})`.as('overdueCount'),
] as const;

const PROJECT_COLUMNS = [
  sql<number>`j.id::int`.as('id'), sql<number>`j.plan_id::int`.as('planId'), 'j.name', 'j.developer', 'j.content', 'j.mode',
  sql<number[]>`j.parcel_ids::int[]`.as('parcelIds'), sql<number[]>`j.area_ids::int[]`.as('areaIds'), 'j.pilot', 'j.scheme', 'j.version',
  'j.updated_by as updatedBy', 'j.updated_at as updatedAt',
] as const;

const MILESTONE_COLUMNS = [
  sql<number>`m.id::int`.as('id'), sql<number>`m.project_id::int`.as('projectId'), 'm.name', sql<string>`to_char(m.planned_date, 'YYYY-MM-DD')`.as('plannedDate'),
  'm.responsible_unit as responsibleUnit', sql<string | null>`to_char(m.done_date, 'YYYY-MM-DD')`.as('doneDate'), 'm.note', 'm.version',
  'm.updated_by as updatedBy', 'm.updated_at as updatedAt',
] as const;

function planFilters(db: Kysely<Database>, filters: PlanListQuery, scope: Scope) {
  let query = db.selectFrom('annual_plans as p').innerJoin('districts as d', 'd.code', 'p.district_code').where(scope.sqlCovers('p.district_code'));
  if (filters.district) query = query.where((eb) => eb.or([eb('p.district_code', '=', filters.district!), eb('d.parent_code', '=', filters.district!)]));
  if (filters.year) query = query.where('p.year', '=', filters.year);
  if (filters.state) query = query.where('p.state', '=', filters.state);
  return query;
}

function ledgerRows(db: Kysely<Database>, filters: LedgerQuery, scope: Scope, today: string, options: { unit?: boolean; overdue?: boolean } = {}) {
  let query = planFilters(db, filters, scope)
    .innerJoin('plan_projects as j', 'j.plan_id', 'p.id')
    .innerJoin('plan_milestones as m', 'm.project_id', 'j.id');
  if (filters.planId) query = query.where('p.id', '=', filters.planId);
  if (filters.unit && options.unit !== false) query = query.where('m.responsible_unit', '=', filters.unit);
  if (filters.overdue && options.overdue !== false) query = query.where(overdueSql(today));
  return query;
}

const toPolicy = (row: { version: number; modes: unknown; pilot_min: number; pilot_max: number; source: string; local_rule: boolean; note: string | null; created_by: string; created_at: unknown }): PlanPolicy => ({
  version: row.version, modes: row.modes as PlanPolicy['modes'], pilotMin: row.pilot_min, pilotMax: row.pilot_max, source: row.source, localRule: row.local_rule,
  note: row.note, createdBy: row.created_by, createdAt: new Date(row.created_at as string).toISOString(),
});

function projectColumns(facts: ProjectFacts): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  if (facts.name !== undefined) values.name = facts.name.trim();
  if (facts.developer !== undefined) values.developer = facts.developer.trim();
  if (facts.content !== undefined) values.content = facts.content.trim();
  if (facts.mode !== undefined) values.mode = facts.mode;
  if (facts.parcelIds !== undefined) values.parcel_ids = facts.parcelIds;
  if (facts.areaIds !== undefined) values.area_ids = facts.areaIds;
  if (facts.pilot !== undefined) values.pilot = facts.pilot;
  if (facts.scheme !== undefined) values.scheme = JSON.stringify(facts.scheme);
  return values;
}

function milestoneColumns(facts: MilestoneFacts): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  if (facts.name !== undefined) values.name = facts.name.trim();
  if (facts.plannedDate !== undefined) values.planned_date = facts.plannedDate;
  if (facts.responsibleUnit !== undefined) values.responsible_unit = facts.responsibleUnit.trim();
  if (facts.doneDate !== undefined) values.done_date = facts.doneDate;
  if (facts.note !== undefined) values.note = facts.note?.trim() || null;
  return values;
}

/** 年度实施计划 (annual_plans, annual_plan_steps, plan_projects, plan_milestones, annual_plan_policies): the only code that reads or writes them. */
export function createAnnualPlansRepository(db: DatabaseClient) {
  return {
    async policy(version?: number): Promise<PlanPolicy> {
      let query = db.selectFrom('annual_plan_policies').selectAll();
      query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
      return toPolicy(await query.executeTakeFirstOrThrow());
    },

    async policies(): Promise<PlanPolicy[]> {
      return (await db.selectFrom('annual_plan_policies').selectAll().orderBy('version', 'desc').execute()).map(toPolicy);
    },

    /** Labels of every 盘活模式 code any version had (newest label wins). */
    async modeLabels(): Promise<Map<string, string>> {
      const labels = new Map<string, string>();
      for (const policy of (await this.policies()).reverse()) for (const mode of policy.modes) labels.set(mode.code, mode.label);
      return labels;
    },

    async revisePolicy(revision: PlanPolicyRevision, actor: Actor): Promise<PlanPolicy> {
      return writeAs(db, actor, async (transaction) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext('annual_plan_policies'))`.execute(transaction);
        const { next } = await transaction.selectFrom('annual_plan_policies').select(sql<number>`coalesce(max(version), 0) + 1`.as('next')).executeTakeFirstOrThrow();
        const row = await transaction.insertInto('annual_plan_policies').values({
          version: next, modes: JSON.stringify(revision.modes), pilot_min: revision.pilotMin, pilot_max: revision.pilotMax, source: revision.source.trim(),
          local_rule: revision.localRule, note: revision.note?.trim() || null, created_by: actor.name,
        }).returningAll().executeTakeFirstOrThrow();
        return toPolicy(row);
      });
    },

    async list(filters: PlanListQuery, scope: Scope, today: string): Promise<PlanRow[]> {
      return await planFilters(db, filters, scope).select(PLAN_COLUMNS(today) as never).orderBy('p.year', 'desc').orderBy('p.district_code').execute() as unknown as PlanRow[];
    },

    async find(id: number, today: string): Promise<PlanRow | undefined> {
      return await db.selectFrom('annual_plans as p').innerJoin('districts as d', 'd.code', 'p.district_code').select(PLAN_COLUMNS(today) as never)
        .where('p.id', '=', id).executeTakeFirst() as unknown as PlanRow | undefined;
    },

    async findByYear(districtCode: string, year: number): Promise<number | undefined> {
      const row = await db.selectFrom('annual_plans').select(sql<number>`id::int`.as('id')).where('district_code', '=', districtCode).where('year', '=', year).executeTakeFirst();
      return row?.id;
    },

    async projects(planId: number): Promise<ProjectRow[]> {
      return await db.selectFrom('plan_projects as j').select(PROJECT_COLUMNS as never).where('j.plan_id', '=', planId).orderBy('j.id').execute() as unknown as ProjectRow[];
    },

    async project(id: number): Promise<ProjectRow | undefined> {
      return await db.selectFrom('plan_projects as j').select(PROJECT_COLUMNS as never).where('j.id', '=', id).executeTakeFirst() as unknown as ProjectRow | undefined;
    },

    async milestones(planId: number): Promise<MilestoneRow[]> {
      return await db.selectFrom('plan_milestones as m').innerJoin('plan_projects as j', 'j.id', 'm.project_id').select(MILESTONE_COLUMNS as never)
        .where('j.plan_id', '=', planId).orderBy('m.planned_date').orderBy('m.id').execute() as unknown as MilestoneRow[];
    },

    async milestone(id: number): Promise<(MilestoneRow & { planId: number }) | undefined> {
      return await db.selectFrom('plan_milestones as m').innerJoin('plan_projects as j', 'j.id', 'm.project_id')
        .select([...MILESTONE_COLUMNS, sql<number>`j.plan_id::int`.as('planId')] as never).where('m.id', '=', id).executeTakeFirst() as unknown as (MilestoneRow & { planId: number }) | undefined;
    },

    async steps(planId: number) {
      return db.selectFrom('annual_plan_steps').select(['from_state as from', 'to_state as to', 'reason', 'actor', 'actor_name as actorName', 'at'])
        .where('plan_id', '=', planId).orderBy('id').execute();
    },

    /** The 台账: milestones of the selected plans with their project and plan, counts per responsible unit. */
    async ledger(filters: LedgerQuery, scope: Scope, today: string) {
      const rows = await ledgerRows(db, filters, scope, today).select([
        ...MILESTONE_COLUMNS, 'j.name as projectName', 'j.developer', 'j.mode', 'j.pilot', sql<number>`p.id::int`.as('planId'), 'p.title as planTitle',
        'p.state as planState', 'p.year', 'p.district_code as districtCode', 'd.name as districtName', 'p.policy_version as policyVersion',
      ] as never).orderBy(sql`(m.done_date IS NULL AND m.planned_date < ${today}::date) DESC`).orderBy('m.planned_date').orderBy('m.id').limit(5000).execute() as unknown as LedgerDbRow[];
      const units = await ledgerRows(db, filters, scope, today, { unit: false, overdue: false }).select([
        'm.responsible_unit as unit', sql<number>`count(*)::int`.as('total'), sql<number>`count(*) FILTER (WHERE ${overdueSql(today)})::int`.as('overdue'),
        sql<number>`count(m.done_date)::int`.as('done'),
      ]).groupBy('m.responsible_unit').orderBy('m.responsible_unit').execute();
      return { rows, units };
    },

    /** Linked parcels (code, district) and areas (name, district) that exist. */
    async links(parcelIds: readonly number[], areaIds: readonly number[]) {
      const parcels = parcelIds.length === 0 ? [] : await db.selectFrom('parcels').select([sql<number>`id::int`.as('id'), 'code', 'district_code as districtCode']).where('id', 'in', [...parcelIds]).execute();
      const areas = areaIds.length === 0 ? [] : await db.selectFrom('areas').select([sql<number>`id::int`.as('id'), 'name', 'district_code as districtCode']).where('id', 'in', [...areaIds]).where('deleted_at', 'is', null).execute();
      return { parcels, areas };
    },

    async create(districtCode: string, year: number, title: string, note: string | null, policyVersion: number, actor: Actor): Promise<{ ok: true; id: number } | { ok: false; id: number }> {
      return writeAs(db, actor, async (transaction) => {
        const inserted = await transaction.insertInto('annual_plans').values({
          district_code: districtCode, year, title, note, policy_version: policyVersion, created_by: actor.name, updated_by: actor.name,
        }).onConflict((conflict) => conflict.columns(['district_code', 'year']).doNothing()).returning('id').executeTakeFirst();
        if (inserted) return { ok: true as const, id: Number(inserted.id) };
        const { id } = await transaction.selectFrom('annual_plans').select('id').where('district_code', '=', districtCode).where('year', '=', year).executeTakeFirstOrThrow();
        return { ok: false as const, id: Number(id) };
      });
    },

    async update(id: number, facts: { title?: string; note?: string | null }, expectedVersion: number, actor: Actor): Promise<{ ok: true } | Stale> {
      return writeAs(db, actor, async (transaction) => {
        const values: Record<string, unknown> = { updated_by: actor.name };
        if (facts.title !== undefined) values.title = facts.title.trim();
        if (facts.note !== undefined) values.note = facts.note?.trim() || null;
        const updated = await transaction.updateTable('annual_plans').set(values).where('id', '=', id).where('version', '=', expectedVersion).returning('id').executeTakeFirst();
        if (updated) return { ok: true as const };
        const { version } = await transaction.selectFrom('annual_plans').select('version').where('id', '=', id).executeTakeFirstOrThrow();
        return { ok: false as const, currentVersion: version };
      });
    },

    /** Moves a plan (who, when, why in annual_plan_steps) if still at `expectedVersion` and `from`. */
    async transition(id: number, from: string, to: string, reason: string | null, expectedVersion: number, actor: Actor & { displayName: string }) {
      return writeAs(db, actor, async (transaction) => {
        const updated = await transaction.updateTable('annual_plans').set({ state: to, state_at: sql`now()`, updated_by: actor.name })
          .where('id', '=', id).where('version', '=', expectedVersion).where('state', '=', from).returning('id').executeTakeFirst();
        if (!updated) {
          const current = await transaction.selectFrom('annual_plans').select(['version', 'state']).where('id', '=', id).executeTakeFirstOrThrow();
          return { ok: false as const, currentVersion: current.version, state: current.state };
        }
        await transaction.insertInto('annual_plan_steps').values({ plan_id: id, from_state: from, to_state: to, reason, actor: actor.name, actor_name: actor.displayName }).execute();
        return { ok: true as const };
      });
    },

    /** Adds a project to a plan still in `state` (under the plan's row lock, so a concurrent step cannot slip between). */
    async addProject(planId: number, state: string, facts: Required<Pick<ProjectFacts, 'name' | 'developer' | 'content' | 'mode'>> & ProjectFacts, actor: Actor): Promise<number | null> {
      return writeAs(db, actor, async (transaction) => {
        const plan = await transaction.selectFrom('annual_plans').select('state').where('id', '=', planId).forUpdate().executeTakeFirstOrThrow();
        if (plan.state !== state) return null;
        const { id } = await transaction.insertInto('plan_projects').values({
          ...projectColumns(facts), plan_id: planId, created_by: actor.name, updated_by: actor.name,
        } as never).returning('id').executeTakeFirstOrThrow();
        return Number(id);
      });
    },

    async updateProject(id: number, planId: number, state: string, facts: ProjectFacts, expectedVersion: number, actor: Actor): Promise<{ ok: true } | Stale | { ok: false; state: string }> {
      return writeAs(db, actor, async (transaction) => {
        const plan = await transaction.selectFrom('annual_plans').select('state').where('id', '=', planId).forUpdate().executeTakeFirstOrThrow();
        if (plan.state !== state) return { ok: false as const, state: plan.state };
        const updated = await transaction.updateTable('plan_projects').set({ ...projectColumns(facts), updated_by: actor.name } as never)
          .where('id', '=', id).where('version', '=', expectedVersion).returning('id').executeTakeFirst();
        if (updated) return { ok: true as const };
        const { version } = await transaction.selectFrom('plan_projects').select('version').where('id', '=', id).executeTakeFirstOrThrow();
        return { ok: false as const, currentVersion: version };
      });
    },

    async addMilestone(projectId: number, facts: Required<Pick<MilestoneFacts, 'name' | 'plannedDate' | 'responsibleUnit'>> & MilestoneFacts, actor: Actor): Promise<number> {
      return writeAs(db, actor, async (transaction) => {
        const { id } = await transaction.insertInto('plan_milestones').values({
          ...milestoneColumns(facts), project_id: projectId, created_by: actor.name, updated_by: actor.name,
        } as never).returning('id').executeTakeFirstOrThrow();
        return Number(id);
      });
    },

    async updateMilestone(id: number, facts: MilestoneFacts, expectedVersion: number, actor: Actor): Promise<{ ok: true } | Stale> {
      return writeAs(db, actor, async (transaction) => {
        const updated = await transaction.updateTable('plan_milestones').set({ ...milestoneColumns(facts), updated_by: actor.name } as never)
          .where('id', '=', id).where('version', '=', expectedVersion).returning('id').executeTakeFirst();
        if (updated) return { ok: true as const };
        const { version } = await transaction.selectFrom('plan_milestones').select('version').where('id', '=', id).executeTakeFirstOrThrow();
        return { ok: false as const, currentVersion: version };
      });
    },
  };
}

export type AnnualPlansRepository = ReturnType<typeof createAnnualPlansRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    annualPlansRepository: AnnualPlansRepository;
  }
}

export const annualPlansRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('annualPlansRepository', createAnnualPlansRepository(app.db));
}, { name: 'annual-plans-repository', dependencies: ['database'] });
