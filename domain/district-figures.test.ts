import { describe, expect, it } from 'vitest';
import { INEFFICIENT_STATUS_CODES, SHARE_CLASSES, shareClass, summariseFigures } from './district-figures.js';
import { parkSide, subdistrictKindLabel } from './subdistricts.js';

describe('summariseFigures', () => {
  const groups = [
    { status: 'efficient', type: null, count: 3, areaM2: 30_000 },
    { status: 'suspected', type: 'idle', count: 1, areaM2: 5_000 },
    { status: 'identified', type: 'low_output', count: 2, areaM2: 10_000 },
    { status: 'redeveloping', type: 'low_output', count: 1, areaM2: 5_000 },
  ];

  it('adds count and area, counts 疑似低效 and 已认定低效 as 低效, and gives the 低效 share of the area', () => {
    const figures = summariseFigures(groups);
    expect(INEFFICIENT_STATUS_CODES).toEqual(['suspected', 'identified']);
    expect(figures).toMatchObject({ parcelCount: 7, areaM2: 50_000, inefficientCount: 3, inefficientAreaM2: 15_000, inefficientShare: 0.3 });
    expect(figures.byStatus.map((status) => [status.status, status.count])).toEqual([
      ['unassessed', 0], ['efficient', 3], ['suspected', 1], ['identified', 2], ['redeveloping', 1], ['redeveloped', 0],
    ]);
    expect(figures.byType.find((type) => type.type === 'low_output')).toMatchObject({ count: 3, areaM2: 15_000 });
    expect(figures.byType).toHaveLength(7);
  });

  it('ties out: the figures of a union are the sums of the parts', () => {
    const whole = summariseFigures(groups);
    const parts = [summariseFigures(groups.slice(0, 2)), summariseFigures(groups.slice(2))];
    expect(parts[0].parcelCount + parts[1].parcelCount).toBe(whole.parcelCount);
    expect(parts[0].inefficientAreaM2 + parts[1].inefficientAreaM2).toBe(whole.inefficientAreaM2);
    whole.byStatus.forEach((status, index) => expect(parts[0].byStatus[index].count + parts[1].byStatus[index].count).toBe(status.count));
  });

  it('has no share without parcels', () => {
    expect(summariseFigures([])).toMatchObject({ parcelCount: 0, areaM2: 0, inefficientShare: null });
  });
});

describe('shareClass', () => {
  it('puts every share in one class, in order, and none without parcels', () => {
    expect(shareClass(null)).toBeNull();
    expect(shareClass(0)?.label).toBe('< 20%');
    expect(shareClass(0.2)?.label).toBe('20–30%');
    expect(shareClass(0.45)?.label).toBe('40–50%');
    expect(shareClass(1)?.label).toBe('≥ 50%');
    expect(SHARE_CLASSES.map((entry) => entry.upTo)).toEqual([...SHARE_CLASSES.map((entry) => entry.upTo)].sort((a, b) => a - b));
  });
});

describe('subdistrict kinds', () => {
  it('names the kinds and the side of a 园区 (seed 003 二.1)', () => {
    expect(['street', 'town', 'park', 'unassigned', 'district'].map(subdistrictKindLabel)).toEqual(['街道', '镇', '园区', '未划入街道', '区县']);
    expect(parkSide('350206501')).toBe('园区内');
    expect(parkSide(null)).toBe('园区外');
  });
});
