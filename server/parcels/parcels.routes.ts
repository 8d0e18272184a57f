import { ErrorBody } from '../../domain/api/common.schemas.js';
import {
  IfMatchHeaders, ParcelDetail, ParcelEditConflictBody, ParcelFeatureCollection, ParcelHistory, ParcelIdParams, ParcelListQuery, ParcelPage, ParcelPatch, ParcelsInBoxQuery,
  versionOfIfMatch,
} from '../../domain/api/parcels.schemas.js';
import { parcelFieldRefusal, parcelValueProblems } from '../../domain/parcel-card-validation.js';
import { maskOutOfScopeParcel } from '../../domain/scope-visibility.js';
import { forbiddenParcelFields, type EditableParcelKey } from '../../domain/permissions.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import { writeAs } from '../db/actor.js';
import { ApiError, ForbiddenFieldsError, GeometryError, InvalidValuesError, NotFoundError, StaleVersionError, VersionRequiredError } from '../errors.js';
import { boxParameter } from '../geometry/bbox.js';
import { assertGeoJsonPolygon } from '../geometry/geojson.js';
import { findLiveParcel } from './parcel-lineage.routes.js';

/** What a reader outside the parcel's district may see: OUT_OF_SCOPE_PARCEL_KEYS, every other attribute null. */
function restrictedView(parcel: ParcelDetail): ParcelDetail {
  return { ...(maskOutOfScopeParcel(parcel) as ParcelDetail), restricted: true };
}

export async function parcelsRoutes(app: AppInstance): Promise<void> {
  const parcels = app.parcelsRepository;

  app.get('/api/parcels/:id', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['parcels'],
      summary: '一宗一卡: every attribute of one parcel, with its geometry (attributes hidden outside the reader\'s districts)',
      params: ParcelIdParams,
      response: { 200: ParcelDetail, 404: ErrorBody, 410: ErrorBody },
    },
  }, async (request, reply) => {
    // A parcel retired by a split or merge: 410 naming what it became.
    const parcel = await findLiveParcel(app, request.params.id);
    // The version as an entity tag, for a client that edits with If-Match.
    reply.header('etag', `"${parcel.version}"`);
    return scopeOf(request).covers(parcel.districtCode) ? parcel : restrictedView(parcel);
  });

  app.patch('/api/parcels/:id', {
    // Reading is the floor; each field then needs its own action (PARCEL_FIELD_ACTIONS) and the
    // parcel's district (and every district a new geometry reaches) must be in the user's scope.
    config: { permission: 'data:read', heavy: true, explainInvalid: parcelFieldRefusal },
    schema: {
      tags: ['parcels'],
      summary: '修改地块属性或图形 (recorded in history with who, when, before and after)',
      params: ParcelIdParams,
      body: ParcelPatch,
      headers: IfMatchHeaders,
      response: { 200: ParcelDetail, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ParcelEditConflictBody, 410: ErrorBody, 428: ErrorBody },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const scope = scopeOf(request);
    const { expectedVersion: stated, ...changes } = request.body;
    const expectedVersion = stated ?? versionOfIfMatch(request.headers['if-match']);
    const current = await findLiveParcel(app, request.params.id);
    scope.assertWritable({ code: current.districtCode, name: current.districtName });
    const keys = Object.keys(changes) as EditableParcelKey[];
    if (keys.length === 0) throw new ApiError(400, 'invalid_parameter', '请求中没有要修改的字段。', { parameter: '(body)' });
    const forbidden = forbiddenParcelFields(principal.role, keys);
    if (forbidden.length > 0) throw new ForbiddenFieldsError(principal.role, forbidden);
    if (changes.geometry) assertGeoJsonPolygon(changes.geometry);
    if (expectedVersion === undefined) throw new VersionRequiredError();
    // Rules across fields are checked on the parcel as the edit leaves it (stored values included);
    // a write in between makes expectedVersion stale, so what was checked is what is changed.
    const problems = parcelValueProblems({ ...current, ...changes }, keys);
    if (problems.length > 0) throw new InvalidValuesError(problems);
    const outcome = await writeAs(app.db, { name: principal.username, requestId: request.id }, (transaction) =>
      parcels.update(transaction, current.id, changes, { expectedVersion, actor: principal.username, scope }));
    if (outcome !== 'updated') {
      if ('conflicts' in outcome) throw new StaleVersionError(outcome.conflicts);
      throw new GeometryError(outcome.reason, 'geometry');
    }
    const updated = (await parcels.find(current.id))!;
    reply.header('etag', `"${updated.version}"`);
    // Right away for this process; other processes hear of it through the database (tile_changes).
    app.tileCache.invalidate('parcels', [current.bbox, updated.bbox]);
    return updated;
  });

  app.get('/api/parcels/:id/history', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['parcels'],
      summary: '地块修改记录: who changed which field, from what to what, newest first',
      params: ParcelIdParams,
      response: { 200: ParcelHistory, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    // Also of a parcel retired by a split or merge: its row's removal reads as 'retired'.
    const parcel = await parcels.find(request.params.id) ?? await app.parcelLineageRepository.retired(request.params.id);
    if (!parcel) throw new NotFoundError(`没有编号为 ${request.params.id} 的地块`, { parameter: 'id' });
    scopeOf(request).assertReadable({ code: parcel.districtCode, name: parcel.districtName });
    const items = await parcels.history(parcel.id);
    return { items: 'reason' in parcel ? items.map((item) => (item.action === 'delete' ? { ...item, action: 'retired' } : item)) : items };
  });

  app.get('/api/parcels', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['parcels'],
      summary: '地块列表, filtered by district, status and 低效类型, paged (only the reader\'s districts)',
      querystring: ParcelListQuery,
      response: { 200: ParcelPage },
    },
  }, async (request) => parcels.list(request.query, scopeOf(request)));

  app.get('/api/parcels/geojson', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['parcels'],
      summary: 'Parcels in a box as GeoJSON at full precision (drawing, snapping, live checks); outside the reader\'s districts without status',
      querystring: ParcelsInBoxQuery,
      response: { 200: ParcelFeatureCollection, 400: ErrorBody },
    },
  }, async (request) => {
    return await parcels.geojsonInBox(boxParameter(request.query.bbox, 0.1, '地块'), request.query.limit, scopeOf(request));
  });
}
