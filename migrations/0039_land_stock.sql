-- 两库一清单 (issue 18 items 1–3; seed 004 三(一) "形成“两库一清单”（低效用地数据库、历史遗留用地数据库和问题清单）"):
-- 1. every parcel carries its 低效用地类别 (低效工业 / 低效商业服务业 / 低效居住 / 低效设施 / 空闲地) and the
--    unit that reports it (seed 004 附件: 产促局 工业, 街道办 商办, 住建委 城中村·老旧小区·烂尾楼盘, 国资委
--    国有资产 另行填报, other departments 设施); 低效居住 also its kind and 建设手续情况;
-- 2. legacy_lands: 历史遗留用地 (built without legal procedures), with its 国土调查 图斑, period, standard and
--    disposal policy, and its state (待认定 → 已认定 → 处置中 → 已处置), every step on record;
-- 3. stock_problems: the 问题清单 (难点堵点), numbered per district and year, with its state and outcome;
-- and stock_lists: the configurable lists (periods, problem categories) as versioned data with sources.

-- 1. Categories ------------------------------------------------------------------------------------

ALTER TABLE parcels
  ADD COLUMN land_category text CHECK (land_category IN ('industrial', 'commercial', 'residential', 'facility', 'vacant')),
  ADD COLUMN reporting_unit text CHECK (reporting_unit IN ('chancu', 'jiedao', 'zhujian', 'guozi', 'other')),
  ADD COLUMN residential_kind text CHECK (residential_kind IN ('urban_village', 'old_community', 'stalled_project')),
  ADD COLUMN construction_permits text CHECK (char_length(construction_permits) <= 500);
COMMENT ON COLUMN parcels.land_category IS '低效用地类别 (domain/land-categories.ts): industrial 低效工业, commercial 低效商业服务业, residential 低效居住, facility 低效设施, vacant 空闲地; NULL = 未分类';
COMMENT ON COLUMN parcels.reporting_unit IS '填报单位 (seed 004 附件): chancu 区产业发展促进局, jiedao 街道办事处, zhujian 区住房城乡建设委, guozi 区国资委, other 其他相关部门';
COMMENT ON COLUMN parcels.residential_kind IS '低效居住的类型: urban_village 城中村, old_community 老旧小区, stalled_project 烂尾楼盘';
COMMENT ON COLUMN parcels.construction_permits IS '建设手续情况 (住建委提供; 低效居住)';

