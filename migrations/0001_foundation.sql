-- Schema v1: districts, parcels, and the history of every change.
-- Geometry is stored in EPSG:4490 (CGCS2000 geographic) so that ST_Area(geom::geography) is the
-- ellipsoidal area on the CGCS2000 ellipsoid, the official 椭球面积. A stored EPSG:3857 copy
-- feeds the vector tiles without a per-request transform.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE districts (
  code         text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
  name         text NOT NULL,
  level        text NOT NULL CHECK (level IN ('province', 'city', 'district', 'town')),
  parent_code  text REFERENCES districts (code),
  geom         geometry(MultiPolygon, 4490) NOT NULL,
  geom_3857    geometry(MultiPolygon, 3857) NOT NULL,
  label_point  geometry(Point, 3857) NOT NULL,
  area_m2      double precision NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE districts IS '行政区 (city, district, town) with real boundaries';
COMMENT ON COLUMN districts.code IS '行政区划代码 (6 digits)';
COMMENT ON COLUMN districts.level IS '级别: province 省 / city 市 / district 区县 / town 镇街';
COMMENT ON COLUMN districts.geom IS 'boundary, EPSG:4490 (CGCS2000 geographic)';
COMMENT ON COLUMN districts.geom_3857 IS 'boundary in EPSG:3857, for vector tiles only (never for areas)';
COMMENT ON COLUMN districts.label_point IS 'label position (ST_PointOnSurface), EPSG:3857';
COMMENT ON COLUMN districts.area_m2 IS '椭球面积, m² (CGCS2000 ellipsoid)';
CREATE INDEX districts_geom_idx ON districts USING gist (geom);
CREATE INDEX districts_geom_3857_idx ON districts USING gist (geom_3857);
CREATE INDEX districts_parent_idx ON districts (parent_code);

CREATE TABLE parcels (
  id                     bigserial PRIMARY KEY,
  code                   text NOT NULL UNIQUE,
  district_code          text NOT NULL REFERENCES districts (code),
  owner                  text,
  town_or_park           text,
  location               text,
  registered_area_m2     numeric(14, 2) CHECK (registered_area_m2 >= 0),
  area_m2                double precision NOT NULL CHECK (area_m2 >= 0),
  contract_no            text,
  certificate_no         text,
  land_use_code          text,
  planned_function       text,
  industry_code          text,
  floor_area_m2          numeric(14, 2) CHECK (floor_area_m2 >= 0),
  floor_area_ratio       numeric(6, 2) CHECK (floor_area_ratio >= 0),
  building_coverage      numeric(5, 4) CHECK (building_coverage BETWEEN 0 AND 1),
  investment_intensity   numeric(12, 2),
  output_per_mu          numeric(12, 2),
  tax_per_mu             numeric(12, 2),
  production_start       date,
  production_stop        date,
  admin_facility_share   numeric(5, 4) CHECK (admin_facility_share BETWEEN 0 AND 1),
  undeveloped_area_m2    numeric(14, 2) CHECK (undeveloped_area_m2 >= 0),
  meets_safety           boolean,
  meets_environment      boolean,
  meets_energy           boolean,
  status                 text NOT NULL DEFAULT 'efficient'
                         CHECK (status IN ('efficient', 'suspected', 'identified', 'redeveloping', 'redeveloped')),
  inefficiency_type      text CHECK (inefficiency_type IN
                         ('idle', 'low_output', 'stopped', 'scattered', 'misused', 'dilapidated', 'polluting')),
  identified_at          date,
  redevelopment_intent   text CHECK (redevelopment_intent IN ('strong', 'willing', 'undecided', 'unwilling')),
  evaluation_grade       text CHECK (evaluation_grade IN ('A', 'B', 'C', 'D')),
  geom                   geometry(MultiPolygon, 4490) NOT NULL,
  geom_3857              geometry(MultiPolygon, 3857) NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  updated_by             text NOT NULL DEFAULT 'system'
);
COMMENT ON TABLE parcels IS '宗地 (一宗一卡): one row per land parcel of the 低效用地数据库';
COMMENT ON COLUMN parcels.code IS '宗地编号';
COMMENT ON COLUMN parcels.district_code IS '所在行政区 (区县) 代码';
COMMENT ON COLUMN parcels.owner IS '土地使用权人';
COMMENT ON COLUMN parcels.town_or_park IS '所在镇街/园区';
COMMENT ON COLUMN parcels.location IS '土地位置 (坐落)';
COMMENT ON COLUMN parcels.registered_area_m2 IS '土地面积 (登记/出让), m²';
COMMENT ON COLUMN parcels.area_m2 IS '椭球面积 of geom on the CGCS2000 ellipsoid, m² (computed, not entered)';
COMMENT ON COLUMN parcels.contract_no IS '出让合同号';
COMMENT ON COLUMN parcels.certificate_no IS '不动产权证号';
COMMENT ON COLUMN parcels.land_use_code IS '土地用途, 三调地类编码 (0601 工业用地, 0508 物流仓储用地, ...)';
COMMENT ON COLUMN parcels.planned_function IS '规划用地功能';
COMMENT ON COLUMN parcels.industry_code IS '国民经济行业分类代码 (GB/T 4754), e.g. C34';
COMMENT ON COLUMN parcels.floor_area_m2 IS '建筑面积, m²';
COMMENT ON COLUMN parcels.floor_area_ratio IS '容积率 (dimensionless, 建筑面积/土地面积)';
COMMENT ON COLUMN parcels.building_coverage IS '建筑密度/建筑系数, fraction 0–1';
COMMENT ON COLUMN parcels.investment_intensity IS '投资强度, 万元/亩';
COMMENT ON COLUMN parcels.output_per_mu IS '地均(亩均)产值, 万元/亩 per year';
COMMENT ON COLUMN parcels.tax_per_mu IS '地均(亩均)税收, 万元/亩 per year';
COMMENT ON COLUMN parcels.production_start IS '投产时间';
COMMENT ON COLUMN parcels.production_stop IS '停产时间 (null while producing)';
COMMENT ON COLUMN parcels.admin_facility_share IS '行政办公及生活服务设施用地比重, fraction 0–1';
COMMENT ON COLUMN parcels.undeveloped_area_m2 IS '未开发建设土地面积, m²';
COMMENT ON COLUMN parcels.meets_safety IS '是否符合安全生产要求';
COMMENT ON COLUMN parcels.meets_environment IS '是否符合环保要求';
COMMENT ON COLUMN parcels.meets_energy IS '是否符合能耗要求';
COMMENT ON COLUMN parcels.status IS '效率状态: efficient 正常利用 / suspected 疑似低效 / identified 已认定低效 / redeveloping 再开发中 / redeveloped 已完成再开发';
COMMENT ON COLUMN parcels.inefficiency_type IS '低效类型 (codes in domain/efficiency.ts)';
COMMENT ON COLUMN parcels.identified_at IS '认定时间';
COMMENT ON COLUMN parcels.redevelopment_intent IS '改造意愿: strong / willing / undecided / unwilling';
COMMENT ON COLUMN parcels.evaluation_grade IS '综合评价等级 A/B/C/D (亩均效益)';
COMMENT ON COLUMN parcels.geom IS 'boundary, EPSG:4490 (CGCS2000 geographic)';
COMMENT ON COLUMN parcels.geom_3857 IS 'boundary in EPSG:3857, for vector tiles only (never for areas)';
CREATE INDEX parcels_geom_idx ON parcels USING gist (geom);
CREATE INDEX parcels_geom_3857_idx ON parcels USING gist (geom_3857);
CREATE INDEX parcels_district_status_idx ON parcels (district_code, status);

-- Derived columns are computed by the database, never sent by clients: the tile copy and the
-- ellipsoidal area always match the stored geometry.
CREATE FUNCTION derive_geometry_columns() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER parcels_derive BEFORE INSERT OR UPDATE ON parcels
  FOR EACH ROW EXECUTE FUNCTION derive_geometry_columns();
CREATE TRIGGER districts_derive BEFORE INSERT OR UPDATE ON districts
  FOR EACH ROW EXECUTE FUNCTION derive_geometry_columns();

-- Every change to districts and parcels, append-only: who, when, before, after.
CREATE TABLE history (
  id         bigserial PRIMARY KEY,
  entity     text NOT NULL,
  entity_id  text NOT NULL,
  action     text NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'bulk_load')),
  actor      text NOT NULL,
  at         timestamptz NOT NULL DEFAULT now(),
  before     jsonb,
  after      jsonb
);
COMMENT ON TABLE history IS 'append-only change log of every write (who, when, before, after)';
COMMENT ON COLUMN history.actor IS 'user or process that made the change (session setting app.actor)';
CREATE INDEX history_entity_idx ON history (entity, entity_id, at);

