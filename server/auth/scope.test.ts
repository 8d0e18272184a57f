import { describe, expect, it } from 'vitest';
import { makePrincipal } from './principal.js';
import { OUT_OF_SCOPE, Scope } from './scope.js';

const park = '350206501';
const street = '350206001';
const parkOffice = Scope.of(makePrincipal({ id: 1, username: 'yuanqu', role: 'park_office', scopes: [{ code: park, name: '火炬园区（湖里区）' }], allowedDistricts: ['350206'], units: [park] }));
const streetOffice = Scope.of(makePrincipal({ id: 2, username: 'jiedao', role: 'street_office', scopes: [{ code: street, name: '湖里街道（湖里区）' }], allowedDistricts: ['350206'], units: [street] }));
const district = Scope.of(makePrincipal({ id: 3, username: 'ziranziyuan', role: 'resources', scopes: [{ code: '350206', name: '湖里区' }], allowedDistricts: ['350206'] }));
const enterprise = Scope.of(makePrincipal({ id: 4, username: 'qiye', role: 'enterprise', scopes: [{ code: '350206', name: '湖里区' }], allowedDistricts: ['350206'], enterpriseParcelIds: [7, 9] }));

const inPark = { districtCode: '350206', subdistrictCode: street, parkCode: park };
const outsideParkInStreet = { districtCode: '350206', subdistrictCode: street, parkCode: null };
const otherStreet = { districtCode: '350206', subdistrictCode: '350206002', parkCode: null };
const siming = { districtCode: '350203', subdistrictCode: '350203001', parkCode: null };

describe('Scope of 园区/街道 units (local rule: read the district, write only in the unit)', () => {
  it('a 园区办 reads its whole district and writes only inside its 园区', () => {
    expect(parkOffice.covers('350206')).toBe(true);
    expect(parkOffice.covers('350203')).toBe(false);
    expect(parkOffice.coversPlace(inPark)).toBe(true);
    expect(parkOffice.coversPlace(outsideParkInStreet)).toBe(false);
    expect(parkOffice.unrestricted).toBe(false);
  });

  it('a 街道办 writes 园区外 parcels of its 街道, not 园区内 ones even when the 园区 lies in its 街道', () => {
    expect(streetOffice.coversPlace(outsideParkInStreet)).toBe(true);
    expect(streetOffice.coversPlace(inPark)).toBe(false);
    expect(streetOffice.coversPlace(otherStreet)).toBe(false);
    expect(streetOffice.coversPlace({ districtCode: '350206', subdistrictCode: null, parkCode: null })).toBe(false);
  });

  it('a district user writes every place of its district, none of another', () => {
    for (const place of [inPark, outsideParkInStreet, otherStreet]) expect(district.coversPlace(place)).toBe(true);
    expect(district.coversPlace(siming)).toBe(false);
  });

  it('refuses a write outside the unit naming the place (403 out_of_scope), and outside the district naming the district', () => {
    try {
      parkOffice.assertPlaceWritable({ ...outsideParkInStreet, name: '湖里街道' });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ statusCode: 403, code: OUT_OF_SCOPE });
      expect((error as Error).message).toContain('湖里街道');
      expect((error as Error).message).toContain('火炬园区');
    }
    expect(() => parkOffice.assertPlaceWritable({ ...siming, name: '某街道', districtName: '思明区' })).toThrow(/思明区/);
    expect(() => parkOffice.assertPlaceWritable(inPark)).not.toThrow();
  });

  it('an enterprise covers its own parcels only', () => {
    expect(enterprise.coversParcelOfEnterprise(7)).toBe(true);
    expect(enterprise.coversParcelOfEnterprise(8)).toBe(false);
    expect(district.coversParcelOfEnterprise(7)).toBe(false);
  });
});
