import { describe, expect, it } from 'vitest';
import type { District } from './districts.api.js';
import { catalogueFromDistricts, fallbackCatalogue, findDistrict } from './district-catalogue.js';

const items: District[] = [
  { code: '350206', name: '湖里区', level: 'district', parentCode: '350200', bbox: [118.06, 24.47, 118.2, 24.56], areaM2: 76_328_407, inScope: true },
  { code: '350200', name: '厦门市', level: 'city', parentCode: null, bbox: [117.88, 24.42, 118.41, 24.91], areaM2: 1_766_293_572, inScope: true },
  { code: '350203', name: '思明区', level: 'district', parentCode: '350200', bbox: [118.05, 24.42, 118.21, 24.51], areaM2: 85_416_004, inScope: true },
];

describe('district catalogue', () => {
  it('puts the city first and its districts in code order', () => {
    const catalogue = catalogueFromDistricts(items, '350200');
    expect(catalogue.city.name).toBe('厦门市');
    expect(catalogue.districts.map((district) => district.code)).toEqual(['350203', '350206']);
  });

  it('finds the city and a district by code', () => {
    const catalogue = catalogueFromDistricts(items, '350200');
    expect(findDistrict(catalogue, '350200')?.bbox).toEqual([117.88, 24.42, 118.41, 24.91]);
    expect(findDistrict(catalogue, '350206')?.name).toBe('湖里区');
    expect(findDistrict(catalogue, '999999')).toBeUndefined();
  });

  it('falls back to the six Xiamen districts without extents', () => {
    const catalogue = fallbackCatalogue();
    expect(catalogue.city.code).toBe('350200');
    expect(catalogue.districts.map((district) => district.code)).toEqual(['350203', '350205', '350206', '350211', '350212', '350213']);
    expect(catalogue.districts.every((district) => district.bbox === null)).toBe(true);
  });
});
