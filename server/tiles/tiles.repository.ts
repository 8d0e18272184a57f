import type pg from 'pg';
import type { Scope } from '../auth/scope.js';
import {
  AREAS_TILE_SQL, DISTRICTS_TILE_SQL, LABEL_MINZOOM, PARCEL_LABELS_TILE_SQL, PARCELS_PRECUT_TILE_SQL, PRECUT_ZOOMS, PARCEL_CELLS_TILE_SQL, POLYGON_MINZOOM, SURVEY_CELLS_TILE_SQL, parcelsTileSql, surveyTileSql,
} from './tiles.sql.js';

/** A prepared statement: its name (one per SQL text) and text. */
export interface TileStatement {
  name: string;
  sql: string;
}

export interface TileLayer {
  id: string;
  name: string;
  description: string;
  minzoom: number;
  maxzoom: number;
  /** Polygons (or the layer's only statement) from `polygonMinzoom` up. */
  polygons: TileStatement;
  /** The polygons of an oversized tile: the $5 largest only (see tiles.sql.ts). */
  thinned?: TileStatement;
  /** Polygons cut ahead of time at these zooms (thinning still uses `thinned`). */
  precut?: { zooms: readonly number[]; statement: TileStatement };
  /** The aggregate grid below `polygonMinzoom`. */
  cells?: TileStatement;
  polygonMinzoom: number;
  /** Data family whose epoch guards the persistent cache (null: not kept there). */
  family: 'parcels' | 'survey' | 'areas' | null;
  /** Whether tiles differ by the reader's districts. */
  scoped: boolean;
  /** The tile layer whose changes (tile_changes notifications) change this one's tiles too. */
  follows?: string;
  /** The survey year ($6). */
  year?: number;
  /** Source layers inside the tile and the attributes each carries (TileJSON `vector_layers`). */
  vectorLayers: { id: string; fields: Record<string, string>; description: string; minzoom: number; maxzoom: number }[];
  /** Extent of the data, [minLon, minLat, maxLon, maxLat]. */
  boundsSql: string;
  boundsParameters?: unknown[];
}

const extentSql = (from: string) =>
  `SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax FROM (SELECT ST_Extent(geom) AS e FROM ${from}) s`;

/** The current 变更调查 layer of a year, as a tile layer `survey-<year>`. */
export function surveyTileLayer(year: number): TileLayer {
  return {
    id: `survey-${year}`,
    name: `${year} 年变更调查`,
    description: `地类图斑 (DLTB), coloured by 一级类; below z${POLYGON_MINZOOM} a grid of the dominant 一级类`,
    minzoom: 0,
    maxzoom: 16,
    polygons: { name: 'tile_survey', sql: surveyTileSql(false) },
    thinned: { name: 'tile_survey_thinned', sql: surveyTileSql(true) },
    cells: { name: 'tile_survey_cells', sql: SURVEY_CELLS_TILE_SQL },
    polygonMinzoom: POLYGON_MINZOOM,
    family: 'survey',
    scoped: false,
    year,
    vectorLayers: [
      { id: 'survey', description: '地类图斑', fields: { dlbm: '地类编码', class: '一级类 (01 耕地 … 12 其他土地)' }, minzoom: POLYGON_MINZOOM, maxzoom: 16 },
      {
        id: 'survey_cells', description: '图斑网格 (1/32 瓦片边长)', minzoom: 0, maxzoom: POLYGON_MINZOOM - 1,
        fields: { class: '面积最大的一级类', patches: '图斑数', area_ha: '图斑面积 (公顷)' },
      },
    ],
    boundsSql: extentSql('survey_patches p JOIN survey_layers l ON l.id = p.layer_id AND l.superseded_at IS NULL AND l.committed AND l.year = $1'),
    boundsParameters: [year],
  };
}

