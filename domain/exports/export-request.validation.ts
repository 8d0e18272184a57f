import type { ExportFilters, ExportRequest } from '../api/exports.schemas.js';
import { EXPORT_FORMATS, GEODATA_FORMATS, LAYER_FORMATS, exportLayerOf, type ExportLayer } from './export-kinds.js';

export type ExportFilterKey = keyof ExportFilters;

/** The filter words as the 导出 dialog shows them, for messages that name a filter. */
export const EXPORT_FILTER_LABELS: Readonly<Record<ExportFilterKey, string>> = {
  district: '行政区',
  townOrPark: '镇街/园区',
  status: '效率状态',
  type: '低效类型',
  category: '低效用地类别',
  landUse: '地类',
  bbox: '框选范围',
  ids: '当前选择',
  year: '调查年度',
  areaId: '成片改造区域',
  parcelId: '地块',
  packageId: '上图入库成果包',
};

/**
 * The filters each layer understands (`allowed`) and must have (`required`). A key a layer does not
 * read is refused rather than ignored: an export that silently drops a filter says more than it holds.
 */
export const LAYER_FILTERS: Readonly<Record<ExportLayer, { allowed: readonly ExportFilterKey[]; required: readonly ExportFilterKey[] }>> = {
  parcels: { allowed: ['district', 'townOrPark', 'status', 'type', 'category', 'landUse', 'bbox', 'ids'], required: [] },
  survey: { allowed: ['year', 'district'], required: ['year'] },
  areas: { allowed: ['areaId', 'district'], required: [] },
  'district-figures': { allowed: ['district'], required: [] },
  'area-report': { allowed: ['areaId'], required: ['areaId'] },
  'parcel-card': { allowed: ['parcelId'], required: ['parcelId'] },
  'stock-package': { allowed: ['packageId'], required: ['packageId'] },
};

/** A request the contract's schema let through but that cannot be exported: which field, and how to fix it. */
export interface ExportRequestProblem {
  parameter: string;
  message: string;
}

const formatLabel = (code: string) => EXPORT_FORMATS.find((format) => format.code === code)?.label ?? code;

/**
 * What the schema cannot say about an export request: the format fits the layer, the filters are the
 * layer's, required filters are there, a coordinate system only for geodata, an encoding only for
 * Shapefile, a box that is a box. Null when the request is sound (scope and existence are the server's).
 */
export function exportRequestProblem(request: ExportRequest): ExportRequestProblem | null {
  const layer = exportLayerOf(request.layer);
  if (!layer) return { parameter: 'layer', message: `没有导出内容 ${request.layer}。` };
  const formats = LAYER_FORMATS[layer.code];
  if (!formats.includes(request.format)) {
    return {
      parameter: 'format',
      message: `${layer.label}只能导出为：${formats.map(formatLabel).join('、')}；请改选其中一种格式。`,
    };
  }
  const filters = request.filters ?? {};
  const { allowed, required } = LAYER_FILTERS[layer.code];
  for (const key of Object.keys(filters) as ExportFilterKey[]) {
    if (filters[key] === undefined) continue;
    if (!allowed.includes(key)) {
      const accepted = allowed.map((name) => `${EXPORT_FILTER_LABELS[name]} (${name})`).join('、') || '无';
      return { parameter: `filters.${key}`, message: `导出${layer.label}时不能按${EXPORT_FILTER_LABELS[key] ?? key}筛选；可用的筛选条件：${accepted}。请去掉 filters.${key}。` };
    }
  }
  for (const key of required) {
    if (filters[key] === undefined) return { parameter: `filters.${key}`, message: `导出${layer.label}需要指定${EXPORT_FILTER_LABELS[key]} (filters.${key})。` };
  }
  if (request.crs !== undefined && !GEODATA_FORMATS.includes(request.format)) {
    return { parameter: 'crs', message: `${formatLabel(request.format)} 不含图形，不能指定坐标系；请去掉 crs。` };
  }
  if (request.encoding !== undefined && request.format !== 'shapefile') {
    return { parameter: 'encoding', message: `只有 Shapefile 可以选择字符编码（${formatLabel(request.format)} 总是 UTF-8）；请去掉 encoding。` };
  }
  if (filters.bbox) {
    const [minX, minY, maxX, maxY] = filters.bbox;
    const inRange = [minX, maxX].every((x) => Number.isFinite(x) && x >= -180 && x <= 180) && [minY, maxY].every((y) => Number.isFinite(y) && y >= -90 && y <= 90);
    if (!inRange || minX >= maxX || minY >= maxY) {
      return { parameter: 'filters.bbox', message: '框选范围应为 [最小经度, 最小纬度, 最大经度, 最大纬度]（CGCS2000 经纬度），最小值小于最大值；请重新框选。' };
    }
  }
  if (filters.townOrPark !== undefined && /[\u0000-\u001f\u007f]/.test(filters.townOrPark)) {
    return { parameter: 'filters.townOrPark', message: '镇街/园区名称含有控制字符；请从列表中选择或重新输入。' };
  }
  return null;
}
