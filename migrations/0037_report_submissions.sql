-- Periodic reports sent upward (issue 16 item 6; seed 003 四（一）): each district files
-- 附件11 低效产业用地认定情况汇总表 "每月25日前" to 市自然资源、工信局 (and, issue 17, 附件12/13 each
-- quarter). A submission freezes the file as generated at that moment (bytes in the database, like
-- documents), with who, when, the period and its due date; a later submission of the same period
-- supersedes the earlier one, which stays on record. The schedules (frequency, due day, recipients,
-- source) are data: fixtures/report-schedules.json.
CREATE TABLE report_submissions (
  id                bigserial PRIMARY KEY,
  report_code       text NOT NULL CHECK (report_code ~ '^[a-z][a-z0-9_]{1,40}$'),
  district_code     text NOT NULL REFERENCES districts (code),
  period            text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$'),
  period_start      date NOT NULL,
  period_end        date NOT NULL,
  due_date          date NOT NULL,
  status            text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'superseded')),
  -- Deferred: the earlier submission is marked first, naming the id the new one is about to take.
  superseded_by     bigint REFERENCES report_submissions (id) DEFERRABLE INITIALLY DEFERRED,
  submitted_by      text NOT NULL,
  submitted_by_name text NOT NULL,
  submitted_role    text NOT NULL,
  submitted_at      timestamptz NOT NULL DEFAULT now(),
  on_time           boolean NOT NULL,
  recipients        text[] NOT NULL DEFAULT '{}',
  file_name         text NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 200),
  media_type        text NOT NULL,
  byte_size         bigint NOT NULL CHECK (byte_size > 0),
  sha256            text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  row_count         integer NOT NULL CHECK (row_count >= 0),
  summary           jsonb NOT NULL DEFAULT '{}',
  note              text CHECK (char_length(note) <= 500),
  CHECK (period_end >= period_start),
  CHECK ((status = 'superseded') = (superseded_by IS NOT NULL))
);
COMMENT ON TABLE report_submissions IS 'periodic reports filed upward (附件11 monthly, 附件12/13 quarterly): who, when, which period, the frozen file in report_submission_contents';
COMMENT ON COLUMN report_submissions.report_code IS 'the report (fixtures/report-schedules.json): annex11 低效产业用地认定情况汇总表, …';
COMMENT ON COLUMN report_submissions.period IS 'YYYY-MM (monthly) or YYYY-Qn (quarterly)';
COMMENT ON COLUMN report_submissions.due_date IS 'the date the period''s report was due (schedule data), China calendar';
COMMENT ON COLUMN report_submissions.on_time IS 'submitted on or before due_date (China date)';
COMMENT ON COLUMN report_submissions.summary IS 'figures of the file as submitted (rows, 本期新增, 土地面积 in 亩)';
COMMENT ON COLUMN report_submissions.superseded_by IS 'the later submission of the same report, district and period that replaced this one';
-- One current submission per report, district and period.
CREATE UNIQUE INDEX report_submissions_current ON report_submissions (report_code, district_code, period) WHERE status = 'submitted';
CREATE INDEX report_submissions_district ON report_submissions (report_code, district_code, period_start DESC, id DESC);

CREATE TABLE report_submission_contents (
  submission_id bigint PRIMARY KEY REFERENCES report_submissions (id),
  content       bytea NOT NULL
);
COMMENT ON TABLE report_submission_contents IS 'the file of each report_submissions row as submitted, written once';
-- xlsx files are zip-compressed already.
ALTER TABLE report_submission_contents ALTER COLUMN content SET STORAGE EXTERNAL;

-- A submission is on record: the only change is being superseded, once; never deleted.
CREATE FUNCTION report_submissions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'report submissions are on record, never deleted';
  END IF;
  IF OLD.status = 'submitted' AND NEW.status = 'superseded'
     AND (to_jsonb(NEW) - ARRAY['status', 'superseded_by']) = (to_jsonb(OLD) - ARRAY['status', 'superseded_by']) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'a report submission is written once: only its being superseded may be recorded, once';
END;
$$;
CREATE TRIGGER report_submissions_guard BEFORE UPDATE OR DELETE ON report_submissions
  FOR EACH ROW EXECUTE FUNCTION report_submissions_guard();
CREATE FUNCTION report_submission_contents_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'report files are written once';
END;
$$;
CREATE TRIGGER report_submission_contents_guard BEFORE UPDATE OR DELETE ON report_submission_contents
  FOR EACH ROW EXECUTE FUNCTION report_submission_contents_guard();

-- Every submission (and its being superseded) is on the audit log: who, when, which request.
CREATE TRIGGER report_submissions_history AFTER INSERT OR UPDATE ON report_submissions
  FOR EACH ROW EXECUTE FUNCTION record_history('id');

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    REVOKE ALL ON report_submissions, report_submission_contents FROM biaotu_app;
    GRANT SELECT, INSERT, UPDATE ON report_submissions TO biaotu_app;
    GRANT SELECT, INSERT ON report_submission_contents TO biaotu_app;
    GRANT USAGE, SELECT ON SEQUENCE report_submissions_id_seq TO biaotu_app;
  END IF;
END;
$$;
