import { describe, expect, it } from 'vitest';
import { Scope } from '../auth/scope.js';
import { literal, parcelFilterSql } from './parcel-filter.sql.js';

const huli = Scope.of({ id: 9, username: 'planner-huli', displayName: '湖里', role: 'planner', mustChangePassword: false, scopes: [{ code: '350206', name: '湖里区' }], allowedDistricts: ['350206'], unrestricted: false, units: [], department: null, enterpriseParcelIds: [] });

describe('parcelFilterSql', () => {
  it('is true with no filter and an unrestricted scope', () => {
    expect(parcelFilterSql({}, Scope.system())).toBe('true');
  });
  it('always restricts a scoped reader to their districts', () => {
    expect(parcelFilterSql({}, huli)).toBe("(p.district_code = ANY(ARRAY['350206']::text[]))");
  });
  it('writes every filter as a literal or a checked number', () => {
    const where = parcelFilterSql({ district: '350200', townOrPark: "火炬园'; DROP TABLE parcels;--", status: 'suspected', type: 'idle', landUse: '06', bbox: [118, 24.4, 118.2, 24.6], ids: [3, 5] }, Scope.system());
    expect(where).toContain("d.code = '350200' OR d.parent_code = '350200'");
    expect(where).toContain("p.town_or_park = '火炬园''; DROP TABLE parcels;--'");
    expect(where).toContain("p.land_use_code LIKE '06%'");
    expect(where).toContain('ST_MakeEnvelope(118, 24.4, 118.2, 24.6, 4490)');
    expect(where).toContain("p.id = ANY('{3,5}'::bigint[])");
  });
  it('refuses what the schema should have refused', () => {
    expect(() => literal('a\u0000b')).toThrow(RangeError);
    expect(() => parcelFilterSql({ bbox: [Number.NaN, 0, 1, 1] }, Scope.system())).toThrow(RangeError);
    expect(() => parcelFilterSql({ district: "1' OR '1" }, Scope.system())).toThrow(RangeError);
  });
});
