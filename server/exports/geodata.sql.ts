import type { ExportFilters } from '../../domain/api/exports.schemas.js';
import { AREA_KINDS, AREA_STATUSES, REDEVELOPMENT_MODES } from '../../domain/redevelopment-areas.js';
import { LAND_USE_CODES } from '../../domain/land-use.js';
import { PARCEL_CODE_LABELS, PARCEL_FIELDS as PARCEL_FIELD_DEFINITIONS, columnName, exportFieldName, type ParcelField } from '../../domain/parcel-fields.js';
import { SQUARE_METRES_PER_MU } from '../../domain/units.js';
import type { Scope } from '../auth/scope.js';
import { literal, parcelFilterSql } from './parcel-filter.sql.js';

/**
 * The SELECT statements geodata exports hand to `ogr2ogr -sql` (GDAL reads PostGIS directly; no row
 * passes through Node). Every value in them is a literal or a checked number (see parcel-filter.sql.ts).
 */

/** One attribute of an exported layer. */
export interface GeodataField {
  /** GeoJSON property (camelCase, as the API names it). */
  key: string;
  /** Field name in GeoPackage and File Geodatabase, and the preferred DBF name. */
  name: string;
  /** A shorter DBF name an official would recognise (used when `name` is over 10 bytes). */
  short?: string;
  /** The full Chinese name (字段对照表). */
  label: string;
  unit?: string;
  type: '文本' | '整数' | '数值' | '日期';
  /** SQL expression over the layer's FROM. */
  sql: string;
  /**
   * A text that is one of these labels, or else the raw value of `code` (a code no list knows), or
   * null: its width is known from the labels and measured on the raw code column only.
   */
  labels?: { values: readonly string[]; code: string | null };
}

/** One layer of an export: its rows (FROM … WHERE …), attributes and geometry (EPSG:4490). */
export interface GeodataLayerQuery {
  /** Layer and file name inside the export (ASCII: every reader and zip tool keeps it). */
  name: string;
  /** What it is, in Chinese (layer alias, sheet). */
  title: string;
  fields: GeodataField[];
  from: string;
  geometry: string;
}

const AREA_M2_DECIMALS = 2;
const AREA_MU_DECIMALS = 4;
const m2 = (expression: string) => `round((${expression})::numeric, ${AREA_M2_DECIMALS})::numeric(20,${AREA_M2_DECIMALS})`;
const mu = (expression: string) => `round((${expression})::numeric / ${SQUARE_METRES_PER_MU}, ${AREA_MU_DECIMALS})::numeric(20,${AREA_MU_DECIMALS})`;
/**
 * A stored decimal with room to spare: GDAL sizes a DBF field from the column's type, and numeric(5,4)
 * would give a width of 5 that "0.0250" (6 characters) does not fit.
 */
const decimal = (expression: string, decimals: number) => `(${expression})::numeric(20,${decimals})`;
const yesNo = (expression: string): Pick<GeodataField, 'sql' | 'labels'> => ({
  sql: `CASE ${expression} WHEN true THEN '是' WHEN false THEN '否' END`, labels: { values: ['是', '否'], code: null },
});

/** A code column shown as its Chinese label (the code itself when the list does not know it). */
function labelled(expression: string, list: readonly { code: string; label: string }[]): Pick<GeodataField, 'sql' | 'labels'> {
  return {
    sql: `CASE ${expression} ${list.map((item) => `WHEN ${literal(item.code)} THEN ${literal(item.label)}`).join(' ')} ELSE ${expression} END`,
    labels: { values: list.map((item) => item.label), code: expression },
  };
}

const LAND_USE_LIST = Object.entries(LAND_USE_CODES).map(([code, label]) => ({ code, label }));

/**
 * The exported field(s) of one parcel field, from the field list (domain/parcel-fields.ts): its
 * name in the file (exportFieldName), label and unit as the card has them, codes as their Chinese
 * labels, figures at the card's decimals, fractions as 0–1 ratios, yes/no as 是/否, and beside
 * it what an official reads with it: the 行政区 name, the 地类 name, land areas also in 亩.
 */