-- The category a parcel's 地类 suggests (三调 codes; domain/land-categories.ts categoryOfLandUse is the same rule).
CREATE FUNCTION land_category_of(land_use text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN land_use IS NULL THEN NULL
    WHEN land_use LIKE '06%' OR land_use = '0508' OR land_use LIKE '1001%' THEN 'industrial'
    WHEN land_use LIKE '05%' THEN 'commercial'
    WHEN land_use LIKE '07%' THEN 'residential'
    WHEN land_use LIKE '08%' OR land_use LIKE '09%' OR land_use LIKE '10%' OR land_use LIKE '13%' THEN 'facility'
    WHEN land_use = '1201' THEN 'vacant'
    ELSE NULL
  END
$$;

-- The unit that reports a category (seed 004 附件 部门责任清单); 国资 parcels are set by hand.
CREATE FUNCTION reporting_unit_of(category text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE category
    WHEN 'industrial' THEN 'chancu'
    WHEN 'commercial' THEN 'jiedao'
    WHEN 'residential' THEN 'zhujian'
    WHEN 'facility' THEN 'other'
    WHEN 'vacant' THEN 'other'
  END
$$;

-- A new parcel without a category takes the one its 地类 suggests, and the unit of its category.
CREATE FUNCTION parcels_category_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.land_category IS NULL THEN NEW.land_category := land_category_of(NEW.land_use_code); END IF;
  IF NEW.reporting_unit IS NULL THEN NEW.reporting_unit := reporting_unit_of(NEW.land_category); END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER parcels_category_default BEFORE INSERT ON parcels
  FOR EACH ROW EXECUTE FUNCTION parcels_category_default();

-- Existing parcels: the category of their 地类 (industrial land → 低效工业), as one bulk entry on record.
DO $$
DECLARE
  changed integer;
BEGIN
  PERFORM set_config('app.bulk_load', 'on', true);
  PERFORM set_config('app.actor', 'migration-0039', true);
  UPDATE parcels SET land_category = land_category_of(land_use_code), reporting_unit = reporting_unit_of(land_category_of(land_use_code))
  WHERE land_category_of(land_use_code) IS NOT NULL;
  GET DIAGNOSTICS changed = ROW_COUNT;
  IF changed > 0 THEN
    INSERT INTO history (entity, entity_id, action, actor, before, after)
    VALUES ('parcels', '*', 'bulk_load', 'migration-0039', NULL,
            jsonb_build_object('landCategory', changed, 'rule', 'land_category_of(land_use_code): 06xx/0508/1001xx 低效工业, 05xx 低效商业服务业, 07xx 低效居住, 08–10/13 低效设施, 1201 空闲地'));
  END IF;
  PERFORM set_config('app.bulk_load', 'off', true);
END;
$$;
CREATE INDEX parcels_land_category ON parcels (land_category, district_code);
-- Parcel tiles now carry `category`: tiles cached before it are stale.
UPDATE tile_epochs SET epoch = epoch + 1 WHERE family = 'parcels';

-- Configurable lists ----------------------------------------------------------------------------

CREATE TABLE stock_lists (
  kind       text NOT NULL CHECK (kind IN ('legacy_period', 'problem_category')),
  version    integer NOT NULL CHECK (version > 0),
  items      jsonb NOT NULL CHECK (jsonb_typeof(items) = 'array' AND jsonb_array_length(items) > 0),
  source     text NOT NULL CHECK (char_length(source) BETWEEN 1 AND 1000),
  local_rule boolean NOT NULL DEFAULT false,
  note       text CHECK (char_length(note) <= 1000),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, version)
);
COMMENT ON TABLE stock_lists IS 'configurable lists of 两库一清单 (历史遗留用地的发生时期, 问题类别), each version kept: items [{code, label, note}] with the source';
CREATE FUNCTION stock_lists_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stock list versions are kept as written: add a new version';
END;
$$;
CREATE TRIGGER stock_lists_append_only BEFORE UPDATE OR DELETE ON stock_lists FOR EACH ROW EXECUTE FUNCTION stock_lists_append_only();
CREATE TRIGGER stock_lists_history AFTER INSERT ON stock_lists FOR EACH ROW EXECUTE FUNCTION record_history('kind');

INSERT INTO stock_lists (kind, version, items, source, local_rule, note, created_by) VALUES
('legacy_period', 1, '[
  {"code": "before_2nd", "label": "二调前", "note": "第二次全国土地调查（标准时点 2009-12-31）之前形成"},
  {"code": "2nd_to_3rd", "label": "二调至三调", "note": "二调之后、第三次全国国土调查（标准时点 2019-12-31）之前形成"},
  {"code": "after_3rd", "label": "三调后", "note": "三调之后形成（年度国土变更调查发现）"}
]', '河东区低效用地再开发试点工作实施方案 三(三)3：“对于历史形成的没有合法用地手续的建设用地，根据全国国土调查结果，区分发生的不同时期，分类明确认定标准和处置政策”。分期节点为本地规则（种子文件未列出具体时期）。', true,
 '时点取二调（2009-12-31）与三调（2019-12-31）的标准时点', 'migration-0039'),
('problem_category', 1, '[
  {"code": "planning", "label": "规划不符/需调整"},
  {"code": "ownership", "label": "权属不清/产权纠纷"},
  {"code": "procedures", "label": "手续不全/历史遗留"},
  {"code": "funding", "label": "资金平衡困难"},
  {"code": "willingness", "label": "权利人意愿不足"},
  {"code": "environment", "label": "环保/安全问题"},
  {"code": "policy", "label": "政策缺位/需创新"},
  {"code": "other", "label": "其他"}
]', '河东区低效用地再开发试点工作实施方案 三(一)：“针对存在问题和盘活诉求，系统梳理影响低效用地再开发的难点堵点”。类别为本地规则（种子文件未列出类别）。', true, NULL, 'migration-0039');

-- Numbers per district, year and kind.
CREATE TABLE stock_counters (
  district_code text NOT NULL REFERENCES districts (code),
  year          integer NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('legacy', 'problem')),
  last          integer NOT NULL CHECK (last > 0),
  PRIMARY KEY (district_code, year, kind)
);
COMMENT ON TABLE stock_counters IS 'last number given per district, year and kind (legacy 历史遗留用地 LS, problem 问题清单 WT)';

-- 2. 历史遗留用地 -------------------------------------------------------------------------------------

