import { describe, expect, it } from 'vitest';
import type { TextStorage } from '../app/basemap-setting.js';
import {
  currentSurveyLayers,
  DEFAULT_SURVEY_OPACITY,
  MIN_SURVEY_OPACITY,
  readStoredSurveyLayers,
  SURVEY_LAYERS_STORAGE_KEY,
  SurveyLayerSelection,
  type SurveyLayerSnapshot,
} from './survey-layer-selection.js';

function memoryStorage(initial: Record<string, string> = {}): TextStorage & { values: Map<string, string> } {
  const values = new Map(Object.entries(initial));
  return {
    values,
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

const layer2022 = { year: 2022, tileJson: '/tiles/survey-2022.json', featureCount: 9 };
const layer2023 = { year: 2023, tileJson: '/tiles/survey-2023.json', featureCount: 12 };

describe('SurveyLayerSelection', () => {
  it('starts with nothing on at the default opacity', () => {
    const selection = new SurveyLayerSelection();
    expect(selection.snapshot).toEqual({ available: [], selectedYears: [], opacity: DEFAULT_SURVEY_OPACITY });
    expect(DEFAULT_SURVEY_OPACITY).toBe(0.75);
  });

  it('lists available years newest first', () => {
    const selection = new SurveyLayerSelection();
    selection.setAvailable([layer2022, layer2023]);
    expect(selection.snapshot.available.map((layer) => layer.year)).toEqual([2023, 2022]);
  });

  it('draws only selected years that have a layer, oldest first so later years lie on top', () => {
    const selection = new SurveyLayerSelection();
    selection.setAvailable([layer2023, layer2022]);
    selection.setYear(2023, true);
    selection.setYear(2021, true);
    selection.setYear(2022, true);

    expect(selection.snapshot.selectedYears).toEqual([2021, 2022, 2023]);
    expect(selection.drawn.map((layer) => layer.year)).toEqual([2022, 2023]);
  });

  it('switches a year off again', () => {
    const selection = new SurveyLayerSelection();
    selection.setAvailable([layer2023]);
    selection.setYear(2023, true);
    selection.setYear(2023, false);

    expect(selection.isSelected(2023)).toBe(false);
    expect(selection.drawn).toEqual([]);
  });

  it('tells listeners the new and the previous snapshot, and stays quiet when nothing changes', () => {
    const selection = new SurveyLayerSelection();
    const calls: [SurveyLayerSnapshot, SurveyLayerSnapshot][] = [];
    selection.subscribe((next, previous) => calls.push([next, previous]));

    selection.setYear(2023, true);
    selection.setYear(2023, true);
    selection.setAvailable([]);

    expect(calls).toHaveLength(1);
    expect(calls[0][0].selectedYears).toEqual([2023]);
    expect(calls[0][1].selectedYears).toEqual([]);
  });

  it('keeps the opacity between the minimum and 1', () => {
    const selection = new SurveyLayerSelection();
    selection.setOpacity(1.4);
    expect(selection.snapshot.opacity).toBe(1);
    selection.setOpacity(-0.2);
    expect(selection.snapshot.opacity).toBe(MIN_SURVEY_OPACITY);
    selection.setOpacity(0.456);
    expect(selection.snapshot.opacity).toBe(0.46);
  });

  it('remembers the years and the opacity in storage', () => {
    const storage = memoryStorage();
    const selection = new SurveyLayerSelection({ storage });
    selection.setYear(2023, true);
    selection.setYear(2022, true);
    selection.setOpacity(0.5);

    expect(JSON.parse(storage.values.get(SURVEY_LAYERS_STORAGE_KEY) ?? 'null')).toEqual({ years: [2022, 2023], opacity: 0.5 });

    const reloaded = new SurveyLayerSelection({ storage });
    expect(reloaded.snapshot.selectedYears).toEqual([2022, 2023]);
    expect(reloaded.snapshot.opacity).toBe(0.5);
  });

  it('does not store the list of available layers', () => {
    const storage = memoryStorage();
    const selection = new SurveyLayerSelection({ storage });
    selection.setAvailable([layer2023]);
    expect(storage.values.has(SURVEY_LAYERS_STORAGE_KEY)).toBe(false);
  });

  it('reads a garbled or hand-edited stored value as nothing on', () => {
    expect(readStoredSurveyLayers(memoryStorage({ [SURVEY_LAYERS_STORAGE_KEY]: '{not json' }))).toEqual({
      years: [],
      opacity: DEFAULT_SURVEY_OPACITY,
    });
    expect(readStoredSurveyLayers(memoryStorage({ [SURVEY_LAYERS_STORAGE_KEY]: '{"years":["2023",2022,2022,1.5],"opacity":"x"}' }))).toEqual({
      years: [2022],
      opacity: DEFAULT_SURVEY_OPACITY,
    });
  });

  it('offers only current layers, not the superseded ones kept on record', () => {
    const common = { layerName: 'DLTB', sourceSrid: 4527, importedBy: 'surveyor', importedAt: '2026-11-22T02:40:00.000Z' };
    const options = currentSurveyLayers([
      { ...common, id: 3, year: 2023, featureCount: 12, current: true, tileJson: '/tiles/survey-2023.json' },
      { ...common, id: 1, year: 2023, featureCount: 10, current: false, tileJson: null },
      { ...common, id: 2, year: 2022, featureCount: 9, current: true, tileJson: '/tiles/survey-2022.json' },
    ]);
    expect(options).toEqual([layer2023, layer2022]);
  });
});
