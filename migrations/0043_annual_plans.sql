-- 年度实施计划 and 台账 (issue 18 item 5; seed 004 三(二)2 "每年底编制完成下一年度低效用地再开发实施计划，
-- 明确开发主体、实施内容、进度时序", 三(四) "工作项目化、项目目标化、目标节点化、节点责任化", 四 再开发模式;
-- seed 000 五(三) 1–2 个试点项目 per district):
-- annual_plans: one plan per district and year, 编制中 → 专班审定 → 已下达 (steps in annual_plan_steps);
-- plan_projects: its projects (parcels and/or 成片改造区域, 开发主体, 实施内容, 盘活模式, 实施方案, 试点);
-- plan_milestones: each project's 节点 (name, planned date, responsible unit, done date);
-- annual_plan_policies: the 盘活模式 list and the 试点 count per district, versioned with their sources.
-- The state machine is pure code in domain/annual-plans.ts.

CREATE TABLE annual_plan_policies (
  version    integer PRIMARY KEY CHECK (version > 0),
  modes      jsonb NOT NULL CHECK (jsonb_typeof(modes) = 'array' AND jsonb_array_length(modes) > 0),
  pilot_min  integer NOT NULL CHECK (pilot_min >= 0),
  pilot_max  integer NOT NULL CHECK (pilot_max >= 1),
  source     text NOT NULL CHECK (char_length(source) BETWEEN 1 AND 2000),
  local_rule boolean NOT NULL DEFAULT false,
  note       text CHECK (char_length(note) <= 1000),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (pilot_min <= pilot_max)
);
COMMENT ON TABLE annual_plan_policies IS '年度实施计划的规则: 盘活模式 list [{code, label, note}] and the 试点 count per district and plan (pilot_min..pilot_max, more is a warning), each version kept with its source';
CREATE TRIGGER annual_plan_policies_append_only BEFORE UPDATE OR DELETE ON annual_plan_policies FOR EACH ROW EXECUTE FUNCTION stock_lists_append_only();
CREATE TRIGGER annual_plan_policies_history AFTER INSERT ON annual_plan_policies FOR EACH ROW EXECUTE FUNCTION record_history('version');

INSERT INTO annual_plan_policies (version, modes, pilot_min, pilot_max, source, local_rule, note, created_by) VALUES
(1, '[
  {"code": "zhaoshang", "label": "因地招商", "note": "闲置低效用地：明确规划用地要求，绘制招商地图，制定专属招商方案，定向招商、以商招商"},
  {"code": "jigai", "label": "技改升级", "note": "政策、资金和技术扶持，企业自主升级改造，提质增效"},
  {"code": "zhenghe", "label": "整合重组", "note": "停产企业通过租赁、重组、收购、兼并整合重组，或依法破产清算退出后二次招商"},
  {"code": "shouchu", "label": "收储出让", "note": "土地整理储备机构收储、资产收购，整理达到净地后公开出让"},
  {"code": "zonghe", "label": "综合施策", "note": "无力技改或难以收回的闲置用地，综合运用政策、能源、环保等措施，关停、搬迁、集聚升级"}
]', 1, 2,
 '盘活模式：河东区低效用地再开发试点工作实施方案 四、再开发模式（一）因地招商（二）技改升级（三）整合重组（四）收储出让（五）综合施策。试点项目数：厦门市低效工业用地再开发试点工作方案 五(三)“各区、开发区……筛选１~２个……试点项目”。',
 false, '超过试点上限时提示（不拒绝），各地可修订', 'migration-0043');

CREATE TABLE annual_plans (
  id             bigserial PRIMARY KEY,
  district_code  text NOT NULL REFERENCES districts (code),
  year           integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
  title          text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  note           text CHECK (char_length(note) <= 4000),
  state          text NOT NULL DEFAULT 'drafting' CHECK (state IN ('drafting', 'reviewed', 'issued')),
  state_at       timestamptz NOT NULL DEFAULT now(),
  policy_version integer NOT NULL REFERENCES annual_plan_policies (version),
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_by     text NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  version        integer NOT NULL DEFAULT 1,
  UNIQUE (district_code, year)
);
COMMENT ON TABLE annual_plans IS '低效用地再开发年度实施计划 (seed 004 三(二)2), one per district and year: drafting 编制中 → reviewed 专班审定 → issued 已下达';
COMMENT ON COLUMN annual_plans.policy_version IS 'the annual_plan_policies version its projects chose their 盘活模式 from';

