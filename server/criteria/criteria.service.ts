import fp from 'fastify-plugin';
import type { Transaction } from 'kysely';
import type {
  CriteriaDecision, CriteriaRun, CriteriaRunParcel, CriteriaRunParcelPage, CriteriaSet, CriteriaSetCreate, CriteriaSetEdit, CriteriaSetStep, Criterion,
} from '../../domain/api/criteria.schemas.js';
import {
  CRITERIA_SET_NOT_DRAFT, CRITERIA_SET_STEPS, ILLEGAL_STEP, NO_PUBLISHED_CRITERIA, STALE_CRITERIA_VERSION, criteriaProblems, evaluateParcel,
} from '../../domain/identification/criteria.js';
import { measureLabel } from '../../domain/identification/measures.js';
import type { AppInstance } from '../app-instance.js';
import type { Caller } from './caller.js';
import type { Principal } from '../auth/principal.js';
import { writeAs } from '../db/actor.js';
import type { Database } from '../db/schema.js';
import { ApiError, InvalidParameterError, InvalidValuesError, NotFoundError, criteriaRefusalError } from '../errors.js';
import type { CriteriaSetContent, RunParcelRow, StoredRunParcel } from './criteria.repository.js';


const today = () => new Date().toISOString().slice(0, 10);

const contentOf = (set: CriteriaSet): CriteriaSetContent => ({
  name: set.name, state: set.state, example: set.example, approvalAuthority: set.approvalAuthority, documentNo: set.documentNo,
  approvedOn: set.approvedOn, publishedOn: set.publishedOn, retiredOn: set.retiredOn, criteria: set.criteria, note: set.note,
});

function assertCriteria(criteria: readonly Criterion[]): void {
  const problems = criteriaProblems(criteria);
  if (problems.length > 0) throw new InvalidValuesError(problems);
}

/** A run's rows with each criterion and measure named. */
function named(criteria: readonly Criterion[], items: readonly StoredRunParcel[]): CriteriaRunParcel[] {
  const names = new Map(criteria.map((criterion) => [criterion.id, criterion.name]));
  return items.map((item) => ({
    ...item,
    hits: item.hits.map((hit) => ({ ...hit, criterionName: names.get(hit.criterionId) ?? hit.criterionId, measureLabel: measureLabel(hit.measure) })),
    incomplete: item.incomplete.map((gap) => ({ ...gap, criterionName: names.get(gap.criterionId) ?? gap.criterionId, measureLabel: measureLabel(gap.measure) })),
  }));
}

/**
 * What a reviewer's 纳入认定 starts: the one call site of the 认定案卷 (h-cases'
 * `identificationCases.open(transaction, { parcelId, principal, sourceRunId, note })`, wired on merge).
 * Until then the decision itself is the record.
 */
export type OpenCase = (transaction: Transaction<Database>, request: { parcelId: number; principal: Principal; sourceRunId: number; note?: string }) => Promise<unknown>;

/**
 * 认定标准 and 初筛: sets move through their states by the rules of domain/identification/criteria.ts,
 * every change a new version; a run evaluates every parcel of a district in domain code over one
 * read, records the flags, and never changes a parcel's status.
 */
