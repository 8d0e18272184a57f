-- 招商地图 (seed 004 四(一) 因地招商: "对认定的闲置类低效用地进行梳理分析，明确规划用地要求，绘制全区“招商地图”，
-- 为闲置低效用地制定专属招商方案"). One 招商 listing per identified idle plot, written by officials and
-- versioned; the public page (/zhaoshang/, /api/public/zhaoshang/…) reads only the version an
-- official published, never the parcels table. Investors leave 意向 (inquiries) there.

CREATE TABLE zhaoshang_listings (
  id                 bigserial PRIMARY KEY,
  -- No foreign key: a parcel retired by a split or merge leaves `parcels`; its listing stays on record.
  parcel_id          bigint NOT NULL,
  district_code      text NOT NULL REFERENCES districts (code),
  version            integer NOT NULL CHECK (version >= 1),
  state              text NOT NULL CHECK (state IN ('draft', 'published', 'withdrawn')),
  published_version  integer,
  published_at       timestamptz,
  published_by       text,
  withdrawn_at       timestamptz,
  withdrawn_by       text,
  withdrawal_reason  text CHECK (char_length(withdrawal_reason) <= 200),
  created_by         text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_by         text NOT NULL,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK ((state = 'published') = (published_version IS NOT NULL)),
  CHECK (published_version IS NULL OR published_version <= version)
);
COMMENT ON TABLE zhaoshang_listings IS '招商地图: one 招商 listing per idle 低效用地 plot; 草稿 draft → 已发布 published ⇄ 已撤回 withdrawn; content in zhaoshang_listing_versions';
COMMENT ON COLUMN zhaoshang_listings.published_version IS 'the version the public page shows (null unless published); later edits wait for the next 发布';
CREATE UNIQUE INDEX zhaoshang_listings_parcel ON zhaoshang_listings (parcel_id);
CREATE INDEX zhaoshang_listings_district ON zhaoshang_listings (district_code, state);

CREATE TABLE zhaoshang_listing_versions (
  listing_id            bigint NOT NULL REFERENCES zhaoshang_listings (id),
  version               integer NOT NULL CHECK (version >= 1),
  change                text NOT NULL CHECK (change IN ('create', 'edit', 'publish', 'withdraw')),
  state                 text NOT NULL CHECK (state IN ('draft', 'published', 'withdrawn')),
  title                 text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 60),
  location              text CHECK (char_length(location) <= 100),
  planned_use           text NOT NULL CHECK (char_length(planned_use) BETWEEN 1 AND 50),
  floor_area_ratio_min  numeric(5, 2) CHECK (floor_area_ratio_min >= 0),
  floor_area_ratio_max  numeric(5, 2) CHECK (floor_area_ratio_max >= 0),
  building_density_max  numeric(5, 2) CHECK (building_density_max BETWEEN 0 AND 100),
  height_limit_m        numeric(6, 1) CHECK (height_limit_m >= 0),
  planning_notes        text CHECK (char_length(planning_notes) <= 500),
  target_industries     text[] NOT NULL,
  conditions            text CHECK (char_length(conditions) <= 1000),
  supply_mode           text CHECK (supply_mode IN ('transfer', 'lease', 'lease_then_transfer', 'cooperation')),
  contact_org           text NOT NULL,
  contact_name          text NOT NULL,
  contact_phone         text NOT NULL,
  contact_email         text,
  photo_document_ids    bigint[] NOT NULL DEFAULT '{}',
  -- The plot as it was when the version was written: the public page never reads `parcels`.
  geom                  geometry(MultiPolygon, 4490) NOT NULL,
  area_m2               double precision NOT NULL,
  note                  text CHECK (char_length(note) <= 200),
  created_by            text NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (listing_id, version),
  CHECK (floor_area_ratio_min IS NULL OR floor_area_ratio_max IS NULL OR floor_area_ratio_min <= floor_area_ratio_max)
);
COMMENT ON TABLE zhaoshang_listing_versions IS 'every version of every 招商 listing (append-only): the 规划条件, the 专属招商方案, the public photos, the plot''s shape and area then';
COMMENT ON COLUMN zhaoshang_listing_versions.building_density_max IS '建筑密度上限, %';
COMMENT ON COLUMN zhaoshang_listing_versions.height_limit_m IS '限高, m';
COMMENT ON COLUMN zhaoshang_listing_versions.supply_mode IS '供地方式: transfer 出让 / lease 租赁 / lease_then_transfer 先租后让 / cooperation 合作开发';
COMMENT ON COLUMN zhaoshang_listing_versions.photo_document_ids IS 'parcel_documents (category photo) an official chose to show the public';
COMMENT ON COLUMN zhaoshang_listing_versions.area_m2 IS '椭球面积 (CGCS2000) of geom, m²';
CREATE INDEX zhaoshang_listing_versions_geom ON zhaoshang_listing_versions USING gist (geom);

