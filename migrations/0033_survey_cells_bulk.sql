-- The survey grid of a million-图斑 layer is over a million cell rows, written once per layer.
-- Two costs per row made it the longest part of a survey commit: the foreign key to survey_layers
-- (one lookup and row lock per inserted cell) and the primary key btree filled in hash order.
-- The cells now follow their layer by a trigger (deleting a layer deletes its cells, as ON DELETE
-- CASCADE did; build_survey_cells() is the only writer and is given the layer it builds), and
-- build_survey_cells() computes every level in a temporary table, then inserts them once in key
-- order. Same cells, same sums.
ALTER TABLE survey_cells DROP CONSTRAINT IF EXISTS survey_cells_layer_id_fkey;

CREATE FUNCTION delete_survey_cells_of_layer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM survey_cells WHERE layer_id = OLD.id;
  RETURN OLD;
END;
$$;
CREATE TRIGGER survey_layers_delete_cells AFTER DELETE ON survey_layers
  FOR EACH ROW EXECUTE FUNCTION delete_survey_cells_of_layer();

CREATE OR REPLACE FUNCTION build_survey_cells(layer bigint, patches regclass) RETURNS integer LANGUAGE plpgsql
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
    SELECT cell_column((ST_XMin(geom_3857) + ST_XMax(geom_3857)) / 2, 18),
           cell_row((ST_YMin(geom_3857) + ST_YMax(geom_3857)) / 2, 18),
           CASE WHEN land_use_code ~ '^(0[0-9]|1[0-2])' THEN substr(land_use_code, 1, 2) ELSE 'xx' END,
           count(*)::integer, sum(area_m2)
    FROM %s GROUP BY 1, 2, 3
  $sql$, patches);
  FOR target_level IN REVERSE 18..5 LOOP
    -- Each level in key order: the primary key is filled page after page, not at random.
    INSERT INTO survey_cells (layer_id, level, cx, cy, class, patches, area_m2)
    SELECT layer, target_level, c.cx, c.cy, c.class, c.patches, c.area_m2 FROM pg_temp.survey_cells_level c ORDER BY c.cx, c.cy, c.class;
    GET DIAGNOSTICS written = ROW_COUNT;
    total := total + written;
    EXIT WHEN target_level = 5;
    -- The next coarser level from this one (about a quarter of its rows).
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