export const TILE_LAYERS: readonly TileLayer[] = [
  {
    id: 'districts',
    name: '行政区',
    description: '区县边界与名称',
    minzoom: 0,
    maxzoom: 14,
    polygons: { name: 'tile_districts', sql: DISTRICTS_TILE_SQL },
    polygonMinzoom: 0,
    family: null,
    scoped: false,
    vectorLayers: [
      { id: 'districts', description: '区县边界', fields: { code: '行政区划代码', name: '名称', level: '级别' }, minzoom: 0, maxzoom: 14 },
      { id: 'district_labels', description: '区县名称注记点', fields: { code: '行政区划代码', name: '名称' }, minzoom: 0, maxzoom: 14 },
    ],
    boundsSql: extentSql('districts'),
  },
  {
    id: 'parcels',
    name: '地块',
    description: `宗地, coloured by 效率状态 and 低效类型; below z${POLYGON_MINZOOM} a grid of parcel counts and 低效 share`,
    minzoom: 0,
    maxzoom: 16,
    polygons: { name: 'tile_parcels', sql: parcelsTileSql(false) },
    thinned: { name: 'tile_parcels_thinned', sql: parcelsTileSql(true) },
    precut: { zooms: PRECUT_ZOOMS, statement: { name: 'tile_parcels_precut', sql: PARCELS_PRECUT_TILE_SQL } },
    cells: { name: 'tile_parcel_cells', sql: PARCEL_CELLS_TILE_SQL },
    polygonMinzoom: POLYGON_MINZOOM,
    family: 'parcels',
    scoped: true,
    vectorLayers: [
      {
        id: 'parcels', description: '宗地 (feature id = parcel id)', minzoom: POLYGON_MINZOOM, maxzoom: 16,
        fields: { status: '效率状态代码 (restricted = 管辖范围外)', type: '低效类型代码 (none = 非低效, restricted = 管辖范围外)', restricted: '1 = 管辖范围外' },
      },
      {
        id: 'cells', description: '地块网格 (1/32 瓦片边长), 按地块外接框中心归格', minzoom: 0, maxzoom: POLYGON_MINZOOM - 1,
        fields: { parcels: '地块数 (管辖范围内)', area_ha: '地块面积 (公顷)', ineff_share: '疑似及已认定低效用地面积占比 (0–1)', type: '面积最大的低效类型代码 (none = 无, restricted = 管辖范围外)', type_share: '该低效类型面积占比 (0–1)', restricted: '1 = 仅含管辖范围外地块' },
      },
    ],
    boundsSql: extentSql('parcels'),
  },
  {
    // 宗地注记 as a source of its own (issue 19): the map asks for it only where it draws labels.
    id: 'parcel-labels',
    name: '宗地注记',
    description: `宗地编号 and 权利人 (in the reader's districts), one point per parcel, from z${LABEL_MINZOOM}`,
    minzoom: LABEL_MINZOOM,
    maxzoom: LABEL_MINZOOM,
    polygons: { name: 'tile_parcel_labels', sql: PARCEL_LABELS_TILE_SQL },
    polygonMinzoom: LABEL_MINZOOM,
    // Not kept in the persistent cache (the parcel triggers clear only `parcels` rows there); the
    // memory cache drops these tiles with the parcel tiles they follow.
    family: null,
    scoped: true,
    follows: 'parcels',
    vectorLayers: [{
      id: 'parcel_labels', description: '宗地注记点 (每宗一点, feature id = parcel id)', minzoom: LABEL_MINZOOM, maxzoom: LABEL_MINZOOM,
      fields: { code: '宗地编号', owner: '土地使用权人 (管辖范围内)', status: '效率状态代码', type: '低效类型代码', restricted: '1 = 管辖范围外' },
    }],
    boundsSql: extentSql('parcels'),
  },
  {
    id: 'areas',
    name: '成片改造区域',
    description: 'Saved 成片改造区域 (not deleted), by status; outside the reader\'s districts as restricted shapes',
    minzoom: 0,
    maxzoom: 16,
    polygons: { name: 'tile_areas', sql: AREAS_TILE_SQL },
    polygonMinzoom: 0,
    family: 'areas',
    scoped: true,
    vectorLayers: [{
      id: 'areas', description: '成片改造区域 (feature id = area id)', minzoom: 0, maxzoom: 16,
      fields: { name: '名称', status: 'draft 草案 | submitted 报审 | approved 批准 | returned 退回 | restricted 管辖范围外', pass: '1 全部通过, 0 有未通过, -1 未定' },
    }, {
      id: 'area_labels', description: '区域名称注记点 (one per area, in the tile that holds it)', minzoom: 0, maxzoom: 16,
      fields: { name: '名称', status: '状态' },
    }],
    boundsSql: extentSql('areas WHERE deleted_at IS NULL'),
  },
];

export interface RenderedTile {
  body: Buffer;
  features: number;
  /** Epoch of the data family read in the same snapshot (null: not a cached family). */
  epoch: string | null;
}

export function createTilesRepository(pool: pg.Pool) {
  return {
    /**
     * Encodes one tile for a reader's scope; `limit` (thinning) keeps only that many of the largest
     * polygons. Named statements are prepared once per connection by pg.
     */
    async tile(layer: TileLayer, z: number, x: number, y: number, scope: Scope, limit: number | null = null): Promise<RenderedTile> {
      const statement = layer.cells && z < layer.polygonMinzoom ? layer.cells
        : limit !== null && layer.thinned ? layer.thinned
        : layer.precut && layer.precut.zooms.includes(z) ? layer.precut.statement
        : layer.polygons;
      const values = [z, x, y, layer.scoped ? scope.districts : null, limit, ...(layer.year === undefined ? [] : [layer.year])];
      const result = await pool.query<{ tile: Buffer; features: number; epoch: string | null }>({ name: statement.name, text: statement.sql, values });
      const row = result.rows[0];
      return { body: row?.tile ?? Buffer.alloc(0), features: row?.features ?? 0, epoch: row?.epoch ?? null };
    },

    /** Tells every server process (tile_changes, migration 0009) to drop all its memory tiles. */
    async announceCleared(): Promise<void> {
      await pool.query("SELECT pg_notify('tile_changes', json_build_object('layer', '*', 'all', true)::text)");
    },

    async bounds(layer: TileLayer): Promise<[number, number, number, number]> {
      const result = await pool.query<{ xmin: number | null; ymin: number; xmax: number; ymax: number }>(layer.boundsSql, layer.boundsParameters ?? []);
      const row = result.rows[0];
      if (!row || row.xmin === null) return [-180, -85.0511, 180, 85.0511];
      return [row.xmin, row.ymin, row.xmax, row.ymax];
    },
  };
}
