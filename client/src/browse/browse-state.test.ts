import { describe, expect, it } from 'vitest';
import { BrowseState, type BrowseSnapshot } from './browse-state.js';

function cityState(): BrowseState {
  return new BrowseState({ districtCode: '350200', parcelId: null, colourMode: 'status', dataRevision: 0 });
}

describe('BrowseState', () => {
  it('starts from the snapshot it is given', () => {
    const state = cityState();
    expect(state.snapshot).toEqual({ districtCode: '350200', parcelId: null, colourMode: 'status', dataRevision: 0 });
  });

  it('selects a district and tells listeners the new and the previous snapshot', () => {
    const state = cityState();
    const calls: [BrowseSnapshot, BrowseSnapshot][] = [];
    state.subscribe((next, previous) => calls.push([next, previous]));

    state.selectDistrict('350206');

    expect(state.snapshot.districtCode).toBe('350206');
    expect(calls).toHaveLength(1);
    expect(calls[0][0].districtCode).toBe('350206');
    expect(calls[0][1].districtCode).toBe('350200');
  });

  it('keeps the open parcel card when another district is picked', () => {
    const state = cityState();
    state.selectParcel(7292);

    state.selectDistrict('350203');

    expect(state.snapshot.parcelId).toBe(7292);
  });

  it('opens and clears the parcel card', () => {
    const state = cityState();
    state.selectParcel(15);
    expect(state.snapshot.parcelId).toBe(15);

    state.clearParcel();
    expect(state.snapshot.parcelId).toBeNull();
  });

  it('does not notify when nothing changed', () => {
    const state = cityState();
    let calls = 0;
    state.subscribe(() => calls++);

    state.selectDistrict('350200');
    state.clearParcel();
    state.setColourMode('status');

    expect(calls).toBe(0);
  });

  it('switches the colour mode', () => {
    const state = cityState();
    state.setColourMode('type');
    expect(state.snapshot.colourMode).toBe('type');
  });

  it('stops notifying after unsubscribe', () => {
    const state = cityState();
    let calls = 0;
    const stop = state.subscribe(() => calls++);

    stop();
    state.selectParcel(1);

    expect(calls).toBe(0);
  });

  it('counts saved changes so followers reload once per save', () => {
    const state = cityState();
    const revisions: number[] = [];
    state.subscribe((next) => revisions.push(next.dataRevision));

    state.noteDataChanged();
    state.noteDataChanged();

    expect(revisions).toEqual([1, 2]);
  });

  it('narrows the map to a legend entry, toggles it off, and drops it with the other colour mode', () => {
    const state = cityState();
    state.toggleFilter({ kind: 'status', code: 'identified' });
    expect(state.snapshot.filter).toEqual({ kind: 'status', code: 'identified' });
    state.toggleFilter({ kind: 'status', code: 'identified' });
    expect(state.snapshot.filter).toBeNull();
    state.toggleFilter({ kind: 'type', code: 'idle' });
    expect(state.snapshot).toMatchObject({ colourMode: 'type', filter: { kind: 'type', code: 'idle' } });
    state.setColourMode('status');
    expect(state.snapshot.filter).toBeNull();
    state.toggleFilter({ kind: 'share', min: 0.5 });
    state.setColourMode('status');
    expect(state.snapshot.filter).toEqual({ kind: 'share', min: 0.5 });
    state.setColourMode('type');
    expect(state.snapshot.filter).toBeNull();
  });
});
