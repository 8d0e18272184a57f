-- 底数上图入库 and its submission (issue 18 item 4; seed 004 五(二) "2024年3月底前，完成低效用地底数和历史遗留
-- 用地上图入库，经区人民政府同意后，提交市规划资源局审核"): a district assembles its stock as a dated package
-- (低效用地 parcels, 历史遗留用地, 问题清单: a snapshot of each record), reports it to the 区人民政府, records
-- its consent (文号, date, the document), submits it to the city, which passes or returns it (退回 with
-- remarks; the district then assembles the next version). From 已报区政府 on, the snapshot is frozen.

CREATE TABLE stock_packages (
  id                  bigserial PRIMARY KEY,
  district_code       text NOT NULL REFERENCES districts (code),
  version             integer NOT NULL CHECK (version > 0),
  as_of               date NOT NULL,
  title               text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  status              text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'reported', 'consented', 'submitted', 'approved', 'returned')),
  status_at           timestamptz NOT NULL DEFAULT now(),
  previous_id         bigint REFERENCES stock_packages (id),
  assembled_at        timestamptz NOT NULL DEFAULT now(),
  assembled_by        text NOT NULL,
  consent_document_no text CHECK (char_length(consent_document_no) BETWEEN 1 AND 100),
  consent_date        date,
  consent_note        text CHECK (char_length(consent_note) <= 2000),
  consent_file_name   text CHECK (char_length(consent_file_name) BETWEEN 1 AND 200),
  consent_media_type  text,
  consent_byte_size   bigint CHECK (consent_byte_size > 0),
  consent_sha256      text CHECK (consent_sha256 ~ '^[0-9a-f]{64}$'),
  review_remarks      text CHECK (char_length(review_remarks) <= 4000),
  created_by          text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_by          text NOT NULL,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (district_code, version),
  CHECK (status IN ('draft', 'reported') OR (consent_document_no IS NOT NULL AND consent_date IS NOT NULL AND consent_sha256 IS NOT NULL)),
  CHECK (status <> 'returned' OR review_remarks IS NOT NULL)
);
COMMENT ON TABLE stock_packages IS '底数上图入库成果包 (seed 004 五(二)): a district''s 两库一清单 as of a date, its 区政府 consent and the city''s review; items in stock_package_items, steps in stock_package_steps';
COMMENT ON COLUMN stock_packages.version IS 'per district: 1, 2, … (a package returned by the city is followed by the next version)';
COMMENT ON COLUMN stock_packages.as_of IS '数据截至日期 (China date of the latest assembly)';
COMMENT ON COLUMN stock_packages.status IS 'draft 编制中 → reported 已报区政府 → consented 区政府已同意 → submitted 已提交市局 → approved 通过 / returned 退回 (domain/stock-packages.ts)';
COMMENT ON COLUMN stock_packages.previous_id IS 'the package of the district this one follows (compared with by default)';
COMMENT ON COLUMN stock_packages.consent_document_no IS '区人民政府同意的文号';
COMMENT ON COLUMN stock_packages.consent_sha256 IS 'the consent document (bytes in stock_package_files)';
COMMENT ON COLUMN stock_packages.review_remarks IS '市规划资源局审核意见 (required when 退回)';
-- One package per district on the district's side (编制中, 已报区政府, 区政府已同意) at a time.
CREATE UNIQUE INDEX stock_packages_open ON stock_packages (district_code) WHERE status IN ('draft', 'reported', 'consented');
CREATE INDEX stock_packages_district ON stock_packages (district_code, version DESC);

CREATE FUNCTION stock_packages_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
CREATE TRIGGER stock_packages_touch BEFORE UPDATE ON stock_packages FOR EACH ROW EXECUTE FUNCTION stock_packages_touch();
CREATE TRIGGER stock_packages_history AFTER INSERT OR UPDATE ON stock_packages FOR EACH ROW EXECUTE FUNCTION record_history('id');
CREATE FUNCTION stock_packages_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stock packages are on record, never deleted';
END;
$$;
CREATE TRIGGER stock_packages_no_delete BEFORE DELETE ON stock_packages FOR EACH ROW EXECUTE FUNCTION stock_packages_no_delete();

