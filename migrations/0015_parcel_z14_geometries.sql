-- Parcels at z14 (the first polygon zoom, the heaviest: ~4.6 k parcels in the densest tile) cut
-- ahead of time. ST_AsMVTGeom was ~20 of the ~27 ms of such a tile; with the tile geometries
-- stored, the tile is a lookup, a join for the live attributes, and ST_AsMVT (~7 ms). One row per
-- parcel and z14 tile its box (grown by the 64/4096 buffer) meets; kept exact by statement
-- triggers when geometry changes (attributes are joined at read time, so status edits cost nothing).
CREATE TABLE parcel_z14_geometries (
  x          integer NOT NULL,
  y          integer NOT NULL,
  parcel_id  bigint NOT NULL,
  geom       geometry NOT NULL,
  PRIMARY KEY (x, y, parcel_id)
);
COMMENT ON TABLE parcel_z14_geometries IS 'parcels cut into z14 tile coordinates (ST_AsMVTGeom, extent 4096, buffer 64, half-pixel simplification), as tiles.sql.ts would';
CREATE INDEX parcel_z14_geometries_parcel_idx ON parcel_z14_geometries (parcel_id);

-- The z14 tiles a parcel's box (with the buffer) meets, and its geometry cut for each.
CREATE FUNCTION parcel_z14_cuts(geom_3857 geometry) RETURNS TABLE (x integer, y integer, geom geometry)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT t.x, u.y, ST_AsMVTGeom(ST_Simplify(geom_3857, 40075016.6855784 / (256 * 2 ^ 14) / 2, true), ST_TileEnvelope(14, t.x, u.y), 4096, 64, true)
  FROM generate_series(floor((ST_XMin(geom_3857) + 20037508.342789244) / (40075016.68557849 / 16384) - 64.0 / 4096)::int,
                       floor((ST_XMax(geom_3857) + 20037508.342789244) / (40075016.68557849 / 16384) + 64.0 / 4096)::int) AS t(x)
  CROSS JOIN generate_series(floor((20037508.342789244 - ST_YMax(geom_3857)) / (40075016.68557849 / 16384) - 64.0 / 4096)::int,
                             floor((20037508.342789244 - ST_YMin(geom_3857)) / (40075016.68557849 / 16384) + 64.0 / 4096)::int) AS u(y)
$$;

CREATE FUNCTION parcel_z14_maintain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM parcel_z14_geometries;
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    DELETE FROM parcel_z14_geometries z USING old_rows o WHERE z.parcel_id = o.id;
  ELSIF TG_OP = 'UPDATE' THEN
    DELETE FROM parcel_z14_geometries z USING old_rows o JOIN new_rows n ON n.id = o.id
    WHERE z.parcel_id = o.id AND o.geom_3857 IS DISTINCT FROM n.geom_3857;
    INSERT INTO parcel_z14_geometries (x, y, parcel_id, geom)
    SELECT c.x, c.y, n.id, c.geom FROM new_rows n JOIN old_rows o ON o.id = n.id, parcel_z14_cuts(n.geom_3857) c
    WHERE o.geom_3857 IS DISTINCT FROM n.geom_3857 AND c.geom IS NOT NULL;
  ELSE
    INSERT INTO parcel_z14_geometries (x, y, parcel_id, geom)
    SELECT c.x, c.y, n.id, c.geom FROM new_rows n, parcel_z14_cuts(n.geom_3857) c WHERE c.geom IS NOT NULL;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER parcels_z14_insert AFTER INSERT ON parcels REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION parcel_z14_maintain();
CREATE TRIGGER parcels_z14_update AFTER UPDATE ON parcels REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION parcel_z14_maintain();
CREATE TRIGGER parcels_z14_delete AFTER DELETE ON parcels REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION parcel_z14_maintain();
CREATE TRIGGER parcels_z14_truncate AFTER TRUNCATE ON parcels
  FOR EACH STATEMENT EXECUTE FUNCTION parcel_z14_maintain();

INSERT INTO parcel_z14_geometries (x, y, parcel_id, geom)
SELECT c.x, c.y, p.id, c.geom FROM parcels p, parcel_z14_cuts(p.geom_3857) c WHERE c.geom IS NOT NULL;

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON parcel_z14_geometries TO biaotu_app;
  END IF;
END;
$$;
