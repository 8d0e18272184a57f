CREATE SCHEMA staging;

COMMENT ON SCHEMA staging IS 'import staging tables (one per uploaded layer), dropped at commit or cancel';

CREATE SCHEMA survey_data;

COMMENT ON SCHEMA survey_data IS 'one table per survey layer, attached to survey_patches as a partition';

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';

CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;

COMMENT ON EXTENSION postgis IS 'PostGIS geometry and geography spatial types and functions';

CREATE FUNCTION public.annual_plans_touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% rows are kept on record, never deleted', TG_TABLE_NAME;
  END IF;
  NEW.version := OLD.version + 1;
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.area_reviews_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION 'area reviews are append-only: record a new review instead';
END;
$$;

CREATE FUNCTION public.area_versions_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION 'area versions are append-only: save a new version instead';
END;
$$;

CREATE FUNCTION public.areas_derive() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.geom_3857 := ST_Transform(NEW.geom, 3857);
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.attach_survey_layer(layer bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  partition text := format('survey_data.l%s', layer);
BEGIN
  IF NOT EXISTS (SELECT FROM survey_layers WHERE id = layer AND NOT committed) THEN
    RAISE EXCEPTION 'survey layer % is not a pending layer', layer;
  END IF;
  IF to_regclass(partition) IS NULL THEN
    RAISE EXCEPTION 'no table % to attach', partition;
  END IF;
  EXECUTE format('ALTER TABLE survey_patches ATTACH PARTITION %s FOR VALUES IN (%s)', partition, layer);
END;
$$;

CREATE FUNCTION public.build_survey_cells(layer bigint, patches regclass) RETURNS integer
    LANGUAGE plpgsql
    SET work_mem TO '128MB'
    AS $_$
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
$_$;

CREATE FUNCTION public.build_survey_cells_from(layer bigint, finest regclass) RETURNS integer
    LANGUAGE plpgsql
    SET work_mem TO '128MB'
    AS $_$
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
$_$;

CREATE FUNCTION public.cell_column(x double precision, level integer) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (floor(((x + (20037508.342789244)::double precision) / ((40075016.68557849)::double precision / ((2)::double precision ^ (level)::double precision)))))::integer;

CREATE FUNCTION public.cell_row(y double precision, level integer) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (floor((((20037508.342789244)::double precision - y) / ((40075016.68557849)::double precision / ((2)::double precision ^ (level)::double precision)))))::integer;

CREATE FUNCTION public.delete_survey_cells_of_layer() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  DELETE FROM survey_cells WHERE layer_id = OLD.id;
  RETURN OLD;
END;
$$;

CREATE FUNCTION public.derive_geometry_columns() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.geom_3857 := ST_Transform(NEW.geom, 3857);
  NEW.area_m2 := ST_Area(NEW.geom::geography);
  IF TG_TABLE_NAME = 'districts' THEN
    NEW.label_point := ST_Transform(ST_PointOnSurface(NEW.geom), 3857);
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.derive_missing_geometry_columns() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.geom IS DISTINCT FROM OLD.geom THEN
    NEW.geom_3857 := NULL;
    NEW.area_m2 := NULL;
  END IF;
  IF NEW.geom_3857 IS NULL THEN NEW.geom_3857 := ST_Transform(NEW.geom, 3857); END IF;
  IF NEW.area_m2 IS NULL THEN NEW.area_m2 := ST_Area(NEW.geom::geography); END IF;
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.document_contents_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION 'document contents are written once';
END;
$$;

CREATE FUNCTION public.forbid_history_rewrite() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION 'history is append-only: % is not allowed', TG_OP;
END;
$$;

CREATE FUNCTION public.forbid_rewrite_of_lineage() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END;
$$;

CREATE FUNCTION public.identification_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% rows are on record and never deleted', TG_TABLE_NAME;
  END IF;
  IF TG_TABLE_NAME = 'survey_submissions' AND OLD.applied_at IS NULL
     AND (to_jsonb(NEW) - ARRAY['applied_by', 'applied_at']) = (to_jsonb(OLD) - ARRAY['applied_by', 'applied_at']) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% rows are written once', TG_TABLE_NAME;
END;
$$;

CREATE FUNCTION public.identification_cases_touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'identification cases are closed on record, never deleted';
  END IF;
  NEW.updated_at := now();
  NEW.version := OLD.version + 1;
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.import_check_geometry(g public.geometry, OUT status text, OUT messages text[], OUT fixed public.geometry) RETURNS record
    LANGUAGE plpgsql IMMUTABLE
    AS $$
DECLARE
  reason text;
  cleaned geometry;
BEGIN
  messages := ARRAY[]::text[];
  IF g IS NULL THEN
    status := 'rejected'; messages := ARRAY['空图形 (null geometry)']; RETURN;
  END IF;
  IF ST_IsEmpty(g) THEN
    status := 'rejected'; messages := ARRAY['空图形 (empty geometry)']; RETURN;
  END IF;
  IF NOT coalesce(ST_XMin(g) >= -180 AND ST_XMax(g) <= 180 AND ST_YMin(g) >= -90 AND ST_YMax(g) <= 90, false) THEN
    status := 'rejected'; messages := ARRAY['坐标超出范围或不是数字 (NaN/huge coordinates)']; RETURN;
  END IF;
  cleaned := ST_RemoveRepeatedPoints(g);
  IF ST_NPoints(cleaned) < ST_NPoints(g) THEN
    messages := messages || '已删除重复节点 (duplicate vertices removed)'::text;
  END IF;
  IF ST_IsValid(cleaned) THEN
    fixed := ST_Multi(ST_CollectionExtract(cleaned, 3));
  ELSE
    reason := ST_IsValidReason(cleaned);
    fixed := ST_Multi(ST_CollectionExtract(ST_MakeValid(cleaned), 3));
    IF fixed IS NULL OR ST_IsEmpty(fixed) THEN
      status := 'rejected'; messages := messages || ('无法修复 (cannot repair): ' || reason); fixed := NULL; RETURN;
    END IF;
    messages := messages || ('已修复 (repaired): ' || reason);
  END IF;
  IF ST_IsEmpty(fixed) OR ST_Area(fixed) = 0 THEN
    status := 'rejected'; messages := messages || '面积为零 (zero area)'::text; fixed := NULL; RETURN;
  END IF;
  status := CASE WHEN cardinality(messages) > 0 THEN 'repaired' ELSE 'valid' END;
EXCEPTION WHEN OTHERS THEN
  status := 'rejected';
  messages := ARRAY['图形无法解析 (unreadable geometry): ' || SQLERRM];
  fixed := NULL;
END;
$$;

CREATE FUNCTION public.import_decode_lenient(value text, encoding text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
DECLARE
  bytes bytea := convert_to(value, 'LATIN1');
  total integer := length(bytes);
  decoded text := '';
  piece text;
  at integer := 0;
  lead integer;
  width integer;
BEGIN
  BEGIN
    RETURN convert_from(bytes, encoding);
  EXCEPTION WHEN character_not_in_repertoire OR untranslatable_character THEN
    NULL;
  END;
  WHILE at < total LOOP
    lead := get_byte(bytes, at);
    IF lead < 128 THEN
      decoded := decoded || chr(lead);
      at := at + 1;
      CONTINUE;
    END IF;
    IF lead = 128 AND upper(encoding) = 'GBK' THEN
      decoded := decoded || '€';
      at := at + 1;
      CONTINUE;
    END IF;
    piece := NULL;
    FOREACH width IN ARRAY ARRAY[2, 4] LOOP
      EXIT WHEN piece IS NOT NULL OR at + width > total;
      BEGIN
        piece := convert_from(substring(bytes FROM at + 1 FOR width), encoding);
      EXCEPTION WHEN character_not_in_repertoire OR untranslatable_character THEN
        piece := NULL;
      END;
      IF piece IS NOT NULL THEN
        at := at + width;
      END IF;
    END LOOP;
    IF piece IS NULL THEN
      at := at + 1;
    ELSE
      decoded := decoded || piece;
    END IF;
  END LOOP;
  RETURN decoded;
END;
$$;

CREATE FUNCTION public.import_float_to_numeric(value double precision) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT CASE WHEN value <> 'NaN'::float8 AND value > '-Infinity'::float8 AND value < 'Infinity'::float8 THEN value::numeric END
$$;

CREATE FUNCTION public.import_to_numeric(value text) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $_$
  SELECT CASE WHEN value ~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]{1,3})?\s*$' THEN trim(value)::numeric END
$_$;

CREATE FUNCTION public.import_transform_or_keep(g public.geometry, srid integer) RETURNS public.geometry
    LANGUAGE plpgsql IMMUTABLE
    AS $$
BEGIN
  RETURN ST_Transform(ST_SetSRID(g, srid), 4490);
EXCEPTION WHEN OTHERS THEN
  RETURN g;
END;
$$;

