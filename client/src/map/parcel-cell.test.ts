import { describe, expect, it } from 'vitest';
import { INEFFICIENT_SHARE_CLASSES, RESTRICTED_PARCEL } from '../ui/colour-scheme.js';
import { describeParcelCell, parcelCellColour, parcelCellFromTile } from './parcel-cell.js';

describe('parcel grid cells', () => {
  it('reads a cell’s figures from its tile properties', () => {
    expect(parcelCellFromTile({ parcels: 12, area_ha: 4.23, ineff_share: 0.375, restricted: 0 })).toEqual({
      parcels: 12,
      areaHa: 4.23,
      inefficientShare: 0.375,
      restricted: false,
    });
    expect(parcelCellFromTile({ parcels: 0, area_ha: 0, ineff_share: 0, restricted: 1 }).restricted).toBe(true);
    // Missing or odd values do not turn into NaN on screen.
    expect(parcelCellFromTile({ ineff_share: 1.0000001, area_ha: 'x' })).toEqual({ parcels: 0, areaHa: 0, inefficientShare: 1, restricted: false });
  });

  it('says how many parcels, what share of their land is inefficient, and how much land', () => {
    expect(describeParcelCell({ parcels: 12, areaHa: 4.23, inefficientShare: 0.375, restricted: false })).toBe('12 宗 · 低效占比 37.5% · 4.2 公顷');
    expect(describeParcelCell({ parcels: 1234, areaHa: 1520.06, inefficientShare: 0, restricted: false })).toBe('1,234 宗 · 低效占比 0.0% · 1,520.1 公顷');
  });

  it('says only 管辖范围外 for a cell outside the user’s districts, and draws it grey', () => {
    const cell = { parcels: 0, areaHa: 0, inefficientShare: 0, restricted: true };
    expect(describeParcelCell(cell)).toBe('管辖范围外');
    expect(parcelCellColour(cell)).toBe(RESTRICTED_PARCEL.fill);
  });

  it('gives the cell the ramp colour the map draws it in', () => {
    const colours = [0, 0.1, 0.25, 0.5, 0.75].map((share) => parcelCellColour({ parcels: 1, areaHa: 1, inefficientShare: share, restricted: false }));
    expect(colours).toEqual(INEFFICIENT_SHARE_CLASSES.map((entry) => entry.color));
    expect(parcelCellColour({ parcels: 1, areaHa: 1, inefficientShare: 0.0999, restricted: false })).toBe(INEFFICIENT_SHARE_CLASSES[0].color);
  });
});