export function exportedFields(field: ParcelField): GeodataField[] {
  const column = `p.${columnName(field.key)}`;
  const base = { key: field.key, name: exportFieldName(field), short: field.dbfName, label: field.label, unit: field.unit };
  switch (field.kind) {
    case 'text':
      if (field.key === 'districtCode') {
        return [
          { ...base, label: '行政区划代码', type: '文本', sql: column },
          { key: 'districtName', name: '行政区', label: field.label, type: '文本', sql: 'd.name' },
        ];
      }
      return [{ ...base, type: '文本', sql: column }];
    case 'enum': {
      const labels = PARCEL_CODE_LABELS[field.key];
      const main: GeodataField = { ...base, type: '文本', ...(labels ? labelled(column, labels) : { sql: column }) };
      if (field.key !== 'landUseCode') return [main];
      return [main, { key: 'landUseName', name: '地类名称', label: '土地用途(地类名称)', type: '文本', ...labelled(column, LAND_USE_LIST) }];
    }
    case 'number': {
      const decimals = field.decimals ?? 2;
      const main: GeodataField = { ...base, type: '数值', sql: field.landArea ? m2(column) : decimal(column, decimals) };
      if (!field.landArea) return [main];
      return [main, { key: `${field.key.replace(/M2$/, '')}Mu`, name: `${base.name}亩`, short: base.short && `${base.short}亩`, label: field.label, unit: '亩', type: '数值', sql: mu(column) }];
    }
    case 'fraction':
      // Stored as a ratio (0–1); the card shows it in per cent.
      return [{ ...base, unit: '比值（0–1）', type: '数值', sql: decimal(column, (field.decimals ?? 2) + 2) }];
    case 'date':
      return [{ ...base, type: '日期', sql: column }];
    case 'boolean':
      return [{ ...base, label: `${field.label}（是/否）`, type: '文本', ...yesNo(column) }];
  }
}

/** Every parcel field of the card, in its order, after the parcel's id in this system. */
export const PARCEL_FIELDS: GeodataField[] = [
  { key: 'id', name: '系统编号', label: '系统编号（本系统地块 ID）', type: '整数', sql: 'p.id' },
  ...PARCEL_FIELD_DEFINITIONS.flatMap(exportedFields),
];

/** Parcels the filters and the user's scope select (parcelFilterSql: the one parcel filter). */
export function parcelsQuery(filters: ExportFilters, scope: Scope): GeodataLayerQuery {
  return {
    name: 'parcels',
    title: '地块',
    fields: PARCEL_FIELDS,
    from: `parcels p LEFT JOIN districts d ON d.code = p.district_code WHERE ${parcelFilterSql(filters, scope)}`,
    geometry: 'p.geom',
  };
}

/** 地类图斑 fields under their 第三次全国国土调查 names (DLBM, TBMJ…), which the provincial platforms expect. */
export const SURVEY_FIELDS: GeodataField[] = [
  { key: 'bsm', name: 'BSM', label: '标识码', type: '文本', sql: 's.bsm' },
  { key: 'landUseCode', name: 'DLBM', label: '地类编码', type: '文本', sql: 's.land_use_code' },
  { key: 'landUseName', name: 'DLMC', label: '地类名称', type: '文本', sql: 's.land_use_name' },
  { key: 'ownerUnitName', name: 'QSDWMC', label: '权属单位名称', type: '文本', sql: 's.owner_unit_name' },
  { key: 'locatedUnitName', name: 'ZLDWMC', label: '坐落单位名称', type: '文本', sql: 's.located_unit_name' },
  { key: 'patchAreaM2', name: 'TBMJ', label: '图斑面积（按原始成果）', unit: 'm²', type: '数值', sql: decimal('s.patch_area_m2', 2) },
  { key: 'deductionAreaM2', name: 'KCMJ', label: '扣除地类面积', unit: 'm²', type: '数值', sql: decimal('s.deduction_area_m2', 2) },
  { key: 'patchLandAreaM2', name: 'TBDLMJ', label: '图斑地类面积', unit: 'm²', type: '数值', sql: decimal('s.patch_land_area_m2', 2) },
  { key: 'urbanRuralCode', name: 'CZCSXM', label: '城镇村属性码', type: '文本', sql: 's.urban_rural_code' },
  { key: 'year', name: 'NF', label: '调查年度', type: '整数', sql: 's.year' },
  { key: 'areaM2', name: 'TQMJ', label: '椭球面积（本系统按图形计算，CGCS2000 椭球）', unit: 'm²', type: '数值', sql: m2('s.area_m2') },
  { key: 'areaMu', name: 'TQMJ_MU', label: '椭球面积（本系统按图形计算，CGCS2000 椭球）', unit: '亩', type: '数值', sql: mu('s.area_m2') },
];