CREATE FUNCTION public.land_category_of(land_use text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
  SELECT CASE
    WHEN land_use IS NULL THEN NULL
    WHEN land_use LIKE '06%' OR land_use = '0508' OR land_use LIKE '1001%' THEN 'industrial'
    WHEN land_use LIKE '05%' THEN 'commercial'
    WHEN land_use LIKE '07%' THEN 'residential'
    WHEN land_use LIKE '08%' OR land_use LIKE '09%' OR land_use LIKE '10%' OR land_use LIKE '13%' THEN 'facility'
    WHEN land_use = '1201' THEN 'vacant'
    ELSE NULL
  END
$$;

CREATE FUNCTION public.legacy_lands_touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.notify_session_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  PERFORM pg_notify('session_changes', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

CREATE FUNCTION public.notify_survey_layer_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  UPDATE tile_epochs SET epoch = epoch + 1 WHERE family = 'survey';
  DELETE FROM tile_cache WHERE layer = 'survey-' || NEW.year;
  PERFORM pg_notify('tile_changes', json_build_object('layer', 'survey-' || NEW.year, 'all', true)::text);
  RETURN NULL;
END;
$$;

CREATE FUNCTION public.notify_tile_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

CREATE FUNCTION public.parcel_cells_maintain() RETURNS trigger
    LANGUAGE plpgsql
    AS $_$
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
$_$;

CREATE FUNCTION public.parcel_documents_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'parcel documents are removed on record (removed_at), never deleted';
  END IF;
  IF OLD.removed_at IS NOT NULL
     OR (to_jsonb(NEW) - ARRAY['removed_by', 'removed_at', 'removal_reason']) <> (to_jsonb(OLD) - ARRAY['removed_by', 'removed_at', 'removal_reason']) THEN
    RAISE EXCEPTION 'a parcel document is written once: only its removal may be recorded, once';
  END IF;
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.parcel_fragment_successors(fragments bigint[], parcels bigint[]) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
  SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM (
    SELECT unnest(parcel_successors(fragments)) AS id
    EXCEPT
    SELECT unnest(parcel_successors(ARRAY(SELECT unnest(coalesce(parcels, '{}')) EXCEPT SELECT unnest(fragments))))
  ) successors
$$;

CREATE FUNCTION public.parcel_name_bigrams(owner text, location text) RETURNS text[]
    LANGUAGE sql IMMUTABLE COST 2 PARALLEL SAFE
    AS $$
  SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}')
  FROM unnest(ARRAY[lower(owner), lower(location)]) AS t, generate_series(1, length(t) - 1) AS i
$$;

COMMENT ON FUNCTION public.parcel_name_bigrams(owner text, location text) IS 'The overlapping two-character pieces of 土地使用权人 and 坐落, lower-case: a two-character search (e.g. 宏兴) looks them up in parcels_name_bigrams_idx';

CREATE FUNCTION public.parcel_names_contain(owner text, location text, pattern text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE COST 1 PARALLEL SAFE
    AS $$
BEGIN
  RETURN lower(owner) LIKE pattern OR lower(location) LIKE pattern;
END
$$;

COMMENT ON FUNCTION public.parcel_names_contain(owner text, location text, pattern text) IS 'Whether 土地使用权人 or 坐落 (lower-case) is LIKE the pattern: the search box''s check beside parcel_name_bigrams';

CREATE FUNCTION public.parcel_place_derive() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
  point geometry;
  old_label text;
BEGIN
  IF TG_OP = 'INSERT' OR NEW.geom IS DISTINCT FROM OLD.geom OR NEW.district_code IS DISTINCT FROM OLD.district_code THEN
    point := ST_PointOnSurface(NEW.geom);
    NEW.subdistrict_code := subdistrict_at(point, NEW.district_code, false);
    NEW.park_code := subdistrict_at(point, NEW.district_code, true);
  ELSIF NEW.subdistrict_code IS NOT DISTINCT FROM OLD.subdistrict_code AND NEW.park_code IS NOT DISTINCT FROM OLD.park_code THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.town_or_park IS NULL OR btrim(NEW.town_or_park) = '' THEN
      NEW.town_or_park := (SELECT name FROM subdistricts WHERE code = coalesce(NEW.park_code, NEW.subdistrict_code));
    END IF;
  ELSIF NEW.town_or_park IS NOT DISTINCT FROM OLD.town_or_park
        AND coalesce(NEW.park_code, NEW.subdistrict_code) IS DISTINCT FROM coalesce(OLD.park_code, OLD.subdistrict_code) THEN
    old_label := (SELECT name FROM subdistricts WHERE code = coalesce(OLD.park_code, OLD.subdistrict_code));
    IF OLD.town_or_park IS NULL OR btrim(OLD.town_or_park) = '' OR OLD.town_or_park = old_label THEN
      NEW.town_or_park := coalesce((SELECT name FROM subdistricts WHERE code = coalesce(NEW.park_code, NEW.subdistrict_code)), OLD.town_or_park);
    END IF;
  END IF;
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.parcel_precut_geometry(geom_3857 public.geometry, z integer) RETURNS public.geometry
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT CASE WHEN z <= 14 OR NOT parcel_precut_large(geom_3857) THEN geom_3857 END
$$;

CREATE FUNCTION public.parcel_precut_large(geom_3857 public.geometry) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT greatest(public.ST_XMax(geom_3857) - public.ST_XMin(geom_3857), public.ST_YMax(geom_3857) - public.ST_YMin(geom_3857)) > 2000
$$;

CREATE FUNCTION public.parcel_precut_zooms() RETURNS integer[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ARRAY[14, 16, 17, 18] $$;

CREATE FUNCTION public.parcel_search_text(code text, owner text, location text, contract_no text, certificate_no text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT lower(code || ' ¦ ' || coalesce(owner, '') || ' ¦ ' || coalesce(location, '') || ' ¦ '
    || coalesce(contract_no, '') || ' ¦ ' || coalesce(certificate_no, ''))
$$;

COMMENT ON FUNCTION public.parcel_search_text(code text, owner text, location text, contract_no text, certificate_no text) IS '宗地编号, 土地使用权人, 坐落, 出让合同号 and 不动产权证号 of a parcel in one lower-case text: what the table''s search and the map''s search box match (trigram index parcels_search_trgm_idx)';

CREATE FUNCTION public.parcel_successors(ids bigint[]) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
  WITH RECURSIVE walk(id) AS (
    SELECT unnest(ids)
    UNION
    SELECT unnest(r.successor_ids) FROM walk w JOIN retired_parcels r ON r.id = w.id
  )
  SELECT coalesce(array_agg(w.id ORDER BY w.id), '{}') FROM walk w WHERE NOT EXISTS (SELECT FROM retired_parcels r WHERE r.id = w.id)
$$;

CREATE FUNCTION public.parcel_tile_cuts(geom_3857 public.geometry, z integer) RETURNS TABLE(x integer, y integer, geom public.geometry)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT t.x, u.y, ST_AsMVTGeom(CASE WHEN z < 15 THEN ST_Simplify(geom_3857, 40075016.6855784 / (256 * 2 ^ z) / 2, true) ELSE geom_3857 END,
                                ST_TileEnvelope(z, t.x, u.y), 4096, 64, true)
  FROM generate_series(floor((ST_XMin(geom_3857) + 20037508.342789244) / (40075016.68557849 / 2 ^ z) - 64.0 / 4096)::int,
                       floor((ST_XMax(geom_3857) + 20037508.342789244) / (40075016.68557849 / 2 ^ z) + 64.0 / 4096)::int) AS t(x)
  CROSS JOIN generate_series(floor((20037508.342789244 - ST_YMax(geom_3857)) / (40075016.68557849 / 2 ^ z) - 64.0 / 4096)::int,
                             floor((20037508.342789244 - ST_YMin(geom_3857)) / (40075016.68557849 / 2 ^ z) + 64.0 / 4096)::int) AS u(y)
$$;

CREATE FUNCTION public.parcel_tile_geometries_maintain() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
  changed bigint[];
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM parcel_tile_geometries;
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    DELETE FROM parcel_tile_geometries g USING old_rows o WHERE g.parcel_id = o.id;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    -- Same shape, other tile attributes: the stored rows take the new values, their cuts stay.
    UPDATE parcel_tile_geometries g
    SET status = n.status, inefficiency_type = n.inefficiency_type, evaluation_grade = n.evaluation_grade,
        land_category = n.land_category, district_code = n.district_code
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE g.parcel_id = n.id AND o.geom_3857 IS NOT DISTINCT FROM n.geom_3857
      AND (o.status, o.inefficiency_type, o.evaluation_grade, o.land_category, o.district_code)
          IS DISTINCT FROM (n.status, n.inefficiency_type, n.evaluation_grade, n.land_category, n.district_code);
    changed := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                     WHERE o.geom_3857 IS DISTINCT FROM n.geom_3857);
    IF cardinality(changed) = 0 THEN
      RETURN NULL;
    END IF;
    DELETE FROM parcel_tile_geometries g WHERE g.parcel_id = ANY (changed);
  END IF;
  -- Inserted rows, or the updated ones whose shape changed; a NULL geometry (a large parcel above
  -- z14, 0049) yields no tiles, so no cut is computed for it.
  INSERT INTO parcel_tile_geometries (z, x, y, parcel_id, status, inefficiency_type, evaluation_grade, land_category, district_code, geom)
  SELECT zz.z, c.x, c.y, n.id, n.status, n.inefficiency_type, n.evaluation_grade, n.land_category, n.district_code, c.geom
  FROM new_rows n, unnest(parcel_precut_zooms()) AS zz(z), parcel_tile_cuts(parcel_precut_geometry(n.geom_3857, zz.z), zz.z) c
  WHERE (TG_OP = 'INSERT' OR n.id = ANY (changed)) AND c.geom IS NOT NULL
  ORDER BY zz.z, c.x, c.y, n.id;
  RETURN NULL;
END;
$$;

CREATE FUNCTION public.parcel_type_cells_maintain() RETURNS trigger
    LANGUAGE plpgsql
    AS $_$
DECLARE
  changes text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM parcel_type_cells;
    RETURN NULL;
  END IF;
  changes := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, district_code, area_m2, inefficiency_type, geom_3857 FROM new_rows WHERE inefficiency_type IS NOT NULL'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, district_code, area_m2, inefficiency_type, geom_3857 FROM old_rows WHERE inefficiency_type IS NOT NULL'
    ELSE 'SELECT 1 AS sign, district_code, area_m2, inefficiency_type, geom_3857 FROM new_rows WHERE inefficiency_type IS NOT NULL
          UNION ALL SELECT -1, district_code, area_m2, inefficiency_type, geom_3857 FROM old_rows WHERE inefficiency_type IS NOT NULL'
  END;
  EXECUTE format($sql$
    WITH changes AS (%s),
    finest AS (
      SELECT cell_column((ST_XMin(geom_3857) + ST_XMax(geom_3857)) / 2, 18) AS cx,
             cell_row((ST_YMin(geom_3857) + ST_YMax(geom_3857)) / 2, 18) AS cy,
             district_code, inefficiency_type AS type,
             sum(sign)::integer AS parcels,
             sum(sign * area_m2) AS area_m2
      FROM changes
      GROUP BY 1, 2, 3, 4
    ), moved AS (
      SELECT * FROM finest WHERE parcels <> 0 OR abs(area_m2) > 1e-6
    )
    INSERT INTO parcel_type_cells AS c (level, cx, cy, district_code, type, parcels, area_m2)
    SELECT 18 - k, cx >> k, cy >> k, district_code, type, sum(parcels), sum(area_m2)
    FROM moved, generate_series(0, 13) AS k
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (level, cx, cy, district_code, type) DO UPDATE
      SET parcels = c.parcels + excluded.parcels,
          area_m2 = c.area_m2 + excluded.area_m2
  $sql$, changes);
  DELETE FROM parcel_type_cells WHERE parcels <= 0;
  RETURN NULL;
END;
$_$;

CREATE FUNCTION public.parcels_bump_version() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
  stamp timestamptz := NEW.updated_at;
  writer text := NEW.updated_by;
BEGIN
  NEW.version := OLD.version;
  NEW.updated_at := OLD.updated_at;
  NEW.updated_by := OLD.updated_by;
  IF NEW IS DISTINCT FROM OLD THEN
    NEW.version := OLD.version + 1;
    NEW.updated_at := stamp;
    NEW.updated_by := writer;
  END IF;
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.parcels_case_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
  open_case record;
BEGIN
  IF NEW.status IS NOT DISTINCT FROM OLD.status AND NEW.inefficiency_type IS NOT DISTINCT FROM OLD.inefficiency_type
     AND NEW.identified_at IS NOT DISTINCT FROM OLD.identified_at THEN
    RETURN NEW;
  END IF;
  SELECT id, number INTO open_case FROM identification_cases WHERE parcel_id = NEW.id AND state = 'open';
  IF FOUND AND current_setting('app.identification_case', true) IS DISTINCT FROM open_case.id::text THEN
    RAISE EXCEPTION USING ERRCODE = 'BT409', MESSAGE = 'case_open', DETAIL = open_case.number, HINT = NEW.code;
  END IF;
  SELECT id, number INTO open_case FROM reuse_projects WHERE parcel_id = NEW.id AND state = 'open';
  IF FOUND AND current_setting('app.reuse_project', true) IS DISTINCT FROM open_case.id::text THEN
    RAISE EXCEPTION USING ERRCODE = 'BT409', MESSAGE = 'reuse_open', DETAIL = open_case.number, HINT = NEW.code;
  END IF;
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.parcels_category_default() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF NEW.land_category IS NULL THEN NEW.land_category := land_category_of(NEW.land_use_code); END IF;
  IF NEW.reporting_unit IS NULL THEN NEW.reporting_unit := reporting_unit_of(NEW.land_category); END IF;
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.record_history() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
  actor text := coalesce(nullif(current_setting('app.actor', true), ''), current_user);
  request text := nullif(current_setting('app.request_id', true), '');
  old_row jsonb;
  new_row jsonb;
  key text;
  skipped text[] := ARRAY['geom_3857', 'label_point', 'updated_at'] || TG_ARGV[1:];
BEGIN
  IF current_setting('app.bulk_load', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD) - skipped; END IF;
  IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW) - skipped; END IF;
  IF TG_TABLE_NAME = 'users' AND TG_OP = 'UPDATE' THEN
    IF (to_jsonb(OLD) ->> 'password_hash') IS DISTINCT FROM (to_jsonb(NEW) ->> 'password_hash') THEN
      new_row := new_row || jsonb_build_object('password_changed', true);
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND old_row = new_row THEN RETURN NULL; END IF;
  key := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ->> TG_ARGV[0] ELSE to_jsonb(NEW) ->> TG_ARGV[0] END;
  INSERT INTO history (entity, entity_id, action, actor, before, after, request_id)
  VALUES (TG_TABLE_NAME, key, lower(TG_OP), actor, old_row, new_row, request);
  RETURN NULL;
END;
$$;

CREATE FUNCTION public.report_submission_contents_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION 'report files are written once';
END;
$$;

CREATE FUNCTION public.report_submissions_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'report submissions are on record, never deleted';
  END IF;
  IF OLD.status = 'submitted' AND NEW.status = 'superseded'
     AND (to_jsonb(NEW) - ARRAY['status', 'superseded_by']) = (to_jsonb(OLD) - ARRAY['status', 'superseded_by']) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'a report submission is written once: only its being superseded may be recorded, once';
END;
$$;

CREATE FUNCTION public.reporting_unit_of(category text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
  SELECT CASE category
    WHEN 'industrial' THEN 'chancu'
    WHEN 'commercial' THEN 'jiedao'
    WHEN 'residential' THEN 'zhujian'
    WHEN 'facility' THEN 'other'
    WHEN 'vacant' THEN 'other'
  END
$$;

CREATE FUNCTION public.reuse_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% rows are on record and never deleted', TG_TABLE_NAME;
  END IF;
  IF TG_TABLE_NAME = 'reuse_plan_versions' AND OLD.confirmed_at IS NULL
     AND (to_jsonb(NEW) - ARRAY['confirmed_by', 'confirmed_at']) = (to_jsonb(OLD) - ARRAY['confirmed_by', 'confirmed_at']) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% rows are written once', TG_TABLE_NAME;
END;
$$;

CREATE FUNCTION public.reuse_projects_touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'reuse projects are kept on record, never deleted';
  END IF;
  NEW.updated_at := now();
  NEW.version := OLD.version + 1;
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.rule_sets_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION 'rule set versions are append-only: add a new version instead';
END;
$$;

CREATE FUNCTION public.stock_lists_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION 'stock list versions are kept as written: add a new version';
END;
$$;

CREATE FUNCTION public.stock_package_files_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION 'consent documents are written once';
END;
$$;

CREATE FUNCTION public.stock_package_items_frozen() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
  package_status text;
BEGIN
  SELECT status INTO package_status FROM stock_packages WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.package_id ELSE OLD.package_id END;
  IF package_status IS DISTINCT FROM 'draft' THEN
    RAISE EXCEPTION 'stock package % is % : its contents are frozen', CASE WHEN TG_OP = 'INSERT' THEN NEW.package_id ELSE OLD.package_id END, package_status;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE FUNCTION public.stock_packages_no_delete() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION 'stock packages are on record, never deleted';
END;
$$;

CREATE FUNCTION public.stock_packages_touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.stock_problems_touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.version := OLD.version + 1;
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.stock_steps_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION '% rows are written once', TG_TABLE_NAME;
END;
$$;

CREATE TABLE public.subdistricts (
    code text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    district_code text NOT NULL,
    geom public.geometry(MultiPolygon,4490) NOT NULL,
    area_m2 double precision DEFAULT 0 NOT NULL,
    source text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT subdistricts_code_check CHECK ((code ~ '^[0-9]{9}$'::text)),
    CONSTRAINT subdistricts_kind_check CHECK ((kind = ANY (ARRAY['street'::text, 'town'::text, 'park'::text]))),
    CONSTRAINT subdistricts_name_check CHECK ((length(btrim(name)) > 0))
);

COMMENT ON TABLE public.subdistricts IS '街道/镇 (kind street/town) and 园区 (kind park) of a 区县; parcels take their place from these polygons';

COMMENT ON COLUMN public.subdistricts.code IS '9 位代码: 区县代码 + 3 位序号 (街道/镇 001–399, 园区 500–999)';

COMMENT ON COLUMN public.subdistricts.kind IS 'street 街道 / town 镇 / park 园区';

COMMENT ON COLUMN public.subdistricts.area_m2 IS '椭球面积 (CGCS2000), m², derived';

COMMENT ON COLUMN public.subdistricts.source IS '来源与规则说明 (e.g. 演示数据, local rule)';

CREATE FUNCTION public.subdistrict_at(point public.geometry, district text, parks boolean) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT s.code FROM public.subdistricts s WHERE ((s.district_code = subdistrict_at.district) AND ((s.kind = 'park'::text) = subdistrict_at.parks) AND public.st_intersects(s.geom, subdistrict_at.point)) ORDER BY s.code LIMIT 1);

CREATE FUNCTION public.subdistricts_derive() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.area_m2 := ST_Area(NEW.geom::geography);
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.subdistricts_rederive_parcels() RETURNS trigger
    LANGUAGE plpgsql
    SET jit TO 'off'
    AS $_$
DECLARE
  changes text;
BEGIN
  changes := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT code, name, district_code, geom FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT code, name, district_code, geom FROM old_rows'
    ELSE 'SELECT code, name, district_code, geom FROM new_rows UNION ALL SELECT code, name, district_code, geom FROM old_rows'
  END;
  EXECUTE format($sql$
    WITH changed AS (%s),
    touched AS (
      SELECT p.id FROM changed c JOIN parcels p ON ST_Intersects(p.geom, c.geom) AND p.district_code = c.district_code
      UNION SELECT p.id FROM changed c JOIN parcels p ON p.subdistrict_code = c.code
      UNION SELECT p.id FROM changed c JOIN parcels p ON p.park_code = c.code
    ),
    derived AS (
      SELECT p.id, subdistrict_at(ST_PointOnSurface(p.geom), p.district_code, false) AS street,
             subdistrict_at(ST_PointOnSurface(p.geom), p.district_code, true) AS park,
             p.town_or_park,
             p.town_or_park IS NULL OR btrim(p.town_or_park) = ''
               OR p.town_or_park IN (SELECT c.name FROM changed c WHERE c.code IN (p.subdistrict_code, p.park_code))
               OR p.town_or_park = (SELECT s.name FROM subdistricts s WHERE s.code = coalesce(p.park_code, p.subdistrict_code)) AS label_derived,
             p.subdistrict_code, p.park_code
      FROM parcels p JOIN touched t ON t.id = p.id
    )
    UPDATE parcels p
    SET subdistrict_code = d.street, park_code = d.park,
        town_or_park = CASE WHEN d.label_derived
                            THEN coalesce((SELECT s.name FROM subdistricts s WHERE s.code = coalesce(d.park, d.street)), d.town_or_park)
                            ELSE d.town_or_park END
    FROM derived d
    WHERE p.id = d.id
      AND (d.street IS DISTINCT FROM d.subdistrict_code OR d.park IS DISTINCT FROM d.park_code
           OR (d.label_derived AND d.town_or_park IS DISTINCT FROM (SELECT s.name FROM subdistricts s WHERE s.code = coalesce(d.park, d.street))))
  $sql$, changes);
  RETURN NULL;
END;
$_$;

CREATE FUNCTION public.survey_cell_class(land_use_code text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT CASE WHEN land_use_code ~ '^(0[0-9]|1[0-2])' THEN substr(land_use_code, 1, 2) ELSE 'xx' END
$$;

CREATE FUNCTION public.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.zhaoshang_versions_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION '招商 listing versions are written once: add a new version instead';
END;
$$;

CREATE TABLE public.annual_plan_policies (
    version integer NOT NULL,
    modes jsonb NOT NULL,
    pilot_min integer NOT NULL,
    pilot_max integer NOT NULL,
    source text NOT NULL,
    local_rule boolean DEFAULT false NOT NULL,
    note text,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT annual_plan_policies_check CHECK ((pilot_min <= pilot_max)),
    CONSTRAINT annual_plan_policies_modes_check CHECK (((jsonb_typeof(modes) = 'array'::text) AND (jsonb_array_length(modes) > 0))),
    CONSTRAINT annual_plan_policies_note_check CHECK ((char_length(note) <= 1000)),
    CONSTRAINT annual_plan_policies_pilot_max_check CHECK ((pilot_max >= 1)),
    CONSTRAINT annual_plan_policies_pilot_min_check CHECK ((pilot_min >= 0)),
    CONSTRAINT annual_plan_policies_source_check CHECK (((char_length(source) >= 1) AND (char_length(source) <= 2000))),
    CONSTRAINT annual_plan_policies_version_check CHECK ((version > 0))
);

COMMENT ON TABLE public.annual_plan_policies IS '年度实施计划的规则: 盘活模式 list [{code, label, note}] and the 试点 count per district and plan (pilot_min..pilot_max, more is a warning), each version kept with its source';

CREATE TABLE public.annual_plan_steps (
    id bigint NOT NULL,
    plan_id bigint NOT NULL,
    from_state text NOT NULL,
    to_state text NOT NULL,
    reason text,
    actor text NOT NULL,
    actor_name text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT annual_plan_steps_reason_check CHECK ((char_length(reason) <= 4000))
);

COMMENT ON TABLE public.annual_plan_steps IS 'every state change of a plan: who, when, why; written once';

CREATE SEQUENCE public.annual_plan_steps_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.annual_plan_steps_id_seq OWNED BY public.annual_plan_steps.id;

CREATE TABLE public.annual_plans (
    id bigint NOT NULL,
    district_code text NOT NULL,
    year integer NOT NULL,
    title text NOT NULL,
    note text,
    state text DEFAULT 'drafting'::text NOT NULL,
    state_at timestamp with time zone DEFAULT now() NOT NULL,
    policy_version integer NOT NULL,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT annual_plans_note_check CHECK ((char_length(note) <= 4000)),
    CONSTRAINT annual_plans_state_check CHECK ((state = ANY (ARRAY['drafting'::text, 'reviewed'::text, 'issued'::text]))),
    CONSTRAINT annual_plans_title_check CHECK (((char_length(title) >= 1) AND (char_length(title) <= 200))),
    CONSTRAINT annual_plans_year_check CHECK (((year >= 2000) AND (year <= 2999)))
);

COMMENT ON TABLE public.annual_plans IS '低效用地再开发年度实施计划 (seed 004 三(二)2), one per district and year: drafting 编制中 → reviewed 专班审定 → issued 已下达';

COMMENT ON COLUMN public.annual_plans.policy_version IS 'the annual_plan_policies version its projects chose their 盘活模式 from';

CREATE SEQUENCE public.annual_plans_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.annual_plans_id_seq OWNED BY public.annual_plans.id;

CREATE TABLE public.area_reviews (
    id bigint NOT NULL,
    area_id bigint NOT NULL,
    area_version integer NOT NULL,
    action text NOT NULL,
    from_status text NOT NULL,
    to_status text NOT NULL,
    note text,
    actor text NOT NULL,
    actor_name text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    rule_set_id text,
    rule_set_version integer,
    pass boolean,
    result jsonb,
    CONSTRAINT area_reviews_action_check CHECK ((action = ANY (ARRAY['submit'::text, 'approve'::text, 'return'::text, 'withdraw'::text, 'revoke'::text, 'revise'::text]))),
    CONSTRAINT area_reviews_check CHECK ((((result IS NULL) = (rule_set_id IS NULL)) AND ((result IS NULL) = (rule_set_version IS NULL)))),
    CONSTRAINT area_reviews_check1 CHECK (((action <> ALL (ARRAY['submit'::text, 'approve'::text])) OR (result IS NOT NULL))),
    CONSTRAINT area_reviews_check2 CHECK (((action <> ALL (ARRAY['return'::text, 'revoke'::text])) OR (length(btrim(note)) > 0)))
);

COMMENT ON TABLE public.area_reviews IS '审批记录 of areas, append-only; result: the check answer pinned at 报审 / 批准';

CREATE SEQUENCE public.area_reviews_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.area_reviews_id_seq OWNED BY public.area_reviews.id;

CREATE TABLE public.area_versions (
    area_id bigint NOT NULL,
    version integer NOT NULL,
    name text NOT NULL,
    status text NOT NULL,
    mode text NOT NULL,
    mode_other text,
    target_land_use text,
    input jsonb NOT NULL,
    result jsonb NOT NULL,
    rule_set_id text NOT NULL,
    rule_set_version integer NOT NULL,
    area_m2 double precision NOT NULL,
    pass boolean,
    geom public.geometry(MultiPolygon,4490) NOT NULL,
    note text,
    saved_by text NOT NULL,
    saved_at timestamp with time zone DEFAULT now() NOT NULL,
    kind text DEFAULT 'new_industrial'::text NOT NULL
);

COMMENT ON TABLE public.area_versions IS 'every saved version of an area: the POST /api/checks body (input) and its answer (result)';

COMMENT ON COLUMN public.area_versions.kind IS '区域类型 of this version (areas.kind)';

CREATE TABLE public.areas (
    id bigint NOT NULL,
    name text NOT NULL,
    district_code text NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    mode text NOT NULL,
    mode_other text,
    target_land_use text,
    rule_set_id text NOT NULL,
    rule_set_version integer NOT NULL,
    area_m2 double precision NOT NULL,
    pass boolean,
    geom public.geometry(MultiPolygon,4490) NOT NULL,
    geom_3857 public.geometry(MultiPolygon,3857) NOT NULL,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    deleted_by text,
    pinned_review_id bigint,
    approved_version integer,
    kind text DEFAULT 'new_industrial'::text NOT NULL,
    CONSTRAINT areas_kind_check CHECK ((kind = ANY (ARRAY['new_industrial'::text, 'industrial'::text, 'other'::text]))),
    CONSTRAINT areas_mode_check CHECK ((mode = ANY (ARRAY['government_entrusted'::text, 'owner_self'::text, 'developer_acquisition'::text, 'other'::text]))),
    CONSTRAINT areas_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'submitted'::text, 'approved'::text, 'returned'::text])))
);

COMMENT ON TABLE public.areas IS '成片改造区域: current state; versions in area_versions; delete is soft (deleted_at)';

COMMENT ON COLUMN public.areas.area_m2 IS '椭球面积 of the boundary (CGCS2000), m²';

COMMENT ON COLUMN public.areas.pass IS 'every check of the saved answer passes (null: some figure missing)';

COMMENT ON COLUMN public.areas.pinned_review_id IS 'the 报审 / 批准 review whose pinned check the area shows (null while draft or returned)';

COMMENT ON COLUMN public.areas.approved_version IS 'the version in force by 批准 (null: none, or revoked by 撤销批准)';

COMMENT ON COLUMN public.areas.kind IS '区域类型: new_industrial 新型产业用地项目再开发, industrial 一般工改工, other 其他; rules bind only the kinds in their appliesTo';

CREATE SEQUENCE public.areas_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.areas_id_seq OWNED BY public.areas.id;

CREATE TABLE public.criteria_run_parcels (
    run_id bigint NOT NULL,
    parcel_id bigint NOT NULL,
    parcel_code text NOT NULL,
    hits jsonb NOT NULL,
    incomplete jsonb NOT NULL,
    suggested_types text[] NOT NULL,
    decision text,
    reason text,
    decided_by text,
    decided_at timestamp with time zone,
    CONSTRAINT criteria_run_parcels_check CHECK (((decision IS DISTINCT FROM 'exclude'::text) OR (length(btrim(COALESCE(reason, ''::text))) > 0))),
    CONSTRAINT criteria_run_parcels_decision_check CHECK ((decision = ANY (ARRAY['include'::text, 'exclude'::text, 'pending'::text])))
);

COMMENT ON TABLE public.criteria_run_parcels IS 'parcels a run flagged (hits) or could not evaluate (incomplete: 数据不全), and the reviewer''s decision: include 纳入认定 / exclude 排除 (reason) / pending 待定';

CREATE TABLE public.criteria_runs (
    id bigint NOT NULL,
    district_code text NOT NULL,
    set_id bigint NOT NULL,
    set_version integer NOT NULL,
    reference_date date NOT NULL,
    evaluated integer NOT NULL,
    flagged integer NOT NULL,
    incomplete integer NOT NULL,
    run_by text NOT NULL,
    run_at timestamp with time zone DEFAULT now() NOT NULL
);

COMMENT ON TABLE public.criteria_runs IS '认定标准初筛: one run of a criteria set version over a district (who, when, counts)';

CREATE SEQUENCE public.criteria_runs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.criteria_runs_id_seq OWNED BY public.criteria_runs.id;

