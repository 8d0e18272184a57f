import { landCategoryLabel } from '@domain/land-categories.js';
import {
  EXPORT_CRS, EXPORT_ENCODINGS, EXPORT_FORMATS, GEODATA_FORMATS, LAYER_FORMATS, exportLayerOf,
  type ExportCrs, type ExportEncoding, type ExportFormat, type ExportLayer,
} from '@domain/exports/export-kinds.js';
import { INEFFICIENCY_TYPE_CODES, inefficiencyTypeLabel, statusLabel, type InefficiencyType } from '@domain/efficiency.js';
import { landUseLabel } from '@domain/land-use.js';
import { EXPORT_FILTER_LABELS as LABELS } from '@domain/exports/export-request.validation.js';
import type { MapFilter } from '../browse/browse-state.js';
import type { BoundingBox } from '../map/geo-types.js';
import type { ExportFilters, ExportRequest } from './exports.api.js';

/**
 * What the user asked to export, from where they were: the layer, the filters the server applies,
 * and the names the filters only carry as codes or ids (the district's, the area's, the parcel's),
 * so the dialog can say in plain Chinese what leaves the product.
 */
export interface ExportTarget {
  layer: ExportLayer;
  filters: ExportFilters;
  names?: { district?: string; area?: string; parcel?: string; package?: string };
  /** Rows the user expects, when the page that opened the dialog knows it (the panel's parcel count). */
  expectedCount?: number | null;
  /** What the page shows but the export cannot narrow by (told, not silently dropped). */
  notes?: readonly string[];
}

/** The choices the dialog offers for a target. */
export interface ExportChoice {
  format: ExportFormat;
  crs: ExportCrs;
  encoding: ExportEncoding;
}

export interface DescribedFilter {
  key: keyof ExportFilters;
  label: string;
  value: string;
}

/** The formats a layer can be written in, with their labels and one-line explanations; the first is the default. */
export function formatOptions(layer: ExportLayer) {
  return LAYER_FORMATS[layer].map((code) => EXPORT_FORMATS.find((format) => format.code === code)!);
}

export function defaultChoice(layer: ExportLayer): ExportChoice {
  return { format: LAYER_FORMATS[layer][0], crs: 'gauss-kruger', encoding: 'GBK' };
}

/** A coordinate system is chosen for geodata, except GeoJSON (always WGS84 longitude/latitude, RFC 7946). */
export function crsApplies(format: ExportFormat): boolean {
  return GEODATA_FORMATS.includes(format) && format !== 'geojson';
}

/** Why no coordinate system is offered for a format, or null when one is. */
export function crsFixedText(format: ExportFormat): string | null {
  if (format === 'geojson') return 'GeoJSON 固定为 WGS84 经纬度（RFC 7946 规定），无需选择';
  return null;
}

/** The text encoding is chosen for Shapefile only (its DBF has no fixed one; the others are UTF-8). */
export function encodingApplies(format: ExportFormat): boolean {
  return format === 'shapefile';
}

export const CRS_OPTIONS = EXPORT_CRS;
export const ENCODING_OPTIONS = EXPORT_ENCODINGS;

/** The request body: the crs and encoding only where they apply, so the server never reads a choice that was not offered. */
export function exportRequestOf(target: ExportTarget, choice: ExportChoice): ExportRequest {
  const body: ExportRequest = { layer: target.layer, format: choice.format, filters: target.filters };
  if (crsApplies(choice.format)) body.crs = choice.crs;
  if (encodingApplies(choice.format)) body.encoding = choice.encoding;
  return body;
}

function coordinate(value: number): string {
  return value.toFixed(4);
}

