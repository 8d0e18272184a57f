-- 认定标准 as data, runs that flag, and 综合评价分级 (issue 16 items 1, 2, 7; seed 003 二: "细化本辖区低效
-- 产业用地认定标准，经区政府、管委会批准后，公开发布实施"; seed 002 case 1 分级分类; seed 001 三 综合评价 A/B).

-- A parcel nobody has assessed yet: imports no longer make parcels 疑似低效; the status comes from
-- the procedure (a run flags, people decide, the 认定案卷 sets it).
ALTER TABLE parcels DROP CONSTRAINT parcels_status_check;
ALTER TABLE parcels ADD CONSTRAINT parcels_status_check
  CHECK (status IN ('unassessed', 'efficient', 'suspected', 'identified', 'redeveloping', 'redeveloped'));
COMMENT ON COLUMN parcels.status IS '效率状态: unassessed 未认定 / efficient 正常利用 / suspected 疑似低效 / identified 已认定低效 / redeveloping 再开发中 / redeveloped 已完成再开发';

-- A district's criteria set at its current version; every version is kept in criteria_set_versions.
CREATE TABLE criteria_sets (
  id                 bigserial PRIMARY KEY,
  district_code      text NOT NULL REFERENCES districts (code),
  version            integer NOT NULL CHECK (version >= 1),
  name               text NOT NULL CHECK (length(btrim(name)) > 0),
  state              text NOT NULL CHECK (state IN ('draft', 'approved', 'published', 'retired')),
  example            boolean NOT NULL DEFAULT false,
  approval_authority text,
  document_no        text,
  approved_on        date,
  published_on       date,
  retired_on         date,
  criteria           jsonb NOT NULL,
  note               text,
  updated_by         text NOT NULL,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (state NOT IN ('approved', 'published') OR example OR (approval_authority IS NOT NULL AND document_no IS NOT NULL AND approved_on IS NOT NULL))
);
COMMENT ON TABLE criteria_sets IS '低效产业用地认定标准 (per district, versioned): 草案 draft → 已批准 approved → 已发布 published → 已废止 retired';
COMMENT ON COLUMN criteria_sets.example IS '示例: shipped with the demo city, thresholds from seed 002 case 18, not an approved standard';
COMMENT ON COLUMN criteria_sets.criteria IS 'criteria (domain/api/criteria.schemas.ts Criterion): measure, comparison, threshold, unit, applies to, suggested 低效类型, source';
-- Only one published set per district at a time.
CREATE UNIQUE INDEX criteria_sets_one_published ON criteria_sets (district_code) WHERE state = 'published';
CREATE INDEX criteria_sets_district ON criteria_sets (district_code);

CREATE TABLE criteria_set_versions (
  set_id             bigint NOT NULL REFERENCES criteria_sets (id),
  version            integer NOT NULL,
  district_code      text NOT NULL,
  name               text NOT NULL,
  state              text NOT NULL,
  example            boolean NOT NULL,
  approval_authority text,
  document_no        text,
  approved_on        date,
  published_on       date,
  retired_on         date,
  criteria           jsonb NOT NULL,
  note               text,
  change             text NOT NULL,
  created_by         text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (set_id, version)
);
COMMENT ON TABLE criteria_set_versions IS 'every version of every criteria set (append-only): who changed what, when';
COMMENT ON COLUMN criteria_set_versions.change IS 'what made the version: create / edit / state step (approved, published, retired…)';

-- A run of a published set over a district: flags only, never a status.
CREATE TABLE criteria_runs (
  id             bigserial PRIMARY KEY,
  district_code  text NOT NULL REFERENCES districts (code),
  set_id         bigint NOT NULL REFERENCES criteria_sets (id),
  set_version    integer NOT NULL,
  reference_date date NOT NULL,
  evaluated      integer NOT NULL,
  flagged        integer NOT NULL,
  incomplete     integer NOT NULL,
  run_by         text NOT NULL,
  run_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (set_id, set_version) REFERENCES criteria_set_versions (set_id, version)
);
COMMENT ON TABLE criteria_runs IS '认定标准初筛: one run of a criteria set version over a district (who, when, counts)';
CREATE INDEX criteria_runs_district ON criteria_runs (district_code, run_at DESC);

CREATE TABLE criteria_run_parcels (
  run_id          bigint NOT NULL REFERENCES criteria_runs (id),
  parcel_id       bigint NOT NULL,
  parcel_code     text NOT NULL,
  hits            jsonb NOT NULL,
  incomplete      jsonb NOT NULL,
  suggested_types text[] NOT NULL,
  decision        text CHECK (decision IN ('include', 'exclude', 'pending')),
  reason          text,
  decided_by      text,
  decided_at      timestamptz,
  PRIMARY KEY (run_id, parcel_id),
  CHECK (decision IS DISTINCT FROM 'exclude' OR length(btrim(coalesce(reason, ''))) > 0)
);
COMMENT ON TABLE criteria_run_parcels IS 'parcels a run flagged (hits) or could not evaluate (incomplete: 数据不全), and the reviewer''s decision: include 纳入认定 / exclude 排除 (reason) / pending 待定';
CREATE INDEX criteria_run_parcels_parcel ON criteria_run_parcels (parcel_id);

-- 综合评价分级 scheme of a district: append-only versions, the current one is the highest.
CREATE TABLE grading_schemes (
  district_code text NOT NULL REFERENCES districts (code),
  version       integer NOT NULL CHECK (version >= 1),
  name          text NOT NULL CHECK (length(btrim(name)) > 0),
  measures      jsonb NOT NULL,
  cutoffs       jsonb NOT NULL,
  land_uses     text[] NOT NULL DEFAULT '{}',
  source        jsonb NOT NULL,
  local_rule    boolean NOT NULL,
  note          text,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_code, version)
);
COMMENT ON TABLE grading_schemes IS '综合评价分级方案 A/B/C/D per district (append-only versions): measures, weights, cut-offs by rank or by score';

