/**
 * Tile SQL, one statement per layer, run as named prepared statements ($1 = z, $2 = x, $3 = y).
 * Practices measured in FACTS.md / the tiles issue:
 * - the stored EPSG:3857 column, so no per-request ST_Transform;
 * - `&&` against the tile envelope grown by the buffer (64/4096 of the tile), cheaper than
 *   ST_Intersects and enough since ST_AsMVTGeom clips;
 * - buffer 64 so that outlines and labels do not break at tile edges;
 * - simplification in 3857 before encoding, tolerance half a screen pixel at that zoom;
 * - only the attributes the style needs;
 * - $4 = the reader's districts (null = all): parcels outside them keep their shape as context but
 *   lose their status (`restricted`), so a planner sees neighbouring land without its figures.
 */
export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;

/** The tile ($1, $2, $3) and the box rows are fetched with: the tile grown by the buffer. */
const BOUNDS = `bounds AS (
  SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS tile,
         ST_TileEnvelope($1::int, $2::int, $3::int, margin => ${TILE_BUFFER}.0 / ${TILE_EXTENT}) AS query
)`;

/** Half a 256-px screen pixel at zoom $1, in EPSG:3857 metres. */
const HALF_PIXEL = `(40075016.6855784 / (256 * 2 ^ $1::int) / 2)`;

export const PARCELS_TILE_SQL = `
WITH ${BOUNDS}, features AS (
  SELECT p.id,
         CASE WHEN $4::text[] IS NULL OR p.district_code = ANY($4::text[]) THEN p.status ELSE 'restricted' END AS status,
         CASE WHEN $4::text[] IS NULL OR p.district_code = ANY($4::text[]) THEN coalesce(p.inefficiency_type, 'none') ELSE 'restricted' END AS type,
         CASE WHEN $4::text[] IS NULL OR p.district_code = ANY($4::text[]) THEN 0 ELSE 1 END AS restricted,
         ST_AsMVTGeom(
           CASE WHEN $1::int < 15 THEN ST_Simplify(p.geom_3857, ${HALF_PIXEL}, true) ELSE p.geom_3857 END,
           bounds.tile, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom
  FROM parcels p, bounds
  WHERE p.geom_3857 && bounds.query
)
SELECT coalesce(ST_AsMVT(features, 'parcels', ${TILE_EXTENT}, 'geom', 'id'), ''::bytea) AS tile
FROM features WHERE features.geom IS NOT NULL`;

/** 变更调查 图斑 of the current layer of one year ($4); class = 一级类 for the legend. */
export const SURVEY_TILE_SQL = `
WITH ${BOUNDS}, features AS (
  SELECT p.id, p.land_use_code AS dlbm,
         CASE WHEN p.land_use_code ~ '^(0[0-9]|1[0-2])' THEN substr(p.land_use_code, 1, 2) ELSE 'xx' END AS class,
         ST_AsMVTGeom(
           CASE WHEN $1::int < 15 THEN ST_Simplify(p.geom_3857, ${HALF_PIXEL}, true) ELSE p.geom_3857 END,
           bounds.tile, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom
  FROM survey_patches p
  JOIN survey_layers l ON l.id = p.layer_id AND l.superseded_at IS NULL AND l.committed AND l.year = $4::int, bounds
  WHERE p.geom_3857 && bounds.query
)
SELECT coalesce(ST_AsMVT(features, 'survey', ${TILE_EXTENT}, 'geom', 'id'), ''::bytea) AS tile
FROM features WHERE features.geom IS NOT NULL`;

export const DISTRICTS_TILE_SQL = `
WITH ${BOUNDS}, polygons AS (
  SELECT d.code, d.name, d.level,
         ST_AsMVTGeom(ST_Simplify(d.geom_3857, ${HALF_PIXEL}, true), bounds.tile, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom
  FROM districts d, bounds
  WHERE d.level = 'district' AND d.geom_3857 && bounds.query
), labels AS (
  SELECT d.code, d.name,
         ST_AsMVTGeom(d.label_point, bounds.tile, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom
  FROM districts d, bounds
  WHERE d.level = 'district' AND d.label_point && bounds.query
)
SELECT coalesce((SELECT ST_AsMVT(polygons, 'districts', ${TILE_EXTENT}, 'geom') FROM polygons WHERE geom IS NOT NULL), ''::bytea)
    || coalesce((SELECT ST_AsMVT(labels, 'district_labels', ${TILE_EXTENT}, 'geom') FROM labels WHERE geom IS NOT NULL), ''::bytea) AS tile`;
