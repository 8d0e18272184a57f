-- Accounts for the people of the 认定 procedure (issue 16 item 4; seed 003 二.1–6): 区自然资源部门,
-- 园区办, 镇政府/街道办, the 会审 departments, 区政府（管委会） and the 用地单位. A 园区办 or 镇街 is scoped
-- to its 园区 or 街道/镇 (user_units); a 会审部门 account names its department; a 用地单位 account
-- sees only the parcels linked to it (enterprise_parcels). Every change has history and tells the
-- servers to forget their cached sessions.

ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN (
  'admin', 'surveyor', 'planner', 'official', 'viewer',
  'resources', 'park_office', 'street_office', 'department', 'government', 'enterprise'));

ALTER TABLE users ADD COLUMN department text
  CHECK (department IN ('fagai', 'ziranziyuan', 'gongxin', 'keji', 'shengtai', 'shuiwu'));
ALTER TABLE users ADD CONSTRAINT users_department_of_role CHECK ((role = 'department') = (department IS NOT NULL));
COMMENT ON COLUMN users.department IS '会审部门 of a role-department account (domain/departments.ts): fagai 发改, ziranziyuan 自然资源, gongxin 工信, keji 科技, shengtai 生态环境, shuiwu 税务';

-- A 园区办 scoped to 园区 X reads its whole district and conducts cases only in X (local rule: the
-- seed names the 园区办's 辖区 for 排查 and says nothing of what it may read).
CREATE TABLE user_units (
  user_id          bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- Deferred: a demo reload removes and re-creates its generated 园区 with the same codes in one transaction.
  subdistrict_code text NOT NULL REFERENCES subdistricts (code) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (user_id, subdistrict_code)
);
COMMENT ON TABLE user_units IS '管辖单元: 园区 or 街道/镇 (subdistricts) a user is scoped to; the user reads their districts and writes only inside them';
CREATE INDEX user_units_subdistrict ON user_units (subdistrict_code);

CREATE TABLE enterprise_parcels (
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  parcel_id  bigint NOT NULL REFERENCES parcels (id) ON DELETE CASCADE,
  granted_by text NOT NULL DEFAULT coalesce(nullif(current_setting('app.actor', true), ''), current_user),
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, parcel_id)
);
COMMENT ON TABLE enterprise_parcels IS '用地单位 accounts and their own parcels (宗地), granted by an administrator or the 园区办/镇街';
CREATE INDEX enterprise_parcels_parcel ON enterprise_parcels (parcel_id);

CREATE TRIGGER user_units_history AFTER INSERT OR DELETE ON user_units
  FOR EACH ROW EXECUTE FUNCTION record_history('user_id');
CREATE TRIGGER enterprise_parcels_history AFTER INSERT OR DELETE ON enterprise_parcels
  FOR EACH ROW EXECUTE FUNCTION record_history('user_id');
CREATE TRIGGER user_units_sessions_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON user_units
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_change();
CREATE TRIGGER enterprise_parcels_sessions_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON enterprise_parcels
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_change();
-- A unit's name and district feed the scope as well.
CREATE TRIGGER subdistricts_sessions_notify AFTER UPDATE OR DELETE OR TRUNCATE ON subdistricts
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_change();

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    GRANT SELECT, INSERT, DELETE ON user_units, enterprise_parcels TO biaotu_app;
  END IF;
END;
$$;
