/**
 * What can leave the product (issue 14): each layer, the formats it can be written in, and the
 * choices a user makes. Shared by the server (validation, dispatch) and the client (the 导出 dialog).
 */

export const EXPORT_LAYERS = [
  { code: 'parcels', label: '地块', description: '低效用地数据库的地块（按筛选条件、框选或当前选择）' },
  { code: 'survey', label: '变更调查图斑', description: '某一年度的变更调查图斑' },
  { code: 'areas', label: '成片改造区域', description: '成片改造区域范围及其零星、配套用地（分图层）' },
  { code: 'district-figures', label: '区县统计表', description: '按状态、低效类型统计的宗数与面积，分区县和全市合计' },
  { code: 'area-report', label: '成片改造区域校验报告', description: '区域图、指标表、逐条规则校验及依据' },
  { code: 'parcel-card', label: '一宗一卡', description: '地块全部属性、位置图与变更记录' },
  { code: 'stock-package', label: '上图入库成果包', description: '区县两库一清单成果包：低效用地和历史遗留用地图层（GeoPackage）或汇总表（Excel），按成果包冻结的内容' },
] as const;
export type ExportLayer = (typeof EXPORT_LAYERS)[number]['code'];
export const EXPORT_LAYER_CODES = EXPORT_LAYERS.map((layer) => layer.code) as ExportLayer[];

export const EXPORT_FORMATS = [
  { code: 'geojson', label: 'GeoJSON', extension: '.geojson', description: 'RFC 7946，WGS84 经纬度；网页地图和 QGIS 直接打开' },
  { code: 'shapefile', label: 'Shapefile (zip)', extension: '.zip', description: 'ArcGIS、SuperMap 通用；含 .prj、.cpg 和字段对照表' },
  { code: 'gpkg', label: 'GeoPackage', extension: '.gpkg', description: '单个文件、字段名不限长、UTF-8；QGIS 首选' },
  { code: 'filegdb', label: 'File Geodatabase (zip)', extension: '.gdb.zip', description: 'ArcGIS 文件地理数据库（GDAL OpenFileGDB 写出）' },
  { code: 'xlsx', label: 'Excel (.xlsx)', extension: '.xlsx', description: '中文表头带单位，数字为数值、日期为日期' },
  { code: 'csv', label: 'CSV', extension: '.csv', description: 'UTF-8（带 BOM，Excel 直接打开）' },
  { code: 'pdf', label: 'PDF', extension: '.pdf', description: 'A4 打印版，内嵌中文字体' },
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number]['code'];
export const EXPORT_FORMAT_CODES = EXPORT_FORMATS.map((format) => format.code) as ExportFormat[];

/** Which formats each layer can be written in; the first is the default. */
export const LAYER_FORMATS: Readonly<Record<ExportLayer, readonly ExportFormat[]>> = {
  parcels: ['shapefile', 'geojson', 'gpkg', 'filegdb', 'xlsx', 'csv'],
  survey: ['shapefile', 'geojson', 'gpkg', 'filegdb'],
  areas: ['shapefile', 'geojson', 'gpkg', 'filegdb'],
  'district-figures': ['xlsx'],
  'area-report': ['pdf'],
  'parcel-card': ['pdf'],
  'stock-package': ['gpkg', 'xlsx'],
};

/** Formats that carry geometry and so a coordinate system. */
export const GEODATA_FORMATS: readonly ExportFormat[] = ['geojson', 'shapefile', 'gpkg', 'filegdb'];

/**
 * Coordinate systems: `gauss-kruger` is CGCS2000 3-degree Gauss-Kruger with the zone chosen from
 * the data's extent (EPSG:4513–4533, zone number prefixed to x, as the national survey delivers);
 * `EPSG:4490` is CGCS2000 longitude/latitude. GeoJSON is always WGS84 longitude/latitude (RFC 7946;
 * CGCS2000 and WGS84 differ by centimetres).
 */
export const EXPORT_CRS = [
  { code: 'gauss-kruger', label: 'CGCS2000 3度带高斯-克吕格（按数据范围选带）', description: '与国土调查成果一致，ArcGIS 可直接量算面积' },
  { code: 'EPSG:4490', label: 'CGCS2000 经纬度 (EPSG:4490)', description: '跨两个投影带的数据用它，不会变形' },
] as const;
export type ExportCrs = (typeof EXPORT_CRS)[number]['code'];
export const EXPORT_CRS_CODES = EXPORT_CRS.map((crs) => crs.code) as ExportCrs[];

export const EXPORT_ENCODINGS = [
  { code: 'GBK', label: 'GBK', description: 'ArcGIS、SuperMap 默认；GBK 以外的字符将改用 UTF-8 并说明' },
  { code: 'UTF-8', label: 'UTF-8', description: 'QGIS 与新版 ArcGIS Pro' },
] as const;
export type ExportEncoding = (typeof EXPORT_ENCODINGS)[number]['code'];
export const EXPORT_ENCODING_CODES = EXPORT_ENCODINGS.map((encoding) => encoding.code) as ExportEncoding[];

/** An export job's life: queued → running → done | failed | cancelled; a done file expires after the retention. */
export const EXPORT_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled', 'expired'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** The most parcels a "current selection" may name (bigger selections are exported by filter or box). */
export const MAX_EXPORT_SELECTION = 10_000;

export function exportFormatOf(code: string) {
  return EXPORT_FORMATS.find((format) => format.code === code);
}

export function exportLayerOf(code: string) {
  return EXPORT_LAYERS.find((layer) => layer.code === code);
}
