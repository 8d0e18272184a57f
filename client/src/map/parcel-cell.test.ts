import { describe, expect, it } from 'vitest';
import { INEFFICIENCY_TYPES, NO_INEFFICIENCY_TYPE } from '@domain/efficiency.js';
import { INEFFICIENT_SHARE_CLASSES, RESTRICTED_PARCEL } from '../ui/colour-scheme.js';
import { describeParcelCell, parcelCellColour, parcelCellFromTile, type ParcelCellProperties } from './parcel-cell.js';

const cellOf = (change: Partial<ParcelCellProperties>): ParcelCellProperties => ({
  parcels: 1, areaHa: 1, inefficientShare: 0, type: 'none', typeShare: 0, restricted: false, ...change,
});

describe('parcel grid cells', () => {
  it('reads a cell’s figures from its tile properties', () => {
    expect(parcelCellFromTile({ parcels: 12, area_ha: 4.23, ineff_share: 0.375, type: 'idle', type_share: 0.2, restricted: 0 })).toEqual({
      parcels: 12,
      areaHa: 4.23,
      inefficientShare: 0.375,
      type: 'idle',
      typeShare: 0.2,
      restricted: false,
    });
    expect(parcelCellFromTile({ parcels: 0, area_ha: 0, ineff_share: 0, restricted: 1 }).restricted).toBe(true);
    // Missing or odd values do not turn into NaN on screen.
    expect(parcelCellFromTile({ ineff_share: 1.0000001, area_ha: 'x' })).toEqual(cellOf({ parcels: 0, areaHa: 0, inefficientShare: 1 }));
  });

  it('says how many parcels, what share of their land is inefficient, and how much land (公顷 to two decimals)', () => {
    expect(describeParcelCell(cellOf({ parcels: 12, areaHa: 4.23, inefficientShare: 0.375 }))).toBe('12 宗 · 低效占比 37.5% · 4.23 公顷');
    expect(describeParcelCell(cellOf({ parcels: 1234, areaHa: 1520.06 }))).toBe('1,234 宗 · 低效占比 0.0% · 1,520.06 公顷');
  });

  it('by 低效类型 names the dominant type and its share, and draws the type’s colour', () => {
    const cell = cellOf({ parcels: 12, areaHa: 4.23, type: 'idle', typeShare: 0.2 });
    expect(describeParcelCell(cell, 'type')).toBe('12 宗 · 闲置低效 占 20.0% · 4.23 公顷');
    expect(parcelCellColour(cell, 'type')).toBe(INEFFICIENCY_TYPES[0].color);
    expect(describeParcelCell(cellOf({}), 'type')).toBe('1 宗 · 无低效类型 · 1.00 公顷');
    expect(parcelCellColour(cellOf({}), 'type')).toBe(NO_INEFFICIENCY_TYPE.color);
  });

  it('says only 管辖范围外 for a cell outside the user’s districts, and draws it grey', () => {
    const cell = cellOf({ parcels: 0, areaHa: 0, restricted: true });
    expect(describeParcelCell(cell)).toBe('管辖范围外');
    expect(parcelCellColour(cell)).toBe(RESTRICTED_PARCEL.fill);
    expect(parcelCellColour(cell, 'type')).toBe(RESTRICTED_PARCEL.fill);
  });

  it('gives the cell the ramp colour the map draws it in', () => {
    const colours = [0, 0.1, 0.25, 0.5, 0.75].map((share) => parcelCellColour(cellOf({ inefficientShare: share })));
    expect(colours).toEqual(INEFFICIENT_SHARE_CLASSES.map((entry) => entry.color));
    expect(parcelCellColour(cellOf({ inefficientShare: 0.0999 }))).toBe(INEFFICIENT_SHARE_CLASSES[0].color);
  });
});
