-- 再利用 (issue 17 items 1–4; seed 003 三, 附件4–7): after the 认定告知书 the 用地单位 drafts a
-- 再利用方案 (versioned, every version kept), the 园区办/镇街 asks the departments for opinions and sums
-- them up, the owner confirms, the office asks the 区政府 (请示, 附件5), the 区政府 approves (批复, 附件6),
-- both sides sign the 协议书 (附件7) and the work is tracked (实施: entries, economic ledger, one 延期).
-- One project per notified 认定案卷. The step machine is pure code in domain/reuse/steps.ts.

CREATE TABLE reuse_projects (
  id               bigserial PRIMARY KEY,
  number           text NOT NULL UNIQUE,
  case_id          bigint NOT NULL UNIQUE REFERENCES identification_cases (id),
  -- No foreign key to parcels (as identification_cases): a retired parcel's project stays on record.
  parcel_id        bigint NOT NULL,
  parcel_code      text NOT NULL,
  district_code    text NOT NULL REFERENCES districts (code),
  year             integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
  sequence         integer NOT NULL CHECK (sequence > 0),
  unit_code        text,
  unit_kind        text NOT NULL CHECK (unit_kind IN ('park', 'street')),
  state            text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'completed', 'failed')),
  step             text NOT NULL,
  outcome          text,
  step_at          timestamptz NOT NULL DEFAULT now(),
  notice_date      date NOT NULL,
  plan_version     integer NOT NULL DEFAULT 0 CHECK (plan_version >= 0),
  request_number   text,
  request_date     date,
  approval_number  text,
  approval_date    date,
  agreement_number text UNIQUE,
  signed_on        date,
  signing_place    text CHECK (char_length(signing_place) <= 200),
  party_a          text CHECK (char_length(party_a) <= 200),
  party_b          text CHECK (char_length(party_b) <= 200),
  term_months      integer CHECK (term_months BETWEEN 1 AND 60),
  completion_due   date,
  started_on       date,
  extension_state  text NOT NULL DEFAULT 'none' CHECK (extension_state IN ('none', 'applied', 'approved', 'refused')),
  extension_months integer CHECK (extension_months BETWEEN 1 AND 3),
  extended_due     date,
  status_before    text NOT NULL,
  opened_by        text NOT NULL,
  opened_at        timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  version          integer NOT NULL DEFAULT 1,
  UNIQUE (district_code, year, sequence),
  CHECK ((signed_on IS NULL) = (agreement_number IS NULL))
);
COMMENT ON TABLE reuse_projects IS '再利用项目: one notified 认定案卷''s way from the 再利用方案 to 实施 (and later 验收), seed 003 三';
COMMENT ON COLUMN reuse_projects.number IS '项目编号 <区县代码>-ZY-<年>-<4 位序号>';
COMMENT ON COLUMN reuse_projects.notice_date IS '认定告知书 date (the parcel''s 认定时间): the plan (1 month) and approval (3 months) clocks run from it';
COMMENT ON COLUMN reuse_projects.plan_version IS 'number of the latest 再利用方案 version (reuse_plan_versions); 0 = none yet';
COMMENT ON COLUMN reuse_projects.agreement_number IS '协议书编号 <区县代码>-XY-<年>-<4 位序号> (附件7 "XX 第 号")';
COMMENT ON COLUMN reuse_projects.completion_due IS '完成期限 as signed: signed_on + term_months (附件7 三 "签订1年内")';
COMMENT ON COLUMN reuse_projects.extended_due IS 'the deadline after an approved 延期 (at most 3 months, once)';
COMMENT ON COLUMN reuse_projects.status_before IS 'the parcel''s 效率状态 before the 协议书 moved it to 再开发中';
CREATE INDEX reuse_projects_parcel ON reuse_projects (parcel_id);
CREATE INDEX reuse_projects_district ON reuse_projects (district_code, state, step);
CREATE INDEX reuse_projects_unit ON reuse_projects (unit_code, state);

CREATE TABLE reuse_counters (
  district_code text NOT NULL REFERENCES districts (code),
  year          integer NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('project', 'agreement')),
  last          integer NOT NULL CHECK (last > 0),
  PRIMARY KEY (district_code, year, kind)
);
COMMENT ON TABLE reuse_counters IS 'last number given per district, year and kind (project 再利用项目, agreement 协议书)';