CREATE FUNCTION record_history() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  actor text := coalesce(nullif(current_setting('app.actor', true), ''), current_user);
  old_row jsonb;
  new_row jsonb;
  key text;
BEGIN
  -- A bulk load (demo seed, benchmark city) writes one summary row itself instead of one per row.
  IF current_setting('app.bulk_load', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD) - 'geom_3857' - 'label_point'; END IF;
  IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW) - 'geom_3857' - 'label_point'; END IF;
  key := CASE WHEN TG_OP = 'DELETE' THEN old_row ->> TG_ARGV[0] ELSE new_row ->> TG_ARGV[0] END;
  IF TG_OP = 'UPDATE' AND old_row = new_row THEN RETURN NULL; END IF;
  INSERT INTO history (entity, entity_id, action, actor, before, after)
  VALUES (TG_TABLE_NAME, key, lower(TG_OP), actor, old_row, new_row);
  RETURN NULL;
END;
$$;

CREATE TRIGGER parcels_history AFTER INSERT OR UPDATE OR DELETE ON parcels
  FOR EACH ROW EXECUTE FUNCTION record_history('id');
CREATE TRIGGER districts_history AFTER INSERT OR UPDATE OR DELETE ON districts
  FOR EACH ROW EXECUTE FUNCTION record_history('code');

CREATE FUNCTION forbid_history_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'history is append-only: % is not allowed', TG_OP;
END;
$$;
CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history
  FOR EACH ROW EXECUTE FUNCTION forbid_history_rewrite();
