import { describe, expect, it } from 'vitest';
import { exifTime, gpsPosition } from './photo-metadata.js';

describe('photo metadata', () => {
  it('reads EXIF times at their offset, else at UTC+8, and drops times that are not real', () => {
    expect(exifTime('2026:05:06 10:20:30', undefined)).toBe('2026-05-06T02:20:30.000Z');
    expect(exifTime('2026:05:06 10:20:30', '+02:00')).toBe('2026-05-06T08:20:30.000Z');
    expect(exifTime('2026:05:06 10:20:30', 'garbage')).toBe('2026-05-06T02:20:30.000Z');
    expect(exifTime('0000:00:00 00:00:00', undefined)).toBeNull();
    expect(exifTime('2024:02:30 10:00:00', undefined)).toBeNull();
    expect(exifTime('    :  :     :  :  ', undefined)).toBeNull();
    expect(exifTime(20260506, undefined)).toBeNull();
  });

  it('keeps real GPS positions only', () => {
    expect(gpsPosition(118.123456789123, 24.5)).toEqual([118.12345679, 24.5]);
    expect(gpsPosition(0, 0)).toBeNull();
    expect(gpsPosition(181, 24)).toBeNull();
    expect(gpsPosition(Number.NaN, 24)).toBeNull();
    expect(gpsPosition('118', 24)).toBeNull();
  });
});
