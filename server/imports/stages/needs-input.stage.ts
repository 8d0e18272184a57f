import { NO_POLYGONS, UNSUPPORTED_CRS, refusal, type Refusal } from '../../../domain/import/refusals.js';
import type { ImportNeeds } from '../../../domain/api/imports.schemas.js';
import type { ImportLayerState, ImportRow } from '../imports.repository.js';
import { encodingFromBytes } from '../polygon-layer.reader.js';
import type { ValidationReport } from './validate.stage.js';

/** Below this confidence a guessed CRS or encoding is put to the user. */
const CONFIDENT = 0.8;

/** What comes after describing: load the layers, ask the user, or refuse the upload. */
export type NextStep = { next: 'load' } | { next: 'needs-input'; needs: ImportNeeds } | { next: 'refused'; refusal: Refusal };

/**
 * Stage 2, needs-input: whether the import can go on by itself. It cannot when no layer is
 * usable or a CRS is refused (西安80/北京54), and it asks when a CRS was guessed from coordinates,
 * a .prj contradicts the coordinates, or the encoding is unsure.
 */
export function nextStep(row: ImportRow, layers: ImportLayerState[]): NextStep {
  const usable = layers.filter((layer) => layer.selected && !layer.skipped);
  if (usable.length === 0) {
    const reasons = layers.map((layer) => layer.skipped?.message).filter(Boolean);
    return { next: 'refused', refusal: refusal(NO_POLYGONS, `没有可导入的面图层。${reasons.join(' ')}`) };
  }
  const refusedCrs = usable.find((layer) => layer.crs?.refused && !row.options.srid);
  if (refusedCrs) return { next: 'refused', refusal: refusal(UNSUPPORTED_CRS, refusedCrs.crs!.refused!.message, refusedCrs.name) };
  for (const layer of usable) {
    if (layer.encoding && layer.encoding.confidence < CONFIDENT && !row.options.encoding) {
      return { next: 'needs-input', needs: { what: 'encoding', layer: layer.id, proposal: layer.encoding.encoding, message: `无法确定“${layer.name}”的属性编码（${layer.encoding.reason}），建议 ${layer.encoding.encoding}，请确认。` } };
    }
    if (row.options.srid) continue;
    const crs = layer.crs;
    if (crs?.sourceWkt) continue;
    if (!crs || crs.srid === null) {
      return { next: 'needs-input', needs: { what: 'srid', layer: layer.id, proposal: null, message: `无法确定“${layer.name}”的坐标系：${crs?.reason ?? '没有 .prj'}。请选择坐标系（如 CGCS2000 3度带 第39带 EPSG:4527，或中央经线 117°E EPSG:4548）。` } };
    }
    if (layer.crsCheck && !layer.crsCheck.consistent) {
      return { next: 'needs-input', needs: { what: 'srid', layer: layer.id, proposal: layer.crsCheck.suggestedSrid ?? null, message: `“${layer.name}”声明的坐标系与坐标不符：${layer.crsCheck.message}。请确认坐标系。` } };
    }
    if (crs.confidence < CONFIDENT || crs.source === 'coordinates') {
      return { next: 'needs-input', needs: { what: 'srid', layer: layer.id, proposal: crs.srid, message: `“${layer.name}”的坐标系是根据坐标推测的：${crs.reason}。建议 ${crs.label}，请确认。` } };
    }
  }
  return { next: 'load' };
}

/**
 * After validation: a layer that GDAL read without a single feature was almost always read in the
 * wrong encoding, so the user is asked again, with the encoding the bytes show.
 */
export async function needsAfterValidation(layers: ImportLayerState[], report: ValidationReport): Promise<ImportNeeds | null> {
  const expected = layers.filter((layer) => layer.stagingTable).reduce((sum, layer) => sum + Math.max(layer.featureCount, 0), 0);
  if (report.features > 0 || expected === 0) return null;
  const layer = layers.find((candidate) => candidate.stagingTable)!;
  const proposal = (await encodingFromBytes(layer))?.encoding ?? 'gbk';
  return { what: 'encoding', layer: layer.id, proposal, message: `按 ${layer.encoding?.encoding ?? '当前编码'} 读取“${layer.name}”时一个要素也没有读出，编码很可能不对。建议 ${proposal}，请确认。` };
}