CREATE TABLE public.criteria_set_versions (
    set_id bigint NOT NULL,
    version integer NOT NULL,
    district_code text NOT NULL,
    name text NOT NULL,
    state text NOT NULL,
    example boolean NOT NULL,
    approval_authority text,
    document_no text,
    approved_on date,
    published_on date,
    retired_on date,
    criteria jsonb NOT NULL,
    note text,
    change text NOT NULL,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

COMMENT ON TABLE public.criteria_set_versions IS 'every version of every criteria set (append-only): who changed what, when';

COMMENT ON COLUMN public.criteria_set_versions.change IS 'what made the version: create / edit / state step (approved, published, retired…)';

CREATE TABLE public.criteria_sets (
    id bigint NOT NULL,
    district_code text NOT NULL,
    version integer NOT NULL,
    name text NOT NULL,
    state text NOT NULL,
    example boolean DEFAULT false NOT NULL,
    approval_authority text,
    document_no text,
    approved_on date,
    published_on date,
    retired_on date,
    criteria jsonb NOT NULL,
    note text,
    updated_by text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT criteria_sets_check CHECK (((state <> ALL (ARRAY['approved'::text, 'published'::text])) OR example OR ((approval_authority IS NOT NULL) AND (document_no IS NOT NULL) AND (approved_on IS NOT NULL)))),
    CONSTRAINT criteria_sets_name_check CHECK ((length(btrim(name)) > 0)),
    CONSTRAINT criteria_sets_state_check CHECK ((state = ANY (ARRAY['draft'::text, 'approved'::text, 'published'::text, 'retired'::text]))),
    CONSTRAINT criteria_sets_version_check CHECK ((version >= 1))
);

COMMENT ON TABLE public.criteria_sets IS '低效产业用地认定标准 (per district, versioned): 草案 draft → 已批准 approved → 已发布 published → 已废止 retired';

COMMENT ON COLUMN public.criteria_sets.example IS '示例: shipped with the demo city, thresholds from seed 002 case 18, not an approved standard';

COMMENT ON COLUMN public.criteria_sets.criteria IS 'criteria (domain/api/criteria.schemas.ts Criterion): measure, comparison, threshold, unit, applies to, suggested 低效类型, source';

CREATE SEQUENCE public.criteria_sets_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.criteria_sets_id_seq OWNED BY public.criteria_sets.id;

CREATE TABLE public.districts (
    code text NOT NULL,
    name text NOT NULL,
    level text NOT NULL,
    parent_code text,
    geom public.geometry(MultiPolygon,4490) NOT NULL,
    geom_3857 public.geometry(MultiPolygon,3857) NOT NULL,
    label_point public.geometry(Point,3857) NOT NULL,
    area_m2 double precision NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT districts_code_check CHECK ((code ~ '^[0-9]{6}$'::text)),
    CONSTRAINT districts_level_check CHECK ((level = ANY (ARRAY['province'::text, 'city'::text, 'district'::text, 'town'::text])))
);

COMMENT ON TABLE public.districts IS '行政区 (city, district, town) with real boundaries';

COMMENT ON COLUMN public.districts.code IS '行政区划代码 (6 digits)';

COMMENT ON COLUMN public.districts.level IS '级别: province 省 / city 市 / district 区县 / town 镇街';

COMMENT ON COLUMN public.districts.geom IS 'boundary, EPSG:4490 (CGCS2000 geographic)';

COMMENT ON COLUMN public.districts.geom_3857 IS 'boundary in EPSG:3857, for vector tiles only (never for areas)';

COMMENT ON COLUMN public.districts.label_point IS 'label position (ST_PointOnSurface), EPSG:3857';

COMMENT ON COLUMN public.districts.area_m2 IS '椭球面积, m² (CGCS2000 ellipsoid)';

CREATE TABLE public.document_contents (
    document_id bigint NOT NULL,
    content bytea NOT NULL
);
ALTER TABLE ONLY public.document_contents ALTER COLUMN content SET STORAGE EXTERNAL;

COMMENT ON TABLE public.document_contents IS 'the bytes of each parcel_documents row, written once';

CREATE TABLE public.enterprise_parcels (
    user_id bigint NOT NULL,
    parcel_id bigint NOT NULL,
    granted_by text DEFAULT COALESCE(NULLIF(current_setting('app.actor'::text, true), ''::text), (CURRENT_USER)::text) NOT NULL,
    granted_at timestamp with time zone DEFAULT now() NOT NULL
);

COMMENT ON TABLE public.enterprise_parcels IS '用地单位 accounts and their own parcels (宗地), granted by an administrator or the 园区办/镇街';

CREATE TABLE public.exports (
    id uuid NOT NULL,
    layer text NOT NULL,
    format text NOT NULL,
    crs_request text DEFAULT 'gauss-kruger'::text NOT NULL,
    crs text,
    encoding text,
    filters jsonb DEFAULT '{}'::jsonb NOT NULL,
    status text NOT NULL,
    progress real DEFAULT 0 NOT NULL,
    row_count integer,
    file_name text,
    file_path text,
    bytes bigint,
    notes jsonb DEFAULT '[]'::jsonb NOT NULL,
    error jsonb,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    expires_at timestamp with time zone,
    CONSTRAINT exports_format_check CHECK ((format = ANY (ARRAY['geojson'::text, 'shapefile'::text, 'gpkg'::text, 'filegdb'::text, 'xlsx'::text, 'csv'::text, 'pdf'::text]))),
    CONSTRAINT exports_layer_check CHECK ((layer = ANY (ARRAY['parcels'::text, 'survey'::text, 'areas'::text, 'district-figures'::text, 'area-report'::text, 'parcel-card'::text, 'stock-package'::text]))),
    CONSTRAINT exports_progress_check CHECK (((progress >= (0)::double precision) AND (progress <= (1)::double precision))),
    CONSTRAINT exports_status_check CHECK ((status = ANY (ARRAY['queued'::text, 'running'::text, 'done'::text, 'failed'::text, 'cancelled'::text, 'expired'::text])))
);

COMMENT ON TABLE public.exports IS '导出任务: what was exported, by whom, with which filters, format and outcome';

COMMENT ON COLUMN public.exports.crs IS 'the coordinate system written, e.g. EPSG:4527; null for tables and PDFs';

CREATE TABLE public.grading_results (
    run_id bigint NOT NULL,
    parcel_id bigint NOT NULL,
    grade text,
    previous_grade text,
    score double precision,
    rank integer,
    of_total integer NOT NULL,
    figures jsonb NOT NULL,
    CONSTRAINT grading_results_grade_check CHECK ((grade = ANY (ARRAY['A'::text, 'B'::text, 'C'::text, 'D'::text])))
);

COMMENT ON TABLE public.grading_results IS 'why a parcel got its grade in a run: score, rank of how many, each measure''s value, percentile and weight';

CREATE TABLE public.grading_runs (
    id bigint NOT NULL,
    district_code text NOT NULL,
    scheme_version integer NOT NULL,
    graded integer NOT NULL,
    ungraded integer NOT NULL,
    changed integer NOT NULL,
    counts jsonb NOT NULL,
    run_by text NOT NULL,
    run_at timestamp with time zone DEFAULT now() NOT NULL
);

COMMENT ON TABLE public.grading_runs IS 'one grading of every parcel of a district by one scheme version';

CREATE SEQUENCE public.grading_runs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.grading_runs_id_seq OWNED BY public.grading_runs.id;

CREATE TABLE public.grading_schemes (
    district_code text NOT NULL,
    version integer NOT NULL,
    name text NOT NULL,
    measures jsonb NOT NULL,
    cutoffs jsonb NOT NULL,
    land_uses text[] DEFAULT '{}'::text[] NOT NULL,
    source jsonb NOT NULL,
    local_rule boolean NOT NULL,
    note text,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT grading_schemes_name_check CHECK ((length(btrim(name)) > 0)),
    CONSTRAINT grading_schemes_version_check CHECK ((version >= 1))
);

COMMENT ON TABLE public.grading_schemes IS '综合评价分级方案 A/B/C/D per district (append-only versions): measures, weights, cut-offs by rank or by score';

CREATE TABLE public.history (
    id bigint NOT NULL,
    entity text NOT NULL,
    entity_id text NOT NULL,
    action text NOT NULL,
    actor text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    before jsonb,
    after jsonb,
    request_id text,
    CONSTRAINT history_action_check CHECK (((action = ANY (ARRAY['split'::text, 'merge'::text])) OR (action = ANY (ARRAY['insert'::text, 'update'::text, 'delete'::text, 'bulk_load'::text, 'login'::text, 'login_failed'::text, 'logout'::text, 'password_change'::text, 'locked'::text, 'import_commit'::text, 'supersede'::text, 'clear'::text, 'status'::text, 'restore'::text, 'export'::text, 'bulk_edit'::text]))))
);

COMMENT ON TABLE public.history IS 'append-only change log of every write (who, when, before, after)';

COMMENT ON COLUMN public.history.actor IS 'user or process that made the change (session setting app.actor)';

CREATE SEQUENCE public.history_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.history_id_seq OWNED BY public.history.id;

CREATE TABLE public.identification_cases (
    id bigint NOT NULL,
    number text NOT NULL,
    district_code text NOT NULL,
    year integer NOT NULL,
    sequence integer NOT NULL,
    parcel_id bigint NOT NULL,
    parcel_code text NOT NULL,
    subdistrict_code text,
    park_code text,
    unit_code text,
    unit_kind text NOT NULL,
    state text DEFAULT 'open'::text NOT NULL,
    step text NOT NULL,
    outcome text,
    step_at timestamp with time zone DEFAULT now() NOT NULL,
    due_date date,
    inefficiency_types text[] DEFAULT '{}'::text[] NOT NULL,
    notice_number text,
    notice_date date,
    plan_due_date date,
    status_before text NOT NULL,
    inefficiency_type_before text,
    closed_reason text,
    source_run_id bigint,
    note text,
    opened_by text NOT NULL,
    opened_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT identification_cases_check CHECK (((state = 'notified'::text) = (notice_number IS NOT NULL))),
    CONSTRAINT identification_cases_closed_reason_check CHECK ((char_length(closed_reason) <= 2000)),
    CONSTRAINT identification_cases_note_check CHECK ((char_length(note) <= 2000)),
    CONSTRAINT identification_cases_sequence_check CHECK ((sequence > 0)),
    CONSTRAINT identification_cases_state_check CHECK ((state = ANY (ARRAY['open'::text, 'closed'::text, 'notified'::text]))),
    CONSTRAINT identification_cases_unit_kind_check CHECK ((unit_kind = ANY (ARRAY['park'::text, 'street'::text]))),
    CONSTRAINT identification_cases_year_check CHECK (((year >= 2000) AND (year <= 2999)))
);

COMMENT ON TABLE public.identification_cases IS '认定案卷: one parcel''s way from 列入清单 to 告知 (seed 003 二); steps in identification_steps';

COMMENT ON COLUMN public.identification_cases.number IS '案卷编号 <区县代码>-RD-<年>-<4 位序号>, numbered per district and year';

COMMENT ON COLUMN public.identification_cases.unit_code IS '负责单位: the 园区 (park_code) for 园区内 parcels, else the 街道/镇 (subdistrict_code); NULL = 未划入街道';

COMMENT ON COLUMN public.identification_cases.step IS 'the last step taken (domain/identification/steps.ts)';

COMMENT ON COLUMN public.identification_cases.outcome IS 'outcome of the last step (e.g. sent_back: 核实 asked for 佐证材料, 一次告知)';

COMMENT ON COLUMN public.identification_cases.due_date IS 'the date the next step is due (working days, fixtures/working-calendar.json); NULL = no deadline';

COMMENT ON COLUMN public.identification_cases.notice_number IS '认定告知书编号 <区县代码>-GZ-<年>-<4 位序号>';

COMMENT ON COLUMN public.identification_cases.plan_due_date IS '再利用方案 due: 1 month after the 告知书 (seed 003 三(一), 附件3)';

COMMENT ON COLUMN public.identification_cases.status_before IS 'the parcel''s 效率状态 when the case opened: restored when 会审 or 审批 ends the case without 认定';

CREATE SEQUENCE public.identification_cases_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.identification_cases_id_seq OWNED BY public.identification_cases.id;

CREATE TABLE public.identification_counters (
    district_code text NOT NULL,
    year integer NOT NULL,
    kind text NOT NULL,
    last integer NOT NULL,
    CONSTRAINT identification_counters_kind_check CHECK ((kind = ANY (ARRAY['case'::text, 'notice'::text]))),
    CONSTRAINT identification_counters_last_check CHECK ((last > 0))
);

COMMENT ON TABLE public.identification_counters IS 'last number given per district, year and kind (case 案卷, notice 告知书)';

CREATE TABLE public.identification_steps (
    id bigint NOT NULL,
    case_id bigint NOT NULL,
    step text NOT NULL,
    outcome text,
    actor text NOT NULL,
    actor_name text NOT NULL,
    role text NOT NULL,
    unit_code text,
    department text,
    at timestamp with time zone DEFAULT now() NOT NULL,
    opinion text,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    document_ids bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    due_date date,
    CONSTRAINT identification_steps_opinion_check CHECK ((char_length(opinion) <= 4000))
);

COMMENT ON TABLE public.identification_steps IS 'every step of a 认定案卷 (and each 会审 department''s opinion): who, when, role/unit, opinion, attachments; written once';

COMMENT ON COLUMN public.identification_steps.document_ids IS 'attachments: ids of the parcel''s documents (parcel_documents)';

COMMENT ON COLUMN public.identification_steps.due_date IS 'the date this step was due, when it had a deadline';

CREATE SEQUENCE public.identification_steps_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.identification_steps_id_seq OWNED BY public.identification_steps.id;

CREATE TABLE public.imports (
    id uuid NOT NULL,
    kind text NOT NULL,
    year integer,
    file_name text NOT NULL,
    file_size bigint DEFAULT 0 NOT NULL,
    status text NOT NULL,
    phase text DEFAULT 'upload'::text NOT NULL,
    progress real DEFAULT 0 NOT NULL,
    detected jsonb DEFAULT '{}'::jsonb NOT NULL,
    layers jsonb DEFAULT '[]'::jsonb NOT NULL,
    options jsonb DEFAULT '{}'::jsonb NOT NULL,
    report jsonb DEFAULT '{}'::jsonb NOT NULL,
    needs jsonb,
    error jsonb,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    committed_at timestamp with time zone,
    parcels_read_up_to bigint,
    CONSTRAINT imports_kind_check CHECK ((kind = ANY (ARRAY['survey'::text, 'parcels'::text]))),
    CONSTRAINT imports_status_check CHECK ((status = ANY (ARRAY['processing'::text, 'needs-input'::text, 'ready'::text, 'committing'::text, 'committed'::text, 'failed'::text, 'refused'::text, 'cancelled'::text]))),
    CONSTRAINT imports_year_check CHECK (((year >= 1990) AND (year <= 2100)))
);

COMMENT ON TABLE public.imports IS '导入任务: one upload, its detection, report and fate';

COMMENT ON COLUMN public.imports.parcels_read_up_to IS 'history id when the validation ended (or when the importer last saw the parcels changed since): parcels with later history are stale for the commit';

CREATE TABLE public.legacy_land_steps (
    id bigint NOT NULL,
    legacy_id bigint NOT NULL,
    from_status text NOT NULL,
    to_status text NOT NULL,
    reason text NOT NULL,
    actor text NOT NULL,
    actor_name text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT legacy_land_steps_reason_check CHECK (((char_length(reason) >= 1) AND (char_length(reason) <= 2000)))
);

COMMENT ON TABLE public.legacy_land_steps IS 'every state change of a 历史遗留用地 record: who, when, why; written once';

CREATE SEQUENCE public.legacy_land_steps_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.legacy_land_steps_id_seq OWNED BY public.legacy_land_steps.id;

CREATE TABLE public.legacy_lands (
    id bigint NOT NULL,
    number text NOT NULL,
    district_code text NOT NULL,
    year integer NOT NULL,
    sequence integer NOT NULL,
    name text,
    location text,
    user_name text,
    current_use text NOT NULL,
    land_use_code text,
    floor_area_m2 double precision,
    period text NOT NULL,
    period_version integer NOT NULL,
    survey_year integer,
    survey_bsm text,
    standard text,
    disposal_policy text,
    status text DEFAULT 'pending'::text NOT NULL,
    status_at timestamp with time zone DEFAULT now() NOT NULL,
    note text,
    source text DEFAULT 'drawn'::text NOT NULL,
    geom public.geometry(MultiPolygon,4490) NOT NULL,
    geom_3857 public.geometry(MultiPolygon,3857) NOT NULL,
    area_m2 double precision NOT NULL,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT legacy_lands_current_use_check CHECK (((char_length(current_use) >= 1) AND (char_length(current_use) <= 200))),
    CONSTRAINT legacy_lands_disposal_policy_check CHECK ((char_length(disposal_policy) <= 2000)),
    CONSTRAINT legacy_lands_floor_area_m2_check CHECK (((floor_area_m2 >= (0)::double precision) AND (floor_area_m2 <= ('1000000000'::numeric)::double precision))),
    CONSTRAINT legacy_lands_land_use_code_check CHECK ((land_use_code ~ '^[0-9A-Z]{2,6}$'::text)),
    CONSTRAINT legacy_lands_location_check CHECK ((char_length(location) <= 300)),
    CONSTRAINT legacy_lands_name_check CHECK ((char_length(name) <= 200)),
    CONSTRAINT legacy_lands_note_check CHECK ((char_length(note) <= 2000)),
    CONSTRAINT legacy_lands_sequence_check CHECK ((sequence > 0)),
    CONSTRAINT legacy_lands_source_check CHECK ((source = ANY (ARRAY['drawn'::text, 'imported'::text, 'demo'::text]))),
    CONSTRAINT legacy_lands_standard_check CHECK ((char_length(standard) <= 2000)),
    CONSTRAINT legacy_lands_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'confirmed'::text, 'disposing'::text, 'disposed'::text]))),
    CONSTRAINT legacy_lands_survey_bsm_check CHECK ((char_length(survey_bsm) <= 40)),
    CONSTRAINT legacy_lands_survey_year_check CHECK (((survey_year >= 1990) AND (survey_year <= 2100))),
    CONSTRAINT legacy_lands_user_name_check CHECK ((char_length(user_name) <= 200)),
    CONSTRAINT legacy_lands_year_check CHECK (((year >= 2000) AND (year <= 2999)))
);

COMMENT ON TABLE public.legacy_lands IS '历史遗留用地数据库 (seed 004 三(一), 三(三)3): land built without legal procedures, found from the 国土调查';

COMMENT ON COLUMN public.legacy_lands.number IS '编号 <区县代码>-LS-<年>-<4 位序号>, per district and year';

COMMENT ON COLUMN public.legacy_lands.current_use IS '现状用途 (as surveyed)';

COMMENT ON COLUMN public.legacy_lands.period IS '发生时期: a code of the stock_lists legacy_period list of version period_version (the version it was chosen from)';

COMMENT ON COLUMN public.legacy_lands.survey_year IS '发现它的国土调查（变更调查）年度';

COMMENT ON COLUMN public.legacy_lands.survey_bsm IS '该年度调查图斑的标识码 BSM';

COMMENT ON COLUMN public.legacy_lands.standard IS '适用的认定标准';

COMMENT ON COLUMN public.legacy_lands.disposal_policy IS '适用的处置政策';

COMMENT ON COLUMN public.legacy_lands.status IS 'pending 待认定 → confirmed 已认定 → disposing 处置中 → disposed 已处置 (domain/legacy-land.ts); steps in legacy_land_steps';

COMMENT ON COLUMN public.legacy_lands.area_m2 IS '椭球面积 (CGCS2000), m², derived';

CREATE SEQUENCE public.legacy_lands_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.legacy_lands_id_seq OWNED BY public.legacy_lands.id;

CREATE TABLE public.login_failures (
    username text NOT NULL,
    address text NOT NULL,
    failures integer NOT NULL,
    locked_until timestamp with time zone,
    last_failure_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT login_failures_failures_check CHECK ((failures > 0)),
    CONSTRAINT login_failures_username_check CHECK (((length(username) >= 1) AND (length(username) <= 64)))
);

COMMENT ON TABLE public.login_failures IS 'failed logins per user name (as typed, known or not) and client address; the pair locks after a configured number within the lock period';

COMMENT ON COLUMN public.login_failures.failures IS 'failed logins of this name from this address since the last success or expired lock';

COMMENT ON COLUMN public.login_failures.locked_until IS 'logins of this name from this address are refused until then, even with the right password';

CREATE TABLE public.parcel_cells (
    level smallint NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    district_code text NOT NULL,
    parcels integer NOT NULL,
    area_m2 double precision NOT NULL,
    inefficient integer NOT NULL,
    inefficient_m2 double precision NOT NULL
);

COMMENT ON TABLE public.parcel_cells IS 'aggregate grid of parcels for low-zoom tiles, maintained by statement triggers on parcels';

COMMENT ON COLUMN public.parcel_cells.level IS 'grid level: 2^level cells across the world; tile zoom z uses level z + 5';

COMMENT ON COLUMN public.parcel_cells.area_m2 IS 'ellipsoidal parcel area in the cell, m²';

COMMENT ON COLUMN public.parcel_cells.inefficient IS 'parcels 疑似低效 (suspected) or 已认定低效 (identified)';

COMMENT ON COLUMN public.parcel_cells.inefficient_m2 IS 'their area, m²';

CREATE TABLE public.parcel_documents (
    id bigint NOT NULL,
    parcel_id bigint NOT NULL,
    category text NOT NULL,
    note text,
    file_name text NOT NULL,
    media_type text NOT NULL,
    byte_size bigint NOT NULL,
    sha256 text NOT NULL,
    taken_at timestamp with time zone,
    "position" public.geometry(Point,4490),
    exif jsonb,
    uploaded_by text NOT NULL,
    uploaded_at timestamp with time zone DEFAULT now() NOT NULL,
    removed_by text,
    removed_at timestamp with time zone,
    removal_reason text,
    CONSTRAINT parcel_documents_byte_size_check CHECK ((byte_size > 0)),
    CONSTRAINT parcel_documents_category_check CHECK ((category = ANY (ARRAY['contract'::text, 'certificate'::text, 'photo'::text, 'drawing'::text, 'approval'::text, 'plan'::text, 'other'::text]))),
    CONSTRAINT parcel_documents_check CHECK ((((removed_at IS NULL) = (removed_by IS NULL)) AND ((removed_at IS NULL) = (removal_reason IS NULL)))),
    CONSTRAINT parcel_documents_file_name_check CHECK (((char_length(file_name) >= 1) AND (char_length(file_name) <= 200))),
    CONSTRAINT parcel_documents_media_type_check CHECK ((media_type = ANY (ARRAY['application/pdf'::text, 'image/jpeg'::text, 'image/png'::text, 'image/webp'::text, 'image/tiff'::text, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'::text, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'::text]))),
    CONSTRAINT parcel_documents_note_check CHECK ((char_length(note) <= 500)),
    CONSTRAINT parcel_documents_removal_reason_check CHECK ((char_length(removal_reason) <= 500)),
    CONSTRAINT parcel_documents_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text))
);

COMMENT ON TABLE public.parcel_documents IS '一地一档: a parcel''s filed documents (metadata); bytes in document_contents; removal is soft';

COMMENT ON COLUMN public.parcel_documents.media_type IS 'detected from the content (magic bytes), never the uploader''s claim';

COMMENT ON COLUMN public.parcel_documents.byte_size IS 'bytes';

COMMENT ON COLUMN public.parcel_documents.sha256 IS 'SHA-256 of the content, hex';

COMMENT ON COLUMN public.parcel_documents.taken_at IS 'photos: EXIF DateTimeOriginal (with OffsetTimeOriginal, else read as UTC+8)';

COMMENT ON COLUMN public.parcel_documents."position" IS 'photos: EXIF GPS position; GPS records WGS84, taken as CGCS2000 (they differ by centimetres)';

CREATE SEQUENCE public.parcel_documents_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.parcel_documents_id_seq OWNED BY public.parcel_documents.id;

CREATE TABLE public.parcel_lineage (
    id bigint NOT NULL,
    kind text NOT NULL,
    parent_ids bigint[] NOT NULL,
    parent_codes text[] NOT NULL,
    child_ids bigint[] NOT NULL,
    child_codes text[] NOT NULL,
    actor text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    note text,
    request_id text,
    CONSTRAINT parcel_lineage_check CHECK (((cardinality(parent_ids) = cardinality(parent_codes)) AND (cardinality(child_ids) = cardinality(child_codes)))),
    CONSTRAINT parcel_lineage_check1 CHECK ((((kind = 'split'::text) AND (cardinality(parent_ids) = 1) AND (cardinality(child_ids) >= 2)) OR ((kind = 'merge'::text) AND (cardinality(parent_ids) >= 2) AND (cardinality(child_ids) = 1)))),
    CONSTRAINT parcel_lineage_child_ids_check CHECK ((cardinality(child_ids) >= 1)),
    CONSTRAINT parcel_lineage_kind_check CHECK ((kind = ANY (ARRAY['split'::text, 'merge'::text]))),
    CONSTRAINT parcel_lineage_note_check CHECK ((char_length(note) <= 500)),
    CONSTRAINT parcel_lineage_parent_ids_check CHECK ((cardinality(parent_ids) >= 1))
);

COMMENT ON TABLE public.parcel_lineage IS '地块分割/合并 (土地分割, 并宗): parents retired into retired_parcels, children inserted into parcels; append-only';

COMMENT ON COLUMN public.parcel_lineage.note IS '说明, e.g. the approval (批准文号) the operation follows';

CREATE SEQUENCE public.parcel_lineage_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.parcel_lineage_id_seq OWNED BY public.parcel_lineage.id;

CREATE TABLE public.parcel_tile_geometries (
    z smallint NOT NULL,
    x integer NOT NULL,
    y integer NOT NULL,
    parcel_id bigint NOT NULL,
    status text NOT NULL,
    inefficiency_type text,
    evaluation_grade text,
    land_category text,
    district_code text NOT NULL,
    geom public.geometry NOT NULL
);

COMMENT ON TABLE public.parcel_tile_geometries IS 'parcels cut into tile coordinates at the precut zooms (parcel_precut_zooms()): ST_AsMVTGeom, extent 4096, buffer 64, half-pixel simplification below z15, as tiles.sql.ts would; with the parcel''s tile attributes (status, inefficiency_type, evaluation_grade, land_category, district_code), kept by the parcels_precut_* triggers';

CREATE TABLE public.parcel_type_cells (
    level smallint NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    district_code text NOT NULL,
    type text NOT NULL,
    parcels integer NOT NULL,
    area_m2 double precision NOT NULL
);

COMMENT ON TABLE public.parcel_type_cells IS 'aggregate grid of typed parcels per 低效类型, for low-zoom tiles coloured by type; maintained by statement triggers on parcels';

COMMENT ON COLUMN public.parcel_type_cells.type IS '低效类型 code (parcels.inefficiency_type)';

COMMENT ON COLUMN public.parcel_type_cells.area_m2 IS 'ellipsoidal area of those parcels in the cell, m²';

CREATE TABLE public.parcel_yearly_figures (
    parcel_id bigint NOT NULL,
    year integer NOT NULL,
    output_wan numeric(14,2),
    tax_wan numeric(14,2),
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by text DEFAULT 'system'::text NOT NULL,
    CONSTRAINT parcel_yearly_figures_output_wan_check CHECK ((output_wan >= (0)::numeric)),
    CONSTRAINT parcel_yearly_figures_tax_wan_check CHECK ((tax_wan >= (0)::numeric)),
    CONSTRAINT parcel_yearly_figures_year_check CHECK (((year >= 1949) AND (year <= 2100)))
);

COMMENT ON TABLE public.parcel_yearly_figures IS '年度产值、税收 per parcel (seed 003 附件4), 万元';

COMMENT ON COLUMN public.parcel_yearly_figures.output_wan IS '年度产值, 万元';

