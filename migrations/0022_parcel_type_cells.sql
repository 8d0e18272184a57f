-- The aggregate grid learns the 低效类型 (issue 13, item 4): below the parcel zooms the map can be
-- coloured by the dominant 低效类型 of each cell, as the parcels are above them. Parcel land per
-- cell, district and 低效类型, for parcels that have a type; kept exact by statement triggers like
-- parcel_cells (migration 0010), on the same cells (level z + 5, a parcel by the centre of its box).
CREATE TABLE parcel_type_cells (
  level           smallint NOT NULL,
  cx              integer NOT NULL,
  cy              integer NOT NULL,
  district_code   text NOT NULL,
  type            text NOT NULL,
  parcels         integer NOT NULL,
  area_m2         double precision NOT NULL,
  PRIMARY KEY (level, cx, cy, district_code, type)
);
COMMENT ON TABLE parcel_type_cells IS 'aggregate grid of typed parcels per 低效类型, for low-zoom tiles coloured by type; maintained by statement triggers on parcels';
COMMENT ON COLUMN parcel_type_cells.type IS '低效类型 code (parcels.inefficiency_type)';
COMMENT ON COLUMN parcel_type_cells.area_m2 IS 'ellipsoidal area of those parcels in the cell, m²';

CREATE FUNCTION parcel_type_cells_maintain() RETURNS trigger LANGUAGE plpgsql AS $$
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
$$;

CREATE TRIGGER parcels_type_cells_insert AFTER INSERT ON parcels REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION parcel_type_cells_maintain();
CREATE TRIGGER parcels_type_cells_update AFTER UPDATE ON parcels REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION parcel_type_cells_maintain();
CREATE TRIGGER parcels_type_cells_delete AFTER DELETE ON parcels REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION parcel_type_cells_maintain();
CREATE TRIGGER parcels_type_cells_truncate AFTER TRUNCATE ON parcels
  FOR EACH STATEMENT EXECUTE FUNCTION parcel_type_cells_maintain();

-- The grid of the parcels already there.
INSERT INTO parcel_type_cells (level, cx, cy, district_code, type, parcels, area_m2)
SELECT 18 - k, cx >> k, cy >> k, district_code, type, sum(parcels), sum(area_m2)
FROM (
  SELECT cell_column((ST_XMin(geom_3857) + ST_XMax(geom_3857)) / 2, 18) AS cx,
         cell_row((ST_YMin(geom_3857) + ST_YMax(geom_3857)) / 2, 18) AS cy,
         district_code, inefficiency_type AS type, count(*)::integer AS parcels, sum(area_m2) AS area_m2
  FROM parcels WHERE inefficiency_type IS NOT NULL GROUP BY 1, 2, 3, 4
) finest, generate_series(0, 13) AS k
GROUP BY 1, 2, 3, 4, 5;

-- Parcel tiles now carry more (the cells' dominant type, labels' 宗地编号 and 权利人 from z16):
-- tiles cut before this migration must not be served again. The epoch goes up so that a tile read
-- by a server still running the old code is not stored after it.
UPDATE tile_epochs SET epoch = epoch + 1 WHERE family = 'parcels';
DELETE FROM tile_cache WHERE layer = 'parcels';

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON parcel_type_cells TO biaotu_app;
  END IF;
END;
$$;
