-- The tile attributes of a parcel stored beside its precut geometries (0048), so that a tile at a
-- precut zoom reads one table. Issue 19: served band by band, z16 was still 0.96–0.99 of the
-- plain route a user would write. Its statement (EXPLAIN ANALYZE of a 241-feature z16 tile of the
-- bench city) spent 0.33 of its 0.60 ms on one primary-key lookup into parcels per cut, for the
-- five columns the tile shows (status, 低效类型, grade, category) and masks by (district_code).
--
-- Copied here, kept by the same statement triggers: an edit of one of these columns updates the
-- parcel's stored rows (a handful: ~1.1 at z14, 1.2 at z16, 1.3 at z17 in the bench city) in place,
-- without cutting again; a shape change cuts again as before. The table is rebuilt in tile order,
-- so that one tile's rows sit on a few pages.
CREATE TABLE parcel_tile_geometries_next (
  z                  smallint NOT NULL,
  x                  integer NOT NULL,
  y                  integer NOT NULL,
  parcel_id          bigint NOT NULL,
  status             text NOT NULL,
  inefficiency_type  text,
  evaluation_grade   text,
  land_category      text,
  district_code      text NOT NULL,
  geom               geometry NOT NULL
);
INSERT INTO parcel_tile_geometries_next (z, x, y, parcel_id, status, inefficiency_type, evaluation_grade, land_category, district_code, geom)
SELECT g.z, g.x, g.y, g.parcel_id, p.status, p.inefficiency_type, p.evaluation_grade, p.land_category, p.district_code, g.geom
FROM parcel_tile_geometries g JOIN parcels p ON p.id = g.parcel_id
ORDER BY g.z, g.x, g.y, g.parcel_id;
DROP TABLE parcel_tile_geometries;
ALTER TABLE parcel_tile_geometries_next RENAME TO parcel_tile_geometries;
ALTER TABLE parcel_tile_geometries ADD CONSTRAINT parcel_tile_geometries_pkey PRIMARY KEY (z, x, y, parcel_id);
CREATE INDEX parcel_tile_geometries_parcel_idx ON parcel_tile_geometries (parcel_id);
COMMENT ON TABLE parcel_tile_geometries IS 'parcels cut into tile coordinates at the precut zooms (parcel_precut_zooms()): ST_AsMVTGeom, extent 4096, buffer 64, half-pixel simplification below z15, as tiles.sql.ts would; with the parcel''s tile attributes (status, inefficiency_type, evaluation_grade, land_category, district_code), kept by the parcels_precut_* triggers';

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
  WHERE (TG_OP = 'INSERT' OR n.id = ANY (changed)) AND c.geom IS NOT NULL;
  RETURN NULL;
END;
$$;

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON parcel_tile_geometries TO biaotu_app;
  END IF;
END;
$$;