COMMENT ON COLUMN public.parcel_yearly_figures.tax_wan IS '年度税收, 万元';

CREATE TABLE public.parcels (
    id bigint NOT NULL,
    code text NOT NULL,
    district_code text NOT NULL,
    owner text,
    town_or_park text,
    location text,
    registered_area_m2 numeric(14,2),
    area_m2 double precision NOT NULL,
    contract_no text,
    certificate_no text,
    land_use_code text,
    planned_function text,
    industry_code text,
    floor_area_m2 numeric(14,2),
    floor_area_ratio numeric(6,2),
    building_coverage numeric(5,4),
    investment_intensity numeric(12,2),
    output_per_mu numeric(12,2),
    tax_per_mu numeric(12,2),
    production_start date,
    production_stop date,
    admin_facility_share numeric(5,4),
    undeveloped_area_m2 numeric(14,2),
    meets_safety boolean,
    meets_environment boolean,
    meets_energy boolean,
    status text DEFAULT 'efficient'::text NOT NULL,
    inefficiency_type text,
    identified_at date,
    redevelopment_intent text,
    evaluation_grade text,
    geom public.geometry(MultiPolygon,4490) NOT NULL,
    geom_3857 public.geometry(MultiPolygon,3857) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by text DEFAULT 'system'::text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    park_side text,
    land_acquired_at date,
    boundary_east text,
    boundary_south text,
    boundary_west text,
    boundary_north text,
    agreed_floor_area_ratio numeric(6,2),
    agreed_building_density numeric(5,4),
    agreed_completion_date date,
    investment_agreement_no text,
    agreed_investment_intensity numeric(12,2),
    completion_date date,
    invested_amount numeric(14,2),
    safety_note text,
    environment_note text,
    energy_note text,
    fixed_asset_investment numeric(14,2),
    ownership_nature text,
    subdistrict_code text,
    park_code text,
    land_category text,
    reporting_unit text,
    residential_kind text,
    construction_permits text,
    CONSTRAINT parcels_admin_facility_share_check CHECK (((admin_facility_share >= (0)::numeric) AND (admin_facility_share <= (1)::numeric))),
    CONSTRAINT parcels_agreed_building_density_check CHECK (((agreed_building_density >= (0)::numeric) AND (agreed_building_density <= (1)::numeric))),
    CONSTRAINT parcels_agreed_floor_area_ratio_check CHECK ((agreed_floor_area_ratio >= (0)::numeric)),
    CONSTRAINT parcels_agreed_investment_intensity_check CHECK ((agreed_investment_intensity >= (0)::numeric)),
    CONSTRAINT parcels_area_m2_check CHECK ((area_m2 >= (0)::double precision)),
    CONSTRAINT parcels_building_coverage_check CHECK (((building_coverage >= (0)::numeric) AND (building_coverage <= (1)::numeric))),
    CONSTRAINT parcels_construction_permits_check CHECK ((char_length(construction_permits) <= 500)),
    CONSTRAINT parcels_evaluation_grade_check CHECK ((evaluation_grade = ANY (ARRAY['A'::text, 'B'::text, 'C'::text, 'D'::text]))),
    CONSTRAINT parcels_fixed_asset_investment_check CHECK ((fixed_asset_investment >= (0)::numeric)),
    CONSTRAINT parcels_floor_area_m2_check CHECK ((floor_area_m2 >= (0)::numeric)),
    CONSTRAINT parcels_floor_area_ratio_check CHECK ((floor_area_ratio >= (0)::numeric)),
    CONSTRAINT parcels_inefficiency_type_check CHECK ((inefficiency_type = ANY (ARRAY['idle'::text, 'low_output'::text, 'stopped'::text, 'scattered'::text, 'misused'::text, 'dilapidated'::text, 'polluting'::text]))),
    CONSTRAINT parcels_invested_amount_check CHECK ((invested_amount >= (0)::numeric)),
    CONSTRAINT parcels_land_category_check CHECK ((land_category = ANY (ARRAY['industrial'::text, 'commercial'::text, 'residential'::text, 'facility'::text, 'vacant'::text]))),
    CONSTRAINT parcels_ownership_nature_check CHECK ((ownership_nature = ANY (ARRAY['国有'::text, '集体'::text]))),
    CONSTRAINT parcels_park_side_check CHECK ((park_side = ANY (ARRAY['inside'::text, 'outside'::text]))),
    CONSTRAINT parcels_redevelopment_intent_check CHECK ((redevelopment_intent = ANY (ARRAY['strong'::text, 'willing'::text, 'undecided'::text, 'unwilling'::text]))),
    CONSTRAINT parcels_registered_area_m2_check CHECK ((registered_area_m2 >= (0)::numeric)),
    CONSTRAINT parcels_reporting_unit_check CHECK ((reporting_unit = ANY (ARRAY['chancu'::text, 'jiedao'::text, 'zhujian'::text, 'guozi'::text, 'other'::text]))),
    CONSTRAINT parcels_residential_kind_check CHECK ((residential_kind = ANY (ARRAY['urban_village'::text, 'old_community'::text, 'stalled_project'::text]))),
    CONSTRAINT parcels_status_check CHECK ((status = ANY (ARRAY['unassessed'::text, 'efficient'::text, 'suspected'::text, 'identified'::text, 'redeveloping'::text, 'redeveloped'::text]))),
    CONSTRAINT parcels_undeveloped_area_m2_check CHECK ((undeveloped_area_m2 >= (0)::numeric)),
    CONSTRAINT parcels_version_check CHECK ((version >= 1))
);

COMMENT ON TABLE public.parcels IS '宗地 (一宗一卡): one row per land parcel of the 低效用地数据库';

COMMENT ON COLUMN public.parcels.code IS '宗地编号';

COMMENT ON COLUMN public.parcels.district_code IS '所在行政区 (区县) 代码';

COMMENT ON COLUMN public.parcels.owner IS '土地使用权人';

COMMENT ON COLUMN public.parcels.town_or_park IS '所在镇街/园区';

COMMENT ON COLUMN public.parcels.location IS '土地位置 (坐落)';

COMMENT ON COLUMN public.parcels.registered_area_m2 IS '土地面积 (登记/出让), m²';

COMMENT ON COLUMN public.parcels.area_m2 IS '椭球面积 of geom on the CGCS2000 ellipsoid, m² (computed, not entered)';

COMMENT ON COLUMN public.parcels.contract_no IS '土地出让合同号';

COMMENT ON COLUMN public.parcels.certificate_no IS '不动产权证号';

COMMENT ON COLUMN public.parcels.land_use_code IS '土地用途, 三调地类编码 (0601 工业用地, 0508 物流仓储用地, ...)';

COMMENT ON COLUMN public.parcels.planned_function IS '规划用地功能';

COMMENT ON COLUMN public.parcels.industry_code IS '国民经济行业分类代码 (GB/T 4754), e.g. C34';

COMMENT ON COLUMN public.parcels.floor_area_m2 IS '建筑面积, m²';

COMMENT ON COLUMN public.parcels.floor_area_ratio IS '容积率 (dimensionless, 建筑面积/土地面积)';

COMMENT ON COLUMN public.parcels.building_coverage IS '建筑系数, fraction 0–1 (土地使用情况)';

COMMENT ON COLUMN public.parcels.investment_intensity IS '投资强度, 万元/亩';

COMMENT ON COLUMN public.parcels.output_per_mu IS '地均(亩均)产值, 万元/亩 per year';

COMMENT ON COLUMN public.parcels.tax_per_mu IS '地均(亩均)税收, 万元/亩 per year';

COMMENT ON COLUMN public.parcels.production_start IS '投产时间';

COMMENT ON COLUMN public.parcels.production_stop IS '停产时间 (null while producing)';

COMMENT ON COLUMN public.parcels.admin_facility_share IS '行政办公及生活服务设施用地比重, fraction 0–1';

COMMENT ON COLUMN public.parcels.undeveloped_area_m2 IS '未开发建设土地面积, m²';

COMMENT ON COLUMN public.parcels.meets_safety IS '是否符合安全生产要求';

COMMENT ON COLUMN public.parcels.meets_environment IS '是否符合环保要求';

COMMENT ON COLUMN public.parcels.meets_energy IS '是否符合能耗要求';

COMMENT ON COLUMN public.parcels.status IS '效率状态: unassessed 未认定 / efficient 正常利用 / suspected 疑似低效 / identified 已认定低效 / redeveloping 再开发中 / redeveloped 已完成再开发';

COMMENT ON COLUMN public.parcels.inefficiency_type IS '低效类型 (codes in domain/efficiency.ts)';

COMMENT ON COLUMN public.parcels.identified_at IS '认定时间';

COMMENT ON COLUMN public.parcels.redevelopment_intent IS '改造意愿: strong / willing / undecided / unwilling';

COMMENT ON COLUMN public.parcels.evaluation_grade IS '综合评价等级 A/B/C/D (亩均效益)';

COMMENT ON COLUMN public.parcels.geom IS 'boundary, EPSG:4490 (CGCS2000 geographic)';

COMMENT ON COLUMN public.parcels.geom_3857 IS 'boundary in EPSG:3857, for vector tiles only (never for areas)';

COMMENT ON COLUMN public.parcels.version IS '版本: raised by one on every change of the row (parcels_version trigger); a write states the version it started from';

COMMENT ON COLUMN public.parcels.park_side IS '园区内 (inside) / 园区外 (outside): who surveys it (园区办 or 镇政府/街道办, seed 003 二.1)';

COMMENT ON COLUMN public.parcels.land_acquired_at IS '土地取得时间';

COMMENT ON COLUMN public.parcels.boundary_east IS '四至: 东至';

COMMENT ON COLUMN public.parcels.boundary_south IS '四至: 南至';

COMMENT ON COLUMN public.parcels.boundary_west IS '四至: 西至';

COMMENT ON COLUMN public.parcels.boundary_north IS '四至: 北至';

COMMENT ON COLUMN public.parcels.agreed_floor_area_ratio IS '约定容积率 (土地出让合同/投资发展协议)';

COMMENT ON COLUMN public.parcels.agreed_building_density IS '约定建筑密度, fraction 0–1';

COMMENT ON COLUMN public.parcels.agreed_completion_date IS '约定竣工时间';

COMMENT ON COLUMN public.parcels.investment_agreement_no IS '投资发展协议号';

COMMENT ON COLUMN public.parcels.agreed_investment_intensity IS '约定投资强度, 万元/亩';

COMMENT ON COLUMN public.parcels.completion_date IS '竣工时间';

COMMENT ON COLUMN public.parcels.invested_amount IS '投资强度 as 附件1 writes it: 已投资额, 万元 (investment_intensity is 万元/亩)';

COMMENT ON COLUMN public.parcels.safety_note IS '安全生产: note on the conformity (meets_safety)';

COMMENT ON COLUMN public.parcels.environment_note IS '环保: note on the conformity (meets_environment)';

COMMENT ON COLUMN public.parcels.energy_note IS '能耗: note on the conformity (meets_energy)';

COMMENT ON COLUMN public.parcels.fixed_asset_investment IS '固定资产投资总额, 万元 (seed 003 附件4)';

COMMENT ON COLUMN public.parcels.ownership_nature IS '权属性质: 国有 / 集体 (三调 QSXZ 10/20 国有, 30/31/32/33 集体)';

COMMENT ON COLUMN public.parcels.subdistrict_code IS '所在街道/镇 (subdistricts.code), derived from the shape; NULL = 未划入街道';

COMMENT ON COLUMN public.parcels.park_code IS '所在园区 (subdistricts.code), derived from the shape; NULL = 园区外';

COMMENT ON COLUMN public.parcels.land_category IS '低效用地类别 (domain/land-categories.ts): industrial 低效工业, commercial 低效商业服务业, residential 低效居住, facility 低效设施, vacant 空闲地; NULL = 未分类';

COMMENT ON COLUMN public.parcels.reporting_unit IS '填报单位 (seed 004 附件): chancu 区产业发展促进局, jiedao 街道办事处, zhujian 区住房城乡建设委, guozi 区国资委, other 其他相关部门';

COMMENT ON COLUMN public.parcels.residential_kind IS '低效居住的类型: urban_village 城中村, old_community 老旧小区, stalled_project 烂尾楼盘';

COMMENT ON COLUMN public.parcels.construction_permits IS '建设手续情况 (住建委提供; 低效居住)';

CREATE SEQUENCE public.parcels_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.parcels_id_seq OWNED BY public.parcels.id;

CREATE TABLE public.plan_milestones (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    name text NOT NULL,
    planned_date date NOT NULL,
    responsible_unit text NOT NULL,
    done_date date,
    note text,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT plan_milestones_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 200))),
    CONSTRAINT plan_milestones_note_check CHECK ((char_length(note) <= 2000)),
    CONSTRAINT plan_milestones_responsible_unit_check CHECK (((char_length(responsible_unit) >= 1) AND (char_length(responsible_unit) <= 200)))
);

COMMENT ON TABLE public.plan_milestones IS '项目节点 (目标节点化、节点责任化): planned date, responsible unit, done date; overdue = not done and planned before today (domain/annual-plans.ts)';

CREATE SEQUENCE public.plan_milestones_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.plan_milestones_id_seq OWNED BY public.plan_milestones.id;

CREATE TABLE public.plan_projects (
    id bigint NOT NULL,
    plan_id bigint NOT NULL,
    name text NOT NULL,
    developer text NOT NULL,
    content text NOT NULL,
    mode text NOT NULL,
    parcel_ids bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    area_ids bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    pilot boolean DEFAULT false NOT NULL,
    scheme jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT plan_projects_check CHECK (((cardinality(parcel_ids) + cardinality(area_ids)) > 0)),
    CONSTRAINT plan_projects_content_check CHECK (((char_length(content) >= 1) AND (char_length(content) <= 4000))),
    CONSTRAINT plan_projects_developer_check CHECK (((char_length(developer) >= 1) AND (char_length(developer) <= 200))),
    CONSTRAINT plan_projects_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 200))),
    CONSTRAINT plan_projects_scheme_check CHECK ((jsonb_typeof(scheme) = 'object'::text))
);

COMMENT ON TABLE public.plan_projects IS '年度实施计划的项目 (工作项目化): parcels and/or 成片改造区域, 开发主体, 实施内容, 盘活模式, 实施方案, 试点';

COMMENT ON COLUMN public.plan_projects.mode IS '盘活模式: a code of the plan''s annual_plan_policies modes (seed 004 四)';

COMMENT ON COLUMN public.plan_projects.parcel_ids IS 'linked parcels (ids); a parcel retired later stays listed';

COMMENT ON COLUMN public.plan_projects.area_ids IS 'linked 成片改造区域 (ids)';

COMMENT ON COLUMN public.plan_projects.scheme IS '再开发实施方案 (seed 004 三(四)1): {mode 盘活模式, renovation 改造计划, operation 项目运营计划, funding 资金平衡测算及筹措, schedule 建设时序}';

CREATE SEQUENCE public.plan_projects_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.plan_projects_id_seq OWNED BY public.plan_projects.id;

CREATE TABLE public.report_submission_contents (
    submission_id bigint NOT NULL,
    content bytea NOT NULL
);
ALTER TABLE ONLY public.report_submission_contents ALTER COLUMN content SET STORAGE EXTERNAL;

COMMENT ON TABLE public.report_submission_contents IS 'the file of each report_submissions row as submitted, written once';

CREATE TABLE public.report_submissions (
    id bigint NOT NULL,
    report_code text NOT NULL,
    district_code text NOT NULL,
    period text NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    due_date date NOT NULL,
    status text DEFAULT 'submitted'::text NOT NULL,
    superseded_by bigint,
    submitted_by text NOT NULL,
    submitted_by_name text NOT NULL,
    submitted_role text NOT NULL,
    submitted_at timestamp with time zone DEFAULT now() NOT NULL,
    on_time boolean NOT NULL,
    recipients text[] DEFAULT '{}'::text[] NOT NULL,
    file_name text NOT NULL,
    media_type text NOT NULL,
    byte_size bigint NOT NULL,
    sha256 text NOT NULL,
    row_count integer NOT NULL,
    summary jsonb DEFAULT '{}'::jsonb NOT NULL,
    note text,
    CONSTRAINT report_submissions_byte_size_check CHECK ((byte_size > 0)),
    CONSTRAINT report_submissions_check CHECK ((period_end >= period_start)),
    CONSTRAINT report_submissions_check1 CHECK (((status = 'superseded'::text) = (superseded_by IS NOT NULL))),
    CONSTRAINT report_submissions_file_name_check CHECK (((char_length(file_name) >= 1) AND (char_length(file_name) <= 200))),
    CONSTRAINT report_submissions_note_check CHECK ((char_length(note) <= 500)),
    CONSTRAINT report_submissions_period_check CHECK ((period ~ '^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$'::text)),
    CONSTRAINT report_submissions_report_code_check CHECK ((report_code ~ '^[a-z][a-z0-9_]{1,40}$'::text)),
    CONSTRAINT report_submissions_row_count_check CHECK ((row_count >= 0)),
    CONSTRAINT report_submissions_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT report_submissions_status_check CHECK ((status = ANY (ARRAY['submitted'::text, 'superseded'::text])))
);

COMMENT ON TABLE public.report_submissions IS 'periodic reports filed upward (附件11 monthly, 附件12/13 quarterly): who, when, which period, the frozen file in report_submission_contents';

COMMENT ON COLUMN public.report_submissions.report_code IS 'the report (fixtures/report-schedules.json): annex11 低效产业用地认定情况汇总表, …';

COMMENT ON COLUMN public.report_submissions.period IS 'YYYY-MM (monthly) or YYYY-Qn (quarterly)';

COMMENT ON COLUMN public.report_submissions.due_date IS 'the date the period''s report was due (schedule data), China calendar';

COMMENT ON COLUMN public.report_submissions.superseded_by IS 'the later submission of the same report, district and period that replaced this one';

COMMENT ON COLUMN public.report_submissions.on_time IS 'submitted on or before due_date (China date)';

COMMENT ON COLUMN public.report_submissions.summary IS 'figures of the file as submitted (rows, 本期新增, 土地面积 in 亩)';

CREATE SEQUENCE public.report_submissions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.report_submissions_id_seq OWNED BY public.report_submissions.id;

CREATE TABLE public.retired_parcels (
    id bigint NOT NULL,
    code text NOT NULL,
    district_code text NOT NULL,
    owner text,
    area_m2 double precision NOT NULL,
    geom public.geometry(MultiPolygon,4490) NOT NULL,
    attributes jsonb NOT NULL,
    retired_at timestamp with time zone DEFAULT now() NOT NULL,
    retired_by text NOT NULL,
    retired_reason text NOT NULL,
    successor_ids bigint[] NOT NULL,
    operation_id bigint NOT NULL,
    CONSTRAINT retired_parcels_retired_reason_check CHECK ((retired_reason = ANY (ARRAY['split'::text, 'merge'::text]))),
    CONSTRAINT retired_parcels_successor_ids_check CHECK ((cardinality(successor_ids) >= 1))
);

COMMENT ON TABLE public.retired_parcels IS '已注销地块: parcels retired by a split or merge, moved out of parcels (not deleted); successors in successor_ids';

COMMENT ON COLUMN public.retired_parcels.attributes IS 'the parcels row as it was when retired (to_jsonb, without geometry columns)';

CREATE TABLE public.reuse_counters (
    district_code text NOT NULL,
    year integer NOT NULL,
    kind text NOT NULL,
    last integer NOT NULL,
    CONSTRAINT reuse_counters_kind_check CHECK ((kind = ANY (ARRAY['project'::text, 'agreement'::text, 'certificate'::text]))),
    CONSTRAINT reuse_counters_last_check CHECK ((last > 0))
);

COMMENT ON TABLE public.reuse_counters IS 'last number given per district, year and kind (project 再利用项目, agreement 协议书)';

CREATE TABLE public.reuse_credit_list (
    id bigint NOT NULL,
    district_code text NOT NULL,
    enterprise text NOT NULL,
    parcel_id bigint NOT NULL,
    parcel_code text NOT NULL,
    case_id bigint NOT NULL,
    project_id bigint,
    ground text NOT NULL,
    listed_on date NOT NULL,
    reason text NOT NULL,
    source text NOT NULL,
    listed_by text NOT NULL,
    listed_by_name text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT reuse_credit_list_enterprise_check CHECK (((char_length(enterprise) >= 1) AND (char_length(enterprise) <= 200))),
    CONSTRAINT reuse_credit_list_ground_check CHECK ((ground = ANY (ARRAY['plan_overdue'::text, 'overdue'::text, 'extension_refused'::text, 'not_passed'::text]))),
    CONSTRAINT reuse_credit_list_reason_check CHECK (((char_length(reason) >= 1) AND (char_length(reason) <= 4000)))
);

COMMENT ON TABLE public.reuse_credit_list IS '信用异常名单 (seed 003 附件3, 附件7 五): 用地单位 listed by the 甲方 when a 再利用项目 fails; written once';

COMMENT ON COLUMN public.reuse_credit_list.enterprise IS '乙方 (the 协议书''s party, else the 土地使用权人) as listed';

COMMENT ON COLUMN public.reuse_credit_list.ground IS 'plan_overdue 逾期未报送再利用方案 (附件3) / overdue, extension_refused, not_passed (附件7 五)';

COMMENT ON COLUMN public.reuse_credit_list.source IS 'the seed text the listing rests on';

CREATE SEQUENCE public.reuse_credit_list_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.reuse_credit_list_id_seq OWNED BY public.reuse_credit_list.id;

CREATE TABLE public.reuse_credit_removals (
    id bigint NOT NULL,
    listing_id bigint NOT NULL,
    removed_on date NOT NULL,
    reason text NOT NULL,
    removed_by text NOT NULL,
    removed_by_name text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT reuse_credit_removals_reason_check CHECK (((char_length(reason) >= 1) AND (char_length(reason) <= 4000)))
);

COMMENT ON TABLE public.reuse_credit_removals IS '信用异常名单: an official takes a 用地单位 off the list (附件7 五 "直至乙方改正为止"), with the reason; written once';

CREATE SEQUENCE public.reuse_credit_removals_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.reuse_credit_removals_id_seq OWNED BY public.reuse_credit_removals.id;