CREATE TABLE zhaoshang_inquiries (
  id                   bigserial PRIMARY KEY,
  listing_id           bigint REFERENCES zhaoshang_listings (id),
  listing_version      integer,
  name                 text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 30),
  company              text CHECK (char_length(company) <= 100),
  phone                text NOT NULL CHECK (char_length(phone) <= 30),
  email                text CHECK (char_length(email) <= 254),
  industry             text NOT NULL CHECK (char_length(industry) BETWEEN 1 AND 50),
  message              text CHECK (char_length(message) <= 1000),
  submitted_at         timestamptz NOT NULL DEFAULT now(),
  state                text NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'handled')),
  handled_by           text,
  handled_at           timestamptz,
  handling_note        text CHECK (char_length(handling_note) <= 500),
  matched_listing_ids  bigint[] NOT NULL DEFAULT '{}',
  CHECK ((state = 'handled') = (handled_at IS NOT NULL))
);
COMMENT ON TABLE zhaoshang_inquiries IS '投资意向 an investor submitted on the public 招商地图 (no account), and how officials handled and matched it to plots';
CREATE INDEX zhaoshang_inquiries_listing ON zhaoshang_inquiries (listing_id);
CREATE INDEX zhaoshang_inquiries_state ON zhaoshang_inquiries (state, submitted_at DESC);

CREATE FUNCTION zhaoshang_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '招商 listing versions are written once: add a new version instead';
END;
$$;
CREATE TRIGGER zhaoshang_listing_versions_append_only BEFORE UPDATE OR DELETE ON zhaoshang_listing_versions
  FOR EACH ROW EXECUTE FUNCTION zhaoshang_versions_append_only();

-- Every write is on the audit log (history): who, when, which request, before and after.
CREATE TRIGGER zhaoshang_listings_history AFTER INSERT OR UPDATE ON zhaoshang_listings
  FOR EACH ROW EXECUTE FUNCTION record_history('id');
CREATE TRIGGER zhaoshang_listing_versions_history AFTER INSERT ON zhaoshang_listing_versions
  FOR EACH ROW EXECUTE FUNCTION record_history('listing_id', 'geom');
CREATE TRIGGER zhaoshang_inquiries_history AFTER INSERT OR UPDATE ON zhaoshang_inquiries
  FOR EACH ROW EXECUTE FUNCTION record_history('id');

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    REVOKE ALL ON zhaoshang_listings, zhaoshang_listing_versions, zhaoshang_inquiries FROM biaotu_app;
    GRANT SELECT, INSERT, UPDATE ON zhaoshang_listings, zhaoshang_inquiries TO biaotu_app;
    GRANT SELECT, INSERT ON zhaoshang_listing_versions TO biaotu_app;
    GRANT USAGE, SELECT ON SEQUENCE zhaoshang_listings_id_seq, zhaoshang_inquiries_id_seq TO biaotu_app;
  END IF;
END;
$$;
