-- Imports: uploads are read into a staging schema of their own, checked, previewed, and committed
-- to the main tables in one transaction (or cancelled, leaving nothing). Survey (变更调查) layers are
-- kept per year; a re-imported year supersedes the old layer, which stays on record.

CREATE SCHEMA IF NOT EXISTS staging;
COMMENT ON SCHEMA staging IS 'import staging tables (one per uploaded layer), dropped at commit or cancel';

CREATE TABLE imports (
  id            uuid PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('survey', 'parcels')),
  year          integer CHECK (year BETWEEN 1990 AND 2100),
  file_name     text NOT NULL,
  file_size     bigint NOT NULL DEFAULT 0,
  status        text NOT NULL CHECK (status IN ('processing', 'needs-input', 'ready', 'committing', 'committed', 'failed', 'refused', 'cancelled')),
  phase         text NOT NULL DEFAULT 'upload',
  progress      real NOT NULL DEFAULT 0,
  detected      jsonb NOT NULL DEFAULT '{}',
  layers        jsonb NOT NULL DEFAULT '[]',
  options       jsonb NOT NULL DEFAULT '{}',
  report        jsonb NOT NULL DEFAULT '{}',
  needs         jsonb,
  error         jsonb,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  committed_at  timestamptz
);
COMMENT ON TABLE imports IS '导入任务: one upload, its detection, report and fate';

CREATE TABLE survey_layers (
  id             bigserial PRIMARY KEY,
  year           integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
  layer_name     text NOT NULL DEFAULT 'DLTB',
  import_id      uuid REFERENCES imports (id),
  feature_count  integer NOT NULL DEFAULT 0,
  source_srid    integer,
  imported_by    text NOT NULL,
  imported_at    timestamptz NOT NULL DEFAULT now(),
  superseded_at  timestamptz,
  superseded_by  bigint REFERENCES survey_layers (id)
);
COMMENT ON TABLE survey_layers IS '变更调查图层 per year; a re-import supersedes (never deletes) the previous one';
CREATE UNIQUE INDEX survey_layers_current_idx ON survey_layers (year, layer_name) WHERE superseded_at IS NULL;

CREATE TABLE survey_patches (
  id                  bigserial PRIMARY KEY,
  layer_id            bigint NOT NULL REFERENCES survey_layers (id),
  year                integer NOT NULL,
  bsm                 text,
  land_use_code       text,
  land_use_name       text,
  owner_unit_name     text,
  located_unit_name   text,
  patch_area_m2       numeric(16, 2),
  deduction_area_m2   numeric(16, 2),
  patch_land_area_m2  numeric(16, 2),
  urban_rural_code    text,
  attributes          jsonb NOT NULL DEFAULT '{}',
  geom                geometry(MultiPolygon, 4490) NOT NULL,
  geom_3857           geometry(MultiPolygon, 3857) NOT NULL,
  area_m2             double precision NOT NULL,
  updated_at          timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE survey_patches IS '地类图斑 (DLTB) of a survey layer; attributes keeps every field as delivered';
COMMENT ON COLUMN survey_patches.bsm IS 'BSM 标识码';
COMMENT ON COLUMN survey_patches.land_use_code IS 'DLBM 地类编码';
COMMENT ON COLUMN survey_patches.land_use_name IS 'DLMC 地类名称';
COMMENT ON COLUMN survey_patches.owner_unit_name IS 'QSDWMC 权属单位名称';
COMMENT ON COLUMN survey_patches.located_unit_name IS 'ZLDWMC 坐落单位名称';
COMMENT ON COLUMN survey_patches.patch_area_m2 IS 'TBMJ 图斑面积, m², as delivered';
COMMENT ON COLUMN survey_patches.deduction_area_m2 IS 'KCMJ 扣除地类面积, m²';
COMMENT ON COLUMN survey_patches.patch_land_area_m2 IS 'TBDLMJ 图斑地类面积, m²';
COMMENT ON COLUMN survey_patches.urban_rural_code IS 'CZCSXM 城镇村属性码';
COMMENT ON COLUMN survey_patches.area_m2 IS '椭球面积 computed by the product (CGCS2000), m²';
CREATE INDEX survey_patches_layer_idx ON survey_patches (layer_id);
CREATE INDEX survey_patches_geom_3857_idx ON survey_patches USING gist (geom_3857);
CREATE INDEX survey_patches_geom_idx ON survey_patches USING gist (geom);
CREATE TRIGGER survey_patches_derive BEFORE INSERT OR UPDATE ON survey_patches
  FOR EACH ROW EXECUTE FUNCTION derive_geometry_columns();

ALTER TABLE history DROP CONSTRAINT history_action_check;
ALTER TABLE history ADD CONSTRAINT history_action_check CHECK (action IN (
  'insert', 'update', 'delete', 'bulk_load', 'login', 'login_failed', 'logout', 'password_change', 'locked', 'import_commit', 'supersede'));

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    GRANT USAGE, CREATE ON SCHEMA staging TO biaotu_app;
    GRANT SELECT, INSERT, UPDATE ON imports, survey_layers, survey_patches TO biaotu_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO biaotu_app;
  END IF;
END;
$$;

-- Per-feature geometry check of a staged import: what is wrong, and the repaired geometry if any.
-- Never raises: a geometry PostGIS cannot even read is reported as rejected.
CREATE FUNCTION import_check_geometry(g geometry, OUT status text, OUT messages text[], OUT fixed geometry)
LANGUAGE plpgsql IMMUTABLE AS $$
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

-- Attribute text to a number, or NULL when it is not one (reported by the import, never raised).
CREATE FUNCTION import_to_numeric(value text) RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN nullif(trim(value), '')::numeric;
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END;
$$;
