import { ErrorBody } from '../../domain/api/common.schemas.js';
import {
  MergeBody, MergeCheck, MergeCheckBody, MergeResult, ParcelLineage, SplitBody, SplitPreview, SplitPreviewBody, SplitResult,
} from '../../domain/api/parcel-lineage.schemas.js';
import { ParcelIdParams, type ParcelDetail } from '../../domain/api/parcels.schemas.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import type { Scope } from '../auth/scope.js';
import { writeAs } from '../db/actor.js';
import { InvalidParameterError, NotFoundError, RetiredParcelError, StaleVersionError, lineageRefusalError } from '../errors.js';

/** A live parcel, or 410 naming the successors of a retired one, or 404. */
export async function findLiveParcel(app: AppInstance, id: number): Promise<ParcelDetail> {
  const parcel = await app.parcelsRepository.find(id);
  if (parcel) return parcel;
  const retired = await app.parcelLineageRepository.retired(id);
  if (retired) throw new RetiredParcelError(retired);
  throw new NotFoundError(`没有编号为 ${id} 的地块`, { parameter: 'id' });
}

/** The live parcels, each in the writer's districts (403 naming the first that is not). */
async function writableParcels(app: AppInstance, ids: readonly number[], scope: Scope, verb: string): Promise<ParcelDetail[]> {
  const found: ParcelDetail[] = [];
  for (const id of ids) {
    const parcel = await findLiveParcel(app, id);
    scope.assertWritable({ code: parcel.districtCode, name: parcel.districtName }, `地块 ${parcel.code}`, verb);
    found.push(parcel);
  }
  return found;
}

const SPLIT_MERGE_RESPONSES = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 410: ErrorBody, 422: ErrorBody };

/**
 * Split (土地分割) and merge (并宗) of parcels, by those who may edit parcel shapes (surveyors,
 * administrators), of parcels in their districts. The old parcels are retired into the archive,
 * not deleted; every operation is one lineage row and one audit entry.
 */
export async function parcelLineageRoutes(app: AppInstance): Promise<void> {
  const lineage = app.parcelLineageRepository;

  app.post('/api/parcels/:id/split/preview', {
    config: { permission: 'parcels:edit-geometry', heavy: true },
    schema: {
      tags: ['parcels'],
      summary: '分割预览: the parts a drawn line would make, with their codes and ellipsoidal areas (nothing is written)',
      params: ParcelIdParams,
      body: SplitPreviewBody,
      response: { 200: SplitPreview, ...SPLIT_MERGE_RESPONSES },
    },
  }, async (request) => {
    await writableParcels(app, [request.params.id], scopeOf(request), '分割');
    const preview = await lineage.previewSplit(request.params.id, request.body.line, request.body.codes);
    if ('refusal' in preview) throw lineageRefusalError(preview.refusal);
    return preview;
  });

  app.post('/api/parcels/:id/split', {
    config: { permission: 'parcels:edit-geometry', heavy: true },
    schema: {
      tags: ['parcels'],
      summary: '分割地块: cut by a line into parts, each a new parcel (own 宗地编号, share of the area, attributes copied); the old one is retired',
      params: ParcelIdParams,
      body: SplitBody,
      response: { 201: SplitResult, ...SPLIT_MERGE_RESPONSES },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const [parcel] = await writableParcels(app, [request.params.id], scopeOf(request), '分割');
    const { version, line, codes, note } = request.body;
    const outcome = await writeAs(app.db, { name: principal.username, requestId: request.id }, async (transaction) =>
      lineage.split(transaction, { id: parcel.id, version, line, codes }, { actor: principal.username, requestId: request.id, note }));
    if ('conflicts' in outcome) throw new StaleVersionError(outcome.conflicts, 'version');
    if ('refusal' in outcome) throw lineageRefusalError(outcome.refusal);
    const children = await Promise.all(outcome.childIds.map(async (id) => (await app.parcelsRepository.find(id))!));
    app.tileCache.invalidate('parcels', [parcel.bbox, ...children.map((child) => child.bbox)]);
    return reply.code(201).send({ operation: outcome.operation, wholeM2: outcome.wholeM2, sumM2: outcome.sumM2, parcels: children });
  });

  app.post('/api/parcels/merge/check', {
    config: { permission: 'parcels:edit-geometry' },
    schema: {
      tags: ['parcels'],
      summary: '并宗条件: 边界相邻, 土地权利人、权属性质、土地用途一致, 同一行政区 — each ✓/✗ with what was found (nothing is written)',
      body: MergeCheckBody,
      response: { 200: MergeCheck, ...SPLIT_MERGE_RESPONSES },
    },
  }, async (request) => {
    await writableParcels(app, request.body.ids, scopeOf(request), '合并');
    return lineage.checkMerge(app.db, request.body.ids);
  });

  app.post('/api/parcels/merge', {
    config: { permission: 'parcels:edit-geometry', heavy: true },
    schema: {
      tags: ['parcels'],
      summary: '合并地块 (并宗): adjacent parcels of one owner, 权属性质, land use and district become one; refused naming the condition that fails',
      body: MergeBody,
      response: { 201: MergeResult, ...SPLIT_MERGE_RESPONSES },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const ids = request.body.parcels.map((parcel) => parcel.id);
    if (new Set(ids).size !== ids.length) throw new InvalidParameterError('parcels', '同一地块在 parcels 中出现了多次：每宗地块只列一次');
    const parents = await writableParcels(app, ids, scopeOf(request), '合并');
    const outcome = await writeAs(app.db, { name: principal.username, requestId: request.id }, async (transaction) =>
      lineage.merge(transaction, { parcels: request.body.parcels, code: request.body.code }, { actor: principal.username, requestId: request.id, note: request.body.note }));
    if ('conflicts' in outcome) throw new StaleVersionError(outcome.conflicts, 'parcels');
    if ('refusal' in outcome) throw lineageRefusalError(outcome.refusal);
    const merged = (await app.parcelsRepository.find(outcome.childId))!;
    app.tileCache.invalidate('parcels', [...parents.map((parent) => parent.bbox), merged.bbox]);
    return reply.code(201).send({ operation: outcome.operation, sumM2: outcome.sumM2, parcel: merged, differences: outcome.differences });
  });

  app.get('/api/parcels/:id/lineage', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['parcels'],
      summary: '地块沿革: the split or merge a parcel (live or retired) came from and the one that retired it, with its successors',
      params: ParcelIdParams,
      response: { 200: ParcelLineage, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const found = await lineage.lineage(request.params.id);
    if (!found) throw new NotFoundError(`没有编号为 ${request.params.id} 的地块（现有或已注销）`, { parameter: 'id' });
    scopeOf(request).assertReadable({ code: found.districtCode, name: found.districtName });
    const { districtCode: _code, districtName: _name, ...answer } = found;
    return answer;
  });
}
