-- Tile caches learn about every change, whoever makes it (API, import, CLI, seed, psql): one
-- notification per statement with the extent of the rows it touched, old and new.
CREATE FUNCTION notify_tile_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  box box2d;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
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
    PERFORM pg_notify('tile_changes', json_build_object('layer', TG_ARGV[0],
      'bounds', json_build_array(ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box)))::text);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER parcels_tiles_insert AFTER INSERT ON parcels REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION notify_tile_change('parcels');
CREATE TRIGGER parcels_tiles_update AFTER UPDATE ON parcels REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION notify_tile_change('parcels');
CREATE TRIGGER parcels_tiles_delete AFTER DELETE ON parcels REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION notify_tile_change('parcels');
CREATE TRIGGER parcels_tiles_truncate AFTER TRUNCATE ON parcels
  FOR EACH STATEMENT EXECUTE FUNCTION notify_tile_change('parcels');

-- A survey year changes as a whole when a layer becomes current or is superseded.
CREATE FUNCTION notify_survey_layer_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tile_changes', json_build_object('layer', 'survey-' || NEW.year, 'all', true)::text);
  RETURN NULL;
END;
$$;
CREATE TRIGGER survey_layers_tiles AFTER INSERT OR UPDATE ON survey_layers
  FOR EACH ROW EXECUTE FUNCTION notify_survey_layer_change();