CREATE TABLE legacy_lands (
  id              bigserial PRIMARY KEY,
  number          text NOT NULL UNIQUE,
  district_code   text NOT NULL REFERENCES districts (code),
  year            integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
  sequence        integer NOT NULL CHECK (sequence > 0),
  name            text CHECK (char_length(name) <= 200),
  location        text CHECK (char_length(location) <= 300),
  user_name       text CHECK (char_length(user_name) <= 200),
  current_use     text NOT NULL CHECK (char_length(current_use) BETWEEN 1 AND 200),
  land_use_code   text CHECK (land_use_code ~ '^[0-9A-Z]{2,6}$'),
  floor_area_m2   double precision CHECK (floor_area_m2 >= 0 AND floor_area_m2 <= 1e9),
  period          text NOT NULL,
  period_version  integer NOT NULL,
  survey_year     integer CHECK (survey_year BETWEEN 1990 AND 2100),
  survey_bsm      text CHECK (char_length(survey_bsm) <= 40),
  standard        text CHECK (char_length(standard) <= 2000),
  disposal_policy text CHECK (char_length(disposal_policy) <= 2000),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'disposing', 'disposed')),
  status_at       timestamptz NOT NULL DEFAULT now(),
  note            text CHECK (char_length(note) <= 2000),
  source          text NOT NULL DEFAULT 'drawn' CHECK (source IN ('drawn', 'imported', 'demo')),
  geom            geometry(MultiPolygon, 4490) NOT NULL,
  geom_3857       geometry(MultiPolygon, 3857) NOT NULL,
  area_m2         double precision NOT NULL,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_by      text NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  version         integer NOT NULL DEFAULT 1,
  UNIQUE (district_code, year, sequence)
);
COMMENT ON TABLE legacy_lands IS '历史遗留用地数据库 (seed 004 三(一), 三(三)3): land built without legal procedures, found from the 国土调查';
COMMENT ON COLUMN legacy_lands.number IS '编号 <区县代码>-LS-<年>-<4 位序号>, per district and year';
COMMENT ON COLUMN legacy_lands.current_use IS '现状用途 (as surveyed)';
COMMENT ON COLUMN legacy_lands.period IS '发生时期: a code of the stock_lists legacy_period list of version period_version (the version it was chosen from)';
COMMENT ON COLUMN legacy_lands.survey_year IS '发现它的国土调查（变更调查）年度';
COMMENT ON COLUMN legacy_lands.survey_bsm IS '该年度调查图斑的标识码 BSM';
COMMENT ON COLUMN legacy_lands.standard IS '适用的认定标准';
COMMENT ON COLUMN legacy_lands.disposal_policy IS '适用的处置政策';
COMMENT ON COLUMN legacy_lands.status IS 'pending 待认定 → confirmed 已认定 → disposing 处置中 → disposed 已处置 (domain/legacy-land.ts); steps in legacy_land_steps';
COMMENT ON COLUMN legacy_lands.area_m2 IS '椭球面积 (CGCS2000), m², derived';
CREATE INDEX legacy_lands_geom ON legacy_lands USING gist (geom);
CREATE INDEX legacy_lands_district ON legacy_lands (district_code, status);

CREATE FUNCTION legacy_lands_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END;
$$;
CREATE TRIGGER legacy_lands_derive BEFORE INSERT OR UPDATE ON legacy_lands FOR EACH ROW EXECUTE FUNCTION derive_geometry_columns();
CREATE TRIGGER legacy_lands_touch BEFORE UPDATE ON legacy_lands FOR EACH ROW EXECUTE FUNCTION legacy_lands_touch();
CREATE TRIGGER legacy_lands_history AFTER INSERT OR UPDATE ON legacy_lands FOR EACH ROW EXECUTE FUNCTION record_history('id');

CREATE TABLE legacy_land_steps (
  id          bigserial PRIMARY KEY,
  legacy_id   bigint NOT NULL REFERENCES legacy_lands (id),
  from_status text NOT NULL,
  to_status   text NOT NULL,
  reason      text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 2000),
  actor       text NOT NULL,
  actor_name  text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE legacy_land_steps IS 'every state change of a 历史遗留用地 record: who, when, why; written once';
CREATE INDEX legacy_land_steps_legacy ON legacy_land_steps (legacy_id, id);

-- 3. 问题清单 -----------------------------------------------------------------------------------------

