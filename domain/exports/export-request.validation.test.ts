import { describe, expect, it } from 'vitest';
import { EXPORT_LAYER_CODES, LAYER_FORMATS } from './export-kinds.js';
import { EXPORT_FILTER_LABELS, LAYER_FILTERS, exportRequestProblem } from './export-request.validation.js';

describe('exportRequestProblem', () => {
  it('accepts each layer in each of its formats with its required filters', () => {
    const required = { year: 2023, areaId: 1, parcelId: 1, packageId: 1 };
    for (const layer of EXPORT_LAYER_CODES) {
      const filters = Object.fromEntries(LAYER_FILTERS[layer].required.map((key) => [key, required[key as keyof typeof required]]));
      for (const format of LAYER_FORMATS[layer]) expect(exportRequestProblem({ layer, format, filters }), `${layer}:${format}`).toBeNull();
    }
  });

  it('names the field at fault and says what to do', () => {
    expect(exportRequestProblem({ layer: 'area-report', format: 'xlsx', filters: { areaId: 1 } })).toEqual({ parameter: 'format', message: '成片改造区域校验报告只能导出为：PDF；请改选其中一种格式。' });
    expect(exportRequestProblem({ layer: 'survey', format: 'gpkg', filters: { year: 2023, status: 'idle' as never } })?.parameter).toBe('filters.status');
    expect(exportRequestProblem({ layer: 'survey', format: 'gpkg' })).toMatchObject({ parameter: 'filters.year', message: expect.stringContaining('调查年度') });
    expect(exportRequestProblem({ layer: 'parcels', format: 'xlsx', crs: 'EPSG:4490' })?.parameter).toBe('crs');
    expect(exportRequestProblem({ layer: 'parcels', format: 'gpkg', encoding: 'UTF-8' })?.parameter).toBe('encoding');
    expect(exportRequestProblem({ layer: 'parcels', format: 'shapefile', encoding: 'UTF-8', crs: 'EPSG:4490' })).toBeNull();
    expect(exportRequestProblem({ layer: 'parcels', format: 'geojson', filters: { bbox: [118.1, 24.5, 118.1, 24.6] } })?.parameter).toBe('filters.bbox');
    expect(exportRequestProblem({ layer: 'parcels', format: 'geojson', filters: { bbox: [118.1, 24.5, 218.2, 24.6] } })?.parameter).toBe('filters.bbox');
    expect(exportRequestProblem({ layer: 'parcels', format: 'geojson', filters: { bbox: [118.1, 24.5, 118.2, 24.6] } })).toBeNull();
  });

  it('has a label for every filter a layer reads', () => {
    for (const { allowed, required } of Object.values(LAYER_FILTERS)) {
      for (const key of [...allowed, ...required]) expect(EXPORT_FILTER_LABELS[key]).toMatch(/[\u4e00-\u9fff]/);
      for (const key of required) expect(allowed).toContain(key);
    }
  });
});