CREATE TABLE annual_plan_steps (
  id         bigserial PRIMARY KEY,
  plan_id    bigint NOT NULL REFERENCES annual_plans (id),
  from_state text NOT NULL,
  to_state   text NOT NULL,
  reason     text CHECK (char_length(reason) <= 4000),
  actor      text NOT NULL,
  actor_name text NOT NULL,
  at         timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE annual_plan_steps IS 'every state change of a plan: who, when, why; written once';
CREATE INDEX annual_plan_steps_plan ON annual_plan_steps (plan_id, id);

CREATE TABLE plan_projects (
  id            bigserial PRIMARY KEY,
  plan_id       bigint NOT NULL REFERENCES annual_plans (id),
  name          text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  developer     text NOT NULL CHECK (char_length(developer) BETWEEN 1 AND 200),
  content       text NOT NULL CHECK (char_length(content) BETWEEN 1 AND 4000),
  mode          text NOT NULL,
  parcel_ids    bigint[] NOT NULL DEFAULT '{}',
  area_ids      bigint[] NOT NULL DEFAULT '{}',
  pilot         boolean NOT NULL DEFAULT false,
  scheme        jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(scheme) = 'object'),
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_by    text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  version       integer NOT NULL DEFAULT 1,
  CHECK (cardinality(parcel_ids) + cardinality(area_ids) > 0)
);
COMMENT ON TABLE plan_projects IS '年度实施计划的项目 (工作项目化): parcels and/or 成片改造区域, 开发主体, 实施内容, 盘活模式, 实施方案, 试点';
COMMENT ON COLUMN plan_projects.mode IS '盘活模式: a code of the plan''s annual_plan_policies modes (seed 004 四)';
COMMENT ON COLUMN plan_projects.scheme IS '再开发实施方案 (seed 004 三(四)1): {mode 盘活模式, renovation 改造计划, operation 项目运营计划, funding 资金平衡测算及筹措, schedule 建设时序}';
COMMENT ON COLUMN plan_projects.parcel_ids IS 'linked parcels (ids); a parcel retired later stays listed';
COMMENT ON COLUMN plan_projects.area_ids IS 'linked 成片改造区域 (ids)';
CREATE INDEX plan_projects_plan ON plan_projects (plan_id, id);

CREATE TABLE plan_milestones (
  id               bigserial PRIMARY KEY,
  project_id       bigint NOT NULL REFERENCES plan_projects (id),
  name             text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  planned_date     date NOT NULL,
  responsible_unit text NOT NULL CHECK (char_length(responsible_unit) BETWEEN 1 AND 200),
  done_date        date,
  note             text CHECK (char_length(note) <= 2000),
  created_by       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_by       text NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  version          integer NOT NULL DEFAULT 1
);
COMMENT ON TABLE plan_milestones IS '项目节点 (目标节点化、节点责任化): planned date, responsible unit, done date; overdue = not done and planned before today (domain/annual-plans.ts)';
CREATE INDEX plan_milestones_project ON plan_milestones (project_id, planned_date, id);

CREATE FUNCTION annual_plans_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% rows are kept on record, never deleted', TG_TABLE_NAME;
  END IF;
  NEW.version := OLD.version + 1;
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
CREATE TRIGGER annual_plans_touch BEFORE UPDATE OR DELETE ON annual_plans FOR EACH ROW EXECUTE FUNCTION annual_plans_touch();
CREATE TRIGGER plan_projects_touch BEFORE UPDATE OR DELETE ON plan_projects FOR EACH ROW EXECUTE FUNCTION annual_plans_touch();
CREATE TRIGGER plan_milestones_touch BEFORE UPDATE OR DELETE ON plan_milestones FOR EACH ROW EXECUTE FUNCTION annual_plans_touch();
CREATE TRIGGER annual_plan_steps_append_only BEFORE UPDATE OR DELETE ON annual_plan_steps FOR EACH ROW EXECUTE FUNCTION stock_steps_append_only();

CREATE TRIGGER annual_plans_history AFTER INSERT OR UPDATE ON annual_plans FOR EACH ROW EXECUTE FUNCTION record_history('id');
CREATE TRIGGER annual_plan_steps_history AFTER INSERT ON annual_plan_steps FOR EACH ROW EXECUTE FUNCTION record_history('plan_id');
CREATE TRIGGER plan_projects_history AFTER INSERT OR UPDATE ON plan_projects FOR EACH ROW EXECUTE FUNCTION record_history('id');
CREATE TRIGGER plan_milestones_history AFTER INSERT OR UPDATE ON plan_milestones FOR EACH ROW EXECUTE FUNCTION record_history('id');

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    REVOKE ALL ON annual_plan_policies, annual_plans, annual_plan_steps, plan_projects, plan_milestones FROM biaotu_app;
    GRANT SELECT, INSERT ON annual_plan_policies, annual_plan_steps TO biaotu_app;
    GRANT SELECT, INSERT, UPDATE ON annual_plans, plan_projects, plan_milestones TO biaotu_app;
    GRANT USAGE, SELECT ON SEQUENCE annual_plans_id_seq, annual_plan_steps_id_seq, plan_projects_id_seq, plan_milestones_id_seq TO biaotu_app;
  END IF;
END;
$$;