CREATE TABLE public.reuse_ledger (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    period text NOT NULL,
    output_wan numeric(14,2),
    tax_wan numeric(14,2),
    investment_wan numeric(14,2),
    note text,
    updated_by text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT reuse_ledger_investment_wan_check CHECK ((investment_wan >= (0)::numeric)),
    CONSTRAINT reuse_ledger_note_check CHECK ((char_length(note) <= 2000)),
    CONSTRAINT reuse_ledger_output_wan_check CHECK ((output_wan >= (0)::numeric)),
    CONSTRAINT reuse_ledger_period_check CHECK ((period ~ '^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$'::text)),
    CONSTRAINT reuse_ledger_tax_wan_check CHECK ((tax_wan >= (0)::numeric))
);

COMMENT ON TABLE public.reuse_ledger IS '经济数据台账 per period (YYYY, YYYY-Qn or YYYY-MM): 产值, 税收, 投资, 万元';

CREATE SEQUENCE public.reuse_ledger_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.reuse_ledger_id_seq OWNED BY public.reuse_ledger.id;

CREATE TABLE public.reuse_plan_versions (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    number integer NOT NULL,
    fields jsonb NOT NULL,
    snapshot jsonb NOT NULL,
    via text NOT NULL,
    note text,
    submitted_by text NOT NULL,
    submitted_at timestamp with time zone DEFAULT now() NOT NULL,
    confirmed_by text,
    confirmed_at timestamp with time zone,
    CONSTRAINT reuse_plan_versions_check CHECK (((confirmed_by IS NULL) = (confirmed_at IS NULL))),
    CONSTRAINT reuse_plan_versions_note_check CHECK ((char_length(note) <= 2000)),
    CONSTRAINT reuse_plan_versions_number_check CHECK ((number > 0)),
    CONSTRAINT reuse_plan_versions_via_check CHECK ((via = ANY (ARRAY['online'::text, 'paper'::text])))
);

COMMENT ON TABLE public.reuse_plan_versions IS '低效产业用地再利用方案 (附件4), one row per version, never changed (the confirmation 同意按照上述方案实施 is recorded once)';

COMMENT ON COLUMN public.reuse_plan_versions.fields IS 'the plan as written (domain/reuse/plan-form.ts)';

COMMENT ON COLUMN public.reuse_plan_versions.snapshot IS 'what the card and the 认定案卷 said when the version was submitted (位置, 面积, 权利人, 证号, 约定指标, 近三年平均产值/税收, 认定类型)';

CREATE SEQUENCE public.reuse_plan_versions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.reuse_plan_versions_id_seq OWNED BY public.reuse_plan_versions.id;

CREATE TABLE public.reuse_projects (
    id bigint NOT NULL,
    number text NOT NULL,
    case_id bigint NOT NULL,
    parcel_id bigint NOT NULL,
    parcel_code text NOT NULL,
    district_code text NOT NULL,
    year integer NOT NULL,
    sequence integer NOT NULL,
    unit_code text,
    unit_kind text NOT NULL,
    state text DEFAULT 'open'::text NOT NULL,
    step text NOT NULL,
    outcome text,
    step_at timestamp with time zone DEFAULT now() NOT NULL,
    notice_date date NOT NULL,
    plan_version integer DEFAULT 0 NOT NULL,
    request_number text,
    request_date date,
    approval_number text,
    approval_date date,
    agreement_number text,
    signed_on date,
    signing_place text,
    party_a text,
    party_b text,
    term_months integer,
    completion_due date,
    started_on date,
    extension_state text DEFAULT 'none'::text NOT NULL,
    extension_months integer,
    extended_due date,
    status_before text NOT NULL,
    opened_by text NOT NULL,
    opened_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    acceptance_applied_on date,
    acceptance_decided_on date,
    certificate_due date,
    certificate_number text,
    certificate_date date,
    failure_ground text,
    closed_on date,
    CONSTRAINT reuse_projects_certificate CHECK (((certificate_number IS NULL) = (certificate_date IS NULL))),
    CONSTRAINT reuse_projects_check CHECK (((signed_on IS NULL) = (agreement_number IS NULL))),
    CONSTRAINT reuse_projects_extension_months_check CHECK (((extension_months >= 1) AND (extension_months <= 3))),
    CONSTRAINT reuse_projects_extension_state_check CHECK ((extension_state = ANY (ARRAY['none'::text, 'applied'::text, 'approved'::text, 'refused'::text]))),
    CONSTRAINT reuse_projects_failure_ground_check CHECK ((failure_ground = ANY (ARRAY['overdue'::text, 'extension_refused'::text, 'not_passed'::text]))),
    CONSTRAINT reuse_projects_party_a_check CHECK ((char_length(party_a) <= 200)),
    CONSTRAINT reuse_projects_party_b_check CHECK ((char_length(party_b) <= 200)),
    CONSTRAINT reuse_projects_plan_version_check CHECK ((plan_version >= 0)),
    CONSTRAINT reuse_projects_sequence_check CHECK ((sequence > 0)),
    CONSTRAINT reuse_projects_signing_place_check CHECK ((char_length(signing_place) <= 200)),
    CONSTRAINT reuse_projects_state_check CHECK ((state = ANY (ARRAY['open'::text, 'completed'::text, 'failed'::text]))),
    CONSTRAINT reuse_projects_term_months_check CHECK (((term_months >= 1) AND (term_months <= 60))),
    CONSTRAINT reuse_projects_unit_kind_check CHECK ((unit_kind = ANY (ARRAY['park'::text, 'street'::text]))),
    CONSTRAINT reuse_projects_year_check CHECK (((year >= 2000) AND (year <= 2999)))
);

COMMENT ON TABLE public.reuse_projects IS '再利用项目: one notified 认定案卷''s way from the 再利用方案 to 实施 (and later 验收), seed 003 三';

COMMENT ON COLUMN public.reuse_projects.number IS '项目编号 <区县代码>-ZY-<年>-<4 位序号>';

COMMENT ON COLUMN public.reuse_projects.notice_date IS '认定告知书 date (the parcel''s 认定时间): the plan (1 month) and approval (3 months) clocks run from it';

COMMENT ON COLUMN public.reuse_projects.plan_version IS 'number of the latest 再利用方案 version (reuse_plan_versions); 0 = none yet';

COMMENT ON COLUMN public.reuse_projects.agreement_number IS '协议书编号 <区县代码>-XY-<年>-<4 位序号> (附件7 "XX 第 号")';

COMMENT ON COLUMN public.reuse_projects.completion_due IS '完成期限 as signed: signed_on + term_months (附件7 三 "签订1年内")';

COMMENT ON COLUMN public.reuse_projects.extended_due IS 'the deadline after an approved 延期 (at most 3 months, once)';

COMMENT ON COLUMN public.reuse_projects.status_before IS 'the parcel''s 效率状态 before the 协议书 moved it to 再开发中';

COMMENT ON COLUMN public.reuse_projects.acceptance_applied_on IS '验收申请日期 (附件8), the latest application; meets the completion clock';

COMMENT ON COLUMN public.reuse_projects.acceptance_decided_on IS '区政府（管委会）审核同意验收的日期: the 核准书 clock (3 个工作日) runs from it';

COMMENT ON COLUMN public.reuse_projects.certificate_due IS '核准书 due: acceptance_decided_on + 3 working days (fixtures/working-calendar.json)';

COMMENT ON COLUMN public.reuse_projects.certificate_number IS '核准书编号 <区县代码>-HZ-<年>-<4 位序号> (附件10)';

COMMENT ON COLUMN public.reuse_projects.certificate_date IS '核准书发出日期: the 再利用验收时间 附件13 reports';

COMMENT ON COLUMN public.reuse_projects.failure_ground IS 'why the project failed (附件7 五): overdue 逾期未能完成 / extension_refused 申请延期未获同意 / not_passed 未能通过验收';

CREATE SEQUENCE public.reuse_projects_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.reuse_projects_id_seq OWNED BY public.reuse_projects.id;

CREATE TABLE public.reuse_steps (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    step text NOT NULL,
    outcome text,
    actor text NOT NULL,
    actor_name text NOT NULL,
    role text NOT NULL,
    unit_code text,
    department text,
    at timestamp with time zone DEFAULT now() NOT NULL,
    opinion text,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    document_ids bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    plan_version integer,
    CONSTRAINT reuse_steps_opinion_check CHECK ((char_length(opinion) <= 4000))
);

COMMENT ON TABLE public.reuse_steps IS 'every step of a 再利用项目 (and each department''s 意见 on a plan version): who, when, role/unit, opinion, attachments; written once';

CREATE SEQUENCE public.reuse_steps_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.reuse_steps_id_seq OWNED BY public.reuse_steps.id;

CREATE TABLE public.reuse_tracking (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    kind text NOT NULL,
    on_date date NOT NULL,
    note text NOT NULL,
    document_ids bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    actor text NOT NULL,
    actor_name text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT reuse_tracking_kind_check CHECK ((kind = ANY (ARRAY['follow_up'::text, 'register'::text, 'procedure'::text, 'supplementary'::text]))),
    CONSTRAINT reuse_tracking_note_check CHECK (((char_length(note) >= 1) AND (char_length(note) <= 4000)))
);

COMMENT ON TABLE public.reuse_tracking IS '实施跟踪 entries (seed 003 三(三).2 定期跟进、登记造册; 三(三).1 手续, 补充协议); written once';

CREATE SEQUENCE public.reuse_tracking_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.reuse_tracking_id_seq OWNED BY public.reuse_tracking.id;

CREATE TABLE public.rule_sets (
    id text NOT NULL,
    version integer NOT NULL,
    city text NOT NULL,
    name text NOT NULL,
    rules jsonb NOT NULL,
    note text,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT rule_sets_id_check CHECK ((id ~ '^[a-z0-9-]{1,64}$'::text)),
    CONSTRAINT rule_sets_version_check CHECK ((version >= 1))
);

COMMENT ON TABLE public.rule_sets IS 'policy rule sets per city, versioned; rules = [{id, name, measure, comparison, limit, denominator, source, gapToleranceM?}] (domain/rules/rules.ts)';

CREATE TABLE public.schema_migrations (
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.sessions (
    token_hash text NOT NULL,
    user_id bigint NOT NULL,
    csrf_token text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    ip text,
    user_agent text
);

COMMENT ON TABLE public.sessions IS 'login sessions; only the SHA-256 of the cookie token is stored';

CREATE TABLE public.stock_counters (
    district_code text NOT NULL,
    year integer NOT NULL,
    kind text NOT NULL,
    last integer NOT NULL,
    CONSTRAINT stock_counters_kind_check CHECK ((kind = ANY (ARRAY['legacy'::text, 'problem'::text]))),
    CONSTRAINT stock_counters_last_check CHECK ((last > 0))
);

COMMENT ON TABLE public.stock_counters IS 'last number given per district, year and kind (legacy 历史遗留用地 LS, problem 问题清单 WT)';

CREATE TABLE public.stock_lists (
    kind text NOT NULL,
    version integer NOT NULL,
    items jsonb NOT NULL,
    source text NOT NULL,
    local_rule boolean DEFAULT false NOT NULL,
    note text,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT stock_lists_items_check CHECK (((jsonb_typeof(items) = 'array'::text) AND (jsonb_array_length(items) > 0))),
    CONSTRAINT stock_lists_kind_check CHECK ((kind = ANY (ARRAY['legacy_period'::text, 'problem_category'::text]))),
    CONSTRAINT stock_lists_note_check CHECK ((char_length(note) <= 1000)),
    CONSTRAINT stock_lists_source_check CHECK (((char_length(source) >= 1) AND (char_length(source) <= 1000))),
    CONSTRAINT stock_lists_version_check CHECK ((version > 0))
);

COMMENT ON TABLE public.stock_lists IS 'configurable lists of 两库一清单 (历史遗留用地的发生时期, 问题类别), each version kept: items [{code, label, note}] with the source';

CREATE TABLE public.stock_package_files (
    package_id bigint NOT NULL,
    content bytea NOT NULL
);

COMMENT ON TABLE public.stock_package_files IS 'the 区人民政府 consent document of a package, as uploaded; written once';

CREATE TABLE public.stock_package_items (
    package_id bigint NOT NULL,
    kind text NOT NULL,
    item_id bigint NOT NULL,
    item_key text NOT NULL,
    fields jsonb NOT NULL,
    geom public.geometry(MultiPolygon,4490),
    geom_hash text,
    area_m2 double precision,
    CONSTRAINT stock_package_items_check CHECK (((kind = 'problem'::text) = (geom IS NULL))),
    CONSTRAINT stock_package_items_kind_check CHECK ((kind = ANY (ARRAY['parcel'::text, 'legacy'::text, 'problem'::text])))
);

COMMENT ON TABLE public.stock_package_items IS 'the snapshot of a package: each parcel (低效用地), 历史遗留用地 record and problem as it stood at assembly; frozen once the package leaves 编制中';

COMMENT ON COLUMN public.stock_package_items.item_id IS 'id of the parcel, legacy_lands or stock_problems row';

COMMENT ON COLUMN public.stock_package_items.item_key IS '宗地编号 / 遗留用地编号 / 问题编号';

COMMENT ON COLUMN public.stock_package_items.fields IS 'the whole row as it stood (to_jsonb, without geometry): jsonb_populate_record(NULL::parcels, fields) reads it back';

COMMENT ON COLUMN public.stock_package_items.geom_hash IS 'md5 of the geometry (WKB): a changed shape between two packages';

COMMENT ON COLUMN public.stock_package_items.area_m2 IS '椭球面积 (CGCS2000), m², as it stood';

CREATE TABLE public.stock_package_steps (
    id bigint NOT NULL,
    package_id bigint NOT NULL,
    from_status text,
    to_status text NOT NULL,
    reason text,
    actor text NOT NULL,
    actor_name text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT stock_package_steps_reason_check CHECK ((char_length(reason) <= 4000))
);

COMMENT ON TABLE public.stock_package_steps IS 'every step of a package (assembly and re-assembly included): who, when, why; written once';

CREATE SEQUENCE public.stock_package_steps_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.stock_package_steps_id_seq OWNED BY public.stock_package_steps.id;

CREATE TABLE public.stock_packages (
    id bigint NOT NULL,
    district_code text NOT NULL,
    version integer NOT NULL,
    as_of date NOT NULL,
    title text NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    status_at timestamp with time zone DEFAULT now() NOT NULL,
    previous_id bigint,
    assembled_at timestamp with time zone DEFAULT now() NOT NULL,
    assembled_by text NOT NULL,
    consent_document_no text,
    consent_date date,
    consent_note text,
    consent_file_name text,
    consent_media_type text,
    consent_byte_size bigint,
    consent_sha256 text,
    review_remarks text,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT stock_packages_check CHECK (((status = ANY (ARRAY['draft'::text, 'reported'::text])) OR ((consent_document_no IS NOT NULL) AND (consent_date IS NOT NULL) AND (consent_sha256 IS NOT NULL)))),
    CONSTRAINT stock_packages_check1 CHECK (((status <> 'returned'::text) OR (review_remarks IS NOT NULL))),
    CONSTRAINT stock_packages_consent_byte_size_check CHECK ((consent_byte_size > 0)),
    CONSTRAINT stock_packages_consent_document_no_check CHECK (((char_length(consent_document_no) >= 1) AND (char_length(consent_document_no) <= 100))),
    CONSTRAINT stock_packages_consent_file_name_check CHECK (((char_length(consent_file_name) >= 1) AND (char_length(consent_file_name) <= 200))),
    CONSTRAINT stock_packages_consent_note_check CHECK ((char_length(consent_note) <= 2000)),
    CONSTRAINT stock_packages_consent_sha256_check CHECK ((consent_sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT stock_packages_review_remarks_check CHECK ((char_length(review_remarks) <= 4000)),
    CONSTRAINT stock_packages_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'reported'::text, 'consented'::text, 'submitted'::text, 'approved'::text, 'returned'::text]))),
    CONSTRAINT stock_packages_title_check CHECK (((char_length(title) >= 1) AND (char_length(title) <= 200))),
    CONSTRAINT stock_packages_version_check CHECK ((version > 0))
);

COMMENT ON TABLE public.stock_packages IS '底数上图入库成果包 (seed 004 五(二)): a district''s 两库一清单 as of a date, its 区政府 consent and the city''s review; items in stock_package_items, steps in stock_package_steps';

COMMENT ON COLUMN public.stock_packages.version IS 'per district: 1, 2, … (a package returned by the city is followed by the next version)';

COMMENT ON COLUMN public.stock_packages.as_of IS '数据截至日期 (China date of the latest assembly)';

COMMENT ON COLUMN public.stock_packages.status IS 'draft 编制中 → reported 已报区政府 → consented 区政府已同意 → submitted 已提交市局 → approved 通过 / returned 退回 (domain/stock-packages.ts)';

COMMENT ON COLUMN public.stock_packages.previous_id IS 'the package of the district this one follows (compared with by default)';

COMMENT ON COLUMN public.stock_packages.consent_document_no IS '区人民政府同意的文号';

COMMENT ON COLUMN public.stock_packages.consent_sha256 IS 'the consent document (bytes in stock_package_files)';

COMMENT ON COLUMN public.stock_packages.review_remarks IS '市规划资源局审核意见 (required when 退回)';

CREATE SEQUENCE public.stock_packages_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.stock_packages_id_seq OWNED BY public.stock_packages.id;

CREATE TABLE public.stock_problem_steps (
    id bigint NOT NULL,
    problem_id bigint NOT NULL,
    from_status text NOT NULL,
    to_status text NOT NULL,
    note text,
    actor text NOT NULL,
    actor_name text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT stock_problem_steps_note_check CHECK ((char_length(note) <= 4000))
);

COMMENT ON TABLE public.stock_problem_steps IS 'every state change of a problem: who, when, with what note or outcome; written once';

CREATE SEQUENCE public.stock_problem_steps_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.stock_problem_steps_id_seq OWNED BY public.stock_problem_steps.id;

CREATE TABLE public.stock_problems (
    id bigint NOT NULL,
    number text NOT NULL,
    district_code text NOT NULL,
    year integer NOT NULL,
    sequence integer NOT NULL,
    category text NOT NULL,
    category_version integer NOT NULL,
    title text NOT NULL,
    description text NOT NULL,
    owner_request text,
    department text NOT NULL,
    due_date date,
    parcel_ids bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    area_ids bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    status text DEFAULT 'open'::text NOT NULL,
    status_at timestamp with time zone DEFAULT now() NOT NULL,
    outcome text,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT stock_problems_check CHECK (((status <> ALL (ARRAY['resolved'::text, 'unresolvable'::text])) OR (outcome IS NOT NULL))),
    CONSTRAINT stock_problems_description_check CHECK (((char_length(description) >= 1) AND (char_length(description) <= 4000))),
    CONSTRAINT stock_problems_outcome_check CHECK ((char_length(outcome) <= 4000)),
    CONSTRAINT stock_problems_owner_request_check CHECK ((char_length(owner_request) <= 2000)),
    CONSTRAINT stock_problems_sequence_check CHECK ((sequence > 0)),
    CONSTRAINT stock_problems_status_check CHECK ((status = ANY (ARRAY['open'::text, 'working'::text, 'resolved'::text, 'unresolvable'::text]))),
    CONSTRAINT stock_problems_title_check CHECK (((char_length(title) >= 1) AND (char_length(title) <= 200))),
    CONSTRAINT stock_problems_year_check CHECK (((year >= 2000) AND (year <= 2999)))
);

COMMENT ON TABLE public.stock_problems IS '问题清单 (seed 004 三(一)): problems blocking the redevelopment of 低效用地, with the owner''s 盘活诉求, the responsible department, due date, state and outcome';

COMMENT ON COLUMN public.stock_problems.number IS '编号 <区县代码>-WT-<年>-<4 位序号>, per district and year';

COMMENT ON COLUMN public.stock_problems.category IS '问题类别: a code of the stock_lists problem_category list of version category_version';

COMMENT ON COLUMN public.stock_problems.department IS '责任部门 (domain/departments.ts STOCK_DEPARTMENTS)';

COMMENT ON COLUMN public.stock_problems.parcel_ids IS 'linked parcels (ids); a parcel retired later stays listed';

COMMENT ON COLUMN public.stock_problems.area_ids IS 'linked 成片改造区域 (ids)';

COMMENT ON COLUMN public.stock_problems.status IS 'open 待办 → working 办理中 → resolved 已解决 / unresolvable 无法解决 (domain/problems.ts); steps in stock_problem_steps';

CREATE SEQUENCE public.stock_problems_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.stock_problems_id_seq OWNED BY public.stock_problems.id;

CREATE TABLE public.survey_cells (
    layer_id bigint NOT NULL,
    level smallint NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    class text NOT NULL,
    patches integer NOT NULL,
    area_m2 double precision NOT NULL
);

COMMENT ON TABLE public.survey_cells IS 'aggregate grid of a survey layer''s 图斑 per 一级类, for low-zoom tiles';

COMMENT ON COLUMN public.survey_cells.class IS '一级类 code (01 … 12) or xx when the 地类编码 is not a national one';

CREATE TABLE public.survey_layers (
    id bigint NOT NULL,
    year integer NOT NULL,
    layer_name text DEFAULT 'DLTB'::text NOT NULL,
    import_id uuid,
    feature_count integer DEFAULT 0 NOT NULL,
    source_srid integer,
    imported_by text NOT NULL,
    imported_at timestamp with time zone DEFAULT now() NOT NULL,
    superseded_at timestamp with time zone,
    superseded_by bigint,
    committed boolean DEFAULT true NOT NULL,
    CONSTRAINT survey_layers_year_check CHECK (((year >= 1990) AND (year <= 2100)))
);

COMMENT ON TABLE public.survey_layers IS '变更调查图层 per year; a re-import supersedes (never deletes) the previous one';

COMMENT ON COLUMN public.survey_layers.committed IS 'false while an import is still writing the layer (never shown)';

CREATE SEQUENCE public.survey_layers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.survey_layers_id_seq OWNED BY public.survey_layers.id;

CREATE TABLE public.survey_patches (
    id bigint NOT NULL,
    layer_id bigint NOT NULL,
    year integer NOT NULL,
    bsm text,
    land_use_code text,
    land_use_name text,
    owner_unit_name text,
    located_unit_name text,
    patch_area_m2 numeric(16,2),
    deduction_area_m2 numeric(16,2),
    patch_land_area_m2 numeric(16,2),
    urban_rural_code text,
    attributes jsonb DEFAULT '{}'::jsonb NOT NULL,
    geom public.geometry(MultiPolygon,4490) NOT NULL,
    geom_3857 public.geometry(MultiPolygon,3857) NOT NULL,
    area_m2 double precision NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
)
PARTITION BY LIST (layer_id);