/**
 * 图斑 of the current layer of one survey year. Survey layers are base data every reader sees on
 * the map (their tiles are not scoped), so the scope does not narrow them; `district` keeps the
 * 图斑 whose interior point lies in that district (or city), `bbox` those touching the box.
 */
export function surveyQuery(layerId: number, filters: ExportFilters): GeodataLayerQuery {
  const conditions = [`s.layer_id = ${integer(layerId)}`];
  if (filters.district) {
    conditions.push(`ST_Intersects((SELECT dd.geom FROM districts dd WHERE dd.code = ${literal(districtCode(filters.district))}), ST_PointOnSurface(s.geom))`);
  }
  if (filters.bbox) {
    const [minX, minY, maxX, maxY] = filters.bbox.map(finite);
    conditions.push(`ST_Intersects(s.geom, ST_MakeEnvelope(${minX}, ${minY}, ${maxX}, ${maxY}, 4490))`);
  }
  if (filters.landUse) conditions.push(`s.land_use_code LIKE ${literal(`${filters.landUse.replace(/[%_\\]/g, '')}%`)}`);
  return {
    name: 'dltb',
    title: '变更调查地类图斑',
    fields: SURVEY_FIELDS,
    from: `survey_patches s WHERE ${conditions.map((condition) => `(${condition})`).join(' AND ')}`,
    geometry: 's.geom',
  };
}

const AREA_FIELDS: GeodataField[] = [
  { key: 'areaId', name: '区域编号', label: '成片改造区域编号（本系统 ID）', type: '整数', sql: 'a.id' },
  { key: 'name', name: '区域名称', label: '成片改造区域名称', type: '文本', sql: 'a.name' },
  { key: 'districtName', name: '行政区', label: '所在行政区', type: '文本', sql: 'd.name' },
  { key: 'status', name: '审批状态', label: '审批状态', type: '文本', ...labelled('a.status', AREA_STATUSES) },
  { key: 'kind', name: '区域类型', label: '区域类型', type: '文本', ...labelled('a.kind', AREA_KINDS) },
  { key: 'mode', name: '改造模式', label: '再开发模式', type: '文本', sql: `coalesce(a.mode_other, ${labelled('a.mode', REDEVELOPMENT_MODES).sql})` },
  { key: 'version', name: '版本', label: '区域版本号', type: '整数', sql: 'a.version' },
  { key: 'check', name: '校验结果', label: '规则校验结果（通过/未通过/指标未填全）', type: '文本', sql: `CASE a.pass WHEN true THEN '通过' WHEN false THEN '未通过' ELSE '指标未填全' END` },
  { key: 'areaM2', name: '椭球面积', label: '区域椭球面积（CGCS2000 椭球）', unit: 'm²', type: '数值', sql: m2('a.area_m2') },
  { key: 'areaMu', name: '椭球面积亩', label: '区域椭球面积（CGCS2000 椭球）', unit: '亩', type: '数值', sql: mu('a.area_m2') },
];

const ZONE_GEOMETRY = `ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(z.feature->'geometry'), 4490)), 3))`;

const zoneFields = (what: string): GeodataField[] => [
  { key: 'areaId', name: '区域编号', label: '所属成片改造区域编号（本系统 ID）', type: '整数', sql: 'a.id' },
  { key: 'areaName', name: '区域名称', label: '所属成片改造区域名称', type: '文本', sql: 'a.name' },
  { key: 'number', name: '序号', label: `${what}在区域内的序号`, type: '整数', sql: 'z.number' },
  { key: 'areaM2', name: '椭球面积', label: `${what}椭球面积（CGCS2000 椭球）`, unit: 'm²', type: '数值', sql: m2(`ST_Area(${ZONE_GEOMETRY}::geography)`) },
  { key: 'areaMu', name: '椭球面积亩', label: `${what}椭球面积（CGCS2000 椭球）`, unit: '亩', type: '数值', sql: mu(`ST_Area(${ZONE_GEOMETRY}::geography)`) },
];

