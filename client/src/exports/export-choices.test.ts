import { describe, expect, it } from 'vitest';
import { LAYER_FORMATS } from '@domain/exports/export-kinds.js';
import {
  crsApplies, crsFixedText, defaultChoice, describeFilters, mapParcelsTarget, encodingApplies, exportRequestOf, formatOptions, rowCountText, targetSummary,
  type ExportTarget,
} from './export-choices.js';

describe('export choices', () => {
  it('offers each layer its own formats, the first as the default, with GK and GBK as defaults', () => {
    expect(formatOptions('parcels').map((format) => format.code)).toEqual(['shapefile', 'geojson', 'gpkg', 'filegdb', 'xlsx', 'csv']);
    expect(formatOptions('area-report').map((format) => format.label)).toEqual(['PDF']);
    expect(formatOptions('survey').every((format) => format.description.length > 0)).toBe(true);
    expect(defaultChoice('parcels')).toEqual({ format: 'shapefile', crs: 'gauss-kruger', encoding: 'GBK' });
    expect(defaultChoice('district-figures').format).toBe('xlsx');
    for (const layer of Object.keys(LAYER_FORMATS) as (keyof typeof LAYER_FORMATS)[]) {
      expect(formatOptions(layer)[0].code).toBe(defaultChoice(layer).format);
    }
  });

  it('asks for a coordinate system for geodata other than GeoJSON, and an encoding for Shapefile only', () => {
    expect(['shapefile', 'gpkg', 'filegdb'].every((format) => crsApplies(format as 'shapefile'))).toBe(true);
    expect(crsApplies('geojson')).toBe(false);
    expect(crsFixedText('geojson')).toContain('WGS84');
    expect(crsApplies('xlsx')).toBe(false);
    expect(crsFixedText('xlsx')).toBeNull();
    expect(crsApplies('pdf')).toBe(false);
    expect(encodingApplies('shapefile')).toBe(true);
    expect(['geojson', 'gpkg', 'filegdb', 'xlsx', 'csv', 'pdf'].some((format) => encodingApplies(format as 'pdf'))).toBe(false);
  });

  it('sends the crs and encoding only where they apply', () => {
    const target: ExportTarget = { layer: 'parcels', filters: { district: '350206', status: 'suspected' } };
    expect(exportRequestOf(target, { format: 'shapefile', crs: 'EPSG:4490', encoding: 'UTF-8' })).toEqual({
      layer: 'parcels', format: 'shapefile', crs: 'EPSG:4490', encoding: 'UTF-8', filters: { district: '350206', status: 'suspected' },
    });
    expect(exportRequestOf(target, { format: 'gpkg', crs: 'gauss-kruger', encoding: 'UTF-8' })).toEqual({
      layer: 'parcels', format: 'gpkg', crs: 'gauss-kruger', filters: { district: '350206', status: 'suspected' },
    });
    expect(exportRequestOf(target, { format: 'geojson', crs: 'EPSG:4490', encoding: 'GBK' })).toEqual({
      layer: 'parcels', format: 'geojson', filters: { district: '350206', status: 'suspected' },
    });
    expect(exportRequestOf({ layer: 'area-report', filters: { areaId: 7 } }, defaultChoice('area-report'))).toEqual({
      layer: 'area-report', format: 'pdf', filters: { areaId: 7 },
    });
  });

  it('says every filter in plain Chinese', () => {
    const rows = describeFilters({
      layer: 'parcels',
      filters: { district: '350206', townOrPark: '火炬园', status: 'identified', type: 'idle', landUse: '0601', bbox: [118.1, 24.5, 118.123456, 24.52], ids: [1, 2, 3] },
      names: { district: '湖里区' },
    });
    expect(rows.map((row) => `${row.label}：${row.value}`)).toEqual([
      '行政区：湖里区', '镇街/园区：火炬园', '效率状态：已认定低效', '低效类型：闲置低效', '地类：0601 工业用地',
      '框选范围：经度 118.1000–118.1235，纬度 24.5000–24.5200', '当前选择：3 宗地块',
    ]);
    expect(describeFilters({ layer: 'survey', filters: { year: 2024 } })).toEqual([{ key: 'year', label: '调查年度', value: '2024 年' }]);
    expect(describeFilters({ layer: 'area-report', filters: { areaId: 4 }, names: { area: '枋湖片区' } })[0].value).toBe('枋湖片区');
    expect(describeFilters({ layer: 'parcel-card', filters: { parcelId: 9 } })[0].value).toBe('地块 9');
    expect(describeFilters({ layer: 'parcels', filters: { ids: [9] }, names: { parcel: '350206001' } })[0].value).toBe('350206001');
    expect(describeFilters({ layer: 'parcels', filters: { district: '350206' } })[0].value).toBe('350206');
  });

  it('sums a target up on one line', () => {
    expect(targetSummary({ layer: 'parcels', filters: { district: '350206', status: 'suspected' }, names: { district: '湖里区' } })).toBe('地块 · 湖里区 · 疑似低效');
    expect(targetSummary({ layer: 'parcels', filters: { ids: [1, 2] } })).toBe('地块 · 2 宗地块');
    expect(targetSummary({ layer: 'district-figures', filters: {} })).toBe('区县统计表');
  });

  it('turns the district panel or the view box, and the map filter, into the parcels to export, telling what cannot be carried', () => {
    const huli = { code: '350206', name: '湖里区' };
    expect(mapParcelsTarget({ district: huli }, null, 120)).toEqual({ layer: 'parcels', filters: { district: '350206' }, names: { district: '湖里区' }, expectedCount: 120, notes: [] });
    const suspected = mapParcelsTarget({ district: huli }, { kind: 'status', code: 'suspected' }, 120);
    expect(suspected.filters).toEqual({ district: '350206', status: 'suspected' });
    // The panel's count is the district's, not the filtered one: not shown as expected.
    expect(suspected.expectedCount).toBeNull();
    expect(mapParcelsTarget({ district: huli }, { kind: 'type', code: 'stopped' }).filters).toEqual({ district: '350206', type: 'stopped' });
    const none = mapParcelsTarget({ district: huli }, { kind: 'type', code: 'none' }, 120);
    expect(none.filters).toEqual({ district: '350206' });
    expect(none.notes).toEqual(['地图上的“非低效”筛选不能用于导出，将导出湖里区的全部地块']);
    const share = mapParcelsTarget({ district: huli }, { kind: 'share', min: 0.2 }, 120);
    expect(share.filters).toEqual({ district: '350206' });
    expect(share.notes?.[0]).toContain('网格');
    const box = mapParcelsTarget({ bbox: [118.1, 24.5, 118.12, 24.52] }, { kind: 'type', code: 'none' });
    expect(box).toEqual({ layer: 'parcels', filters: { bbox: [118.1, 24.5, 118.12, 24.52] }, names: {}, expectedCount: null, notes: ['地图上的“非低效”筛选不能用于导出，将导出地图范围内的全部地块'] });
  });

  it('counts rows in the unit of the layer', () => {
    expect(rowCountText('parcels', 12345)).toBe('12,345 宗');
    expect(rowCountText('survey', 3)).toBe('3 个图斑');
    expect(rowCountText('areas', 3)).toBe('3 个要素');
    expect(rowCountText('district-figures', 7)).toBe('7 行');
    expect(rowCountText('area-report', 1)).toBeNull();
    expect(rowCountText('parcels', null)).toBeNull();
  });
});