CREATE TABLE stock_package_items (
  package_id bigint NOT NULL REFERENCES stock_packages (id),
  kind       text NOT NULL CHECK (kind IN ('parcel', 'legacy', 'problem')),
  item_id    bigint NOT NULL,
  item_key   text NOT NULL,
  fields     jsonb NOT NULL,
  geom       geometry(MultiPolygon, 4490),
  geom_hash  text,
  area_m2    double precision,
  PRIMARY KEY (package_id, kind, item_id),
  CHECK ((kind = 'problem') = (geom IS NULL))
);
COMMENT ON TABLE stock_package_items IS 'the snapshot of a package: each parcel (低效用地), 历史遗留用地 record and problem as it stood at assembly; frozen once the package leaves 编制中';
COMMENT ON COLUMN stock_package_items.item_id IS 'id of the parcel, legacy_lands or stock_problems row';
COMMENT ON COLUMN stock_package_items.item_key IS '宗地编号 / 遗留用地编号 / 问题编号';
COMMENT ON COLUMN stock_package_items.fields IS 'the whole row as it stood (to_jsonb, without geometry): jsonb_populate_record(NULL::parcels, fields) reads it back';
COMMENT ON COLUMN stock_package_items.geom_hash IS 'md5 of the geometry (WKB): a changed shape between two packages';
COMMENT ON COLUMN stock_package_items.area_m2 IS '椭球面积 (CGCS2000), m², as it stood';
CREATE INDEX stock_package_items_geom ON stock_package_items USING gist (geom);

-- Frozen: items are written and removed only while their package is 编制中.
CREATE FUNCTION stock_package_items_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  package_status text;
BEGIN
  SELECT status INTO package_status FROM stock_packages WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.package_id ELSE OLD.package_id END;
  IF package_status IS DISTINCT FROM 'draft' THEN
    RAISE EXCEPTION 'stock package % is % : its contents are frozen', CASE WHEN TG_OP = 'INSERT' THEN NEW.package_id ELSE OLD.package_id END, package_status;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
CREATE TRIGGER stock_package_items_frozen BEFORE INSERT OR UPDATE OR DELETE ON stock_package_items FOR EACH ROW EXECUTE FUNCTION stock_package_items_frozen();

CREATE TABLE stock_package_steps (
  id          bigserial PRIMARY KEY,
  package_id  bigint NOT NULL REFERENCES stock_packages (id),
  from_status text,
  to_status   text NOT NULL,
  reason      text CHECK (char_length(reason) <= 4000),
  actor       text NOT NULL,
  actor_name  text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE stock_package_steps IS 'every step of a package (assembly and re-assembly included): who, when, why; written once';
CREATE INDEX stock_package_steps_package ON stock_package_steps (package_id, id);
CREATE TRIGGER stock_package_steps_append_only BEFORE UPDATE OR DELETE ON stock_package_steps FOR EACH ROW EXECUTE FUNCTION stock_steps_append_only();
CREATE TRIGGER stock_package_steps_history AFTER INSERT ON stock_package_steps FOR EACH ROW EXECUTE FUNCTION record_history('package_id');

CREATE TABLE stock_package_files (
  package_id bigint PRIMARY KEY REFERENCES stock_packages (id),
  content    bytea NOT NULL
);
COMMENT ON TABLE stock_package_files IS 'the 区人民政府 consent document of a package, as uploaded; written once';
CREATE FUNCTION stock_package_files_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'consent documents are written once';
END;
$$;
CREATE TRIGGER stock_package_files_guard BEFORE UPDATE OR DELETE ON stock_package_files FOR EACH ROW EXECUTE FUNCTION stock_package_files_guard();

-- A package is exported through the export jobs (layer stock-package: GeoPackage and Excel).
ALTER TABLE exports DROP CONSTRAINT exports_layer_check;
ALTER TABLE exports ADD CONSTRAINT exports_layer_check
  CHECK (layer = ANY (ARRAY['parcels', 'survey', 'areas', 'district-figures', 'area-report', 'parcel-card', 'stock-package']));

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    REVOKE ALL ON stock_packages, stock_package_items, stock_package_steps, stock_package_files FROM biaotu_app;
    GRANT SELECT, INSERT, UPDATE ON stock_packages TO biaotu_app;
    GRANT SELECT, INSERT, DELETE ON stock_package_items TO biaotu_app;
    GRANT SELECT, INSERT ON stock_package_steps, stock_package_files TO biaotu_app;
    GRANT USAGE, SELECT ON SEQUENCE stock_packages_id_seq, stock_package_steps_id_seq TO biaotu_app;
  END IF;
END;
$$;
