-- build_survey_cells() level by level: the finest cells (level 18) from the 图斑, then each coarser
-- level from the one below it (about a quarter of its rows), instead of expanding every finest
-- cell into all 14 levels and grouping them at once (14 times the rows, spilled to disk by a
-- 4 MB work_mem). Same cells, same sums; the part of a survey commit that took longest.
CREATE OR REPLACE FUNCTION build_survey_cells(layer bigint, patches regclass) RETURNS integer LANGUAGE plpgsql
SET work_mem = '128MB' AS $$
DECLARE
  written integer;
  total integer;
  target_level integer;
BEGIN
  DELETE FROM survey_cells WHERE layer_id = layer;
  EXECUTE format($sql$
    INSERT INTO survey_cells (layer_id, level, cx, cy, class, patches, area_m2)
    SELECT %s, 18, cell_column((ST_XMin(geom_3857) + ST_XMax(geom_3857)) / 2, 18),
           cell_row((ST_YMin(geom_3857) + ST_YMax(geom_3857)) / 2, 18),
           CASE WHEN land_use_code ~ '^(0[0-9]|1[0-2])' THEN substr(land_use_code, 1, 2) ELSE 'xx' END,
           count(*)::integer, sum(area_m2)
    FROM %s GROUP BY 3, 4, 5
  $sql$, layer, patches);
  GET DIAGNOSTICS total = ROW_COUNT;
  FOR target_level IN REVERSE 17..5 LOOP
    INSERT INTO survey_cells (layer_id, level, cx, cy, class, patches, area_m2)
    SELECT layer, target_level, c.cx >> 1, c.cy >> 1, c.class, sum(c.patches), sum(c.area_m2)
    FROM survey_cells c WHERE c.layer_id = layer AND c.level = target_level + 1
    GROUP BY 3, 4, 5;
    GET DIAGNOSTICS written = ROW_COUNT;
    total := total + written;
  END LOOP;
  RETURN total;
END;
$$;