/** Each filter of a target, in plain Chinese ('行政区：湖里区', '效率状态：疑似低效', '当前选择：12 宗地块'), labelled as the server's messages name them. */
export function describeFilters(target: ExportTarget): DescribedFilter[] {
  const { filters, names = {} } = target;
  const rows: DescribedFilter[] = [];
  if (filters.district) rows.push({ key: 'district', label: LABELS.district, value: names.district ?? filters.district });
  if (filters.townOrPark) rows.push({ key: 'townOrPark', label: LABELS.townOrPark, value: filters.townOrPark });
  if (filters.status) rows.push({ key: 'status', label: LABELS.status, value: statusLabel(filters.status) });
  if (filters.type) rows.push({ key: 'type', label: LABELS.type, value: inefficiencyTypeLabel(filters.type) });
  if (filters.category) rows.push({ key: 'category', label: LABELS.category, value: landCategoryLabel(filters.category === 'none' ? null : filters.category) });
  if (filters.landUse) rows.push({ key: 'landUse', label: LABELS.landUse, value: landUseLabel(filters.landUse) });
  if (filters.bbox) {
    const [west, south, east, north] = filters.bbox;
    rows.push({ key: 'bbox', label: LABELS.bbox, value: `经度 ${coordinate(west)}–${coordinate(east)}，纬度 ${coordinate(south)}–${coordinate(north)}` });
  }
  if (filters.ids) {
    const single = filters.ids.length === 1 && names.parcel;
    rows.push({ key: 'ids', label: LABELS.ids, value: single ? names.parcel! : `${filters.ids.length.toLocaleString('zh-CN')} 宗地块` });
  }
  if (filters.year !== undefined) rows.push({ key: 'year', label: LABELS.year, value: `${filters.year} 年` });
  if (filters.areaId !== undefined) rows.push({ key: 'areaId', label: LABELS.areaId, value: names.area ?? `区域 ${filters.areaId}` });
  if (filters.parcelId !== undefined) rows.push({ key: 'parcelId', label: LABELS.parcelId, value: names.parcel ?? `地块 ${filters.parcelId}` });
  if (filters.packageId !== undefined) rows.push({ key: 'packageId', label: LABELS.packageId, value: names.package ?? `成果包 ${filters.packageId}` });
  return rows;
}

/** One line for a target: '地块 · 湖里区 · 疑似低效' (the dialog's subtitle, the list's fallback title). */
export function targetSummary(target: Pick<ExportTarget, 'layer' | 'filters' | 'names'>): string {
  const layer = exportLayerOf(target.layer)?.label ?? target.layer;
  return [layer, ...describeFilters(target as ExportTarget).map((row) => row.value)].join(' · ');
}

/**
 * The parcels the map shows: those of the district panel's district (the city code for the whole
 * city) or of the map's view box, narrowed to the 效率状态 or 低效类型 the map is narrowed to. A
 * 低效用地占比 class narrows the grid only, and 非低效 is no 低效类型: both are told, not dropped silently.
 */
export function mapParcelsTarget(
  where: { district: { code: string; name: string } } | { bbox: BoundingBox },
  filter: MapFilter | null,
  expectedCount: number | null = null,
): ExportTarget {
  const filters: ExportFilters = 'district' in where ? { district: where.district.code } : { bbox: where.bbox };
  const place = 'district' in where ? where.district.name : '地图范围内';
  const notes: string[] = [];
  if (filter?.kind === 'status') filters.status = filter.code as ExportFilters['status'];
  else if (filter?.kind === 'type') {
    if (INEFFICIENCY_TYPE_CODES.includes(filter.code as InefficiencyType)) filters.type = filter.code as InefficiencyType;
    else notes.push(`地图上的“${inefficiencyTypeLabel(null)}”筛选不能用于导出，将导出${place}的全部地块`);
  } else if (filter?.kind === 'category') {
    filters.category = filter.code as ExportFilters['category'];
  } else if (filter?.kind === 'share') {
    notes.push('“低效用地占比”筛选只作用于网格显示，导出不受它影响');
  }
  const narrowed = filters.status !== undefined || filters.type !== undefined || filters.category !== undefined;
  const names = 'district' in where ? { district: where.district.name } : {};
  return { layer: 'parcels', filters, names, expectedCount: narrowed ? null : expectedCount, notes };
}

/** The rows a job wrote, with the unit of its layer ('1,234 宗', '56 个图斑'); PDFs have none to show. */
export function rowCountText(layer: string, rowCount: number | null): string | null {
  if (rowCount === null || layer === 'area-report' || layer === 'parcel-card') return null;
  const count = rowCount.toLocaleString('zh-CN');
  if (layer === 'parcels') return `${count} 宗`;
  if (layer === 'survey') return `${count} 个图斑`;
  if (layer === 'areas') return `${count} 个要素`;
  return `${count} 行`;
}
