-- The precut rows written in tile order (0048, 0050). A tile at a precut zoom is one index range of
-- parcel_tile_geometries; how many heap pages it reads depends on where its rows sit. Migration
-- 0050 rebuilt the table in tile order, but rows written afterwards by the triggers came in the
-- order of the statement's parcels: on a city seeded or imported after the migrations (a fresh
-- machine, 1 M parcels in one COPY), a z18 tile's 22 rows sat on 7.4 pages against 1.6, and served
-- alone z16 fell from 1.5–1.6× the peer to 0.99–1.03×. Each statement now writes its cuts sorted
-- by tile, so a bulk load or an import lays them out as 0050 did; and the table as it is now is
-- put in that order once (CLUSTER: a database seeded between 0050 and this one).
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

CLUSTER parcel_tile_geometries USING parcel_tile_geometries_pkey;
ANALYZE parcel_tile_geometries;
