-- 街道/镇 and 园区 below the 区县 (issue 15 item 7; seed 003 二.1: "已设立园区内（按园区区分）、
-- 已设立园区外（按街道区分）"). A parcel's place is derived from its shape: the 街道 or 镇 holding its
-- point on surface (subdistrict_code) and the 园区 holding it (park_code, NULL = 园区外). Both are
-- looked up among the subdistricts of the parcel's own district, so a district's figures are the
-- sum of its 园区, its 街道/镇 (园区外 parcels) and the parcels no polygon holds (未划入街道).

CREATE TABLE subdistricts (
  code          text PRIMARY KEY CHECK (code ~ '^[0-9]{9}$'),
  name          text NOT NULL CHECK (length(btrim(name)) > 0),
  kind          text NOT NULL CHECK (kind IN ('street', 'town', 'park')),
  district_code text NOT NULL REFERENCES districts (code),
  geom          geometry(MultiPolygon, 4490) NOT NULL,
  area_m2       double precision NOT NULL DEFAULT 0,
  source        text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE subdistricts IS '街道/镇 (kind street/town) and 园区 (kind park) of a 区县; parcels take their place from these polygons';
COMMENT ON COLUMN subdistricts.code IS '9 位代码: 区县代码 + 3 位序号 (街道/镇 001–399, 园区 500–999)';
COMMENT ON COLUMN subdistricts.kind IS 'street 街道 / town 镇 / park 园区';
COMMENT ON COLUMN subdistricts.area_m2 IS '椭球面积 (CGCS2000), m², derived';
COMMENT ON COLUMN subdistricts.source IS '来源与规则说明 (e.g. 演示数据, local rule)';
CREATE INDEX subdistricts_geom ON subdistricts USING gist (geom);
CREATE INDEX subdistricts_district ON subdistricts (district_code, kind);

CREATE FUNCTION subdistricts_derive() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.area_m2 := ST_Area(NEW.geom::geography);
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
CREATE TRIGGER subdistricts_derive BEFORE INSERT OR UPDATE ON subdistricts
  FOR EACH ROW EXECUTE FUNCTION subdistricts_derive();
CREATE TRIGGER subdistricts_history AFTER INSERT OR UPDATE OR DELETE ON subdistricts
  FOR EACH ROW EXECUTE FUNCTION record_history('code');

ALTER TABLE parcels ADD COLUMN subdistrict_code text, ADD COLUMN park_code text;
COMMENT ON COLUMN parcels.subdistrict_code IS '所在街道/镇 (subdistricts.code), derived from the shape; NULL = 未划入街道';
COMMENT ON COLUMN parcels.park_code IS '所在园区 (subdistricts.code), derived from the shape; NULL = 园区外';

-- The 街道/镇 (or 园区) of the district `district` holding `point`; the lowest code on a shared edge.
CREATE FUNCTION subdistrict_at(point geometry, district text, parks boolean) RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN (SELECT s.code FROM subdistricts s
          WHERE s.district_code = district AND (s.kind = 'park') = parks AND ST_Intersects(s.geom, point)
          ORDER BY s.code LIMIT 1);

-- Derives subdistrict_code and park_code when a parcel is inserted or its shape or district changes,
-- and keeps town_or_park (所在镇街/园区, the recorded text) with them: filled when empty, and
-- following the place when it held the name of the place it was derived from.
CREATE FUNCTION parcel_place_derive() RETURNS trigger LANGUAGE plpgsql AS $$
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
-- A bulk load (app.bulk_load, the demo city) sends places computed by the same rule
-- (server/demo/demo-subdistricts.ts); looking a million parcels up one by one would double its time.
CREATE TRIGGER parcels_place BEFORE INSERT OR UPDATE ON parcels
  FOR EACH ROW WHEN (NEW.subdistrict_code IS NULL OR current_setting('app.bulk_load', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION parcel_place_derive();

-- A changed 街道/园区 polygon (added, redrawn, renamed, removed) re-derives the parcels it held or
-- holds now; a parcel whose town_or_park carried the old name takes the new one.
-- JIT off: the estimates over transition tables are far too high and compiling took seconds.
CREATE FUNCTION subdistricts_rederive_parcels() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $_$
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
CREATE TRIGGER subdistricts_parcels_insert AFTER INSERT ON subdistricts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION subdistricts_rederive_parcels();
CREATE TRIGGER subdistricts_parcels_update AFTER UPDATE ON subdistricts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION subdistricts_rederive_parcels();
CREATE TRIGGER subdistricts_parcels_delete AFTER DELETE ON subdistricts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION subdistricts_rederive_parcels();

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON subdistricts TO biaotu_app;
  END IF;
END;
$$;
