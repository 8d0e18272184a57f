-- Zoom bands and the persistent tile cache (tiles issue).
--
-- Below the zoom where parcels and 图斑 are drawn as polygons, tiles carry a precomputed grid:
-- square cells of 1/32 of a tile side (8 screen pixels), addressed like tiles. Level L has 2^L
-- cells across the Web Mercator world, so the cells of a tile at zoom z are level z + 5, and the
-- finest level kept (18) serves zoom 13. A cell belongs to the parcel by the centre of its box.

CREATE FUNCTION cell_column(x double precision, level integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN floor((x + 20037508.342789244) / (40075016.68557849 / (2 ^ level)))::integer;

CREATE FUNCTION cell_row(y double precision, level integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN floor((20037508.342789244 - y) / (40075016.68557849 / (2 ^ level)))::integer;

-- Parcels per cell and district (a reader sees the sums over the districts in scope).
CREATE TABLE parcel_cells (
  level           smallint NOT NULL,
  cx              integer NOT NULL,
  cy              integer NOT NULL,
  district_code   text NOT NULL,
  parcels         integer NOT NULL,
  area_m2         double precision NOT NULL,
  inefficient     integer NOT NULL,
  inefficient_m2  double precision NOT NULL,
  PRIMARY KEY (level, cx, cy, district_code)
);
COMMENT ON TABLE parcel_cells IS 'aggregate grid of parcels for low-zoom tiles, maintained by statement triggers on parcels';
COMMENT ON COLUMN parcel_cells.level IS 'grid level: 2^level cells across the world; tile zoom z uses level z + 5';
COMMENT ON COLUMN parcel_cells.area_m2 IS 'ellipsoidal parcel area in the cell, m²';
COMMENT ON COLUMN parcel_cells.inefficient IS 'parcels 疑似低效 (suspected) or 已认定低效 (identified)';
COMMENT ON COLUMN parcel_cells.inefficient_m2 IS 'their area, m²';
CREATE INDEX parcel_cells_empty_idx ON parcel_cells (level) WHERE parcels <= 0;

-- Applies the change of one statement to the grid, set-based: the changed rows (new +1, old -1)
-- are summed per finest cell, rolled up to the 13 coarser levels, and added to the stored sums.
-- Rows of an UPDATE that moved nothing cancel out and touch nothing.
CREATE FUNCTION parcel_cells_maintain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changes text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM parcel_cells;
    RETURN NULL;
  END IF;
  changes := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, district_code, area_m2, status, geom_3857 FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, district_code, area_m2, status, geom_3857 FROM old_rows'
    ELSE 'SELECT 1 AS sign, district_code, area_m2, status, geom_3857 FROM new_rows
          UNION ALL SELECT -1, district_code, area_m2, status, geom_3857 FROM old_rows'
  END;
  -- Transition tables are visible to dynamic SQL run by the trigger function.
  EXECUTE format($sql$
    WITH changes AS (%s),
    finest AS (
      SELECT cell_column((ST_XMin(geom_3857) + ST_XMax(geom_3857)) / 2, 18) AS cx,
             cell_row((ST_YMin(geom_3857) + ST_YMax(geom_3857)) / 2, 18) AS cy,
             district_code,
             sum(sign)::integer AS parcels,
             sum(sign * area_m2) AS area_m2,
             coalesce(sum(sign) FILTER (WHERE status IN ('suspected', 'identified')), 0)::integer AS inefficient,
             coalesce(sum(sign * area_m2) FILTER (WHERE status IN ('suspected', 'identified')), 0) AS inefficient_m2
      FROM changes
      GROUP BY 1, 2, 3
    ), moved AS (
      SELECT * FROM finest
      WHERE parcels <> 0 OR inefficient <> 0 OR abs(area_m2) > 1e-6 OR abs(inefficient_m2) > 1e-6
    )
    INSERT INTO parcel_cells AS c (level, cx, cy, district_code, parcels, area_m2, inefficient, inefficient_m2)
    SELECT 18 - k, cx >> k, cy >> k, district_code, sum(parcels), sum(area_m2), sum(inefficient), sum(inefficient_m2)
    FROM moved, generate_series(0, 13) AS k
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (level, cx, cy, district_code) DO UPDATE
      SET parcels = c.parcels + excluded.parcels,
          area_m2 = c.area_m2 + excluded.area_m2,
          inefficient = c.inefficient + excluded.inefficient,
          inefficient_m2 = c.inefficient_m2 + excluded.inefficient_m2
  $sql$, changes);
  DELETE FROM parcel_cells WHERE parcels <= 0;
  RETURN NULL;
END;
$$;

CREATE TRIGGER parcels_cells_insert AFTER INSERT ON parcels REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION parcel_cells_maintain();
CREATE TRIGGER parcels_cells_update AFTER UPDATE ON parcels REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION parcel_cells_maintain();
CREATE TRIGGER parcels_cells_delete AFTER DELETE ON parcels REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION parcel_cells_maintain();
CREATE TRIGGER parcels_cells_truncate AFTER TRUNCATE ON parcels
  FOR EACH STATEMENT EXECUTE FUNCTION parcel_cells_maintain();

-- The grid of the parcels already there.
INSERT INTO parcel_cells (level, cx, cy, district_code, parcels, area_m2, inefficient, inefficient_m2)
SELECT 18 - k, cx >> k, cy >> k, district_code, sum(parcels), sum(area_m2), sum(inefficient), sum(inefficient_m2)
FROM (
  SELECT cell_column((ST_XMin(geom_3857) + ST_XMax(geom_3857)) / 2, 18) AS cx,
         cell_row((ST_YMin(geom_3857) + ST_YMax(geom_3857)) / 2, 18) AS cy,
         district_code, count(*)::integer AS parcels, sum(area_m2) AS area_m2,
         count(*) FILTER (WHERE status IN ('suspected', 'identified'))::integer AS inefficient,
         coalesce(sum(area_m2) FILTER (WHERE status IN ('suspected', 'identified')), 0) AS inefficient_m2
  FROM parcels GROUP BY 1, 2, 3
) finest, generate_series(0, 13) AS k
GROUP BY 1, 2, 3, 4;

-- 变更调查 图斑 per cell and 一级类, built once per survey layer (layers never change in place).
CREATE TABLE survey_cells (
  layer_id   bigint NOT NULL REFERENCES survey_layers (id) ON DELETE CASCADE,
  level      smallint NOT NULL,
  cx         integer NOT NULL,
  cy         integer NOT NULL,
  class      text NOT NULL,
  patches    integer NOT NULL,
  area_m2    double precision NOT NULL,
  PRIMARY KEY (layer_id, level, cx, cy, class)
);
COMMENT ON TABLE survey_cells IS 'aggregate grid of a survey layer''s 图斑 per 一级类, for low-zoom tiles';
COMMENT ON COLUMN survey_cells.class IS '一级类 code (01 … 12) or xx when the 地类编码 is not a national one';

CREATE FUNCTION build_survey_cells(layer bigint, patches regclass) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  written integer;
BEGIN
  DELETE FROM survey_cells WHERE layer_id = layer;
  EXECUTE format($sql$
    INSERT INTO survey_cells (layer_id, level, cx, cy, class, patches, area_m2)
    SELECT %s, 18 - k, cx >> k, cy >> k, class, sum(patches), sum(area_m2)
    FROM (
      SELECT cell_column((ST_XMin(geom_3857) + ST_XMax(geom_3857)) / 2, 18) AS cx,
             cell_row((ST_YMin(geom_3857) + ST_YMax(geom_3857)) / 2, 18) AS cy,
             CASE WHEN land_use_code ~ '^(0[0-9]|1[0-2])' THEN substr(land_use_code, 1, 2) ELSE 'xx' END AS class,
             count(*)::integer AS patches, sum(area_m2) AS area_m2
      FROM %s GROUP BY 1, 2, 3
    ) finest, generate_series(0, 13) AS k
    GROUP BY 2, 3, 4, 5
  $sql$, layer, patches);
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END;
$$;

DO $$
DECLARE
  layer record;
BEGIN
  FOR layer IN SELECT id FROM survey_layers WHERE committed LOOP
    PERFORM build_survey_cells(layer.id, format('survey_data.l%s', layer.id)::regclass);
  END LOOP;
END;
$$;

-- Persistent tile cache: gzipped tiles that outlive a restart and are shared by every server
-- process. Unlogged: a cache, not data (emptied after a crash, which is correct). Rows are deleted
-- in the transaction of the change that makes them stale, so a change made while no server runs
-- (CLI, psql) is never served from here.
CREATE UNLOGGED TABLE tile_cache (
  layer       text NOT NULL,
  z           smallint NOT NULL,
  x           integer NOT NULL,
  y           integer NOT NULL,
  scope       text NOT NULL,
  etag        text NOT NULL,
  body        bytea NOT NULL,
  raw_bytes   integer NOT NULL,
  envelope    geometry(Polygon, 3857) NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (layer, z, x, y, scope)
);
COMMENT ON TABLE tile_cache IS 'encoded tiles (gzip), second cache level behind each server''s memory LRU';
COMMENT ON COLUMN tile_cache.scope IS 'the reader''s districts the tile was cut for (all = unrestricted)';
COMMENT ON COLUMN tile_cache.envelope IS 'the tile grown by its 64/4096 buffer: a change touching it deletes the row';
CREATE INDEX tile_cache_envelope_idx ON tile_cache USING gist (envelope);

-- One counter per data family, raised by every change. A tile remembers the epoch it was read at
-- (in the same snapshot as its data) and is stored only while the epoch still holds; the writer
-- takes FOR SHARE on the row, so it waits for an uncommitted change and then sees it.
CREATE TABLE tile_epochs (
  family  text PRIMARY KEY,
  epoch   bigint NOT NULL DEFAULT 0
);
INSERT INTO tile_epochs (family) VALUES ('parcels'), ('survey');

CREATE OR REPLACE FUNCTION notify_tile_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  box box2d;
BEGIN
  UPDATE tile_epochs SET epoch = epoch + 1 WHERE family = TG_ARGV[0];
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM tile_cache WHERE layer = TG_ARGV[0];
    PERFORM pg_notify('tile_changes', json_build_object('layer', TG_ARGV[0], 'all', true)::text);
    RETURN NULL;
  ELSIF TG_OP = 'INSERT' THEN
    SELECT ST_Extent(geom) INTO box FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT ST_Extent(geom) INTO box FROM old_rows;
  ELSE
    SELECT ST_Extent(geom) INTO box FROM (SELECT geom FROM old_rows UNION ALL SELECT geom FROM new_rows) changed;
  END IF;
  IF box IS NOT NULL THEN
    DELETE FROM tile_cache
    WHERE layer = TG_ARGV[0]
      AND envelope && ST_Transform(ST_SetSRID(box::geometry, 4490), 3857);
    PERFORM pg_notify('tile_changes', json_build_object('layer', TG_ARGV[0],
      'bounds', json_build_array(ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box)))::text);
  END IF;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION notify_survey_layer_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tile_epochs SET epoch = epoch + 1 WHERE family = 'survey';
  DELETE FROM tile_cache WHERE layer = 'survey-' || NEW.year;
  PERFORM pg_notify('tile_changes', json_build_object('layer', 'survey-' || NEW.year, 'all', true)::text);
  RETURN NULL;
END;
$$;

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON parcel_cells, survey_cells, tile_cache TO biaotu_app;
    GRANT SELECT, UPDATE ON tile_epochs TO biaotu_app;
  END IF;
END;
$$;

-- An administrator emptying the tile caches is recorded too.
ALTER TABLE history DROP CONSTRAINT history_action_check;
ALTER TABLE history ADD CONSTRAINT history_action_check CHECK (action IN (
  'insert', 'update', 'delete', 'bulk_load', 'login', 'login_failed', 'logout', 'password_change', 'locked', 'import_commit', 'supersede', 'clear'));