/** Areas the user may read (their district in scope, as GET /api/areas lists them), by district or one area. */
function areasWhere(filters: ExportFilters, scope: Scope): string {
  const conditions = ['a.deleted_at IS NULL'];
  const districts = scope.districts;
  if (districts !== null) conditions.push(`a.district_code = ANY(ARRAY[${districts.map((code) => literal(districtCode(code))).join(', ')}]::text[])`);
  if (filters.district) {
    const code = literal(districtCode(filters.district));
    conditions.push(`a.district_code IN (SELECT dd.code FROM districts dd WHERE dd.code = ${code} OR dd.parent_code = ${code})`);
  }
  if (filters.areaId) conditions.push(`a.id = ${integer(filters.areaId)}`);
  return conditions.map((condition) => `(${condition})`).join(' AND ');
}

/** 成片改造区域 as three layers: the boundaries, their 零星用地 and their 配套用地 (the drawn zones of the current version). */
export function areaQueries(filters: ExportFilters, scope: Scope): GeodataLayerQuery[] {
  const where = areasWhere(filters, scope);
  const zones = (member: 'fragments' | 'supportingLand') =>
    `areas a JOIN area_versions v ON v.area_id = a.id AND v.version = a.version
     CROSS JOIN LATERAL jsonb_array_elements(coalesce(v.input->'${member}'->'features', '[]'::jsonb)) WITH ORDINALITY AS z(feature, number)
     WHERE ${where}`;
  return [
    { name: 'area_boundary', title: '成片改造区域范围', fields: AREA_FIELDS, from: `areas a LEFT JOIN districts d ON d.code = a.district_code WHERE ${where}`, geometry: 'a.geom' },
    { name: 'area_fragments', title: '零星用地', fields: zoneFields('零星用地'), from: zones('fragments'), geometry: ZONE_GEOMETRY },
    { name: 'area_supporting', title: '配套用地', fields: zoneFields('配套用地'), from: zones('supportingLand'), geometry: ZONE_GEOMETRY },
  ];
}

/** A name as an SQL identifier. */
export function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The statement ogr2ogr runs: the fields under the given names and the geometry in the target
 * EPSG code (4490 and GeoJSON's WGS84 keep CGCS2000 longitude/latitude as stored); `textWidths`
 * sizes text fields (Shapefile: bytes in the DBF's encoding).
 */
export function selectSql(query: GeodataLayerQuery, names: readonly string[], epsg: number, textWidths?: ReadonlyMap<string, number>): string {
  const geometry = epsg === 4490 || epsg === 4326 ? query.geometry : `ST_Transform(${query.geometry}, ${integer(epsg)})`;
  const columns = query.fields.map((field, index) => {
    // A DBF text field is as wide as its type says (GDAL's default of 80 bytes would cut long names).
    const width = textWidths?.get(field.key);
    return `${width === undefined ? field.sql : `(${field.sql})::varchar(${integer(Math.max(1, width))})`} AS ${identifier(names[index])}`;
  });
  return `SELECT ${columns.join(', ')}, ${geometry} AS geom FROM ${query.from}`;
}

/**
 * Characters certainly in GBK (ASCII, the 20 902 CJK ideographs U+4E00–U+9FA5, full-width forms,
 * common CJK punctuation): a text with anything else is checked exactly (convert_to … 'GBK').
 */
export const SURELY_GBK = String.raw`^[\x01-\x7f\u4e00-\u9fa5\uff01-\uff5e\u3001-\u3011\u00b7\u2014\u2018\u2019\u201c\u201d\u2026\u00d7]*$`;

/** The text fields of a layer, joined, for the GBK check. */
export function textOf(query: GeodataLayerQuery): string {
  const texts = query.fields.filter((field) => field.type === '文本').map((field) => field.sql);
  return `concat_ws(' ', ${texts.join(', ')})`;
}

function integer(value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError('an id must be a positive integer');
  return value;
}

function finite(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError('a box corner must be a finite number');
  return value;
}

function districtCode(code: string): string {
  if (!/^[0-9]{6}$/.test(code)) throw new RangeError(`not a district code: ${code}`);
  return code;
}