-- 再利用方案 (附件4): every version a snapshot; only the owner's confirmation may be recorded, once.
CREATE TABLE reuse_plan_versions (
  id               bigserial PRIMARY KEY,
  project_id       bigint NOT NULL REFERENCES reuse_projects (id),
  number           integer NOT NULL CHECK (number > 0),
  fields           jsonb NOT NULL,
  snapshot         jsonb NOT NULL,
  via              text NOT NULL CHECK (via IN ('online', 'paper')),
  note             text CHECK (char_length(note) <= 2000),
  submitted_by     text NOT NULL,
  submitted_at     timestamptz NOT NULL DEFAULT now(),
  confirmed_by     text,
  confirmed_at     timestamptz,
  UNIQUE (project_id, number),
  CHECK ((confirmed_by IS NULL) = (confirmed_at IS NULL))
);
COMMENT ON TABLE reuse_plan_versions IS '低效产业用地再利用方案 (附件4), one row per version, never changed (the confirmation 同意按照上述方案实施 is recorded once)';
COMMENT ON COLUMN reuse_plan_versions.fields IS 'the plan as written (domain/reuse/plan-form.ts)';
COMMENT ON COLUMN reuse_plan_versions.snapshot IS 'what the card and the 认定案卷 said when the version was submitted (位置, 面积, 权利人, 证号, 约定指标, 近三年平均产值/税收, 认定类型)';

CREATE TABLE reuse_steps (
  id           bigserial PRIMARY KEY,
  project_id   bigint NOT NULL REFERENCES reuse_projects (id),
  step         text NOT NULL,
  outcome      text,
  actor        text NOT NULL,
  actor_name   text NOT NULL,
  role         text NOT NULL,
  unit_code    text,
  department   text,
  at           timestamptz NOT NULL DEFAULT now(),
  opinion      text CHECK (char_length(opinion) <= 4000),
  details      jsonb NOT NULL DEFAULT '{}',
  document_ids bigint[] NOT NULL DEFAULT '{}',
  plan_version integer
);
COMMENT ON TABLE reuse_steps IS 'every step of a 再利用项目 (and each department''s 意见 on a plan version): who, when, role/unit, opinion, attachments; written once';
CREATE INDEX reuse_steps_project ON reuse_steps (project_id, id);

-- 实施跟踪 (三(三).1–2): 定期跟进, 登记造册, 手续, 补充协议.
CREATE TABLE reuse_tracking (
  id           bigserial PRIMARY KEY,
  project_id   bigint NOT NULL REFERENCES reuse_projects (id),
  kind         text NOT NULL CHECK (kind IN ('follow_up', 'register', 'procedure', 'supplementary')),
  on_date      date NOT NULL,
  note         text NOT NULL CHECK (char_length(note) BETWEEN 1 AND 4000),
  document_ids bigint[] NOT NULL DEFAULT '{}',
  actor        text NOT NULL,
  actor_name   text NOT NULL,
  at           timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE reuse_tracking IS '实施跟踪 entries (seed 003 三(三).2 定期跟进、登记造册; 三(三).1 手续, 补充协议); written once';
CREATE INDEX reuse_tracking_project ON reuse_tracking (project_id, on_date, id);

-- 经济数据台账 (三(三).2): one row per period, corrected in place (history keeps before/after).
CREATE TABLE reuse_ledger (
  id             bigserial PRIMARY KEY,
  project_id     bigint NOT NULL REFERENCES reuse_projects (id),
  period         text NOT NULL CHECK (period ~ '^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$'),
  output_wan     numeric(14,2) CHECK (output_wan >= 0),
  tax_wan        numeric(14,2) CHECK (tax_wan >= 0),
  investment_wan numeric(14,2) CHECK (investment_wan >= 0),
  note           text CHECK (char_length(note) <= 2000),
  updated_by     text NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, period)
);
COMMENT ON TABLE reuse_ledger IS '经济数据台账 per period (YYYY, YYYY-Qn or YYYY-MM): 产值, 税收, 投资, 万元';

