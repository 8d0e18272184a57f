-- 认定案卷 (issue 16 item 3; seed 003 二.1–6): one case per parcel taking it from the 产业用地清单
-- (列入清单) to the 低效产业用地认定告知书 (告知). Every step is a row that is never changed; the case
-- row holds where the procedure stands. The step machine (which step may follow which, who may take
-- it) is pure code in domain/identification/steps.ts; the database keeps one open case per parcel,
-- the numbers, the append-only steps and snapshots, and the parcel's 认定 fields while a case is open.

CREATE TABLE identification_cases (
  id               bigserial PRIMARY KEY,
  number           text NOT NULL UNIQUE,
  district_code    text NOT NULL REFERENCES districts (code),
  year             integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
  sequence         integer NOT NULL CHECK (sequence > 0),
  -- No foreign key to parcels: a parcel retired by a split or merge leaves `parcels`; its case stays on record.
  parcel_id        bigint NOT NULL,
  parcel_code      text NOT NULL,
  subdistrict_code text,
  park_code        text,
  unit_code        text,
  unit_kind        text NOT NULL CHECK (unit_kind IN ('park', 'street')),
  state            text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed', 'notified')),
  step             text NOT NULL,
  outcome          text,
  step_at          timestamptz NOT NULL DEFAULT now(),
  due_date         date,
  inefficiency_types text[] NOT NULL DEFAULT '{}',
  notice_number    text UNIQUE,
  notice_date      date,
  plan_due_date    date,
  status_before    text NOT NULL,
  inefficiency_type_before text,
  closed_reason    text CHECK (char_length(closed_reason) <= 2000),
  source_run_id    bigint,
  note             text CHECK (char_length(note) <= 2000),
  opened_by        text NOT NULL,
  opened_at        timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  version          integer NOT NULL DEFAULT 1,
  UNIQUE (district_code, year, sequence),
  CHECK ((state = 'notified') = (notice_number IS NOT NULL))
);
COMMENT ON TABLE identification_cases IS '认定案卷: one parcel''s way from 列入清单 to 告知 (seed 003 二); steps in identification_steps';
COMMENT ON COLUMN identification_cases.number IS '案卷编号 <区县代码>-RD-<年>-<4 位序号>, numbered per district and year';
COMMENT ON COLUMN identification_cases.unit_code IS '负责单位: the 园区 (park_code) for 园区内 parcels, else the 街道/镇 (subdistrict_code); NULL = 未划入街道';
COMMENT ON COLUMN identification_cases.step IS 'the last step taken (domain/identification/steps.ts)';
COMMENT ON COLUMN identification_cases.outcome IS 'outcome of the last step (e.g. sent_back: 核实 asked for 佐证材料, 一次告知)';
COMMENT ON COLUMN identification_cases.status_before IS 'the parcel''s 效率状态 when the case opened: restored when 会审 or 审批 ends the case without 认定';
COMMENT ON COLUMN identification_cases.due_date IS 'the date the next step is due (working days, fixtures/working-calendar.json); NULL = no deadline';
COMMENT ON COLUMN identification_cases.notice_number IS '认定告知书编号 <区县代码>-GZ-<年>-<4 位序号>';
COMMENT ON COLUMN identification_cases.plan_due_date IS '再利用方案 due: 1 month after the 告知书 (seed 003 三(一), 附件3)';
-- At most one open case per parcel.
CREATE UNIQUE INDEX identification_cases_open_parcel ON identification_cases (parcel_id) WHERE state = 'open';
CREATE INDEX identification_cases_parcel ON identification_cases (parcel_id, opened_at DESC);
CREATE INDEX identification_cases_district ON identification_cases (district_code, state, step);
CREATE INDEX identification_cases_unit ON identification_cases (unit_code, state);

-- Numbers per district, year and kind (案卷 'case', 告知书 'notice'): one row, raised under its lock.
CREATE TABLE identification_counters (
  district_code text NOT NULL REFERENCES districts (code),
  year          integer NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('case', 'notice')),
  last          integer NOT NULL CHECK (last > 0),
  PRIMARY KEY (district_code, year, kind)
);
COMMENT ON TABLE identification_counters IS 'last number given per district, year and kind (case 案卷, notice 告知书)';

