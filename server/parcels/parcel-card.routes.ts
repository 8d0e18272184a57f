import { ErrorBody } from '../../domain/api/common.schemas.js';
import { BoundariesProposal, ParcelYearlyFigures, ParcelYearlyFiguresPut } from '../../domain/api/parcel-card.schemas.js';
import { ParcelIdParams, type ParcelDetail } from '../../domain/api/parcels.schemas.js';
import { recentYearsSummary, yearlyFigureRefusal, yearlySeriesProblems, yearlySeriesRevision } from '../../domain/parcel-yearly.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import { writeAs } from '../db/actor.js';
import { InvalidValuesError, NotFoundError, StaleYearlySeriesError } from '../errors.js';

/**
 * The parts of the 一宗一卡 beside the parcel's own columns: the yearly 产值/税收 with 近三年 figures
 * (seed 003 附件4) and the 四至 proposed from the neighbouring land (seed 000 五(一)).
 */
export async function parcelCardRoutes(app: AppInstance): Promise<void> {
  const parcels = app.parcelsRepository;

  async function parcelOf(id: number): Promise<ParcelDetail> {
    const parcel = await parcels.find(id);
    if (!parcel) throw new NotFoundError(`没有编号为 ${id} 的地块`, { parameter: 'id' });
    return parcel;
  }

  app.get('/api/parcels/:id/yearly', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['parcels'],
      summary: '年度产值、税收 (万元) with 近三年总产值, 近三年税收总额 and 近三年平均 (万元/亩)',
      params: ParcelIdParams,
      response: { 200: ParcelYearlyFigures, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const parcel = await parcelOf(request.params.id);
    scopeOf(request).assertReadable({ code: parcel.districtCode, name: parcel.districtName });
    const items = await parcels.yearlyFigures(parcel.id);
    return { items, summary: recentYearsSummary(items, parcel), revision: yearlySeriesRevision(items) };
  });

  app.put('/api/parcels/:id/yearly', {
    config: { permission: 'parcels:edit-survey', explainInvalid: yearlyFigureRefusal },
    schema: {
      tags: ['parcels'],
      summary: '修改年度产值、税收: the whole series as it should be (each changed year recorded in history), made on the revision `expectedRevision` (409 stale_version when it changed meanwhile)',
      params: ParcelIdParams,
      body: ParcelYearlyFiguresPut,
      response: { 200: ParcelYearlyFigures, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const parcel = await parcelOf(request.params.id);
    scopeOf(request).assertWritable({ code: parcel.districtCode, name: parcel.districtName });
    const problems = yearlySeriesProblems(request.body.items);
    if (problems.length > 0) throw new InvalidValuesError(problems);
    const conflict = await writeAs(app.db, { name: principal.username, requestId: request.id }, (transaction) =>
      parcels.replaceYearlyFigures(transaction, parcel.id, request.body.items, principal.username, request.body.expectedRevision));
    if (conflict) throw new StaleYearlySeriesError(conflict.currentRevision, conflict.current);
    const items = await parcels.yearlyFigures(parcel.id);
    return { items, summary: recentYearsSummary(items, parcel), revision: yearlySeriesRevision(items) };
  });

  app.get('/api/parcels/:id/boundaries-proposal', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['parcels'],
      summary: '四至建议: the nearest parcel (owner or 宗地编号) or road on each side within 100 m',
      params: ParcelIdParams,
      response: { 200: BoundariesProposal, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const parcel = await parcelOf(request.params.id);
    const scope = scopeOf(request);
    scope.assertReadable({ code: parcel.districtCode, name: parcel.districtName });
    return await parcels.boundariesProposal(parcel.id, scope);
  });
}