COMMENT ON TABLE public.survey_patches IS '地类图斑 (DLTB) of survey layers, one partition per layer; attributes keeps every field as delivered';

COMMENT ON COLUMN public.survey_patches.bsm IS 'BSM 标识码';

COMMENT ON COLUMN public.survey_patches.land_use_code IS 'DLBM 地类编码';

COMMENT ON COLUMN public.survey_patches.land_use_name IS 'DLMC 地类名称';

COMMENT ON COLUMN public.survey_patches.owner_unit_name IS 'QSDWMC 权属单位名称';

COMMENT ON COLUMN public.survey_patches.located_unit_name IS 'ZLDWMC 坐落单位名称';

COMMENT ON COLUMN public.survey_patches.patch_area_m2 IS 'TBMJ 图斑面积, m², as delivered';

COMMENT ON COLUMN public.survey_patches.deduction_area_m2 IS 'KCMJ 扣除地类面积, m²';

COMMENT ON COLUMN public.survey_patches.patch_land_area_m2 IS 'TBDLMJ 图斑地类面积, m²';

COMMENT ON COLUMN public.survey_patches.urban_rural_code IS 'CZCSXM 城镇村属性码';

COMMENT ON COLUMN public.survey_patches.area_m2 IS '椭球面积 computed by the product (CGCS2000), m²';

CREATE SEQUENCE public.survey_patches_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.survey_patches_id_seq OWNED BY public.survey_patches.id;

CREATE TABLE public.survey_submissions (
    id bigint NOT NULL,
    case_id bigint NOT NULL,
    parcel_id bigint NOT NULL,
    via text NOT NULL,
    submitted_by text NOT NULL,
    submitted_at timestamp with time zone DEFAULT now() NOT NULL,
    fields jsonb NOT NULL,
    applied_by text,
    applied_at timestamp with time zone,
    CONSTRAINT survey_submissions_check CHECK (((applied_by IS NULL) = (applied_at IS NULL))),
    CONSTRAINT survey_submissions_via_check CHECK ((via = ANY (ARRAY['online'::text, 'paper'::text])))
);

COMMENT ON TABLE public.survey_submissions IS '附件1 产业用地使用效益调查表（认定） as submitted (online by the 用地单位, or entered from paper): immutable snapshots';

COMMENT ON COLUMN public.survey_submissions.fields IS 'the form''s fields by parcel field key (domain/identification/survey-form.ts)';

CREATE SEQUENCE public.survey_submissions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.survey_submissions_id_seq OWNED BY public.survey_submissions.id;

CREATE UNLOGGED TABLE public.tile_cache (
    layer text NOT NULL,
    z smallint NOT NULL,
    x integer NOT NULL,
    y integer NOT NULL,
    scope text NOT NULL,
    etag text NOT NULL,
    body bytea NOT NULL,
    raw_bytes integer NOT NULL,
    envelope public.geometry(Polygon,3857) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);
ALTER TABLE ONLY public.tile_cache ALTER COLUMN body SET STORAGE EXTERNAL;

COMMENT ON TABLE public.tile_cache IS 'encoded tiles (gzip), second cache level behind each server''s memory LRU';

COMMENT ON COLUMN public.tile_cache.scope IS 'the reader''s districts the tile was cut for (all = unrestricted)';

COMMENT ON COLUMN public.tile_cache.envelope IS 'the tile grown by its 64/4096 buffer: a change touching it deletes the row';

CREATE TABLE public.tile_epochs (
    family text NOT NULL,
    epoch bigint DEFAULT 0 NOT NULL
);

CREATE TABLE public.user_scopes (
    user_id bigint NOT NULL,
    district_code text NOT NULL
);

COMMENT ON TABLE public.user_scopes IS '管辖范围: districts a user may read and write; a city code covers all its districts';

CREATE TABLE public.user_units (
    user_id bigint NOT NULL,
    subdistrict_code text NOT NULL
);

COMMENT ON TABLE public.user_units IS '管辖单元: 园区 or 街道/镇 (subdistricts) a user is scoped to; the user reads their districts and writes only inside them';

CREATE TABLE public.users (
    id bigint NOT NULL,
    username text NOT NULL,
    display_name text NOT NULL,
    role text NOT NULL,
    password_hash text NOT NULL,
    disabled boolean DEFAULT false NOT NULL,
    must_change_password boolean DEFAULT false NOT NULL,
    last_login_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    department text,
    CONSTRAINT users_department_check CHECK ((department = ANY (ARRAY['fagai'::text, 'ziranziyuan'::text, 'gongxin'::text, 'keji'::text, 'shengtai'::text, 'shuiwu'::text]))),
    CONSTRAINT users_department_of_role CHECK (((role = 'department'::text) = (department IS NOT NULL))),
    CONSTRAINT users_display_name_check CHECK (((length(display_name) >= 1) AND (length(display_name) <= 64))),
    CONSTRAINT users_role_check CHECK ((role = ANY (ARRAY['admin'::text, 'surveyor'::text, 'planner'::text, 'official'::text, 'viewer'::text, 'resources'::text, 'park_office'::text, 'street_office'::text, 'department'::text, 'government'::text, 'enterprise'::text]))),
    CONSTRAINT users_username_check CHECK ((username ~ '^[a-z0-9_-]{3,32}$'::text))
);

COMMENT ON TABLE public.users IS '用户: accounts with a role; passwords hashed with argon2id';

COMMENT ON COLUMN public.users.department IS '会审部门 of a role-department account (domain/departments.ts): fagai 发改, ziranziyuan 自然资源, gongxin 工信, keji 科技, shengtai 生态环境, shuiwu 税务';

CREATE SEQUENCE public.users_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;

CREATE TABLE public.zhaoshang_inquiries (
    id bigint NOT NULL,
    listing_id bigint,
    listing_version integer,
    name text NOT NULL,
    company text,
    phone text NOT NULL,
    email text,
    industry text NOT NULL,
    message text,
    submitted_at timestamp with time zone DEFAULT now() NOT NULL,
    state text DEFAULT 'new'::text NOT NULL,
    handled_by text,
    handled_at timestamp with time zone,
    handling_note text,
    matched_listing_ids bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    CONSTRAINT zhaoshang_inquiries_check CHECK (((state = 'handled'::text) = (handled_at IS NOT NULL))),
    CONSTRAINT zhaoshang_inquiries_company_check CHECK ((char_length(company) <= 100)),
    CONSTRAINT zhaoshang_inquiries_email_check CHECK ((char_length(email) <= 254)),
    CONSTRAINT zhaoshang_inquiries_handling_note_check CHECK ((char_length(handling_note) <= 500)),
    CONSTRAINT zhaoshang_inquiries_industry_check CHECK (((char_length(industry) >= 1) AND (char_length(industry) <= 50))),
    CONSTRAINT zhaoshang_inquiries_message_check CHECK ((char_length(message) <= 1000)),
    CONSTRAINT zhaoshang_inquiries_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 30))),
    CONSTRAINT zhaoshang_inquiries_phone_check CHECK ((char_length(phone) <= 30)),
    CONSTRAINT zhaoshang_inquiries_state_check CHECK ((state = ANY (ARRAY['new'::text, 'handled'::text])))
);

COMMENT ON TABLE public.zhaoshang_inquiries IS '投资意向 an investor submitted on the public 招商地图 (no account), and how officials handled and matched it to plots';

CREATE SEQUENCE public.zhaoshang_inquiries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.zhaoshang_inquiries_id_seq OWNED BY public.zhaoshang_inquiries.id;

CREATE TABLE public.zhaoshang_listing_versions (
    listing_id bigint NOT NULL,
    version integer NOT NULL,
    change text NOT NULL,
    state text NOT NULL,
    title text NOT NULL,
    location text,
    planned_use text NOT NULL,
    floor_area_ratio_min numeric(5,2),
    floor_area_ratio_max numeric(5,2),
    building_density_max numeric(5,2),
    height_limit_m numeric(6,1),
    planning_notes text,
    target_industries text[] NOT NULL,
    conditions text,
    supply_mode text,
    contact_org text NOT NULL,
    contact_name text NOT NULL,
    contact_phone text NOT NULL,
    contact_email text,
    photo_document_ids bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    geom public.geometry(MultiPolygon,4490) NOT NULL,
    area_m2 double precision NOT NULL,
    note text,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT zhaoshang_listing_versions_building_density_max_check CHECK (((building_density_max >= (0)::numeric) AND (building_density_max <= (100)::numeric))),
    CONSTRAINT zhaoshang_listing_versions_change_check CHECK ((change = ANY (ARRAY['create'::text, 'edit'::text, 'publish'::text, 'withdraw'::text]))),
    CONSTRAINT zhaoshang_listing_versions_check CHECK (((floor_area_ratio_min IS NULL) OR (floor_area_ratio_max IS NULL) OR (floor_area_ratio_min <= floor_area_ratio_max))),
    CONSTRAINT zhaoshang_listing_versions_conditions_check CHECK ((char_length(conditions) <= 1000)),
    CONSTRAINT zhaoshang_listing_versions_floor_area_ratio_max_check CHECK ((floor_area_ratio_max >= (0)::numeric)),
    CONSTRAINT zhaoshang_listing_versions_floor_area_ratio_min_check CHECK ((floor_area_ratio_min >= (0)::numeric)),
    CONSTRAINT zhaoshang_listing_versions_height_limit_m_check CHECK ((height_limit_m >= (0)::numeric)),
    CONSTRAINT zhaoshang_listing_versions_location_check CHECK ((char_length(location) <= 100)),
    CONSTRAINT zhaoshang_listing_versions_note_check CHECK ((char_length(note) <= 200)),
    CONSTRAINT zhaoshang_listing_versions_planned_use_check CHECK (((char_length(planned_use) >= 1) AND (char_length(planned_use) <= 50))),
    CONSTRAINT zhaoshang_listing_versions_planning_notes_check CHECK ((char_length(planning_notes) <= 500)),
    CONSTRAINT zhaoshang_listing_versions_state_check CHECK ((state = ANY (ARRAY['draft'::text, 'published'::text, 'withdrawn'::text]))),
    CONSTRAINT zhaoshang_listing_versions_supply_mode_check CHECK ((supply_mode = ANY (ARRAY['transfer'::text, 'lease'::text, 'lease_then_transfer'::text, 'cooperation'::text]))),
    CONSTRAINT zhaoshang_listing_versions_title_check CHECK (((char_length(title) >= 1) AND (char_length(title) <= 60))),
    CONSTRAINT zhaoshang_listing_versions_version_check CHECK ((version >= 1))
);

COMMENT ON TABLE public.zhaoshang_listing_versions IS 'every version of every 招商 listing (append-only): the 规划条件, the 专属招商方案, the public photos, the plot''s shape and area then';

COMMENT ON COLUMN public.zhaoshang_listing_versions.building_density_max IS '建筑密度上限, %';

COMMENT ON COLUMN public.zhaoshang_listing_versions.height_limit_m IS '限高, m';

COMMENT ON COLUMN public.zhaoshang_listing_versions.supply_mode IS '供地方式: transfer 出让 / lease 租赁 / lease_then_transfer 先租后让 / cooperation 合作开发';

COMMENT ON COLUMN public.zhaoshang_listing_versions.photo_document_ids IS 'parcel_documents (category photo) an official chose to show the public';

COMMENT ON COLUMN public.zhaoshang_listing_versions.area_m2 IS '椭球面积 (CGCS2000) of geom, m²';

CREATE TABLE public.zhaoshang_listings (
    id bigint NOT NULL,
    parcel_id bigint NOT NULL,
    district_code text NOT NULL,
    version integer NOT NULL,
    state text NOT NULL,
    published_version integer,
    published_at timestamp with time zone,
    published_by text,
    withdrawn_at timestamp with time zone,
    withdrawn_by text,
    withdrawal_reason text,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT zhaoshang_listings_check CHECK (((state = 'published'::text) = (published_version IS NOT NULL))),
    CONSTRAINT zhaoshang_listings_check1 CHECK (((published_version IS NULL) OR (published_version <= version))),
    CONSTRAINT zhaoshang_listings_state_check CHECK ((state = ANY (ARRAY['draft'::text, 'published'::text, 'withdrawn'::text]))),
    CONSTRAINT zhaoshang_listings_version_check CHECK ((version >= 1)),
    CONSTRAINT zhaoshang_listings_withdrawal_reason_check CHECK ((char_length(withdrawal_reason) <= 200))
);

COMMENT ON TABLE public.zhaoshang_listings IS '招商地图: one 招商 listing per idle 低效用地 plot; 草稿 draft → 已发布 published ⇄ 已撤回 withdrawn; content in zhaoshang_listing_versions';

COMMENT ON COLUMN public.zhaoshang_listings.published_version IS 'the version the public page shows (null unless published); later edits wait for the next 发布';

CREATE SEQUENCE public.zhaoshang_listings_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.zhaoshang_listings_id_seq OWNED BY public.zhaoshang_listings.id;

ALTER TABLE ONLY public.annual_plan_steps ALTER COLUMN id SET DEFAULT nextval('public.annual_plan_steps_id_seq'::regclass);

ALTER TABLE ONLY public.annual_plans ALTER COLUMN id SET DEFAULT nextval('public.annual_plans_id_seq'::regclass);

ALTER TABLE ONLY public.area_reviews ALTER COLUMN id SET DEFAULT nextval('public.area_reviews_id_seq'::regclass);

ALTER TABLE ONLY public.areas ALTER COLUMN id SET DEFAULT nextval('public.areas_id_seq'::regclass);

ALTER TABLE ONLY public.criteria_runs ALTER COLUMN id SET DEFAULT nextval('public.criteria_runs_id_seq'::regclass);

ALTER TABLE ONLY public.criteria_sets ALTER COLUMN id SET DEFAULT nextval('public.criteria_sets_id_seq'::regclass);

ALTER TABLE ONLY public.grading_runs ALTER COLUMN id SET DEFAULT nextval('public.grading_runs_id_seq'::regclass);

ALTER TABLE ONLY public.history ALTER COLUMN id SET DEFAULT nextval('public.history_id_seq'::regclass);

ALTER TABLE ONLY public.identification_cases ALTER COLUMN id SET DEFAULT nextval('public.identification_cases_id_seq'::regclass);

ALTER TABLE ONLY public.identification_steps ALTER COLUMN id SET DEFAULT nextval('public.identification_steps_id_seq'::regclass);

ALTER TABLE ONLY public.legacy_land_steps ALTER COLUMN id SET DEFAULT nextval('public.legacy_land_steps_id_seq'::regclass);

ALTER TABLE ONLY public.legacy_lands ALTER COLUMN id SET DEFAULT nextval('public.legacy_lands_id_seq'::regclass);

ALTER TABLE ONLY public.parcel_documents ALTER COLUMN id SET DEFAULT nextval('public.parcel_documents_id_seq'::regclass);

ALTER TABLE ONLY public.parcel_lineage ALTER COLUMN id SET DEFAULT nextval('public.parcel_lineage_id_seq'::regclass);

ALTER TABLE ONLY public.parcels ALTER COLUMN id SET DEFAULT nextval('public.parcels_id_seq'::regclass);

ALTER TABLE ONLY public.plan_milestones ALTER COLUMN id SET DEFAULT nextval('public.plan_milestones_id_seq'::regclass);

ALTER TABLE ONLY public.plan_projects ALTER COLUMN id SET DEFAULT nextval('public.plan_projects_id_seq'::regclass);

ALTER TABLE ONLY public.report_submissions ALTER COLUMN id SET DEFAULT nextval('public.report_submissions_id_seq'::regclass);

ALTER TABLE ONLY public.reuse_credit_list ALTER COLUMN id SET DEFAULT nextval('public.reuse_credit_list_id_seq'::regclass);

ALTER TABLE ONLY public.reuse_credit_removals ALTER COLUMN id SET DEFAULT nextval('public.reuse_credit_removals_id_seq'::regclass);

ALTER TABLE ONLY public.reuse_ledger ALTER COLUMN id SET DEFAULT nextval('public.reuse_ledger_id_seq'::regclass);

ALTER TABLE ONLY public.reuse_plan_versions ALTER COLUMN id SET DEFAULT nextval('public.reuse_plan_versions_id_seq'::regclass);

ALTER TABLE ONLY public.reuse_projects ALTER COLUMN id SET DEFAULT nextval('public.reuse_projects_id_seq'::regclass);

ALTER TABLE ONLY public.reuse_steps ALTER COLUMN id SET DEFAULT nextval('public.reuse_steps_id_seq'::regclass);

ALTER TABLE ONLY public.reuse_tracking ALTER COLUMN id SET DEFAULT nextval('public.reuse_tracking_id_seq'::regclass);

ALTER TABLE ONLY public.stock_package_steps ALTER COLUMN id SET DEFAULT nextval('public.stock_package_steps_id_seq'::regclass);

ALTER TABLE ONLY public.stock_packages ALTER COLUMN id SET DEFAULT nextval('public.stock_packages_id_seq'::regclass);

ALTER TABLE ONLY public.stock_problem_steps ALTER COLUMN id SET DEFAULT nextval('public.stock_problem_steps_id_seq'::regclass);

ALTER TABLE ONLY public.stock_problems ALTER COLUMN id SET DEFAULT nextval('public.stock_problems_id_seq'::regclass);

ALTER TABLE ONLY public.survey_layers ALTER COLUMN id SET DEFAULT nextval('public.survey_layers_id_seq'::regclass);

ALTER TABLE ONLY public.survey_patches ALTER COLUMN id SET DEFAULT nextval('public.survey_patches_id_seq'::regclass);

ALTER TABLE ONLY public.survey_submissions ALTER COLUMN id SET DEFAULT nextval('public.survey_submissions_id_seq'::regclass);

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);

ALTER TABLE ONLY public.zhaoshang_inquiries ALTER COLUMN id SET DEFAULT nextval('public.zhaoshang_inquiries_id_seq'::regclass);

ALTER TABLE ONLY public.zhaoshang_listings ALTER COLUMN id SET DEFAULT nextval('public.zhaoshang_listings_id_seq'::regclass);

ALTER TABLE ONLY public.annual_plan_policies
    ADD CONSTRAINT annual_plan_policies_pkey PRIMARY KEY (version);

ALTER TABLE ONLY public.annual_plan_steps
    ADD CONSTRAINT annual_plan_steps_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.annual_plans
    ADD CONSTRAINT annual_plans_district_code_year_key UNIQUE (district_code, year);

ALTER TABLE ONLY public.annual_plans
    ADD CONSTRAINT annual_plans_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.area_reviews
    ADD CONSTRAINT area_reviews_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.area_versions
    ADD CONSTRAINT area_versions_pkey PRIMARY KEY (area_id, version);

ALTER TABLE ONLY public.areas
    ADD CONSTRAINT areas_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.criteria_run_parcels
    ADD CONSTRAINT criteria_run_parcels_pkey PRIMARY KEY (run_id, parcel_id);

ALTER TABLE ONLY public.criteria_runs
    ADD CONSTRAINT criteria_runs_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.criteria_set_versions
    ADD CONSTRAINT criteria_set_versions_pkey PRIMARY KEY (set_id, version);

ALTER TABLE ONLY public.criteria_sets
    ADD CONSTRAINT criteria_sets_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.districts
    ADD CONSTRAINT districts_pkey PRIMARY KEY (code);

ALTER TABLE ONLY public.document_contents
    ADD CONSTRAINT document_contents_pkey PRIMARY KEY (document_id);

ALTER TABLE ONLY public.enterprise_parcels
    ADD CONSTRAINT enterprise_parcels_pkey PRIMARY KEY (user_id, parcel_id);

ALTER TABLE ONLY public.exports
    ADD CONSTRAINT exports_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.grading_results
    ADD CONSTRAINT grading_results_pkey PRIMARY KEY (run_id, parcel_id);

ALTER TABLE ONLY public.grading_runs
    ADD CONSTRAINT grading_runs_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.grading_schemes
    ADD CONSTRAINT grading_schemes_pkey PRIMARY KEY (district_code, version);

ALTER TABLE ONLY public.history
    ADD CONSTRAINT history_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.identification_cases
    ADD CONSTRAINT identification_cases_district_code_year_sequence_key UNIQUE (district_code, year, sequence);

ALTER TABLE ONLY public.identification_cases
    ADD CONSTRAINT identification_cases_notice_number_key UNIQUE (notice_number);

ALTER TABLE ONLY public.identification_cases
    ADD CONSTRAINT identification_cases_number_key UNIQUE (number);

ALTER TABLE ONLY public.identification_cases
    ADD CONSTRAINT identification_cases_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.identification_counters
    ADD CONSTRAINT identification_counters_pkey PRIMARY KEY (district_code, year, kind);

ALTER TABLE ONLY public.identification_steps
    ADD CONSTRAINT identification_steps_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.imports
    ADD CONSTRAINT imports_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.legacy_land_steps
    ADD CONSTRAINT legacy_land_steps_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.legacy_lands
    ADD CONSTRAINT legacy_lands_district_code_year_sequence_key UNIQUE (district_code, year, sequence);

ALTER TABLE ONLY public.legacy_lands
    ADD CONSTRAINT legacy_lands_number_key UNIQUE (number);

ALTER TABLE ONLY public.legacy_lands
    ADD CONSTRAINT legacy_lands_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.login_failures
    ADD CONSTRAINT login_failures_pkey PRIMARY KEY (username, address);

ALTER TABLE ONLY public.parcel_cells
    ADD CONSTRAINT parcel_cells_pkey PRIMARY KEY (level, cx, cy, district_code);

ALTER TABLE ONLY public.parcel_documents
    ADD CONSTRAINT parcel_documents_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.parcel_lineage
    ADD CONSTRAINT parcel_lineage_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.parcel_tile_geometries
    ADD CONSTRAINT parcel_tile_geometries_pkey PRIMARY KEY (z, x, y, parcel_id);

ALTER TABLE public.parcel_tile_geometries CLUSTER ON parcel_tile_geometries_pkey;

ALTER TABLE ONLY public.parcel_type_cells
    ADD CONSTRAINT parcel_type_cells_pkey PRIMARY KEY (level, cx, cy, district_code, type);

ALTER TABLE ONLY public.parcel_yearly_figures
    ADD CONSTRAINT parcel_yearly_figures_pkey PRIMARY KEY (parcel_id, year);

ALTER TABLE ONLY public.parcels
    ADD CONSTRAINT parcels_code_key UNIQUE (code);

