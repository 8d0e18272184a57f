-- A survey import checks its layer and writes it, batch by batch, in one statement: each batch also
-- sums its 图斑 into the finest grid cells (level 18) of the layer, in a table beside the prepared
-- layer. The commit builds the coarser levels from those sums instead of reading a million
-- geometries again.

-- The 一级类 of a 地类编码 as the grid and the legend know it: 01 … 12, else xx.
CREATE FUNCTION survey_cell_class(land_use_code text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN land_use_code ~ '^(0[0-9]|1[0-2])' THEN substr(land_use_code, 1, 2) ELSE 'xx' END
$$;

-- The grid of a layer from its level-18 sums: `finest` has columns cx, cy, class, patches, area_m2
-- and may hold one cell several times (one row per batch that met it). Every level in a temporary
-- table, each inserted once in key order (see 0033).
CREATE FUNCTION build_survey_cells_from(layer bigint, finest regclass) RETURNS integer LANGUAGE plpgsql
SET work_mem = '128MB' AS $$
DECLARE
  written integer;
  total integer := 0;
  target_level integer;
BEGIN
  DELETE FROM survey_cells WHERE layer_id = layer;
  DROP TABLE IF EXISTS pg_temp.survey_cells_level;
  CREATE TEMPORARY TABLE survey_cells_level ON COMMIT DROP AS
    SELECT 0::integer AS cx, 0::integer AS cy, ''::text AS class, 0::integer AS patches, 0::float8 AS area_m2 LIMIT 0;
  EXECUTE format($sql$
    INSERT INTO pg_temp.survey_cells_level
    SELECT cx, cy, class, sum(patches)::integer, sum(area_m2) FROM %s GROUP BY 1, 2, 3
  $sql$, finest);
  FOR target_level IN REVERSE 18..5 LOOP
    -- Each level in key order: the primary key is filled page after page, not at random.
    INSERT INTO survey_cells (layer_id, level, cx, cy, class, patches, area_m2)
    SELECT layer, target_level, c.cx, c.cy, c.class, c.patches, c.area_m2 FROM pg_temp.survey_cells_level c ORDER BY c.cx, c.cy, c.class;
    GET DIAGNOSTICS written = ROW_COUNT;
    total := total + written;
    EXIT WHEN target_level = 5;
    -- The next coarser level from this one (about a quarter of its rows).
    DROP TABLE IF EXISTS pg_temp.survey_cells_coarser;
    CREATE TEMPORARY TABLE survey_cells_coarser ON COMMIT DROP AS
      SELECT c.cx >> 1 AS cx, c.cy >> 1 AS cy, c.class, sum(c.patches)::integer AS patches, sum(c.area_m2) AS area_m2
      FROM pg_temp.survey_cells_level c GROUP BY 1, 2, 3;
    DROP TABLE pg_temp.survey_cells_level;
    ALTER TABLE pg_temp.survey_cells_coarser RENAME TO survey_cells_level;
  END LOOP;
  DROP TABLE pg_temp.survey_cells_level;
  RETURN total;
END;
$$;

-- The grid of a layer from its 图斑 (a layer copied from staging, or one the commit cut): the
-- level-18 sums first, then as above. Same cells, same sums as 0033's.
CREATE OR REPLACE FUNCTION build_survey_cells(layer bigint, patches regclass) RETURNS integer LANGUAGE plpgsql
SET work_mem = '128MB' AS $$
DECLARE
  total integer;
BEGIN
  DROP TABLE IF EXISTS pg_temp.survey_cells_finest;
  CREATE TEMPORARY TABLE survey_cells_finest ON COMMIT DROP AS
    SELECT 0::integer AS cx, 0::integer AS cy, ''::text AS class, 0::integer AS patches, 0::float8 AS area_m2 LIMIT 0;
  EXECUTE format($sql$
    INSERT INTO pg_temp.survey_cells_finest
    SELECT cell_column((ST_XMin(geom_3857) + ST_XMax(geom_3857)) / 2, 18),
           cell_row((ST_YMin(geom_3857) + ST_YMax(geom_3857)) / 2, 18),
           survey_cell_class(land_use_code), count(*)::integer, sum(area_m2)
    FROM %s GROUP BY 1, 2, 3
  $sql$, patches);
  total := build_survey_cells_from(layer, 'pg_temp.survey_cells_finest'::regclass);
  DROP TABLE pg_temp.survey_cells_finest;
  RETURN total;
END;
$$;

-- survey_patches is partitioned by layer_id: every row of a partition has the same layer_id, and
-- every query names its layer (partition pruning). The btree on layer_id only cost a second index
-- build per million-图斑 import.
DROP INDEX IF EXISTS survey_patches_layer_idx;

-- A staged feature converted from its CGCS2000 Gauss-Kruger coordinates (`srid`) to EPSG:4490, or,
-- when PROJ cannot convert it, left as it was: its projected coordinates then fail the range check
-- of import_check_geometry(), which rejects the feature and says so. Used only for the rows of a
-- batch whose set-based ST_Transform failed (the exception block costs a subtransaction a row).
CREATE FUNCTION import_transform_or_keep(g geometry, srid integer) RETURNS geometry LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN ST_Transform(ST_SetSRID(g, srid), 4490);
EXCEPTION WHEN OTHERS THEN
  RETURN g;
END;
$$;
