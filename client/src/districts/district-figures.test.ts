import { describe, expect, it } from 'vitest';
import { EFFICIENCY_STATUSES, NO_INEFFICIENCY_TYPE } from '@domain/efficiency.js';
import type { DistrictStats } from './districts.api.js';
import { areaFigures, figureRows, figureTotal, formatCount } from './district-figures.js';
import { typeBarOption } from './figure-chart-options.js';

const huli: DistrictStats = {
  code: '350206',
  name: '湖里区',
  level: 'district',
  parcelCount: 2044,
  areaM2: 40_000,
  byCategory: [],
  inefficientCount: 1,
  inefficientAreaM2: 10_000,
  inefficientShare: 0.25,
  children: [],
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
    expect(areaFigures(33_653_669.958761185)).toEqual({ m2: '33,653,669.96', hectares: '3,365.37', mu: '50,480.5049' });
  });

  it('orders status rows as the legend does and colours them with the domain colours', () => {
    const rows = figureRows(huli, 'status');
    expect(rows.map((row) => row.code)).toEqual(['efficient', 'identified']);
    expect(rows[0].color).toBe(EFFICIENCY_STATUSES.find((status) => status.code === 'efficient')!.color);
    expect(rows[0].areaHectares).toBe(3);
    expect(rows[0].areaShare).toBe(0.75);
  });

  it('puts parcels without a 低效类型 last, as 非低效', () => {
    const rows = figureRows(huli, 'type');
    expect(rows.map((row) => row.code)).toEqual(['idle', 'none']);
    expect(rows[1].color).toBe(NO_INEFFICIENCY_TYPE.color);
  });

  it('sums a table into its 合计 row: every parcel and all the land, 100 %', () => {
    const total = figureTotal(figureRows(huli, 'status'));
    expect(total).toMatchObject({ count: 4, areaM2: 40_000, areaHectares: 4 });
    expect(total.areaShare).toBeCloseTo(1, 10);
  });

  it('names the unit on the chart: the axis says 公顷 and each bar its area to two decimals', () => {
    const option = typeBarOption(figureRows(huli, 'type')) as { xAxis: { name: string }; series: { label: { formatter: (parameter: unknown) => string } }[] };
    expect(option.xAxis.name).toBe('面积（公顷）');
    expect(option.series[0].label.formatter({ dataIndex: 0 })).toBe('1.00 公顷');
  });
});