CREATE TABLE grading_runs (
  id             bigserial PRIMARY KEY,
  district_code  text NOT NULL,
  scheme_version integer NOT NULL,
  graded         integer NOT NULL,
  ungraded       integer NOT NULL,
  changed        integer NOT NULL,
  counts         jsonb NOT NULL,
  run_by         text NOT NULL,
  run_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (district_code, scheme_version) REFERENCES grading_schemes (district_code, version)
);
COMMENT ON TABLE grading_runs IS 'one grading of every parcel of a district by one scheme version';
CREATE INDEX grading_runs_district ON grading_runs (district_code, run_at DESC);

CREATE TABLE grading_results (
  run_id         bigint NOT NULL REFERENCES grading_runs (id),
  parcel_id      bigint NOT NULL,
  grade          text CHECK (grade IN ('A', 'B', 'C', 'D')),
  previous_grade text,
  score          double precision,
  rank           integer,
  of_total       integer NOT NULL,
  figures        jsonb NOT NULL,
  PRIMARY KEY (run_id, parcel_id)
);
COMMENT ON TABLE grading_results IS 'why a parcel got its grade in a run: score, rank of how many, each measure''s value, percentile and weight';
CREATE INDEX grading_results_parcel ON grading_results (parcel_id, run_id DESC);

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    -- Versions, runs and results are records: written once, never changed or removed.
    REVOKE ALL ON criteria_set_versions, criteria_runs, grading_schemes, grading_runs, grading_results FROM biaotu_app;
    GRANT SELECT, INSERT ON criteria_set_versions, criteria_runs, grading_schemes, grading_runs, grading_results TO biaotu_app;
    REVOKE DELETE ON criteria_sets, criteria_run_parcels FROM biaotu_app;
    GRANT USAGE, SELECT ON SEQUENCE criteria_sets_id_seq, criteria_runs_id_seq, grading_runs_id_seq TO biaotu_app;
  END IF;
END;
$$;
