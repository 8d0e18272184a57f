import { ErrorBody } from '../../domain/api/common.schemas.js';
import {
  BulkEditRequest, BulkEditResult, MAX_BULK_EDIT, ParcelTableIds, ParcelTableIdsRequest, ParcelTableRows, ParcelTableRowsRequest, ParcelTableSummary, ParcelTableSummaryRequest,
} from '../../domain/api/parcel-table.schemas.js';
import { forbiddenParcelFields, parcelFieldLabel } from '../../domain/permissions.js';
import { recordEvent } from '../admin/audit.repository.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import { writeAs } from '../db/actor.js';
import { ApiError, ForbiddenFieldsError, StaleVersionError } from '../errors.js';
import { assertBulkEditValue } from './bulk-edit-value.js';

export const TOO_MANY_PARCELS = 'too_many_parcels';

export async function parcelTableRoutes(app: AppInstance): Promise<void> {
  const table = app.parcelTableRepository;

  app.post('/api/parcels/table/rows', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['parcels'],
      summary: '属性表: one window of the filtered, sorted parcels with every field (only the reader\'s districts)',
      body: ParcelTableRowsRequest,
      response: { 200: ParcelTableRows, 400: ErrorBody },
    },
  }, async (request) => ({ offset: request.body.offset, items: await table.rows(request.body, scopeOf(request)) }));

  app.post('/api/parcels/table/ids', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['parcels'],
      summary: '属性表: the filtered parcels\' ids in table order (read once per filter and sort; windows of rows are then read by id)',
      body: ParcelTableIdsRequest,
      response: { 200: ParcelTableIds, 400: ErrorBody },
    },
  }, async (request) => table.ids(request.body.filter ?? {}, request.body.sort, request.body.limit, scopeOf(request)));

  app.post('/api/parcels/table/summary', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['parcels'],
      summary: '属性表: how many parcels the filter keeps, their extent, and each figure\'s count, sum, average, min and max',
      body: ParcelTableSummaryRequest,
      response: { 200: ParcelTableSummary, 400: ErrorBody },
    },
  }, async (request) => table.summary(request.body.filter ?? {}, scopeOf(request)));

  app.post('/api/parcels/bulk-edit', {
    config: { permission: 'data:read', heavy: true },
    schema: {
      tags: ['parcels'],
      summary: '批量修改: one field of the selected parcels (one history row per parcel, one audit entry for the batch); each parcel states its version',
      body: BulkEditRequest,
      response: { 200: BulkEditResult, 400: ErrorBody, 403: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const scope = scopeOf(request);
    const { field, value, parcels: selection, reason } = request.body;
    if (selection.length > MAX_BULK_EDIT) {
      throw new ApiError(400, TOO_MANY_PARCELS,
        `一次最多批量修改 ${MAX_BULK_EDIT} 宗地块，本次选择了 ${selection.length} 宗。请缩小筛选范围或分批选择后再修改。/ At most ${MAX_BULK_EDIT} parcels per bulk edit.`,
        { parameter: 'parcels', limit: MAX_BULK_EDIT, selected: selection.length });
    }
    const ids = selection.map((parcel) => parcel.id);
    if (new Set(ids).size !== ids.length) throw new ApiError(400, 'invalid_parameter', '所选地块中有重复的编号，请刷新表格后重新选择。', { parameter: 'parcels' });
    const forbidden = forbiddenParcelFields(principal.role, [field]);
    if (forbidden.length > 0) throw new ForbiddenFieldsError(principal.role, forbidden);
    assertBulkEditValue(field, value);
    for (const parcel of await table.selection(ids)) {
      scope.assertWritable({ code: parcel.districtCode, name: parcel.districtName }, `地块 ${parcel.code}`);
    }
    const outcome = await writeAs(app.db, { name: principal.username, requestId: request.id }, async (transaction) => {
      const conflicts = await app.parcelsRepository.lockVersions(transaction, selection, selection.map(() => ({ [field]: value })));
      if (conflicts.length > 0) throw new StaleVersionError(conflicts, 'parcels');
      const changed = await table.setField(transaction, ids, field, value, principal.username);
      const auditId = await recordEvent(transaction, {
        entity: 'parcels', entityId: '*', action: 'bulk_edit', actor: principal.username, requestId: request.id,
        before: null,
        after: { field, label: parcelFieldLabel(field), value, count: changed.updated, ids, ...(reason ? { reason } : {}) },
      });
      return { ...changed, auditId };
    });
    if (outcome.bbox) app.tileCache.invalidate('parcels', [outcome.bbox]);
    return { field, updated: outcome.updated, auditId: outcome.auditId };
  });
}
