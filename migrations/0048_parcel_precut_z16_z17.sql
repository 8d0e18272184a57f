-- Parcels cut ahead of time at z16 and z17 too, beside z14 (0015, 0036), in one table keyed by
-- zoom. Issue 19: served band by band, z16 and z17 were the two bands slower than the plain
-- route a user would write (0.84–0.99 of it): there the statement costs what the peer's does and
-- the product's larger server process adds 0.1–0.3 ms a tile. Measured over 400 tiles of the
-- 1 M-parcel bench city, one statement at a time, the tile read from stored cuts costs 0.95 ms at
-- z16 against 1.42 ms cut per request, and 0.42 against 0.74 ms at z17, for the same bytes. The
-- bench city has 1.18 cuts a parcel at z16 and 1.32 at z17 (1.09 at z14).
--
-- Same rules as z14: one row per parcel and tile its box (grown by the 64/4096 buffer) meets, the
-- geometry as ST_AsMVTGeom gives it for that tile (half-pixel simplification below z15, as
-- tiles.sql.ts does), attributes joined at read time, rebuilt by statement triggers only for the
-- parcels whose shape a statement changes.
CREATE TABLE parcel_tile_geometries (
  z          smallint NOT NULL,
  x          integer NOT NULL,
  y          integer NOT NULL,
  parcel_id  bigint NOT NULL,
  geom       geometry NOT NULL,
  PRIMARY KEY (z, x, y, parcel_id)
);
COMMENT ON TABLE parcel_tile_geometries IS 'parcels cut into tile coordinates at the precut zooms (parcel_precut_zooms()): ST_AsMVTGeom, extent 4096, buffer 64, half-pixel simplification below z15, as tiles.sql.ts would';

-- The zooms cut ahead of time (tiles.sql.ts PRECUT_ZOOMS says the same; a test compares them).
CREATE FUNCTION parcel_precut_zooms() RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ARRAY[14, 16, 17] $$;

-- The tiles of zoom z a parcel's box (with the buffer) meets, and its geometry cut for each.
CREATE FUNCTION parcel_tile_cuts(geom_3857 geometry, z integer) RETURNS TABLE (x integer, y integer, geom geometry)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT t.x, u.y, ST_AsMVTGeom(CASE WHEN z < 15 THEN ST_Simplify(geom_3857, 40075016.6855784 / (256 * 2 ^ z) / 2, true) ELSE geom_3857 END,
                                ST_TileEnvelope(z, t.x, u.y), 4096, 64, true)
  FROM generate_series(floor((ST_XMin(geom_3857) + 20037508.342789244) / (40075016.68557849 / 2 ^ z) - 64.0 / 4096)::int,
                       floor((ST_XMax(geom_3857) + 20037508.342789244) / (40075016.68557849 / 2 ^ z) + 64.0 / 4096)::int) AS t(x)
  CROSS JOIN generate_series(floor((20037508.342789244 - ST_YMax(geom_3857)) / (40075016.68557849 / 2 ^ z) - 64.0 / 4096)::int,
                             floor((20037508.342789244 - ST_YMin(geom_3857)) / (40075016.68557849 / 2 ^ z) + 64.0 / 4096)::int) AS u(y)
$$;

-- The z14 rows as they are (same cut: 0015's function is this one at z = 14), then z16 and z17.
INSERT INTO parcel_tile_geometries (z, x, y, parcel_id, geom)
SELECT 14, x, y, parcel_id, geom FROM parcel_z14_geometries;
INSERT INTO parcel_tile_geometries (z, x, y, parcel_id, geom)
SELECT zz.z, c.x, c.y, p.id, c.geom
FROM parcels p, unnest(ARRAY[16, 17]) AS zz(z), parcel_tile_cuts(p.geom_3857, zz.z) c
WHERE c.geom IS NOT NULL;
CREATE INDEX parcel_tile_geometries_parcel_idx ON parcel_tile_geometries (parcel_id);

DROP TRIGGER parcels_z14_insert ON parcels;
DROP TRIGGER parcels_z14_update ON parcels;
DROP TRIGGER parcels_z14_delete ON parcels;
DROP TRIGGER parcels_z14_truncate ON parcels;
DROP FUNCTION parcel_z14_maintain();
DROP FUNCTION parcel_z14_cuts(geometry);
DROP TABLE parcel_z14_geometries;

-- As 0036: an update rebuilds only the parcels whose shape it changed, found from the transition
-- tables first, through the parcel_id index.
CREATE FUNCTION parcel_tile_geometries_maintain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed bigint[];
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM parcel_tile_geometries;
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    DELETE FROM parcel_tile_geometries g USING old_rows o WHERE g.parcel_id = o.id;
  ELSIF TG_OP = 'UPDATE' THEN
    changed := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                     WHERE o.geom_3857 IS DISTINCT FROM n.geom_3857);
    IF cardinality(changed) = 0 THEN
      RETURN NULL;
    END IF;
    DELETE FROM parcel_tile_geometries g WHERE g.parcel_id = ANY (changed);
    INSERT INTO parcel_tile_geometries (z, x, y, parcel_id, geom)
    SELECT zz.z, c.x, c.y, n.id, c.geom FROM new_rows n, unnest(parcel_precut_zooms()) AS zz(z), parcel_tile_cuts(n.geom_3857, zz.z) c
    WHERE n.id = ANY (changed) AND c.geom IS NOT NULL;
  ELSE
    INSERT INTO parcel_tile_geometries (z, x, y, parcel_id, geom)
    SELECT zz.z, c.x, c.y, n.id, c.geom FROM new_rows n, unnest(parcel_precut_zooms()) AS zz(z), parcel_tile_cuts(n.geom_3857, zz.z) c
    WHERE c.geom IS NOT NULL;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER parcels_precut_insert AFTER INSERT ON parcels REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION parcel_tile_geometries_maintain();
CREATE TRIGGER parcels_precut_update AFTER UPDATE ON parcels REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION parcel_tile_geometries_maintain();
CREATE TRIGGER parcels_precut_delete AFTER DELETE ON parcels REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION parcel_tile_geometries_maintain();
CREATE TRIGGER parcels_precut_truncate AFTER TRUNCATE ON parcels
  FOR EACH STATEMENT EXECUTE FUNCTION parcel_tile_geometries_maintain();

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON parcel_tile_geometries TO biaotu_app;
  END IF;
END;
$$;