ALTER TABLE ONLY public.parcels
    ADD CONSTRAINT parcels_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.plan_milestones
    ADD CONSTRAINT plan_milestones_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.plan_projects
    ADD CONSTRAINT plan_projects_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.report_submission_contents
    ADD CONSTRAINT report_submission_contents_pkey PRIMARY KEY (submission_id);

ALTER TABLE ONLY public.report_submissions
    ADD CONSTRAINT report_submissions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.retired_parcels
    ADD CONSTRAINT retired_parcels_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.reuse_counters
    ADD CONSTRAINT reuse_counters_pkey PRIMARY KEY (district_code, year, kind);

ALTER TABLE ONLY public.reuse_credit_list
    ADD CONSTRAINT reuse_credit_list_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.reuse_credit_removals
    ADD CONSTRAINT reuse_credit_removals_listing_id_key UNIQUE (listing_id);

ALTER TABLE ONLY public.reuse_credit_removals
    ADD CONSTRAINT reuse_credit_removals_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.reuse_ledger
    ADD CONSTRAINT reuse_ledger_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.reuse_ledger
    ADD CONSTRAINT reuse_ledger_project_id_period_key UNIQUE (project_id, period);

ALTER TABLE ONLY public.reuse_plan_versions
    ADD CONSTRAINT reuse_plan_versions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.reuse_plan_versions
    ADD CONSTRAINT reuse_plan_versions_project_id_number_key UNIQUE (project_id, number);

ALTER TABLE ONLY public.reuse_projects
    ADD CONSTRAINT reuse_projects_agreement_number_key UNIQUE (agreement_number);

ALTER TABLE ONLY public.reuse_projects
    ADD CONSTRAINT reuse_projects_case_id_key UNIQUE (case_id);

ALTER TABLE ONLY public.reuse_projects
    ADD CONSTRAINT reuse_projects_certificate_number_key UNIQUE (certificate_number);

ALTER TABLE ONLY public.reuse_projects
    ADD CONSTRAINT reuse_projects_district_code_year_sequence_key UNIQUE (district_code, year, sequence);

ALTER TABLE ONLY public.reuse_projects
    ADD CONSTRAINT reuse_projects_number_key UNIQUE (number);

ALTER TABLE ONLY public.reuse_projects
    ADD CONSTRAINT reuse_projects_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.reuse_steps
    ADD CONSTRAINT reuse_steps_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.reuse_tracking
    ADD CONSTRAINT reuse_tracking_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.rule_sets
    ADD CONSTRAINT rule_sets_pkey PRIMARY KEY (id, version);

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (name);

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (token_hash);

ALTER TABLE ONLY public.stock_counters
    ADD CONSTRAINT stock_counters_pkey PRIMARY KEY (district_code, year, kind);

ALTER TABLE ONLY public.stock_lists
    ADD CONSTRAINT stock_lists_pkey PRIMARY KEY (kind, version);

ALTER TABLE ONLY public.stock_package_files
    ADD CONSTRAINT stock_package_files_pkey PRIMARY KEY (package_id);

ALTER TABLE ONLY public.stock_package_items
    ADD CONSTRAINT stock_package_items_pkey PRIMARY KEY (package_id, kind, item_id);

ALTER TABLE ONLY public.stock_package_steps
    ADD CONSTRAINT stock_package_steps_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.stock_packages
    ADD CONSTRAINT stock_packages_district_code_version_key UNIQUE (district_code, version);

ALTER TABLE ONLY public.stock_packages
    ADD CONSTRAINT stock_packages_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.stock_problem_steps
    ADD CONSTRAINT stock_problem_steps_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.stock_problems
    ADD CONSTRAINT stock_problems_district_code_year_sequence_key UNIQUE (district_code, year, sequence);

ALTER TABLE ONLY public.stock_problems
    ADD CONSTRAINT stock_problems_number_key UNIQUE (number);

ALTER TABLE ONLY public.stock_problems
    ADD CONSTRAINT stock_problems_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.subdistricts
    ADD CONSTRAINT subdistricts_pkey PRIMARY KEY (code);

ALTER TABLE ONLY public.survey_cells
    ADD CONSTRAINT survey_cells_pkey PRIMARY KEY (layer_id, level, cx, cy, class);

ALTER TABLE ONLY public.survey_layers
    ADD CONSTRAINT survey_layers_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.survey_submissions
    ADD CONSTRAINT survey_submissions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.tile_cache
    ADD CONSTRAINT tile_cache_pkey PRIMARY KEY (layer, z, x, y, scope);

ALTER TABLE ONLY public.tile_epochs
    ADD CONSTRAINT tile_epochs_pkey PRIMARY KEY (family);

ALTER TABLE ONLY public.user_scopes
    ADD CONSTRAINT user_scopes_pkey PRIMARY KEY (user_id, district_code);

ALTER TABLE ONLY public.user_units
    ADD CONSTRAINT user_units_pkey PRIMARY KEY (user_id, subdistrict_code);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_username_key UNIQUE (username);

ALTER TABLE ONLY public.zhaoshang_inquiries
    ADD CONSTRAINT zhaoshang_inquiries_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.zhaoshang_listing_versions
    ADD CONSTRAINT zhaoshang_listing_versions_pkey PRIMARY KEY (listing_id, version);

ALTER TABLE ONLY public.zhaoshang_listings
    ADD CONSTRAINT zhaoshang_listings_pkey PRIMARY KEY (id);

CREATE INDEX annual_plan_steps_plan ON public.annual_plan_steps USING btree (plan_id, id);

CREATE INDEX area_reviews_area_idx ON public.area_reviews USING btree (area_id, id);

CREATE INDEX areas_district_status_idx ON public.areas USING btree (district_code, status) WHERE (deleted_at IS NULL);

CREATE INDEX areas_geom_3857_idx ON public.areas USING gist (geom_3857);

CREATE INDEX areas_geom_idx ON public.areas USING gist (geom);

CREATE INDEX criteria_run_parcels_parcel ON public.criteria_run_parcels USING btree (parcel_id);

CREATE INDEX criteria_runs_district ON public.criteria_runs USING btree (district_code, run_at DESC);

CREATE INDEX criteria_sets_district ON public.criteria_sets USING btree (district_code);

CREATE UNIQUE INDEX criteria_sets_one_published ON public.criteria_sets USING btree (district_code) WHERE (state = 'published'::text);

CREATE INDEX districts_geom_3857_idx ON public.districts USING gist (geom_3857);

CREATE INDEX districts_geom_idx ON public.districts USING gist (geom);

CREATE INDEX districts_parent_idx ON public.districts USING btree (parent_code);

CREATE INDEX enterprise_parcels_parcel ON public.enterprise_parcels USING btree (parcel_id);

CREATE INDEX exports_created_by_idx ON public.exports USING btree (created_by, created_at DESC);

CREATE INDEX exports_status_idx ON public.exports USING btree (status, updated_at);

CREATE INDEX grading_results_parcel ON public.grading_results USING btree (parcel_id, run_id DESC);

CREATE INDEX grading_runs_district ON public.grading_runs USING btree (district_code, run_at DESC);

CREATE INDEX history_actor_idx ON public.history USING btree (actor, at DESC);

CREATE INDEX history_at_idx ON public.history USING btree (at DESC);

CREATE INDEX history_entity_idx ON public.history USING btree (entity, entity_id, at);

CREATE INDEX identification_cases_district ON public.identification_cases USING btree (district_code, state, step);

CREATE UNIQUE INDEX identification_cases_open_parcel ON public.identification_cases USING btree (parcel_id) WHERE (state = 'open'::text);

CREATE INDEX identification_cases_parcel ON public.identification_cases USING btree (parcel_id, opened_at DESC);

CREATE INDEX identification_cases_unit ON public.identification_cases USING btree (unit_code, state);

CREATE INDEX identification_steps_case ON public.identification_steps USING btree (case_id, id);

CREATE INDEX legacy_land_steps_legacy ON public.legacy_land_steps USING btree (legacy_id, id);

CREATE INDEX legacy_lands_district ON public.legacy_lands USING btree (district_code, status);

CREATE INDEX legacy_lands_geom ON public.legacy_lands USING gist (geom);

CREATE INDEX login_failures_last_failure_idx ON public.login_failures USING btree (last_failure_at);

CREATE INDEX parcel_cells_empty_idx ON public.parcel_cells USING btree (level) WHERE (parcels <= 0);

CREATE UNIQUE INDEX parcel_documents_checksum_idx ON public.parcel_documents USING btree (parcel_id, sha256) WHERE (removed_at IS NULL);

CREATE INDEX parcel_documents_parcel_idx ON public.parcel_documents USING btree (parcel_id, uploaded_at DESC);

CREATE INDEX parcel_documents_position_idx ON public.parcel_documents USING gist ("position") WHERE ("position" IS NOT NULL);

CREATE INDEX parcel_lineage_children_idx ON public.parcel_lineage USING gin (child_ids);

CREATE INDEX parcel_lineage_parents_idx ON public.parcel_lineage USING gin (parent_ids);

CREATE INDEX parcel_tile_geometries_parcel_idx ON public.parcel_tile_geometries USING btree (parcel_id);

CREATE INDEX parcel_type_cells_empty_idx ON public.parcel_type_cells USING btree (level) WHERE (parcels <= 0);

CREATE INDEX parcels_code_prefix_idx ON public.parcels USING btree (code COLLATE "C");

CREATE INDEX parcels_district_status_idx ON public.parcels USING btree (district_code, status);

CREATE INDEX parcels_geom_3857_idx ON public.parcels USING gist (geom_3857);

CREATE INDEX parcels_geom_idx ON public.parcels USING gist (geom);

CREATE INDEX parcels_land_category ON public.parcels USING btree (land_category, district_code);

CREATE INDEX parcels_name_bigrams_idx ON public.parcels USING gin (public.parcel_name_bigrams(owner, location));

CREATE INDEX parcels_precut_large_idx ON public.parcels USING gist (geom_3857) WHERE public.parcel_precut_large(geom_3857);

CREATE INDEX parcels_search_trgm_idx ON public.parcels USING gin (public.parcel_search_text(code, owner, location, contract_no, certificate_no) public.gin_trgm_ops);

CREATE INDEX parcels_town_or_park_idx ON public.parcels USING btree (town_or_park, district_code);

CREATE INDEX plan_milestones_project ON public.plan_milestones USING btree (project_id, planned_date, id);

CREATE INDEX plan_projects_plan ON public.plan_projects USING btree (plan_id, id);

CREATE UNIQUE INDEX report_submissions_current ON public.report_submissions USING btree (report_code, district_code, period) WHERE (status = 'submitted'::text);

CREATE INDEX report_submissions_district ON public.report_submissions USING btree (report_code, district_code, period_start DESC, id DESC);

CREATE INDEX retired_parcels_code_idx ON public.retired_parcels USING btree (code);

CREATE INDEX reuse_credit_list_district ON public.reuse_credit_list USING btree (district_code, listed_on DESC, id DESC);

CREATE UNIQUE INDEX reuse_credit_list_once ON public.reuse_credit_list USING btree (case_id, ground);

CREATE INDEX reuse_projects_district ON public.reuse_projects USING btree (district_code, state, step);

CREATE INDEX reuse_projects_parcel ON public.reuse_projects USING btree (parcel_id);

CREATE INDEX reuse_projects_unit ON public.reuse_projects USING btree (unit_code, state);

CREATE INDEX reuse_steps_project ON public.reuse_steps USING btree (project_id, id);

CREATE INDEX reuse_tracking_project ON public.reuse_tracking USING btree (project_id, on_date, id);

CREATE INDEX sessions_user_idx ON public.sessions USING btree (user_id);

CREATE INDEX stock_package_items_geom ON public.stock_package_items USING gist (geom);

CREATE INDEX stock_package_steps_package ON public.stock_package_steps USING btree (package_id, id);

CREATE INDEX stock_packages_district ON public.stock_packages USING btree (district_code, version DESC);

CREATE UNIQUE INDEX stock_packages_open ON public.stock_packages USING btree (district_code) WHERE (status = ANY (ARRAY['draft'::text, 'reported'::text, 'consented'::text]));

CREATE INDEX stock_problem_steps_problem ON public.stock_problem_steps USING btree (problem_id, id);

CREATE INDEX stock_problems_district ON public.stock_problems USING btree (district_code, status, department);

CREATE INDEX subdistricts_district ON public.subdistricts USING btree (district_code, kind);

CREATE INDEX subdistricts_geom ON public.subdistricts USING gist (geom);

CREATE UNIQUE INDEX survey_layers_current_idx ON public.survey_layers USING btree (year, layer_name) WHERE ((superseded_at IS NULL) AND committed);

CREATE INDEX survey_patches_geom_3857_idx ON ONLY public.survey_patches USING gist (geom_3857);

CREATE INDEX survey_submissions_case ON public.survey_submissions USING btree (case_id, id DESC);

CREATE INDEX survey_submissions_parcel ON public.survey_submissions USING btree (parcel_id, id DESC);

CREATE INDEX tile_cache_envelope_idx ON public.tile_cache USING gist (envelope);

CREATE INDEX user_units_subdistrict ON public.user_units USING btree (subdistrict_code);

CREATE INDEX zhaoshang_inquiries_listing ON public.zhaoshang_inquiries USING btree (listing_id);

CREATE INDEX zhaoshang_inquiries_state ON public.zhaoshang_inquiries USING btree (state, submitted_at DESC);

CREATE INDEX zhaoshang_listing_versions_geom ON public.zhaoshang_listing_versions USING gist (geom);

CREATE INDEX zhaoshang_listings_district ON public.zhaoshang_listings USING btree (district_code, state);

CREATE UNIQUE INDEX zhaoshang_listings_parcel ON public.zhaoshang_listings USING btree (parcel_id);

CREATE TRIGGER annual_plan_policies_append_only BEFORE DELETE OR UPDATE ON public.annual_plan_policies FOR EACH ROW EXECUTE FUNCTION public.stock_lists_append_only();

CREATE TRIGGER annual_plan_policies_history AFTER INSERT ON public.annual_plan_policies FOR EACH ROW EXECUTE FUNCTION public.record_history('version');

CREATE TRIGGER annual_plan_steps_append_only BEFORE DELETE OR UPDATE ON public.annual_plan_steps FOR EACH ROW EXECUTE FUNCTION public.stock_steps_append_only();

CREATE TRIGGER annual_plan_steps_history AFTER INSERT ON public.annual_plan_steps FOR EACH ROW EXECUTE FUNCTION public.record_history('plan_id');

CREATE TRIGGER annual_plans_history AFTER INSERT OR UPDATE ON public.annual_plans FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER annual_plans_touch BEFORE DELETE OR UPDATE ON public.annual_plans FOR EACH ROW EXECUTE FUNCTION public.annual_plans_touch();

CREATE TRIGGER area_reviews_append_only BEFORE DELETE OR UPDATE ON public.area_reviews FOR EACH ROW EXECUTE FUNCTION public.area_reviews_append_only();

CREATE TRIGGER area_versions_append_only BEFORE DELETE OR UPDATE ON public.area_versions FOR EACH ROW EXECUTE FUNCTION public.area_versions_append_only();

CREATE TRIGGER areas_derive BEFORE INSERT OR UPDATE OF geom ON public.areas FOR EACH ROW EXECUTE FUNCTION public.areas_derive();

CREATE TRIGGER areas_tiles_delete AFTER DELETE ON public.areas REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.notify_tile_change('areas');

CREATE TRIGGER areas_tiles_insert AFTER INSERT ON public.areas REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.notify_tile_change('areas');

CREATE TRIGGER areas_tiles_update AFTER UPDATE ON public.areas REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.notify_tile_change('areas');

CREATE TRIGGER districts_derive BEFORE INSERT OR UPDATE ON public.districts FOR EACH ROW EXECUTE FUNCTION public.derive_geometry_columns();

CREATE TRIGGER districts_history AFTER INSERT OR DELETE OR UPDATE ON public.districts FOR EACH ROW EXECUTE FUNCTION public.record_history('code');

CREATE TRIGGER districts_sessions_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.districts FOR EACH STATEMENT EXECUTE FUNCTION public.notify_session_change();

CREATE TRIGGER document_contents_guard BEFORE DELETE OR UPDATE ON public.document_contents FOR EACH ROW EXECUTE FUNCTION public.document_contents_guard();

CREATE TRIGGER enterprise_parcels_history AFTER INSERT OR DELETE ON public.enterprise_parcels FOR EACH ROW EXECUTE FUNCTION public.record_history('user_id');

CREATE TRIGGER enterprise_parcels_sessions_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.enterprise_parcels FOR EACH STATEMENT EXECUTE FUNCTION public.notify_session_change();

CREATE TRIGGER history_append_only BEFORE DELETE OR UPDATE ON public.history FOR EACH ROW EXECUTE FUNCTION public.forbid_history_rewrite();

CREATE TRIGGER identification_cases_history AFTER INSERT OR UPDATE ON public.identification_cases FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER identification_cases_touch BEFORE DELETE OR UPDATE ON public.identification_cases FOR EACH ROW EXECUTE FUNCTION public.identification_cases_touch();

CREATE TRIGGER identification_steps_append_only BEFORE DELETE OR UPDATE ON public.identification_steps FOR EACH ROW EXECUTE FUNCTION public.identification_append_only();

CREATE TRIGGER identification_steps_history AFTER INSERT ON public.identification_steps FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER legacy_land_steps_append_only BEFORE DELETE OR UPDATE ON public.legacy_land_steps FOR EACH ROW EXECUTE FUNCTION public.stock_steps_append_only();

CREATE TRIGGER legacy_land_steps_history AFTER INSERT ON public.legacy_land_steps FOR EACH ROW EXECUTE FUNCTION public.record_history('legacy_id');

CREATE TRIGGER legacy_lands_derive BEFORE INSERT OR UPDATE ON public.legacy_lands FOR EACH ROW EXECUTE FUNCTION public.derive_geometry_columns();

CREATE TRIGGER legacy_lands_history AFTER INSERT OR UPDATE ON public.legacy_lands FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER legacy_lands_touch BEFORE UPDATE ON public.legacy_lands FOR EACH ROW EXECUTE FUNCTION public.legacy_lands_touch();

CREATE TRIGGER parcel_documents_guard BEFORE DELETE OR UPDATE ON public.parcel_documents FOR EACH ROW EXECUTE FUNCTION public.parcel_documents_guard();

CREATE TRIGGER parcel_documents_history AFTER INSERT OR UPDATE ON public.parcel_documents FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER parcel_lineage_append_only BEFORE DELETE OR UPDATE ON public.parcel_lineage FOR EACH ROW EXECUTE FUNCTION public.forbid_rewrite_of_lineage();

CREATE TRIGGER parcel_yearly_figures_history AFTER INSERT OR DELETE OR UPDATE ON public.parcel_yearly_figures FOR EACH ROW EXECUTE FUNCTION public.record_history('parcel_id');

CREATE TRIGGER parcels_case_guard BEFORE UPDATE OF status, inefficiency_type, identified_at ON public.parcels FOR EACH ROW EXECUTE FUNCTION public.parcels_case_guard();

CREATE TRIGGER parcels_category_default BEFORE INSERT ON public.parcels FOR EACH ROW EXECUTE FUNCTION public.parcels_category_default();

CREATE TRIGGER parcels_cells_delete AFTER DELETE ON public.parcels REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.parcel_cells_maintain();

CREATE TRIGGER parcels_cells_insert AFTER INSERT ON public.parcels REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.parcel_cells_maintain();

CREATE TRIGGER parcels_cells_truncate AFTER TRUNCATE ON public.parcels FOR EACH STATEMENT EXECUTE FUNCTION public.parcel_cells_maintain();

CREATE TRIGGER parcels_cells_update AFTER UPDATE ON public.parcels REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.parcel_cells_maintain();

CREATE TRIGGER parcels_derive BEFORE INSERT OR UPDATE ON public.parcels FOR EACH ROW EXECUTE FUNCTION public.derive_geometry_columns();

CREATE TRIGGER parcels_history AFTER INSERT OR DELETE OR UPDATE ON public.parcels FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER parcels_place BEFORE INSERT OR UPDATE ON public.parcels FOR EACH ROW WHEN (((new.subdistrict_code IS NULL) OR (current_setting('app.bulk_load'::text, true) IS DISTINCT FROM 'on'::text))) EXECUTE FUNCTION public.parcel_place_derive();

CREATE TRIGGER parcels_precut_delete AFTER DELETE ON public.parcels REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.parcel_tile_geometries_maintain();

CREATE TRIGGER parcels_precut_insert AFTER INSERT ON public.parcels REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.parcel_tile_geometries_maintain();

CREATE TRIGGER parcels_precut_truncate AFTER TRUNCATE ON public.parcels FOR EACH STATEMENT EXECUTE FUNCTION public.parcel_tile_geometries_maintain();

CREATE TRIGGER parcels_precut_update AFTER UPDATE ON public.parcels REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.parcel_tile_geometries_maintain();

CREATE TRIGGER parcels_tiles_delete AFTER DELETE ON public.parcels REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.notify_tile_change('parcels');

CREATE TRIGGER parcels_tiles_insert AFTER INSERT ON public.parcels REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.notify_tile_change('parcels');

CREATE TRIGGER parcels_tiles_truncate AFTER TRUNCATE ON public.parcels FOR EACH STATEMENT EXECUTE FUNCTION public.notify_tile_change('parcels');

CREATE TRIGGER parcels_tiles_update AFTER UPDATE ON public.parcels REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.notify_tile_change('parcels');

CREATE TRIGGER parcels_type_cells_delete AFTER DELETE ON public.parcels REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.parcel_type_cells_maintain();

CREATE TRIGGER parcels_type_cells_insert AFTER INSERT ON public.parcels REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.parcel_type_cells_maintain();

CREATE TRIGGER parcels_type_cells_truncate AFTER TRUNCATE ON public.parcels FOR EACH STATEMENT EXECUTE FUNCTION public.parcel_type_cells_maintain();

CREATE TRIGGER parcels_type_cells_update AFTER UPDATE ON public.parcels REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.parcel_type_cells_maintain();

CREATE TRIGGER parcels_version BEFORE UPDATE ON public.parcels FOR EACH ROW EXECUTE FUNCTION public.parcels_bump_version();

CREATE TRIGGER plan_milestones_history AFTER INSERT OR UPDATE ON public.plan_milestones FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER plan_milestones_touch BEFORE DELETE OR UPDATE ON public.plan_milestones FOR EACH ROW EXECUTE FUNCTION public.annual_plans_touch();