CREATE FUNCTION reuse_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% rows are on record and never deleted', TG_TABLE_NAME;
  END IF;
  IF TG_TABLE_NAME = 'reuse_plan_versions' AND OLD.confirmed_at IS NULL
     AND (to_jsonb(NEW) - ARRAY['confirmed_by', 'confirmed_at']) = (to_jsonb(OLD) - ARRAY['confirmed_by', 'confirmed_at']) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% rows are written once', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER reuse_steps_append_only BEFORE UPDATE OR DELETE ON reuse_steps FOR EACH ROW EXECUTE FUNCTION reuse_append_only();
CREATE TRIGGER reuse_tracking_append_only BEFORE UPDATE OR DELETE ON reuse_tracking FOR EACH ROW EXECUTE FUNCTION reuse_append_only();
CREATE TRIGGER reuse_plan_versions_append_only BEFORE UPDATE OR DELETE ON reuse_plan_versions FOR EACH ROW EXECUTE FUNCTION reuse_append_only();

CREATE FUNCTION reuse_projects_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'reuse projects are kept on record, never deleted';
  END IF;
  NEW.updated_at := now();
  NEW.version := OLD.version + 1;
  RETURN NEW;
END;
$$;
CREATE TRIGGER reuse_projects_touch BEFORE UPDATE OR DELETE ON reuse_projects FOR EACH ROW EXECUTE FUNCTION reuse_projects_touch();

CREATE TRIGGER reuse_projects_history AFTER INSERT OR UPDATE ON reuse_projects FOR EACH ROW EXECUTE FUNCTION record_history('id');
CREATE TRIGGER reuse_plan_versions_history AFTER INSERT OR UPDATE ON reuse_plan_versions FOR EACH ROW EXECUTE FUNCTION record_history('id');
CREATE TRIGGER reuse_steps_history AFTER INSERT ON reuse_steps FOR EACH ROW EXECUTE FUNCTION record_history('id');
CREATE TRIGGER reuse_tracking_history AFTER INSERT ON reuse_tracking FOR EACH ROW EXECUTE FUNCTION record_history('id');
CREATE TRIGGER reuse_ledger_history AFTER INSERT OR UPDATE ON reuse_ledger FOR EACH ROW EXECUTE FUNCTION record_history('id');

-- The parcel's 效率状态/低效类型/认定时间 are locked while a 认定案卷 or a 再利用项目 is open: the
-- procedure's own writes name it (app.identification_case, app.reuse_project). A project's refusal is
-- SQLSTATE BT409 with MESSAGE 'reuse_open' (server/errors.ts answers 409 reuse_open naming it).
CREATE OR REPLACE FUNCTION parcels_case_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  open_case record;
BEGIN
  IF NEW.status IS NOT DISTINCT FROM OLD.status AND NEW.inefficiency_type IS NOT DISTINCT FROM OLD.inefficiency_type
     AND NEW.identified_at IS NOT DISTINCT FROM OLD.identified_at THEN
    RETURN NEW;
  END IF;
  SELECT id, number INTO open_case FROM identification_cases WHERE parcel_id = NEW.id AND state = 'open';
  IF FOUND AND current_setting('app.identification_case', true) IS DISTINCT FROM open_case.id::text THEN
    RAISE EXCEPTION USING ERRCODE = 'BT409', MESSAGE = 'case_open', DETAIL = open_case.number, HINT = NEW.code;
  END IF;
  SELECT id, number INTO open_case FROM reuse_projects WHERE parcel_id = NEW.id AND state = 'open';
  IF FOUND AND current_setting('app.reuse_project', true) IS DISTINCT FROM open_case.id::text THEN
    RAISE EXCEPTION USING ERRCODE = 'BT409', MESSAGE = 'reuse_open', DETAIL = open_case.number, HINT = NEW.code;
  END IF;
  RETURN NEW;
END;
$$;

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    REVOKE ALL ON reuse_projects, reuse_counters, reuse_plan_versions, reuse_steps, reuse_tracking, reuse_ledger FROM biaotu_app;
    GRANT SELECT, INSERT, UPDATE ON reuse_projects, reuse_counters, reuse_plan_versions, reuse_ledger TO biaotu_app;
    GRANT SELECT, INSERT ON reuse_steps, reuse_tracking TO biaotu_app;
    GRANT USAGE, SELECT ON SEQUENCE reuse_projects_id_seq, reuse_plan_versions_id_seq, reuse_steps_id_seq, reuse_tracking_id_seq, reuse_ledger_id_seq TO biaotu_app;
  END IF;
END;
$$;
