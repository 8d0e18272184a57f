import { describe, expect, it } from 'vitest';
import { exportFileName, exportStamp } from './export-names.js';

describe('export file names', () => {
  it('say place, layer, qualifiers and date', () => {
    expect(exportFileName(['厦门市湖里区', '地块', '疑似低效'], '20261202', '.zip')).toBe('厦门市湖里区_地块_疑似低效_20261202.zip');
  });
  it('drop empty parts and characters no file system takes', () => {
    expect(exportFileName(['厦门市', null, '', 'a/b:c*?"<>|', ' 地 块 '], '20261202', '.csv')).toBe('厦门市_a-b-c_地块_20261202.csv');
  });
  it('use the date in China Standard Time', () => {
    expect(exportStamp(new Date('2026-12-01T16:30:00Z'))).toBe('20261202');
    expect(exportStamp(new Date('2026-12-01T15:59:59Z'))).toBe('20261201');
  });
  it('keep names short', () => {
    expect(Array.from(exportFileName(['地'.repeat(300)], '20261202', '.pdf')).length).toBe(124);
  });
});
