import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { AreaDetail } from './areas.api.js';
import { AreaEditor, LOG_LIMIT } from './area-editor.js';

function square(x: number, size = 0.001): Polygon {
  return { type: 'Polygon', coordinates: [[[118.1 + x, 24.5], [118.1 + x + size, 24.5], [118.1 + x + size, 24.5 + size], [118.1 + x, 24.5 + size], [118.1 + x, 24.5]]] };
}

function savedArea(overrides: Partial<AreaDetail> = {}): AreaDetail {
  return {
    id: 7, name: '湖里片区', districtCode: '350206', districtName: '湖里区', status: 'draft', kind: 'new_industrial', version: 3,
    ruleSetId: 'xiamen-new-industrial', ruleSetVersion: 1, areaM2: 12_000, pass: true,
    updatedAt: '2024-05-01T08:00:00.000Z', updatedBy: 'planner', approvedVersion: null, pinned: null, pinnedVerdict: null, reviews: [],
    mode: 'other', modeOther: '混合', targetLandUse: '新型产业用地',
    input: {
      ruleSet: 'xiamen-new-industrial', ruleSetVersion: 1, boundary: { type: 'MultiPolygon', coordinates: [square(0).coordinates] },
      parcels: [1, 2], fragmentParcels: [2], uncoveredIsFragment: false,
      fragments: { type: 'FeatureCollection', features: [] },
      supportingLand: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: square(0, 0.0002), properties: null }] },
      figures: { totalFloorArea: 10000, supportingFloorArea: null, factoryFloorArea: 6000 },
    },
    result: {} as AreaDetail['result'],
    versions: [],
    ...overrides,
  };
}

describe('AreaEditor', () => {
  it('logs every change with a Chinese description, undoes and redoes them, and knows when it is back at the saved state', () => {
    const editor = new AreaEditor();
    expect(editor.snapshot.dirty).toBe(false);
    editor.setBoundary(square(0), '绘制边界');
    editor.addMarkedLand('supporting', square(0, 0.0005), '绘制配套用房用地');
    editor.toggleParcel(5, '350206-000005');
    editor.setFloorArea('totalFloorArea', 12000);
    expect(editor.snapshot.log.map((entry) => entry.description)).toEqual([
      '绘制边界', '绘制配套用房用地', '剔除地块 350206-000005', '总计容建筑面积 改为 12,000 m²',
    ]);
    expect(editor.snapshot.dirty).toBe(true);

    editor.undo();
    editor.undo();
    expect(editor.snapshot.content.excludedParcelIds).toEqual([]);
    expect(editor.snapshot.content.figures.totalFloorArea).toBeNull();
    expect(editor.canRedo).toBe(true);
    editor.redo();
    expect(editor.snapshot.content.excludedParcelIds).toEqual([5]);

    // A new change drops what could be redone.
    editor.setUncoveredIsFragment(false);
    expect(editor.canRedo).toBe(false);
    expect(editor.snapshot.log).toHaveLength(4);

    while (editor.canUndo) editor.undo();
    expect(editor.snapshot.content.boundary).toBeNull();
    expect(editor.snapshot.dirty).toBe(false);
  });

  it('keeps at most LOG_LIMIT steps', () => {
    const editor = new AreaEditor();
    for (let index = 0; index <= LOG_LIMIT + 5; index++) editor.setFloorArea('totalFloorArea', index);
    expect(editor.snapshot.log).toHaveLength(LOG_LIMIT);
    expect(editor.snapshot.position).toBe(LOG_LIMIT);
  });

  it('takes a parcel marked as 零星用地 in, and drops the mark of a parcel left out', () => {
    const editor = new AreaEditor();
    editor.setBoundary(square(0), '绘制边界');
    editor.toggleParcel(3, 'A');
    editor.toggleFragmentParcel(3, 'A');
    expect(editor.snapshot.content).toMatchObject({ excludedParcelIds: [], fragmentParcelIds: [3] });
    editor.toggleParcel(3, 'A');
    expect(editor.snapshot.content).toMatchObject({ excludedParcelIds: [3], fragmentParcelIds: [] });
  });

  it('builds the checks body: parcels only when some are left out, markedLand as features, the area itself left out of overlaps', () => {
    const editor = new AreaEditor();
    expect(editor.checkBody([])).toBeNull();
    editor.setBoundary(square(0), '绘制边界');
    editor.addMarkedLand('fragment', square(0, 0.0002), '绘制零星用地');
    expect(editor.checkBody([1, 2, 3])).toMatchObject({ ruleSet: 'xiamen-new-industrial', uncoveredIsFragment: true, fragments: { type: 'FeatureCollection' } });
    expect(editor.checkBody([1, 2, 3])?.parcels).toBeUndefined();
    editor.toggleParcel(2, 'B');
    expect(editor.checkBody([1, 2, 3])?.parcels).toEqual([1, 3]);

    editor.setMeta({ name: ' 湖里片区 ', mode: 'other', modeOther: '混合改造' });
    expect(editor.saveBody([1, 2, 3], '初稿')).toMatchObject({ name: '湖里片区', mode: 'other', modeOther: '混合改造', note: '初稿', parcels: [1, 3] });
  });

  it('loads a saved area, turns its taken parcels into the ones left out once the parcels are known, and stays unchanged', () => {
    const editor = new AreaEditor();
    editor.load(savedArea());
    const { snapshot } = editor;
    expect(snapshot).toMatchObject({ areaId: 7, version: 3, status: 'draft', dirty: false, pendingTakenIds: [1, 2] });
    expect(snapshot.content.boundary?.type).toBe('Polygon');
    expect(snapshot.content.supportingLand).toHaveLength(1);
    expect(snapshot.meta).toMatchObject({ name: '湖里片区', mode: 'other', modeOther: '混合', targetLandUse: '新型产业用地' });
    expect(editor.checkBody([])?.parcels).toEqual([1, 2]);
    expect(editor.checkBody([])?.excludeArea).toBe(7);

    editor.resolvePendingTaken([1, 2, 4]);
    expect(editor.snapshot).toMatchObject({ pendingTakenIds: null, dirty: false });
    expect(editor.snapshot.content.excludedParcelIds).toEqual([4]);
    expect(editor.checkBody([1, 2, 4])?.parcels).toEqual([1, 2]);
    expect(editor.canUndo).toBe(false);
  });

  it('is editable only while new, a draft or returned', () => {
    const editor = new AreaEditor();
    expect(editor.editable).toBe(true);
    editor.load(savedArea({ status: 'submitted' }));
    expect(editor.editable).toBe(false);
    editor.noteStatus('returned', 4);
    expect(editor.editable).toBe(true);
  });
});