export function createCriteriaService(app: AppInstance, openCase: OpenCase | null = null) {
  const repository = app.criteriaRepository;

  async function setInScope(id: number, caller: Caller, verb: '查看' | '修改'): Promise<CriteriaSet> {
    const set = await repository.find(id);
    if (!set) throw new NotFoundError(`没有编号为 ${id} 的认定标准。`);
    const district = { code: set.districtCode, name: set.districtName };
    if (verb === '查看') caller.scope.assertReadable(district, '该认定标准');
    else caller.scope.assertWritable(district, '该认定标准');
    return set;
  }

  async function district(code: string, caller: Caller, verb: string): Promise<{ code: string; name: string }> {
    const found = await app.districtsRepository.find(code);
    if (!found) throw new InvalidParameterError('districtCode', `没有代码为 ${code} 的区县，请从行政区列表中选择。`);
    caller.scope.assertWritable({ code: found.code, name: found.name }, `${found.name}的认定标准`, verb);
    return { code: found.code, name: found.name };
  }

  return {
    setInScope,

    async create(body: CriteriaSetCreate, caller: Caller): Promise<CriteriaSet> {
      await district(body.districtCode, caller, '制定');
      assertCriteria(body.criteria);
      const id = await writeAs(app.db, { name: caller.principal.username, requestId: caller.requestId }, (transaction) =>
        repository.create(transaction, body.districtCode, {
          name: body.name, state: 'draft', example: false, approvalAuthority: null, documentNo: null, approvedOn: null,
          publishedOn: null, retiredOn: null, criteria: body.criteria, note: body.note ?? null,
        }, { name: caller.principal.username, requestId: caller.requestId }));
      return (await repository.find(id))!;
    },

    async edit(id: number, body: CriteriaSetEdit, caller: Caller): Promise<CriteriaSet> {
      await setInScope(id, caller, '修改');
      assertCriteria(body.criteria);
      await writeAs(app.db, { name: caller.principal.username, requestId: caller.requestId }, async (transaction) => {
        const set = (await repository.find(id, transaction, true))!;
        if (set.state !== 'draft') throw criteriaRefusalError({ reason: CRITERIA_SET_NOT_DRAFT, state: set.state });
        if (set.version !== body.version) throw criteriaRefusalError({ reason: STALE_CRITERIA_VERSION, current: set.version, given: body.version });
        await repository.revise(transaction, set, { ...contentOf(set), name: body.name, criteria: body.criteria, note: body.note ?? null }, 'edit',
          { name: caller.principal.username, requestId: caller.requestId });
      });
      return (await repository.find(id))!;
    },

    /** One state step; publishing retires the district's previously published set in the same transaction. */
    async step(id: number, body: CriteriaSetStep, caller: Caller): Promise<CriteriaSet> {
      await setInScope(id, caller, '修改');
      const actor = { name: caller.principal.username, requestId: caller.requestId };
      await writeAs(app.db, actor, async (transaction) => {
        const set = (await repository.find(id, transaction, true))!;
        if (set.version !== body.version) throw criteriaRefusalError({ reason: STALE_CRITERIA_VERSION, current: set.version, given: body.version });
        const allowed = CRITERIA_SET_STEPS[set.state];
        if (!allowed.includes(body.state)) {
          throw criteriaRefusalError({ reason: ILLEGAL_STEP, subject: `认定标准“${set.name}”`, from: set.state, to: body.state, allowed });
        }
        const content: CriteriaSetContent = { ...contentOf(set), state: body.state, note: body.note ?? set.note };
        if (body.state === 'approved') {
          const missing = (['approvalAuthority', 'documentNo', 'approvedOn'] as const).filter((key) => !body[key]);
          if (missing.length > 0) {
            const labels = { approvalAuthority: '批准机关', documentNo: '文号', approvedOn: '批准日期' };
            throw new InvalidParameterError(missing[0], `批准认定标准须填写${missing.map((key) => labels[key]).join('、')}（如 区人民政府、厦湖政〔2026〕12号、2026-03-01）。`);
          }
          Object.assign(content, { approvalAuthority: body.approvalAuthority!, documentNo: body.documentNo!, approvedOn: body.approvedOn! });
        }
        if (body.state === 'draft') Object.assign(content, { approvalAuthority: null, documentNo: null, approvedOn: null });
        if (body.state === 'published') {
          content.publishedOn = body.publishedOn ?? today();
          const previous = await repository.published(set.districtCode, transaction, true);
          if (previous && previous.id !== set.id) {
            await repository.revise(transaction, previous, { ...contentOf(previous), state: 'retired', retiredOn: content.publishedOn, note: `被新发布的认定标准“${set.name}”（编号 ${set.id}）替代` }, 'retired', actor);
          }
        }
        if (body.state === 'retired') content.retiredOn = body.retiredOn ?? today();
        await repository.revise(transaction, set, content, body.state, actor);
      });
      return (await repository.find(id))!;
    },

    /** Runs the district's published set over its parcels: flags only. */
    async run(districtCode: string, referenceDate: string | undefined, caller: Caller): Promise<CriteriaRun> {
      const place = await district(districtCode, caller, '初筛');
      const set = await repository.published(districtCode);
      if (!set) throw criteriaRefusalError({ reason: NO_PUBLISHED_CRITERIA, district: place.name });
      const date = referenceDate ?? today();
      const parcels = await repository.runInputs(districtCode);
      const rows: RunParcelRow[] = [];
      for (const parcel of parcels) {
        const evaluation = evaluateParcel(set.criteria, parcel, { referenceDate: date });
        if (evaluation.hits.length > 0 || evaluation.incomplete.length > 0) rows.push({ parcelId: parcel.id, parcelCode: parcel.code, ...evaluation });
      }
      const id = await writeAs(app.db, { name: caller.principal.username, requestId: caller.requestId }, (transaction) =>
        repository.recordRun(transaction, { districtCode, setId: set.id, setVersion: set.version, referenceDate: date, evaluated: parcels.length, runBy: caller.principal.username }, rows));
      return (await repository.run(id))!;
    },

    async runInScope(id: number, caller: Caller): Promise<CriteriaRun> {
      const run = await repository.run(id);
      if (!run) throw new NotFoundError(`没有编号为 ${id} 的初筛记录。`);
      caller.scope.assertReadable({ code: run.districtCode, name: run.districtName }, '该初筛记录');
      return run;
    },

    async runParcels(id: number, query: { filter?: 'flagged' | 'incomplete' | 'all'; page?: number; pageSize?: number }, caller: Caller): Promise<CriteriaRunParcelPage> {
      const run = await this.runInScope(id, caller);
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 100;
      const { total, items } = await repository.runParcels(id, query.filter ?? 'all', page, pageSize);
      return { run, total, page, pageSize, items: named(await repository.runCriteria(id), items) };
    },

    /** A reviewer's decision: 纳入认定 (opens the 认定案卷 once wired), 排除 with a reason, or 待定. */
    async decide(runId: number, parcelId: number, body: CriteriaDecision, caller: Caller): Promise<CriteriaRunParcel> {
      const run = await this.runInScope(runId, caller);
      caller.scope.assertWritable({ code: run.districtCode, name: run.districtName }, '该初筛记录', '决定');
      const reason = body.reason?.trim() ? body.reason.trim() : null;
      if (body.decision === 'exclude' && !reason) throw new InvalidParameterError('reason', '排除须写明理由（如“已核实：实际税收达标，数据有误”），请填写后再提交。');
      const actor = { name: caller.principal.username, requestId: caller.requestId };
      await writeAs(app.db, actor, async (transaction) => {
        const before = await repository.runParcel(runId, parcelId, transaction, true);
        if (!before) throw new NotFoundError(`初筛 ${runId} 没有列出地块 ${parcelId}：只能对列出的地块作出决定。`);
        if (before.decision === 'include') {
          throw new ApiError(409, 'already_included', `地块 ${before.parcelCode} 已纳入认定，不能再改为其他决定；如需终止，请在认定案卷中办理。`, { parcelId });
        }
        await repository.decide(transaction, runId, parcelId, { decision: body.decision, reason }, { decision: before.decision, reason: before.reason }, actor);
        if (body.decision === 'include' && openCase) {
          await openCase(transaction, { parcelId, principal: caller.principal, sourceRunId: runId, note: reason ?? undefined });
        }
      });
      const { items } = await repository.runParcels(runId, 'all', 1, 1, parcelId);
      return named(await repository.runCriteria(runId), items)[0];
    },
  };
}

export type CriteriaService = ReturnType<typeof createCriteriaService>;

declare module 'fastify' {
  interface FastifyInstance {
    criteriaService: CriteriaService;
  }
}

export const criteriaServicePlugin = fp(async (app: AppInstance) => {
  // 纳入认定 opens the parcel's 认定案卷 (列入清单) in the decision's own transaction.
  app.decorate('criteriaService', createCriteriaService(app, (transaction, request) => app.identificationCases.open(transaction, request)));
}, { name: 'criteria-service', dependencies: ['criteria-repository', 'districts-repository', 'identification-service'] });
