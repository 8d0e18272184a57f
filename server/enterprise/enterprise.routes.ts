import { ErrorBody } from '../../domain/api/common.schemas.js';
import { EnterpriseParcelList, EnterpriseParcelParams } from '../../domain/api/enterprise.schemas.js';
import { ParcelDetail } from '../../domain/api/parcels.schemas.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import { ApiError, NotFoundError } from '../errors.js';

/** Refusal of a parcel that is not one of the enterprise's own. */
export const NOT_OWN_PARCEL = 'not_own_parcel';

/**
 * The 用地单位's own routes (issue 16 item 4): it sees only the parcels linked to its account
 * (`Scope.coversParcelOfEnterprise`), never another's, and nothing through the data routes.
 * `cases:fill` is its action (administrators have it too, and see their own links: none).
 */
export async function enterpriseRoutes(app: AppInstance): Promise<void> {
  app.get('/api/enterprise/parcels', {
    config: { permission: 'cases:fill' },
    schema: {
      tags: ['enterprise'],
      summary: '用地单位: 本单位的宗地（一宗一卡与图形）',
      response: { 200: EnterpriseParcelList },
    },
  }, async (request) => {
    const items = [];
    for (const id of principalOf(request).enterpriseParcelIds) {
      const parcel = await app.parcelsRepository.find(id);
      if (parcel) items.push(parcel);
    }
    return { items };
  });

  app.get('/api/enterprise/parcels/:id', {
    config: { permission: 'cases:fill' },
    schema: {
      tags: ['enterprise'],
      summary: '用地单位: 本单位的一宗宗地（一宗一卡与图形）；他人的宗地 403',
      params: EnterpriseParcelParams,
      response: { 200: ParcelDetail, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const id = request.params.id;
    if (!scopeOf(request).coversParcelOfEnterprise(id)) {
      throw new ApiError(403, NOT_OWN_PARCEL, `编号为 ${id} 的宗地不是本单位（${principalOf(request).displayName}）的宗地，不能查看；如宗地有误，请联系园区办、镇政府（街道办）或系统管理员。`, { parameter: 'id' });
    }
    const parcel = await app.parcelsRepository.find(id);
    if (!parcel) throw new NotFoundError(`没有编号为 ${id} 的宗地（可能已被分割或合并）。`, { parameter: 'id' });
    return parcel;
  });
}
