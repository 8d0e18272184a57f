import type { Refused } from '../../../domain/import/refusals.js';
import type { ImportLayerState, ImportRow } from '../imports.repository.js';
import { isGcj02, readPolygonLayer } from '../polygon-layer.reader.js';
import type { StageContext } from './stage-context.js';
import type { LayerCheck } from './validate.stage.js';

/** The staging table of the `index`-th layer of an import: named by the pipeline, never by a user. */
export function stagingName(importId: string, index: number): string {
  return `i${importId.replace(/-/g, '').slice(0, 24)}_${index}`;
}

/**
 * Stage 3, load into staging: GDAL reads each selected layer, reprojected to EPSG:4490, into an
 * UNLOGGED table of schema `staging` (COPY, 65 536 rows a transaction); a layer in GCJ-02 (火星坐标)
 * is read as WGS84 and its vertices then converted GCJ-02 → WGS84. CGCS2000 Gauss-Kruger
 * coordinates and GBK text are left for PostgreSQL to convert, batch by batch in stage 4
 * (databaseReprojection, databaseDecoding): every reader of a staged table comes after. Progress is reported by
 * features read over all layers. A layer's `check` (stage 4) starts on the rows GDAL has committed
 * while it is still reading (`LayerCheck.follow`).
 */
export async function loadIntoStaging(context: StageContext, row: ImportRow, layers: ImportLayerState[], options: { check?: (layer: ImportLayerState, table: string) => LayerCheck | null } = {}): Promise<Refused<{ layers: ImportLayerState[] }>> {
  const selected = layers.filter((layer) => layer.selected && !layer.skipped);
  const total = selected.reduce((sum, layer) => sum + Math.max(layer.featureCount, 1), 0);
  let done = 0;
  const loaded: ImportLayerState[] = [];
  for (const [index, layer] of layers.entries()) {
    if (!layer.selected || layer.skipped) {
      loaded.push(layer);
      continue;
    }
    const table = stagingName(row.id, index);
    let reported = 0;
    // The layer's check follows GDAL's commits (not for GCJ-02: its vertices are converted after the load).
    const check = isGcj02(layer, row.options.srid) ? null : options.check?.(layer, table) ?? null;
    let settle: (value: unknown) => void = () => undefined;
    check?.follow(new Promise((resolve) => { settle = resolve; }));
    const read = await readPolygonLayer(layer, { format: 'postgres', databaseUrl: context.databaseUrl, databaseRole: context.databaseRole, table }, {
      srid: row.options.srid, folder: context.folderOf(row.id),
      // GDAL reads the layer again, skipping broken features, into a new table: what was checked is
      // forgotten, and the table of the failed read dropped (ogr2ogr's -overwrite does not find a
      // table of schema `staging` by its bare name, and would refuse to create it again).
      beforeRetry: async () => {
        await check?.reset();
        await context.imports.dropStaging([table]);
      },
      onProgress: (fraction) => {
        const overall = (done + fraction * Math.max(layer.featureCount, 1)) / total;
        if (overall - reported < 0.01) return;
        reported = overall;
        // Progress is shown, not needed: a failed write (the database away) must not end the process.
        context.progress(row.id, 'read', overall).catch(() => undefined);
      },
    });
    settle(undefined);
    if (!read.ok) {
      await check?.reset();
      return read;
    }
    if (isGcj02(layer, row.options.srid)) await context.imports.convertGcj02(table);
    done += Math.max(layer.featureCount, 1);
    loaded.push({ ...layer, stagingTable: table });
  }
  return { ok: true, layers: loaded };
}
