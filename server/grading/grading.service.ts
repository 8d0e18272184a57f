import fp from 'fastify-plugin';
import type { GradeExplanation, GradingRun, GradingScheme, GradingSchemeRevision } from '../../domain/api/grading.schemas.js';
import { NO_GRADING_SCHEME } from '../../domain/identification/criteria.js';
import { gradingSchemeProblems } from '../../domain/identification/grading.js';
import { measureOf } from '../../domain/identification/measures.js';
import { recordEvent } from '../admin/audit.repository.js';
import type { AppInstance } from '../app-instance.js';
import type { Caller } from '../criteria/caller.js';
import type { Principal } from '../auth/principal.js';
import { writeAs } from '../db/actor.js';
import { InvalidParameterError, InvalidValuesError, NotFoundError, criteriaRefusalError } from '../errors.js';


/**
 * 综合评价分级: schemes as versioned data; a run grades every parcel of a district the scheme covers
 * (measures computed in domain code over one read, the grading itself one statement), writes the
 * changed grades (one history row per parcel, one audit entry for the batch) and keeps each grade's
 * figures so the card can say why.
 */
export function createGradingService(app: AppInstance) {
  const repository = app.gradingRepository;

  async function district(code: string, caller: Caller, verb: string) {
    const found = await app.districtsRepository.find(code);
    if (!found || found.level !== 'district') throw new InvalidParameterError(code === undefined ? 'district' : 'districtCode', `没有代码为 ${code} 的区县，请从行政区列表中选择。`);
    caller.scope.assertWritable({ code: found.code, name: found.name }, `${found.name}的综合评价`, verb);
    return found;
  }

  return {
    async revise(districtCode: string, scheme: GradingSchemeRevision, caller: Caller): Promise<GradingScheme> {
      await district(districtCode, caller, '修改');
      const problems = gradingSchemeProblems(scheme);
      if (problems.length > 0) throw new InvalidValuesError(problems);
      const actor = { name: caller.principal.username, requestId: caller.requestId };
      await writeAs(app.db, actor, (transaction) => repository.revise(transaction, districtCode, scheme, actor));
      return (await repository.current(caller.scope, districtCode))[0];
    },

    async run(districtCode: string, caller: Caller): Promise<GradingRun> {
      const place = await district(districtCode, caller, '分级');
      const [scheme] = await repository.current(caller.scope, districtCode);
      if (!scheme) throw criteriaRefusalError({ reason: NO_GRADING_SCHEME, district: place.name });
      const referenceDate = new Date().toISOString().slice(0, 10);
      const measures = scheme.measures.map((entry) => ({ ...entry, definition: measureOf(entry.measure)! }));
      const inputs = (await repository.inputs(districtCode, scheme.landUses)).map((parcel) => ({
        id: parcel.id,
        values: Object.fromEntries(measures.map(({ measure, definition }) => {
          const result = definition.compute(parcel, { referenceDate });
          return [measure, 'value' in result && typeof result.value === 'number' ? result.value : null];
        })),
      }));
      const actor = { name: caller.principal.username, requestId: caller.requestId };
      const outcome = await writeAs(repository.batch, actor, async (transaction) => {
        const row = await repository.grade(transaction, {
          districtCode, schemeVersion: scheme.version, cutoffs: scheme.cutoffs, actor: actor.name, inputs,
          weights: measures.map(({ measure, weight, definition }) => ({ measure, weight, higher: definition.higherIsBetter !== false })),
        });
        await recordEvent(transaction, {
          entity: 'parcels', entityId: '*', action: 'bulk_edit', actor: actor.name, requestId: actor.requestId, before: null,
          after: { field: 'evaluationGrade', label: '综合评价等级', gradingRunId: row.id, district: districtCode, schemeVersion: scheme.version, count: row.changed, counts: row.counts },
        });
        return row;
      });
      if (outcome.bbox) app.tileCache.invalidate('parcels', [outcome.bbox]);
      return (await repository.run(outcome.id))!;
    },

    /** Why the parcel has its grade: the latest run's figures, each measure named. */
    async explanation(parcelId: number, caller: Caller): Promise<GradeExplanation> {
      const parcel = await app.parcelsRepository.find(parcelId);
      if (!parcel) throw new NotFoundError(`没有编号为 ${parcelId} 的地块。`);
      caller.scope.assertReadable({ code: parcel.districtCode, name: parcel.districtName ?? parcel.districtCode });
      const stored = await repository.explanation(parcelId);
      if (!stored) throw new NotFoundError(`地块 ${parcel.code} 还没有参加过综合评价分级。`, { reason: 'not_graded' });
      return {
        ...stored,
        figures: stored.figures.map((figure) => ({ ...figure, label: measureOf(figure.measure)?.label ?? figure.measure, unit: measureOf(figure.measure)?.unit ?? '' })),
      };
    },
  };
}

export type GradingService = ReturnType<typeof createGradingService>;

declare module 'fastify' {
  interface FastifyInstance {
    gradingService: GradingService;
  }
}

export const gradingServicePlugin = fp(async (app: AppInstance) => {
  app.decorate('gradingService', createGradingService(app));
}, { name: 'grading-service', dependencies: ['grading-repository', 'districts-repository', 'parcels-repository', 'tile-service'] });
