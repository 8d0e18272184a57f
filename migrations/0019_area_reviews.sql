-- 审批记录 of 成片改造区域: every 报审, 批准, 退回, 撤回, 撤销批准 and 修订 of an approved area, with
-- who (account and display name), when, the note or opinion, and — for 报审 and 批准 — the check
-- answer pinned at that moment (rule-set id and version, every figure, limit and verdict). Later
-- rule-set versions change nothing here: a re-check against them is shown beside it, never stored.
CREATE TABLE area_reviews (
  id                bigserial PRIMARY KEY,
  area_id           bigint NOT NULL REFERENCES areas (id),
  area_version      integer NOT NULL,
  action            text NOT NULL CHECK (action IN ('submit', 'approve', 'return', 'withdraw', 'revoke', 'revise')),
  from_status       text NOT NULL,
  to_status         text NOT NULL,
  note              text,
  actor             text NOT NULL,
  actor_name        text NOT NULL,
  at                timestamptz NOT NULL DEFAULT now(),
  rule_set_id       text,
  rule_set_version  integer,
  pass              boolean,
  result            jsonb,
  FOREIGN KEY (area_id, area_version) REFERENCES area_versions (area_id, version),
  FOREIGN KEY (rule_set_id, rule_set_version) REFERENCES rule_sets (id, version),
  CHECK ((result IS NULL) = (rule_set_id IS NULL) AND (result IS NULL) = (rule_set_version IS NULL)),
  CHECK (action NOT IN ('submit', 'approve') OR result IS NOT NULL),
  CHECK (action NOT IN ('return', 'revoke') OR length(btrim(note)) > 0)
);
COMMENT ON TABLE area_reviews IS '审批记录 of areas, append-only; result: the check answer pinned at 报审 / 批准';
CREATE INDEX area_reviews_area_idx ON area_reviews (area_id, id);

CREATE FUNCTION area_reviews_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'area reviews are append-only: record a new review instead';
END;
$$;
CREATE TRIGGER area_reviews_append_only BEFORE UPDATE OR DELETE ON area_reviews
  FOR EACH ROW EXECUTE FUNCTION area_reviews_append_only();

-- The verdict an area shows while submitted or approved (its 报审 or 批准 review), and the version
-- approved last (kept while a revision of it is drafted; cleared by 撤销批准).
ALTER TABLE areas ADD COLUMN pinned_review_id bigint REFERENCES area_reviews (id);
ALTER TABLE areas ADD COLUMN approved_version integer;
COMMENT ON COLUMN areas.pinned_review_id IS 'the 报审 / 批准 review whose pinned check the area shows (null while draft or returned)';
COMMENT ON COLUMN areas.approved_version IS 'the version in force by 批准 (null: none, or revoked by 撤销批准)';

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    GRANT SELECT, INSERT ON area_reviews TO biaotu_app;
    REVOKE UPDATE, DELETE ON area_reviews FROM biaotu_app;
    GRANT USAGE, SELECT ON SEQUENCE area_reviews_id_seq TO biaotu_app;
  END IF;
END;
$$;
