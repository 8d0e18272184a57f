import path from 'node:path';
import fs from 'node:fs';
import { proposeMapping } from '../../../domain/import/field-mapping.js';
import type { TextEncoding } from '../../../domain/import/encoding.js';
import type { Refused } from '../../../domain/import/refusals.js';
import type { ImportLayerState, ImportRow } from '../imports.repository.js';
import { checkLayerCrs, openPolygonLayers } from '../polygon-layer.reader.js';
import type { StageContext } from './stage-context.js';

/** What the import found in the upload, as `GET /api/imports/{id}` shows it under `detected`. */
export type Detected = {
  srid: number | null;
  encoding: string | null;
  confidence: number;
  crs: ImportLayerState['crs'];
  encodingGuess: ImportLayerState['encoding'];
};

/**
 * Stage 1, describe: unpacks the upload and describes its layers (format, fields, extent, encoding,
 * CRS) — or, on a second pass after the user answered, applies the answer to the layers already
 * described (a new encoding, a chosen subset of layers, a field mapping, a CRS to check).
 */
export async function describe(context: StageContext, row: ImportRow): Promise<Refused<{ layers: ImportLayerState[]; detected: Detected }>> {
  let layers = row.layers;
  if (layers.length === 0) {
    await context.progress(row.id, 'read', 0);
    const upload = path.join(context.folderOf(row.id), 'upload');
    const uploads = fs.readdirSync(upload).map((file) => path.join(upload, file));
    const opened = await openPolygonLayers(uploads, path.join(context.folderOf(row.id), 'files'), {
      encoding: row.options.encoding as TextEncoding | undefined, archiveLimits: context.archiveLimits,
    });
    if (!opened.ok) return opened;
    layers = opened.layers;
  } else if (row.options.encoding) {
    // A user's encoding answer: the shapefiles are read again with it.
    const encoding = { encoding: row.options.encoding, confidence: 1, source: 'user', reason: '用户指定' };
    layers = layers.map((layer) => (layer.format === 'shapefile' && layer.gdalLayer ? { ...layer, encoding } : layer));
  }
  if (row.options.layers) layers = layers.map((layer) => ({ ...layer, selected: !layer.skipped && row.options.layers!.includes(layer.id) }));
  layers = layers.map((layer) => {
    const proposed = proposeMapping(row.kind, layer.fields.map((field) => field.name));
    return { ...layer, crsCheck: checkLayerCrs(layer, row.options.srid ?? layer.crs?.srid ?? null), mapping: row.options.mapping ?? proposed.mapping, units: proposed.units };
  });
  const first = layers.find((layer) => layer.selected && !layer.skipped);
  const detected: Detected = {
    srid: row.options.srid ?? first?.crs?.srid ?? null,
    encoding: row.options.encoding ?? first?.encoding?.encoding ?? null,
    confidence: Math.min(first?.crs?.confidence ?? 0, first?.encoding?.confidence ?? 1),
    crs: first?.crs ?? null,
    encodingGuess: first?.encoding ?? null,
  };
  return { ok: true, layers, detected };
}
