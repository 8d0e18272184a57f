import { ref } from 'vue';
import { ElMessage } from 'element-plus';
import { fetchParcelGeoJson } from './areas.api.js';
import { ApiError, isAbort } from '../http/request.js';
import type { BoundingBox } from '../map/geo-types.js';
import { boxOf, type Areal, type Box } from './area-geometry.js';
import { MAX_BOX_DEGREES, ParcelStore, PARCELS_MIN_ZOOM, splitBox } from './parcel-store.js';

/** Parcels around the area, at full precision, loaded by bounding box. */
export function useAreaParcels(options: { onBoundaryParcelsLoaded: () => void }) {
  const parcels = new ParcelStore();
  const parcelsRevision = ref(0);
  const parcelsLoading = ref(false);
  let parcelLoads = 0;

  async function loadParcelBoxes(boxes: Box[]): Promise<void> {
    const missing = boxes.filter((box) => !parcels.covers(box));
    if (missing.length === 0) return;
    parcelLoads++;
    parcelsLoading.value = true;
    try {
      for (const box of missing) {
        const collection = await fetchParcelGeoJson(box, { quiet: true });
        parcels.add(box, collection);
        parcelsRevision.value = parcels.revision;
      }
    } catch (error) {
      if (!isAbort(error) && error instanceof ApiError && error.status !== 401) ElMessage({ type: 'warning', message: `地块读取失败：${error.message}`, grouping: true });
    } finally {
      parcelLoads--;
      parcelsLoading.value = parcelLoads > 0;
    }
  }

  /** The parcels the view shows (from zoom 14, where snapping to them makes sense), within 0.1°. */
  function loadViewParcels(bounds: BoundingBox, zoom: number): void {
    if (zoom < PARCELS_MIN_ZOOM) return;
    const centreX = (bounds[0] + bounds[2]) / 2;
    const centreY = (bounds[1] + bounds[3]) / 2;
    const half = MAX_BOX_DEGREES / 2 - 1e-6;
    const box: Box = [
      Math.max(bounds[0], centreX - half), Math.max(bounds[1], centreY - half),
      Math.min(bounds[2], centreX + half), Math.min(bounds[3], centreY + half),
    ];
    void loadParcelBoxes([box]);
  }

  /** Every parcel the boundary may meet, whatever the zoom: the figures need all of them. */
  function ensureBoundaryParcels(shape: Areal | null): Promise<void> {
    if (!shape) return Promise.resolve();
    const box = boxOf(shape);
    const margin = 0.0005;
    const wanted: Box = [box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin];
    const pieces = splitBox(wanted);
    return loadParcelBoxes(pieces).then(() => {
      if (pieces.length > 1) parcels.markCovered(wanted, pieces);
      options.onBoundaryParcelsLoaded();
    });
  }

  return { parcels, parcelsRevision, parcelsLoading, loadViewParcels, ensureBoundaryParcels };
}
