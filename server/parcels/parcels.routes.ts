import { ErrorBody } from '../../domain/api/common.schemas.js';
import {
  IfMatchHeaders, ParcelDetail, ParcelFeatureCollection, ParcelHistory, ParcelIdParams, ParcelListQuery, ParcelPage, ParcelPatch, ParcelsInBoxQuery,
  StaleVersionBody, versionOfIfMatch,
} from '../../domain/api/parcels.schemas.js';
import { maskOutOfScopeParcel } from '../../domain/scope-visibility.js';
import { forbiddenParcelFields, type EditableParcelKey } from '../../domain/permissions.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import { writeAs } from '../db/actor.js';
import { ApiError, ForbiddenFieldsError, GeometryError, InvalidParameterError, NotFoundError, StaleVersionError, VersionRequiredError } from '../errors.js';
import { assertGeoJsonPolygon } from '../geometry/geojson.js';

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
      response: { 200: ParcelDetail, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const parcel = await parcels.find(request.params.id);
    if (!parcel) throw new NotFoundError(`没有编号为 ${request.params.id} 的地块`, { parameter: 'id' });
    // The version as an entity tag, for a client that edits with If-Match.
    reply.header('etag', `"${parcel.version}"`);
    return scopeOf(request).covers(parcel.districtCode) ? parcel : restrictedView(parcel);
  });

  app.patch('/api/parcels/:id', {
    // Reading is the floor; each field then needs its own action (PARCEL_FIELD_ACTIONS) and the
    // parcel's district (and every district a new geometry reaches) must be in the user's scope.
    config: { permission: 'data:read', heavy: true },
    schema: {
      tags: ['parcels'],
      summary: '修改地块属性或图形 (recorded in history with who, when, before and after)',
      params: ParcelIdParams,
      body: ParcelPatch,
      headers: IfMatchHeaders,
      response: { 200: ParcelDetail, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: StaleVersionBody, 428: ErrorBody },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const scope = scopeOf(request);
    const { expectedVersion: stated, ...changes } = request.body;
    const expectedVersion = stated ?? versionOfIfMatch(request.headers['if-match']);
    const current = await parcels.find(request.params.id);
    if (!current) throw new NotFoundError(`没有编号为 ${request.params.id} 的地块`, { parameter: 'id' });
    scope.assertWritable({ code: current.districtCode, name: current.districtName });
    const keys = Object.keys(changes) as EditableParcelKey[];
    if (keys.length === 0) throw new ApiError(400, 'invalid_parameter', '请求中没有要修改的字段。', { parameter: '(body)' });
    const forbidden = forbiddenParcelFields(principal.role, keys);
    if (forbidden.length > 0) throw new ForbiddenFieldsError(principal.role, forbidden);
    if (changes.geometry) assertGeoJsonPolygon(changes.geometry);
    if (expectedVersion === undefined) throw new VersionRequiredError();
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
    const parcel = await parcels.find(request.params.id);
    if (!parcel) throw new NotFoundError(`没有编号为 ${request.params.id} 的地块`, { parameter: 'id' });
    scopeOf(request).assertReadable({ code: parcel.districtCode, name: parcel.districtName });
    return { items: await parcels.history(parcel.id) };
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
    const [minLon, minLat, maxLon, maxLat] = request.query.bbox.split(',').map(Number);
    if (!(minLon < maxLon && minLat < maxLat) || minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
      throw new InvalidParameterError('bbox', '参数 bbox 应为 最小经度,最小纬度,最大经度,最大纬度，且最小值小于最大值');
    }
    if (maxLon - minLon > 0.1 || maxLat - minLat > 0.1) throw new InvalidParameterError('bbox', '范围过大：bbox 最多 0.1° × 0.1°（约 10 千米），请放大地图后再取地块');
    return await parcels.geojsonInBox([minLon, minLat, maxLon, maxLat], request.query.limit, scopeOf(request));
  });
}
