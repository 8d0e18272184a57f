import { ErrorBody } from '../../domain/api/common.schemas.js';
import { StockList, StockListKindParams, StockListRevision, StockListVersions } from '../../domain/api/stock-lists.schemas.js';
import { STOCK_LIST_KINDS } from '../../domain/legacy-land.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf } from '../auth/auth.plugin.js';
import { ApiError } from '../errors.js';

/** GET/PUT /api/stock-lists/{kind}: the 发生时期 and 问题类别 lists, versioned with their sources. */
export async function stockListsRoutes(app: AppInstance): Promise<void> {
  const lists = app.stockListsRepository;

  app.get('/api/stock-lists/:kind', {
    config: { permission: 'data:read' },
    schema: { tags: ['stock'], summary: 'A configurable list of 两库一清单 (current version and every earlier one)', params: StockListKindParams, response: { 200: StockListVersions, 400: ErrorBody } },
  }, async (request) => {
    const versions = await lists.versions(request.params.kind);
    return { current: versions[0], versions };
  });

  app.put('/api/stock-lists/:kind', {
    config: { permission: 'stock-lists:manage' },
    schema: {
      tags: ['stock'], summary: 'A new version of the list (codes in use must stay)', params: StockListKindParams, body: StockListRevision,
      response: { 200: StockList, 400: ErrorBody, 403: ErrorBody },
    },
  }, async (request) => {
    const { kind } = request.params;
    const label = STOCK_LIST_KINDS.find((entry) => entry.code === kind)!.label;
    const codes = request.body.items.map((item) => item.code);
    const twice = codes.find((code, index) => codes.indexOf(code) !== index);
    if (twice) throw new ApiError(400, 'invalid_parameter', `${label}中代码“${twice}”出现了两次：每项的代码应唯一。`, { parameter: 'items' });
    const current = await lists.current(kind);
    const dropped = current.items.filter((item) => !codes.includes(item.code));
    if (dropped.length > 0) {
      throw new ApiError(400, 'invalid_parameter', `新版本缺少：${dropped.map((item) => `${item.label}（${item.code}）`).join('、')}。已登记的记录使用这些代码，请保留（可修改名称或说明）。`, { parameter: 'items' });
    }
    const principal = principalOf(request);
    return lists.revise(kind, request.body, { name: principal.username, requestId: request.id });
  });
}
