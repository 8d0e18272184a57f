import { Type, type Static } from 'typebox';
import { Id } from './common.schemas.js';
import { ParcelDetail } from './parcels.schemas.js';

/**
 * A 用地单位's own parcels (enterprise_parcels): the whole card of each, with its geometry (GeoJSON,
 * EPSG:4490). The enterprise reads nothing else: every data route refuses it (no data:read).
 */
export const EnterpriseParcelList = Type.Object({
  items: Type.Array(ParcelDetail),
});
export type EnterpriseParcelList = Static<typeof EnterpriseParcelList>;

export const EnterpriseParcelParams = Type.Object({ id: Id() });
export type EnterpriseParcelParams = Static<typeof EnterpriseParcelParams>;
