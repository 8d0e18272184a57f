-- 成片改造区域 (contiguous redevelopment areas) drawn by planners. The row is the current state;
-- every save is also an append-only version carrying the check input and the authoritative answer
-- (with the rule-set version it used), so any figure can be traced and any version restored.
CREATE TABLE areas (
  id                bigserial PRIMARY KEY,
  name              text NOT NULL,
  district_code     text NOT NULL REFERENCES districts (code),
  status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved', 'returned')),
  version           integer NOT NULL DEFAULT 1,
  mode              text NOT NULL CHECK (mode IN ('government_entrusted', 'owner_self', 'developer_acquisition', 'other')),
  mode_other        text,
  target_land_use   text,
  rule_set_id       text NOT NULL,
  rule_set_version  integer NOT NULL,
  area_m2           double precision NOT NULL,
  pass              boolean,
  geom              geometry(MultiPolygon, 4490) NOT NULL,
  geom_3857         geometry(MultiPolygon, 3857) NOT NULL,
  created_by        text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_by        text NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  deleted_at        timestamptz,
  deleted_by        text,
  FOREIGN KEY (rule_set_id, rule_set_version) REFERENCES rule_sets (id, version)
);
COMMENT ON TABLE areas IS '成片改造区域: current state; versions in area_versions; delete is soft (deleted_at)';
COMMENT ON COLUMN areas.area_m2 IS '椭球面积 of the boundary (CGCS2000), m²';
COMMENT ON COLUMN areas.pass IS 'every check of the saved answer passes (null: some figure missing)';
CREATE INDEX areas_geom_idx ON areas USING gist (geom);
CREATE INDEX areas_geom_3857_idx ON areas USING gist (geom_3857);
CREATE INDEX areas_district_status_idx ON areas (district_code, status) WHERE deleted_at IS NULL;

CREATE TABLE area_versions (
  area_id           bigint NOT NULL REFERENCES areas (id),
  version           integer NOT NULL,
  name              text NOT NULL,
  status            text NOT NULL,
  mode              text NOT NULL,
  mode_other        text,
  target_land_use   text,
  input             jsonb NOT NULL,
  result            jsonb NOT NULL,
  rule_set_id       text NOT NULL,
  rule_set_version  integer NOT NULL,
  area_m2           double precision NOT NULL,
  pass              boolean,
  geom              geometry(MultiPolygon, 4490) NOT NULL,
  note              text,
  saved_by          text NOT NULL,
  saved_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (area_id, version)
);
COMMENT ON TABLE area_versions IS 'every saved version of an area: the POST /api/checks body (input) and its answer (result)';

CREATE FUNCTION area_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'area versions are append-only: save a new version instead';
END;
$$;
CREATE TRIGGER area_versions_append_only BEFORE UPDATE OR DELETE ON area_versions
  FOR EACH ROW EXECUTE FUNCTION area_versions_append_only();

CREATE FUNCTION areas_derive() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.geom_3857 := ST_Transform(NEW.geom, 3857);
  RETURN NEW;
END;
$$;
CREATE TRIGGER areas_derive BEFORE INSERT OR UPDATE OF geom ON areas
  FOR EACH ROW EXECUTE FUNCTION areas_derive();

-- Tiles of saved areas learn about changes like parcels do (migrations 0009, 0010).
INSERT INTO tile_epochs (family) VALUES ('areas');
CREATE TRIGGER areas_tiles_insert AFTER INSERT ON areas REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION notify_tile_change('areas');
CREATE TRIGGER areas_tiles_update AFTER UPDATE ON areas REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION notify_tile_change('areas');
CREATE TRIGGER areas_tiles_delete AFTER DELETE ON areas REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION notify_tile_change('areas');

ALTER TABLE history DROP CONSTRAINT history_action_check;
ALTER TABLE history ADD CONSTRAINT history_action_check CHECK (action IN (
  'insert', 'update', 'delete', 'bulk_load', 'login', 'login_failed', 'logout', 'password_change', 'locked', 'import_commit', 'supersede', 'clear',
  'status', 'restore'));

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    GRANT SELECT, INSERT, UPDATE ON areas TO biaotu_app;
    REVOKE DELETE ON areas FROM biaotu_app;
    GRANT SELECT, INSERT ON area_versions TO biaotu_app;
    REVOKE UPDATE, DELETE ON area_versions FROM biaotu_app;
    GRANT USAGE, SELECT ON SEQUENCE areas_id_seq TO biaotu_app;
  END IF;
END;
$$;
