import { reactive } from 'vue';
import type { MultiPolygon } from '@domain/api/parcels.schemas.js';
import type { ParcelDetail } from './parcels.api.js';

/** A parcel picked for a merge: what the request and the map need of it. */
export interface PickedParcel {
  id: number;
  code: string;
  version: number;
  geometry: MultiPolygon;
}

/**
 * Which of 分割 / 合并 is under way, shared by the card's buttons (parcel-lineage-actions.vue) and
 * the panel over the map (parcel-lineage-panel.vue): the card changes as parcels are clicked, the
 * panel and its state stay.
 */
export const lineageTool = reactive<{ mode: 'split' | 'merge' | null; parcel: ParcelDetail | null; picked: PickedParcel[] }>({
  mode: null,
  parcel: null,
  picked: [],
});

export function startSplit(parcel: ParcelDetail): void {
  lineageTool.picked = [];
  lineageTool.parcel = parcel;
  lineageTool.mode = 'split';
}

export function startMerge(parcel: ParcelDetail | null): void {
  lineageTool.parcel = null;
  lineageTool.picked = parcel ? [{ id: parcel.id, code: parcel.code, version: parcel.version, geometry: parcel.geometry }] : [];
  lineageTool.mode = 'merge';
}

export function stopLineageTool(): void {
  lineageTool.mode = null;
  lineageTool.parcel = null;
  lineageTool.picked = [];
}
