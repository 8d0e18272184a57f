-- Accounts, roles, district scopes, sessions; history grows into the audit log; the application
-- connects as a role that is not a superuser and cannot rewrite history.

CREATE TABLE users (
  id                    bigserial PRIMARY KEY,
  username              text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_-]{3,32}$'),
  display_name          text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
  role                  text NOT NULL CHECK (role IN ('admin', 'surveyor', 'planner', 'official', 'viewer')),
  password_hash         text NOT NULL,
  disabled              boolean NOT NULL DEFAULT false,
  must_change_password  boolean NOT NULL DEFAULT false,
  failed_attempts       integer NOT NULL DEFAULT 0,
  locked_until          timestamptz,
  last_login_at         timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE users IS '用户: accounts with a role; passwords hashed with argon2id';
COMMENT ON COLUMN users.failed_attempts IS 'consecutive failed logins; the account locks after a configured number';
COMMENT ON COLUMN users.locked_until IS 'login refused until this time (lockout after repeated failures)';

CREATE TABLE user_scopes (
  user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  district_code  text NOT NULL REFERENCES districts (code),
  PRIMARY KEY (user_id, district_code)
);
COMMENT ON TABLE user_scopes IS '管辖范围: districts a user may read and write; a city code covers all its districts';

CREATE TABLE sessions (
  token_hash    text PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  ip            text,
  user_agent    text
);
COMMENT ON TABLE sessions IS 'login sessions; only the SHA-256 of the cookie token is stored';
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- The audit log: history gains the request id and the actions of accounts and logins.
ALTER TABLE history ADD COLUMN request_id text;
ALTER TABLE history DROP CONSTRAINT history_action_check;
ALTER TABLE history ADD CONSTRAINT history_action_check CHECK (action IN (
  'insert', 'update', 'delete', 'bulk_load', 'login', 'login_failed', 'logout', 'password_change', 'locked'));
CREATE INDEX history_at_idx ON history (at DESC);
CREATE INDEX history_actor_idx ON history (actor, at DESC);

-- TG_ARGV[0]: key column; TG_ARGV[1..]: columns left out of the record (secrets, bookkeeping).
CREATE OR REPLACE FUNCTION record_history() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  actor text := coalesce(nullif(current_setting('app.actor', true), ''), current_user);
  request text := nullif(current_setting('app.request_id', true), '');
  old_row jsonb;
  new_row jsonb;
  key text;
  skipped text[] := ARRAY['geom_3857', 'label_point', 'updated_at'] || TG_ARGV[1:];
BEGIN
  IF current_setting('app.bulk_load', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD) - skipped; END IF;
  IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW) - skipped; END IF;
  IF TG_TABLE_NAME = 'users' AND TG_OP = 'UPDATE' THEN
    IF (to_jsonb(OLD) ->> 'password_hash') IS DISTINCT FROM (to_jsonb(NEW) ->> 'password_hash') THEN
      new_row := new_row || jsonb_build_object('password_changed', true);
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND old_row = new_row THEN RETURN NULL; END IF;
  key := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ->> TG_ARGV[0] ELSE to_jsonb(NEW) ->> TG_ARGV[0] END;
  INSERT INTO history (entity, entity_id, action, actor, before, after, request_id)
  VALUES (TG_TABLE_NAME, key, lower(TG_OP), actor, old_row, new_row, request);
  RETURN NULL;
END;
$$;

CREATE TRIGGER users_history AFTER INSERT OR UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION record_history('id', 'password_hash', 'failed_attempts', 'locked_until', 'last_login_at');
CREATE TRIGGER user_scopes_history AFTER INSERT OR DELETE ON user_scopes
  FOR EACH ROW EXECUTE FUNCTION record_history('user_id');

CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- The application's own role: no superuser, no DDL, history append-only by privilege as well as by trigger.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    CREATE ROLE biaotu_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'cannot create role biaotu_app here; create it and set APP_DATABASE_URL (see README)';
END;
$$;

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    GRANT USAGE ON SCHEMA public TO biaotu_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON districts, parcels, users, user_scopes, sessions TO biaotu_app;
    GRANT SELECT, INSERT ON history TO biaotu_app;
    REVOKE UPDATE, DELETE, TRUNCATE ON history FROM biaotu_app;
    GRANT SELECT ON schema_migrations, spatial_ref_sys TO biaotu_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO biaotu_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO biaotu_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO biaotu_app;
  END IF;
END;
$$;