CREATE TABLE stock_problems (
  id               bigserial PRIMARY KEY,
  number           text NOT NULL UNIQUE,
  district_code    text NOT NULL REFERENCES districts (code),
  year             integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
  sequence         integer NOT NULL CHECK (sequence > 0),
  category         text NOT NULL,
  category_version integer NOT NULL,
  title            text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  description      text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 4000),
  owner_request    text CHECK (char_length(owner_request) <= 2000),
  department       text NOT NULL,
  due_date         date,
  parcel_ids       bigint[] NOT NULL DEFAULT '{}',
  area_ids         bigint[] NOT NULL DEFAULT '{}',
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'working', 'resolved', 'unresolvable')),
  status_at        timestamptz NOT NULL DEFAULT now(),
  outcome          text CHECK (char_length(outcome) <= 4000),
  created_by       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_by       text NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  version          integer NOT NULL DEFAULT 1,
  UNIQUE (district_code, year, sequence),
  CHECK (status NOT IN ('resolved', 'unresolvable') OR outcome IS NOT NULL)
);
COMMENT ON TABLE stock_problems IS '问题清单 (seed 004 三(一)): problems blocking the redevelopment of 低效用地, with the owner''s 盘活诉求, the responsible department, due date, state and outcome';
COMMENT ON COLUMN stock_problems.number IS '编号 <区县代码>-WT-<年>-<4 位序号>, per district and year';
COMMENT ON COLUMN stock_problems.category IS '问题类别: a code of the stock_lists problem_category list of version category_version';
COMMENT ON COLUMN stock_problems.department IS '责任部门 (domain/departments.ts STOCK_DEPARTMENTS)';
COMMENT ON COLUMN stock_problems.status IS 'open 待办 → working 办理中 → resolved 已解决 / unresolvable 无法解决 (domain/problems.ts); steps in stock_problem_steps';
COMMENT ON COLUMN stock_problems.parcel_ids IS 'linked parcels (ids); a parcel retired later stays listed';
COMMENT ON COLUMN stock_problems.area_ids IS 'linked 成片改造区域 (ids)';
CREATE INDEX stock_problems_district ON stock_problems (district_code, status, department);

CREATE FUNCTION stock_problems_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
CREATE TRIGGER stock_problems_touch BEFORE UPDATE ON stock_problems FOR EACH ROW EXECUTE FUNCTION stock_problems_touch();
CREATE TRIGGER stock_problems_history AFTER INSERT OR UPDATE ON stock_problems FOR EACH ROW EXECUTE FUNCTION record_history('id');

CREATE TABLE stock_problem_steps (
  id          bigserial PRIMARY KEY,
  problem_id  bigint NOT NULL REFERENCES stock_problems (id),
  from_status text NOT NULL,
  to_status   text NOT NULL,
  note        text CHECK (char_length(note) <= 4000),
  actor       text NOT NULL,
  actor_name  text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE stock_problem_steps IS 'every state change of a problem: who, when, with what note or outcome; written once';
CREATE INDEX stock_problem_steps_problem ON stock_problem_steps (problem_id, id);

CREATE FUNCTION stock_steps_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are written once', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER legacy_land_steps_append_only BEFORE UPDATE OR DELETE ON legacy_land_steps FOR EACH ROW EXECUTE FUNCTION stock_steps_append_only();
CREATE TRIGGER stock_problem_steps_append_only BEFORE UPDATE OR DELETE ON stock_problem_steps FOR EACH ROW EXECUTE FUNCTION stock_steps_append_only();
CREATE TRIGGER legacy_land_steps_history AFTER INSERT ON legacy_land_steps FOR EACH ROW EXECUTE FUNCTION record_history('legacy_id');
CREATE TRIGGER stock_problem_steps_history AFTER INSERT ON stock_problem_steps FOR EACH ROW EXECUTE FUNCTION record_history('problem_id');

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    REVOKE ALL ON stock_lists, stock_counters, legacy_lands, legacy_land_steps, stock_problems, stock_problem_steps FROM biaotu_app;
    GRANT SELECT, INSERT ON stock_lists, legacy_land_steps, stock_problem_steps TO biaotu_app;
    GRANT SELECT, INSERT, UPDATE ON stock_counters TO biaotu_app;
    GRANT SELECT, INSERT, UPDATE ON legacy_lands, stock_problems TO biaotu_app;
    GRANT USAGE, SELECT ON SEQUENCE legacy_lands_id_seq, legacy_land_steps_id_seq, stock_problems_id_seq, stock_problem_steps_id_seq TO biaotu_app;
  END IF;
END;
$$;