CREATE TABLE identification_steps (
  id           bigserial PRIMARY KEY,
  case_id      bigint NOT NULL REFERENCES identification_cases (id),
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
  due_date     date
);
COMMENT ON TABLE identification_steps IS 'every step of a 认定案卷 (and each 会审 department''s opinion): who, when, role/unit, opinion, attachments; written once';
COMMENT ON COLUMN identification_steps.document_ids IS 'attachments: ids of the parcel''s documents (parcel_documents)';
COMMENT ON COLUMN identification_steps.due_date IS 'the date this step was due, when it had a deadline';
CREATE INDEX identification_steps_case ON identification_steps (case_id, id);

-- 调查表（认定） (附件1) as returned: every submission a snapshot, never changed; only its application
-- to the parcel card may be recorded, once.
CREATE TABLE survey_submissions (
  id           bigserial PRIMARY KEY,
  case_id      bigint NOT NULL REFERENCES identification_cases (id),
  parcel_id    bigint NOT NULL,
  via          text NOT NULL CHECK (via IN ('online', 'paper')),
  submitted_by text NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  fields       jsonb NOT NULL,
  applied_by   text,
  applied_at   timestamptz,
  CHECK ((applied_by IS NULL) = (applied_at IS NULL))
);
COMMENT ON TABLE survey_submissions IS '附件1 产业用地使用效益调查表（认定） as submitted (online by the 用地单位, or entered from paper): immutable snapshots';
COMMENT ON COLUMN survey_submissions.fields IS 'the form''s fields by parcel field key (domain/identification/survey-form.ts)';
CREATE INDEX survey_submissions_case ON survey_submissions (case_id, id DESC);
CREATE INDEX survey_submissions_parcel ON survey_submissions (parcel_id, id DESC);

-- Steps are written once; a submission only gets its application recorded, once.
CREATE FUNCTION identification_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% rows are on record and never deleted', TG_TABLE_NAME;
  END IF;
  IF TG_TABLE_NAME = 'survey_submissions' AND OLD.applied_at IS NULL
     AND (to_jsonb(NEW) - ARRAY['applied_by', 'applied_at']) = (to_jsonb(OLD) - ARRAY['applied_by', 'applied_at']) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% rows are written once', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER identification_steps_append_only BEFORE UPDATE OR DELETE ON identification_steps
  FOR EACH ROW EXECUTE FUNCTION identification_append_only();
CREATE TRIGGER survey_submissions_append_only BEFORE UPDATE OR DELETE ON survey_submissions
  FOR EACH ROW EXECUTE FUNCTION identification_append_only();

CREATE FUNCTION identification_cases_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'identification cases are closed on record, never deleted';
  END IF;
  NEW.updated_at := now();
  NEW.version := OLD.version + 1;
  RETURN NEW;
END;
$$;
CREATE TRIGGER identification_cases_touch BEFORE UPDATE OR DELETE ON identification_cases
  FOR EACH ROW EXECUTE FUNCTION identification_cases_touch();

-- Every write of a case, step, submission and number is on the audit log (history).
CREATE TRIGGER identification_cases_history AFTER INSERT OR UPDATE ON identification_cases
  FOR EACH ROW EXECUTE FUNCTION record_history('id');
CREATE TRIGGER identification_steps_history AFTER INSERT ON identification_steps
  FOR EACH ROW EXECUTE FUNCTION record_history('id');
CREATE TRIGGER survey_submissions_history AFTER INSERT OR UPDATE ON survey_submissions
  FOR EACH ROW EXECUTE FUNCTION record_history('id');

-- While a case is open, the parcel's 效率状态, 低效类型 and 认定时间 follow the case only: an edit by hand
-- (PATCH, bulk edit, import) is refused with SQLSTATE BT409, its message naming the case (server/errors.ts
-- answers 409 case_open). The case's own writes set app.identification_case to the case's id.
CREATE FUNCTION parcels_case_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
  RETURN NEW;
END;
$$;
CREATE TRIGGER parcels_case_guard BEFORE UPDATE OF status, inefficiency_type, identified_at ON parcels
  FOR EACH ROW EXECUTE FUNCTION parcels_case_guard();

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    REVOKE ALL ON identification_cases, identification_steps, survey_submissions, identification_counters FROM biaotu_app;
    GRANT SELECT, INSERT, UPDATE ON identification_cases, survey_submissions, identification_counters TO biaotu_app;
    GRANT SELECT, INSERT ON identification_steps TO biaotu_app;
    GRANT USAGE, SELECT ON SEQUENCE identification_cases_id_seq, identification_steps_id_seq, survey_submissions_id_seq TO biaotu_app;
  END IF;
END;
$$;
