import { describe, expect, it } from 'vitest';
import { EFFICIENCY_STATUSES, NO_INEFFICIENCY_TYPE } from '@domain/efficiency.js';
import type { DistrictStats } from './districts.api.js';
import { areaFigures, figureRows, formatCount } from './district-figures.js';

const huli: DistrictStats = {
  code: '350206',
  name: '湖里区',
  parcelCount: 2044,
  areaM2: 40_000,
  byStatus: [
    { status: 'identified', label: '已认定低效', count: 1, areaM2: 10_000 },
    { status: 'efficient', label: '正常利用', count: 3, areaM2: 30_000 },
  ],
  byType: [
    { type: 'none', label: '非低效', count: 3, areaM2: 30_000 },
    { type: 'idle', label: '闲置低效', count: 1, areaM2: 10_000 },
  ],
};

describe('district figures', () => {
  it('groups the parcel count by thousands', () => {
    expect(formatCount(2044)).toBe('2,044');
  });

  it('gives the total area in m², 公顷 and 亩', () => {
    expect(areaFigures(33_653_669.958761185)).toEqual({ m2: '33,653,669.96', hectares: '3,365.3670', mu: '50,480.5049' });
  });

  it('orders status rows as the legend does and colours them with the domain colours', () => {
    const rows = figureRows(huli, 'status');
    expect(rows.map((row) => row.code)).toEqual(['efficient', 'identified']);
    expect(rows[0].color).toBe(EFFICIENCY_STATUSES[0].color);
    expect(rows[0].areaHectares).toBe(3);
    expect(rows[0].areaShare).toBe(0.75);
  });

  it('puts parcels without a 低效类型 last, as 非低效', () => {
    const rows = figureRows(huli, 'type');
    expect(rows.map((row) => row.code)).toEqual(['idle', 'none']);
    expect(rows[1].color).toBe(NO_INEFFICIENCY_TYPE.color);
  });
});
