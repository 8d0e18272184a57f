-- A bound on the cuts one parcel makes at z16 and z17 (0048). A parcel is cut into every tile its
-- box meets, and each cut clips the whole polygon: a parcel the size of a district (同安区, 490
-- vertices) is 180 cuts and 0.18 s at z14, but 9 029 cuts and 0.9 s at z17, and a shape as large
-- with the 100 000 vertices an edit may carry (MAX_INPUT_VERTICES) would hold its write for
-- minutes. So a parcel whose box is over 2 km (EPSG:3857 metres) on a side is cut ahead of time
-- at z14 only (at most ~180 cuts for a district-sized one, as before 0048); at z16 and z17 the
-- tile statement cuts such parcels per request, found through a partial index that holds only them.
-- Real parcels are far smaller (the bench city's are ~100 m), so the partial index stays nearly
-- empty and the stored cuts serve almost every parcel.
-- Schema-qualified: an index predicate calls it, and pg_restore builds indexes with an empty
-- search_path (the backup/restore test restores one).
CREATE FUNCTION parcel_precut_large(geom_3857 public.geometry) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT greatest(public.ST_XMax(geom_3857) - public.ST_XMin(geom_3857), public.ST_YMax(geom_3857) - public.ST_YMin(geom_3857)) > 2000
$$;

CREATE INDEX parcels_precut_large_idx ON parcels USING gist (geom_3857) WHERE parcel_precut_large(geom_3857);

-- The geometry to cut at zoom z: none for a large parcel above z14.
CREATE FUNCTION parcel_precut_geometry(geom_3857 geometry, z integer) RETURNS geometry LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN z <= 14 OR NOT parcel_precut_large(geom_3857) THEN geom_3857 END
$$;

DELETE FROM parcel_tile_geometries g USING parcels p
WHERE g.parcel_id = p.id AND g.z > 14 AND parcel_precut_large(p.geom_3857);

CREATE OR REPLACE FUNCTION parcel_tile_geometries_maintain() RETURNS trigger LANGUAGE plpgsql AS $$
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
    changed := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                     WHERE o.geom_3857 IS DISTINCT FROM n.geom_3857);
    IF cardinality(changed) = 0 THEN
      RETURN NULL;
    END IF;
    DELETE FROM parcel_tile_geometries g WHERE g.parcel_id = ANY (changed);
  END IF;
  -- Inserted rows, or the updated ones whose shape changed; a NULL geometry (a large parcel above
  -- z14) yields no tiles, so no cut is computed for it.
  INSERT INTO parcel_tile_geometries (z, x, y, parcel_id, geom)
  SELECT zz.z, c.x, c.y, n.id, c.geom
  FROM new_rows n, unnest(parcel_precut_zooms()) AS zz(z), parcel_tile_cuts(parcel_precut_geometry(n.geom_3857, zz.z), zz.z) c
  WHERE (TG_OP = 'INSERT' OR n.id = ANY (changed)) AND c.geom IS NOT NULL;
  RETURN NULL;
END;
$$;
