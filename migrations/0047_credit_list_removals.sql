-- 信用异常名单 (issue 17 item 6, leftovers of item 5): the 认定告知书's own failure (附件3 "逾期未报送的，
-- 将纳入汕头市土地市场信用异常名单"), one listing per case and ground, and an official's removal with its
-- reason, kept as its own write-once row (the listing itself stays written once).

ALTER TABLE reuse_credit_list DROP CONSTRAINT reuse_credit_list_ground_check;
ALTER TABLE reuse_credit_list ADD CONSTRAINT reuse_credit_list_ground_check
  CHECK (ground IN ('plan_overdue', 'overdue', 'extension_refused', 'not_passed'));
COMMENT ON COLUMN reuse_credit_list.ground IS 'plan_overdue 逾期未报送再利用方案 (附件3) / overdue, extension_refused, not_passed (附件7 五)';
CREATE UNIQUE INDEX reuse_credit_list_once ON reuse_credit_list (case_id, ground);

CREATE TABLE reuse_credit_removals (
  id              bigserial PRIMARY KEY,
  listing_id      bigint NOT NULL UNIQUE REFERENCES reuse_credit_list (id),
  removed_on      date NOT NULL,
  reason          text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 4000),
  removed_by      text NOT NULL,
  removed_by_name text NOT NULL,
  at              timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE reuse_credit_removals IS '信用异常名单: an official takes a 用地单位 off the list (附件7 五 "直至乙方改正为止"), with the reason; written once';
CREATE TRIGGER reuse_credit_removals_append_only BEFORE UPDATE OR DELETE ON reuse_credit_removals FOR EACH ROW EXECUTE FUNCTION reuse_append_only();
CREATE TRIGGER reuse_credit_removals_history AFTER INSERT ON reuse_credit_removals FOR EACH ROW EXECUTE FUNCTION record_history('id');

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    REVOKE ALL ON reuse_credit_removals FROM biaotu_app;
    GRANT SELECT, INSERT ON reuse_credit_removals TO biaotu_app;
    GRANT USAGE, SELECT ON SEQUENCE reuse_credit_removals_id_seq TO biaotu_app;
  END IF;
END;
$$;
