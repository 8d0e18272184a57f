import type pg from 'pg';
import { DISTRICTS_TILE_SQL, PARCELS_TILE_SQL, SURVEY_TILE_SQL } from './tiles.sql.js';

/** The current 变更调查 layer of a year, as a tile layer `survey-<year>`. */
export function surveyTileLayer(year: number): TileLayer {
  return {
    id: `survey-${year}`,
    statement: 'tile_survey',
    parameters: [year],
    name: `${year} 年变更调查`,
    description: '地类图斑 (DLTB), coloured by 一级类',
    minzoom: 11,
    maxzoom: 16,
    sql: SURVEY_TILE_SQL,
    scoped: false,
    vectorLayers: [{ id: 'survey', description: '地类图斑', fields: { dlbm: '地类编码', class: '一级类 (01 耕地 … 12 其他土地)' } }],
    boundsSql: `SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax FROM (
      SELECT ST_Extent(p.geom) AS e FROM survey_patches p JOIN survey_layers l ON l.id = p.layer_id AND l.superseded_at IS NULL AND l.committed AND l.year = $1) s`,
  };
}

export interface TileLayer {
  id: string;
  /** Name of the prepared statement (one per SQL text). */
  statement: string;
  /** Extra bound parameters after z, x, y (and the reader's districts when scoped). */
  parameters?: unknown[];
  name: string;
  description: string;
  minzoom: number;
  maxzoom: number;
  sql: string;
  /** Whether the SQL takes the reader's districts as $4. */
  scoped: boolean;
  /** Source layers inside the tile and the attributes each carries (TileJSON `vector_layers`). */
  vectorLayers: { id: string; fields: Record<string, string>; description: string }[];
  /** Extent of the data, [minLon, minLat, maxLon, maxLat]. */
  boundsSql: string;
}

export const TILE_LAYERS: readonly TileLayer[] = [
  {
    id: 'districts',
    statement: 'tile_districts',
    name: '行政区',
    description: '区县边界与名称',
    minzoom: 0,
    maxzoom: 14,
    sql: DISTRICTS_TILE_SQL,
    scoped: false,
    vectorLayers: [
      { id: 'districts', description: '区县边界', fields: { code: '行政区划代码', name: '名称', level: '级别' } },
      { id: 'district_labels', description: '区县名称注记点', fields: { code: '行政区划代码', name: '名称' } },
    ],
    boundsSql: `SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax FROM (SELECT ST_Extent(geom) AS e FROM districts) s`,
  },
  {
    id: 'parcels',
    statement: 'tile_parcels',
    name: '地块',
    description: '宗地, coloured by 效率状态 and 低效类型',
    minzoom: 10,
    maxzoom: 16,
    sql: PARCELS_TILE_SQL,
    scoped: true,
    vectorLayers: [
      { id: 'parcels', description: '宗地 (feature id = parcel id)', fields: { status: '效率状态代码 (restricted = 管辖范围外)', type: '低效类型代码 (none = 非低效, restricted = 管辖范围外)', restricted: '1 = 管辖范围外' } },
    ],
    boundsSql: `SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax FROM (SELECT ST_Extent(geom) AS e FROM parcels) s`,
  },
];

export function createTilesRepository(pool: pg.Pool) {
  return {
    /** Encodes one tile; named statements are prepared once per connection by pg. */
    async tile(layer: TileLayer, z: number, x: number, y: number, allowedDistricts: string[] | null): Promise<Buffer> {
      const values = [z, x, y, ...(layer.scoped ? [allowedDistricts] : []), ...(layer.parameters ?? [])];
      const result = await pool.query<{ tile: Buffer }>({ name: layer.statement, text: layer.sql, values });
      return result.rows[0]?.tile ?? Buffer.alloc(0);
    },

    async bounds(layer: TileLayer): Promise<[number, number, number, number]> {
      const result = await pool.query<{ xmin: number | null; ymin: number; xmax: number; ymax: number }>(layer.boundsSql, layer.parameters ?? []);
      const row = result.rows[0];
      if (!row || row.xmin === null) return [-180, -85.0511, 180, 85.0511];
      return [row.xmin, row.ymin, row.xmax, row.ymax];
    },
  };
}