CREATE TRIGGER plan_projects_history AFTER INSERT OR UPDATE ON public.plan_projects FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER plan_projects_touch BEFORE DELETE OR UPDATE ON public.plan_projects FOR EACH ROW EXECUTE FUNCTION public.annual_plans_touch();

CREATE TRIGGER report_submission_contents_guard BEFORE DELETE OR UPDATE ON public.report_submission_contents FOR EACH ROW EXECUTE FUNCTION public.report_submission_contents_guard();

CREATE TRIGGER report_submissions_guard BEFORE DELETE OR UPDATE ON public.report_submissions FOR EACH ROW EXECUTE FUNCTION public.report_submissions_guard();

CREATE TRIGGER report_submissions_history AFTER INSERT OR UPDATE ON public.report_submissions FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER retired_parcels_append_only BEFORE DELETE OR UPDATE ON public.retired_parcels FOR EACH ROW EXECUTE FUNCTION public.forbid_rewrite_of_lineage();

CREATE TRIGGER reuse_credit_list_append_only BEFORE DELETE OR UPDATE ON public.reuse_credit_list FOR EACH ROW EXECUTE FUNCTION public.reuse_append_only();

CREATE TRIGGER reuse_credit_list_history AFTER INSERT ON public.reuse_credit_list FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER reuse_credit_removals_append_only BEFORE DELETE OR UPDATE ON public.reuse_credit_removals FOR EACH ROW EXECUTE FUNCTION public.reuse_append_only();

CREATE TRIGGER reuse_credit_removals_history AFTER INSERT ON public.reuse_credit_removals FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER reuse_ledger_history AFTER INSERT OR UPDATE ON public.reuse_ledger FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER reuse_plan_versions_append_only BEFORE DELETE OR UPDATE ON public.reuse_plan_versions FOR EACH ROW EXECUTE FUNCTION public.reuse_append_only();

CREATE TRIGGER reuse_plan_versions_history AFTER INSERT OR UPDATE ON public.reuse_plan_versions FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER reuse_projects_history AFTER INSERT OR UPDATE ON public.reuse_projects FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER reuse_projects_touch BEFORE DELETE OR UPDATE ON public.reuse_projects FOR EACH ROW EXECUTE FUNCTION public.reuse_projects_touch();

CREATE TRIGGER reuse_steps_append_only BEFORE DELETE OR UPDATE ON public.reuse_steps FOR EACH ROW EXECUTE FUNCTION public.reuse_append_only();

CREATE TRIGGER reuse_steps_history AFTER INSERT ON public.reuse_steps FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER reuse_tracking_append_only BEFORE DELETE OR UPDATE ON public.reuse_tracking FOR EACH ROW EXECUTE FUNCTION public.reuse_append_only();

CREATE TRIGGER reuse_tracking_history AFTER INSERT ON public.reuse_tracking FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER rule_sets_append_only BEFORE DELETE OR UPDATE ON public.rule_sets FOR EACH ROW EXECUTE FUNCTION public.rule_sets_append_only();

CREATE TRIGGER sessions_notify AFTER DELETE OR TRUNCATE ON public.sessions FOR EACH STATEMENT EXECUTE FUNCTION public.notify_session_change();

CREATE TRIGGER sessions_revoked_notify AFTER UPDATE OF expires_at ON public.sessions FOR EACH ROW WHEN ((new.expires_at < old.expires_at)) EXECUTE FUNCTION public.notify_session_change();

CREATE TRIGGER stock_lists_append_only BEFORE DELETE OR UPDATE ON public.stock_lists FOR EACH ROW EXECUTE FUNCTION public.stock_lists_append_only();

CREATE TRIGGER stock_lists_history AFTER INSERT ON public.stock_lists FOR EACH ROW EXECUTE FUNCTION public.record_history('kind');

CREATE TRIGGER stock_package_files_guard BEFORE DELETE OR UPDATE ON public.stock_package_files FOR EACH ROW EXECUTE FUNCTION public.stock_package_files_guard();

CREATE TRIGGER stock_package_items_frozen BEFORE INSERT OR DELETE OR UPDATE ON public.stock_package_items FOR EACH ROW EXECUTE FUNCTION public.stock_package_items_frozen();

CREATE TRIGGER stock_package_steps_append_only BEFORE DELETE OR UPDATE ON public.stock_package_steps FOR EACH ROW EXECUTE FUNCTION public.stock_steps_append_only();

CREATE TRIGGER stock_package_steps_history AFTER INSERT ON public.stock_package_steps FOR EACH ROW EXECUTE FUNCTION public.record_history('package_id');

CREATE TRIGGER stock_packages_history AFTER INSERT OR UPDATE ON public.stock_packages FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER stock_packages_no_delete BEFORE DELETE ON public.stock_packages FOR EACH ROW EXECUTE FUNCTION public.stock_packages_no_delete();

CREATE TRIGGER stock_packages_touch BEFORE UPDATE ON public.stock_packages FOR EACH ROW EXECUTE FUNCTION public.stock_packages_touch();

CREATE TRIGGER stock_problem_steps_append_only BEFORE DELETE OR UPDATE ON public.stock_problem_steps FOR EACH ROW EXECUTE FUNCTION public.stock_steps_append_only();

CREATE TRIGGER stock_problem_steps_history AFTER INSERT ON public.stock_problem_steps FOR EACH ROW EXECUTE FUNCTION public.record_history('problem_id');

CREATE TRIGGER stock_problems_history AFTER INSERT OR UPDATE ON public.stock_problems FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER stock_problems_touch BEFORE UPDATE ON public.stock_problems FOR EACH ROW EXECUTE FUNCTION public.stock_problems_touch();

CREATE TRIGGER subdistricts_derive BEFORE INSERT OR UPDATE ON public.subdistricts FOR EACH ROW EXECUTE FUNCTION public.subdistricts_derive();

CREATE TRIGGER subdistricts_history AFTER INSERT OR DELETE OR UPDATE ON public.subdistricts FOR EACH ROW EXECUTE FUNCTION public.record_history('code');

CREATE TRIGGER subdistricts_parcels_delete AFTER DELETE ON public.subdistricts REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.subdistricts_rederive_parcels();

CREATE TRIGGER subdistricts_parcels_insert AFTER INSERT ON public.subdistricts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.subdistricts_rederive_parcels();

CREATE TRIGGER subdistricts_parcels_update AFTER UPDATE ON public.subdistricts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.subdistricts_rederive_parcels();

CREATE TRIGGER subdistricts_sessions_notify AFTER DELETE OR UPDATE OR TRUNCATE ON public.subdistricts FOR EACH STATEMENT EXECUTE FUNCTION public.notify_session_change();

CREATE TRIGGER survey_layers_delete_cells AFTER DELETE ON public.survey_layers FOR EACH ROW EXECUTE FUNCTION public.delete_survey_cells_of_layer();

CREATE TRIGGER survey_layers_tiles AFTER INSERT OR UPDATE ON public.survey_layers FOR EACH ROW EXECUTE FUNCTION public.notify_survey_layer_change();

CREATE TRIGGER survey_patches_derive BEFORE INSERT OR UPDATE ON public.survey_patches FOR EACH ROW EXECUTE FUNCTION public.derive_missing_geometry_columns();

CREATE TRIGGER survey_submissions_append_only BEFORE DELETE OR UPDATE ON public.survey_submissions FOR EACH ROW EXECUTE FUNCTION public.identification_append_only();

CREATE TRIGGER survey_submissions_history AFTER INSERT OR UPDATE ON public.survey_submissions FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER user_scopes_history AFTER INSERT OR DELETE ON public.user_scopes FOR EACH ROW EXECUTE FUNCTION public.record_history('user_id');

CREATE TRIGGER user_scopes_sessions_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.user_scopes FOR EACH STATEMENT EXECUTE FUNCTION public.notify_session_change();

CREATE TRIGGER user_units_history AFTER INSERT OR DELETE ON public.user_units FOR EACH ROW EXECUTE FUNCTION public.record_history('user_id');

CREATE TRIGGER user_units_sessions_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.user_units FOR EACH STATEMENT EXECUTE FUNCTION public.notify_session_change();

CREATE TRIGGER users_history AFTER INSERT OR DELETE OR UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.record_history('id', 'password_hash', 'failed_attempts', 'locked_until', 'last_login_at');

CREATE TRIGGER users_sessions_notify AFTER DELETE OR TRUNCATE ON public.users FOR EACH STATEMENT EXECUTE FUNCTION public.notify_session_change();

CREATE TRIGGER users_sessions_notify_update AFTER UPDATE ON public.users FOR EACH ROW WHEN (((((((old.username IS DISTINCT FROM new.username) OR (old.display_name IS DISTINCT FROM new.display_name)) OR (old.role IS DISTINCT FROM new.role)) OR (old.disabled IS DISTINCT FROM new.disabled)) OR (old.must_change_password IS DISTINCT FROM new.must_change_password)) OR (old.password_hash IS DISTINCT FROM new.password_hash))) EXECUTE FUNCTION public.notify_session_change();

CREATE TRIGGER users_touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

CREATE TRIGGER zhaoshang_inquiries_history AFTER INSERT OR UPDATE ON public.zhaoshang_inquiries FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

CREATE TRIGGER zhaoshang_listing_versions_append_only BEFORE DELETE OR UPDATE ON public.zhaoshang_listing_versions FOR EACH ROW EXECUTE FUNCTION public.zhaoshang_versions_append_only();

CREATE TRIGGER zhaoshang_listing_versions_history AFTER INSERT ON public.zhaoshang_listing_versions FOR EACH ROW EXECUTE FUNCTION public.record_history('listing_id', 'geom');

CREATE TRIGGER zhaoshang_listings_history AFTER INSERT OR UPDATE ON public.zhaoshang_listings FOR EACH ROW EXECUTE FUNCTION public.record_history('id');

ALTER TABLE ONLY public.annual_plan_steps
    ADD CONSTRAINT annual_plan_steps_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES public.annual_plans(id);

ALTER TABLE ONLY public.annual_plans
    ADD CONSTRAINT annual_plans_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.annual_plans
    ADD CONSTRAINT annual_plans_policy_version_fkey FOREIGN KEY (policy_version) REFERENCES public.annual_plan_policies(version);

ALTER TABLE ONLY public.area_reviews
    ADD CONSTRAINT area_reviews_area_id_area_version_fkey FOREIGN KEY (area_id, area_version) REFERENCES public.area_versions(area_id, version);

ALTER TABLE ONLY public.area_reviews
    ADD CONSTRAINT area_reviews_area_id_fkey FOREIGN KEY (area_id) REFERENCES public.areas(id);

ALTER TABLE ONLY public.area_reviews
    ADD CONSTRAINT area_reviews_rule_set_id_rule_set_version_fkey FOREIGN KEY (rule_set_id, rule_set_version) REFERENCES public.rule_sets(id, version);

ALTER TABLE ONLY public.area_versions
    ADD CONSTRAINT area_versions_area_id_fkey FOREIGN KEY (area_id) REFERENCES public.areas(id);

ALTER TABLE ONLY public.areas
    ADD CONSTRAINT areas_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.areas
    ADD CONSTRAINT areas_pinned_review_id_fkey FOREIGN KEY (pinned_review_id) REFERENCES public.area_reviews(id);

ALTER TABLE ONLY public.areas
    ADD CONSTRAINT areas_rule_set_id_rule_set_version_fkey FOREIGN KEY (rule_set_id, rule_set_version) REFERENCES public.rule_sets(id, version);

ALTER TABLE ONLY public.criteria_run_parcels
    ADD CONSTRAINT criteria_run_parcels_run_id_fkey FOREIGN KEY (run_id) REFERENCES public.criteria_runs(id);

ALTER TABLE ONLY public.criteria_runs
    ADD CONSTRAINT criteria_runs_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.criteria_runs
    ADD CONSTRAINT criteria_runs_set_id_fkey FOREIGN KEY (set_id) REFERENCES public.criteria_sets(id);

ALTER TABLE ONLY public.criteria_runs
    ADD CONSTRAINT criteria_runs_set_id_set_version_fkey FOREIGN KEY (set_id, set_version) REFERENCES public.criteria_set_versions(set_id, version);

ALTER TABLE ONLY public.criteria_set_versions
    ADD CONSTRAINT criteria_set_versions_set_id_fkey FOREIGN KEY (set_id) REFERENCES public.criteria_sets(id);

ALTER TABLE ONLY public.criteria_sets
    ADD CONSTRAINT criteria_sets_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.districts
    ADD CONSTRAINT districts_parent_code_fkey FOREIGN KEY (parent_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.document_contents
    ADD CONSTRAINT document_contents_document_id_fkey FOREIGN KEY (document_id) REFERENCES public.parcel_documents(id);

ALTER TABLE ONLY public.enterprise_parcels
    ADD CONSTRAINT enterprise_parcels_parcel_id_fkey FOREIGN KEY (parcel_id) REFERENCES public.parcels(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.enterprise_parcels
    ADD CONSTRAINT enterprise_parcels_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.grading_results
    ADD CONSTRAINT grading_results_run_id_fkey FOREIGN KEY (run_id) REFERENCES public.grading_runs(id);

ALTER TABLE ONLY public.grading_runs
    ADD CONSTRAINT grading_runs_district_code_scheme_version_fkey FOREIGN KEY (district_code, scheme_version) REFERENCES public.grading_schemes(district_code, version);

ALTER TABLE ONLY public.grading_schemes
    ADD CONSTRAINT grading_schemes_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.identification_cases
    ADD CONSTRAINT identification_cases_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.identification_counters
    ADD CONSTRAINT identification_counters_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.identification_steps
    ADD CONSTRAINT identification_steps_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.identification_cases(id);

ALTER TABLE ONLY public.legacy_land_steps
    ADD CONSTRAINT legacy_land_steps_legacy_id_fkey FOREIGN KEY (legacy_id) REFERENCES public.legacy_lands(id);

ALTER TABLE ONLY public.legacy_lands
    ADD CONSTRAINT legacy_lands_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.parcel_yearly_figures
    ADD CONSTRAINT parcel_yearly_figures_parcel_id_fkey FOREIGN KEY (parcel_id) REFERENCES public.parcels(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.parcels
    ADD CONSTRAINT parcels_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.plan_milestones
    ADD CONSTRAINT plan_milestones_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.plan_projects(id);

ALTER TABLE ONLY public.plan_projects
    ADD CONSTRAINT plan_projects_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES public.annual_plans(id);

ALTER TABLE ONLY public.report_submission_contents
    ADD CONSTRAINT report_submission_contents_submission_id_fkey FOREIGN KEY (submission_id) REFERENCES public.report_submissions(id);

ALTER TABLE ONLY public.report_submissions
    ADD CONSTRAINT report_submissions_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.report_submissions
    ADD CONSTRAINT report_submissions_superseded_by_fkey FOREIGN KEY (superseded_by) REFERENCES public.report_submissions(id) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY public.retired_parcels
    ADD CONSTRAINT retired_parcels_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.retired_parcels
    ADD CONSTRAINT retired_parcels_operation_id_fkey FOREIGN KEY (operation_id) REFERENCES public.parcel_lineage(id);

ALTER TABLE ONLY public.reuse_counters
    ADD CONSTRAINT reuse_counters_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.reuse_credit_list
    ADD CONSTRAINT reuse_credit_list_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.identification_cases(id);

ALTER TABLE ONLY public.reuse_credit_list
    ADD CONSTRAINT reuse_credit_list_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.reuse_credit_list
    ADD CONSTRAINT reuse_credit_list_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.reuse_projects(id);

ALTER TABLE ONLY public.reuse_credit_removals
    ADD CONSTRAINT reuse_credit_removals_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES public.reuse_credit_list(id);

ALTER TABLE ONLY public.reuse_ledger
    ADD CONSTRAINT reuse_ledger_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.reuse_projects(id);

ALTER TABLE ONLY public.reuse_plan_versions
    ADD CONSTRAINT reuse_plan_versions_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.reuse_projects(id);

ALTER TABLE ONLY public.reuse_projects
    ADD CONSTRAINT reuse_projects_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.identification_cases(id);

ALTER TABLE ONLY public.reuse_projects
    ADD CONSTRAINT reuse_projects_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.reuse_steps
    ADD CONSTRAINT reuse_steps_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.reuse_projects(id);

ALTER TABLE ONLY public.reuse_tracking
    ADD CONSTRAINT reuse_tracking_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.reuse_projects(id);

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.stock_counters
    ADD CONSTRAINT stock_counters_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.stock_package_files
    ADD CONSTRAINT stock_package_files_package_id_fkey FOREIGN KEY (package_id) REFERENCES public.stock_packages(id);

ALTER TABLE ONLY public.stock_package_items
    ADD CONSTRAINT stock_package_items_package_id_fkey FOREIGN KEY (package_id) REFERENCES public.stock_packages(id);

ALTER TABLE ONLY public.stock_package_steps
    ADD CONSTRAINT stock_package_steps_package_id_fkey FOREIGN KEY (package_id) REFERENCES public.stock_packages(id);

ALTER TABLE ONLY public.stock_packages
    ADD CONSTRAINT stock_packages_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.stock_packages
    ADD CONSTRAINT stock_packages_previous_id_fkey FOREIGN KEY (previous_id) REFERENCES public.stock_packages(id);

ALTER TABLE ONLY public.stock_problem_steps
    ADD CONSTRAINT stock_problem_steps_problem_id_fkey FOREIGN KEY (problem_id) REFERENCES public.stock_problems(id);

ALTER TABLE ONLY public.stock_problems
    ADD CONSTRAINT stock_problems_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.subdistricts
    ADD CONSTRAINT subdistricts_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.survey_layers
    ADD CONSTRAINT survey_layers_import_id_fkey FOREIGN KEY (import_id) REFERENCES public.imports(id);

ALTER TABLE ONLY public.survey_layers
    ADD CONSTRAINT survey_layers_superseded_by_fkey FOREIGN KEY (superseded_by) REFERENCES public.survey_layers(id);

ALTER TABLE ONLY public.survey_submissions
    ADD CONSTRAINT survey_submissions_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.identification_cases(id);

ALTER TABLE ONLY public.user_scopes
    ADD CONSTRAINT user_scopes_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

ALTER TABLE ONLY public.user_scopes
    ADD CONSTRAINT user_scopes_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.user_units
    ADD CONSTRAINT user_units_subdistrict_code_fkey FOREIGN KEY (subdistrict_code) REFERENCES public.subdistricts(code) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY public.user_units
    ADD CONSTRAINT user_units_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.zhaoshang_inquiries
    ADD CONSTRAINT zhaoshang_inquiries_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES public.zhaoshang_listings(id);

ALTER TABLE ONLY public.zhaoshang_listing_versions
    ADD CONSTRAINT zhaoshang_listing_versions_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES public.zhaoshang_listings(id);

ALTER TABLE ONLY public.zhaoshang_listings
    ADD CONSTRAINT zhaoshang_listings_district_code_fkey FOREIGN KEY (district_code) REFERENCES public.districts(code);

GRANT USAGE ON SCHEMA public TO biaotu_app;

GRANT ALL ON SCHEMA staging TO biaotu_app;

GRANT ALL ON SCHEMA survey_data TO biaotu_app;

REVOKE ALL ON FUNCTION public.attach_survey_layer(layer bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION public.attach_survey_layer(layer bigint) TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.subdistricts TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.annual_plan_policies TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.annual_plan_steps TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.annual_plan_steps_id_seq TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.annual_plans TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.annual_plans_id_seq TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.area_reviews TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.area_reviews_id_seq TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.area_versions TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.areas TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.areas_id_seq TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.criteria_run_parcels TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.criteria_runs TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.criteria_runs_id_seq TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.criteria_set_versions TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.criteria_sets TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.criteria_sets_id_seq TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.districts TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.document_contents TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.enterprise_parcels TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.exports TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.grading_results TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.grading_runs TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.grading_runs_id_seq TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.grading_schemes TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.history TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.history_id_seq TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.identification_cases TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.identification_cases_id_seq TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.identification_counters TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.identification_steps TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.identification_steps_id_seq TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.imports TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.legacy_land_steps TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.legacy_land_steps_id_seq TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.legacy_lands TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.legacy_lands_id_seq TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.login_failures TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.parcel_cells TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.parcel_documents TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.parcel_documents_id_seq TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.parcel_lineage TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.parcel_lineage_id_seq TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.parcel_tile_geometries TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.parcel_type_cells TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.parcel_yearly_figures TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.parcels TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.parcels_id_seq TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.plan_milestones TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.plan_milestones_id_seq TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.plan_projects TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.plan_projects_id_seq TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.report_submission_contents TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.report_submissions TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.report_submissions_id_seq TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.retired_parcels TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.reuse_counters TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.reuse_credit_list TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.reuse_credit_list_id_seq TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.reuse_credit_removals TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.reuse_credit_removals_id_seq TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.reuse_ledger TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.reuse_ledger_id_seq TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.reuse_plan_versions TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.reuse_plan_versions_id_seq TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.reuse_projects TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.reuse_projects_id_seq TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.reuse_steps TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.reuse_steps_id_seq TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.reuse_tracking TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.reuse_tracking_id_seq TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.rule_sets TO biaotu_app;

GRANT SELECT ON TABLE public.schema_migrations TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.sessions TO biaotu_app;

GRANT SELECT ON TABLE public.spatial_ref_sys TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.stock_counters TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.stock_lists TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.stock_package_files TO biaotu_app;

GRANT SELECT,INSERT,DELETE ON TABLE public.stock_package_items TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.stock_package_steps TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.stock_package_steps_id_seq TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.stock_packages TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.stock_packages_id_seq TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.stock_problem_steps TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.stock_problem_steps_id_seq TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.stock_problems TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.stock_problems_id_seq TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.survey_cells TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.survey_layers TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.survey_layers_id_seq TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.survey_patches TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.survey_patches_id_seq TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.survey_submissions TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.survey_submissions_id_seq TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.tile_cache TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.tile_epochs TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.user_scopes TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.user_units TO biaotu_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.users TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.users_id_seq TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.zhaoshang_inquiries TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.zhaoshang_inquiries_id_seq TO biaotu_app;

GRANT SELECT,INSERT ON TABLE public.zhaoshang_listing_versions TO biaotu_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.zhaoshang_listings TO biaotu_app;

GRANT SELECT,USAGE ON SEQUENCE public.zhaoshang_listings_id_seq TO biaotu_app;

ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT SELECT,USAGE ON SEQUENCES  TO biaotu_app;

ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT SELECT,INSERT,DELETE,UPDATE ON TABLES  TO biaotu_app;
