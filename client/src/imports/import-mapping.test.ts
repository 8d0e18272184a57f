import { describe, expect, it } from 'vitest';
import type { ImportLayer } from './imports.api.js';
import { combinedMapping, duplicateTargets, effectiveEdits, exampleValues } from './import-mapping.js';

function layer(id: string, mapping: Record<string, string | null>, skipped = false): ImportLayer {
  return {
    id,
    name: `${id}.shp`,
    format: 'shapefile',
    gdalLayer: id,
    geometryType: 'Polygon',
    featureCount: 1,
    fields: Object.keys(mapping).map((name) => ({ name, type: 'String' })),
    extent: null,
    selected: !skipped,
    skipped: skipped ? { reason: 'not_polygon', message: '只能导入面图层' } : null,
    encoding: null,
    crs: null,
    crsCheck: null,
    mapping,
    units: null,
  };
}

describe('import field mapping', () => {
  it('sends one mapping for every layer, with the edits on top', () => {
    const layers = [layer('DLTB', { BSM: 'bsm', DLMC: 'landUseName' }), layer('DLTB_2', { BSM: 'bsm', BZ: 'remark' })];

    expect(combinedMapping(layers, { DLMC: null })).toEqual({ BSM: 'bsm', DLMC: null, BZ: 'remark' });
  });

  it('leaves out the fields of skipped layers', () => {
    const layers = [layer('DLTB', { BSM: 'bsm' }), layer('XZDW', { KD: null }, true)];

    expect(combinedMapping(layers)).toEqual({ BSM: 'bsm' });
  });

  it('does not count choosing the proposal again as a change', () => {
    const layers = [layer('DLTB', { BSM: 'bsm', DLMC: 'landUseName' })];

    expect(effectiveEdits(layers, { BSM: 'bsm', DLMC: 'remark' })).toEqual({ DLMC: 'remark' });
  });

  it('marks a target chosen twice in a layer', () => {
    const dltb = layer('DLTB', { DLMC: 'landUseName', MC: null });

    expect([...duplicateTargets(dltb, { DLMC: 'landUseName', MC: 'landUseName' })]).toEqual(['landUseName']);
    expect(duplicateTargets(dltb, { DLMC: 'landUseName', MC: null }).size).toBe(0);
  });

  it('takes the first non-empty value of each field as its example', () => {
    const rows = [{ DLMC: '', BZ: null }, { DLMC: '工业用地', BZ: null }];

    expect(exampleValues(rows, ['DLMC', 'BZ'])).toEqual({ DLMC: '工业用地' });
  });
});
