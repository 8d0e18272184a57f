-- 验收 (issue 17 item 5; seed 003 三(三).3, 附件8–10) and the 信用异常名单 (附件3, 附件7 五): the 用地单位
-- applies for acceptance (附件8) with the 调查表（验收） (附件1 again, kept in the step's details beside the
-- 认定 one), the departments give their opinions and the 园区办/镇街 its 核实意见 (附件9), the 区政府
-- decides, and the office sends the 核准书 (附件10) within 3 working days; the parcel becomes 已完成再开发.
-- A project that fails (逾期, 延期未获同意, 未通过验收) puts the 用地单位 on the 信用异常名单.

ALTER TABLE reuse_projects
  ADD COLUMN acceptance_applied_on date,
  ADD COLUMN acceptance_decided_on date,
  ADD COLUMN certificate_due      date,
  ADD COLUMN certificate_number   text UNIQUE,
  ADD COLUMN certificate_date     date,
  ADD COLUMN failure_ground       text CHECK (failure_ground IN ('overdue', 'extension_refused', 'not_passed')),
  ADD COLUMN closed_on            date,
  ADD CONSTRAINT reuse_projects_certificate CHECK ((certificate_number IS NULL) = (certificate_date IS NULL));
COMMENT ON COLUMN reuse_projects.acceptance_applied_on IS '验收申请日期 (附件8), the latest application; meets the completion clock';
COMMENT ON COLUMN reuse_projects.acceptance_decided_on IS '区政府（管委会）审核同意验收的日期: the 核准书 clock (3 个工作日) runs from it';
COMMENT ON COLUMN reuse_projects.certificate_due IS '核准书 due: acceptance_decided_on + 3 working days (fixtures/working-calendar.json)';
COMMENT ON COLUMN reuse_projects.certificate_number IS '核准书编号 <区县代码>-HZ-<年>-<4 位序号> (附件10)';
COMMENT ON COLUMN reuse_projects.certificate_date IS '核准书发出日期: the 再利用验收时间 附件13 reports';
COMMENT ON COLUMN reuse_projects.failure_ground IS 'why the project failed (附件7 五): overdue 逾期未能完成 / extension_refused 申请延期未获同意 / not_passed 未能通过验收';

ALTER TABLE reuse_counters DROP CONSTRAINT reuse_counters_kind_check;
ALTER TABLE reuse_counters ADD CONSTRAINT reuse_counters_kind_check CHECK (kind IN ('project', 'agreement', 'certificate'));

-- 汕头市土地市场信用异常名单 as the district keeps it: one row per listing, written once.
CREATE TABLE reuse_credit_list (
  id             bigserial PRIMARY KEY,
  district_code  text NOT NULL REFERENCES districts (code),
  enterprise     text NOT NULL CHECK (char_length(enterprise) BETWEEN 1 AND 200),
  parcel_id      bigint NOT NULL,
  parcel_code    text NOT NULL,
  case_id        bigint NOT NULL REFERENCES identification_cases (id),
  project_id     bigint REFERENCES reuse_projects (id),
  ground         text NOT NULL CHECK (ground IN ('overdue', 'extension_refused', 'not_passed')),
  listed_on      date NOT NULL,
  reason         text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 4000),
  source         text NOT NULL,
  listed_by      text NOT NULL,
  listed_by_name text NOT NULL,
  at             timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE reuse_credit_list IS '信用异常名单 (seed 003 附件3, 附件7 五): 用地单位 listed by the 甲方 when a 再利用项目 fails; written once';
COMMENT ON COLUMN reuse_credit_list.enterprise IS '乙方 (the 协议书''s party, else the 土地使用权人) as listed';
COMMENT ON COLUMN reuse_credit_list.source IS 'the seed text the listing rests on';
CREATE INDEX reuse_credit_list_district ON reuse_credit_list (district_code, listed_on DESC, id DESC);
CREATE TRIGGER reuse_credit_list_append_only BEFORE UPDATE OR DELETE ON reuse_credit_list FOR EACH ROW EXECUTE FUNCTION reuse_append_only();
CREATE TRIGGER reuse_credit_list_history AFTER INSERT ON reuse_credit_list FOR EACH ROW EXECUTE FUNCTION record_history('id');

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    REVOKE ALL ON reuse_credit_list FROM biaotu_app;
    GRANT SELECT, INSERT ON reuse_credit_list TO biaotu_app;
    GRANT USAGE, SELECT ON SEQUENCE reuse_credit_list_id_seq TO biaotu_app;
  END IF;
END;
$$;
